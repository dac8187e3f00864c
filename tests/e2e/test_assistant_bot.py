"""The bot on a real WhatsApp conversation: answers from live data, hands over with the
context, keeps quiet while a person has the conversation, answers each message once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.commerce.models import Order
from mostrador.conversations import thread_all
from mostrador.conversations.models import Conversation, ConversationNote, Message
from mostrador.core.clock import FixedClock
from mostrador.core.events import Envelope
from mostrador.core.workspaces import Workspace
from mostrador.worker import subscribe_consumers
from tests.support.factories import bearer, make_location, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import PHONE_NUMBER_ID, connect, post_signed, whatsapp_text
from tests.support.tenancy import assert_unchanged, snapshot

ANA = "5491155550000"
REMERA = {
    "name": "Remera lisa algodón",
    "category": "remeras",
    "variants": [
        {"sku": "REM-M-NEG", "price": "1999.00", "attributes": {"talle": "M", "color": "negro"}},
        {"sku": "REM-L-NEG", "price": "1999.00", "attributes": {"talle": "L", "color": "negro"}},
    ],
}


def call(client: TestClient, method: str, path: str, token: str, body: Any = None) -> Any:
    return client.request(method, path, json=body, headers=bearer(token))


class Shop:
    def __init__(self, runtime: Runtime, client: TestClient, clock: FixedClock, ws: Workspace):
        self.runtime, self.client, self.clock, self.ws = runtime, client, clock, ws
        self.admin = make_token(runtime, ws, "admin")
        self.agent = make_token(runtime, ws, "agent")
        self.sent = 0
        self.seen: list[Envelope] = []

    def write(self, text: str, wa_id: str = ANA, name: str = "Ana Paz") -> None:
        """The customer writes on WhatsApp; the message is threaded and the bot reads it."""
        self.sent += 1
        self.clock.advance(timedelta(seconds=30))
        body = whatsapp_text(wa_id, name, f"wamid.bot-{self.sent}", text, self.clock.now())
        post_signed(self.client, "whatsapp", body)
        assert thread_all(self.runtime.uow) == 1

    def conversation(self, wa_id: str = ANA) -> Conversation:
        with self.runtime.uow.read() as session:
            return session.execute(
                select(Conversation)
                .join(Message, Message.conversation_id == Conversation.id)
                .where(Message.address == wa_id)
                .limit(1)
            ).scalar_one()

    def bot_said(self, wa_id: str = ANA) -> list[str]:
        found = self.conversation(wa_id)
        with self.runtime.uow.read() as session:
            return list(
                session.scalars(
                    select(Message.text)
                    .where(Message.conversation_id == found.id, Message.author_kind == "bot")
                    .order_by(Message.created_at)
                )
            )

    def bot(self, wa_id: str = ANA) -> Any:
        found = self.conversation(wa_id)
        answer = call(self.client, "GET", f"/api/v1/conversations/{found.id}/bot", self.agent)
        assert answer.status_code == 200
        return answer.json()


@pytest.fixture
def graph() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


@pytest.fixture
def shop(runtime: Runtime, client: TestClient, clock: FixedClock, graph: FakeProvider) -> Shop:
    ws = make_workspace(runtime)
    make_location(runtime, ws, "PAL", name="Hornero Palermo")
    make_location(runtime, ws, "COR", name="Hornero Córdoba", latitude=-31.4, longitude=-64.2)
    connect(runtime, ws, "whatsapp", PHONE_NUMBER_ID, api_url=graph.url)
    subscribe_consumers(runtime)
    recorder: list[Envelope] = []
    runtime.bus.subscribe(
        "recorder", recorder.append, event_types=("conversations.MessageReceived",)
    )
    found = Shop(runtime, client, clock, ws)
    found.seen = recorder
    assert call(client, "POST", "/api/v1/products", found.admin, REMERA).status_code == 201
    assert (
        call(
            client, "PUT", "/api/v1/inventory/REM-M-NEG/COR", found.admin, {"on_hand": 2}
        ).status_code
        == 200
    )
    on = call(
        client,
        "PUT",
        "/api/v1/assistant/settings",
        found.admin,
        {
            "enabled": True,
            "payment_methods": ["cash", "mercado_pago"],
            "instalments": "Hasta 3 cuotas sin interés.",
        },
    )
    assert on.status_code == 200
    return found


def test_a_greeting_is_answered_and_the_conversation_leaves_the_open_queue(shop: Shop) -> None:
    shop.write("holaa buenas tardes!!")
    assert shop.bot_said() == [
        "¡Hola! Soy el asistente de Tienda Acme. Puedo ayudar con pedidos, stock en los "
        "locales, horarios, cambios y devoluciones, promociones, puntos y medios de pago. "
        "¿En qué puedo ayudar?"
    ]
    assert shop.conversation().status == "pending"
    bot = shop.bot()
    assert (bot["state"], bot["language"]) == ("bot", "es")
    assert [(t["intent"], t["outcome"], t["skill"]) for t in bot["turns"]] == [
        ("greeting", "answered", "greeting")
    ]


def test_order_status_is_told_only_to_the_orders_owner(shop: Shop) -> None:
    placed = call(
        shop.client,
        "POST",
        "/api/v1/orders",
        shop.agent,
        {
            "channel": "web",
            "customer": {"phone": "+5491155550000", "name": "Ana Paz"},
            "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
            "fulfillment": {"type": "ship", "location": "COR"},
        },
    )
    assert placed.status_code == 201, placed.text
    number = placed.json()["number"]
    shop.write(f"hola, dónde está mi pedido #{number}?")
    assert shop.bot_said() == [
        f"Su pedido {number} (1 × Remera lisa algodón): lo recibimos y lo estamos preparando."
    ]
    # Someone else asking about Ana's order is asked to prove it, and a wrong detail goes
    # to a person (identity is never decided by the bot).
    shop.write(f"mi pedido {number} no llegó", wa_id="5491166660000", name="Otro")
    assert shop.bot_said("5491166660000") == [
        f"Para cuidar sus datos necesito confirmar que el pedido {number} es suyo: ¿me dice el "
        "e-mail o el teléfono con el que compró?"
    ]
    shop.write("es otro@example.com", wa_id="5491166660000", name="Otro")
    assert shop.bot_said("5491166660000")[-1] == (
        "Le paso con una persona del equipo, que ya tiene todo lo que me contó."
    )
    assert shop.bot("5491166660000")["handover_reason"] == "identity_not_verified"


def test_stock_is_read_from_the_one_pool_and_a_pickup_is_booked_once_confirmed(
    shop: Shop,
) -> None:
    shop.write("tienen la remera lisa algodon en talle M en palermo?")
    assert shop.bot_said() == [
        "En Hornero Palermo no queda Remera lisa algodón M, pero hay en Hornero Córdoba. "
        "¿Quiere que le reserve una para retirar en Hornero Córdoba? Responda «sí» para "
        "confirmar."
    ]
    shop.write("sí, dale")
    orders = call(shop.client, "GET", "/api/v1/inventory/REM-M-NEG", shop.agent).json()
    assert [(r["location"], r["on_hand"], r["reserved"]) for r in orders["locations"]] == [
        ("COR", 2, 1),
        ("PAL", 0, 0),
    ]
    with shop.runtime.uow.read() as session:
        [order] = session.scalars(select(Order)).all()
    assert (order.channel, order.fulfillment, order.status) == ("whatsapp", "pickup", "placed")
    assert shop.bot_said()[-1] == (
        "Listo: reservamos Remera lisa algodón M para retirar en Hornero Córdoba. Código de "
        f"retiro: {order.pickup_code}. Le avisamos cuando esté lista; se paga al retirar."
    )
    assert [t["skill"] for t in shop.bot()["turns"]] == ["stock_check", "book_pickup"]


def test_a_declined_offer_changes_nothing(shop: Shop) -> None:
    shop.write("hay remera lisa algodon talle M?")
    assert shop.bot_said()[-1].endswith("Responda «sí» para confirmar.")
    shop.write("no, gracias")
    assert shop.bot_said()[-1] == "Listo, no hago nada. ¿Le ayudo con algo más?"
    stock = call(shop.client, "GET", "/api/v1/inventory/REM-M-NEG", shop.agent).json()
    assert [r["reserved"] for r in stock["locations"]] == [0, 0]


def test_payment_methods_come_from_the_workspaces_settings(shop: Shop) -> None:
    shop.write("aceptan mercado pago? se puede en cuotas?")
    assert shop.bot_said() == ["Aceptamos: efectivo, Mercado Pago. Hasta 3 cuotas sin interés."]


def test_an_angry_message_goes_to_a_person_with_a_summary_and_the_bot_stays_quiet(
    shop: Shop,
) -> None:
    shop.write("SON UNOS INUTILES, voy a ir a defensa del consumidor")
    assert shop.bot_said() == [
        "Le paso con una persona del equipo, que ya tiene todo lo que me contó."
    ]
    found = shop.conversation()
    assert (found.status, found.priority) == ("open", "urgent")
    with shop.runtime.uow.read() as session:
        [note] = session.scalars(
            select(ConversationNote.text).where(ConversationNote.conversation_id == found.id)
        ).all()
    assert note.splitlines()[0] == "🤖 El asistente pasa la conversación: señales de escalamiento."
    assert "Señales: regulator, insult." in note
    assert (
        note.splitlines()[-1]
        == "Último mensaje: «SON UNOS INUTILES, voy a ir a defensa del consumidor»"
    )

    shop.write("hola?")  # the person has it now: the bot says nothing
    assert len(shop.bot_said()) == 1
    assert [t["outcome"] for t in shop.bot()["turns"]] == ["handed_over", "silent"]

    resumed = call(shop.client, "POST", f"/api/v1/conversations/{found.id}/bot/resume", shop.agent)
    assert (resumed.status_code, resumed.json()["state"]) == (200, "bot")
    again = call(shop.client, "POST", f"/api/v1/conversations/{found.id}/bot/resume", shop.agent)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "bot_already_active")
    shop.write("gracias!")
    assert shop.bot_said()[-1] == "¡De nada! Si necesita algo más, escríbanos por acá."


def test_outside_business_hours_the_customer_is_told_when_a_person_answers(
    shop: Shop, clock: FixedClock
) -> None:
    clock.set(clock.now().replace(hour=2))  # 23:00 on Monday in Buenos Aires
    shop.write("quiero hablar con una persona")
    assert shop.bot_said() == [
        "Le paso con una persona del equipo, que ya tiene todo lo que me contó. Ahora "
        "estamos cerrados: le responden mañana desde las 10:00."
    ]


def test_a_redelivered_message_is_answered_once(shop: Shop) -> None:
    shop.write("buen día")
    assert len(shop.seen) == 1
    shop.runtime.bus.publish(list(shop.seen))  # the bus delivers it again
    assert len(shop.bot_said()) == 1
    assert len(shop.bot()["turns"]) == 1


def test_the_knowledge_base_answers_what_the_business_wrote(shop: Shop) -> None:
    added = call(
        shop.client,
        "POST",
        "/api/v1/assistant/knowledge",
        shop.admin,
        {
            "language": "es",
            "question": "¿Hacen envíos al interior?",
            "answer": "Sí, enviamos a todo el país por Correo Argentino en 3 a 6 días hábiles.",
        },
    )
    assert added.status_code == 201
    shop.write("hacen envios al interior del pais?")
    assert shop.bot_said() == [
        "Sí, enviamos a todo el país por Correo Argentino en 3 a 6 días hábiles."
    ]
    listed = call(shop.client, "GET", "/api/v1/assistant/knowledge", shop.agent).json()
    assert [(e["question"], e["language"]) for e in listed] == [
        ("¿Hacen envíos al interior?", "es")
    ]


def test_bad_settings_are_refused_and_change_nothing(shop: Shop) -> None:
    before = snapshot(shop.runtime.engine)
    bad = call(
        shop.client,
        "PUT",
        "/api/v1/assistant/settings",
        shop.admin,
        {"enabled": True, "channels": ["fax"]},
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_input")
    denied = call(shop.client, "PUT", "/api/v1/assistant/settings", shop.agent, {"enabled": False})
    assert denied.status_code == 403
    missing = call(shop.client, "DELETE", f"/api/v1/assistant/knowledge/{shop.ws.id}", shop.admin)
    assert (missing.status_code, missing.json()["error"]["code"]) == (
        404,
        "knowledge_entry_not_found",
    )
    assert_unchanged(shop.runtime.engine, before)


def test_the_bot_is_silent_when_it_is_off(shop: Shop) -> None:
    off = call(shop.client, "PUT", "/api/v1/assistant/settings", shop.admin, {"enabled": False})
    assert (off.status_code, off.json()["enabled"]) == (200, False)
    shop.write("hola")
    assert shop.bot_said() == []
    with shop.runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def _with_model(shop: Shop, url: str) -> None:
    on = call(
        shop.client,
        "PUT",
        "/api/v1/assistant/settings",
        shop.admin,
        {
            "enabled": True,
            "llm_base_url": f"{url}/v1",
            "llm_model": "qwen2.5:7b",
            "llm_api_key": "clave-local",
        },
    )
    assert (on.status_code, on.json()["llm_api_key_set"]) == (200, True)


def _order_for_ana(shop: Shop) -> int:
    placed = call(
        shop.client,
        "POST",
        "/api/v1/orders",
        shop.agent,
        {
            "channel": "web",
            "customer": {"phone": "+5491155550000", "name": "Ana Paz"},
            "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
            "fulfillment": {"type": "ship", "location": "COR"},
        },
    )
    assert placed.status_code == 201, placed.text
    return int(placed.json()["number"])


def test_an_optional_model_phrases_the_answer_with_the_same_skills_as_tools(shop: Shop) -> None:
    number = _order_for_ana(shop)
    with fake_provider() as model:
        _with_model(shop, model.url)
        call_id = "call_1"
        model.scripted += [
            (200, {"choices": [{"message": {"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function", "function": {
                    "name": "order_status", "arguments": json.dumps({"order_ref": str(number)})}}
            ]}}]}),
            (200, {"choices": [{"message": {"role": "assistant",
                                            "content": f"¡Hola Ana! Tu pedido {number} ya se está preparando 😊"}}]}),
        ]  # fmt: skip
        shop.write(f"hola! cómo viene mi pedido {number}?")
        assert shop.bot_said()[-1] == f"¡Hola Ana! Tu pedido {number} ya se está preparando 😊"
        first, second = model.requests
    assert (first.path, first.headers["authorization"], first.body["model"]) == (
        "/v1/chat/completions",
        "Bearer clave-local",
        "qwen2.5:7b",
    )
    assert sorted(tool["function"]["name"] for tool in first.body["tools"]) == [
        "order_status",
        "payment_methods",
        "promotions",
        "return_policy",
        "stock_check",
        "store_info",
    ]
    assert second.body["messages"][-1] == {
        "role": "tool",
        "tool_call_id": call_id,
        "content": f"Su pedido {number} (1 × Remera lisa algodón): lo recibimos y lo estamos "
        "preparando.",
    }


def test_without_a_working_model_the_bot_answers_on_its_own(shop: Shop) -> None:
    with fake_provider() as model:
        _with_model(shop, model.url)
        model.scripted.append((500, {"error": "overloaded"}))
        shop.write("aceptan mercado pago?")
        assert len(model.requests) == 1
    # (the settings were replaced without payment methods: the usual four)
    assert shop.bot_said() == [
        "Aceptamos: efectivo, tarjeta de crédito, tarjeta de débito, transferencia."
    ]
