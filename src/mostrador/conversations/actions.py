"""The inbox's writers for entry points: one transaction each, events after commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from mostrador import customers
from mostrador.channels.base import Parsed
from mostrador.channels.voice import parse_call_event
from mostrador.conversations import inbox, rule_desk, sending, survey_scales
from mostrador.conversations.accounts import AccountInput, accounts_of_kind, connect_channel
from mostrador.conversations.ingestion import Stored, ingest
from mostrador.conversations.models import (
    AgentStatus,
    CallbackTask,
    CannedResponse,
    ChannelAccount,
    Conversation,
    ConversationNote,
    CsatSurvey,
    InboxSettings,
    Message,
    SlaPolicy,
    TeamRouting,
    TypingMark,
)
from mostrador.conversations.replies import ReplyInput, queue_reply
from mostrador.conversations.threads import latest_conversation, new_conversation
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import canonical_id


def add_channel(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: AccountInput, *, actor: str
) -> ChannelAccount:
    with uow.transaction(workspace_id, actor=actor) as tx:
        return connect_channel(tx, workspace_id, data)


def reply(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    data: ReplyInput,
    *,
    author_id: uuid.UUID | None,
    actor: str,
) -> Message:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        if conversation.merged_into_id is not None:
            raise Conflict("this conversation was merged into another", code="conversation_merged")
        message = queue_reply(tx, workspace_id, conversation, data, author_id=author_id)
        if conversation.status in ("pending", "snoozed"):
            inbox.set_status(tx, workspace_id, conversation, "open")
        return message


def change_status(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    status: str,
    *,
    snoozed_until: datetime | None,
    actor: str,
) -> Conversation:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        inbox.set_status(tx, workspace_id, conversation, status, snoozed_until=snoozed_until)
        return conversation


def change_priority(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    priority: str,
    *,
    actor: str,
) -> Conversation:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        inbox.set_priority(tx, conversation, priority)
        return conversation


def label(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    labels: Sequence[str],
    *,
    actor: str,
) -> list[str]:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        return inbox.set_labels(tx, conversation, labels)


def note(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    text: str,
    *,
    author_id: uuid.UUID | None,
    actor: str,
    channel: str | None = None,
) -> ConversationNote:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id)
        return inbox.add_note(
            tx, workspace_id, conversation, text, author_id=author_id, channel=channel
        )


def note_at_counter(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    text: str,
    *,
    author_id: uuid.UUID | None,
    actor: str,
) -> ConversationNote:
    """Staff note what happened in the store into the customer's thread (one is opened
    if the customer has none)."""
    with uow.transaction(workspace_id, actor=actor) as tx:
        survivor = canonical_id(tx.session, workspace_id, customer_id)
        conversation = latest_conversation(tx, workspace_id, survivor)
        if conversation is None:
            marker = Message(channel="store", account_id=None, sent_at=tx.now)
            conversation = new_conversation(tx, workspace_id, survivor, marker)
            conversation.status = "resolved"
            conversation.resolved_at = tx.now
        return inbox.add_note(
            tx, workspace_id, conversation, text, author_id=author_id, channel="store"
        )


def assign(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    *,
    user_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    auto: bool = False,
    actor: str,
) -> Conversation:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        if auto:
            if team_id is None:
                raise InvalidInput("automatic assignment needs a team", code="team_required")
            inbox.auto_assign(tx, workspace_id, conversation, team_id)
        else:
            inbox.assign(tx, workspace_id, conversation, user_id=user_id, team_id=team_id)
        return conversation


def merge(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    survivor_id: uuid.UUID,
    other_id: uuid.UUID,
    *,
    actor: str,
) -> Conversation:
    with uow.transaction(workspace_id, actor=actor) as tx:
        survivor = inbox.conversation_in(tx, workspace_id, survivor_id, lock=True)
        other = inbox.conversation_in(tx, workspace_id, other_id, lock=True)
        inbox.merge(tx, workspace_id, survivor, other)
        return survivor


def split(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    from_message_id: uuid.UUID,
    *,
    actor: str,
) -> Conversation:
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        return inbox.split(tx, workspace_id, conversation, from_message_id)


def set_agent_status(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    user_id: uuid.UUID,
    *,
    available: bool,
    capacity: int | None,
    actor: str,
) -> AgentStatus:
    if capacity is not None and not 0 <= capacity <= 500:
        raise InvalidInput("capacity must be between 0 and 500", code="invalid_capacity")
    with uow.transaction(workspace_id, actor=actor) as tx:
        status = tx.session.get(AgentStatus, (workspace_id, user_id))
        if status is None:
            status = AgentStatus(
                workspace_id=workspace_id,
                user_id=user_id,
                available=available,
                capacity=capacity,
                updated_at=tx.now,
            )
            tx.session.add(status)
        status.available, status.capacity, status.updated_at = available, capacity, tx.now
        return status


def set_team_routing(
    uow: UnitOfWork, workspace_id: WorkspaceId, team_id: uuid.UUID, strategy: str, *, actor: str
) -> None:
    if strategy not in ("round_robin", "least_busy"):
        raise InvalidInput("strategy must be round_robin or least_busy", code="invalid_strategy")
    with uow.transaction(workspace_id, actor=actor) as tx:
        inbox._team(tx, workspace_id, team_id)
        routing = tx.session.get(TeamRouting, team_id)
        if routing is None:
            tx.session.add(TeamRouting(team_id=team_id, strategy=strategy, last_assigned_id=None))
        else:
            routing.strategy = strategy


def save_canned_response(
    uow: UnitOfWork, workspace_id: WorkspaceId, shortcut: str, text: str, *, actor: str
) -> CannedResponse:
    shortcut = shortcut.strip().lstrip("/").lower()
    if not shortcut or len(shortcut) > 40 or not text.strip():
        raise InvalidInput(
            "a canned response needs a shortcut (≤ 40) and a text", code="invalid_canned_response"
        )
    with uow.transaction(workspace_id, actor=actor) as tx:
        found = tx.session.scalars(
            select(CannedResponse).where(
                CannedResponse.workspace_id == workspace_id, CannedResponse.shortcut == shortcut
            )
        ).first()
        if found is None:
            found = CannedResponse(
                id=new_id(),
                workspace_id=workspace_id,
                shortcut=shortcut,
                text=text.strip(),
                created_at=tx.now,
            )
            tx.session.add(found)
        found.text = text.strip()
        return found


def save_sla_policy(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    *,
    name: str,
    first_response_seconds: int | None,
    next_response_seconds: int | None,
    resolution_seconds: int | None,
    channels: Sequence[str] = (),
    priorities: Sequence[str] = (),
    segments: Sequence[str] = (),
    location_id: uuid.UUID | None = None,
    warn_ratio: float = 0.8,
    actor: str,
) -> SlaPolicy:
    targets = [
        t
        for t in (first_response_seconds, next_response_seconds, resolution_seconds)
        if t is not None
    ]
    if not name.strip() or not targets or any(t <= 0 for t in targets) or not 0 < warn_ratio < 1:
        raise InvalidInput(
            "an SLA policy needs a name, at least one positive target "
            "and a warning ratio between 0 and 1",
            code="invalid_sla_policy",
        )
    with uow.transaction(workspace_id, actor=actor) as tx:
        if location_id is not None:
            from mostrador.core.ids import LocationId
            from mostrador.core.workspaces import queries as workspace_queries

            workspace_queries.location(tx.session, workspace_id, LocationId(location_id))
        policy = tx.session.scalars(
            select(SlaPolicy).where(
                SlaPolicy.workspace_id == workspace_id, SlaPolicy.name == name.strip()
            )
        ).first()
        if policy is None:
            count = len(
                tx.session.scalars(
                    select(SlaPolicy.id).where(SlaPolicy.workspace_id == workspace_id)
                ).all()
            )
            policy = SlaPolicy(
                id=new_id(),
                workspace_id=workspace_id,
                name=name.strip(),
                position=count,
                created_at=tx.now,
            )
            tx.session.add(policy)
        policy.first_response_seconds = first_response_seconds
        policy.next_response_seconds = next_response_seconds
        policy.resolution_seconds = resolution_seconds
        policy.channels, policy.priorities, policy.segments = (
            list(channels),
            list(priorities),
            list(segments),
        )
        policy.location_id = location_id
        policy.warn_ratio = warn_ratio
        return policy


def save_inbox_settings(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    *,
    reopen_window_hours: int,
    csat_enabled: bool,
    auto_assign: bool,
    default_team_id: uuid.UUID | None,
    actor: str,
) -> InboxSettings:
    if not 0 <= reopen_window_hours <= 24 * 90:
        raise InvalidInput("the reopen window is 0 to 2,160 hours", code="invalid_reopen_window")
    with uow.transaction(workspace_id, actor=actor) as tx:
        if default_team_id is not None:
            inbox._team(tx, workspace_id, default_team_id)
        found = tx.session.get(InboxSettings, workspace_id)
        if found is None:
            found = InboxSettings(workspace_id=workspace_id)
            tx.session.add(found)
        found.reopen_window_hours, found.csat_enabled = reopen_window_hours, csat_enabled
        found.auto_assign, found.default_team_id, found.updated_at = (
            auto_assign,
            default_team_id,
            tx.now,
        )
        return found


def voice_line(
    uow: UnitOfWork, workspace_id: WorkspaceId, number: str, *, actor: str
) -> ChannelAccount:
    """The workspace's phone line for ``number`` (connected on its first call)."""
    with uow.read() as session:
        for account in accounts_of_kind(session, "voice"):
            if account.workspace_id == workspace_id and account.external_id == number:
                return account
    try:
        return add_channel(
            uow,
            workspace_id,
            AccountInput(kind="voice", external_id=number, name=f"Teléfono {number}"),
            actor=actor,
        )
    except Conflict:
        with uow.read() as session:
            found = next(
                (a for a in accounts_of_kind(session, "voice") if a.external_id == number), None
            )
        if found is None or found.workspace_id != workspace_id:
            raise
        return found


