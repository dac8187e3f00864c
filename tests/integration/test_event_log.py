"""The outbox guarantees: events commit with their change, publish after commit, survive a
failed publish, and never take effect twice for one consumer."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from mostrador.bootstrap import Runtime
from mostrador.core.bus import PublishFailed
from mostrador.core.clock import FixedClock
from mostrador.core.consumers import apply_once, idempotent_handler
from mostrador.core.errors import Conflict
from mostrador.core.event_log import AppliedEvent, EventRecord, OutboxEntry
from mostrador.core.events import Envelope
from mostrador.core.ids import EventId, WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location, LocationOpened, WorkspaceCreated
from tests.support.factories import make_location, make_workspace


def count(runtime: Runtime, model: type) -> int:
    with runtime.uow.read() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_change_and_its_event_commit_together_and_then_publish(runtime: Runtime) -> None:
    seen: list[tuple[str, int]] = []

    def on_event(envelope: Envelope) -> None:
        # Runs after commit: a fresh session already sees the committed location.
        seen.append((envelope.type, count(runtime, Location)))

    runtime.bus.subscribe("probe", on_event)
    ws = make_workspace(runtime)
    make_location(runtime, ws, "PAL")

    assert seen == [("workspaces.WorkspaceCreated", 0), ("workspaces.LocationOpened", 1)]
    with runtime.uow.read() as session:
        rows = session.execute(select(EventRecord).order_by(EventRecord.id)).scalars().all()
        assert [r.type for r in rows] == [
            "workspaces.WorkspaceCreated",
            "workspaces.LocationOpened",
        ]
        assert all(r.workspace_id == ws.id for r in rows)
        assert rows[1].payload["code"] == "PAL"
        assert rows[0].occurred_at == runtime.clock.now()
    assert count(runtime, OutboxEntry) == 0


def test_a_failed_action_leaves_no_event_and_publishes_nothing(runtime: Runtime) -> None:
    seen: list[Envelope] = []
    ws = make_workspace(runtime)
    runtime.bus.subscribe("probe", seen.append)
    make_location(runtime, ws, "PAL")
    events_before = count(runtime, EventRecord)

    with pytest.raises(Conflict) as err:
        make_location(runtime, ws, "PAL")

    assert err.value.code == "location_code_taken"
    assert count(runtime, EventRecord) == events_before
    assert count(runtime, Location) == 1
    assert [e.type for e in seen] == ["workspaces.LocationOpened"]


def test_events_stay_in_the_outbox_when_publishing_fails_and_the_relay_sends_them(
    runtime: Runtime, clock: FixedClock
) -> None:
    delivered: list[str] = []
    failing = {"on": True}

    def flaky(envelope: Envelope) -> None:
        if failing["on"]:
            raise RuntimeError("broker down")
        delivered.append(envelope.type)

    runtime.bus.subscribe("flaky", flaky)
    ws = make_workspace(runtime)  # publishing fails, but the action succeeded

    assert count(runtime, OutboxEntry) == 1
    with runtime.uow.read() as session:
        assert session.execute(select(OutboxEntry.attempts)).scalar_one() == 1

    failing["on"] = False
    assert runtime.uow.relay_pending(min_age=timedelta(seconds=5)) == 0  # too recent
    clock.advance(timedelta(seconds=6))
    assert runtime.uow.relay_pending(min_age=timedelta(seconds=5)) == 1
    assert delivered == ["workspaces.WorkspaceCreated"]
    assert count(runtime, OutboxEntry) == 0
    assert ws.slug == "acme"


def test_the_in_process_bus_reports_failed_deliveries_after_trying_everyone(
    runtime: Runtime,
) -> None:
    reached: list[str] = []

    def broken(_e: Envelope) -> None:
        reached.append("b")
        raise ValueError("nope")

    runtime.bus.subscribe("b", broken)
    runtime.bus.subscribe("c", lambda e: reached.append("c"))
    envelope = Envelope(
        id=EventId(new_id()),
        workspace_id=None,
        occurred_at=runtime.clock.now(),
        actor="test",
        event=WorkspaceCreated(
            workspace_id=WorkspaceId(new_id()), slug="x", name="X", country="AR", currency="ARS"
        ),
    )
    with pytest.raises(PublishFailed) as err:
        runtime.bus.publish([envelope])
    assert reached == ["b", "c"]
    assert str(err.value) == f"1 deliveries failed: b:{envelope.id}"


def test_apply_once_gives_a_redelivered_event_no_second_effect(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    recorded: list[Sequence[str]] = []

    def rename_location(tx: Tx, envelope: Envelope) -> None:
        event = envelope.event
        assert isinstance(event, LocationOpened)
        location = tx.session.get(Location, event.location_id)
        assert location is not None
        location.name = location.name + " (abierta)"
        recorded.append([envelope.type])

    captured: list[Envelope] = []
    runtime.bus.subscribe("capture", captured.append, event_types={"workspaces.LocationOpened"})
    make_location(runtime, ws, "PAL")
    (opened,) = captured

    assert apply_once(runtime.uow, "renamer", opened, rename_location) is True
    assert apply_once(runtime.uow, "renamer", opened, rename_location) is False
    assert apply_once(runtime.uow, "other", opened, lambda tx, e: None) is True
    handler = idempotent_handler(runtime.uow, "renamer", rename_location)
    handler(opened)

    with runtime.uow.read() as session:
        assert session.execute(select(Location.name)).scalar_one() == "Sucursal PAL (abierta)"
        assert (
            session.execute(
                select(func.count())
                .select_from(AppliedEvent)
                .where(AppliedEvent.consumer == "renamer")
            ).scalar_one()
            == 1
        )
    assert recorded == [["workspaces.LocationOpened"]]


def test_a_handler_failure_rolls_back_its_mark_so_redelivery_retries(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    captured: list[Envelope] = []
    runtime.bus.subscribe("capture", captured.append)
    make_location(runtime, ws, "PAL")
    opened = captured[-1]

    def explode(_tx: Tx, _e: Envelope) -> None:
        raise RuntimeError("temporary")

    with pytest.raises(RuntimeError):
        apply_once(runtime.uow, "fragile", opened, explode)
    assert count(runtime, AppliedEvent) == 0
    assert apply_once(runtime.uow, "fragile", opened, lambda tx, e: None) is True


@pytest.mark.parametrize("statement", ["UPDATE events SET type = 'x'", "DELETE FROM events"])
def test_the_database_refuses_to_rewrite_history(runtime: Runtime, statement: str) -> None:
    make_workspace(runtime)
    with pytest.raises(DBAPIError) as err, runtime.engine.begin() as conn:
        conn.execute(text(statement))
    assert "append-only" in str(err.value)
    assert count(runtime, EventRecord) == 1


def test_writers_that_read_first_wait_their_turn_instead_of_failing(runtime: Runtime) -> None:
    """Two transactions each read, then write: the second waits for the first's commit (on
    SQLite the write lock is taken at BEGIN; PostgreSQL's row writes never conflict here)."""
    ws = make_workspace(runtime)
    first_has_read = threading.Event()
    results: list[int] = []
    failures: list[BaseException] = []

    def writer(code: str, wait_for_other: bool) -> None:
        try:
            with runtime.uow.transaction(WorkspaceId(ws.id), "test") as tx:
                seen = tx.session.execute(select(func.count()).select_from(Location)).scalar_one()
                if wait_for_other:
                    first_has_read.set()
                    time.sleep(0.3)  # the other writer starts meanwhile and must wait
                tx.session.add(_location_row(ws.id, code, tx.now))
                results.append(int(seen))
        except BaseException as exc:  # reported below
            failures.append(exc)

    first = threading.Thread(target=writer, args=("A1", True))
    first.start()
    first_has_read.wait(5)
    second = threading.Thread(target=writer, args=("B1", False))
    second.start()
    first.join(10)
    second.join(10)
    assert failures == []
    assert count(runtime, Location) == 2
    # Serialized on SQLite: the second read after the first committed. PostgreSQL's read
    # committed transactions both read before either wrote.
    assert sorted(results) == ([0, 1] if runtime.engine.dialect.name == "sqlite" else [0, 0])


def _location_row(workspace_id: uuid.UUID, code: str, now: datetime) -> Location:
    return Location(
        id=new_id(),
        workspace_id=workspace_id,
        code=code,
        name=code,
        kind="store",
        country="AR",
        time_zone="America/Argentina/Buenos_Aires",
        opening_hours={},
        closures=[],
        created_at=now,
        updated_at=now,
    )
