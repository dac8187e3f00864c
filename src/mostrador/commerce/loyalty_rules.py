"""Loyalty rules: what the ledger entries must be, the same on every channel.

The database keeps the ledger (earn, redeem, expire, adjust, reverse); these pure functions
decide how many points, which lots they come from and when they lapse. Points are whole
numbers (fractions are dropped, never rounded up); times are inputs (timezone-aware),
never read from a clock.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

__all__ = [
    "Adjustment",
    "Clawback",
    "EarnResult",
    "EarnRule",
    "Lot",
    "LotDebit",
    "LotGrant",
    "OrderBonusRule",
    "PaidLine",
    "ProductBonusRule",
    "Redemption",
    "RedemptionPolicy",
    "Restoration",
    "ReturnedEarning",
    "RuleEarning",
    "SkipReason",
    "SkippedRule",
    "SpendRule",
    "Tier",
    "TierActivity",
    "TierBasis",
    "TierSchedule",
    "add_months",
    "adjust",
    "apply_debits",
    "balance",
    "claw_back",
    "expire",
    "grant_earned",
    "max_redeemable",
    "points_to_claw_back",
    "points_to_earn",
    "qualifying_total",
    "redeem",
    "redemption_value",
    "restore_redemption",
    "tier_for",
]


# --------------------------------------------------------------------------- helpers


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{name} must be timezone-aware", code="naive_datetime")


def _require_points(points: int, name: str = "points", *, allow_zero: bool = False) -> None:
    if isinstance(points, bool) or not isinstance(points, int):
        raise InvalidInput(f"{name} must be a whole number of points", code="invalid_points")
    if points < 0 or (points == 0 and not allow_zero):
        raise InvalidInput(f"{name} must be positive, got {points}", code="invalid_points")


def _require_id(value: str, name: str) -> None:
    if not value or not value.strip():
        raise InvalidInput(f"{name} must not be empty", code="invalid_id")


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months; the day is clamped (31 Jan + 1 month = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _split_points(points: int, weights: Sequence[Decimal]) -> list[int]:
    """Split whole points by weight, exactly; leftovers go to the largest remainders."""
    total_weight = sum(weights, Decimal(0))
    if total_weight == 0:
        weights, total_weight = [Decimal(1)] * len(weights), Decimal(len(weights))
    exact = [points * w / total_weight for w in weights]
    parts = [math.floor(e) for e in exact]
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: points - sum(parts)]:
        parts[i] += 1
    return parts


# --------------------------------------------------------------------------- tiers


class TierBasis(StrEnum):
    """What a tier threshold counts over the qualifying window."""

    POINTS_EARNED = "points_earned"
    SPEND = "spend"


@dataclass(frozen=True)
class Tier:
    """A level (Bronce, Plata, Oro) reached at ``threshold`` and its earning multiplier."""

    name: str
    threshold: Decimal
    multiplier: Decimal

    def __post_init__(self) -> None:
        _require_id(self.name, "tier name")
        if self.threshold < 0:
            raise InvalidInput("a tier threshold cannot be negative", code="invalid_tier")
        if self.multiplier <= 0:
            raise InvalidInput("a tier multiplier must be positive", code="invalid_tier")


@dataclass(frozen=True)
class TierSchedule:
    """The tiers in ascending order; the first starts at 0 so every customer has one."""

    basis: TierBasis
    tiers: tuple[Tier, ...]
    window_months: int = 12

    def __post_init__(self) -> None:
        if not self.tiers or self.tiers[0].threshold != 0:
            raise InvalidInput("the first tier must start at 0", code="invalid_tier")
        thresholds = [t.threshold for t in self.tiers]
        if any(b <= a for a, b in pairwise(thresholds)):
            raise InvalidInput("tier thresholds must strictly increase", code="invalid_tier")
        if len({t.name for t in self.tiers}) != len(self.tiers):
            raise InvalidInput("tier names must be unique", code="invalid_tier")
        if self.window_months < 1:
            raise InvalidInput("the tier window is at least one month", code="invalid_tier")


@dataclass(frozen=True)
class TierActivity:
    """One qualifying event (an order, or its reversal with negative values)."""

    at: datetime
    points_earned: int
    spend: Money


def qualifying_total(
    history: Iterable[TierActivity], at: datetime, schedule: TierSchedule
) -> Decimal:
    """Points earned or spend in the window ``(at - window_months, at]``; never below zero."""
    _require_aware(at, "at")
    start = add_months(at, -schedule.window_months)
    relevant = [a for a in history if start < a.at <= at]
    if schedule.basis is TierBasis.POINTS_EARNED:
        amount = Decimal(sum(a.points_earned for a in relevant))
    else:
        if len({a.spend.currency for a in relevant}) > 1:
            raise InvalidInput("spend history mixes currencies", code="currency_mismatch")
        amount = sum((a.spend.amount for a in relevant), Decimal(0))
    return max(amount, Decimal(0))


def tier_for(history: Iterable[TierActivity], at: datetime, schedule: TierSchedule) -> Tier:
    """The highest tier whose threshold the customer's window total reaches (inclusive)."""
    reached = qualifying_total(history, at, schedule)
    return [t for t in schedule.tiers if t.threshold <= reached][-1]


