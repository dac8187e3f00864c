"""What the team does to a conversation: status, priority, labels, notes, assignment and
transfers, merge and split. Each function works inside the caller's transaction."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update

from mostrador.conversations import assignment, sla_clocks, surveys
from mostrador.conversations.events import (
    ConversationAssigned,
    ConversationResolved,
    ConversationsMerged,
    ConversationSplit,
    ConversationStatusChanged,
    NoteAdded,
)
from mostrador.conversations.models import (
    AgentStatus,
    AssignmentRecord,
    Conversation,
    ConversationLabel,
    ConversationNote,
    Message,
    TeamRouting,
)
from mostrador.conversations.settings import inbox_settings
from mostrador.conversations.threads import new_conversation
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import Customer

STATUSES = ("open", "pending", "snoozed", "resolved")
PRIORITIES = ("low", "normal", "high", "urgent")
_LABEL = re.compile(r"^[\w][\w .:/-]{0,59}$")
_MENTION = re.compile(r"@([\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w.]+)")


def conversation_in(
    tx: Tx, workspace_id: WorkspaceId, conversation_id: uuid.UUID, *, lock: bool = False
) -> Conversation:
    statement = select(Conversation).where(
        Conversation.id == conversation_id, Conversation.workspace_id == workspace_id
    )
    if lock and tx.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    found = tx.session.scalars(statement).first()
    if found is None:
        raise NotFound("no such conversation", code="conversation_not_found")
    return found


def set_status(
    tx: Tx,
    workspace_id: WorkspaceId,
    conversation: Conversation,
    status: str,
    *,
    snoozed_until: datetime | None = None,
) -> None:
    """Move a conversation to ``status``; resolving stops its clocks and asks for CSAT."""
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", code="invalid_status")
    if status == "snoozed" and (snoozed_until is None or snoozed_until <= tx.now):
        raise InvalidInput("snoozing needs a time in the future", code="invalid_snooze")
    previous = conversation.status
    if previous == status and status != "snoozed":
        return
    conversation.status = status
    conversation.snoozed_until = snoozed_until if status == "snoozed" else None
    conversation.updated_at = tx.now
    tx.record(
        ConversationStatusChanged(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            previous=previous,
            status=status,
        )
    )
    if status == "resolved":
        _resolved(tx, workspace_id, conversation)
    elif previous == "resolved":
        conversation.resolved_at = None


def _resolved(tx: Tx, workspace_id: WorkspaceId, conversation: Conversation) -> None:
    conversation.resolved_at = tx.now
    conversation.awaiting_reply_since = None
    sla_clocks.on_resolved(tx, conversation, tx.now)
    channels = tx.session.scalars(
        select(Message.channel).where(Message.conversation_id == conversation.id).distinct()
    ).all()
    agent_replies = tx.session.scalar(
        select(func.count()).where(
            Message.conversation_id == conversation.id, Message.author_kind == "agent"
        )
    )
    transfers = tx.session.scalar(
        select(func.count()).where(
            AssignmentRecord.conversation_id == conversation.id,
            AssignmentRecord.from_team_id.is_not(None),
            AssignmentRecord.to_team_id.is_not(None),
            AssignmentRecord.from_team_id != AssignmentRecord.to_team_id,
        )
    )
    tx.record(
        ConversationResolved(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            channels=tuple(sorted(channels)),
            messages=conversation.message_count,
            agent_replies=int(agent_replies or 0),
            transfers=int(transfers or 0),
        )
    )
    if agent_replies and inbox_settings(tx.session, workspace_id).csat_enabled:
        customer = tx.session.get(Customer, conversation.customer_id)
        surveys.ask(tx, workspace_id, conversation, customer.language if customer else "es")


def set_priority(tx: Tx, conversation: Conversation, priority: str) -> None:
    if priority not in PRIORITIES:
        raise InvalidInput(
            f"priority must be one of {', '.join(PRIORITIES)}", code="invalid_priority"
        )
    conversation.priority = priority
    conversation.updated_at = tx.now


def set_labels(tx: Tx, conversation: Conversation, labels: Sequence[str]) -> list[str]:
    """Replace the conversation's labels (trimmed, lower case, unique)."""
    clean = sorted({label.strip().lower() for label in labels if label.strip()})
    bad = [label for label in clean if not _LABEL.match(label)]
    if bad or len(clean) > 30:
        raise InvalidInput(
            "labels are up to 30 words of at most 60 characters", code="invalid_label"
        )
    tx.session.execute(
        delete(ConversationLabel).where(ConversationLabel.conversation_id == conversation.id)
    )
    tx.session.add_all(
        ConversationLabel(conversation_id=conversation.id, label=label) for label in clean
    )
    conversation.updated_at = tx.now
    return clean


