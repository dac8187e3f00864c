"""Journeys: steps with waits per customer, their durable schedule and log.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import mostrador.core.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journeys",
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
            "steps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "exit_on",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column(
            "quiet_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_journeys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journeys")),
    )
    op.create_index(
        "ix_journeys_trigger", "journeys", ["workspace_id", "trigger", "active"], unique=False
    )
    op.create_table(
        "journey_enrollments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("journey_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("trigger_event_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("next_run_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "log",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_journey_enrollments_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["journey_id"],
            ["journeys.id"],
            name=op.f("fk_journey_enrollments_journey_id_journeys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_journey_enrollments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_enrollments")),
        sa.UniqueConstraint(
            "journey_id",
            "trigger_event_id",
            name=op.f("uq_journey_enrollments_journey_id_trigger_event_id"),
        ),
    )
    op.create_index(
        "ix_journey_enrollments_customer",
        "journey_enrollments",
        ["workspace_id", "customer_id", "state"],
        unique=False,
    )
    op.create_index(
        "ix_journey_enrollments_due", "journey_enrollments", ["state", "next_run_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_journey_enrollments_due", table_name="journey_enrollments")
    op.drop_index("ix_journey_enrollments_customer", table_name="journey_enrollments")
    op.drop_table("journey_enrollments")
    op.drop_index("ix_journeys_trigger", table_name="journeys")
    op.drop_table("journeys")
