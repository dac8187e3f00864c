"""Promotions as the shop defines them (a validated document per promotion), turned into the
pricing engine's definitions, and the coupon uses the engine counts against."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, time
from decimal import Decimal
from typing import Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mostrador.commerce import promotions as engine
from mostrador.commerce.models import CouponRedemption, PromotionRecord
from mostrador.commerce.pricing import CouponUses, PromotionIndex, index_promotions
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx

T = TypeVar("T")
Kind = Literal[
    "percent_off",
    "amount_off",
    "buy_x_pay_y",
    "bundle",
    "spend_threshold",
    "free_shipping",
    "instalments",
]


class TargetInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skus: list[str] = Field(default_factory=list, max_length=500)
    products: list[str] = Field(default_factory=list, max_length=500)
    categories: list[str] = Field(default_factory=list, max_length=50)
    tags: list[str] = Field(default_factory=list, max_length=50)


class CouponInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=2, max_length=40)
    max_uses: int | None = Field(default=None, ge=1)
    max_uses_per_customer: int | None = Field(default=None, ge=1)


class ConditionsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[str] = Field(default_factory=list)
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    weekdays: list[int] = Field(default_factory=list, description="0 = Monday")
    hours_from: time | None = None
    hours_until: time | None = None
    first_purchase_only: bool = False
    loyalty_tiers: list[str] = Field(default_factory=list)
    customer_segments: list[str] = Field(default_factory=list)
    payment_methods: list[str] = Field(default_factory=list)
    banks: list[str] = Field(default_factory=list)
    coupon: CouponInput | None = None


class BundleItemInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str
    quantity: int = Field(default=1, ge=1)


class PromotionInput(BaseModel):
    """One promotion, for every channel unless ``conditions.channels`` says otherwise."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    percent: Decimal | None = None
    amount: Decimal | None = None
    per_unit: bool = False
    buy: int | None = None
    pay: int | None = None
    items: list[BundleItemInput] = Field(default_factory=list, max_length=20)
    price: Decimal | None = None
    minimum: Decimal | None = None
    counts: list[int] = Field(default_factory=list, max_length=6)
    target: TargetInput | None = None
    conditions: ConditionsInput = Field(default_factory=ConditionsInput)
    priority: int = 0
    exclusive: bool = False
    stackable: bool = True
    active: bool = True


def _money(value: Decimal | None, currency: str) -> Money | None:
    return Money(value, currency) if value is not None else None


def _target(data: TargetInput | None) -> engine.Target | None:
    if data is None:
        return None
    return engine.Target(
        skus=frozenset(data.skus),
        products=frozenset(data.products),
        categories=frozenset(data.categories),
        tags=frozenset(data.tags),
    )


def _offer(data: PromotionInput, currency: str) -> engine.Offer:
    """The engine's offer for ``data``; missing or contradictory fields are a 422 (the
    engine's own checks raise ``InvalidInput`` with their codes)."""
    target = _target(data.target)
    if data.kind == "percent_off":
        return engine.PercentOff(percent=_required(data.percent, "percent"), target=target)
    if data.kind == "amount_off":
        amount = Money(_required(data.amount, "amount"), currency)
        return engine.AmountOff(amount=amount, target=target, per_unit=data.per_unit)
    if data.kind == "buy_x_pay_y":
        if target is None:
            raise _missing("target")
        return engine.BuyXPayY(
            buy=_required(data.buy, "buy"), pay=_required(data.pay, "pay"), target=target
        )
    if data.kind == "bundle":
        return engine.Bundle(
            items=tuple(engine.BundleItem(i.sku, i.quantity) for i in data.items),
            price=_money(data.price, currency),
            percent=data.percent,
        )
    if data.kind == "spend_threshold":
        return engine.SpendThreshold(
            minimum=Money(_required(data.minimum, "minimum"), currency),
            percent=data.percent,
            amount=_money(data.amount, currency),
            target=target,
        )
    if data.kind == "free_shipping":
        return engine.FreeShipping(minimum=_money(data.minimum, currency))
    return engine.Instalments(counts=tuple(data.counts), minimum=_money(data.minimum, currency))


def _required(value: T | None, name: str) -> T:
    if value is None:
        raise _missing(name)
    return value


def _missing(name: str) -> Exception:
    from mostrador.core.errors import InvalidInput

    return InvalidInput(f"this kind of promotion needs {name!r}", code="invalid_promotion")


