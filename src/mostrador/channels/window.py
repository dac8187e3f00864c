"""The customer-service windows: when a business may write free-form to a customer.

Meta's rules: on WhatsApp free-form messages are allowed for 24 hours after the customer's
last message, then only approved templates; on Instagram and Messenger a human agent may
still answer for 7 days with the ``HUMAN_AGENT`` tag. Other channels have no window.
Pure: the adapter or the inbox asks before sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mostrador.core.errors import InvalidInput

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
HUMAN_AGENT_TAG = "HUMAN_AGENT"

TEMPLATE_ONLY_CHANNELS = frozenset({"whatsapp"})
HUMAN_AGENT_CHANNELS = frozenset({"instagram", "messenger"})
WINDOWLESS_CHANNELS = frozenset({"telegram", "email", "webchat", "voice", "store"})


@dataclass(frozen=True)
class WindowDecision:
    """Whether a free-form reply may go out now, with which message tag, and why."""

    free_form: bool
    tag: str | None
    reason: str


def reply_window(channel: str, last_inbound_at: datetime | None, now: datetime) -> WindowDecision:
    """Decide from the customer's last inbound message; windows close at exactly 24 h / 7 days.

    An unknown channel is an error rather than "no window": a typo must not let us break
    a provider's policy and get the number blocked.
    """
    if channel in WINDOWLESS_CHANNELS:
        return WindowDecision(free_form=True, tag=None, reason="no_window")
    if channel not in TEMPLATE_ONLY_CHANNELS | HUMAN_AGENT_CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", code="unknown_channel")
    if last_inbound_at is None:
        return WindowDecision(free_form=False, tag=None, reason="customer_never_wrote")
    elapsed = _elapsed(last_inbound_at, now)
    if elapsed < WINDOW:
        return WindowDecision(free_form=True, tag=None, reason="inside_24h_window")
    if channel in HUMAN_AGENT_CHANNELS and elapsed < HUMAN_AGENT_WINDOW:
        return WindowDecision(free_form=True, tag=HUMAN_AGENT_TAG, reason="human_agent_window")
    if channel in HUMAN_AGENT_CHANNELS:
        return WindowDecision(free_form=False, tag=None, reason="outside_7d_window")
    return WindowDecision(free_form=False, tag=None, reason="outside_24h_window")


def _elapsed(last_inbound_at: datetime, now: datetime) -> timedelta:
    """Time since the customer wrote; both instants must be aware to compare across zones."""
    for value in (last_inbound_at, now):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput("window instants must be timezone-aware", code="naive_datetime")
    return now - last_inbound_at
