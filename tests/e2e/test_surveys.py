"""NPS and CES asked on the customer's channel, answered in free text; a detractor's
conversation goes back to the people with the answer noted (closing the loop)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mostrador.bootstrap import Runtime
from mostrador.conversations import thread_all
from mostrador.conversations.models import Conversation, ConversationNote, Message
from mostrador.core.clock import FixedClock
from mostrador.core.event_log import EventRecord
from mostrador.worker import subscribe_consumers
from tests.support.factories import bearer, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import PHONE_NUMBER_ID, connect, post_signed, whatsapp_text
from tests.support.tenancy import assert_unchanged, snapshot


@pytest.fixture
def graph() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


class Chat:
    def __init__(self, runtime: Runtime, client: TestClient, clock: FixedClock) -> None:
        self.runtime, self.client, self.clock, self.n = runtime, client, clock, 0

    def write(self, text: str) -> None:
        self.n += 1
        self.clock.advance(timedelta(minutes=2))
        body = whatsapp_text(
            "5491155550000", "Ana Paz", f"wamid.s-{self.n}", text, self.clock.now()
        )
        post_signed(self.client, "whatsapp", body)
        assert thread_all(self.runtime.uow) == 1

    def conversation(self) -> Conversation:
        with self.runtime.uow.read() as session:
            return session.execute(select(Conversation)).scalar_one()


@pytest.fixture
def chat(
    runtime: Runtime, client: TestClient, clock: FixedClock, graph: FakeProvider
) -> tuple[Chat, str]:
    ws = make_workspace(runtime)
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID, api_url=graph.url)
    subscribe_consumers(runtime)
    found = Chat(runtime, client, clock)
    found.write("hola, ya me llegó el pedido, gracias")
    return found, make_token(runtime, ws, "agent")


def ask(chat: Chat, token: str, kind: str) -> Any:
    found = chat.conversation()
    return chat.client.post(
        f"/api/v1/conversations/{found.id}/surveys", json={"kind": kind}, headers=bearer(token)
    )


def test_a_detractor_answer_goes_back_to_a_person_with_the_comment(chat: Any) -> None:
    talk, token = chat
    asked = ask(talk, token, "nps")
    assert asked.status_code == 201, asked.text
    assert (asked.json()["kind"], asked.json()["channel"], asked.json()["score"]) == (
        "nps",
        "whatsapp",
        None,
    )
    with talk.runtime.uow.read() as session:
        question = session.scalars(
            select(Message.text).where(Message.author_kind == "system")
        ).one()
    assert question == (
        "Del 0 al 10, ¿qué tan probable es que nos recomiende a un amigo? Puede contarnos por qué."
    )
    talk.client.post(
        f"/api/v1/conversations/{talk.conversation().id}/status",
        json={"status": "resolved"},
        headers=bearer(token),
    )
    talk.write("un 3, tardaron muchísimo en responder")
    found = talk.conversation()
    listed = talk.client.get(f"/api/v1/conversations/{found.id}/surveys", headers=bearer(token))
    [nps] = [s for s in listed.json() if s["kind"] == "nps"]
    assert (nps["score"], nps["comment"], nps["detractor"]) == (
        3,
        "tardaron muchísimo en responder",
        True,
    )
    assert (found.status, found.priority) == ("open", "high")
    detail = talk.client.get(f"/api/v1/conversations/{found.id}", headers=bearer(token)).json()
    assert detail["labels"] == ["detractor"]
    with talk.runtime.uow.read() as session:
        notes = session.scalars(select(ConversationNote.text)).all()
        answered = session.scalars(
            select(EventRecord.payload).where(EventRecord.type == "conversations.SurveyAnswered")
        ).all()
    assert notes == [
        "Encuesta NPS: 3 de 0-10 — «tardaron muchísimo en responder». Cliente detractor: "
        "contactar para cerrar el ciclo."
    ]
    assert [(p["kind"], p["score"], p["detractor"]) for p in answered] == [("nps", 3, True)]


def test_a_promoter_answer_on_an_open_conversation_is_just_recorded(chat: Any) -> None:
    talk, token = chat
    assert ask(talk, token, "ces").status_code == 201
    talk.write("7")
    found = talk.conversation()
    [ces] = talk.client.get(
        f"/api/v1/conversations/{found.id}/surveys", headers=bearer(token)
    ).json()
    assert (ces["kind"], ces["score"], ces["comment"], ces["detractor"]) == ("ces", 7, None, False)
    assert found.priority == "normal"
    with talk.runtime.uow.read() as session:
        assert session.scalars(select(ConversationNote)).all() == []


def test_a_survey_that_cannot_go_out_is_refused_and_changes_nothing(
    chat: Any, clock: FixedClock
) -> None:
    talk, token = chat
    before = snapshot(talk.runtime.engine)
    bad = ask(talk, token, "sus")
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_input")
    clock.advance(timedelta(hours=25))  # WhatsApp's customer-service window has closed
    late = ask(talk, token, "nps")
    assert (late.status_code, late.json()["error"]["code"]) == (409, "survey_not_sendable")
    assert_unchanged(talk.runtime.engine, before)
