"""Return policy: one decision for returns and exchanges, whatever the channel or location.

Refunds are what was actually paid: a line's net (after discounts) is spread over its units
exactly, so returning every unit refunds the line's net to the cent, and the money goes back
over the order's payments in proportion to what each paid, never above what is left of each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

__all__ = [
    "ExchangeItem",
    "ExchangeSettlement",
    "ItemCondition",
    "LineDecision",
    "Payment",
    "PaymentRefund",
    "PurchasedLine",
    "RefundDestination",
    "RejectionReason",
    "ReturnAssessment",
    "ReturnLine",
    "ReturnPolicy",
    "ReturnRequest",
    "assess_return",
    "split_refund",
]


class ItemCondition(StrEnum):
    """The condition the staff records when they see the item."""

    UNUSED_WITH_TAGS = "unused_with_tags"
    UNUSED_WITHOUT_TAGS = "unused_without_tags"
    USED = "used"
    DAMAGED = "damaged"


class RefundDestination(StrEnum):
    """Where refunded money goes; ``CUSTOMER_CHOICE`` is only meaningful in a policy."""

    ORIGINAL_METHOD = "original_method"
    STORE_CREDIT = "store_credit"
    CUSTOMER_CHOICE = "customer_choice"


class RejectionReason(StrEnum):
    """Why a returned line was refused; checked in this order, the first one is reported."""

    QUANTITY_EXCEEDS_PURCHASED = "quantity_exceeds_purchased"
    FINAL_SALE = "final_sale"
    OUTSIDE_WINDOW = "outside_window"
    CONDITION_NOT_ACCEPTED = "condition_not_accepted"


@dataclass(frozen=True)
class ReturnPolicy:
    """The one policy every channel and location applies."""

    window_days: int
    window_days_by_channel: Mapping[str, int] = field(default_factory=dict)
    accepted_conditions: frozenset[ItemCondition] = frozenset({ItemCondition.UNUSED_WITH_TAGS})
    final_sale_skus: frozenset[str] = frozenset()
    final_sale_categories: frozenset[str] = frozenset()
    refund_to: RefundDestination = RefundDestination.ORIGINAL_METHOD
    exchange_allowed: bool = True
    exchange_remainder_as_store_credit: bool = True

    def __post_init__(self) -> None:
        windows = [self.window_days, *self.window_days_by_channel.values()]
        if any(days < 0 for days in windows):
            raise InvalidInput("a return window cannot be negative", code="invalid_policy")
        object.__setattr__(
            self, "window_days_by_channel", MappingProxyType(dict(self.window_days_by_channel))
        )

    def window_for(self, channel: str) -> timedelta:
        """The window for an order placed on ``channel`` (the default unless configured)."""
        return timedelta(days=self.window_days_by_channel.get(channel, self.window_days))


@dataclass(frozen=True)
class PurchasedLine:
    """An order line: ``net_paid`` is the whole line after discounts (3x2 included)."""

    line_id: str
    sku: str
    quantity: int
    net_paid: Money
    purchased_at: datetime
    channel: str
    final_sale: bool = False
    categories: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.quantity < 1 or self.net_paid.amount < 0:
            raise InvalidInput(f"line {self.line_id} is not a sale", code="invalid_line")
        if self.purchased_at.tzinfo is None:
            raise InvalidInput("purchased_at must be timezone-aware", code="naive_datetime")

    def unit_prices(self) -> list[Money]:
        """What each unit actually cost; the parts add up exactly to the line's net."""
        return self.net_paid.allocate([1] * self.quantity)


@dataclass(frozen=True)
class Payment:
    """One payment of the order and what earlier returns already gave back to it."""

    payment_id: str
    method: str
    amount: Money
    refunded_before: Money | None = None

    def __post_init__(self) -> None:
        refunded = self.refunded_before
        if self.amount.amount <= 0 or (
            refunded is not None and not 0 <= refunded.amount <= self.amount.amount
        ):
            raise InvalidInput(f"payment {self.payment_id} is inconsistent", code="invalid_payment")

    @property
    def refundable(self) -> Money:
        if self.refunded_before is None:
            return self.amount
        return self.amount - self.refunded_before


