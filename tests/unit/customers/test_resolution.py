"""Real-time decisions: attach, create, or create and suggest."""

from __future__ import annotations

from mostrador.customers.build import build_record
from mostrador.customers.records import IdentityRecord, Key, RawRecord
from mostrador.customers.resolution import Candidate, blocking_keys, decide, lookup_keys
from mostrador.customers.scoring import score_pair


def record(**fields: str) -> IdentityRecord:
    built, _ = build_record(RawRecord(record_id=fields.pop("record_id", "new"), **fields), "AR")
    assert built is not None
    return built


MARIA = record(
    record_id="c1", name="María González", phone="011 15-5555-1234", email="mg@gmail.com"
)


def test_a_known_phone_attaches_to_its_customer() -> None:
    incoming = record(source="whatsapp", name="Mari", phone="5491155551234")
    decision = decide(incoming, [Candidate("cust-1", MARIA)])
    assert decision.action == "attach"
    assert decision.customer_id == "cust-1"
    assert decision.score == score_pair(incoming, MARIA)
    assert decision.suggestions == []


def test_nobody_found_creates() -> None:
    decision = decide(record(name="Pedro Ruiz"), [])
    assert (decision.action, decision.customer_id, decision.score, decision.suggestions) == (
        "create",
        None,
        None,
        [],
    )


def test_a_shared_phone_does_not_attach_on_its_own() -> None:
    incoming = record(source="whatsapp", phone="5491155551234")
    phone = Key("phone", "+5491155551234")
    decision = decide(incoming, [Candidate("cust-1", MARIA, shared_keys=frozenset({phone}))])
    assert decision.action == "create"


def test_between_thresholds_suggests_and_a_rejected_pair_is_never_suggested_again() -> None:
    incoming = record(name="María González", phone="11 5555-1234")
    decision = decide(incoming, [Candidate("cust-1", MARIA)])
    assert decision.action == "attach"  # name and the phone read with its 9
    weaker = record(phone="11 5555-1234")
    decision = decide(weaker, [Candidate("cust-1", MARIA)])
    assert decision.action == "suggest"
    assert [(c, s.total) for c, s in decision.suggestions] == [("cust-1", 10.3)]
    rejected = decide(weaker, [Candidate("cust-1", MARIA, rejected=True)])
    assert rejected.action == "create"
    assert rejected.suggestions == []


def test_conflicting_documents_never_attach() -> None:
    stored = record(record_id="c2", name="Juan Pérez", phone="3415551234", document="30.123.456")
    incoming = record(name="Juan Pérez", phone="3415551234", document="31.999.888")
    assert decide(incoming, [Candidate("cust-2", stored)]).action == "create"


def test_the_strongest_of_several_wins_and_the_others_are_suggested() -> None:
    other = record(record_id="c3", name="María González", email="mg@gmail.com")
    incoming = record(name="María González", phone="011 15-5555-1234", email="mg@gmail.com")
    decision = decide(incoming, [Candidate("cust-3", other), Candidate("cust-1", MARIA)])
    assert decision.action == "attach"
    assert decision.customer_id == "cust-1"
    assert [c for c, _ in decision.suggestions] == ["cust-3"]


def test_lookup_and_blocking_keys() -> None:
    incoming = record(name="María González", phone="11 5555-1234", email="mg@gmail.com")
    assert lookup_keys(incoming) == (
        Key("phone", "+541155551234"),
        Key("email", "mg@gmail.com"),
    )
    assert blocking_keys(incoming) == (
        "v:+541155551234",
        "v:+5491155551234",
        "e:mg@gmail.com",
        "n:gonzalez|maria",
        "s:gnsls|mr",
    )


def test_a_namesake_with_nothing_else_in_common_is_not_suggested() -> None:
    stored = record(record_id="c2", name="Carolina Morales", email="carolina.morales@gmail.com")
    incoming = record(name="Carolina Morales", email="carolina.morales@hotmail.com")
    score = score_pair(incoming, stored)
    assert score.total >= 6  # the names alone pass the suggestion threshold...
    assert {e.field for e in score.explanation if e.weight > 0} <= {"name", "alias"}
    assert decide(incoming, [Candidate("cust-2", stored)]).action == "create"  # ...but not alone
    same_city = record(name="Carolina Morales", city="Rosario", postcode="2000")
    stored_city = record(record_id="c3", name="Carolina Morales", city="Rosario", postcode="2000")
    in_town = decide(same_city, [Candidate("cust-3", stored_city)])
    assert score_pair(same_city, stored_city).total >= 12  # enough bits to merge...
    # ...but a namesake in the same town would have them too: proposed, not attached.
    assert [(in_town.action, c) for c, _ in in_town.suggestions] == [("suggest", "cust-3")]
