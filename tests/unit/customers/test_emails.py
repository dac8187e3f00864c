"""E-mails: one key per mailbox; Gmail folded, everyone else only lower-cased; typos are hints."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mostrador.customers.emails import local_part, normalize_email, typo_correction


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("  Maria.Gonzalez@Hotmail.com ", "maria.gonzalez@hotmail.com"),
        ("JUAN.PEREZ@YAHOO.COM.AR", "juan.perez@yahoo.com.ar"),
        ("mailto:lucia@outlook.es", "lucia@outlook.es"),
        ("ana@example.com", "ana@example.com"),
        ("ana@gmail.con", "ana@gmail.con"),  # a valid address; the typo is only a hint
    ],
)
def test_an_address_is_trimmed_and_lower_cased(raw: str, key: str) -> None:
    assert normalize_email(raw) == key


@pytest.mark.parametrize(
    "raw",
    [
        "juanperez@gmail.com",
        "Juan.Perez@gmail.com",
        "j.u.a.n.perez@gmail.com",
        "juan.perez+compras@gmail.com",
        "juanperez+mercadolibre@GMAIL.COM",
        "juan.perez@googlemail.com",
    ],
)
def test_gmail_ignores_dots_and_plus_tags_and_googlemail_is_gmail(raw: str) -> None:
    assert normalize_email(raw) == "juanperez@gmail.com"


def test_other_providers_keep_their_dots_and_plus_tags() -> None:
    # Outlook and Yahoo deliver "+" differently and never ignore dots: folding could merge two people.
    assert normalize_email("juan.perez+tienda@hotmail.com") == "juan.perez+tienda@hotmail.com"
    assert normalize_email("juan.perez@outlook.com") != normalize_email("juanperez@outlook.com")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "sin email",
        "no tiene",
        "juanperez",
        "juanperez@",
        "@gmail.com",
        "juan@perez@gmail.com",
        "juan perez@gmail.com",
        "juan,perez@gmail.com",
        "juan@hotmail,com",
        "juan@gmail",
        "juan@gmail..com",
        "juan@-gmail.com",
        "juan@gmail.c",
        "juan@10.0.0.1",
        ".juan@hotmail.com",
        "juan.@hotmail.com",
        "juan..perez@hotmail.com",
        "+promo@gmail.com",  # nothing left before the tag
    ],
)
def test_what_is_not_an_address_has_no_key(raw: str) -> None:
    assert normalize_email(raw) is None


@pytest.mark.parametrize(
    ("raw", "meant"),
    [
        ("maria.lopez@gmial.com", "marialopez@gmail.com"),
        ("maria.lopez@gmai.com", "marialopez@gmail.com"),
        ("maria.lopez@gmal.com", "marialopez@gmail.com"),
        ("maria.lopez@gnail.com", "marialopez@gmail.com"),
        ("maria.lopez@gamil.com", "marialopez@gmail.com"),
        ("Maria.Lopez@Gmail.con", "marialopez@gmail.com"),
        ("maria.lopez@gmail.co", "marialopez@gmail.com"),
        ("maria.lopez@gmail.com.ar", "marialopez@gmail.com"),
        ("maria.lopez@gmail", "marialopez@gmail.com"),
        ("pablo.diaz@hotmial.com", "pablo.diaz@hotmail.com"),
        ("pablo.diaz@hotmal.com", "pablo.diaz@hotmail.com"),
        ("pablo.diaz@hotmai.com", "pablo.diaz@hotmail.com"),
        ("pablo.diaz@hotmail.con", "pablo.diaz@hotmail.com"),
        ("pablo.diaz@hotmail,com", "pablo.diaz@hotmail.com"),
        ("pablo.diaz@hotmial.con", "pablo.diaz@hotmail.com"),  # one slip in name, one in ending
        ("pablo.diaz@hotmail", "pablo.diaz@hotmail.com"),
        ("ines.ruiz@outlok.com", "ines.ruiz@outlook.com"),
        ("ines.ruiz@outlook.con", "ines.ruiz@outlook.com"),
        ("ines.ruiz@yahoo.com.ra", "ines.ruiz@yahoo.com.ar"),
        ("ines.ruiz@yaho.com.ar", "ines.ruiz@yahoo.com.ar"),
        ("joao.silva@hotmail.com.bt", "joao.silva@hotmail.com.br"),
        ("joao.silva@uol.com.bf", "joao.silva@uol.com.br"),
    ],
)
def test_an_obvious_domain_typo_points_to_the_address_meant(raw: str, meant: str) -> None:
    assert typo_correction(raw) == meant


@pytest.mark.parametrize(
    "raw",
    [
        "maria@gmail.com",  # nothing to correct
        "maria@hotmail.com.ar",
        "maria@ymail.com",  # Yahoo's, one key from gmail.com
        "maria@mail.com",
        "maria@gmx.com",
        "maria@hotmart.com",  # a Brazilian company, two keys from hotmail.com
        "maria@live.co",  # live.com or live.cl? not obvious
        "maria@iol.com.br",  # uol.com.br or bol.com.br? not obvious
        "maria@mitienda.com.ar",
        "maria@example.com",
        "maria gmial.com",
        "@gmial.com",
        "maria perez@gmial.com",
    ],
)
def test_a_real_domain_or_an_unclear_slip_is_not_corrected(raw: str) -> None:
    assert typo_correction(raw) is None


def test_the_local_part_of_a_key() -> None:
    assert local_part("juanperez@gmail.com") == "juanperez"
    assert local_part("juan.perez+tienda@hotmail.com") == "juan.perez+tienda"


_LOCAL = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=20)


@given(_LOCAL, st.sampled_from(["gmail.com", "googlemail.com", "hotmail.com", "yahoo.com.mx"]))
def test_a_key_is_its_own_key(local: str, domain: str) -> None:
    key = normalize_email(f" {local.upper()}@{domain.upper()} ")
    assert key is not None
    assert normalize_email(key) == key
    assert typo_correction(key) is None


@given(_LOCAL, st.lists(st.integers(0, 19), max_size=3), _LOCAL)
def test_a_gmail_address_with_dots_and_a_tag_has_the_plain_key(
    local: str, dots: list[int], tag: str
) -> None:
    dotted = "".join(c + ("." if i in dots else "") for i, c in enumerate(local)).rstrip(".")
    assert normalize_email(f"{dotted}+{tag}@gmail.com") == f"{local}@gmail.com"