# --------------------------------------------------------------------------- earning


class SkipReason(StrEnum):
    """Why an earn rule gave nothing on this order."""

    CHANNEL_NOT_ELIGIBLE = "channel_not_eligible"
    BELOW_MINIMUM_ORDER = "below_minimum_order"
    NO_MATCHING_LINES = "no_matching_lines"


@dataclass(frozen=True, kw_only=True)
class _EarnRuleBase:
    rule_id: str
    channels: frozenset[str] = frozenset()  # empty: every channel
    minimum_order: Money | None = None  # on the order's total net paid
    tier_multiplied: bool = True

    def __post_init__(self) -> None:
        _require_id(self.rule_id, "rule_id")


@dataclass(frozen=True, kw_only=True)
class SpendRule(_EarnRuleBase):
    """``points`` for every ``per`` of net paid (1 per 100 ARS), rounded down on the order."""

    points: int
    per: Money

    def __post_init__(self) -> None:
        super().__post_init__()
        _require_points(self.points)
        if self.per.amount <= 0:
            raise InvalidInput("the spend step must be positive", code="invalid_rule")


@dataclass(frozen=True, kw_only=True)
class OrderBonusRule(_EarnRuleBase):
    """A fixed bonus for every qualifying order."""

    points: int

    def __post_init__(self) -> None:
        super().__post_init__()
        _require_points(self.points)


@dataclass(frozen=True, kw_only=True)
class ProductBonusRule(_EarnRuleBase):
    """A bonus per unit bought of the listed SKUs or categories."""

    points_per_unit: int
    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        super().__post_init__()
        _require_points(self.points_per_unit, "points_per_unit")
        if not self.skus and not self.categories:
            raise InvalidInput("a product rule needs SKUs or categories", code="invalid_rule")

    def matches(self, line: PaidLine) -> bool:
        return line.sku in self.skus or bool(self.categories & line.categories)


EarnRule = SpendRule | OrderBonusRule | ProductBonusRule


@dataclass(frozen=True)
class PaidLine:
    """An order line as loyalty sees it: what was actually paid, after every discount."""

    line_id: str
    sku: str
    quantity: int
    net_paid: Money
    categories: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _require_id(self.line_id, "line_id")
        if self.quantity < 1 or self.net_paid.amount < 0:
            raise InvalidInput(f"line {self.line_id} is not a sale", code="invalid_line")


@dataclass(frozen=True)
class RuleEarning:
    """One rule's contribution: base points, the multiplier used, and the split by line."""

    rule_id: str
    base_points: int
    multiplier: Decimal
    points: int
    by_line: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SkippedRule:
    rule_id: str
    reason: SkipReason


@dataclass(frozen=True)
class EarnResult:
    """The points to earn and the machine-readable explanation of every rule."""

    points: int
    tier: str | None
    earnings: tuple[RuleEarning, ...]
    skipped: tuple[SkippedRule, ...]

    def points_by_line(self) -> dict[str, int]:
        """Points attributed to each line, summed over rules (what a return claws back)."""
        result: dict[str, int] = {}
        for earning in self.earnings:
            for line_id, points in earning.by_line:
                result[line_id] = result.get(line_id, 0) + points
        return result


def _skip_reason(rule: EarnRule, channel: str, order_net: Money) -> SkipReason | None:
    if rule.channels and channel not in rule.channels:
        return SkipReason.CHANNEL_NOT_ELIGIBLE
    if rule.minimum_order is not None and order_net < rule.minimum_order:
        return SkipReason.BELOW_MINIMUM_ORDER
    return None


