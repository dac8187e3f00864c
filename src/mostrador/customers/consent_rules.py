"""Which consent applies: pure rules over the recorded grants and withdrawals.

A decision for one channel is the latest row for that channel or for ``all`` channels.
Across a merge group the most restrictive recorded decision wins: a withdrawal on any
profile of the person beats a grant on another; no record at all means no consent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

PURPOSES = ("service", "marketing", "analytics")
ALL_CHANNELS = "all"


@dataclass(frozen=True)
class ConsentDecision:
    customer_id: str
    purpose: str
    channel: str
    granted: bool
    recorded_at: datetime
    source: str


def latest_for(
    decisions: Iterable[ConsentDecision], purpose: str, channel: str
) -> ConsentDecision | None:
    """The decision in force for ``purpose`` on ``channel`` for ONE profile."""
    relevant = [
        d for d in decisions if d.purpose == purpose and d.channel in (channel, ALL_CHANNELS)
    ]
    if not relevant:
        return None
    # Same instant: the channel-specific decision is the more precise one.
    return max(relevant, key=lambda d: (d.recorded_at, d.channel != ALL_CHANNELS))


def group_allows(
    decisions_by_profile: Mapping[str, Sequence[ConsentDecision]], purpose: str, channel: str
) -> bool:
    """Whether the person (all merged profiles) consents to ``purpose`` on ``channel``."""
    found = [latest_for(ds, purpose, channel) for ds in decisions_by_profile.values()]
    recorded = [d for d in found if d is not None]
    return bool(recorded) and all(d.granted for d in recorded)


def effective_consents(
    decisions_by_profile: Mapping[str, Sequence[ConsentDecision]],
) -> dict[tuple[str, str], bool]:
    """Every (purpose, channel) anyone recorded, with what is in force for the person."""
    keys = {(d.purpose, d.channel) for ds in decisions_by_profile.values() for d in ds}
    return {key: group_allows(decisions_by_profile, *key) for key in sorted(keys)}
