"""Automation: the workspace's rules and one execution row per (rule, event).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import mostrador.core.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "automation_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("trigger", sa.String(length=120), nullable=False),
        sa.Column(
            "conditions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "actions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_automation_rules_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation_rules")),
    )
    op.create_index(
        "ix_automation_rules_trigger",
        "automation_rules",
        ["workspace_id", "trigger", "active"],
        unique=False,
    )
    op.create_table(
        "rule_executions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column(
            "done",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["automation_rules.id"],
            name=op.f("fk_rule_executions_rule_id_automation_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rule_executions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_executions")),
        sa.UniqueConstraint(
            "rule_id", "event_id", name=op.f("uq_rule_executions_rule_id_event_id")
        ),
    )
    op.create_index(
        "ix_rule_executions_rule", "rule_executions", ["rule_id", "created_at"], unique=False
    )
    op.create_index(
        op.f("ix_rule_executions_workspace_id"), "rule_executions", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_rule_executions_workspace_id"), table_name="rule_executions")
    op.drop_index("ix_rule_executions_rule", table_name="rule_executions")
    op.drop_table("rule_executions")
    op.drop_index("ix_automation_rules_trigger", table_name="automation_rules")
    op.drop_table("automation_rules")
