"""Phones, e-mails, handles and documents as people write them."""

from __future__ import annotations

import random
import re

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email

from mostrador.demo.contact_formats import (
    EMAIL_DOMAINS,
    PHONE_PLANS,
    TYPO_DOMAINS,
    MobileNumber,
    ascii_fold,
    cpf_check_digits,
    ean13_check_digit,
    identity_document,
    loyalty_card_number,
    mobile_number,
    rut_check_digit,
    uy_check_digit,
    write_email,
    write_phone,
)

COUNTRIES = sorted(PHONE_PLANS)


def renders(number: MobileNumber) -> list[str]:
    return [
        render(number.area, number.subscriber) for render, _ in PHONE_PLANS[number.country].formats
    ]


def test_argentine_mobiles_are_written_in_the_usual_ways() -> None:
    assert renders(MobileNumber("AR", "11", "55551234")) == [
        "+54 9 11 5555-1234",
        "011 15-5555-1234",
        "11 5555-1234",
        "(011) 15 5555-1234",
        "11 15 5555-1234",
        "+5491155551234",
        "1155551234",
        "11-5555-1234",
        "5491155551234",
        "0111555551234",
        "+54 9 11 55551234",
    ]
    assert renders(MobileNumber("AR", "351", "5123456"))[:2] == [
        "+54 9 351 512-3456",
        "0351 15-512-3456",
    ]


def test_other_countries_mobiles_are_written_in_their_usual_ways() -> None:
    assert renders(MobileNumber("BR", "11", "987654321"))[:4] == [
        "(11) 98765-4321",
        "11 98765-4321",
        "11987654321",
        "+55 11 98765-4321",
    ]
    assert renders(MobileNumber("MX", "55", "12345678"))[:3] == [
        "55 1234 5678",
        "5512345678",
        "+52 55 1234 5678",
    ]
    assert renders(MobileNumber("CL", "9", "87654321"))[:2] == ["+56 9 8765 4321", "9 8765 4321"]
    assert renders(MobileNumber("CO", "300", "1234567"))[0] == "300 123 4567"
    assert renders(MobileNumber("ES", "6", "12345678"))[:2] == ["612 34 56 78", "612 345 678"]
    assert renders(MobileNumber("UY", "9", "9123456"))[:3] == [
        "099 123 456",
        "099123456",
        "+598 99 123 456",
    ]
    assert renders(MobileNumber("PE", "9", "87654321"))[0] == "987 654 321"


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_format_of_a_generated_mobile_parses_to_a_valid_number(country: str) -> None:
    rng = random.Random(country)
    for _ in range(150):
        number = mobile_number(rng, country)
        whatsapp = phonenumbers.parse("+" + number.whatsapp_id)
        assert (
            phonenumbers.format_number(whatsapp, phonenumbers.PhoneNumberFormat.E164) == number.e164
        )
        assert phonenumbers.number_type(whatsapp) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        for raw in renders(number):
            parsed = phonenumbers.parse(raw, country)
            assert phonenumbers.is_valid_number(parsed), raw
            assert phonenumbers.region_code_for_number(parsed) == country, raw


def test_only_the_formats_without_the_mobile_9_parse_to_another_argentine_number() -> None:
    number = MobileNumber("AR", "11", "55551234")
    e164 = {
        raw: phonenumbers.format_number(
            phonenumbers.parse(raw, "AR"), phonenumbers.PhoneNumberFormat.E164
        )
        for raw in renders(number)
    }
    assert {raw for raw, value in e164.items() if value != number.e164} == {
        "11 5555-1234",
        "1155551234",
        "11-5555-1234",
    }
    assert set(e164.values()) == {"+5491155551234", "+541155551234"}


def test_visitors_numbers_are_mostly_written_with_the_country_code() -> None:
    rng = random.Random(3)
    number = MobileNumber("BR", "11", "987654321")
    written = [write_phone(rng, number, abroad=True) for _ in range(1000)]
    assert 0.7 < sum(w.startswith("+") for w in written) / 1000 < 0.95


def test_emails_are_valid_with_the_countrys_domains_except_the_typos() -> None:
    rng = random.Random(9)
    address = "maria.gonzalez@gmail.com"
    typed = [write_email(rng, address, at_counter=True) for _ in range(20_000)]
    typos = [t for t in typed if t.rsplit("@", 1)[1].lower() in TYPO_DOMAINS]
    assert 0.005 < len(typos) / len(typed) < 0.015
    assert {t.lower() for t in typed if t not in typos} == {address}
    assert len({t for t in typed if t not in typos}) == 4  # lower, capitalised, capitals, domain
    for country, domains in EMAIL_DOMAINS.items():
        for domain, _ in domains:
            assert domain not in TYPO_DOMAINS, country
            validate_email(f"ana.perez@{domain}", check_deliverability=False)
    with pytest.raises(EmailNotValidError):
        validate_email("ana.perez@gmail", check_deliverability=False)


def test_names_lose_accents_and_spaces_in_addresses() -> None:
    assert ascii_fold("Muñoz Peña") == "munozpena"
    assert ascii_fold("João da Conceição") == "joaodaconceicao"
    assert ascii_fold("De León") == "deleon"


def test_check_digits_match_known_documents() -> None:
    assert cpf_check_digits("123456789") == "09"
    assert rut_check_digit(12345678) == "5"
    assert rut_check_digit(10000013) == "K"
    assert uy_check_digit("1234567") == "2"
    assert ean13_check_digit("400638133393") == "1"
    assert loyalty_card_number(1) == "2900000000018"


def cpf_is_valid(cpf: str) -> bool:
    digits = [int(c) for c in re.sub(r"\D", "", cpf)]
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    for size in (9, 10):
        total = sum(d * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        if (total * 10) % 11 % 10 != digits[size]:
            return False
    return True


def rut_is_valid(rut: str) -> bool:
    clean = rut.replace(".", "").replace("-", "").upper()
    body, check = clean[:-1], clean[-1]
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    expected = {11: "0", 10: "K"}.get(11 - total % 11, str(11 - total % 11))
    return check == expected


def test_generated_documents_have_valid_check_digits() -> None:
    rng = random.Random(4)
    for _ in range(500):
        cpf = identity_document(rng, "BR", 1985)
        rut = identity_document(rng, "CL", 1985)
        dni = identity_document(rng, "ES", 1985)
        ci = identity_document(rng, "UY", 1985)
        assert cpf is not None
        assert cpf_is_valid(cpf), cpf
        assert re.fullmatch(r"\d{3}\.\d{3}\.\d{3}-\d{2}|\d{11}", cpf), cpf
        assert rut is not None
        assert rut_is_valid(rut), rut
        assert dni is not None
        assert dni[-1] == "TRWAGMYFPDXBNJZSQVHLCKE"[int(re.sub(r"\D", "", dni)) % 23], dni
        assert ci is not None
        digits = re.sub(r"\D", "", ci)
        assert uy_check_digit(digits[:-1]) == digits[-1]
    assert identity_document(rng, "MX", 1985) is None


def test_argentine_dnis_follow_the_birth_year_and_foreigners_get_the_90_millions() -> None:
    rng = random.Random(8)
    older = int(re.sub(r"\D", "", identity_document(rng, "AR", 1960) or ""))
    younger = int(re.sub(r"\D", "", identity_document(rng, "AR", 2000) or ""))
    assert 9_000_000 < older < 16_000_000
    assert 40_000_000 < younger < 46_000_000
    foreign = int(re.sub(r"\D", "", identity_document(rng, "AR", 1990, born_abroad=True) or ""))
    assert 92_000_000 <= foreign <= 96_999_999
