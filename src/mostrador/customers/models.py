"""Customer profiles, the identifiers they are known by, consents, and how profiles were joined.

Merging never moves rows: the absorbed profile points at its survivor (``merged_into_id``)
and every read gathers the whole merge group, so un-merging only clears the pointer and both
profiles are exactly as they were.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mostrador.core.db import Base


class Customer(Base):
    """One real person, whatever channel they use. The id never changes."""

    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_merge_group", "workspace_id", "merged_into_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    country: Mapped[str | None] = mapped_column(String(2))
    home_location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL")
    )
    attributes: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    city: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    birth_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(
        String(10), default="active"
    )  # active|merged|blocked|erased
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    erasure_requested_at: Mapped[datetime | None]
    purge_after: Mapped[datetime | None]


class CustomerIdentifier(Base):
    """A way to recognise the customer: raw as received, the channel's own form for replying,
    and the normalized key matching uses (None when it must never be a key)."""

    __tablename__ = "customer_identifiers"
    __table_args__ = (
        # customer_id included: a lookup reads the index alone, never the table (migration 0004).
        Index(
            "ix_customer_identifiers_lookup",
            "workspace_id",
            "kind",
            "normalized_value",
            "customer_id",
        ),
        # Reads by owner name the workspace too; without this the planner walks the lookup
        # index over the whole workspace.
        Index("ix_customer_identifiers_owner", "workspace_id", "customer_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    raw_value: Mapped[str] = mapped_column(String(320))
    normalized_value: Mapped[str | None] = mapped_column(String(320))
    source_channel: Mapped[str] = mapped_column(String(20))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    channel_value: Mapped[str | None] = mapped_column(String(320))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)


class CustomerMatchKey(Base):
    """Blocking keys of a profile (e.g. folded surname + initial): how real-time resolution
    finds name-based candidates with an index lookup instead of a scan."""

    __tablename__ = "customer_match_keys"
    # Covering: a common name key's 21 holders come from one or two index pages instead of
    # 21 scattered table rows (migration 0004).
    __table_args__ = (Index("ix_customer_match_keys_lookup", "workspace_id", "key", "customer_id"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))


class CustomerSearchTerm(Base):
    """Folded name tokens for accent-insensitive search by name."""

    __tablename__ = "customer_search_terms"
    __table_args__ = (
        Index(
            "ix_customer_search_terms_lookup",
            "workspace_id",
            "term",
            postgresql_ops={"term": "varchar_pattern_ops"},
        ),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(80), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))


class Consent(Base):
    """One grant or withdrawal for a purpose on a channel ('all' for every channel).

    Rows are history: the latest per (customer, purpose, channel) is the current state.
    """

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_customer", "customer_id", "purpose", "channel"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(40))
    evidence: Mapped[str] = mapped_column(String(2000), default="")
    recorded_at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(200))


class MergeSuggestion(Base):
    """Two profiles that may be one person, for someone to accept or reject.

    The pair is stored in id order so (a, b) and (b, a) are one row; a rejection stays
    forever so the pair is never suggested again.
    """

    __tablename__ = "merge_suggestions"
    __table_args__ = (UniqueConstraint("workspace_id", "customer_a_id", "customer_b_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer_a_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    customer_b_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float]
    explanation: Mapped[list[Any]]
    status: Mapped[str] = mapped_column(String(10), default="open")  # open|accepted|rejected
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))


class CustomerMerge(Base):
    """The audit record of one merge (and of its undoing)."""

    __tablename__ = "customer_merges"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    survivor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    merged_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))  # automatic|suggestion|manual
    score: Mapped[float | None]
    explanation: Mapped[list[Any]]
    merged_at: Mapped[datetime]
    merged_by: Mapped[str | None] = mapped_column(String(200))
    undone_at: Mapped[datetime | None]
    undone_by: Mapped[str | None] = mapped_column(String(200))
