"""Phones: one line, one key, however it was written (and the Argentine, Mexican and
Brazilian habits libphonenumber does not know)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mostrador.customers.phones import (
    normalize_phone,
    normalize_whatsapp_id,
    phone_variants,
    whatsapp_form,
)

AR_MOBILE = "+5491155551234"
AR_LANDLINE_READING = "+541155551234"


@pytest.mark.parametrize(
    "raw",
    [
        "+54 9 11 5555-1234",
        "+5491155551234",
        "5491155551234",
        "011 15-5555-1234",
        "(011) 15 5555 1234",
        "11 15 5555-1234",
        "0111555551234",
        "0054 9 11 5555 1234",
        "+54 11 15 5555 1234",
        "+54 9 11 15 5555 1234",  # both mobile marks at once
        "tel: 011 15-5555-1234",
    ],
)
def test_an_argentine_mobile_written_with_its_9_or_its_15_is_keyed_with_the_9(raw: str) -> None:
    assert normalize_phone(raw, "AR") == AR_MOBILE


def test_an_argentine_mobile_outside_buenos_aires_keeps_its_area() -> None:
    assert normalize_phone("0351 15-512-3456", "AR") == "+5493515123456"
    assert normalize_phone("(0223) 15 512-3456", "AR") == "+5492235123456"
    assert normalize_phone("+54 9 351 512 3456", "AR") == "+5493515123456"


@pytest.mark.parametrize("raw", ["11 5555-1234", "1155551234", "+54 11 5555 1234", "541155551234"])
def test_an_argentine_number_without_9_or_15_reads_as_the_landline_it_looks_like(raw: str) -> None:
    # Given a number typed at a counter without the mobile marks, when it is keyed, then
    # it stays the landline libphonenumber reads, and the mobile is only a variant.
    assert normalize_phone(raw, "AR") == AR_LANDLINE_READING
    assert phone_variants(raw, "AR") == (AR_LANDLINE_READING, AR_MOBILE)


def test_an_argentine_landline_stays_a_landline() -> None:
    assert normalize_phone("0351 422-1234", "AR") == "+543514221234"
    assert normalize_phone("+54 351 422 1234", "UY") == "+543514221234"


def test_a_local_argentine_mobile_without_its_area_code_has_no_key() -> None:
    # "15-5555-1234" could be Buenos Aires, Córdoba or Rosario: guessing would merge strangers.
    assert normalize_phone("15-5555-1234", "AR") is None
    assert phone_variants("15-5555-1234", "AR") == ()
    assert normalize_phone("5555-1234", "AR") is None


def test_an_argentine_mobile_brings_its_landline_reading_as_a_variant() -> None:
    assert phone_variants("+54 9 11 5555-1234", "AR") == (AR_MOBILE, AR_LANDLINE_READING)
    assert phone_variants("011 15-5555-1234", "AR") == (AR_MOBILE, AR_LANDLINE_READING)


@pytest.mark.parametrize(
    "raw",
    ["+52 1 55 1234 5678", "+52 55 1234 5678", "5215512345678", "55 1234 5678", "(55) 1234-5678"],
)
def test_a_mexican_mobile_with_or_without_the_legacy_1_has_one_key(raw: str) -> None:
    assert normalize_phone(raw, "MX") == "+525512345678"
    assert phone_variants(raw, "MX") == ("+525512345678",)


def test_the_mexican_1_is_dropped_in_any_city() -> None:
    assert normalize_phone("+52 1 81 8765 4321", "MX") == "+528187654321"
    assert normalize_phone("+52 1 33 1234 5678", "AR") == "+523312345678"


@pytest.mark.parametrize(
    "raw", ["+55 11 8765-4321", "551187654321", "(11) 8765-4321", "(11) 98765-4321", "11987654321"]
)
def test_an_old_8_digit_brazilian_mobile_gets_its_9(raw: str) -> None:
    assert normalize_phone(raw, "BR") == "+5511987654321"


def test_a_brazilian_landline_is_not_given_a_9() -> None:
    assert normalize_phone("+55 11 3765-4321", "BR") == "+551137654321"
    assert normalize_phone("(11) 3765-4321", "BR") == "+551137654321"


def test_an_old_brazilian_mobile_in_a_former_nextel_range_gets_its_9_too() -> None:
    # libphonenumber still accepts +55 21 7765-4321 as it is; the line today has the 9.
    assert normalize_phone("+55 21 7765-4321", "BR") == "+5521977654321"


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("099 123 456", "UY", "+59899123456"),
        ("+598 99 123 456", "AR", "+59899123456"),
        ("9 8765 4321", "CL", "+56987654321"),
        ("987 654 321", "PE", "+51987654321"),
        ("300 123 4567", "CO", "+573001234567"),
        ("612 34 56 78", "ES", "+34612345678"),
        ("0034 612 345 678", "ES", "+34612345678"),
        ("+34 612 34 56 78", "", "+34612345678"),
    ],
)
def test_other_countries_are_plain_e164(raw: str, country: str, key: str) -> None:
    assert normalize_phone(raw, country) == key
    assert phone_variants(raw, country) == (key,)


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("", "AR"),
        ("abc", "AR"),
        ("123", "AR"),
        ("11 5555", "AR"),
        ("1155551234", ""),
        ("+54", "AR"),
    ],
)
def test_what_is_not_a_valid_number_has_no_key(raw: str, country: str) -> None:
    assert normalize_phone(raw, country) is None
    assert phone_variants(raw, country) == ()


@pytest.mark.parametrize(
    ("wa_id", "key"),
    [
        ("5491155551234", AR_MOBILE),
        ("541155551234", AR_MOBILE),  # WhatsApp only reaches mobiles: the 9 is missing
        ("5493515123456", "+5493515123456"),
        ("5215512345678", "+525512345678"),
        ("525512345678", "+525512345678"),
        ("551187654321", "+5511987654321"),
        ("5511987654321", "+5511987654321"),
        ("34612345678", "+34612345678"),
        ("+59899123456", "+59899123456"),
    ],
)
def test_a_whatsapp_id_is_keyed_like_the_phone_it_is(wa_id: str, key: str) -> None:
    assert normalize_whatsapp_id(wa_id) == key


@pytest.mark.parametrize("wa_id", ["", "abc", "54 9 11 5555 1234", "54911555512", "123"])
def test_a_whatsapp_id_that_is_not_a_number_has_no_key(wa_id: str) -> None:
    assert normalize_whatsapp_id(wa_id) is None


@pytest.mark.parametrize(
    ("key", "digits"),
    [
        (AR_MOBILE, "5491155551234"),
        (AR_LANDLINE_READING, "5491155551234"),  # on WhatsApp it can only be the mobile
        ("+525512345678", "525512345678"),
        ("+5215512345678", "525512345678"),
        ("+5511987654321", "5511987654321"),
        ("+34612345678", "34612345678"),
        ("+1", "1"),  # not a number: handed back as its digits
    ],
)
def test_whatsapp_form_is_what_whatsapp_expects_for_a_key(key: str, digits: str) -> None:
    assert whatsapp_form(key) == digits


# --- properties -------------------------------------------------------------------------

AR_AREAS = ("11", "351", "341", "221", "223", "261", "381", "2966")


@st.composite
def argentine_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(AR_AREAS))
    lead = draw(st.sampled_from("23456789"))
    rest = draw(st.text("0123456789", min_size=9 - len(area), max_size=9 - len(area)))
    local = lead + rest
    number = phonenumbers.parse(f"+549{area}{local}", None)
    assume(phonenumbers.is_valid_number(number))
    return area, local


@given(argentine_mobiles())
def test_every_rendering_of_an_argentine_mobile_has_the_same_key(mobile: tuple[str, str]) -> None:
    area, local = mobile
    key = f"+549{area}{local}"
    renderings = [
        f"+54 9 {area} {local[:-4]}-{local[-4:]}",
        f"0{area} 15-{local[:-4]}-{local[-4:]}",
        f"(0{area}) 15 {local}",
        f"{area} 15 {local}",
        f"0{area}15{local}",
        f"549{area}{local}",
        f"+54 9 {area} 15 {local}",
    ]
    assert {normalize_phone(raw, "AR") for raw in renderings} == {key}
    assert normalize_whatsapp_id(f"549{area}{local}") == key
    assert normalize_whatsapp_id(f"54{area}{local}") == key
    assert key in phone_variants(f"{area} {local}", "AR")


@given(argentine_mobiles(), st.sampled_from(["AR", "BR", "MX", "ES", ""]))
def test_a_key_is_its_own_key(mobile: tuple[str, str], country: str) -> None:
    area, local = mobile
    for key in (f"+549{area}{local}", f"+54{area}{local}"):
        assert normalize_phone(key, "AR") == key
        assert normalize_phone(key, country) == key
        assert phone_variants(key, "AR")[0] == key


@given(
    st.sampled_from(["11", "21", "31", "41", "51", "61", "71", "81"]),
    st.integers(6000_0000, 9999_9999),
)
def test_a_brazilian_mobile_key_survives_the_round_trip_through_whatsapp(
    area: str, subscriber: int
) -> None:
    key = normalize_phone(f"+55 {area} 9{subscriber:08d}", "BR")
    assume(key is not None)
    assert key is not None
    assert normalize_phone(key, "BR") == key
    assert normalize_whatsapp_id(whatsapp_form(key)) == key
    assert normalize_whatsapp_id(whatsapp_form(key)[:4] + whatsapp_form(key)[5:]) == key
