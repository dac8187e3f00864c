"""Journeys on real events: enrolled once per event, steps run by the sweep when due (the
schedule is in the database), templates outside the reply window, quiet hours, consent,
and an early exit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mostrador import automation
from mostrador.bootstrap import Runtime
from mostrador.conversations import thread_all
from mostrador.conversations.models import Conversation, Message, OutboundSend
from mostrador.core.clock import FixedClock
from mostrador.core.events import Envelope
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Workspace
from mostrador.worker import subscribe_consumers
from tests.support.factories import bearer, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import PHONE_NUMBER_ID, connect, post_signed, whatsapp_text
from tests.support.tenancy import assert_unchanged, snapshot

FOLLOW_UP = {
    "name": "Seguimiento después de resolver",
    "trigger": "conversations.ConversationResolved",
    "steps": [
        {"wait": {"days": 2}},
        {"send": {"text": "¿Pudo resolver todo? Cualquier cosa, escríbanos.", "template": "seguimiento"}},
        {"wait": {"hours": 20}},
        {"survey": "nps"},
    ],
    "quiet_hours": {"from": "21:00", "to": "09:00"},
}  # fmt: skip


@pytest.fixture
def graph() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


class Shop:
    def __init__(self, runtime: Runtime, client: TestClient, clock: FixedClock, ws: Workspace):
        self.runtime, self.client, self.clock, self.ws = runtime, client, clock, ws
        self.admin = make_token(runtime, ws, "admin")
        self.n = 0
        self.seen: list[Envelope] = []

    def write(self, text: str) -> None:
        self.n += 1
        body = whatsapp_text(
            "5491155550000", "Ana Paz", f"wamid.j-{self.n}", text, self.clock.now()
        )
        post_signed(self.client, "whatsapp", body)
        assert thread_all(self.runtime.uow) == 1

    def resolve(self) -> None:
        with self.runtime.uow.read() as session:
            found = session.execute(select(Conversation)).scalar_one()
        answer = self.client.post(
            f"/api/v1/conversations/{found.id}/resolve", headers=bearer(self.admin)
        )
        assert answer.status_code == 200, answer.text

    def journey(self, body: dict[str, Any]) -> str:
        created = self.client.post(
            "/api/v1/automation/journeys", json=body, headers=bearer(self.admin)
        )
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    def sweep(self) -> int:
        return automation.advance_due(self.runtime.uow, WorkspaceId(self.ws.id))

    def enrollments(self, journey_id: str) -> Any:
        return self.client.get(
            f"/api/v1/automation/journeys/{journey_id}/enrollments", headers=bearer(self.admin)
        ).json()

    def sent(self) -> list[tuple[str, str | None]]:
        with self.runtime.uow.read() as session:
            rows = session.execute(
                select(Message.text, OutboundSend.payload)
                .join(OutboundSend, OutboundSend.message_id == Message.id)
                .order_by(Message.created_at)
            ).all()
        return [(text, (payload.get("template") or {}).get("name")) for text, payload in rows]


@pytest.fixture
def shop(runtime: Runtime, client: TestClient, clock: FixedClock, graph: FakeProvider) -> Shop:
    ws = make_workspace(runtime)
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID, api_url=graph.url)
    subscribe_consumers(runtime)
    found = Shop(runtime, client, clock, ws)
    runtime.bus.subscribe(
        "recorder", found.seen.append, event_types=("conversations.ConversationResolved",)
    )
    return found


def test_a_journey_waits_uses_the_template_outside_the_window_and_asks_the_survey(
    shop: Shop, clock: FixedClock
) -> None:
    journey_id = shop.journey(FOLLOW_UP)
    shop.write("hola, ¿me confirman el cambio de talle?")
    shop.resolve()
    shop.runtime.bus.publish(list(shop.seen))  # the resolution delivered again: one enrolment
    [enrolled] = shop.enrollments(journey_id)
    assert (enrolled["state"], enrolled["step"]) == ("active", 0)

    assert shop.sweep() == 1  # the first wait is scheduled
    start = clock.now()
    assert shop.enrollments(journey_id)[0]["next_run_at"] == (start + timedelta(days=2)).isoformat()
    clock.advance(timedelta(days=1))
    assert shop.sweep() == 0  # not due yet
    clock.advance(timedelta(days=1))
    assert shop.sweep() == 1  # 48 h after her last message: only the template may go
    assert shop.sent()[-1] == ("¿Pudo resolver todo? Cualquier cosa, escríbanos.", "seguimiento")

    clock.advance(timedelta(hours=1))
    shop.write("todo perfecto, gracias")  # she answers: the reply window is open again
    clock.advance(timedelta(hours=19))  # due, but 08:00 in Buenos Aires: quiet hours
    assert shop.sweep() == 1
    assert shop.enrollments(journey_id)[0]["next_run_at"] == "2026-11-27T12:00:00+00:00"
    clock.advance(timedelta(hours=1))  # 09:00 local, 20 h after her reply: inside the window
    assert shop.sweep() == 1
    assert shop.sent()[-1][0].startswith("Del 0 al 10, ¿qué tan probable es que nos recomiende")
    [done] = shop.enrollments(journey_id)
    assert (done["state"], done["next_run_at"]) == ("done", None)
    assert [entry["did"] for entry in done["log"]][2:] == [
        "sent template seguimiento",
        "waiting until 2026-11-27T11:00:00+00:00",
        "quiet hours",
        "survey nps",
        "done",
    ]


def test_nothing_is_sent_in_quiet_hours(shop: Shop, clock: FixedClock) -> None:
    journey_id = shop.journey(
        {**FOLLOW_UP, "steps": [{"wait": {"hours": 10}}, {"send": {"text": "¡Hola de nuevo!"}}]}
    )
    shop.write("hola")
    shop.resolve()
    shop.sweep()
    clock.advance(timedelta(hours=10))  # 22:00 in Buenos Aires
    before = len(shop.sent())
    assert shop.sweep() == 1
    assert len(shop.sent()) == before
    [waiting] = shop.enrollments(journey_id)
    assert waiting["next_run_at"] == "2026-11-25T12:00:00+00:00"  # 09:00 local
    clock.set(clock.now().replace(day=25, hour=12, minute=0))
    assert shop.sweep() == 1
    assert shop.sent()[-1] == ("¡Hola de nuevo!", None)


def test_marketing_needs_consent_and_an_exit_event_ends_the_journey(
    shop: Shop, clock: FixedClock
) -> None:
    marketing = shop.journey({**FOLLOW_UP, "name": "Promo", "purpose": "marketing",
                              "steps": [{"send": {"text": "20% en toda la tienda"}}]})  # fmt: skip
    exiting = shop.journey({**FOLLOW_UP, "name": "Con salida",
                            "exit_on": ["conversations.MessageReceived"]})  # fmt: skip
    shop.write("hola")
    shop.resolve()
    shop.sweep()
    [promo] = shop.enrollments(marketing)
    assert (promo["state"], promo["log"][-2]["did"]) == (
        "done",
        "skipped: no marketing consent on whatsapp",
    )
    clock.advance(timedelta(hours=1))
    shop.write("una consulta más")
    [left] = shop.enrollments(exiting)
    assert (left["state"], left["log"][-1]["did"]) == (
        "exited",
        "exit: conversations.MessageReceived",
    )
    assert all(text != "20% en toda la tienda" for text, _ in shop.sent())


def test_bad_journeys_are_refused_and_change_nothing(shop: Shop) -> None:
    before = snapshot(shop.runtime.engine)
    cases = [
        ({**FOLLOW_UP, "steps": [{"wait": {"days": 0}}]}, "steps[0].wait: more than nothing and at most 400 days"),
        ({**FOLLOW_UP, "steps": [{"survey": "sus"}]}, "steps[0].survey: one of csat, nps, ces"),
        ({**FOLLOW_UP, "exit_on": ["nope.Nothing"]}, "exit_on: unknown event type 'nope.Nothing'"),
        ({**FOLLOW_UP, "quiet_hours": {"from": "21h"}}, "quiet_hours: from and to"),
    ]  # fmt: skip
    for body, message in cases:
        answer = shop.client.post(
            "/api/v1/automation/journeys", json=body, headers=bearer(shop.admin)
        )
        assert (
            answer.status_code,
            answer.json()["error"]["code"],
            answer.json()["error"]["message"],
        ) == (
            422,
            "invalid_journey",
            message,
        )
    assert_unchanged(shop.runtime.engine, before)


def test_a_rule_can_start_a_journey_once_per_event(shop: Shop) -> None:
    journey_id = shop.journey({**FOLLOW_UP, "trigger": "commerce.OrderPlaced"})
    rule = {
        "name": "Resuelta: seguimiento",
        "trigger": "conversations.ConversationResolved",
        "actions": [{"type": "start_journey", "journey_id": journey_id}],
    }
    created = shop.client.post("/api/v1/automation/rules", json=rule, headers=bearer(shop.admin))
    assert created.status_code == 201
    shop.write("hola")
    shop.resolve()
    shop.runtime.bus.publish(list(shop.seen))
    [enrolled] = shop.enrollments(journey_id)
    assert (enrolled["state"], enrolled["log"][0]["by"]) == (
        "active",
        "rule on conversations.ConversationResolved",
    )
