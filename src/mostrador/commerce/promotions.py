"""Promotion definitions: what a merchant configures, validated once when built.

A ``Promotion`` is an *offer* (what the customer gets) under *conditions* (who, when,
where, with which coupon or card). The pricing engine (``pricing.price_cart``) applies
them; these types only describe and validate, so a bad definition fails at save time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Literal

from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

CHANNELS = frozenset(
    {"pos", "web", "whatsapp", "instagram", "messenger", "telegram", "phone", "marketplace"}
)

Scope = Literal["line", "order", "shipping", "offer"]


def _fail(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code)


def normalize_code(code: str) -> str:
    """Coupon codes compare case- and blank-insensitively, as customers type them."""
    return code.strip().upper()


def _check_percent(percent: Decimal) -> None:
    if not isinstance(percent, Decimal) or not percent.is_finite() or not 0 < percent <= 100:
        raise _fail(f"percent must be a Decimal in (0, 100], got {percent!r}", "invalid_percent")


def _check_positive(amount: Money, what: str) -> None:
    if amount.amount <= 0:
        raise _fail(f"{what} must be positive, got {amount}", "invalid_amount")


@dataclass(frozen=True, slots=True)
class Target:
    """Which cart lines an offer is about: a line matches if ANY of the criteria match."""

    skus: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not (self.skus or self.products or self.categories or self.tags):
            raise _fail("a target needs at least one sku, product, category or tag", "empty_target")


@dataclass(frozen=True, slots=True)
class Coupon:
    """A code that unlocks the promotion; limits are checked against the uses the caller counts.

    ``max_uses=1`` is a single-use code; ``None`` means unlimited.
    """

    code: str
    max_uses: int | None = None
    max_uses_per_customer: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", normalize_code(self.code))
        if not self.code:
            raise _fail("a coupon needs a code", "empty_coupon_code")
        for limit in (self.max_uses, self.max_uses_per_customer):
            if limit is not None and limit < 1:
                raise _fail(f"coupon limits must be at least 1, got {limit}", "invalid_limit")


@dataclass(frozen=True, slots=True)
class Conditions:
    """Who, when and where a promotion holds; every empty set means "no restriction".

    ``valid_from`` is inclusive and ``valid_until`` exclusive (aware datetimes). Weekdays
    (0 = Monday) and the daily hours ``[hours_from, hours_until)`` are read in the
    workspace's time zone; ``hours_until <= hours_from`` means the window crosses midnight.
    """

    channels: frozenset[str] = frozenset()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    weekdays: frozenset[int] = frozenset()
    hours_from: time | None = None
    hours_until: time | None = None
    first_purchase_only: bool = False
    loyalty_tiers: frozenset[str] = frozenset()
    customer_segments: frozenset[str] = frozenset()
    payment_methods: frozenset[str] = frozenset()
    banks: frozenset[str] = frozenset()
    coupon: Coupon | None = None

    def __post_init__(self) -> None:
        unknown = self.channels - CHANNELS
        if unknown:
            raise _fail(f"unknown channels: {', '.join(sorted(unknown))}", "unknown_channel")
        for moment in (self.valid_from, self.valid_until):
            if moment is not None and moment.utcoffset() is None:
                raise _fail("validity dates must carry a time zone", "naive_datetime")
        if self.valid_from and self.valid_until and self.valid_from >= self.valid_until:
            raise _fail("valid_from must be before valid_until", "empty_window")
        if any(not 0 <= day <= 6 for day in self.weekdays):
            raise _fail("weekdays go from 0 (Monday) to 6 (Sunday)", "invalid_weekday")
        if (self.hours_from is None) != (self.hours_until is None):
            raise _fail("give both hours_from and hours_until, or neither", "half_open_hours")
        if self.hours_from is not None and self.hours_from == self.hours_until:
            raise _fail("hours_from and hours_until must differ", "empty_window")
        if self.banks and not self.payment_methods:
            raise _fail("a bank condition needs the payment methods it applies to", "bank_alone")


@dataclass(frozen=True, slots=True)
class PercentOff:
    """``percent`` off the targeted lines, or off the whole order when ``target`` is None."""

    percent: Decimal
    target: Target | None = None

    def __post_init__(self) -> None:
        _check_percent(self.percent)


@dataclass(frozen=True, slots=True)
class AmountOff:
    """A fixed amount off: each targeted unit (``per_unit``), the targeted lines, or the order."""

    amount: Money
    target: Target | None = None
    per_unit: bool = False

    def __post_init__(self) -> None:
        _check_positive(self.amount, "amount")
        if self.per_unit and self.target is None:
            raise _fail("an amount per unit needs a target", "per_unit_needs_target")


@dataclass(frozen=True, slots=True)
class BuyXPayY:
    """N×M (2x1, 3x2): of every ``buy`` targeted units ``buy - pay`` are free, the cheapest."""

    buy: int
    pay: int
    target: Target

    def __post_init__(self) -> None:
        if not 1 <= self.pay < self.buy:
            raise _fail(f"need 1 <= pay < buy, got {self.buy}x{self.pay}", "invalid_buy_pay")


@dataclass(frozen=True, slots=True)
class BundleItem:
    """One component of a bundle: a SKU and how many units of it a bundle takes."""

    sku: str
    quantity: int = 1

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise _fail(f"bundle quantities start at 1, got {self.quantity}", "invalid_quantity")


@dataclass(frozen=True, slots=True)
class Bundle:
    """A set of SKUs and quantities sold together for a fixed ``price`` or ``percent`` off."""

    items: tuple[BundleItem, ...]
    price: Money | None = None
    percent: Decimal | None = None

    def __post_init__(self) -> None:
        skus = [item.sku for item in self.items]
        if len(set(skus)) != len(skus):
            raise _fail("a bundle lists each sku once", "duplicate_bundle_sku")
        if sum(item.quantity for item in self.items) < 2:
            raise _fail("a bundle takes at least two units", "bundle_too_small")
        if (self.price is None) == (self.percent is None):
            raise _fail("a bundle has either a price or a percent", "bundle_needs_one_benefit")
        if self.price is not None:
            _check_positive(self.price, "bundle price")
        if self.percent is not None:
            _check_percent(self.percent)


@dataclass(frozen=True, slots=True)
class SpendThreshold:
    """Spend ``minimum`` on the target (or the order), get ``percent`` or ``amount`` off."""

    minimum: Money
    percent: Decimal | None = None
    amount: Money | None = None
    target: Target | None = None

    def __post_init__(self) -> None:
        _check_positive(self.minimum, "minimum")
        if (self.percent is None) == (self.amount is None):
            raise _fail(
                "a threshold gives either a percent or an amount", "threshold_needs_one_benefit"
            )
        if self.percent is not None:
            _check_percent(self.percent)
        if self.amount is not None:
            _check_positive(self.amount, "amount")
            if self.amount.currency != self.minimum.currency:
                raise _fail("minimum and amount must share a currency", "currency_mismatch")


@dataclass(frozen=True, slots=True)
class FreeShipping:
    """The shipping fee is waived, optionally only when the merchandise reaches ``minimum``."""

    minimum: Money | None = None

    def __post_init__(self) -> None:
        if self.minimum is not None:
            _check_positive(self.minimum, "minimum")


@dataclass(frozen=True, slots=True)
class Instalments:
    """Interest-free instalments ("cuotas sin interés"): reported as an offer, total unchanged."""

    counts: tuple[int, ...]
    minimum: Money | None = None

    def __post_init__(self) -> None:
        if not self.counts or any(count < 2 for count in self.counts):
            raise _fail("instalment counts start at 2", "invalid_instalments")
        object.__setattr__(self, "counts", tuple(sorted(set(self.counts))))
        if self.minimum is not None:
            _check_positive(self.minimum, "minimum")


Offer = PercentOff | AmountOff | BuyXPayY | Bundle | SpendThreshold | FreeShipping | Instalments

KINDS: dict[type, str] = {
    PercentOff: "percent_off",
    AmountOff: "amount_off",
    BuyXPayY: "buy_x_pay_y",
    Bundle: "bundle",
    SpendThreshold: "threshold",
    FreeShipping: "free_shipping",
    Instalments: "instalments",
}


@dataclass(frozen=True, slots=True)
class Promotion:
    """One configured promotion. Higher ``priority`` applies first; ties go by ``id``.

    ``kind`` ("percent_off", "buy_x_pay_y"...), ``scope`` ("line", "order", "shipping",
    "offer") and ``currency`` (of its fixed amounts; None if it has none) come from the offer.

    ``exclusive``: once applied, no later promotion touches the lines it discounted (all
    lines and the shipping if it is order-level). ``stackable=False``: never shares a line
    with another discount, before or after it.
    """

    id: str
    offer: Offer
    conditions: Conditions = field(default_factory=Conditions)
    priority: int = 0
    exclusive: bool = False
    stackable: bool = True
    # Derived from the offer once, since the engine asks for them on every cart.
    kind: str = field(init=False, repr=False, compare=False)
    scope: Scope = field(init=False, repr=False, compare=False)
    currency: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            raise _fail("a promotion needs an id", "empty_promotion_id")
        object.__setattr__(self, "kind", KINDS[type(self.offer)])
        object.__setattr__(self, "scope", _scope_of(self.offer))
        object.__setattr__(self, "currency", _currency_of(self.offer))


def _scope_of(offer: Offer) -> Scope:
    """What an offer discounts: chosen lines, the whole order, the shipping, or nothing."""
    if isinstance(offer, FreeShipping):
        return "shipping"
    if isinstance(offer, Instalments):
        return "offer"
    if isinstance(offer, BuyXPayY | Bundle):
        return "line"
    return "order" if offer.target is None else "line"


def _currency_of(offer: Offer) -> str | None:
    """The currency of the offer's fixed amounts: it only applies to carts in that currency."""
    amount: Money | None = None
    if isinstance(offer, AmountOff):
        amount = offer.amount
    elif isinstance(offer, Bundle):
        amount = offer.price
    elif isinstance(offer, SpendThreshold | FreeShipping | Instalments):
        amount = offer.minimum
    return None if amount is None else amount.currency
