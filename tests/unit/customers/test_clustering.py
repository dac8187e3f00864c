"""Batch resolution on a small hand-made Latin American set."""

from __future__ import annotations

import pytest

from mostrador.customers import clustering
from mostrador.customers.build import build_record
from mostrador.customers.clustering import blocking_keys, phonetic, resolve_records
from mostrador.customers.records import IdentityRecord, Key, RawRecord
from mostrador.customers.scoring import (
    agrees_beyond_names,
    prepare,
    score_pair,
    score_profiles,
    worth_suggesting,
)


def records(*lines: dict[str, str]) -> list[IdentityRecord]:
    built = []
    for line in lines:
        record, _ = build_record(RawRecord(**line), "AR")
        assert record is not None
        built.append(record)
    return built


def groups(cluster_of: dict[str, str]) -> list[list[str]]:
    members: dict[str, list[str]] = {}
    for record_id, cluster in sorted(cluster_of.items()):
        members.setdefault(cluster, []).append(record_id)
    return sorted(members.values())


def test_one_person_across_whatsapp_counter_and_web() -> None:
    resolution = resolve_records(
        records(
            {"record_id": "w1", "source": "whatsapp", "name": "Mari", "phone": "5491155551234"},
            {
                "record_id": "s1",
                "source": "store",
                "name": "GONZALEZ, MARIA",
                "phone": "011 15-5555-1234",
            },
            {
                "record_id": "web1",
                "source": "web",
                "name": "María González",
                "phone": "+54 9 11 5555-1234",
                "email": "maria.gonzalez@gmail.com",
            },
            {
                "record_id": "web2",
                "source": "web",
                "name": "María González Pérez",
                "email": "MariaGonzalez@gmail.com",
            },
        )
    )
    assert groups(resolution.cluster_of) == [["s1", "w1", "web1", "web2"]]
    assert set(resolution.cluster_of.values()) == {"s1"}  # the smallest record id names it
    assert resolution.suggestions == []


def test_a_family_whatsapp_number_keeps_two_people_apart() -> None:
    resolution = resolve_records(
        records(
            {
                "record_id": "1",
                "name": "Juan Pérez",
                "phone": "011 15-4444-1234",
                "birth_date": "1950-03-04",
            },
            {
                "record_id": "2",
                "name": "María Pérez",
                "phone": "+5491144441234",
                "birth_date": "1982-07-09",
            },
            {"record_id": "3", "source": "whatsapp", "phone": "5491144441234"},
        )
    )
    assert groups(resolution.cluster_of) == [["1"], ["2"], ["3"]]
    assert resolution.shared_keys == frozenset({Key("phone", "+5491144441234")})


def test_a_company_inbox_used_by_three_people_is_not_a_key() -> None:
    resolution = resolve_records(
        records(
            {"record_id": "a", "name": "Ana Díaz", "email": "ventas@empresa.com"},
            {"record_id": "b", "name": "Pedro Ruiz", "email": "ventas@empresa.com"},
            {"record_id": "c", "name": "Lucía Sosa", "email": "ventas@empresa.com"},
            {"record_id": "d", "email": "ventas@empresa.com"},
        )
    )
    assert groups(resolution.cluster_of) == [["a"], ["b"], ["c"], ["d"]]
    assert resolution.shared_keys == frozenset({Key("email", "ventas@empresa.com")})


def test_namesakes_with_different_documents_are_never_merged() -> None:
    resolution = resolve_records(
        records(
            {
                "record_id": "1",
                "name": "Juan Pérez",
                "document": "30.123.456",
                "city": "Rosario",
                "birth_date": "1980-01-02",
            },
            {
                "record_id": "2",
                "name": "Juan Pérez",
                "document": "31.999.888",
                "city": "Rosario",
                "birth_date": "1980-01-02",
            },
        )
    )
    assert groups(resolution.cluster_of) == [["1"], ["2"]]
    assert resolution.suggestions == []


def test_conflicting_documents_block_a_chain_through_a_shared_phone() -> None:
    resolution = resolve_records(
        records(
            {
                "record_id": "1",
                "name": "Juan Pérez",
                "phone": "3415551234",
                "document": "30.123.456",
            },
            {"record_id": "2", "name": "Juan Pérez", "phone": "3415551234"},
            {
                "record_id": "3",
                "name": "Juan Pérez",
                "phone": "3415551234",
                "document": "31.999.888",
            },
        )
    )
    clusters = groups(resolution.cluster_of)
    assert ["1", "3"] not in clusters
    assert len(clusters) == 2
    assert resolution.refused_merges == 1