def _base_points(
    rule: EarnRule, lines: Sequence[PaidLine], order_net: Money
) -> tuple[int, list[tuple[str, Decimal]]]:
    """The rule's points before the tier, and the weights that attribute them to lines."""
    by_net = [(line.line_id, line.net_paid.amount) for line in lines]
    if isinstance(rule, SpendRule):
        if rule.per.currency != order_net.currency:
            raise InvalidInput("rule and order currencies differ", code="currency_mismatch")
        return math.floor(order_net.amount * rule.points / rule.per.amount), by_net
    if isinstance(rule, OrderBonusRule):
        return rule.points, by_net
    matching = [
        (line.line_id, Decimal(line.quantity * rule.points_per_unit))
        for line in lines
        if rule.matches(line)
    ]
    return int(sum(w for _, w in matching)), matching


def points_to_earn(
    lines: Sequence[PaidLine], channel: str, rules: Sequence[EarnRule], tier: Tier | None = None
) -> EarnResult:
    """Points an order earns: each rule rounded down after the tier multiplier, then summed."""
    if not lines:
        raise InvalidInput("an order has at least one line", code="empty_order")
    if len({line.line_id for line in lines}) != len(lines):
        raise InvalidInput("line ids must be unique", code="duplicate_line")
    if len({rule.rule_id for rule in rules}) != len(rules):
        raise InvalidInput("rule ids must be unique", code="duplicate_rule")
    order_net = lines[0].net_paid
    for line in lines[1:]:
        order_net = order_net + line.net_paid
    earnings: list[RuleEarning] = []
    skipped: list[SkippedRule] = []
    for rule in rules:
        reason = _skip_reason(rule, channel, order_net)
        base, weights = (0, []) if reason else _base_points(rule, lines, order_net)
        if reason is None and not weights:
            reason = SkipReason.NO_MATCHING_LINES
        if reason is not None:
            skipped.append(SkippedRule(rule.rule_id, reason))
            continue
        multiplier = tier.multiplier if tier is not None and rule.tier_multiplied else Decimal(1)
        points = math.floor(base * multiplier)
        split = _split_points(points, [w for _, w in weights])
        by_line = tuple((line_id, p) for (line_id, _), p in zip(weights, split, strict=True))
        earnings.append(RuleEarning(rule.rule_id, base, multiplier, points, by_line))
    return EarnResult(
        points=sum(e.points for e in earnings),
        tier=tier.name if tier is not None else None,
        earnings=tuple(earnings),
        skipped=tuple(skipped),
    )


# --------------------------------------------------------------------------- lots


@dataclass(frozen=True)
class Lot:
    """Points from one earning event (or adjustment, or give-back) that lapse together.

    ``lot_id`` is the caller's stable id (e.g. the ledger entry that created it); the lot is
    valid while ``at < expires_at`` — at the expiry instant its points are gone.
    """

    lot_id: str
    earned_at: datetime
    expires_at: datetime
    remaining: int

    def __post_init__(self) -> None:
        _require_id(self.lot_id, "lot_id")
        _require_aware(self.earned_at, "earned_at")
        _require_aware(self.expires_at, "expires_at")
        _require_points(self.remaining, "remaining", allow_zero=True)

    def is_valid_at(self, at: datetime) -> bool:
        return at < self.expires_at


@dataclass(frozen=True)
class LotGrant:
    """A lot to create; the ledger gives it its id when it writes the entry."""

    points: int
    earned_at: datetime
    expires_at: datetime

    def __post_init__(self) -> None:
        _require_points(self.points)
        _require_aware(self.earned_at, "earned_at")
        _require_aware(self.expires_at, "expires_at")
        if self.expires_at <= self.earned_at:
            raise InvalidInput("a lot must expire after it is earned", code="invalid_lot")

    def as_lot(self, lot_id: str) -> Lot:
        return Lot(lot_id, self.earned_at, self.expires_at, self.points)


@dataclass(frozen=True)
class LotDebit:
    """Points taken from one lot (redeem, expire, negative adjust, reverse entries)."""

    lot_id: str
    points: int
    expires_at: datetime

    def __post_init__(self) -> None:
        _require_points(self.points)


