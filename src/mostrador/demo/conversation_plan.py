"""The demo's conversations: what the customers wrote, on which channel, and how the team
answered. Pure and deterministic for a seed: the seeder writes the plan as it is.

Customers who use a messaging channel write now and then about stock, orders, returns,
hours or delivery; most conversations get an answer within the hour (slower out of
hours), most are resolved, some answer the satisfaction question, a few stay open.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

ChatChannel = Literal["whatsapp", "instagram", "email", "webchat"]
CHAT_CHANNELS: tuple[ChatChannel, ...] = ("whatsapp", "instagram", "email", "webchat")

TOPICS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    # topic: language: (what customers write, what the team answers)
    "stock": {
        "es": (
            ("Hola! ¿Tienen la campera de jean en talle M?", "¿Les quedan zapatillas Runner en 41?",
             "Buenas, ¿hay stock del mate de calabaza en Palermo?"),
            ("¡Hola! Sí, nos quedan unidades en Palermo. ¿Te la reservo?",
             "Te confirmo que hay stock en el depósito; llega a la sucursal en 48 h."),
        ),
        "pt": (
            ("Oi! Vocês têm a jaqueta jeans tamanho M?", "Tem o tênis Runner no 41?"),
            ("Oi! Temos sim, quer que eu separe para você?",),
        ),
    },
    "order": {
        "es": (
            ("¿Cuándo llega mi pedido?", "Hice una compra el lunes y no me llegó el mail de envío",
             "¿Ya puedo pasar a retirar mi pedido?"),
            ("Tu pedido ya salió; te llega mañana entre las 9 y las 18.",
             "¡Ya está listo para retirar! Traé el código que te enviamos."),
        ),
        "pt": (
            ("Quando chega meu pedido?", "Posso retirar meu pedido hoje?"),
            ("Seu pedido já saiu para entrega e chega amanhã.",),
        ),
    },
    "returns": {
        "es": (
            ("Quiero cambiar una remera por otro talle", "¿Cómo hago una devolución? Compré online",
             "La campera vino con una falla en el cierre"),
            ("Podés cambiarla en cualquier sucursal dentro de los 30 días con el ticket.",
             "Lamentamos la falla; te la cambiamos sin cargo en la sucursal que prefieras."),
        ),
        "pt": (
            ("Quero trocar uma camiseta por outro tamanho",),
            ("Pode trocar em qualquer loja em até 30 dias.",),
        ),
    },
    "hours": {
        "es": (
            ("¿A qué hora abren el sábado?", "¿Están abiertos el feriado?"),
            ("Los sábados abrimos de 10 a 14 h.",
             "En feriados la sucursal está cerrada; la tienda online sigue abierta."),
        ),
        "pt": (("Que horas vocês abrem no sábado?",), ("Aos sábados abrimos das 10h às 14h.",)),
    },
    "delivery": {
        "es": (
            ("¿Hacen envíos a Rosario?", "¿Cuánto sale el envío a Córdoba?"),
            ("Sí, enviamos a todo el país; a Rosario llega en 3 días hábiles.",
             "El envío es gratis desde $50.000; si no, sale $4.500."),
        ),
        "pt": (("Vocês entregam em Curitiba?",), ("Entregamos sim, em até 5 dias úteis.",)),
    },
}  # fmt: skip
THANKS = {"es": ("¡Gracias!", "Genial, gracias", "Perfecto 👍"), "pt": ("Obrigada!", "Valeu!")}
CSAT_REPLIES = ("5", "5", "4", "muy bien", "excelente", "3", "4", "mal")


@dataclass(frozen=True)
class PlannedMessage:
    at: datetime
    inbound: bool
    text: str


@dataclass(frozen=True)
class PlannedConversation:
    customer_number: int
    channel: ChatChannel
    topic: str
    language: str
    messages: tuple[PlannedMessage, ...]
    resolved_at: datetime | None
    csat_reply: str | None


def _reply_delay(rng: random.Random, at: datetime) -> timedelta:
    """Minutes to the team's answer: quick in business hours, next morning otherwise."""
    hour = at.hour
    if 12 <= hour <= 22:  # 09:00-19:00 in Buenos Aires (UTC-3)
        return timedelta(minutes=rng.choice((2, 4, 7, 12, 25, 45, 90)))
    return timedelta(hours=rng.choice((9, 11, 13)), minutes=rng.randrange(60))


def plan_conversation(
    rng: random.Random,
    number: int,
    channel: ChatChannel,
    language: str,
    at: datetime,
    now: datetime,
) -> PlannedConversation:
    topic = rng.choice(sorted(TOPICS))
    asks, answers = TOPICS[topic][language if language in TOPICS[topic] else "es"]
    messages = [PlannedMessage(at, True, rng.choice(asks))]
    replied = at + _reply_delay(rng, at)
    open_now = replied > now or rng.random() < 0.04
    if not open_now:
        messages.append(PlannedMessage(replied, False, rng.choice(answers)))
        if rng.random() < 0.6:
            messages.append(
                PlannedMessage(
                    replied + timedelta(minutes=rng.randrange(1, 30)),
                    True,
                    rng.choice(THANKS.get(language, THANKS["es"])),
                )
            )
    resolved = None if open_now else messages[-1].at + timedelta(minutes=rng.randrange(5, 120))
    if resolved is not None and resolved > now:
        resolved = None
    csat = (
        rng.choice(CSAT_REPLIES)
        if resolved is not None and channel != "email" and rng.random() < 0.35
        else None
    )
    return PlannedConversation(number, channel, topic, language, tuple(messages), resolved, csat)


def plan_conversations(
    people: Sequence[tuple[int, str, Sequence[str], datetime]], now: datetime, seed: int
) -> Iterator[PlannedConversation]:
    """For each (number, language, channels, first seen): conversations on the chat
    channels the person uses, about one every three months, none in the future."""
    rng = random.Random(seed * 7919 + 17)
    for number, language, channels, first_seen in people:
        usable: list[ChatChannel] = [c for c in CHAT_CHANNELS if c in channels]
        if not usable:
            if rng.random() < 0.15:
                usable = ["webchat"]
            else:
                continue
        at = first_seen + timedelta(days=rng.randrange(0, 30), hours=rng.randrange(0, 24))
        while at < now:
            channel: ChatChannel = rng.choice(usable)
            yield plan_conversation(rng, number, channel, language, at, now)
            at += timedelta(days=rng.expovariate(1 / 95), hours=rng.randrange(0, 24))
