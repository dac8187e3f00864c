"""The catalog as a CSV file, one variant per line, in and out.

Columns: ``product, sku, price`` and optionally ``barcode, category, attributes`` (as
``talle=M;color=negro``), ``final_sale`` (si/no, true/false, 1/0). Lines of one product share
its name. A line that cannot be read is reported with its number and skipped; an SKU that
exists already gets the line's price (a price list re-imported is a price update).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.commerce import catalog
from mostrador.commerce.models import Price, Product, Variant
from mostrador.commerce.schemas import ProductInput, VariantInput
from mostrador.core.ids import WorkspaceId
from mostrador.core.money import round_amount
from mostrador.core.unit_of_work import Tx

COLUMNS = ("product", "sku", "price", "barcode", "category", "attributes", "final_sale")
_REQUIRED = ("product", "sku", "price")
_TRUE = {"si", "sí", "s", "yes", "y", "true", "1", "sim"}
_FALSE = {"no", "n", "false", "0", "nao", "não", ""}


@dataclass(frozen=True)
class CatalogLine:
    line: int
    product: str
    category: str
    variant: VariantInput


@dataclass
class CatalogReport:
    created_products: int = 0
    created_variants: int = 0
    updated_prices: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def read_catalog(text: str) -> tuple[list[CatalogLine], list[tuple[int, str]]]:
    """The usable lines and the rejected ones (line number, reason); line 1 is the header."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        return [], [(1, f"missing columns: {', '.join(missing)}")]
    reader.fieldnames = header
    lines: list[CatalogLine] = []
    rejected: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        try:
            parsed = _line(number, cells)
        except ValueError as exc:
            rejected.append((number, str(exc)))
            continue
        if parsed.variant.sku in seen:
            rejected.append(
                (number, f"SKU {parsed.variant.sku} repeats line {seen[parsed.variant.sku]}")
            )
            continue
        seen[parsed.variant.sku] = number
        lines.append(parsed)
    return lines, rejected


def _line(number: int, cells: dict[str, str]) -> CatalogLine:
    if not cells.get("product"):
        raise ValueError("no product name")
    try:
        price = Decimal(cells.get("price", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"price {cells.get('price')!r} is not a number") from None
    flag = cells.get("final_sale", "").lower()
    if flag not in _TRUE | _FALSE:
        raise ValueError(f"final_sale {flag!r} is not yes or no")
    attributes: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in cells.get("attributes", "").split(";"))):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"attribute {pair!r} is not name=value")
        attributes[key.strip()] = value.strip()
    try:
        variant = VariantInput(
            sku=cells.get("sku", ""),
            price=price,
            barcode=cells.get("barcode") or None,
            attributes=attributes,
            final_sale=flag in _TRUE,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    return CatalogLine(number, cells["product"][:200], cells.get("category", "")[:120], variant)


def import_catalog(
    tx: Tx, workspace_id: WorkspaceId, lines: Iterable[CatalogLine], currency: str
) -> CatalogReport:
    """Create the new products and variants; give existing SKUs the file's price."""
    report = CatalogReport()
    pending = list(lines)
    existing = {
        v.sku: v
        for v in tx.session.execute(
            select(Variant).where(
                Variant.workspace_id == workspace_id,
                Variant.sku.in_([line.variant.sku for line in pending]),
            )
        ).scalars()
    }
    new_by_product: dict[str, list[CatalogLine]] = {}
    for line in pending:
        known = existing.get(line.variant.sku)
        if known is None:
            new_by_product.setdefault(line.product, []).append(line)
            continue
        before = catalog.current_price(tx, workspace_id, known.id, currency)
        catalog.set_price(tx, workspace_id, known, currency, line.variant.price)
        after = catalog.current_price(tx, workspace_id, known.id, currency)
        if before == after:
            report.unchanged += 1
        else:
            report.updated_prices += 1
    for name, group in new_by_product.items():
        data = ProductInput(
            name=name, category=group[0].category, variants=[line.variant for line in group]
        )
        catalog.create_product(tx, workspace_id, data, currency)
        report.created_products += 1
        report.created_variants += len(group)
    return report


def export_catalog(session: Session, workspace_id: WorkspaceId, currency: str) -> str:
    """Every variant with its current list price, in the import's columns."""
    rows = session.execute(
        select(Product.name, Product.category, Variant, Price.amount)
        .join(Variant, Variant.product_id == Product.id)
        .outerjoin(
            Price,
            (Price.variant_id == Variant.id)
            & (Price.currency == currency)
            & (Price.channel == "")
            & Price.valid_until.is_(None),
        )
        .where(Product.workspace_id == workspace_id)
        .order_by(Product.name, Variant.sku)
    ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for name, category, variant, amount in rows:
        writer.writerow(
            [
                name,
                variant.sku,
                "" if amount is None else str(round_amount(amount, currency)),
                variant.barcode or "",
                category,
                ";".join(f"{k}={v}" for k, v in sorted(variant.attributes.items())),
                "si" if variant.final_sale else "no",
            ]
        )
    return buffer.getvalue()
