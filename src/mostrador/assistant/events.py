"""What the assistant did. Handovers show on the customer's timeline; automation reacts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mostrador.core.events import Event, domain_event


@domain_event("assistant.BotAnswered")
@dataclass(frozen=True, kw_only=True)
class BotAnswered(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    message_id: uuid.UUID
    intent: str
    skill: str


@domain_event("assistant.ConversationHandedOver")
@dataclass(frozen=True, kw_only=True)
class ConversationHandedOver(Event):
    """The bot stopped and gave the conversation to the people, with a summary."""

    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    reason: str
    intent: str
    summary: str


@domain_event("assistant.BotResumed")
@dataclass(frozen=True, kw_only=True)
class BotResumed(Event):
    """An agent handed the conversation back to the bot."""

    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    by: str
