"""Real-time identity lookups read their index alone: customer_id joins both lookup indexes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX: no table rebuild, so the events triggers stay.
    op.drop_index("ix_customer_match_keys_lookup", table_name="customer_match_keys")
    op.create_index(
        "ix_customer_match_keys_lookup",
        "customer_match_keys",
        ["workspace_id", "key", "customer_id"],
    )
    op.drop_index("ix_customer_identifiers_lookup", table_name="customer_identifiers")
    op.create_index(
        "ix_customer_identifiers_lookup",
        "customer_identifiers",
        ["workspace_id", "kind", "normalized_value", "customer_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_customer_identifiers_lookup", table_name="customer_identifiers")
    op.create_index(
        "ix_customer_identifiers_lookup",
        "customer_identifiers",
        ["workspace_id", "kind", "normalized_value"],
    )
    op.drop_index("ix_customer_match_keys_lookup", table_name="customer_match_keys")
    op.create_index("ix_customer_match_keys_lookup", "customer_match_keys", ["workspace_id", "key"])