@dataclass(frozen=True)
class ReturnLine:
    line_id: str
    quantity: int
    condition: ItemCondition


@dataclass(frozen=True)
class ExchangeItem:
    """An item taken in exchange, at its current price."""

    sku: str
    quantity: int
    unit_price: Money


@dataclass(frozen=True)
class ReturnRequest:
    """What the customer brings back (possibly two rows for one line in different conditions)."""

    lines: tuple[ReturnLine, ...]
    requested_at: datetime
    refund_to: RefundDestination | None = None
    exchange_items: tuple[ExchangeItem, ...] = ()


@dataclass(frozen=True)
class LineDecision:
    line_id: str
    quantity: int
    accepted: bool
    reason: RejectionReason | None
    refund: Money


@dataclass(frozen=True)
class PaymentRefund:
    payment_id: str
    method: str
    amount: Money


@dataclass(frozen=True)
class ExchangeSettlement:
    """New items against the returned value: one of ``customer_pays``/``remainder`` is zero."""

    new_items_total: Money
    credit_applied: Money
    customer_pays: Money
    remainder: Money


@dataclass(frozen=True)
class ReturnAssessment:
    """The decision per request line and where the money goes."""

    decisions: tuple[LineDecision, ...]
    accepted_value: Money
    refund_to: RefundDestination
    to_payments: tuple[PaymentRefund, ...]
    store_credit: Money
    exchange: ExchangeSettlement | None


def _destination(policy: ReturnPolicy, requested: RefundDestination | None) -> RefundDestination:
    if requested is RefundDestination.CUSTOMER_CHOICE:
        raise InvalidInput("choose original_method or store_credit", code="invalid_refund_method")
    if policy.refund_to is RefundDestination.CUSTOMER_CHOICE:
        return requested or RefundDestination.ORIGINAL_METHOD
    if requested is not None and requested is not policy.refund_to:
        raise InvalidInput(
            f"this store refunds only as {policy.refund_to.value}",
            code="refund_method_not_allowed",
        )
    return policy.refund_to


def split_refund(amount: Money, payments: Sequence[Payment]) -> tuple[PaymentRefund, ...]:
    """Spread a refund over payments in proportion to what each paid, exactly to the cent.

    A payment never gets back more than it paid minus earlier refunds; what it cannot take
    is shared among the others, again by what they paid.
    """
    room = {p.payment_id: p.refundable for p in payments}
    if sum(r.amount for r in room.values()) < amount.amount:
        raise InvalidInput(
            "the refund exceeds what is left to refund", code="refund_exceeds_payments"
        )
    given = {p.payment_id: Money.zero(amount.currency) for p in payments}
    active = [p for p in payments if not room[p.payment_id].is_zero]
    left = amount
    while not left.is_zero:
        shares = left.allocate([p.amount.amount for p in active])
        left, still_open = Money.zero(amount.currency), []
        for payment, share in zip(active, shares, strict=True):
            space = room[payment.payment_id] - given[payment.payment_id]
            taken = min(share, space)
            given[payment.payment_id] += taken
            left += share - taken
            if taken < space:
                still_open.append(payment)
        active = still_open
    return tuple(
        PaymentRefund(p.payment_id, p.method, given[p.payment_id])
        for p in payments
        if not given[p.payment_id].is_zero
    )


def _rejection(
    policy: ReturnPolicy, line: PurchasedLine, row: ReturnLine, taken: int, at: datetime
) -> RejectionReason | None:
    if taken + row.quantity > line.quantity:
        return RejectionReason.QUANTITY_EXCEEDS_PURCHASED
    if (
        line.final_sale
        or line.sku in policy.final_sale_skus
        or line.categories & policy.final_sale_categories
    ):
        return RejectionReason.FINAL_SALE
    if at > line.purchased_at + policy.window_for(line.channel):
        return RejectionReason.OUTSIDE_WINDOW
    if row.condition not in policy.accepted_conditions:
        return RejectionReason.CONDITION_NOT_ACCEPTED
    return None


