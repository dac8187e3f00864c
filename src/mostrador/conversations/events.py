"""What happens in the inbox. Events with a ``customer_id`` appear on that customer's timeline;
automation reacts to them (SLA warnings and breaches, CSAT answers, missed calls)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mostrador.core.events import Event, domain_event


@domain_event("conversations.ChannelConnected")
@dataclass(frozen=True, kw_only=True)
class ChannelConnected(Event):
    account_id: uuid.UUID
    kind: str
    external_id: str


@domain_event("conversations.MessageReceived")
@dataclass(frozen=True, kw_only=True)
class MessageReceived(Event):
    """A customer's message was threaded into a conversation."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    kind: str
    text: str
    answers_survey: bool = False  # a score for a survey: nobody needs to answer it


@domain_event("conversations.MessageSent")
@dataclass(frozen=True, kw_only=True)
class MessageSent(Event):
    """A reply (by an agent, the bot or the business app) was accepted by the provider."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    author: str


@domain_event("conversations.MessageFailed")
@dataclass(frozen=True, kw_only=True)
class MessageFailed(Event):
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    reason: str


@domain_event("conversations.ConversationOpened")
@dataclass(frozen=True, kw_only=True)
class ConversationOpened(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    reopened: bool


@domain_event("conversations.ConversationStatusChanged")
@dataclass(frozen=True, kw_only=True)
class ConversationStatusChanged(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    previous: str
    status: str


@domain_event("conversations.ConversationResolved")
@dataclass(frozen=True, kw_only=True)
class ConversationResolved(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channels: tuple[str, ...]
    messages: int
    agent_replies: int
    transfers: int


@domain_event("conversations.ConversationAssigned")
@dataclass(frozen=True, kw_only=True)
class ConversationAssigned(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    assignee_id: uuid.UUID | None
    team_id: uuid.UUID | None
    how: str
    transfer: bool


@domain_event("conversations.ConversationsMerged")
@dataclass(frozen=True, kw_only=True)
class ConversationsMerged(Event):
    conversation_id: uuid.UUID
    merged_id: uuid.UUID
    customer_id: uuid.UUID


@domain_event("conversations.ConversationSplit")
@dataclass(frozen=True, kw_only=True)
class ConversationSplit(Event):
    conversation_id: uuid.UUID
    new_conversation_id: uuid.UUID
    customer_id: uuid.UUID
    messages: int


@domain_event("conversations.NoteAdded")
@dataclass(frozen=True, kw_only=True)
class NoteAdded(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    note_id: uuid.UUID
    mentions: tuple[str, ...]


@domain_event("conversations.SlaWarning")
@dataclass(frozen=True, kw_only=True)
class SlaWarning(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    clock: str
    due_at: str


@domain_event("conversations.SlaBreached")
@dataclass(frozen=True, kw_only=True)
class SlaBreached(Event):
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    clock: str
    due_at: str


@domain_event("conversations.CsatRequested")
@dataclass(frozen=True, kw_only=True)
class CsatRequested(Event):
    survey_id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str


@domain_event("conversations.CsatAnswered")
@dataclass(frozen=True, kw_only=True)
class CsatAnswered(Event):
    survey_id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    score: int


@domain_event("conversations.SurveyAnswered")
@dataclass(frozen=True, kw_only=True)
class SurveyAnswered(Event):
    """Any survey (CSAT, NPS, CES) answered; a detractor has been given to a person."""

    survey_id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    kind: str
    score: int
    detractor: bool
    comment: str | None


@domain_event("conversations.CallbackRequested")
@dataclass(frozen=True, kw_only=True)
class CallbackRequested(Event):
    """A missed call: somebody should call the customer back."""

    task_id: uuid.UUID
    customer_id: uuid.UUID
    phone: str
