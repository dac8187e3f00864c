"""Reads for the inbox, the API and the customer 360; every one scoped to a workspace."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mostrador.conversations import search
from mostrador.conversations.models import (
    CallbackTask,
    CannedResponse,
    Conversation,
    ConversationLabel,
    ConversationNote,
    CsatSurvey,
    Message,
    OutboundSend,
    SlaClockRecord,
)
from mostrador.core.errors import NotFound
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import group_ids

MAX_PAGE = 200


@dataclass(frozen=True)
class InboxFilter:
    customer_id: uuid.UUID | None = None
    status: str | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    team_id: uuid.UUID | None = None
    label: str | None = None
    channel: str | None = None
    before: datetime | None = None  # paging: conversations whose last message is older
    limit: int = 50


def conversation(
    session: Session, workspace_id: WorkspaceId, conversation_id: uuid.UUID
) -> Conversation:
    found = session.get(Conversation, conversation_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("no such conversation", code="conversation_not_found")
    return found


def conversations(
    session: Session, workspace_id: WorkspaceId, where: InboxFilter
) -> Sequence[Conversation]:
    """Newest activity first; merged-away conversations are left out."""
    statement = select(Conversation).where(
        Conversation.workspace_id == workspace_id, Conversation.merged_into_id.is_(None)
    )
    if where.customer_id is not None:
        people = group_ids(session, workspace_id, where.customer_id)
        statement = statement.where(Conversation.customer_id.in_(people))
    if where.status is not None:
        statement = statement.where(Conversation.status == where.status)
    if where.assignee_id is not None:
        statement = statement.where(Conversation.assignee_id == where.assignee_id)
    if where.unassigned:
        statement = statement.where(Conversation.assignee_id.is_(None))
    if where.team_id is not None:
        statement = statement.where(Conversation.team_id == where.team_id)
    if where.label is not None:
        statement = statement.where(
            Conversation.id.in_(
                select(ConversationLabel.conversation_id).where(
                    ConversationLabel.label == where.label
                )
            )
        )
    if where.channel is not None:
        statement = statement.where(
            Conversation.id.in_(
                select(Message.conversation_id).where(
                    Message.workspace_id == workspace_id, Message.channel == where.channel
                )
            )
        )
    if where.before is not None:
        statement = statement.where(Conversation.last_message_at < where.before)
    limit = max(1, min(where.limit, MAX_PAGE))
    return session.scalars(
        statement.order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(limit)
    ).all()


def channels_of(
    session: Session, conversation_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """The channels each conversation has messages on, in the order they were first used."""
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    if not conversation_ids:
        return found
    rows = session.execute(
        select(Message.conversation_id, Message.channel, func.min(Message.sent_at))
        .where(Message.conversation_id.in_(conversation_ids))
        .group_by(Message.conversation_id, Message.channel)
        .order_by(func.min(Message.sent_at))
    ).all()
    for conversation_id, channel, _first in rows:
        if conversation_id is not None:
            found[conversation_id].append(channel)
    return found


def labels_of(
    session: Session, conversation_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    if not conversation_ids:
        return found
    for conversation_id, label in session.execute(
        select(ConversationLabel.conversation_id, ConversationLabel.label)
        .where(ConversationLabel.conversation_id.in_(conversation_ids))
        .order_by(ConversationLabel.label)
    ):
        found[conversation_id].append(label)
    return found


def messages(
    session: Session,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    *,
    after: datetime | None = None,
    limit: int = 500,
) -> Sequence[Message]:
    """The conversation's messages, oldest first."""
    conversation(session, workspace_id, conversation_id)
    statement = select(Message).where(Message.conversation_id == conversation_id)
    if after is not None:
        statement = statement.where(Message.sent_at > after)
    return session.scalars(
        statement.order_by(Message.sent_at, Message.created_at, Message.id).limit(
            max(1, min(limit, 2000))
        )
    ).all()


def send_errors(
    session: Session, message_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, str | None]]:
    """Attempts and the last provider error of queued or failed messages."""
    if not message_ids:
        return {}
    rows = session.execute(
        select(OutboundSend.message_id, OutboundSend.attempts, OutboundSend.last_error).where(
            OutboundSend.message_id.in_(message_ids)
        )
    ).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def notes(
    session: Session, workspace_id: WorkspaceId, conversation_id: uuid.UUID
) -> Sequence[ConversationNote]:
    conversation(session, workspace_id, conversation_id)
    return session.scalars(
        select(ConversationNote)
        .where(ConversationNote.conversation_id == conversation_id)
        .order_by(ConversationNote.created_at)
    ).all()


def sla_clocks(session: Session, conversation_id: uuid.UUID) -> Sequence[SlaClockRecord]:
    return session.scalars(
        select(SlaClockRecord)
        .where(SlaClockRecord.conversation_id == conversation_id)
        .order_by(SlaClockRecord.started_at)
    ).all()


