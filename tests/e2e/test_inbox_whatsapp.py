"""WhatsApp through the real endpoints: fixtures replayed signed, threaded into one
conversation per customer, replies sent to a fake Graph API on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.conversations import AccountInput, actions, thread_all
from mostrador.conversations.models import Message, WebhookDelivery
from mostrador.core.clock import FixedClock
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Workspace
from tests.support.factories import bearer, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import PHONE_NUMBER_ID, SECRET, send_all, signed
from tests.support.tenancy import assert_unchanged, snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures" / "channels" / "whatsapp"
FIRST_TEXT_AT = datetime.fromtimestamp(1741957200, UTC)
FIRST_WAMID = "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjBBMUMyRDNFNEY1QTZCN0M4RDkA"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def graph() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


@pytest.fixture
def shop(runtime: Runtime, graph: FakeProvider, clock: FixedClock) -> tuple[Workspace, str]:
    clock.set(FIRST_TEXT_AT + timedelta(minutes=5))
    ws = make_workspace(runtime)
    actions.add_channel(
        runtime.uow,
        WorkspaceId(ws.id),
        AccountInput(
            kind="whatsapp",
            external_id=PHONE_NUMBER_ID,
            access_token="EAAG-token",
            app_secret=SECRET,
            verify_token="verificame",
            api_url=graph.url,
        ),
        actor="test",
    )
    return ws, make_token(runtime, ws, "agent")


def deliver(client: TestClient, body: bytes) -> Any:
    return client.post("/webhooks/whatsapp", content=body, headers=signed(body))


def test_handshake_echoes_the_challenge_only_for_our_verify_token(
    client: TestClient, shop: Any
) -> None:
    ok = client.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": "verificame",
            "hub.challenge": "1158201444",
        },
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": "otro", "hub.challenge": "1"},
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "verify_token_mismatch")
    missing = client.get("/webhooks/whatsapp", params={"hub.mode": "subscribe"})
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "invalid_handshake")


def test_a_message_is_stored_threaded_and_listed_for_its_customer(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    answer = deliver(client, fixture("text.json"))
    assert (answer.status_code, answer.json()) == (
        200,
        {"received": 1, "duplicates": 0, "statuses": 0},
    )
    assert thread_all(runtime.uow) == 1

    found = client.get(
        "/api/v1/customers", params={"q": "+5491155550001"}, headers=bearer(token)
    ).json()
    customer_id = found[0]["id"]
    listed = client.get(
        "/api/v1/conversations", params={"customer_id": customer_id}, headers=bearer(token)
    )
    assert listed.status_code == 200
    [conversation] = listed.json()
    assert (conversation["status"], conversation["customer_id"], conversation["channels"]) == (
        "open",
        customer_id,
        ["whatsapp"],
    )
    assert conversation["message_count"] == 1
    messages = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=bearer(token)
    ).json()
    assert [
        (m["channel"], m["direction"], m["text"], m["provider_message_id"], m["status"])
        for m in messages
    ] == [
        (
            "whatsapp",
            "inbound",
            "Hola! ¿Tienen las zapatillas Runner Pro en talle 42 en la sucursal de Palermo?",
            FIRST_WAMID,
            "received",
        )
    ]
    assert messages[0]["sender_name"] == "Lucía Fernández"


def test_a_redelivered_webhook_stores_nothing_new(
    runtime: Runtime, client: TestClient, shop: Any
) -> None:
    body = fixture("text.json")
    assert deliver(client, body).json()["received"] == 1
    again = deliver(client, body)
    assert (again.status_code, again.json()) == (
        200,
        {"received": 0, "duplicates": 1, "statuses": 0},
    )
    thread_all(runtime.uow)
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 2


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (
            b'{"object":"whatsapp_business_account","entry":[]}',
            signed(b"otra cosa"),
            401,
            "bad_signature",
        ),
        (b'{"object":"whatsapp_business_account","entry":[]}', {}, 401, "bad_signature"),
        (
            b'{"object":"whatsapp_business_account","entry":[]}',
            signed(b'{"object":"whatsapp_business_account","entry":[]}', "otro-secreto"),
            401,
            "bad_signature",
        ),
        (b"no es json", signed(b"no es json"), 400, "malformed_payload"),
        (
            b'{"object":"whatsapp_business_account"}',
            signed(b'{"object":"whatsapp_business_account"}'),
            400,
            "malformed_payload",
        ),
    ],
)
def test_bad_deliveries_are_refused_and_store_nothing(
    runtime: Runtime,
    client: TestClient,
    shop: Any,
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    before = snapshot(runtime.engine)
    answer = client.post("/webhooks/whatsapp", content=body, headers=headers)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    assert_unchanged(runtime.engine, before)


def test_a_delivery_for_an_unknown_number_is_404_and_stores_nothing(
    runtime: Runtime, client: TestClient, shop: Any
) -> None:
    body = fixture("text.json").replace(PHONE_NUMBER_ID.encode(), b"999999999999999")
    before = snapshot(runtime.engine)
    answer = deliver(client, body)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "unknown_account")
    assert_unchanged(runtime.engine, before)


def test_every_entry_and_message_of_a_batch_is_stored(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str]
) -> None:
    _ws, token = shop
    answer = deliver(client, fixture("batch_two_entries.json"))
    assert answer.json() == {"received": 4, "duplicates": 0, "statuses": 3}
    assert thread_all(runtime.uow) == 4
    listed = client.get("/api/v1/conversations", headers=bearer(token)).json()
    assert sorted(c["message_count"] for c in listed) == [1, 3]


def test_a_reply_goes_to_the_graph_api_and_statuses_move_it_forward(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], graph: FakeProvider
) -> None:
    _ws, token = shop
    deliver(client, fixture("text.json"))
    thread_all(runtime.uow)
    [conversation] = client.get("/api/v1/conversations", headers=bearer(token)).json()
    sent = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "¡Hola Lucía! Sí, quedan 2 pares en Palermo."},
        headers=bearer(token),
    )
    assert sent.status_code == 201, sent.text
    assert (sent.json()["status"], sent.json()["direction"], sent.json()["channel"]) == (
        "queued",
        "outbound",
        "whatsapp",
    )

    assert send_all(runtime) == 1
    [request] = graph.requests
    assert request.path == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request.headers["authorization"] == "Bearer EAAG-token"
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5491155550001",
        "type": "text",
        "text": {"preview_url": False, "body": "¡Hola Lucía! Sí, quedan 2 pares en Palermo."},
    }
    messages = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=bearer(token)
    ).json()
    assert [(m["direction"], m["provider_message_id"], m["status"]) for m in messages] == [
        ("inbound", FIRST_WAMID, "received"),
        ("outbound", "wamid.fake0001", "sent"),
    ]
    # Read arrives before delivered: the status never moves back.
    read = status_delivery("wamid.fake0001", ["read", "delivered"])
    assert deliver(client, read).json() == {"received": 0, "duplicates": 0, "statuses": 2}
    messages = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=bearer(token)
    ).json()
    assert messages[-1]["status"] == "read"
    again = client.get(f"/api/v1/conversations/{conversation['id']}", headers=bearer(token)).json()
    assert again["first_response_at"] is not None
    assert again["awaiting_reply_since"] is None


def status_delivery(wamid: str, statuses: list[str]) -> bytes:
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "5491152630000",
                                    "phone_number_id": PHONE_NUMBER_ID,
                                },
                                "statuses": [
                                    {
                                        "id": wamid,
                                        "status": s,
                                        "timestamp": str(1741957600 + i),
                                        "recipient_id": "5491155550001",
                                    }
                                    for i, s in enumerate(statuses)
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def test_outside_the_24_hour_window_only_a_template_is_sent(
    runtime: Runtime,
    client: TestClient,
    shop: tuple[Workspace, str],
    clock: FixedClock,
    graph: FakeProvider,
) -> None:
    _ws, token = shop
    deliver(client, fixture("text.json"))
    thread_all(runtime.uow)
    [conversation] = client.get("/api/v1/conversations", headers=bearer(token)).json()
    clock.set(FIRST_TEXT_AT + timedelta(hours=24, seconds=1))
    before = snapshot(runtime.engine)
    refused = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "¿Seguís ahí?"},
        headers=bearer(token),
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "outside_window")
    assert_unchanged(runtime.engine, before)
    template = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"template": "seguimiento_pedido", "variables": ["Lucía", "A-1043"]},
        headers=bearer(token),
    )
    assert template.status_code == 201
    send_all(runtime)
    assert graph.requests[0].body["template"] == {
        "name": "seguimiento_pedido",
        "language": {"code": "es"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Lucía"},
                    {"type": "text", "text": "A-1043"},
                ],
            }
        ],
    }


def test_a_refused_send_is_marked_failed_with_the_providers_reason(
    runtime: Runtime, client: TestClient, shop: tuple[Workspace, str], graph: FakeProvider
) -> None:
    _ws, token = shop
    deliver(client, fixture("text.json"))
    thread_all(runtime.uow)
    [conversation] = client.get("/api/v1/conversations", headers=bearer(token)).json()
    graph.scripted.append(
        (
            400,
            {
                "error": {
                    "message": "(#131026) Message undeliverable",
                    "type": "OAuthException",
                    "code": 131026,
                    "fbtrace_id": "Ab1",
                }
            },
        )
    )
    client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "Hola"},
        headers=bearer(token),
    )
    send_all(runtime)
    last = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=bearer(token)
    ).json()[-1]
    assert (last["status"], last["error"], last["send_attempts"]) == (
        "failed",
        {"code": "131026", "reason": "(#131026) Message undeliverable"},
        1,
    )


def test_a_provider_outage_is_retried_with_backoff_and_then_sent(
    runtime: Runtime,
    client: TestClient,
    shop: tuple[Workspace, str],
    graph: FakeProvider,
    clock: FixedClock,
) -> None:
    _ws, token = shop
    deliver(client, fixture("text.json"))
    thread_all(runtime.uow)
    [conversation] = client.get("/api/v1/conversations", headers=bearer(token)).json()
    graph.scripted.append(
        (503, {"error": {"message": "Service temporarily unavailable", "code": 2}})
    )
    client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "Hola"},
        headers=bearer(token),
    )
    assert send_all(runtime) == 1
    last = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=bearer(token)
    ).json()[-1]
    assert (last["status"], last["send_attempts"], last["last_send_error"]) == (
        "queued",
        1,
        "Service temporarily unavailable",
    )
    assert send_all(runtime) == 0  # not before its backoff (2 s)
    clock.advance(timedelta(seconds=2))
    assert send_all(runtime) == 1
    last = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=bearer(token)
    ).json()[-1]
    assert (last["status"], last["provider_message_id"], last["send_attempts"]) == (
        "sent",
        "wamid.fake0001",
        2,
    )


def test_an_account_connected_a_moment_ago_is_recognised_at_once(
    runtime: Runtime, client: TestClient, graph: FakeProvider, clock: FixedClock
) -> None:
    clock.set(FIRST_TEXT_AT + timedelta(minutes=5))
    ws = make_workspace(runtime)
    body = fixture("text.json")
    assert deliver(client, body).status_code == 401  # nothing connected yet (and cached)
    actions.add_channel(
        runtime.uow,
        WorkspaceId(ws.id),
        AccountInput(
            kind="whatsapp",
            external_id=PHONE_NUMBER_ID,
            access_token="EAAG-token",
            app_secret=SECRET,
            verify_token="verificame",
        ),
        actor="test",
    )
    assert deliver(client, body).json() == {"received": 1, "duplicates": 0, "statuses": 0}
