"""The collision warning and the live inbox feed, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from mostrador.bootstrap import Runtime
from mostrador.conversations import actions, queries, thread_all
from mostrador.core.clock import FixedClock
from mostrador.core.ids import WorkspaceId
from tests.support.factories import make_member, make_workspace
from tests.support.inbox import PHONE_NUMBER_ID, connect, post_signed, whatsapp_text

NOON = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_two_agents_typing_in_one_conversation_are_warned_until_one_stops(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    clock.set(NOON)
    ws = make_workspace(runtime)
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID)
    ana = make_member(runtime, ws, "ana@tienda.example", "agent")
    beto = make_member(runtime, ws, "beto@tienda.example", "agent")
    post_signed(
        client, "whatsapp", whatsapp_text("5491155550001", "Lucía", "wamid.1", "Hola", NOON)
    )
    thread_all(runtime.uow)
    workspace_id = WorkspaceId(ws.id)
    with runtime.uow.read() as session:
        [conversation] = queries.conversations(session, workspace_id, queries.InboxFilter())
    assert actions.typing(runtime.uow, workspace_id, conversation.id, ana.id) == []
    clock.advance(timedelta(seconds=5))
    assert actions.typing(runtime.uow, workspace_id, conversation.id, beto.id) == [ana.id]
    clock.advance(timedelta(seconds=11))  # Ana's mark is 16 s old
    assert actions.typing(runtime.uow, workspace_id, conversation.id, beto.id) == []


def test_the_live_feed_lists_inbox_events_in_order_and_resumes_after_an_id(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    clock.set(NOON)
    ws = make_workspace(runtime)
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID)
    workspace_id = WorkspaceId(ws.id)
    post_signed(
        client, "whatsapp", whatsapp_text("5491155550001", "Lucía", "wamid.1", "Hola", NOON)
    )
    thread_all(runtime.uow)
    with runtime.uow.read() as session:
        first = queries.inbox_events(session, workspace_id, None, start=NOON)
    assert [(kind, payload.get("channel")) for _id, kind, payload in first] == [
        ("ChannelConnected", None),
        ("ConversationOpened", "whatsapp"),
        ("MessageReceived", "whatsapp"),
    ]
    assert first[2][2]["text"] == "Hola"
    post_signed(
        client, "whatsapp", whatsapp_text("5491155550001", "Lucía", "wamid.2", "¿Están?", NOON)
    )
    thread_all(runtime.uow)
    with runtime.uow.read() as session:
        later = queries.inbox_events(session, workspace_id, first[-1][0], start=NOON)
    assert [(kind, payload["text"]) for _id, kind, payload in later] == [
        ("MessageReceived", "¿Están?")
    ]