def search_messages(
    session: Session, workspace_id: WorkspaceId, query: str, *, limit: int = 50
) -> Sequence[Message]:
    """Messages matching every word of ``query``, newest first."""
    language = workspace_queries.workspace_by_id(session, workspace_id).language
    ids = search.matching_ids(
        session, workspace_id, query, language, limit=max(1, min(limit, MAX_PAGE))
    )
    if not ids:
        return []
    found = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def canned_responses(session: Session, workspace_id: WorkspaceId) -> Sequence[CannedResponse]:
    return session.scalars(
        select(CannedResponse)
        .where(CannedResponse.workspace_id == workspace_id)
        .order_by(CannedResponse.shortcut)
    ).all()


def callbacks(
    session: Session, workspace_id: WorkspaceId, *, pending_only: bool = True
) -> Sequence[CallbackTask]:
    statement = select(CallbackTask).where(CallbackTask.workspace_id == workspace_id)
    if pending_only:
        statement = statement.where(CallbackTask.done_at.is_(None))
    return session.scalars(statement.order_by(CallbackTask.created_at)).all()


def csat_surveys(
    session: Session, workspace_id: WorkspaceId, conversation_id: uuid.UUID
) -> Sequence[CsatSurvey]:
    return session.scalars(
        select(CsatSurvey).where(
            CsatSurvey.workspace_id == workspace_id, CsatSurvey.conversation_id == conversation_id
        )
    ).all()


def customer_section(
    session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID
) -> dict[str, Any]:
    """The conversations part of the customer 360."""
    found = conversations(session, workspace_id, InboxFilter(customer_id=customer_id, limit=20))
    ids = [c.id for c in found]
    channels = channels_of(session, ids)
    people = group_ids(session, workspace_id, customer_id)
    scores = session.execute(
        select(func.count(CsatSurvey.score), func.avg(CsatSurvey.score)).where(
            CsatSurvey.workspace_id == workspace_id,
            CsatSurvey.customer_id.in_(people),
            CsatSurvey.score.is_not(None),
        )
    ).one()
    return {
        "conversations": [
            {
                "id": str(c.id),
                "status": c.status,
                "channels": channels.get(c.id, []),
                "message_count": c.message_count,
                "last_message_at": c.last_message_at.isoformat(),
                "last_preview": c.last_preview,
            }
            for c in found
        ],
        "open_conversations": sum(1 for c in found if c.status != "resolved"),
        "csat": {
            "answers": int(scores[0] or 0),
            "average": round(float(scores[1]), 2) if scores[1] is not None else None,
        },
    }


def reply_variables(
    session: Session,
    workspace_id: WorkspaceId,
    conversation_id: uuid.UUID,
    agent_id: uuid.UUID | None,
) -> dict[str, str]:
    """What a canned response may mention: the customer's name and the agent's."""
    from mostrador.core.workspaces.models import User
    from mostrador.customers import Customer

    found = conversation(session, workspace_id, conversation_id)
    customer = session.get(Customer, found.customer_id)
    agent = session.get(User, agent_id) if agent_id else None
    name = customer.display_name if customer else ""
    return {
        "nombre": name.split()[0] if name.strip() else "",
        "nombre_completo": name,
        "agente": agent.name.split()[0] if agent and agent.name.strip() else "",
        "canal": found.last_channel,
    }


def fill_variables(text: str, values: dict[str, str]) -> str:
    """``{nombre}`` → the value; unknown names are left as written."""
    out = text
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


LIVE_BATCH = 200


def inbox_events(
    session: Session, workspace_id: WorkspaceId, after: uuid.UUID | None, *, start: datetime
) -> list[tuple[uuid.UUID, str, dict[str, Any]]]:
    """Inbox events after ``after`` (an event id; without one, from ``start``), oldest first."""
    from mostrador.core.event_log import EventRecord

    statement = select(EventRecord.id, EventRecord.type, EventRecord.payload).where(
        EventRecord.workspace_id == workspace_id, EventRecord.type.like("conversations.%")
    )
    if after is not None:
        statement = statement.where(EventRecord.id > after)
    else:
        statement = statement.where(EventRecord.occurred_at >= start)
    rows = session.execute(statement.order_by(EventRecord.id).limit(LIVE_BATCH)).all()
    return [(r[0], r[1].split(".", 1)[1], dict(r[2])) for r in rows]


def surveys_of(
    session: Session, workspace_id: WorkspaceId, conversation_id: uuid.UUID
) -> list[dict[str, Any]]:
    """The surveys asked in a conversation and their answers, oldest first."""
    rows = session.scalars(
        select(CsatSurvey)
        .where(
            CsatSurvey.workspace_id == workspace_id, CsatSurvey.conversation_id == conversation_id
        )
        .order_by(CsatSurvey.sent_at)
    )
    return [
        {
            "id": str(s.id),
            "kind": s.kind,
            "channel": s.channel,
            "sent_at": s.sent_at.isoformat(),
            "score": s.score,
            "comment": s.comment,
            "detractor": s.detractor,
            "answered_at": s.answered_at.isoformat() if s.answered_at else None,
        }
        for s in rows
    ]
