from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mostrador.channels.window import (
    HUMAN_AGENT_WINDOW,
    WINDOW,
    WindowDecision,
    reply_window,
)
from mostrador.core.errors import InvalidInput

NOW = datetime.fromisoformat("2026-11-27T12:00:00+00:00")
JUST = timedelta(microseconds=1)

OPEN = WindowDecision(free_form=True, tag=None, reason="inside_24h_window")
HUMAN_AGENT = WindowDecision(free_form=True, tag="HUMAN_AGENT", reason="human_agent_window")
NEVER = WindowDecision(free_form=False, tag=None, reason="customer_never_wrote")


def test_window_lengths() -> None:
    assert timedelta(hours=24) == WINDOW
    assert timedelta(days=7) == HUMAN_AGENT_WINDOW


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(0), OPEN),
        (timedelta(hours=23, minutes=59), OPEN),
        (WINDOW - JUST, OPEN),
        (WINDOW, WindowDecision(False, None, "outside_24h_window")),
        (timedelta(days=3), WindowDecision(False, None, "outside_24h_window")),
    ],
)
def test_whatsapp_allows_free_form_only_within_24_hours(
    ago: timedelta, expected: WindowDecision
) -> None:
    assert reply_window("whatsapp", NOW - ago, NOW) == expected


@pytest.mark.parametrize("channel", ["instagram", "messenger"])
@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(hours=1), OPEN),
        (WINDOW - JUST, OPEN),
        (WINDOW, HUMAN_AGENT),
        (timedelta(days=6, hours=23), HUMAN_AGENT),
        (HUMAN_AGENT_WINDOW - JUST, HUMAN_AGENT),
        (HUMAN_AGENT_WINDOW, WindowDecision(False, None, "outside_7d_window")),
        (timedelta(days=30), WindowDecision(False, None, "outside_7d_window")),
    ],
)
def test_meta_inboxes_allow_the_human_agent_tag_for_7_days(
    channel: str, ago: timedelta, expected: WindowDecision
) -> None:
    assert reply_window(channel, NOW - ago, NOW) == expected


@pytest.mark.parametrize("channel", ["whatsapp", "instagram", "messenger"])
def test_a_customer_who_never_wrote_cannot_get_free_form(channel: str) -> None:
    assert reply_window(channel, None, NOW) == NEVER


@pytest.mark.parametrize("channel", ["telegram", "email", "webchat", "voice", "store"])
@pytest.mark.parametrize("last", [None, NOW - timedelta(days=400)])
def test_other_channels_have_no_window(channel: str, last: datetime | None) -> None:
    assert reply_window(channel, last, NOW) == WindowDecision(True, None, "no_window")


def test_instants_in_other_zones_compare_as_instants() -> None:
    local = datetime.fromisoformat("2026-11-26T09:00:01-03:00")  # 23:59:59 ago
    assert reply_window("whatsapp", local, NOW) == OPEN


def test_unknown_channels_and_naive_instants_are_rejected() -> None:
    with pytest.raises(InvalidInput) as unknown:
        reply_window("whatsap", NOW, NOW)
    assert unknown.value.code == "unknown_channel"
    with pytest.raises(InvalidInput) as naive:
        reply_window("whatsapp", datetime(2026, 11, 27, 10), NOW)  # noqa: DTZ001
    assert naive.value.code == "naive_datetime"