def to_engine(promotion_id: uuid.UUID, data: PromotionInput, currency: str) -> engine.Promotion:
    c = data.conditions
    coupon = c.coupon
    return engine.Promotion(
        id=str(promotion_id),
        offer=_offer(data, currency),
        conditions=engine.Conditions(
            channels=frozenset(c.channels),
            valid_from=c.valid_from,
            valid_until=c.valid_until,
            weekdays=frozenset(c.weekdays),
            hours_from=c.hours_from,
            hours_until=c.hours_until,
            first_purchase_only=c.first_purchase_only,
            loyalty_tiers=frozenset(c.loyalty_tiers),
            customer_segments=frozenset(c.customer_segments),
            payment_methods=frozenset(c.payment_methods),
            banks=frozenset(c.banks),
            coupon=engine.Coupon(coupon.code, coupon.max_uses, coupon.max_uses_per_customer)
            if coupon is not None
            else None,
        ),
        priority=data.priority,
        exclusive=data.exclusive,
        stackable=data.stackable,
    )


def create_promotion(
    tx: Tx, workspace_id: WorkspaceId, data: PromotionInput, currency: str
) -> PromotionRecord:
    """Store a promotion after the engine accepted its definition."""
    record_id = new_id()
    to_engine(record_id, data, currency)  # refuses an invalid definition before writing
    record = PromotionRecord(
        id=record_id,
        workspace_id=workspace_id,
        name=data.name,
        definition=data.model_dump(mode="json"),
        active=data.active,
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(record)
    return record


def active_promotions(
    session: Session, workspace_id: WorkspaceId, currency: str
) -> list[engine.Promotion]:
    rows = session.execute(
        select(PromotionRecord).where(
            PromotionRecord.workspace_id == workspace_id, PromotionRecord.active.is_(True)
        )
    ).scalars()
    return [to_engine(r.id, PromotionInput.model_validate(r.definition), currency) for r in rows]


# Built indexes by the exact versions of the promotions they hold: validating documents and
# building the engine's index was a sixth of an order's cost; a change of any promotion
# (its ``updated_at``) or of the set gives a new key. Small: one entry per live version.
_INDEXES: dict[tuple[str, frozenset[tuple[uuid.UUID, datetime]]], PromotionIndex] = {}
_MAX_INDEXES = 256


def active_index(session: Session, workspace_id: WorkspaceId, currency: str) -> PromotionIndex:
    """The active promotions, indexed for ``price_cart`` (built once per version)."""
    versions = frozenset(
        (promotion_id, updated_at)
        for promotion_id, updated_at in session.execute(
            select(PromotionRecord.id, PromotionRecord.updated_at).where(
                PromotionRecord.workspace_id == workspace_id, PromotionRecord.active.is_(True)
            )
        )
    )
    key = (currency, versions)
    found = _INDEXES.get(key)
    if found is None:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.clear()
        found = index_promotions(active_promotions(session, workspace_id, currency))
        _INDEXES[key] = found
    return found


def promotions_list(session: Session, workspace_id: WorkspaceId) -> list[dict[str, Any]]:
    rows = session.execute(
        select(PromotionRecord)
        .where(PromotionRecord.workspace_id == workspace_id)
        .order_by(PromotionRecord.created_at)
    ).scalars()
    return [{"id": str(r.id), **r.definition} for r in rows]


def coupon_uses(
    session: Session,
    workspace_id: WorkspaceId,
    codes: Sequence[str],
    customer_ids: Sequence[uuid.UUID],
) -> dict[str, CouponUses]:
    """How often each code was used, in all and by this person (any merged profile)."""
    wanted = [engine.normalize_code(c) for c in codes if c.strip()]
    if not wanted:
        return {}
    rows = session.execute(
        select(CouponRedemption.code, CouponRedemption.customer_id, func.count())
        .where(CouponRedemption.workspace_id == workspace_id, CouponRedemption.code.in_(wanted))
        .group_by(CouponRedemption.code, CouponRedemption.customer_id)
    ).all()
    mine = set(customer_ids)
    uses: dict[str, CouponUses] = {}
    for code in wanted:
        total = sum(n for c, _who, n in rows if c == code)
        by_customer = sum(n for c, who, n in rows if c == code and who in mine)
        uses[code] = CouponUses(total=total, by_customer=by_customer)
    return uses


def record_redemptions(
    tx: Tx,
    workspace_id: WorkspaceId,
    codes: Sequence[str],
    customer_id: uuid.UUID | None,
    order_id: uuid.UUID,
    at: datetime,
) -> None:
    tx.session.add_all(
        CouponRedemption(
            id=new_id(),
            workspace_id=workspace_id,
            code=engine.normalize_code(code),
            customer_id=customer_id,
            order_id=order_id,
            used_at=at,
        )
        for code in codes
    )
