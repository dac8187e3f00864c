"""Products, their variants and the one price list (per workspace and currency).

A channel-specific price exists only as an explicit override row; every price change
closes the current row and opens a new one, so the history is kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from mostrador.commerce import queries
from mostrador.commerce.events import PriceChanged, ProductCreated
from mostrador.commerce.models import Price, Product, Variant
from mostrador.commerce.schemas import ORDER_CHANNELS, ProductInput
from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import round_amount
from mostrador.core.unit_of_work import Tx


def create_product(
    tx: Tx, workspace_id: WorkspaceId, data: ProductInput, currency: str
) -> tuple[Product, list[Variant]]:
    """A product with its variants and their prices; an SKU already in use is a conflict."""
    skus = [v.sku for v in data.variants]
    taken = tx.session.execute(
        select(Variant.sku).where(Variant.workspace_id == workspace_id, Variant.sku.in_(skus))
    ).scalars()
    duplicate = sorted(taken)
    if duplicate:
        raise Conflict(
            f"SKU {duplicate[0]} already exists", code="duplicate_sku", details={"skus": duplicate}
        )
    product = Product(
        id=new_id(),
        workspace_id=workspace_id,
        name=data.name,
        description=data.description,
        category=data.category,
        tags=list(data.tags),
        status="active",
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(product)
    variants = []
    for item in data.variants:
        variant = Variant(
            id=new_id(),
            workspace_id=workspace_id,
            product_id=product.id,
            sku=item.sku,
            barcode=item.barcode,
            attributes=dict(item.attributes),
            final_sale=item.final_sale,
            low_stock_threshold=item.low_stock_threshold,
            created_at=tx.now,
        )
        variants.append(variant)
    tx.session.add_all(variants)
    tx.session.flush()
    for variant, item in zip(variants, data.variants, strict=True):
        set_price(tx, workspace_id, variant, currency, item.price)
    tx.record(ProductCreated(product_id=product.id, name=product.name, skus=tuple(skus)))
    return product, variants


def set_price(
    tx: Tx,
    workspace_id: WorkspaceId,
    variant: Variant,
    currency: str,
    amount: Decimal,
    *,
    channel: str = "",
) -> Price:
    """Make ``amount`` the price from now on (for every channel, or as a channel override)."""
    if channel and channel not in ORDER_CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", code="invalid_channel")
    amount = round_amount(amount, currency)
    current = _current(tx, workspace_id, variant.id, currency, channel)
    if current is not None:
        if current.amount == amount:
            return current
        current.valid_until = tx.now
        tx.session.flush()  # the partial unique index allows one current row
    price = Price(
        id=new_id(),
        workspace_id=workspace_id,
        variant_id=variant.id,
        currency=currency,
        channel=channel,
        amount=amount,
        valid_from=tx.now,
        valid_until=None,
        set_by=tx.actor or "",
    )
    tx.session.add(price)
    tx.record(
        PriceChanged(
            sku=variant.sku,
            currency=currency,
            channel=channel,
            previous=current.amount if current is not None else None,
            amount=amount,
        )
    )
    return price


def current_price(
    tx: Tx, workspace_id: WorkspaceId, variant_id: uuid.UUID, currency: str, channel: str = ""
) -> Decimal | None:
    found = _current(tx, workspace_id, variant_id, currency, channel)
    return found.amount if found is not None else None


def _current(
    tx: Tx, workspace_id: WorkspaceId, variant_id: uuid.UUID, currency: str, channel: str
) -> Price | None:
    return tx.session.execute(
        select(Price).where(
            Price.workspace_id == workspace_id,
            Price.variant_id == variant_id,
            Price.currency == currency,
            Price.channel == channel,
            Price.valid_until.is_(None),
        )
    ).scalar_one_or_none()


def variants_by_sku(
    tx: Tx, workspace_id: WorkspaceId, skus: Sequence[str]
) -> dict[str, tuple[Variant, Product]]:
    """The variants (with their product) for ``skus``; an unknown SKU is a 422."""
    rows = tx.session.execute(
        select(Variant, Product)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.workspace_id == workspace_id, Variant.sku.in_(list(skus)))
    ).all()
    found = {variant.sku: (variant, product) for variant, product in rows}
    missing = [s for s in skus if s not in found]
    if missing:
        raise InvalidInput(
            f"unknown SKU {missing[0]}", code="unknown_sku", details={"skus": missing}
        )
    return found


def variant_by_sku(tx: Tx, workspace_id: WorkspaceId, sku: str) -> Variant:
    """The variant with ``sku`` (404 ``sku_not_found``), in the action's transaction."""
    return queries.variant(tx.session, workspace_id, sku)
