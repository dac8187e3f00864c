"""Consents, export and erasure of a person, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mostrador.bootstrap import Runtime
from mostrador.core.clock import FixedClock
from mostrador.core.errors import InvalidInput, NotFound
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId
from mostrador.customers import Customer, CustomerIdentifier, actions, queries, search_customers
from tests.support.customers import contact, customer_id
from tests.support.factories import make_workspace
from tests.support.tenancy import assert_unchanged, snapshot


def test_withdrawing_is_as_easy_as_granting_and_history_is_kept(
    runtime: Runtime, clock: FixedClock
) -> None:
    ws = make_workspace(runtime)
    wsid = WorkspaceId(ws.id)
    person = customer_id(
        runtime, ws, contact("Sofía Díaz", "whatsapp", whatsapp_id="5491166667777")
    )
    actions.record_consent(
        runtime.uow,
        wsid,
        person,
        purpose="marketing",
        channel="whatsapp",
        granted=True,
        source="whatsapp",
        evidence="Respondió SÍ al mensaje de alta",
    )
    clock.advance(timedelta(days=3))
    actions.record_consent(
        runtime.uow,
        wsid,
        person,
        purpose="marketing",
        channel="whatsapp",
        granted=False,
        source="whatsapp",
        evidence="BAJA",
    )
    with runtime.uow.read() as session:
        rows = queries.consent_rows(session, wsid, [person])
    assert [(r.granted, r.evidence) for r in rows] == [
        (True, "Respondió SÍ al mensaje de alta"),
        (False, "BAJA"),
    ]

    before = snapshot(runtime.engine)
    for kwargs, code in [
        ({"purpose": "spam", "channel": "all"}, "invalid_purpose"),
        ({"purpose": "marketing", "channel": "fax"}, "invalid_channel"),
    ]:
        with pytest.raises(InvalidInput) as err:
            actions.record_consent(runtime.uow, wsid, person, granted=True, source="x", **kwargs)
        assert err.value.code == code
    assert_unchanged(runtime.engine, before)


def test_export_contains_everything_and_is_audited(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    wsid = WorkspaceId(ws.id)
    person = customer_id(
        runtime,
        ws,
        contact(
            "Lucía Romero", "web", email="lucia.romero@yahoo.com.ar", phone="+54 9 341 555-1212"
        ),
    )
    actions.record_consent(
        runtime.uow, wsid, person, purpose="service", channel="all", granted=True, source="web"
    )
    document = actions.export_customer(runtime.uow, wsid, person, actor="user:dpo")
    assert document["display_name"] == "Lucía Romero"
    assert sorted(i["raw_value"] for i in document["identifiers"]) == [
        "+54 9 341 555-1212",
        "lucia.romero@yahoo.com.ar",
    ]
    assert document["consents"]["effective"] == [
        {"purpose": "service", "channel": "all", "granted": True}
    ]
    assert [e["type"] for e in document["timeline"]] == [
        "customers.ConsentChanged",
        "customers.CustomerRegistered",
    ]
    with runtime.uow.read() as session:
        audit = session.execute(
            select(EventRecord.type, EventRecord.actor).order_by(EventRecord.id.desc())
        ).first()
    assert tuple(audit) == ("customers.CustomerDataExported", "user:dpo")  # type: ignore[arg-type]


def test_erasure_blocks_now_and_purges_after_the_retention(
    runtime: Runtime, clock: FixedClock
) -> None:
    ws = make_workspace(runtime)
    wsid = WorkspaceId(ws.id)
    person = customer_id(
        runtime,
        ws,
        contact("Diego Acosta", "store", phone="011 15-4444-3333", document="28.111.222"),
    )
    other = customer_id(runtime, ws, contact("Marta Sosa", "store", phone="011 15-2222-1111"))

    actions.request_erasure(
        runtime.uow, wsid, person, retention=timedelta(days=30), actor="user:dpo"
    )
    with runtime.uow.read() as session:
        assert search_customers(session, wsid, "Diego Acosta", country="AR") == []
        assert search_customers(session, wsid, "11 4444-3333", country="AR") == []
        assert queries.customer(session, wsid, person).status == "blocked"
    with pytest.raises(InvalidInput) as err:
        actions.record_consent(
            runtime.uow, wsid, person, purpose="marketing", channel="all", granted=True, source="x"
        )
    assert err.value.code == "customer_blocked"

    assert actions.purge_due(runtime.uow, wsid) == 0
    clock.advance(timedelta(days=30))
    assert actions.purge_due(runtime.uow, wsid) == 1

    with runtime.uow.read() as session:
        with pytest.raises(NotFound):
            queries.customer(session, wsid, person)
        row = session.get(Customer, person)
        assert row is not None
        assert (row.display_name, row.status, row.city) == ("", "erased", "")
        assert (
            session.execute(
                select(CustomerIdentifier).where(CustomerIdentifier.customer_id == person)
            ).all()
            == []
        )
        payloads = session.execute(
            select(EventRecord.type, EventRecord.payload, EventRecord.redacted_at)
            .where(EventRecord.customer_id == person)
            .order_by(EventRecord.id)
        ).all()
        assert [(t, p, r is not None) for t, p, r in payloads] == [
            ("customers.CustomerRegistered", {}, True),
            ("customers.CustomerErasureRequested", {}, True),
            ("customers.CustomerPurged", {"customer_id": str(person)}, False),
        ]
        assert queries.customer(session, wsid, other).display_name == "Marta Sosa"
