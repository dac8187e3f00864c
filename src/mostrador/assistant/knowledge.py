"""The workspace's knowledge base: questions the business answers the same way every time,
retrieved by similarity (rapidfuzz over folded text) in the customer's language."""

from __future__ import annotations

from typing import Final

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.assistant.models import KnowledgeEntry
from mostrador.assistant.text import fold
from mostrador.core.ids import WorkspaceId

__all__ = ["MIN_SIMILARITY", "best_answer", "similarity"]

MIN_SIMILARITY: Final = 82.0


def similarity(question: str, message: str) -> float:
    """0-100: how well ``message`` asks ``question`` (word order and extra words forgiven)."""
    a, b = fold(question), fold(message)
    return max(fuzz.token_set_ratio(a, b) * 0.95, fuzz.ratio(a, b))


def best_answer(
    session: Session, workspace_id: WorkspaceId, message: str, language: str
) -> str | None:
    entries = session.execute(
        select(KnowledgeEntry.question, KnowledgeEntry.answer).where(
            KnowledgeEntry.workspace_id == workspace_id, KnowledgeEntry.language == language
        )
    ).all()
    scored = [(similarity(question, message), answer) for question, answer in entries]
    if not scored:
        return None
    score, answer = max(scored, key=lambda pair: pair[0])
    return answer if score >= MIN_SIMILARITY else None
