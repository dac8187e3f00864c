"""The assistant's tables: its settings per workspace, its state per conversation, one row
per message it read (the log, and what makes a redelivered message harmless), and the
workspace's knowledge base."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mostrador.core.db import Base


class AssistantSettings(Base):
    __tablename__ = "assistant_settings"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(default=False)
    channels: Mapped[list[Any]] = mapped_column(default=list)  # empty: every channel
    payment_methods: Mapped[list[Any]] = mapped_column(default=list)
    instalments: Mapped[str] = mapped_column(String(500), default="")
    llm_base_url: Mapped[str] = mapped_column(String(500), default="")
    llm_model: Mapped[str] = mapped_column(String(200), default="")
    llm_api_key: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime]


class BotSession(Base):
    """The bot's state in one conversation."""

    __tablename__ = "bot_sessions"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(10))  # bot | person
    language: Mapped[str | None] = mapped_column(String(2))
    unclear: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[dict[str, Any]] = mapped_column(default=dict)  # what the bot waits for
    handed_over_at: Mapped[datetime | None]
    handover_reason: Mapped[str | None] = mapped_column(String(40))
    active_since: Mapped[
        datetime
    ]  # created or last handed back: people's replies after it stop the bot
    updated_at: Mapped[datetime]


class BotTurn(Base):
    """One customer message the bot read and what it did (the key makes it read once)."""

    __tablename__ = "bot_turns"
    __table_args__ = (Index("ix_bot_turns_conversation", "conversation_id", "created_at"),)

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(2))
    intent: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    entities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    escalate: Mapped[bool] = mapped_column(default=False)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    outcome: Mapped[str] = mapped_column(String(20))  # answered | asked | handed_over | silent
    skill: Mapped[str | None] = mapped_column(String(30))
    reply_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class KnowledgeEntry(Base):
    """A question the business answers the same way every time (editable in settings)."""

    __tablename__ = "knowledge_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    question: Mapped[str] = mapped_column(String(500))
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
