"""The parameters a UI needs to word a promotion in the customer's language.

Machine-readable on purpose: "2x1", "20" (percent), the coupon code, the banks; the
translation and the currency formatting belong to the UI.
"""

from __future__ import annotations

from decimal import Decimal

from mostrador.commerce.promotions import (
    AmountOff,
    Bundle,
    BuyXPayY,
    FreeShipping,
    PercentOff,
    Promotion,
    SpendThreshold,
)


def _text(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros ("20", "12.5")."""
    return format(value.normalize(), "f")


def describe(promotion: Promotion) -> dict[str, str]:
    """The promotion's parameters, e.g. ``{"buy": "2", "pay": "1", "label": "2x1"}``."""
    offer = promotion.offer
    params: dict[str, str] = {}
    if isinstance(offer, PercentOff):
        params["percent"] = _text(offer.percent)
    elif isinstance(offer, AmountOff):
        params["amount"] = _text(offer.amount.amount)
        params["per"] = "unit" if offer.per_unit else promotion.scope
    elif isinstance(offer, BuyXPayY):
        params.update(buy=str(offer.buy), pay=str(offer.pay), label=f"{offer.buy}x{offer.pay}")
    elif isinstance(offer, Bundle):
        params["items"] = ",".join(f"{item.sku}:{item.quantity}" for item in offer.items)
        if offer.price is not None:
            params["price"] = _text(offer.price.amount)
        if offer.percent is not None:
            params["percent"] = _text(offer.percent)
    elif isinstance(offer, SpendThreshold):
        params["minimum"] = _text(offer.minimum.amount)
        if offer.percent is not None:
            params["percent"] = _text(offer.percent)
        if offer.amount is not None:
            params["amount"] = _text(offer.amount.amount)
    elif isinstance(offer, FreeShipping):
        if offer.minimum is not None:
            params["minimum"] = _text(offer.minimum.amount)
    else:
        params["counts"] = ",".join(str(count) for count in offer.counts)
    conditions = promotion.conditions
    if conditions.coupon is not None:
        params["coupon"] = conditions.coupon.code
    if conditions.payment_methods:
        params["payment_methods"] = ",".join(sorted(conditions.payment_methods))
    if conditions.banks:
        params["banks"] = ",".join(sorted(conditions.banks))
    return params
