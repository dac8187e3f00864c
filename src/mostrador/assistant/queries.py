"""The assistant's reads, workspace-scoped by signature."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.assistant.models import AssistantSettings, BotSession, BotTurn, KnowledgeEntry
from mostrador.core.ids import WorkspaceId

__all__ = ["bot_in_conversation", "knowledge", "settings_document"]


def settings_document(session: Session, workspace_id: WorkspaceId) -> dict[str, Any]:
    found = session.get(AssistantSettings, workspace_id)
    return {
        "enabled": bool(found and found.enabled),
        "channels": list(found.channels) if found else [],
        "payment_methods": list(found.payment_methods) if found else [],
        "instalments": found.instalments if found else "",
        "llm_base_url": (found.llm_base_url or None) if found else None,
        "llm_model": found.llm_model if found else "",
        "llm_api_key_set": bool(found and found.llm_api_key),
    }


def knowledge(session: Session, workspace_id: WorkspaceId) -> list[dict[str, Any]]:
    rows = session.execute(
        select(KnowledgeEntry)
        .where(KnowledgeEntry.workspace_id == workspace_id)
        .order_by(KnowledgeEntry.language, KnowledgeEntry.question)
    ).scalars()
    return [
        {
            "id": str(r.id),
            "language": r.language,
            "question": r.question,
            "answer": r.answer,
            "updated_at": r.updated_at.isoformat(),
        }
        for r in rows
    ]


def bot_in_conversation(
    session: Session, workspace_id: WorkspaceId, conversation_id: uuid.UUID
) -> dict[str, Any]:
    """The bot's state in a conversation and every message it read, oldest first."""
    state = session.execute(
        select(BotSession).where(
            BotSession.conversation_id == conversation_id, BotSession.workspace_id == workspace_id
        )
    ).scalar_one_or_none()
    turns = session.execute(
        select(BotTurn)
        .where(BotTurn.conversation_id == conversation_id, BotTurn.workspace_id == workspace_id)
        .order_by(BotTurn.created_at)
    ).scalars()
    return {
        "state": state.state if state else None,
        "language": state.language if state else None,
        "handover_reason": state.handover_reason if state else None,
        "handed_over_at": state.handed_over_at.isoformat()
        if state and state.handed_over_at
        else None,
        "turns": [
            {
                "message_id": str(t.message_id),
                "intent": t.intent,
                "confidence": t.confidence,
                "language": t.language,
                "entities": t.entities,
                "escalate": t.escalate,
                "reasons": t.reasons,
                "outcome": t.outcome,
                "skill": t.skill,
                "reply_id": str(t.reply_id) if t.reply_id else None,
            }
            for t in turns
        ],
    }
