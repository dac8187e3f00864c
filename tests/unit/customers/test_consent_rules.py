from __future__ import annotations

from datetime import UTC, datetime

from mostrador.customers.consent_rules import (
    ConsentDecision,
    effective_consents,
    group_allows,
    latest_for,
)


def decision(customer: str, purpose: str, channel: str, granted: bool, day: int) -> ConsentDecision:
    return ConsentDecision(
        customer, purpose, channel, granted, datetime(2026, 3, day, tzinfo=UTC), "test"
    )


def test_the_latest_decision_for_the_channel_or_all_channels_applies() -> None:
    rows = [
        decision("a", "marketing", "all", True, 1),
        decision("a", "marketing", "whatsapp", False, 2),
    ]
    assert latest_for(rows, "marketing", "whatsapp") == rows[1]
    assert latest_for(rows, "marketing", "email") == rows[0]
    assert latest_for(rows, "analytics", "email") is None
    regranted = [*rows, decision("a", "marketing", "all", True, 3)]
    assert latest_for(regranted, "marketing", "whatsapp") == regranted[2]


def test_a_channel_specific_decision_wins_a_tie_with_all_channels() -> None:
    rows = [
        decision("a", "marketing", "whatsapp", False, 5),
        decision("a", "marketing", "all", True, 5),
    ]
    assert latest_for(rows, "marketing", "whatsapp") == rows[0]


def test_the_most_restrictive_recorded_decision_wins_across_merged_profiles() -> None:
    group = {
        "store-profile": [decision("s", "marketing", "all", True, 1)],
        "whatsapp-profile": [decision("w", "marketing", "whatsapp", False, 2)],
    }
    assert group_allows(group, "marketing", "whatsapp") is False
    assert group_allows(group, "marketing", "email") is True
    assert group_allows(group, "service", "email") is False  # never recorded: no consent
    assert effective_consents(group) == {
        ("marketing", "all"): True,
        ("marketing", "whatsapp"): False,
    }
