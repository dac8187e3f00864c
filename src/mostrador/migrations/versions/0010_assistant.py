"""The assistant: its settings per workspace, its state per conversation, the log of every
message it read (one row per message, which also makes a redelivery harmless) and the
knowledge base.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import mostrador.core.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_settings",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "channels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "payment_methods",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("instalments", sa.String(length=500), nullable=False),
        sa.Column("llm_base_url", sa.String(length=500), nullable=False),
        sa.Column("llm_model", sa.String(length=200), nullable=False),
        sa.Column("llm_api_key", sa.String(length=500), nullable=False),
        sa.Column("updated_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_assistant_settings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_assistant_settings")),
    )
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_knowledge_entries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_entries")),
    )
    op.create_index(
        op.f("ix_knowledge_entries_workspace_id"),
        "knowledge_entries",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "bot_sessions",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("unclear", sa.Integer(), nullable=False),
        sa.Column(
            "pending",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("handed_over_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("handover_reason", sa.String(length=40), nullable=True),
        sa.Column("active_since", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_bot_sessions_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_bot_sessions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_bot_sessions")),
    )
    op.create_index(
        op.f("ix_bot_sessions_workspace_id"), "bot_sessions", ["workspace_id"], unique=False
    )
    op.create_table(
        "bot_turns",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("intent", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column(
            "entities",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("escalate", sa.Boolean(), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("skill", sa.String(length=30), nullable=True),
        sa.Column("reply_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_bot_turns_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_bot_turns_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_bot_turns_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_bot_turns")),
    )
    op.create_index(
        "ix_bot_turns_conversation", "bot_turns", ["conversation_id", "created_at"], unique=False
    )
    op.create_index(op.f("ix_bot_turns_workspace_id"), "bot_turns", ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_bot_turns_workspace_id"), table_name="bot_turns")
    op.drop_index("ix_bot_turns_conversation", table_name="bot_turns")
    op.drop_table("bot_turns")
    op.drop_index(op.f("ix_bot_sessions_workspace_id"), table_name="bot_sessions")
    op.drop_table("bot_sessions")
    op.drop_index(op.f("ix_knowledge_entries_workspace_id"), table_name="knowledge_entries")
    op.drop_table("knowledge_entries")
    op.drop_table("assistant_settings")
