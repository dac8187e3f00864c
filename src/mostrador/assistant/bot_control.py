"""Who has a conversation, the bot or the people, set by others (automation rules) inside
their own transaction."""

from __future__ import annotations

import uuid
from datetime import timedelta

from mostrador.assistant.models import BotSession
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx

__all__ = ["give_to_bot", "take_from_bot"]


def _session(tx: Tx, workspace_id: WorkspaceId, conversation_id: uuid.UUID) -> BotSession:
    found = tx.session.get(BotSession, conversation_id)
    if found is None:
        found = BotSession(
            conversation_id=conversation_id,
            workspace_id=workspace_id,
            state="bot",
            language=None,
            unclear=0,
            pending={},
            handed_over_at=None,
            handover_reason=None,
            active_since=tx.now - timedelta(days=3650),
            updated_at=tx.now,
        )
        tx.session.add(found)
    return found


def take_from_bot(
    tx: Tx, workspace_id: WorkspaceId, conversation_id: uuid.UUID, reason: str
) -> None:
    """The bot stops answering this conversation until someone hands it back."""
    found = _session(tx, workspace_id, conversation_id)
    found.state, found.handed_over_at, found.handover_reason = "person", tx.now, reason[:40]
    found.pending, found.updated_at = {}, tx.now


def give_to_bot(tx: Tx, workspace_id: WorkspaceId, conversation_id: uuid.UUID) -> None:
    """The bot may answer the next message (people's earlier replies no longer silence it)."""
    found = _session(tx, workspace_id, conversation_id)
    found.state, found.active_since, found.unclear = "bot", tx.now, 0
    found.pending, found.updated_at = {}, tx.now
