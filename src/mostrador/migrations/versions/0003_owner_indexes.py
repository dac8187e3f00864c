"""Indexes for reading a customer's identifiers, merge group and timeline within a workspace.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 07:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX: no table rebuild, so the events triggers stay.
    op.create_index(
        "ix_customer_identifiers_owner", "customer_identifiers", ["workspace_id", "customer_id"]
    )
    op.create_index("ix_events_timeline", "events", ["workspace_id", "customer_id", "occurred_at"])
    op.drop_index("ix_events_customer", table_name="events")
    op.create_index("ix_customers_merge_group", "customers", ["workspace_id", "merged_into_id"])
    op.drop_index("ix_customers_merged_into_id", table_name="customers")


def downgrade() -> None:
    op.create_index("ix_customers_merged_into_id", "customers", ["merged_into_id"])
    op.drop_index("ix_customers_merge_group", table_name="customers")
    op.create_index("ix_events_customer", "events", ["customer_id", "occurred_at"])
    op.drop_index("ix_events_timeline", table_name="events")
    op.drop_index("ix_customer_identifiers_owner", table_name="customer_identifiers")
