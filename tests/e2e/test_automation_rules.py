"""Rules over HTTP and on real events: conditions on the event, the customer and business
hours; actions on the conversation; once per event; an execution log; a dry run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mostrador import automation
from mostrador.automation.models import OutgoingWebhook, RuleExecution
from mostrador.automation.webhook_rules import sign
from mostrador.bootstrap import Runtime
from mostrador.conversations import thread_all
from mostrador.conversations.models import Conversation, Message
from mostrador.core.clock import FixedClock
from mostrador.core.events import Envelope
from mostrador.core.workspaces import Workspace
from mostrador.worker import subscribe_consumers
from tests.support.factories import bearer, make_location, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import PHONE_NUMBER_ID, connect, post_signed, whatsapp_text
from tests.support.tenancy import assert_unchanged, snapshot

NIGHT_RULE = {
    "name": "Fuera de horario por WhatsApp",
    "trigger": "conversations.MessageReceived",
    "conditions": {
        "all": [
            {"field": "channel", "op": "eq", "value": "whatsapp"},
            {"field": "business_hours", "op": "eq", "value": False},
        ]
    },
    "actions": [
        {"type": "label", "labels": ["fuera-de-horario"]},
        {"type": "set_priority", "priority": "high"},
        {"type": "reply", "text": "Gracias por escribir: mañana a las 10 le respondemos."},
    ],
}


def call(client: TestClient, method: str, path: str, token: str, body: Any = None) -> Any:
    return client.request(method, path, json=body, headers=bearer(token))


@pytest.fixture
def graph() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


@pytest.fixture
def shop(runtime: Runtime, graph: FakeProvider) -> tuple[Workspace, str, list[Envelope]]:
    ws = make_workspace(runtime)
    make_location(runtime, ws, "PAL")
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID, api_url=graph.url)
    subscribe_consumers(runtime)
    seen: list[Envelope] = []
    runtime.bus.subscribe("recorder", seen.append, event_types=("conversations.MessageReceived",))
    return ws, make_token(runtime, ws, "admin"), seen


def write(runtime: Runtime, client: TestClient, clock: FixedClock, n: int, text: str) -> None:
    clock.advance(timedelta(minutes=1))
    body = whatsapp_text("5491155550000", "Ana Paz", f"wamid.rule-{n}", text, clock.now())
    post_signed(client, "whatsapp", body)
    assert thread_all(runtime.uow) == 1


def conversation(runtime: Runtime) -> Conversation:
    with runtime.uow.read() as session:
        return session.execute(select(Conversation)).scalar_one()


def replies(runtime: Runtime) -> list[tuple[str, str]]:
    with runtime.uow.read() as session:
        return [
            (kind, text)
            for kind, text in session.execute(
                select(Message.author_kind, Message.text)
                .where(Message.direction == "outbound")
                .order_by(Message.created_at)
            )
        ]


def test_a_rule_acts_on_a_matching_event_once_and_logs_it(
    runtime: Runtime, client: TestClient, clock: FixedClock, shop: Any
) -> None:
    _ws, admin, seen = shop
    created = call(client, "POST", "/api/v1/automation/rules", admin, NIGHT_RULE)
    assert created.status_code == 201, created.text
    rule_id = created.json()["id"]

    write(runtime, client, clock, 1, "hola, ¿tienen la remera en M?")  # Tuesday noon: open
    assert replies(runtime) == []
    clock.set(clock.now().replace(hour=2))  # 23:00 in Buenos Aires: closed
    write(runtime, client, clock, 2, "¿siguen ahí?")
    assert replies(runtime) == [("system", "Gracias por escribir: mañana a las 10 le respondemos.")]
    found = conversation(runtime)
    assert found.priority == "high"
    labels = call(client, "GET", f"/api/v1/conversations/{found.id}", admin).json()["labels"]
    assert labels == ["fuera-de-horario"]

    runtime.bus.publish(list(seen))  # both events delivered again: nothing runs twice
    assert len(replies(runtime)) == 1
    log = call(client, "GET", f"/api/v1/automation/rules/{rule_id}/executions", admin).json()
    assert [(e["event_id"], e["outcome"]) for e in log] == [(str(seen[1].id), "done")]
    assert [a["type"] for a in log[0]["done"]] == ["label", "set_priority", "reply"]
    assert log[0]["done"][0] == {"type": "label", "labels": ["fuera-de-horario"]}


def test_a_dry_run_shows_what_a_rule_would_have_done_and_changes_nothing(
    runtime: Runtime, client: TestClient, clock: FixedClock, shop: Any
) -> None:
    _ws, admin, _seen = shop
    write(runtime, client, clock, 1, "hola")  # open
    clock.set(clock.now().replace(hour=3))
    write(runtime, client, clock, 2, "hola??")  # closed
    write(runtime, client, clock, 3, "alguien?")  # closed
    before = snapshot(runtime.engine)
    answer = call(client, "POST", "/api/v1/automation/rules/dry-run", admin, NIGHT_RULE)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["events"], body["matched"], body["would_run"]) == (
        3,
        2,
        ["label", "set_priority", "reply"],
    )
    assert_unchanged(runtime.engine, before)


def test_a_failing_action_undoes_the_rule_and_is_logged_with_why(
    runtime: Runtime, client: TestClient, clock: FixedClock, shop: Any
) -> None:
    _ws, admin, _seen = shop
    rule = {
        "name": "A un equipo que no existe",
        "trigger": "conversations.MessageReceived",
        "actions": [
            {"type": "label", "labels": ["derivado"]},
            {"type": "assign", "team_id": "0192b3c4-0000-7000-8000-000000000000"},
        ],
    }
    rule_id = call(client, "POST", "/api/v1/automation/rules", admin, rule).json()["id"]
    write(runtime, client, clock, 1, "hola")
    found = conversation(runtime)
    labels = call(client, "GET", f"/api/v1/conversations/{found.id}", admin).json()["labels"]
    assert labels == []
    [entry] = call(client, "GET", f"/api/v1/automation/rules/{rule_id}/executions", admin).json()
    assert (entry["outcome"], entry["done"]) == ("failed", [])
    assert entry["error"].startswith("unknown_team: ")


def test_bad_rules_are_refused_and_change_nothing(
    runtime: Runtime, client: TestClient, shop: Any
) -> None:
    ws, admin, _seen = shop
    agent = make_token(runtime, ws, "agent")
    before = snapshot(runtime.engine)
    cases = [
        ({**NIGHT_RULE, "trigger": "access.UserSignedIn"}, "trigger: unknown event type 'access.UserSignedIn'"),
        ({**NIGHT_RULE, "conditions": {"field": "channel", "op": "like", "value": 1}},
         "conditions.op: one of exists, eq, ne, in, not_in, contains, not_contains, gt, gte, lt, lte"),
        ({**NIGHT_RULE, "actions": [{"type": "explode"}]},
         "actions[0].type: one of label, set_priority, assign, reply, note, hand_to_person, "
         "hand_to_bot, add_loyalty_points, send_survey, start_journey, call_webhook"),
    ]  # fmt: skip
    for body, message in cases:
        answer = call(client, "POST", "/api/v1/automation/rules", admin, body)
        assert (answer.status_code, answer.json()["error"]) == (
            422,
            {
                "code": "invalid_rule",
                "message": message,
                "details": answer.json()["error"]["details"],
            },
        )
    assert call(client, "POST", "/api/v1/automation/rules", agent, NIGHT_RULE).status_code == 403
    missing = call(client, "DELETE", f"/api/v1/automation/rules/{ws.id}", admin)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "rule_not_found")
    assert_unchanged(runtime.engine, before)
    with runtime.uow.read() as session:
        assert session.execute(select(RuleExecution)).first() is None


SECRET = "secreto-de-la-tienda-1234"


def webhook_rule(url: str) -> dict[str, Any]:
    return {
        "name": "Avisar al ERP",
        "trigger": "conversations.MessageReceived",
        "actions": [{"type": "call_webhook", "url": f"{url}/hooks/mostrador", "secret": SECRET}],
    }


def test_a_rule_calls_a_signed_webhook_once(
    runtime: Runtime, client: TestClient, clock: FixedClock, shop: Any
) -> None:
    _ws, admin, seen = shop
    with fake_provider() as erp, httpx.Client() as http:
        assert (
            call(
                client, "POST", "/api/v1/automation/rules", admin, webhook_rule(erp.url)
            ).status_code
            == 201
        )
        write(runtime, client, clock, 1, "hola")
        runtime.bus.publish(list(seen))  # delivered twice: queued once
        assert automation.deliver_webhooks(runtime.uow, http, allow_private=True) == 1
        assert automation.deliver_webhooks(runtime.uow, http, allow_private=True) == 0
        [received] = erp.requests
    assert received.path == "/hooks/mostrador"
    raw = json.dumps(received.body, separators=(",", ":")).encode()
    stamp = int(received.headers["x-mostrador-timestamp"])
    assert received.headers["x-mostrador-signature"] == sign(SECRET, stamp, raw)
    assert received.headers["x-mostrador-event"] == "conversations.MessageReceived"
    assert received.headers["idempotency-key"] == received.body["id"]
    assert (received.body["event"]["id"], received.body["event"]["payload"]["text"]) == (
        str(seen[0].id),
        "hola",
    )
    with runtime.uow.read() as session:
        [delivery] = session.scalars(select(OutgoingWebhook)).all()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 1, None)


def test_webhooks_to_private_addresses_are_refused_and_failures_retry_later(
    runtime: Runtime, client: TestClient, clock: FixedClock, shop: Any
) -> None:
    _ws, admin, _seen = shop
    with fake_provider() as erp, httpx.Client() as http:
        call(client, "POST", "/api/v1/automation/rules", admin, webhook_rule(erp.url))
        write(runtime, client, clock, 1, "hola")
        assert automation.deliver_webhooks(runtime.uow, http, allow_private=False) == 0
        assert erp.requests == []  # loopback: never called
        erp.scripted.append((503, {"error": "busy"}))
        write(runtime, client, clock, 2, "¿hola?")
        assert automation.deliver_webhooks(runtime.uow, http, allow_private=True) == 0
        assert len(erp.requests) == 1
    with runtime.uow.read() as session:
        deliveries = session.scalars(
            select(OutgoingWebhook).order_by(OutgoingWebhook.created_at)
        ).all()
    assert [(d.state, d.attempts, d.last_error) for d in deliveries] == [
        ("failed", 1, "blocked: the host is a private, loopback or reserved address"),
        ("pending", 1, "HTTP 503"),
    ]
    assert deliveries[1].next_attempt_at == clock.now() + timedelta(seconds=30)