def grant_earned(points: int, earned_at: datetime, validity_months: int) -> LotGrant:
    """The lot an earning event creates: valid for ``validity_months`` calendar months."""
    _require_aware(earned_at, "earned_at")
    if validity_months < 1:
        raise InvalidInput("points are valid for at least a month", code="invalid_validity")
    return LotGrant(points, earned_at, add_months(earned_at, validity_months))


def balance(lots: Iterable[Lot], at: datetime) -> int:
    """Points the customer can use at ``at``: expired lots do not count."""
    _require_aware(at, "at")
    return sum(lot.remaining for lot in lots if lot.is_valid_at(at))


def expire(lots: Iterable[Lot], at: datetime) -> tuple[LotDebit, ...]:
    """The expiry entries due at ``at``: what is left in every lot whose expiry has come."""
    _require_aware(at, "at")
    due = [lot for lot in lots if lot.remaining > 0 and not lot.is_valid_at(at)]
    due.sort(key=lambda lot: (lot.expires_at, lot.earned_at, lot.lot_id))
    return tuple(LotDebit(lot.lot_id, lot.remaining, lot.expires_at) for lot in due)


def _spending_order(lots: Sequence[Lot], at: datetime, first: str | None = None) -> list[Lot]:
    """Valid lots, soonest-expiring first (ties: earliest earned, then id); ``first`` leads."""
    _require_aware(at, "at")
    if len({lot.lot_id for lot in lots}) != len(lots):
        raise InvalidInput("lot ids must be unique", code="duplicate_lot")
    usable = [lot for lot in lots if lot.remaining > 0 and lot.is_valid_at(at)]
    return sorted(
        usable, key=lambda lot: (lot.lot_id != first, lot.expires_at, lot.earned_at, lot.lot_id)
    )


def _take(ordered: Sequence[Lot], points: int) -> tuple[LotDebit, ...]:
    debits: list[LotDebit] = []
    left = points
    for lot in ordered:
        if left == 0:
            break
        taken = min(lot.remaining, left)
        debits.append(LotDebit(lot.lot_id, taken, lot.expires_at))
        left -= taken
    return tuple(debits)


def apply_debits(lots: Sequence[Lot], debits: Iterable[LotDebit]) -> tuple[Lot, ...]:
    """The lots after the given entries; for previews and for checking a ledger replay."""
    by_id = {lot.lot_id: lot for lot in lots}
    for debit in debits:
        lot = by_id.get(debit.lot_id)
        if lot is None:
            raise InvalidInput(f"unknown lot {debit.lot_id}", code="unknown_lot")
        if debit.points > lot.remaining:
            raise InvalidInput(f"lot {lot.lot_id} holds less", code="insufficient_points")
        by_id[lot.lot_id] = replace(lot, remaining=lot.remaining - debit.points)
    return tuple(by_id[lot.lot_id] for lot in lots)


# --------------------------------------------------------------------------- adjustments


@dataclass(frozen=True)
class Adjustment:
    """A manual correction: a new lot when positive, debits when negative."""

    points: int
    reason: str
    grant: LotGrant | None
    debits: tuple[LotDebit, ...]


def adjust(
    lots: Sequence[Lot], points: int, reason: str, at: datetime, validity_months: int
) -> Adjustment:
    """Add (a lot with the default validity) or remove points (like a redemption), with a reason."""
    if not reason or not reason.strip():
        raise InvalidInput("a manual adjustment needs a reason", code="reason_required")
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise InvalidInput("adjust by a non-zero whole number of points", code="invalid_points")
    if points > 0:
        return Adjustment(points, reason, grant_earned(points, at, validity_months), ())
    ordered = _spending_order(lots, at)
    if -points > sum(lot.remaining for lot in ordered):
        raise InvalidInput("the balance is smaller than the adjustment", code="insufficient_points")
    return Adjustment(points, reason, None, _take(ordered, -points))


# --------------------------------------------------------------------------- redemption


@dataclass(frozen=True)
class RedemptionPolicy:
    """What a point is worth, the balance needed to start redeeming and the order share cap."""

    point_value: Money
    minimum_balance: int = 0
    max_order_share: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if self.point_value.amount <= 0:
            raise InvalidInput("a point must be worth something", code="invalid_policy")
        _require_points(self.minimum_balance, "minimum_balance", allow_zero=True)
        if not Decimal(0) < self.max_order_share <= Decimal(1):
            raise InvalidInput("the order share is in (0, 1]", code="invalid_policy")


