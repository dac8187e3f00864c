"""normalize(): each kind to its matching key, and placeholders to no key at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mostrador.customers.normalize import (
    CHANNELS,
    IDENTIFIER_KINDS,
    is_blocked,
    normalize,
    normalize_email,
    normalize_handle,
    normalize_phone,
)


def test_the_identifier_kinds_and_channels_are_the_agreed_ones() -> None:
    assert IDENTIFIER_KINDS == (
        "phone",
        "email",
        "whatsapp_id",
        "whatsapp_bsuid",
        "instagram",
        "messenger_psid",
        "telegram",
        "document",
        "shop_account",
        "loyalty_card",
    )
    assert CHANNELS == (
        "store",
        "web",
        "whatsapp",
        "instagram",
        "messenger",
        "telegram",
        "email",
        "webchat",
        "phone",
        "import",
    )


@pytest.mark.parametrize(
    ("kind", "raw", "country", "key"),
    [
        ("phone", "011 15-5555-1234", "AR", "+5491155551234"),
        ("phone", "+52 1 55 4123 9876", "AR", "+525541239876"),
        ("phone", "(11) 8492-3071", "BR", "+5511984923071"),
        ("whatsapp_id", "541155551234", "ES", "+5491155551234"),
        ("whatsapp_id", "5215541239876", "AR", "+525541239876"),
        ("email", " Juan.Perez+promo@GoogleMail.com ", "AR", "juanperez@gmail.com"),
        ("email", "Juan.Perez@Hotmail.com", "AR", "juan.perez@hotmail.com"),
        ("instagram", "@Juan.Perez_85", "AR", "juan.perez_85"),
        ("instagram", "https://www.instagram.com/juan.perez_85/?igsh=abc", "AR", "juan.perez_85"),
        ("telegram", "@JuanPerez", "AR", "juanperez"),
        ("telegram", "https://t.me/juan_perez", "AR", "juan_perez"),
        ("telegram", "123456789", "AR", "123456789"),
        ("document", "20.123.456", "AR", "AR:DNI:20123456"),
        ("document", "390.533.447-05", "BR", "BR:CPF:39053344705"),
        ("document", "12.345.678-5", "cl", "CL:RUT:123456785"),
        ("whatsapp_bsuid", " AR.13491208655302741918 ", "AR", "AR.13491208655302741918"),
        ("messenger_psid", "6543210987654321", "AR", "6543210987654321"),
        ("shop_account", " tn-4821 ", "AR", "tn-4821"),
        ("shop_account", "12345", "AR", "12345"),  # a shop's own sequential id is real
        ("shop_account", "11111", "AR", "11111"),
        ("loyalty_card", "2900000000017", "AR", "2900000000017"),
    ],
)
def test_each_kind_is_keyed_by_its_rules(kind: str, raw: str, country: str, key: str) -> None:
    assert normalize(kind, raw, country) == key


@pytest.mark.parametrize(
    ("kind", "raw", "country"),
    [
        ("phone", "15-5555-1234", "AR"),
        ("phone", "abc", "AR"),
        ("whatsapp_id", "not-a-number", "AR"),
        ("email", "sin email", "AR"),
        ("email", "juan@hotmail,com", "AR"),
        ("instagram", "juan perez", "AR"),
        ("instagram", "juan-perez", "AR"),
        ("instagram", "a" * 31, "AR"),
        ("instagram", "@", "AR"),
        ("telegram", "juan.perez", "AR"),
        ("document", "111.111.111-11", "BR"),  # fails the check: stored raw, never a key
        ("document", "12345678A", "ES"),
        ("document", "12345678", "US"),
        ("shop_account", "   ", "AR"),
        ("loyalty_card", "", "AR"),
    ],
)
def test_what_cannot_be_normalized_has_no_key(kind: str, raw: str, country: str) -> None:
    assert normalize(kind, raw, country) is None


@pytest.mark.parametrize(
    ("kind", "raw", "country"),
    [
        ("phone", "+54 9 11 0000-0000", "AR"),
        ("phone", "011 15 1111-1111", "AR"),
        ("phone", "11 1234-5678", "AR"),
        ("phone", "+34 600 000 000", "ES"),
        ("phone", "+52 55 1234 5678", "MX"),  # the textbook example
        ("whatsapp_id", "5491100000000", "AR"),
        ("email", "test@test.com", "AR"),
        ("email", "a@a.com", "AR"),
        ("email", "Sin.Email@gmail.com", "AR"),
        ("email", "notiene@hotmail.com", "AR"),
        ("email", "no-tiene@outlook.com", "AR"),
        ("email", "null@gmail.com", "AR"),
        ("email", "noreply@mitienda.com.ar", "AR"),
        ("email", "no-reply@mercadolibre.com", "AR"),
        ("email", "juan@mailinator.com", "AR"),
        ("email", "juan@nomail.com", "AR"),
        ("instagram", "null", "AR"),
        ("instagram", "@none", "AR"),
        ("document", "12.345.678", "AR"),
        ("document", "11.111.111", "AR"),
        ("document", "00000000", "PE"),
        ("loyalty_card", "0000000", "AR"),
        ("loyalty_card", "1234567", "AR"),
        ("loyalty_card", "N/A", "AR"),
        ("loyalty_card", "no tiene", "AR"),
        ("shop_account", "null", "AR"),
        ("shop_account", "-", "AR"),
        ("messenger_psid", "undefined", "AR"),
    ],
)
def test_a_placeholder_is_never_a_key(kind: str, raw: str, country: str) -> None:
    assert normalize(kind, raw, country) is None


@pytest.mark.parametrize(
    ("kind", "key", "blocked"),
    [
        ("phone", "+5491100000000", True),
        ("phone", "+5491155551234", False),
        ("email", "test@test.com", True),
        ("email", "ana@example.com", False),  # the demo's addresses
        ("email", "maria.gonzalez@hotmail.com", False),
        ("document", "AR:DNI:12345678", True),
        ("document", "AR:DNI:20123456", False),
        ("loyalty_card", "0000000", True),
        ("loyalty_card", "2900000000017", False),
        ("shop_account", "11111", False),
        ("messenger_psid", "6543210987654321", False),  # issued by Meta, never typed
        ("instagram", "n/a", True),
        ("instagram", "juan.perez", False),
    ],
)
def test_is_blocked_tells_a_placeholder_from_a_value(kind: str, key: str, blocked: bool) -> None:
    assert is_blocked(kind, key) is blocked


def test_the_public_helpers_still_answer_as_before() -> None:
    assert normalize_phone("+54 9 11 5555-1234", "AR") == "+5491155551234"
    assert normalize_phone("nope", "AR") is None
    assert normalize_email("Ana@Hotmail.com") == "ana@hotmail.com"
    assert normalize_email("ana@") is None
    assert normalize_handle(" @Juan.Perez ") == "juan.perez"
    assert normalize_handle("@") is None


@given(
    st.sampled_from(IDENTIFIER_KINDS),
    st.text(st.characters(codec="ascii"), max_size=40),
    st.sampled_from(["AR", "BR", "MX", "ES", "UY", "CL", "PE", "CO"]),
)
def test_normalize_never_fails_and_never_keys_a_placeholder(
    kind: str, raw: str, country: str
) -> None:
    key = normalize(kind, raw, country)
    assert key is None or (key == key.strip() and key and not is_blocked(kind, key))


@given(
    st.sampled_from(["11", "351", "2966"]),
    st.text("0123456789", min_size=8, max_size=8),
    st.sampled_from(["phone", "whatsapp_id"]),
)
def test_a_phone_key_is_its_own_key(area: str, digits: str, kind: str) -> None:
    key = normalize(kind, f"549{area}{digits[: 10 - len(area)]}", "AR")
    if key is not None:
        assert normalize("phone", key, "AR") == key
        assert normalize("phone", key, "MX") == key
