"""What commerce accepts at its edges (API, CLI, files), validated before any action runs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ORDER_CHANNELS = (
    "pos",
    "web",
    "whatsapp",
    "instagram",
    "messenger",
    "telegram",
    "phone",
    "marketplace",
)
PAYMENT_METHODS = (
    "cash",
    "card",
    "debit_card",
    "transfer",
    "mercado_pago",
    "pix",
    "oxxo",
    "boleto",
    "store_credit",
    "gift_card",
    "loyalty_points",
    "other",
)
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}")


def _price(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError("a price is a positive amount")
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError("a price has at most 4 decimal places")
    return value


class VariantInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64)
    price: Decimal
    barcode: str | None = Field(default=None, max_length=64)
    attributes: dict[str, str] = Field(default_factory=dict)
    final_sale: bool = False
    low_stock_threshold: int = Field(default=2, ge=0, le=100_000)

    @field_validator("sku")
    @classmethod
    def _sku(cls, value: str) -> str:
        if not _SKU.fullmatch(value):
            raise ValueError("a SKU is letters, digits and . _ - / (up to 64)")
        return value

    @field_validator("price")
    @classmethod
    def _valid_price(cls, value: Decimal) -> Decimal:
        return _price(value)


class ProductInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    category: str = Field(default="", max_length=120)
    tags: list[str] = Field(default_factory=list, max_length=30)
    variants: list[VariantInput] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _distinct_skus(self) -> ProductInput:
        skus = [v.sku for v in self.variants]
        if len(set(skus)) != len(skus):
            raise ValueError("each variant needs its own SKU")
        return self


class StockInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_hand: int = Field(ge=0, le=10_000_000)
    reason: str = Field(default="stock count", max_length=200)


class CustomerRef(BaseModel):
    """Who is buying, by any identifier the identity engine knows (or a customer id)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = None
    name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    document: str | None = Field(default=None, max_length=40)
    whatsapp_id: str | None = Field(default=None, max_length=40)
    instagram: str | None = Field(default=None, max_length=80)
    messenger_psid: str | None = Field(default=None, max_length=80)
    telegram: str | None = Field(default=None, max_length=80)
    shop_account: str | None = Field(default=None, max_length=80)
    loyalty_card: str | None = Field(default=None, max_length=80)


class OrderLineInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=10_000)


class FulfillmentInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    type: Literal["pickup", "ship", "counter"]
    location: str | None = Field(
        default=None,
        max_length=20,
        description="pickup/counter: the store; ship: the location it ships from (else the "
        "strategy chooses)",
    )
    split: bool = False
    strategy: Literal["warehouse_first", "store_first", "nearest_full"] = Field(
        default="warehouse_first",
        description="where a shipment comes from; ship-from-store is store_first",
    )

    @model_validator(mode="after")
    def _location_needed(self) -> FulfillmentInput:
        if self.type in ("pickup", "counter") and not self.location:
            raise ValueError(f"a {self.type} order names its store in 'location'")
        return self


class PaymentInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    method: Literal[PAYMENT_METHODS]  # type: ignore[valid-type]
    amount: Decimal
    reference: str = Field(default="", max_length=120)
    bank: str | None = Field(default=None, max_length=60, description="for bank promotions")

    @field_validator("amount")
    @classmethod
    def _valid_amount(cls, value: Decimal) -> Decimal:
        return _price(value)


class OrderInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Literal[ORDER_CHANNELS]  # type: ignore[valid-type]
    customer: CustomerRef | None = None
    lines: list[OrderLineInput] = Field(min_length=1, max_length=200)
    fulfillment: FulfillmentInput
    payments: list[PaymentInput] = Field(default_factory=list, max_length=10)
    external_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=80,
        description="the till's own id for a POS sale: a retried or synced sale is not repeated",
    )
    coupon_codes: list[str] = Field(default_factory=list, max_length=5)
    hold_id: str | None = Field(
        default=None, description="a cart's or quote's hold: its units go to this order"
    )

    @model_validator(mode="after")
    def _one_line_per_sku(self) -> OrderInput:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each SKU once per order; add up the quantities")
        return self


class CancelInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=200)


class CollectInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    pickup_code: str = Field(min_length=1, max_length=12)


class HoldInput(BaseModel):
    """Units held for a cart or a chat quote until ``minutes`` pass (then they go back)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["cart", "quote"]
    lines: list[OrderLineInput] = Field(min_length=1, max_length=200)
    location: str | None = Field(
        default=None, max_length=20, description="hold at this store (else where it ships from)"
    )
    minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)


class PriceInput(BaseModel):
    """A new list price (every channel), or an explicit override for one channel."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    price: Decimal
    channel: Literal[ORDER_CHANNELS] | None = None  # type: ignore[valid-type]

    @field_validator("price")
    @classmethod
    def _valid_price(cls, value: Decimal) -> Decimal:
        return _price(value)


class MovementInput(BaseModel):
    """Units received at a location, or moved from one location to another."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["receipt", "transfer"]
    quantity: int = Field(ge=1, le=1_000_000)
    location: str = Field(min_length=1, max_length=20, description="where the units arrive")
    from_location: str | None = Field(default=None, max_length=20)
    reference: str = Field(default="", max_length=80)

    @model_validator(mode="after")
    def _transfer_has_origin(self) -> MovementInput:
        if self.kind == "transfer" and not self.from_location:
            raise ValueError("a transfer names 'from_location'")
        if self.kind == "transfer" and self.from_location == self.location:
            raise ValueError("a transfer moves units between two different locations")
        return self


class BackInStockInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    customer_id: str
    channel: str = Field(min_length=1, max_length=20)
    location: str | None = Field(default=None, max_length=20)
