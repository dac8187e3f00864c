"""Real-time identity resolution, merge and un-merge, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.core.errors import Conflict
from mostrador.core.ids import WorkspaceId
from mostrador.customers import (
    ContactInput,
    Customer,
    CustomerIdentifier,
    IdentifierInput,
    actions,
    person_document,
    queries,
)
from mostrador.customers.models import MergeSuggestion
from tests.support.customers import bring_in, contact, customer_id
from tests.support.factories import make_workspace
from tests.support.tenancy import assert_unchanged, snapshot


def people(runtime: Runtime) -> int:
    with runtime.uow.read() as session:
        return queries.count_customers(
            session, session.execute(select(Customer.workspace_id)).scalars().first()
        )  # type: ignore[arg-type]


def test_the_same_mobile_written_three_ways_is_one_customer(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    first = bring_in(
        runtime, ws, contact("María González", "whatsapp", whatsapp_id="5491155551234")
    )
    counter = bring_in(runtime, ws, contact("MARIA GONZALEZ", "store", phone="011 15-5555-1234"))
    web = bring_in(
        runtime,
        ws,
        contact(
            "González, María", "web", phone="+54 9 11 5555-1234", email="Maria.Gonzalez@gmail.com"
        ),
    )

    assert first.outcome == "created"
    assert (counter.outcome, counter.customer_id) == ("attached", first.customer_id)
    assert (web.outcome, web.customer_id) == ("attached", first.customer_id)
    with runtime.uow.read() as session:
        kinds = sorted(
            (i.kind, i.normalized_value, i.source_channel)
            for i in queries.identifiers(session, WorkspaceId(ws.id), [first.customer_id])
        )
    # The web shop's phone is the one already known from the counter: seen again, not stored twice.
    assert kinds == [
        ("email", "mariagonzalez@gmail.com", "web"),
        ("phone", "+5491155551234", "store"),
        ("whatsapp_id", "+5491155551234", "whatsapp"),
    ]


def test_a_family_phone_is_only_suggested_and_once_rejected_stops_linking(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    wsid = WorkspaceId(ws.id)
    mother = bring_in(
        runtime,
        ws,
        contact(
            "Laura Fernández",
            "whatsapp",
            whatsapp_id="5493515550101",
            email="laura.fernandez@hotmail.com",
        ),
    )
    son = bring_in(
        runtime,
        ws,
        contact("Tomás Benítez", "store", phone="0351 15-555-0101", email="tomi.benitez@gmail.com"),
    )

    assert son.customer_id != mother.customer_id
    assert son.outcome == "suggested"
    (suggestion_id,) = son.suggestion_ids
    actions.reject_suggestion(runtime.uow, wsid, suggestion_id, actor="user:agent")

    with runtime.uow.read() as session:
        shared = session.execute(
            select(CustomerIdentifier.customer_id, CustomerIdentifier.shared).where(
                CustomerIdentifier.normalized_value == "+5493515550101"
            )
        ).all()
    assert sorted((str(c), s) for c, s in shared) == sorted(
        [(str(mother.customer_id), True), (str(son.customer_id), True)]
    )
    grandma = bring_in(
        runtime, ws, contact("Elsa Quiroga", "whatsapp", whatsapp_id="5493515550101")
    )
    assert (grandma.outcome, grandma.suggestion_ids) == ("created", ())


def test_namesakes_with_different_documents_are_never_merged(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    a = customer_id(runtime, ws, contact("Juan Pérez", "store", document="20.123.456"))
    b = customer_id(runtime, ws, contact("Juan Pérez", "web", document="31.987.654"))
    assert a != b
    before = snapshot(runtime.engine)
    with pytest.raises(Conflict) as err:
        actions.merge_customers(runtime.uow, WorkspaceId(ws.id), a, b)
    assert err.value.code == "conflicting_documents"
    assert_unchanged(runtime.engine, before)


def test_merge_keeps_everything_and_unmerge_restores_both_exactly(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    wsid = WorkspaceId(ws.id)
    store = customer_id(runtime, ws, contact("Carla Ruiz", "store", phone="011 4555-0000"))
    insta = customer_id(runtime, ws, contact("carli.ruiz", "instagram", instagram="@carli.ruiz"))
    actions.record_consent(
        runtime.uow,
        wsid,
        insta,
        purpose="marketing",
        channel="instagram",
        granted=True,
        source="instagram",
    )
    with runtime.uow.read() as session:
        before_store = person_document(session, wsid, store)
        before_insta = person_document(session, wsid, insta)

    merge = actions.merge_customers(runtime.uow, wsid, store, insta, actor="user:test")
    with runtime.uow.read() as session:
        merged_view = person_document(session, wsid, queries.canonical_id(session, wsid, insta))
        assert queries.count_customers(session, wsid) == 1
    assert merged_view["id"] == str(store)
    assert [p["id"] for p in merged_view["merged_profiles"]] == [str(insta)]
    assert sorted(i["kind"] for i in merged_view["identifiers"]) == ["instagram", "phone"]
    assert merged_view["consents"]["effective"] == [
        {"purpose": "marketing", "channel": "instagram", "granted": True}
    ]
    assert [m["reason"] for m in merged_view["merges"]] == ["manual"]

    actions.unmerge_customers(runtime.uow, wsid, merge.id, actor="user:test")
    with runtime.uow.read() as session:
        after_store = person_document(session, wsid, store)
        after_insta = person_document(session, wsid, insta)
        assert queries.count_customers(session, wsid) == 2
        assert queries.pair_rejected(session, wsid, store, insta) is True

    def comparable(doc: dict[str, object]) -> dict[str, object]:
        skip = ("timeline", "merges", "updated_at", "merge_suggestions")
        return {k: v for k, v in doc.items() if k not in skip}

    assert comparable(after_store) == comparable(before_store)
    assert comparable(after_insta) == comparable(before_insta)
    with pytest.raises(Conflict) as err:
        actions.unmerge_customers(runtime.uow, wsid, merge.id)
    assert err.value.code == "merge_already_undone"


def test_suggestions_are_decided_once_and_rejections_remembered(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    wsid = WorkspaceId(ws.id)
    a = customer_id(
        runtime, ws, contact("Ana Belén Torres", "store", email="anabelen.torres@gmail.com")
    )
    b = customer_id(runtime, ws, contact("Ana Torres", "web", email="ana.torres.b@outlook.com"))
    with runtime.uow.transaction(wsid) as tx:
        from mostrador.customers.merging import suggest_in

        row = suggest_in(tx, wsid, a, b, score=7.5, explanation=[["name", "partial", 4.0]])
        assert row is not None
        suggestion_id = row.id

    rejected = actions.reject_suggestion(runtime.uow, wsid, suggestion_id, actor="user:x")
    assert rejected.status == "rejected"
    with runtime.uow.transaction(wsid) as tx:
        from mostrador.customers.merging import suggest_in

        assert suggest_in(tx, wsid, b, a, score=9.0, explanation=[]) is None
    with pytest.raises(Conflict) as err:
        actions.accept_suggestion(runtime.uow, wsid, suggestion_id)
    assert err.value.code == "suggestion_decided"
    with runtime.uow.read() as session:
        assert session.execute(select(func.count()).select_from(MergeSuggestion)).scalar_one() == 1


def test_the_same_new_phone_arriving_at_once_makes_one_customer(runtime: Runtime) -> None:
    """Sixteen first messages from one new number race: they all land on one profile."""
    ws = make_workspace(runtime)
    workspace_id = WorkspaceId(ws.id)
    start = threading.Barrier(16)
    found: list[uuid.UUID] = []

    def write() -> None:
        contact = ContactInput(
            name="Ana Paz",
            identifiers=[IdentifierInput(kind="whatsapp_id", value="5491155557777")],
            source_channel="whatsapp",
        )
        start.wait(10)
        found.append(actions.register_contact(runtime.uow, workspace_id, contact).customer_id)

    threads = [threading.Thread(target=write) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(found) == 16
    assert len(set(found)) == 1
    with runtime.uow.read() as session:
        assert session.execute(select(func.count()).select_from(Customer)).scalar_one() == 1


def test_a_contact_finds_the_person_through_a_chain_of_merges(runtime: Runtime) -> None:
    """C was merged into B, then B into A: C's phone still reaches A, with every identifier."""
    ws = make_workspace(runtime)
    workspace_id = WorkspaceId(ws.id)
    a = customer_id(runtime, ws, contact("Ana Paz", email="ana.paz@example.com"))
    b = customer_id(runtime, ws, contact("Ana Paz", instagram="ana.paz.ok"))
    c = customer_id(runtime, ws, contact("Ana Paz", phone="+5491155550009"))
    actions.merge_customers(runtime.uow, workspace_id, b, c)
    actions.merge_customers(runtime.uow, workspace_id, a, b)
    again = bring_in(runtime, ws, contact("Ana Paz", channel="whatsapp", phone="011 15 5555-0009"))
    assert (again.outcome, again.customer_id) == ("attached", a)
    with runtime.uow.read() as session:
        kinds = sorted(
            i.kind
            for i in queries.identifiers(
                session, workspace_id, queries.group_ids(session, workspace_id, a)
            )
        )
    assert kinds == ["email", "instagram", "phone"]