def record_call(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: dict[str, object], body: bytes, *, actor: str
) -> Stored:
    """A telephony provider's call event, stored like any delivery; the business's number
    (``to`` of an inbound call, ``from`` of an outbound one) names the line."""
    with uow.read() as session:
        country = workspace_queries.workspace_by_id(session, workspace_id).country
    data = dict(data)
    for end in ("from", "to"):  # both ends in E.164 when they read as phones
        raw = str(data.get(end, ""))
        data[end] = customers.normalize("phone", raw, country) or raw
    business = str(data.get("from") if data.get("direction") == "outbound" else data.get("to"))
    account = voice_line(uow, workspace_id, business, actor=actor)
    item = parse_call_event(data, account=account.external_id)
    return ingest(uow, "voice", body, Parsed(messages=(item,)), {account.external_id: account})


def complete_callback(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    task_id: uuid.UUID,
    *,
    user_id: uuid.UUID | None,
    actor: str,
) -> CallbackTask:
    with uow.transaction(workspace_id, actor=actor) as tx:
        task = tx.session.get(CallbackTask, task_id)
        if task is None or task.workspace_id != workspace_id:
            raise NotFound("no such callback", code="callback_not_found")
        if task.done_at is None:
            task.done_at, task.done_by = tx.now, user_id
        return task