def _decide_lines(
    policy: ReturnPolicy,
    lines: Sequence[PurchasedLine],
    returned_before: Mapping[str, int],
    request: ReturnRequest,
) -> tuple[LineDecision, ...]:
    """Each request row in order; earlier accepted rows count as returned for later ones."""
    by_id = {line.line_id: line for line in lines}
    taken = {line.line_id: returned_before.get(line.line_id, 0) for line in lines}
    if len(by_id) != len(lines) or set(returned_before) - set(by_id):
        raise InvalidInput("line ids must be unique and known", code="unknown_line")
    if any(not 0 <= taken[i] <= by_id[i].quantity for i in by_id):
        raise InvalidInput("returned quantities exceed the order", code="invalid_returned")
    decisions: list[LineDecision] = []
    for row in request.lines:
        line = by_id.get(row.line_id)
        if line is None:
            raise InvalidInput(f"line {row.line_id} is not in the order", code="unknown_line")
        if row.quantity < 1:
            raise InvalidInput("return at least one unit", code="invalid_quantity")
        if request.requested_at < line.purchased_at:
            raise InvalidInput("a return cannot precede the sale", code="invalid_request_time")
        reason = _rejection(policy, line, row, taken[line.line_id], request.requested_at)
        refund = Money.zero(line.net_paid.currency)
        if reason is None:
            start = taken[line.line_id]
            for unit in line.unit_prices()[start : start + row.quantity]:
                refund += unit
            taken[line.line_id] += row.quantity
        decisions.append(LineDecision(row.line_id, row.quantity, reason is None, reason, refund))
    return tuple(decisions)


def _settle_exchange(
    policy: ReturnPolicy, items: Sequence[ExchangeItem], accepted: Money
) -> ExchangeSettlement:
    if not policy.exchange_allowed:
        raise InvalidInput("this store does not exchange items", code="exchange_not_allowed")
    new_total = Money.zero(accepted.currency)
    for item in items:
        if item.quantity < 1 or item.unit_price.amount < 0:
            raise InvalidInput(f"exchange item {item.sku} is invalid", code="invalid_quantity")
        new_total += item.unit_price * item.quantity
    applied = min(accepted, new_total)
    return ExchangeSettlement(new_total, applied, new_total - applied, accepted - applied)


def assess_return(
    policy: ReturnPolicy,
    lines: Sequence[PurchasedLine],
    returned_before: Mapping[str, int],
    payments: Sequence[Payment],
    request: ReturnRequest,
) -> ReturnAssessment:
    """Decide every returned line, price it at what was paid, and say where the money goes.

    The receiving location plays no part: any location takes any return under this policy.
    """
    if not request.lines or not lines:
        raise InvalidInput("a return needs order lines and returned lines", code="empty_return")
    if request.requested_at.tzinfo is None:
        raise InvalidInput("requested_at must be timezone-aware", code="naive_datetime")
    destination = _destination(policy, request.refund_to)
    decisions = _decide_lines(policy, lines, returned_before, request)
    accepted = Money.zero(lines[0].net_paid.currency)
    for decision in decisions:
        accepted += decision.refund
    exchange = None
    to_refund = accepted
    if request.exchange_items:
        exchange = _settle_exchange(policy, request.exchange_items, accepted)
        to_refund = exchange.remainder
        if policy.exchange_remainder_as_store_credit:
            destination = RefundDestination.STORE_CREDIT
    if destination is RefundDestination.STORE_CREDIT:
        return ReturnAssessment(decisions, accepted, destination, (), to_refund, exchange)
    to_payments = split_refund(to_refund, payments)
    zero = Money.zero(accepted.currency)
    return ReturnAssessment(decisions, accepted, destination, to_payments, zero, exchange)
