"""Input lines become comparable records: keys when valid, weak signals when almost."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from mostrador.customers.build import (
    build_record,
    parse_birth_date,
    record_from_contact,
    record_from_stored,
)
from mostrador.customers.normalize import normalize
from mostrador.customers.records import Key, RawRecord
from mostrador.customers.scoring import score_pair


def test_every_field_is_normalized() -> None:
    record, problems = build_record(
        RawRecord(
            record_id="1",
            source="Store",
            name="González, María",
            phone="011 15-5555-1234",
            email="Maria.Gonzalez+promo@GMAIL.com",
            handle="@Maria.G",
            document="30.123.456",
            city="Córdoba",
            address="Av. Colón 1234",
            postcode="x5000 abc",
            birth_date="23/04/1985",
        ),
        "AR",
    )
    assert problems == []
    assert record is not None
    assert record.name_tokens == ("maria", "gonzalez")
    assert record.keys == (
        Key("phone", "+5491155551234"),
        Key("email", "mariagonzalez@gmail.com"),
        Key("instagram", "maria.g"),
        Key("document", "AR:DNI:30123456"),
    )
    assert record.email_locals == ("mariagonzalez",)
    assert record.source == "store"
    assert record.country == "AR"
    assert record.city == "cordoba"
    assert record.address == "av colon 1234"
    assert record.postcode == "X5000ABC"
    assert record.birth_date == date(1985, 4, 23)


def test_whatsapp_ids_and_telegram_handles_by_source() -> None:
    record, _ = build_record(
        RawRecord(record_id="2", source="whatsapp", phone="5491155551234", name="Mari"), "AR"
    )
    assert record is not None
    assert record.keys == (Key("phone", "+5491155551234"),)
    record, _ = build_record(RawRecord(record_id="3", source="telegram", handle="@mari_g"), "AR")
    assert record is not None
    assert record.keys == (Key("telegram", "mari_g"),)


def test_an_argentine_mobile_without_its_9_keeps_the_mobile_reading_as_a_variant() -> None:
    record, _ = build_record(RawRecord(record_id="4", phone="11 5555-1234"), "AR")
    assert record is not None
    assert record.keys == (Key("phone", "+541155551234"),)
    assert record.phone_variants == ("+5491155551234",)


def test_placeholders_are_not_keys_and_are_reported() -> None:
    record, problems = build_record(
        RawRecord(record_id="5", name="Ana Paz", email="test@test.com", document="0000000"), "AR"
    )
    assert record is not None
    assert record.keys == ()
    assert problems == [
        "email 'test@test.com' is a placeholder, not used",
        "document '0000000' is not a document number",
    ]


def test_a_mistyped_domain_is_a_signal_not_a_key_correction() -> None:
    record, _ = build_record(RawRecord(record_id="6", email="ana.paz@gmial.com"), "AR")
    assert record is not None
    assert record.keys == (Key("email", "ana.paz@gmial.com"),)
    assert record.email_typos == ("anapaz@gmail.com",)


def test_an_invalid_or_unknown_document_is_weak() -> None:
    record, problems = build_record(RawRecord(record_id="7", document="111.444.777-00"), "BR")
    assert record is not None
    assert record.keys == ()
    assert record.weak_documents == ("11144477700",)
    assert problems == ["document '111.444.777-00' is not valid, kept as a weak signal"]
    record, problems = build_record(RawRecord(record_id="8", document="1804974"), "AU")
    assert record is not None
    assert record.weak_documents == ("1804974",)
    assert problems == []


def test_a_line_with_nothing_usable_is_rejected_with_the_reason() -> None:
    record, problems = build_record(
        RawRecord(record_id="9", phone="12", city="Rosario", birth_date="1990-02-30"), "AR"
    )
    assert record is None
    assert problems == [
        "phone '12' is not a valid number",
        "birth date '1990-02-30' is not a date",
        "no usable name or identifier",
    ]


def test_birth_dates_in_the_three_usual_forms() -> None:
    assert parse_birth_date("1985-04-23") == date(1985, 4, 23)
    assert parse_birth_date("19850423") == date(1985, 4, 23)
    assert parse_birth_date("23/04/1985") == date(1985, 4, 23)
    assert parse_birth_date("04/23/1985") is None
    assert parse_birth_date("1850-01-01") is None
    assert parse_birth_date("ayer") is None


@dataclass(frozen=True)
class _Identifier:
    kind: str
    value: str


@dataclass(frozen=True)
class _Stored:
    kind: str
    raw_value: str
    normalized_value: str | None


@dataclass(frozen=True)
class _Contact:
    name: str
    identifiers: tuple[_Identifier, ...]
    source_channel: str = "import"
    country: str | None = "AR"
    city: str = "Rosario"
    address: str = ""
    postcode: str = ""
    birth_date: date | None = None


_IDENTIFIERS = (
    _Identifier("phone", "11 5555-1234"),  # AR landline reading, mobile variant
    _Identifier("phone", "+54 9 351 555-6677"),  # AR mobile, landline variant
    _Identifier("whatsapp_id", "5493415557788"),  # a WhatsApp id: no variant
    _Identifier("phone", "+52 1 55 1234 5678"),  # MX legacy 1
    _Identifier("phone", "15-5555-1234"),  # no area code: stored without a key
    _Identifier("email", "Ana.Paz@gmial.com"),  # a typo signal
    _Identifier("email", "ana.paz+promo@gmail.com"),
    _Identifier("document", "30.123.456"),
    _Identifier("instagram", "@ana.paz"),
)


def test_a_stored_person_is_read_from_stored_keys_as_from_raw_values() -> None:
    contact = _Contact(name="Ana Paz", identifiers=_IDENTIFIERS)
    stored = [_Stored(i.kind, i.value, normalize(i.kind, i.value, "AR")) for i in _IDENTIFIERS]
    assert stored[4].normalized_value is None
    from_raw = record_from_contact("c1", contact, "AR")
    from_keys = record_from_stored("c1", _Contact(name="Ana Paz", identifiers=()), stored, "AR")
    assert replace(from_keys, phone_variants=()) == replace(from_raw, phone_variants=())
    assert from_raw.phone_variants == ("+5491155551234", "+543515556677")
    # The unchecked readings: the same ones, and an invalid reading could never match a key.
    assert from_keys.phone_variants == ("+5491155551234", "+543515556677")


def test_an_unchecked_reading_that_is_not_a_number_agrees_with_nothing() -> None:
    # 0800 numbers have no mobile reading: the checked variants drop "+5498005362360".
    raw = "0800 536 2360"
    stored = [_Stored("phone", raw, "+548005362360")]
    from_keys = record_from_stored("s", _Contact(name="Ana Paz", identifiers=()), stored, "AR")
    from_raw = record_from_contact(
        "s", _Contact(name="Ana Paz", identifiers=(_Identifier("phone", raw),)), "AR"
    )
    assert from_raw.phone_variants == ()
    assert from_keys.phone_variants == ("+5498005362360",)
    for typed in ("0800-536-2360", "+54 9 11 5555-1234", "+5498005362360"):
        incoming = record_from_contact(
            "i", _Contact(name="Ana Paz", identifiers=(_Identifier("phone", typed),)), "AR"
        )
        assert score_pair(from_keys, incoming) == score_pair(from_raw, incoming)
