"""Automation tables: the workspace's rules and one row per (rule, event) it handled."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mostrador.core.db import Base


class AutomationRule(Base):
    __tablename__ = "automation_rules"
    __table_args__ = (Index("ix_automation_rules_trigger", "workspace_id", "trigger", "active"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    trigger: Mapped[str] = mapped_column(String(120))  # an event type, e.g. commerce.OrderPlaced
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actions: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # rules run in this order
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RuleExecution(Base):
    """A rule meeting an event: matched and done, not matched, or failed (with why).

    The unique key is what makes a redelivered event run a rule at most once."""

    __tablename__ = "rule_executions"
    __table_args__ = (
        UniqueConstraint("rule_id", "event_id"),
        Index("ix_rule_executions_rule", "rule_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("automation_rules.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(12))  # done | not_matched | failed
    done: Mapped[list[Any]] = mapped_column(default=list)  # what each action did
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Journey(Base):
    """Steps with waits, started by an event for one customer, ended early by others."""

    __tablename__ = "journeys"
    __table_args__ = (Index("ix_journeys_trigger", "workspace_id", "trigger", "active"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    trigger: Mapped[str] = mapped_column(String(120))
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    steps: Mapped[list[Any]] = mapped_column(default=list)
    exit_on: Mapped[list[Any]] = mapped_column(default=list)  # event types that end it early
    purpose: Mapped[str] = mapped_column(String(12))  # service | marketing (needs consent)
    quiet_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class JourneyEnrollment(Base):
    """One customer on one journey: where they are and when the next step is due. The
    schedule lives here, so a restart loses nothing; the unique key makes an event enrol once."""

    __tablename__ = "journey_enrollments"
    __table_args__ = (
        UniqueConstraint("journey_id", "trigger_event_id"),
        Index("ix_journey_enrollments_due", "state", "next_run_at"),
        Index("ix_journey_enrollments_customer", "workspace_id", "customer_id", "state"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    journey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    trigger_event_id: Mapped[uuid.UUID]
    step: Mapped[int] = mapped_column(Integer, default=0)  # the next step to run
    state: Mapped[str] = mapped_column(String(10))  # active | done | exited
    next_run_at: Mapped[datetime | None]
    log: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutgoingWebhook(Base):
    """A call a rule asked for, kept until the receiver accepted it (or attempts ran out)."""

    __tablename__ = "outgoing_webhooks"
    __table_args__ = (Index("ix_outgoing_webhooks_due", "state", "next_attempt_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("automation_rules.id", ondelete="SET NULL")
    )
    event_id: Mapped[uuid.UUID]
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(500))
    body: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(10))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
