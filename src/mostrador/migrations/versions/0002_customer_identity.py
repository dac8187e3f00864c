"""Customer identity: identifiers' channel form and sharing, profile fields, merges and
suggestions, consents, search terms and match keys; events may be redacted once on erasure.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:50:14.516415
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mostrador.core.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# The only change the database accepts on an event: setting redacted_at (once) with a new
# payload; every other column must stay as it was. Deleting stays forbidden.
_SAME_EXCEPT_PAYLOAD = (
    "OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.id = OLD.id "
    "AND NEW.workspace_id IS {same} OLD.workspace_id AND NEW.type = OLD.type "
    "AND NEW.version = OLD.version AND NEW.occurred_at = OLD.occurred_at "
    "AND NEW.actor IS {same} OLD.actor AND NEW.customer_id IS {same} OLD.customer_id"
)


def _allow_one_redaction() -> None:
    if op.get_bind().dialect.name == "postgresql":
        condition = _SAME_EXCEPT_PAYLOAD.format(same="NOT DISTINCT FROM")
        op.execute(
            "CREATE OR REPLACE FUNCTION mostrador_events_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'UPDATE' AND {condition} THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION 'events are append-only'; END $$"
        )
        return
    op.execute("DROP TRIGGER events_no_update")
    op.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        f"WHEN NOT ({_SAME_EXCEPT_PAYLOAD.format(same='')}) "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )


def _restore_strict_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION mostrador_events_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$"
        )
        return
    op.execute("DROP TRIGGER events_no_update")
    op.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("evidence", sa.String(length=2000), nullable=False),
        sa.Column("recorded_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_consents_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_consents_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consents_customer", ["customer_id", "purpose", "channel"], unique=False
        )

    op.create_table(
        "customer_match_keys",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_match_keys_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_customer_match_keys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", "key", name=op.f("pk_customer_match_keys")),
    )
    with op.batch_alter_table("customer_match_keys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_match_keys_lookup", ["workspace_id", "key"], unique=False
        )

    op.create_table(
        "customer_merges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("merged_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column(
            "explanation",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("merged_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.String(length=200), nullable=True),
        sa.Column("undone_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_id"],
            ["customers.id"],
            name=op.f("fk_customer_merges_merged_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["customers.id"],
            name=op.f("fk_customer_merges_survivor_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_customer_merges_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_merges")),
    )
    with op.batch_alter_table("customer_merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_merges_merged_id"), ["merged_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_merges_survivor_id"), ["survivor_id"], unique=False
        )

    op.create_table(
        "customer_search_terms",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("term", sa.String(length=80), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_search_terms_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_customer_search_terms_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", "term", name=op.f("pk_customer_search_terms")),
    )
    with op.batch_alter_table("customer_search_terms", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_search_terms_lookup",
            ["workspace_id", "term"],
            unique=False,
            postgresql_ops={"term": "varchar_pattern_ops"},
        )

    op.create_table(
        "merge_suggestions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("customer_a_id", sa.Uuid(), nullable=False),
        sa.Column("customer_b_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column(
            "explanation",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_a_id"],
            ["customers.id"],
            name=op.f("fk_merge_suggestions_customer_a_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_b_id"],
            ["customers.id"],
            name=op.f("fk_merge_suggestions_customer_b_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_merge_suggestions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_suggestions")),
        sa.UniqueConstraint(
            "workspace_id",
            "customer_a_id",
            "customer_b_id",
            name=op.f("uq_merge_suggestions_workspace_id_customer_a_id_customer_b_id"),
        ),
    )
    with op.batch_alter_table("merge_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merge_suggestions_customer_a_id"), ["customer_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_merge_suggestions_customer_b_id"), ["customer_b_id"], unique=False
        )

    with op.batch_alter_table("customer_identifiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_value", sa.String(length=320), nullable=True))
        batch_op.add_column(
            sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preferred_channel", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column(
                "tags",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )
        batch_op.add_column(
            sa.Column("city", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("address", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("postcode", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="active")
        )
        batch_op.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "erasure_requested_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("purge_after", mostrador.core.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_customers_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_customers_merged_into_id_customers"),
            "customers",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # A plain ADD COLUMN: rebuilding `events` on SQLite would drop its append-only triggers.
    op.add_column(
        "events",
        sa.Column("redacted_at", mostrador.core.db.UtcDateTime(timezone=True), nullable=True),
    )
    _allow_one_redaction()


def downgrade() -> None:
    _restore_strict_append_only()
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("redacted_at")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_customers_merged_into_id_customers"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_customers_merged_into_id"))
        batch_op.drop_column("purge_after")
        batch_op.drop_column("erasure_requested_at")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("status")
        batch_op.drop_column("birth_date")
        batch_op.drop_column("postcode")
        batch_op.drop_column("address")
        batch_op.drop_column("city")
        batch_op.drop_column("tags")
        batch_op.drop_column("preferred_channel")

    with op.batch_alter_table("customer_identifiers", schema=None) as batch_op:
        batch_op.drop_column("shared")
        batch_op.drop_column("channel_value")

    with op.batch_alter_table("merge_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_suggestions_customer_b_id"))
        batch_op.drop_index(batch_op.f("ix_merge_suggestions_customer_a_id"))

    op.drop_table("merge_suggestions")
    with op.batch_alter_table("customer_search_terms", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_customer_search_terms_lookup", postgresql_ops={"term": "varchar_pattern_ops"}
        )

    op.drop_table("customer_search_terms")
    with op.batch_alter_table("customer_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_merges_survivor_id"))
        batch_op.drop_index(batch_op.f("ix_customer_merges_merged_id"))

    op.drop_table("customer_merges")
    with op.batch_alter_table("customer_match_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_match_keys_lookup")

    op.drop_table("customer_match_keys")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index("ix_consents_customer")

    op.drop_table("consents")