def mentions_in(tx: Tx, workspace_id: WorkspaceId, text: str) -> list[uuid.UUID]:
    """Members named with @email or @first-name in a note."""
    wanted = {m.lower() for m in _MENTION.findall(text)}
    if not wanted:
        return []
    found = []
    for user, _role in workspace_queries.members(tx.session, workspace_id):
        first = user.name.split()[0].lower() if user.name.strip() else ""
        if user.email.lower() in wanted or first in wanted:
            found.append(user.id)
    return found


def add_note(
    tx: Tx,
    workspace_id: WorkspaceId,
    conversation: Conversation,
    text: str,
    *,
    author_id: uuid.UUID | None,
    channel: str | None = None,
) -> ConversationNote:
    """A private note (or, with ``channel="store"``, what happened at the counter)."""
    text = text.strip()
    if not text or len(text) > 10_000:
        raise InvalidInput("a note needs 1 to 10,000 characters", code="invalid_note")
    mentioned = mentions_in(tx, workspace_id, text)
    note = ConversationNote(
        id=new_id(),
        conversation_id=conversation.id,
        author_id=author_id,
        text=text,
        mentions=[str(m) for m in mentioned],
        channel=channel,
        created_at=tx.now,
    )
    tx.session.add(note)
    conversation.updated_at = tx.now
    tx.record(
        NoteAdded(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            note_id=note.id,
            mentions=tuple(str(m) for m in mentioned),
        )
    )
    return note


def _member(tx: Tx, workspace_id: WorkspaceId, user_id: uuid.UUID) -> None:
    if workspace_queries.membership(tx.session, workspace_id, user_id) is None:
        raise InvalidInput("the assignee is not a member of this workspace", code="unknown_agent")


def assign(
    tx: Tx,
    workspace_id: WorkspaceId,
    conversation: Conversation,
    *,
    user_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    how: str = "manual",
) -> None:
    """Give the conversation to an agent and/or team; a team change is a transfer."""
    if user_id is not None:
        _member(tx, workspace_id, user_id)
    if team_id is not None:
        _team(tx, workspace_id, team_id)
    record = AssignmentRecord(
        id=new_id(),
        conversation_id=conversation.id,
        from_user_id=conversation.assignee_id,
        to_user_id=user_id,
        from_team_id=conversation.team_id,
        to_team_id=team_id if team_id is not None else conversation.team_id,
        how=how,
        by=tx.actor,
        at=tx.now,
    )
    transfer = (
        team_id is not None and conversation.team_id is not None and team_id != conversation.team_id
    )
    conversation.assignee_id = user_id
    if team_id is not None:
        conversation.team_id = team_id
    conversation.updated_at = tx.now
    tx.session.add(record)
    tx.record(
        ConversationAssigned(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            assignee_id=user_id,
            team_id=conversation.team_id,
            how=how,
            transfer=transfer,
        )
    )


def _team(tx: Tx, workspace_id: WorkspaceId, team_id: uuid.UUID) -> None:
    from mostrador.core.workspaces.models import Team

    team = tx.session.get(Team, team_id)
    if team is None or team.workspace_id != workspace_id:
        raise InvalidInput("no such team", code="unknown_team")


def agent_loads(
    tx: Tx, workspace_id: WorkspaceId, team_id: uuid.UUID
) -> list[assignment.AgentLoad]:
    """The team's members in a stable order with their open conversations and capacity."""
    from mostrador.core.workspaces.models import TeamMember

    members = tx.session.scalars(
        select(TeamMember.user_id).where(TeamMember.team_id == team_id).order_by(TeamMember.user_id)
    ).all()
    loads = dict(
        tx.session.execute(
            select(Conversation.assignee_id, func.count())
            .where(
                Conversation.workspace_id == workspace_id,
                Conversation.assignee_id.in_(members),
                Conversation.status.in_(("open", "pending")),
            )
            .group_by(Conversation.assignee_id)
        ).all()
    )
    statuses = {
        s.user_id: s
        for s in tx.session.scalars(
            select(AgentStatus).where(
                AgentStatus.workspace_id == workspace_id, AgentStatus.user_id.in_(members)
            )
        )
    }
    return [
        assignment.AgentLoad(
            user_id=str(user_id),
            open_conversations=int(loads.get(user_id, 0)),
            capacity=statuses[user_id].capacity if user_id in statuses else None,
            available=statuses[user_id].available if user_id in statuses else True,
        )
        for user_id in members
    ]


