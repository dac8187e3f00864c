"""What the assistant may do in a conversation, inside the caller's transaction.

The bot answers as ``author_kind="bot"``: its answer stops the response clocks (the customer
got an answer) and leaves the conversation ``pending`` — out of the people's open queue until
the customer writes again. Handing over puts it back in the open queue with a private note
(the summary), a priority, and the first-response clock running for a person.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from mostrador.conversations import inbox, sla_clocks
from mostrador.conversations.models import Conversation, Message
from mostrador.conversations.replies import ReplyInput, queue_reply
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx

__all__ = [
    "BotView",
    "bot_reply",
    "bot_view",
    "hand_to_person",
]


@dataclass(frozen=True, slots=True)
class BotView:
    """What the bot needs to know about a conversation before it says anything."""

    conversation: Conversation
    person_handling: bool
    unanswered: int
    recent: Sequence[tuple[str, str, str]]  # (direction, author kind, text), oldest first


def bot_view(
    tx: Tx, workspace_id: WorkspaceId, conversation_id: uuid.UUID, *, since: datetime
) -> BotView | None:
    """The conversation (locked) and whether a person is on it; None if merged away."""
    conversation = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
    if conversation.merged_into_id is not None:
        return None
    last_agent = tx.session.scalar(
        select(func.max(Message.sent_at)).where(
            Message.conversation_id == conversation.id,
            Message.direction == "outbound",
            Message.author_kind.in_(("agent", "business_app")),
        )
    )
    last_answer = tx.session.scalar(
        select(func.max(Message.sent_at)).where(
            Message.conversation_id == conversation.id, Message.direction == "outbound"
        )
    )
    unanswered_query = select(func.count()).where(
        Message.conversation_id == conversation.id, Message.direction == "inbound"
    )
    if last_answer is not None:
        unanswered_query = unanswered_query.where(Message.sent_at > last_answer)
    rows = tx.session.execute(
        select(Message.direction, Message.author_kind, Message.text)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.sent_at.desc())
        .limit(12)
    ).all()
    return BotView(
        conversation=conversation,
        person_handling=conversation.assignee_id is not None
        or (last_agent is not None and last_agent >= since),
        unanswered=int(tx.session.scalar(unanswered_query) or 0),
        recent=[(d, a, t) for d, a, t in reversed(rows)],
    )


def bot_reply(tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, text: str) -> Message:
    """Queue the bot's answer on the channel the customer last wrote on."""
    message = queue_reply(
        tx, workspace_id, conversation, ReplyInput(text=text), author_id=None, author_kind="bot"
    )
    conversation.awaiting_reply_since = None
    sla_clocks.on_reply(tx, conversation, tx.now)
    if conversation.status == "open":
        inbox.set_status(tx, workspace_id, conversation, "pending")
    return message


def hand_to_person(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, summary: str, *, urgent: bool
) -> None:
    """Back to the people: open, prioritised, the summary as a private note, a clock running."""
    if conversation.status != "open":
        inbox.set_status(tx, workspace_id, conversation, "open")
    wanted = "urgent" if urgent else "high"
    if conversation.priority not in ("urgent", wanted):
        inbox.set_priority(tx, conversation, wanted)
    inbox.add_note(tx, workspace_id, conversation, summary, author_id=None)
    if conversation.awaiting_reply_since is None:
        conversation.awaiting_reply_since = tx.now
    sla_clocks.on_customer_message(tx, conversation, tx.now, started=False)
