"""The inbox at work: one thread across channels, reopening, CSAT, assignment, notes,
labels, search, SLA in business hours, missed calls, the counter, merge and split."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mostrador.bootstrap import Runtime
from mostrador.conversations import sweep_sla, thread_all
from mostrador.core.clock import FixedClock
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Workspace
from tests.support.factories import bearer, make_location, make_member, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import (
    INSTAGRAM_ID,
    PHONE_NUMBER_ID,
    connect,
    messenger_text,
    post_signed,
    send_all,
    whatsapp_text,
)
from tests.support.tenancy import assert_unchanged, snapshot

# Tuesday 2026-11-24 12:00 in Buenos Aires.
NOON = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
LUCIA = "5491155550001"


@pytest.fixture
def graph() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


@pytest.fixture
def shop(runtime: Runtime, graph: FakeProvider, clock: FixedClock) -> tuple[Workspace, str]:
    clock.set(NOON)
    ws = make_workspace(runtime)
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID, graph.url)
    connect(runtime, ws, "instagram", INSTAGRAM_ID, graph.url)
    return ws, make_token(runtime, ws, "owner")


def api(client: TestClient, token: str, method: str, path: str, body: Any = None) -> Any:
    answer = client.request(method, f"/api/v1{path}", json=body, headers=bearer(token))
    assert answer.status_code < 300, (answer.status_code, answer.text)
    return answer.json()


def whatsapp(
    client: TestClient, runtime: Runtime, text: str, at: datetime, n: int, wa_id: str = LUCIA
) -> None:
    post_signed(
        client, "whatsapp", whatsapp_text(wa_id, "Lucía Fernández", f"wamid.in{n}", text, at)
    )
    thread_all(runtime.uow)


def only_conversation(client: TestClient, token: str) -> dict[str, Any]:
    [conversation] = api(client, token, "GET", "/conversations")
    return conversation


def event_types(runtime: Runtime, prefix: str = "conversations.") -> list[str]:
    with runtime.uow.read() as session:
        return [
            t
            for t in session.scalars(select(EventRecord.type).order_by(EventRecord.id))
            if t.startswith(prefix)
        ]


def test_one_thread_for_the_customer_across_whatsapp_and_instagram(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    lucia = api(
        client,
        token,
        "POST",
        "/customers",
        {
            "name": "Lucía Fernández",
            "identifiers": [
                {"kind": "phone", "value": "+54 9 11 5555-0001"},
                {"kind": "instagram", "value": "1789000111"},
            ],
        },
    )["customer_id"]
    whatsapp(client, runtime, "Hola, ¿tienen la Runner Pro en 42?", NOON, 1)
    post_signed(
        client,
        "instagram",
        messenger_text(
            "instagram",
            "1789000111",
            "aWdfZAG1",
            "Te escribo por acá también",
            NOON + timedelta(minutes=3),
        ),
    )
    thread_all(runtime.uow)
    [conversation] = api(client, token, "GET", f"/conversations?customer_id={lucia}")
    assert (
        conversation["customer_id"],
        conversation["channels"],
        conversation["message_count"],
    ) == (
        lucia,
        ["whatsapp", "instagram"],
        2,
    )
    assert conversation["last_channel"] == "instagram"
    texts = [
        (m["channel"], m["text"])
        for m in api(client, token, "GET", f"/conversations/{conversation['id']}/messages")
    ]
    assert texts == [
        ("whatsapp", "Hola, ¿tienen la Runner Pro en 42?"),
        ("instagram", "Te escribo por acá también"),
    ]
    customer = api(client, token, "GET", f"/customers/{lucia}")
    assert customer["conversations"]["open_conversations"] == 1
    assert customer["conversations"]["conversations"][0]["channels"] == ["whatsapp", "instagram"]


def test_replies_go_to_the_last_channel_or_the_one_the_agent_picks(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], graph: FakeProvider
) -> None:
    _ws, token = shop
    api(
        client,
        token,
        "POST",
        "/customers",
        {
            "name": "Lucía",
            "identifiers": [
                {"kind": "phone", "value": "+5491155550001"},
                {"kind": "instagram", "value": "1789000111"},
            ],
        },
    )
    whatsapp(client, runtime, "Hola", NOON, 1)
    post_signed(
        client,
        "instagram",
        messenger_text("instagram", "1789000111", "aWdfZAG1", "¿Y?", NOON + timedelta(minutes=1)),
    )
    thread_all(runtime.uow)
    conversation = only_conversation(client, token)
    api(
        client,
        token,
        "POST",
        f"/conversations/{conversation['id']}/messages",
        {"text": "Por Instagram"},
    )
    api(
        client,
        token,
        "POST",
        f"/conversations/{conversation['id']}/messages",
        {"text": "Por WhatsApp", "channel": "whatsapp"},
    )
    assert send_all(runtime) == 2
    assert [(r.path, r.body.get("to") or r.body["recipient"]["id"]) for r in graph.requests] == [
        (f"/v21.0/{INSTAGRAM_ID}/messages", "1789000111"),
        (f"/v21.0/{PHONE_NUMBER_ID}/messages", LUCIA),
    ]
    refused = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "x", "channel": "telegram"},
        headers=bearer(token),
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "no_address_on_channel")


def test_resolved_conversation_reopens_within_the_window_and_csat_is_answered_without_reopening(
    runtime: Runtime,
    client: TestClient,
    shop: tuple[Workspace, str],
    clock: FixedClock,
    graph: FakeProvider,
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "Hola", NOON, 1)
    conversation = only_conversation(client, token)
    api(
        client,
        token,
        "POST",
        f"/conversations/{conversation['id']}/messages",
        {"text": "¡Hola! ¿En qué te ayudo?"},
    )
    clock.advance(timedelta(minutes=10))
    resolved = api(client, token, "POST", f"/conversations/{conversation['id']}/resolve")
    assert resolved["status"] == "resolved"
    assert send_all(runtime) == 2
    assert graph.requests[-1].body["text"]["body"] == (
        "¿Cómo calificarías la atención? Respondé del 1 al 5."
    )
    whatsapp(client, runtime, "5", NOON + timedelta(minutes=12), 2)
    after_score = api(client, token, "GET", f"/conversations/{conversation['id']}")
    assert after_score["status"] == "resolved"
    assert "conversations.CsatAnswered" in event_types(runtime)
    customer = api(client, token, "GET", f"/customers/{conversation['customer_id']}")
    assert customer["conversations"]["csat"] == {"answers": 1, "average": 5.0}

    whatsapp(client, runtime, "Me olvidé de preguntar el precio", NOON + timedelta(hours=5), 3)
    reopened = only_conversation(client, token)
    assert (reopened["id"], reopened["status"], reopened["message_count"]) == (
        conversation["id"],
        "open",
        5,
    )


def test_after_the_reopen_window_a_new_conversation_starts(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], clock: FixedClock
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "Hola", NOON, 1)
    first = only_conversation(client, token)
    api(client, token, "POST", f"/conversations/{first['id']}/resolve")
    later = NOON + timedelta(hours=73)
    clock.set(later)
    whatsapp(client, runtime, "Hola de nuevo", later, 2)
    listed = api(client, token, "GET", "/conversations")
    assert [(c["status"], c["message_count"]) for c in listed] == [("open", 1), ("resolved", 1)]


def test_round_robin_assignment_transfers_notes_and_labels(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    ws, token = shop
    ana = make_member(runtime, ws, "ana@tienda.example", "agent")
    beto = make_member(runtime, ws, "beto@tienda.example", "agent")
    ventas = api(
        client,
        token,
        "POST",
        "/teams",
        {"name": "Ventas", "member_ids": [str(ana.id), str(beto.id)]},
    )
    postventa = api(client, token, "POST", "/teams", {"name": "Postventa"})
    for n, wa in enumerate(("5491155550001", "5491155550002", "5491155550003"), start=1):
        whatsapp(client, runtime, f"Consulta {n}", NOON + timedelta(minutes=n), n, wa_id=wa)
    conversations = sorted(
        api(client, token, "GET", "/conversations"), key=lambda c: c["last_message_at"]
    )
    chosen = [
        api(
            client,
            token,
            "POST",
            f"/conversations/{c['id']}/assign",
            {"team_id": ventas["id"], "auto": True},
        )["assignee_id"]
        for c in conversations
    ]
    first, second = sorted([str(ana.id), str(beto.id)])
    assert chosen == [first, second, first]

    moved = api(
        client,
        token,
        "POST",
        f"/conversations/{conversations[0]['id']}/assign",
        {"team_id": postventa["id"]},
    )
    assert (moved["team_id"], moved["assignee_id"]) == (postventa["id"], None)
    assigned = [e for e in event_types(runtime) if e == "conversations.ConversationAssigned"]
    assert len(assigned) == 4

    note = api(
        client,
        token,
        "POST",
        f"/conversations/{conversations[0]['id']}/notes",
        {"text": "@ana fijate el pedido A-1043"},
    )
    assert note["mentions"] == [str(ana.id)]
    labels = api(
        client,
        token,
        "PUT",
        f"/conversations/{conversations[0]['id']}/labels",
        {"labels": ["Cambio", "talle", "cambio"]},
    )
    assert labels == {"labels": ["cambio", "talle"]}
    assert [c["id"] for c in api(client, token, "GET", "/conversations?label=talle")] == [
        conversations[0]["id"]
    ]


def test_search_finds_messages_by_words_ignoring_accents(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "¿Tienen zapatillas Runner en talle 42?", NOON, 1)
    whatsapp(
        client,
        runtime,
        "Quiero cambiar una campera",
        NOON + timedelta(minutes=1),
        2,
        wa_id="5491155550002",
    )
    found = api(client, token, "GET", "/messages/search?q=zapatillas")
    assert [m["text"] for m in found] == ["¿Tienen zapatillas Runner en talle 42?"]
    assert [m["text"] for m in api(client, token, "GET", "/messages/search?q=CAMPERA")] == [
        "Quiero cambiar una campera"
    ]
    assert api(client, token, "GET", "/messages/search?q=heladera") == []


def test_sla_counts_business_hours_and_records_warning_and_breach_once(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], clock: FixedClock
) -> None:
    ws, token = shop
    weekdays = {day: ["09:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    store = make_location(runtime, ws, "PAL", opening_hours=weekdays)  # Buenos Aires
    api(
        client,
        token,
        "PUT",
        "/sla-policies",
        {
            "name": "WhatsApp",
            "first_response_minutes": 60,
            "location_id": str(store.id),
            "channels": ["whatsapp"],
        },
    )
    friday_evening = datetime(2026, 11, 27, 20, 30, tzinfo=UTC)  # 17:30 local
    clock.set(friday_evening)
    whatsapp(client, runtime, "¿Abren el sábado?", friday_evening, 1)
    conversation = only_conversation(client, token)
    [clock_doc] = api(client, token, "GET", f"/conversations/{conversation['id']}")["sla"]
    assert (clock_doc["clock"], clock_doc["due_at"]) == (
        "first_response",
        "2026-11-30T12:30:00+00:00",
    )
    clock.set(datetime(2026, 11, 30, 12, 20, tzinfo=UTC))
    assert sweep_sla(runtime.uow, WorkspaceId(ws.id)) == 1
    clock.set(datetime(2026, 11, 30, 12, 31, tzinfo=UTC))
    assert sweep_sla(runtime.uow, WorkspaceId(ws.id)) == 1
    assert sweep_sla(runtime.uow, WorkspaceId(ws.id)) == 0
    types = event_types(runtime)
    assert (types.count("conversations.SlaWarning"), types.count("conversations.SlaBreached")) == (
        1,
        1,
    )


def test_a_missed_call_creates_a_callback_on_the_customers_thread(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "Hola", NOON, 1)
    call = {
        "call_id": "c-881",
        "event": "missed",
        "from": "+54 9 11 5555-0001",
        "to": "+541152630000",
        "at": "2026-11-24T12:05:00-03:00",
    }
    first = client.post("/api/v1/calls", json=call, headers=bearer(token))
    again = client.post("/api/v1/calls", json=call, headers=bearer(token))
    assert (first.status_code, first.json(), again.json()) == (
        202,
        {"received": 1, "duplicates": 0},
        {"received": 0, "duplicates": 1},
    )
    thread_all(runtime.uow)
    conversation = only_conversation(client, token)
    assert conversation["channels"] == ["whatsapp", "voice"]
    [task] = api(client, token, "GET", "/callbacks")
    assert (task["phone"], task["conversation_id"]) == ("+5491155550001", conversation["id"])
    api(client, token, "POST", f"/callbacks/{task['id']}/done")
    assert api(client, token, "GET", "/callbacks") == []


def test_staff_note_the_counter_into_the_same_thread(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "Paso mañana a retirar", NOON, 1)
    conversation = only_conversation(client, token)
    note = api(
        client,
        token,
        "POST",
        f"/customers/{conversation['customer_id']}/store-notes",
        {"text": "Retiró el pedido en Palermo"},
    )
    assert (note["conversation_id"], note["channel"]) == (conversation["id"], "store")


def test_merge_and_split_keep_every_message(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], clock: FixedClock
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "Primera consulta", NOON, 1)
    whatsapp(client, runtime, "Otra cosa: facturación", NOON + timedelta(minutes=5), 2)
    conversation = only_conversation(client, token)
    messages = api(client, token, "GET", f"/conversations/{conversation['id']}/messages")
    created = api(
        client,
        token,
        "POST",
        f"/conversations/{conversation['id']}/split",
        {"from_message_id": messages[1]["id"]},
    )
    assert created["message_count"] == 1
    assert api(client, token, "GET", f"/conversations/{conversation['id']}")["message_count"] == 1
    merged = api(
        client,
        token,
        "POST",
        f"/conversations/{conversation['id']}/merge",
        {"other_id": created["id"]},
    )
    assert merged["message_count"] == 2
    assert [c["id"] for c in api(client, token, "GET", "/conversations")] == [conversation["id"]]


def test_bad_inbox_input_is_refused_and_changes_nothing(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    whatsapp(client, runtime, "Hola", NOON, 1)
    conversation = only_conversation(client, token)
    before = snapshot(runtime.engine)
    cases = [
        (
            "POST",
            f"/conversations/{conversation['id']}/messages",
            {"text": "   "},
            422,
            "empty_reply",
        ),
        (
            "POST",
            f"/conversations/{conversation['id']}/status",
            {"status": "snoozed"},
            422,
            "invalid_snooze",
        ),
        (
            "PUT",
            f"/conversations/{conversation['id']}/labels",
            {"labels": ["!!"]},
            422,
            "invalid_label",
        ),
        (
            "POST",
            f"/conversations/{conversation['id']}/messages",
            {"text": "x", "channel": "store"},
            422,
            "channel_cannot_send",
        ),
        ("GET", "/conversations/not-a-uuid", None, 404, "conversation_not_found"),
        (
            "POST",
            "/conversations/00000000-0000-7000-8000-000000000000/resolve",
            None,
            404,
            "conversation_not_found",
        ),
    ]
    for method, path, body, status, code in cases:
        answer = client.request(method, f"/api/v1{path}", json=body, headers=bearer(token))
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), path
    assert_unchanged(runtime.engine, before)


def test_hub_mode_invites_once_to_continue_on_the_main_channel(
    runtime: Runtime, client: TestClient, graph: FakeProvider, clock: FixedClock
) -> None:
    clock.set(NOON)
    ws = make_workspace(runtime)
    main = connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID, graph.url)
    connect(
        runtime,
        ws,
        "instagram",
        INSTAGRAM_ID,
        graph.url,
        main_account_id=main.id,
        hub_invitation="¡Seguimos por WhatsApp! https://wa.me/5491152630000",
    )
    for n in (1, 2):
        post_signed(
            client,
            "instagram",
            messenger_text(
                "instagram", "1789000111", f"aWdfZ{n}", "Hola", NOON + timedelta(minutes=n)
            ),
        )
        thread_all(runtime.uow)
    send_all(runtime)
    assert [r.body["message"]["text"] for r in graph.requests] == [
        "¡Seguimos por WhatsApp! https://wa.me/5491152630000"
    ]


def test_a_policy_without_a_location_counts_the_first_stores_hours(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], clock: FixedClock
) -> None:
    ws, token = shop
    weekdays = {day: ["09:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    make_location(runtime, ws, "BEL", opening_hours=weekdays)
    make_location(runtime, ws, "PAL")  # later by code: its Saturday hours do not count
    api(client, token, "PUT", "/sla-policies", {"name": "Todo", "first_response_minutes": 60})
    friday_evening = datetime(2026, 11, 27, 20, 30, tzinfo=UTC)  # 17:30 local
    clock.set(friday_evening)
    whatsapp(client, runtime, "¿Abren el sábado?", friday_evening, 1)
    conversation = only_conversation(client, token)
    [clock_doc] = api(client, token, "GET", f"/conversations/{conversation['id']}")["sla"]
    assert clock_doc["due_at"] == "2026-11-30T12:30:00+00:00"