def auto_assign(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, team_id: uuid.UUID
) -> uuid.UUID | None:
    """Give the conversation to the team's next agent (round robin or least busy)."""
    _team(tx, workspace_id, team_id)
    routing = tx.session.get(TeamRouting, team_id)
    if routing is None:
        routing = TeamRouting(team_id=team_id, strategy="round_robin", last_assigned_id=None)
        tx.session.add(routing)
    loads = agent_loads(tx, workspace_id, team_id)
    if routing.strategy == "least_busy":
        chosen = assignment.least_busy(loads)
    else:
        last = str(routing.last_assigned_id) if routing.last_assigned_id else None
        chosen = assignment.round_robin(loads, last)
    user_id = uuid.UUID(chosen) if chosen else None
    assign(tx, workspace_id, conversation, user_id=user_id, team_id=team_id, how=routing.strategy)
    if user_id is not None:
        routing.last_assigned_id = user_id
    return user_id


def merge(tx: Tx, workspace_id: WorkspaceId, survivor: Conversation, other: Conversation) -> None:
    """Move every message of ``other`` into ``survivor`` (same customer only)."""
    if survivor.id == other.id:
        raise InvalidInput("a conversation cannot be merged into itself", code="same_conversation")
    if survivor.customer_id != other.customer_id:
        raise Conflict(
            "conversations of different customers cannot be merged; merge the customers first",
            code="different_customers",
        )
    tx.session.execute(
        update(Message)
        .where(Message.conversation_id == other.id)
        .values(conversation_id=survivor.id)
    )
    tx.session.execute(
        update(ConversationNote)
        .where(ConversationNote.conversation_id == other.id)
        .values(conversation_id=survivor.id)
    )
    survivor.message_count += other.message_count
    if other.last_message_at > survivor.last_message_at:
        survivor.last_message_at = other.last_message_at
        survivor.last_preview = other.last_preview
    other.message_count = 0
    other.merged_into_id = survivor.id
    other.status = "resolved"
    other.resolved_at = other.resolved_at or tx.now
    sla_clocks.on_resolved(tx, other, tx.now)
    survivor.updated_at = other.updated_at = tx.now
    tx.record(
        ConversationsMerged(
            conversation_id=survivor.id, merged_id=other.id, customer_id=survivor.customer_id
        )
    )


def split(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, from_message_id: uuid.UUID
) -> Conversation:
    """Move the messages from ``from_message_id`` on into a new conversation."""
    first = tx.session.get(Message, from_message_id)
    if first is None or first.conversation_id != conversation.id:
        raise InvalidInput(
            "the message is not in this conversation", code="message_not_in_conversation"
        )
    moving = tx.session.scalars(
        select(Message).where(
            Message.conversation_id == conversation.id, Message.sent_at >= first.sent_at
        )
    ).all()
    if len(moving) == conversation.message_count:
        raise InvalidInput(
            "splitting at the first message would move everything", code="nothing_left"
        )
    created = new_conversation(tx, workspace_id, conversation.customer_id, first)
    for message in sorted(moving, key=lambda m: m.sent_at):
        message.conversation_id = created.id
        created.message_count += 1
        created.last_message_at = message.sent_at
        created.last_preview = (message.text.strip() or f"[{message.kind}]")[:200]
        if message.direction == "inbound":
            created.last_inbound_at = message.sent_at
            created.last_account_id = message.account_id
            created.last_channel = message.channel
    conversation.message_count -= len(moving)
    rest = tx.session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.sent_at.desc())
        .limit(1)
    ).first()
    if rest is not None:
        conversation.last_message_at = rest.sent_at
        conversation.last_preview = (rest.text.strip() or f"[{rest.kind}]")[:200]
    tx.record(
        ConversationSplit(
            conversation_id=conversation.id,
            new_conversation_id=created.id,
            customer_id=conversation.customer_id,
            messages=len(moving),
        )
    )
    return created
