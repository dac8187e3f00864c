"""The inbox tables: channel accounts, every message from every channel, one conversation
per customer, the outbound queue, and what the team does around them.

A webhook delivery is stored raw with its parsed messages in one transaction; the unique
key ``(account_id, provider_message_id)`` is what makes a redelivery harmless. Messages
are threaded into conversations afterwards (``threaded_at`` marks the ones done).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from mostrador.core.db import Base


class ChannelAccount(Base):
    """One connected account of a provider: a WhatsApp number, a Page, a bot, a mailbox."""

    __tablename__ = "channel_accounts"
    __table_args__ = (UniqueConstraint("kind", "external_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str] = mapped_column(String(320))
    access_token: Mapped[str] = mapped_column(String(1000), default="")
    app_secret: Mapped[str] = mapped_column(String(500), default="")
    verify_token: Mapped[str] = mapped_column(String(500), default="")
    api_url: Mapped[str] = mapped_column(String(500), default="")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Hub mode: messages here are threaded as usual and answered once with an invitation to
    # continue on the main account.
    main_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("channel_accounts.id", ondelete="SET NULL")
    )
    hub_invitation: Mapped[str] = mapped_column(String(1000), default="")
    sends_per_second: Mapped[float] = mapped_column(default=20.0)
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WebhookDelivery(Base):
    """A provider's request body exactly as received, kept for audit and replay."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("channel_accounts.id", ondelete="SET NULL"), index=True
    )
    received_at: Mapped[datetime]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    statuses: Mapped[int] = mapped_column(Integer, default=0)


class Conversation(Base):
    """One thread per customer across channels, worked by the team."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_inbox", "workspace_id", "status", "last_message_at"),
        Index("ix_conversations_customer", "workspace_id", "customer_id", "last_message_at"),
        Index("ix_conversations_assignee", "workspace_id", "assignee_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str] = mapped_column(String(10))  # open | pending | snoozed | resolved
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    snoozed_until: Mapped[datetime | None]
    last_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("channel_accounts.id", ondelete="SET NULL")
    )
    last_channel: Mapped[str] = mapped_column(String(20))
    last_inbound_at: Mapped[datetime | None]
    last_message_at: Mapped[datetime]
    last_preview: Mapped[str] = mapped_column(String(200), default="")
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    awaiting_reply_since: Mapped[datetime | None]  # first unanswered inbound message
    first_response_at: Mapped[datetime | None]
    opened_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Message(Base):
    """A message on any channel, inbound or outbound, in the order the provider gave it."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("account_id", "provider_message_id"),
        Index("ix_messages_conversation", "conversation_id", "sent_at"),
        Index("ix_messages_sender", "account_id", "address", "created_at"),
        Index("ix_messages_customer", "workspace_id", "customer_id", "sent_at"),
        Index(
            "ix_messages_unthreaded",
            "created_at",
            sqlite_where=text("threaded_at IS NULL"),
            postgresql_where=text("threaded_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("channel_accounts.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(20))
    provider_message_id: Mapped[str | None] = mapped_column(String(300))
    direction: Mapped[str] = mapped_column(String(10))  # inbound | outbound
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str | None] = mapped_column(String(500))
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[str] = mapped_column(String(320))  # the customer's address on the channel
    sender_name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[dict[str, Any]] = mapped_column(default=dict)  # what identity needs
    reply_to: Mapped[str | None] = mapped_column(String(300))
    thread_refs: Mapped[list[Any]] = mapped_column(default=list)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    author_kind: Mapped[str] = mapped_column(String(10), default="customer")  # agent|bot|system
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str] = mapped_column(String(10))
    status_at: Mapped[datetime | None]
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_reason: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime]
    created_at: Mapped[datetime]
    threaded_at: Mapped[datetime | None]
    thread_failures: Mapped[int] = mapped_column(Integer, default=0)
    delivery_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="SET NULL")
    )


class StatusReportRecord(Base):
    """Every delivery status a provider reported; kept even when it arrives before we know
    the message's id, and applied to the message when it is (statuses only move forward)."""

    __tablename__ = "message_status_reports"
    __table_args__ = (UniqueConstraint("account_id", "provider_message_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channel_accounts.id", ondelete="CASCADE")
    )
    provider_message_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime]
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_reason: Mapped[str | None] = mapped_column(String(500))


