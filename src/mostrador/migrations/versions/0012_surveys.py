"""Surveys of every kind: CSAT, NPS and CES share one table; the comment after a score and
whether the answer came from a detractor are kept.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("csat_surveys") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=4), server_default="csat", nullable=False)
        )
        batch.add_column(sa.Column("comment", sa.String(length=1000), nullable=True))
        batch.add_column(
            sa.Column("detractor", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("csat_surveys") as batch:
        batch.drop_column("detractor")
        batch.drop_column("comment")
        batch.drop_column("kind")