def send_survey(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    kind: str,
    *,
    actor: str,
) -> CsatSurvey:
    """Ask a CSAT, NPS or CES question on the customer's last channel."""
    if kind not in survey_scales.KINDS:
        raise InvalidInput("kind must be csat, nps or ces", code="invalid_survey_kind")
    with uow.transaction(workspace_id, actor=actor) as tx:
        conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
        survey = rule_desk.send_survey(tx, workspace_id, conversation, kind)
        if survey is None:
            raise Conflict(
                "the survey cannot be sent now: no channel, or its reply window is closed",
                code="survey_not_sendable",
            )
        return survey


def retry_message(uow: UnitOfWork, workspace_id: WorkspaceId, message_id: uuid.UUID) -> None:
    with uow.read() as session:
        message = session.get(Message, message_id)
        if message is None or message.workspace_id != workspace_id:
            raise NotFound("no such message", code="message_not_found")
        if message.status != "failed":
            raise Conflict("only a failed message can be sent again", code="not_failed")
    sending.retry_now(uow, workspace_id, message_id)


def wake_snoozed(uow: UnitOfWork, workspace_id: WorkspaceId) -> int:
    """Snoozed conversations whose time came are open again."""
    with uow.transaction(workspace_id, actor="inbox") as tx:
        woken = tx.session.execute(
            update(Conversation)
            .where(
                Conversation.workspace_id == workspace_id,
                Conversation.status == "snoozed",
                Conversation.snoozed_until <= tx.now,
            )
            .values(status="open", snoozed_until=None, updated_at=tx.now)
        )
        return int(cast(CursorResult[Any], woken).rowcount)


TYPING_FRESH = timedelta(seconds=15)


def typing(
    uow: UnitOfWork, workspace_id: WorkspaceId, conversation_id: uuid.UUID, user_id: uuid.UUID
) -> list[uuid.UUID]:
    """Mark ``user_id`` as typing here; returns the other agents typing in the last 15 s
    (the collision warning: two people answering the same customer)."""
    with uow.transaction(workspace_id, actor=f"user:{user_id}") as tx:
        inbox.conversation_in(tx, workspace_id, conversation_id)
        mark = tx.session.get(TypingMark, (conversation_id, user_id))
        if mark is None:
            tx.session.add(TypingMark(conversation_id=conversation_id, user_id=user_id, at=tx.now))
        else:
            mark.at = tx.now
        others = tx.session.scalars(
            select(TypingMark.user_id).where(
                TypingMark.conversation_id == conversation_id,
                TypingMark.user_id != user_id,
                TypingMark.at >= tx.now - TYPING_FRESH,
            )
        ).all()
        return sorted(others)