class OutboundSend(Base):
    """A message waiting to go out (or given up on): retried with backoff by the sender."""

    __tablename__ = "outbound_sends"
    __table_args__ = (Index("ix_outbound_sends_due", "state", "next_attempt_at"),)

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channel_accounts.id", ondelete="CASCADE")
    )
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # template, tag, refs
    state: Mapped[str] = mapped_column(String(10))  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime]


class ConversationLabel(Base):
    __tablename__ = "conversation_labels"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(60), primary_key=True)


class ConversationNote(Base):
    """A private note for the team (never sent to the customer), with @mentions."""

    __tablename__ = "conversation_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[Any]] = mapped_column(default=list)
    channel: Mapped[str | None] = mapped_column(String(20))  # "store": noted at the counter
    created_at: Mapped[datetime]


class AssignmentRecord(Base):
    """Who had the conversation before and after: assignments and transfers between teams."""

    __tablename__ = "conversation_assignments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    from_team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL")
    )
    to_team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL")
    )
    how: Mapped[str] = mapped_column(String(20))  # manual | round_robin | least_busy
    by: Mapped[str | None] = mapped_column(String(80))
    at: Mapped[datetime]


class CannedResponse(Base):
    __tablename__ = "canned_responses"
    __table_args__ = (UniqueConstraint("workspace_id", "shortcut"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    shortcut: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class AgentStatus(Base):
    """Whether an agent takes new conversations, and how many at once."""

    __tablename__ = "agent_statuses"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    available: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class TeamRouting(Base):
    """How a team hands out conversations and who got the last one (round robin)."""

    __tablename__ = "team_routing"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    strategy: Mapped[str] = mapped_column(String(20), default="round_robin")
    last_assigned_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class SlaPolicy(Base):
    """Targets in business seconds for conversations matching channel, priority, segment."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    channels: Mapped[list[Any]] = mapped_column(default=list)
    priorities: Mapped[list[Any]] = mapped_column(default=list)
    segments: Mapped[list[Any]] = mapped_column(default=list)
    first_response_seconds: Mapped[int | None] = mapped_column(Integer)
    next_response_seconds: Mapped[int | None] = mapped_column(Integer)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)
    warn_ratio: Mapped[float] = mapped_column(default=0.8)
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class SlaClockRecord(Base):
    """A running or stopped SLA clock of a conversation."""

    __tablename__ = "sla_clocks"
    __table_args__ = (
        Index(
            "ix_sla_clocks_running",
            "warn_at",
            sqlite_where=text("stopped_at IS NULL"),
            postgresql_where=text("stopped_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    policy_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sla_policies.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime]
    due_at: Mapped[datetime]
    warn_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]
    warned_at: Mapped[datetime | None]
    breached_at: Mapped[datetime | None]


class CsatSurvey(Base):
    """A survey question (CSAT after resolution; NPS or CES when asked) and the answer."""

    __tablename__ = "csat_surveys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime]
    score: Mapped[int | None] = mapped_column(Integer)
    reply_text: Mapped[str | None] = mapped_column(String(1000))
    answered_at: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(4), default="csat", server_default="csat")
    comment: Mapped[str | None] = mapped_column(String(1000))
    detractor: Mapped[bool] = mapped_column(default=False, server_default=text("false"))


class CallbackTask(Base):
    """Someone called and nobody answered: call them back."""

    __tablename__ = "callback_tasks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"))
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    phone: Mapped[str] = mapped_column(String(40))
    call_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class InboxSettings(Base):
    """Per-workspace inbox behaviour."""

    __tablename__ = "inbox_settings"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    reopen_window_hours: Mapped[int] = mapped_column(Integer, default=72)
    csat_enabled: Mapped[bool] = mapped_column(default=True)
    auto_assign: Mapped[bool] = mapped_column(default=False)
    default_team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime]


class TypingMark(Base):
    """An agent typing in a conversation (the collision warning reads the recent ones)."""

    __tablename__ = "typing_marks"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime]
