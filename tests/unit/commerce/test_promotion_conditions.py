"""When, where and for whom a promotion holds: windows in the workspace's zone, channels, customers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from mostrador.commerce.pricing import price_cart
from mostrador.commerce.promotions import PercentOff
from mostrador.core.money import Money
from tests.unit.commerce.test_pricing import NOW, cart_of, clp, item, pct, promo, reasons, sale


def outcome(context_changes: dict[str, Any], **conditions: Any) -> tuple[str | None, Money]:
    """The reason (None: applied) and total of 10 % off a 10,000 peso cart."""
    cart = cart_of(item("A", 1, clp(10000)))
    result = price_cart(
        cart, sale(**context_changes), [promo("p", PercentOff(pct(10)), **conditions)]
    )
    return reasons(result)["p"], result.total


APPLIED = (None, clp(9000))


def test_the_validity_window_includes_its_start_and_excludes_its_end() -> None:
    assert outcome({}, valid_from=NOW) == APPLIED
    assert outcome({}, valid_from=NOW + timedelta(hours=1)) == ("not_started", clp(10000))
    assert outcome({}, valid_until=NOW + timedelta(seconds=1)) == APPLIED
    assert outcome({}, valid_until=NOW) == ("expired", clp(10000))


def test_weekdays_are_read_in_the_workspace_time_zone() -> None:
    # 01:00 UTC on Thursday is 22:00 on Wednesday (weekday 2) in Santiago.
    late_wednesday = {"at": datetime(2026, 3, 5, 1, 0, tzinfo=UTC)}
    wednesdays = {"weekdays": frozenset({2})}

    assert outcome(late_wednesday, **wednesdays) == APPLIED
    assert outcome({**late_wednesday, "time_zone": "UTC"}, **wednesdays) == (
        "outside_window",
        clp(10000),
    )


def test_daily_hours_include_the_start_and_exclude_the_end() -> None:
    morning = {"hours_from": time(9), "hours_until": time(13)}

    assert outcome({"at": datetime(2026, 3, 4, 12, 0, tzinfo=UTC)}, **morning) == APPLIED  # 09:00
    assert outcome({}, **morning) == APPLIED  # 12:00 in Santiago
    assert outcome({"at": datetime(2026, 3, 4, 16, 0, tzinfo=UTC)}, **morning) == (
        "outside_window",
        clp(10000),
    )


@pytest.mark.parametrize(
    ("utc", "applies"),
    [
        (datetime(2026, 3, 5, 2, 30, tzinfo=UTC), True),  # 23:30 in Santiago
        (datetime(2026, 3, 5, 4, 0, tzinfo=UTC), True),  # 01:00
        (datetime(2026, 3, 5, 6, 0, tzinfo=UTC), False),  # 03:00
        (datetime(2026, 3, 5, 0, 0, tzinfo=UTC), False),  # 21:00
    ],
)
def test_a_night_window_crosses_midnight(utc: datetime, applies: bool) -> None:
    reason, _ = outcome({"at": utc}, hours_from=time(22), hours_until=time(2))

    assert reason == (None if applies else "outside_window")


def test_a_promotion_for_some_channels_only_applies_there() -> None:
    store_and_chat = {"channels": frozenset({"pos", "whatsapp"})}

    assert outcome({"channel": "pos"}, **store_and_chat) == APPLIED
    assert outcome({"channel": "whatsapp"}, **store_and_chat) == APPLIED
    assert outcome({"channel": "web"}, **store_and_chat) == ("channel_excluded", clp(10000))


def test_first_purchase_loyalty_tier_and_segment_conditions() -> None:
    assert outcome({"first_purchase": True}, first_purchase_only=True) == APPLIED
    assert outcome({}, first_purchase_only=True) == ("not_first_purchase", clp(10000))

    gold = {"loyalty_tiers": frozenset({"gold"})}
    assert outcome({"loyalty_tier": "gold"}, **gold) == APPLIED
    assert outcome({"loyalty_tier": "silver"}, **gold) == ("loyalty_tier_excluded", clp(10000))
    assert outcome({}, **gold) == ("loyalty_tier_excluded", clp(10000))

    vip = {"customer_segments": frozenset({"vip"})}
    assert outcome({"customer_segments": frozenset({"new", "vip"})}, **vip) == APPLIED
    assert outcome({"customer_segments": frozenset({"new"})}, **vip) == (
        "customer_segment_excluded",
        clp(10000),
    )