@dataclass(frozen=True)
class Redemption:
    points: int
    value: Money
    debits: tuple[LotDebit, ...]


def redemption_value(points: int, policy: RedemptionPolicy) -> Money:
    """Money that ``points`` pay for."""
    return Money(policy.point_value.amount * points, policy.point_value.currency)


def _cap_points(order_total: Money, policy: RedemptionPolicy) -> int:
    if order_total.currency != policy.point_value.currency:
        raise InvalidInput("order and point currencies differ", code="currency_mismatch")
    payable = order_total.amount * policy.max_order_share
    return max(math.floor(payable / policy.point_value.amount), 0)


def max_redeemable(
    lots: Sequence[Lot], order_total: Money, at: datetime, policy: RedemptionPolicy
) -> int:
    """The most points this order accepts now (0 when the balance is below the minimum)."""
    available = balance(lots, at)
    if available < policy.minimum_balance:
        return 0
    return min(available, _cap_points(order_total, policy))


def redeem(
    lots: Sequence[Lot], points: int, order_total: Money, at: datetime, policy: RedemptionPolicy
) -> Redemption:
    """Pay part of an order with points, spending the soonest-expiring lots first."""
    _require_points(points)
    ordered = _spending_order(lots, at)
    available = sum(lot.remaining for lot in ordered)
    if available < policy.minimum_balance:
        raise InvalidInput(
            f"redeeming needs a balance of {policy.minimum_balance}",
            code="below_minimum_redemption",
        )
    if points > available:
        raise InvalidInput(f"only {available} points available", code="insufficient_points")
    cap = _cap_points(order_total, policy)
    if points > cap:
        raise InvalidInput(f"at most {cap} points on this order", code="over_redemption_cap")
    return Redemption(points, redemption_value(points, policy), _take(ordered, points))


# --------------------------------------------------------------------------- reversal


@dataclass(frozen=True)
class ReturnedEarning:
    """A returned line: the points it earned, its net paid and the net returned so far."""

    line_id: str
    points_earned: int
    net_paid: Money
    returned_before: Money
    returned_now: Money

    def __post_init__(self) -> None:
        _require_points(self.points_earned, "points_earned", allow_zero=True)
        returned = self.returned_before + self.returned_now
        if min(self.returned_before.amount, self.returned_now.amount) < 0 or (
            returned > self.net_paid
        ):
            raise InvalidInput(f"line {self.line_id} returns more than paid", code="over_returned")


def points_to_claw_back(returned: Iterable[ReturnedEarning]) -> int:
    """Points to reverse, proportional to net returned; cumulative so a full return takes all.

    Each line owes ``floor(points * returned_after / net) - floor(points * returned_before /
    net)``: partial returns never take more in total than the line earned.
    """
    due = 0
    for line in returned:
        if line.net_paid.amount == 0:
            continue  # nothing was paid, so no share of net can be returned
        after = line.returned_before.amount + line.returned_now.amount
        due += math.floor(line.points_earned * after / line.net_paid.amount)
        due -= math.floor(line.points_earned * line.returned_before.amount / line.net_paid.amount)
    return due


@dataclass(frozen=True)
class Clawback:
    """Reverse entries to write, and the points that could not be taken (already spent)."""

    points: int
    debits: tuple[LotDebit, ...]
    shortfall: int


def claw_back(
    lots: Sequence[Lot], points: int, at: datetime, from_lot_id: str | None = None
) -> Clawback:
    """Take back points, from the order's own lot first, never below a zero balance."""
    _require_points(points, allow_zero=True)
    ordered = _spending_order(lots, at, first=from_lot_id)
    debits = _take(ordered, points)
    return Clawback(points, debits, points - sum(d.points for d in debits))


@dataclass(frozen=True)
class Restoration:
    """Points given back on a cancelled order, and those whose original expiry has passed."""

    grants: tuple[LotGrant, ...]
    lapsed: int


def restore_redemption(debits: Iterable[LotDebit], at: datetime) -> Restoration:
    """Give back a fully cancelled order's redeemed points, each with its lot's original expiry."""
    _require_aware(at, "at")
    grants: list[LotGrant] = []
    lapsed = 0
    for debit in debits:
        if at < debit.expires_at:
            grants.append(LotGrant(debit.points, at, debit.expires_at))
        else:
            lapsed += debit.points
    return Restoration(tuple(grants), lapsed)
