"""Whether a promotion's conditions hold for one sale: who, when, where, how it is paid.

Each check answers with a machine-readable reason why NOT (``None`` when it holds), so
the engine can explain every promotion it skipped without extra work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from mostrador.commerce.promotions import Conditions, Coupon


@dataclass(frozen=True, slots=True)
class Occasion:
    """The facts of one sale that conditions are checked against, computed once per cart.

    ``weekday`` and ``local_time`` are ``at`` read in the workspace's time zone.
    """

    at: datetime
    weekday: int
    local_time: time
    channel: str
    first_purchase: bool = False
    loyalty_tier: str | None = None
    customer_segments: frozenset[str] = frozenset()
    payment_method: str | None = None
    bank: str | None = None
    customer_known: bool = False


def window_refusal(conditions: Conditions, occasion: Occasion) -> str | None:
    """``not_started``, ``expired`` or ``outside_window`` (weekday or hours), else None."""
    if conditions.valid_from is not None and occasion.at < conditions.valid_from:
        return "not_started"
    if conditions.valid_until is not None and occasion.at >= conditions.valid_until:
        return "expired"
    if conditions.weekdays and occasion.weekday not in conditions.weekdays:
        return "outside_window"
    start, end = conditions.hours_from, conditions.hours_until
    if start is not None and end is not None:
        now = occasion.local_time
        inside = start <= now < end if start < end else (now >= start or now < end)
        if not inside:
            return "outside_window"
    return None


def audience_refusal(conditions: Conditions, occasion: Occasion) -> str | None:
    """Channel, first purchase, loyalty tier and customer segment checks."""
    if conditions.channels and occasion.channel not in conditions.channels:
        return "channel_excluded"
    if conditions.first_purchase_only and not occasion.first_purchase:
        return "not_first_purchase"
    if conditions.loyalty_tiers and occasion.loyalty_tier not in conditions.loyalty_tiers:
        return "loyalty_tier_excluded"
    if conditions.customer_segments and conditions.customer_segments.isdisjoint(
        occasion.customer_segments
    ):
        return "customer_segment_excluded"
    return None


def payment_refusal(conditions: Conditions, occasion: Occasion) -> str | None:
    """``payment_unknown`` before the method is chosen, ``payment_excluded`` when it differs."""
    if not conditions.payment_methods:
        return None
    if occasion.payment_method is None:
        return "payment_unknown"
    if occasion.payment_method not in conditions.payment_methods:
        return "payment_excluded"
    if conditions.banks and occasion.bank not in conditions.banks:
        return "payment_excluded"
    return None


def coupon_refusal(
    coupon: Coupon, used_total: int, used_by_customer: int, customer_known: bool
) -> str | None:
    """Use limits: ``coupon_used_up``, ``coupon_customer_required``, ``coupon_limit_per_customer``.

    A per-customer limit cannot be enforced for an anonymous sale, so it is refused there.
    """
    if coupon.max_uses is not None and used_total >= coupon.max_uses:
        return "coupon_used_up"
    if coupon.max_uses_per_customer is not None:
        if not customer_known:
            return "coupon_customer_required"
        if used_by_customer >= coupon.max_uses_per_customer:
            return "coupon_limit_per_customer"
    return None