def test_between_thresholds_is_a_suggestion() -> None:
    resolution = resolve_records(
        records(
            {"record_id": "1", "name": "Jimena Ríos", "phone": "11 5555-9876", "city": "Tigre"},
            {"record_id": "2", "source": "whatsapp", "phone": "5491155559876"},
        )
    )
    assert groups(resolution.cluster_of) == [["1"], ["2"]]
    assert resolution.suggestions == [("1", "2", 10.3)]


def test_blocking_keys_ignore_order_and_accents() -> None:
    a, b = records(
        {"record_id": "1", "name": "González, María", "birth_date": "1985-04-23"},
        {"record_id": "2", "name": "MARIA GONZALEZ", "birth_date": "23/04/1985"},
    )
    assert blocking_keys(a) == blocking_keys(b)
    assert "n:gonzalez|maria" in blocking_keys(a)
    assert "nb:maria|1985-04-23" in blocking_keys(a)
    assert phonetic("Gonzales") == phonetic("González")


def test_forked_hashing_and_scoring_give_the_same_resolution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a set small enough for one process, when the blocking keys are hashed and the
    # pairs scored in forked processes anyway, then the resolution is the same.
    people = records(
        {"record_id": "w1", "source": "whatsapp", "name": "Mari", "phone": "5491155551234"},
        {"record_id": "s1", "name": "GONZALEZ, MARIA", "phone": "011 15-5555-1234"},
        {"record_id": "s2", "name": "María González", "birth_date": "1985-04-23"},
        {"record_id": "s3", "name": "Maria Gonzales", "birth_date": "23/04/1985"},
        {"record_id": "j1", "name": "Jimena Ríos", "phone": "11 5555-9876", "city": "Tigre"},
        {"record_id": "j2", "source": "whatsapp", "phone": "5491155559876"},
    )
    alone = resolve_records(people)
    monkeypatch.setattr(clustering, "_MIN_ASIDE", 1)
    monkeypatch.setattr(clustering, "_MIN_PAIRS_PER_WORKER", 1)
    forked = resolve_records(people, workers=2)
    assert (forked.cluster_of, forked.suggestions) == (alone.cluster_of, alone.suggestions)
    assert forked.pairs_scored == alone.pairs_scored > 0
    assert clustering._SHARED_ITEMS == []


def test_a_namesake_with_nothing_else_in_common_is_not_suggested() -> None:
    namesakes = records(
        {"record_id": "1", "name": "Florencia Bustamante", "phone": "11 4555-1234"},
        {"record_id": "2", "name": "Florencia Bustamante", "email": "flor.b@gmail.com"},
    )
    assert score_pair(*namesakes).total == 8.0  # above SUGGEST on the name alone
    resolution = resolve_records(namesakes)
    assert groups(resolution.cluster_of) == [["1"], ["2"]]
    assert resolution.suggestions == []
    same_town = records(
        {
            "record_id": "3",
            "name": "Florencia Bustamante",
            "phone": "11 4555-1234",
            "city": "Tigre",
        },
        {
            "record_id": "4",
            "name": "Florencia Bustamante",
            "email": "flor.b@gmail.com",
            "city": "Tigre",
        },
    )
    assert resolve_records(same_town).suggestions == [("3", "4", 9.3)]


def test_the_batch_rule_for_suggestions_is_the_real_time_rule() -> None:
    fields = (
        {"name": "Ana Paz"},
        {"name": "ANA PAZ", "city": "Tigre"},
        {"name": "Paz, Ana", "phone": "11 4555-1234"},
        {"name": "Ana Paz", "phone": "+54 9 11 4555-1234", "email": "anapaz@gmial.com"},
        {"name": "Ana María Paz", "email": "anapaz@gmail.com", "birth_date": "1990-02-03"},
        {"name": "Ana Paz", "handle": "@anapaz", "document": "30.123.456"},
        {"name": "A. Paz", "document": "30123456", "address": "Mitre 123", "city": "Tigre"},
        {"name": "Ana Pazos", "birth_date": "03/02/1990", "postcode": "1648"},
    )
    built = records(*({"record_id": str(n), **f} for n, f in enumerate(fields)))
    profiles = [prepare(r) for r in built]
    checked = 0
    for a in profiles:
        for b in profiles:
            for shared in (frozenset(), frozenset({Key("phone", "+541145551234")})):
                expected = worth_suggesting(score_profiles(a, b, shared))
                assert agrees_beyond_names(a, b, shared) is expected
                checked += expected
    assert checked == 34  # of 128: both answers occur
