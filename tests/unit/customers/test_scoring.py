"""Scores explain themselves; conflicting documents block whatever the total."""

from __future__ import annotations

from datetime import date

from mostrador.customers.records import IdentityRecord, Key
from mostrador.customers.scoring import (
    AUTO_MERGE,
    SUGGEST,
    WEIGHTS,
    prepare,
    score_pair,
    score_profiles,
    score_total,
)


def person(record_id: str, *tokens: str, **fields: object) -> IdentityRecord:
    return IdentityRecord(record_id=record_id, name_tokens=tokens, **fields)  # type: ignore[arg-type]


PHONE = Key("phone", "+5491155551234")


def test_thresholds_put_precision_first() -> None:
    assert (SUGGEST, AUTO_MERGE) == (6.0, 12.0)


def test_a_nickname_and_a_shared_phone_with_an_explanation_per_field() -> None:
    a = person("a", "pepe", "perez", keys=(PHONE,), birth_date=date(1980, 1, 2))
    b = person("b", "jose", "perez", keys=(PHONE,), birth_date=date(1980, 2, 1))
    score = score_pair(a, b)
    assert score.explanation == (
        ("name", "nickname", 6.6),
        ("phone", "agree", 13.1),
        ("birth_date", "close", 4.1),
    )
    assert score.total == 23.8
    assert score.blocked_reason is None
    assert score.verdict == "merge"


def test_a_phone_alone_merges_but_not_against_a_different_person() -> None:
    alone = score_pair(person("a", keys=(PHONE,)), person("b", "ana", "paz", keys=(PHONE,)))
    assert alone.explanation == (("phone", "agree", 13.1),)
    assert alone.verdict == "merge"
    family = score_pair(
        person("a", "juan", "perez", keys=(PHONE,), birth_date=date(1950, 3, 4)),
        person("b", "maria", "perez", keys=(PHONE,), birth_date=date(1982, 7, 9)),
    )
    assert family.explanation == (
        ("name", "one-differs", -3.1),
        ("phone", "agree", 13.1),
        ("birth_date", "disagree", -5.0),
    )
    assert family.verdict == "distinct"


def test_a_shared_identifier_weighs_little() -> None:
    score = score_pair(
        person("a", "ana", keys=(PHONE,)), person("b", keys=(PHONE,)), shared_keys={PHONE}
    )
    assert score.explanation == (("phone", "agree-shared", 5.0),)
    assert score.verdict == "distinct"


def test_two_different_valid_documents_block_the_merge() -> None:
    score = score_pair(
        person("a", "juan", "perez", keys=(PHONE, Key("document", "AR:DNI:30123456"))),
        person("b", "juan", "perez", keys=(PHONE, Key("document", "AR:DNI:31999888"))),
    )
    assert score.blocked_reason == "different AR:DNI documents"
    assert score.total >= AUTO_MERGE
    assert score.verdict == "distinct"


def test_weak_documents_typos_aliases_and_location() -> None:
    a = person(
        "a",
        "maria",
        "gonzalez",
        weak_documents=("1804974",),
        email_locals=("mariagonzalez",),
        keys=(Key("email", "mariagonzalez@gmail.com"),),
        city="cordoba",
        postcode="5000",
        address="av colon 1234",
    )
    b = person(
        "b",
        "maria",
        "gonzalez",
        "perez",
        weak_documents=("1809474",),
        email_typos=("mariagonzalez@gmail.com",),
        keys=(Key("instagram", "maria.gonzalez"),),
        city="cordoba",
        postcode="5000",
        address="colon 1234",
    )
    score = score_pair(a, b)
    assert score.explanation == (
        ("name", "partial", 5.5),
        ("email", "typo", 9.0),
        ("document", "close", 5.1),
        ("alias", "same", 3.3),
        ("location", "same-address", 9.0),
    )


def test_every_level_has_a_weight_in_bits() -> None:
    assert WEIGHTS["name"] == {
        "exact": 8.0,
        "nickname": 6.6,
        "partial": 5.5,
        "fuzzy-high": 6.0,
        "fuzzy-low": 2.0,
        "single": 2.0,
        "one-differs": -3.1,
        "different": -4.2,
    }
    assert WEIGHTS["document"]["agree"] == 16.0


def test_the_total_without_explanation_is_the_same_float() -> None:
    # Given pairs that exercise every field, when only the total is computed (the batch's
    # path), then it is exactly the explained score's total, shared keys included.
    a = person(
        "a",
        "maria",
        "gonzalez",
        keys=(PHONE, Key("email", "maria@x.com"), Key("document", "AR:DNI:30123456")),
        birth_date=date(1980, 1, 2),
        city="cordoba",
        postcode="5000",
    )
    b = person("b", "mari", "gonzalez", "paz", keys=(PHONE,), phone_variants=("+541155551234",))
    c = person("c", "juan", "gonzalez", email_locals=("mariagonzalez",), city="cordova")
    d = person("d", keys=(Key("document", "AR:DNI:30123457"),), birth_date=date(1980, 2, 1))
    records = [prepare(r) for r in (a, b, c, d)]
    for shared in (frozenset(), frozenset({PHONE})):
        for x in records:
            for y in records:
                assert score_total(x, y, shared) == score_profiles(x, y, shared).total
