"""The bot's skills: answers from live data (orders, stock, stores, returns, prices,
promotions, points, payment methods, the knowledge base). Each reads in the caller's
transaction and returns an :class:`Answer`; none changes anything (changes are confirmed
first and finished by a person — see ``bot``).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador import commerce, customers
from mostrador.assistant import knowledge
from mostrador.assistant.examples import Language
from mostrador.assistant.models import AssistantSettings
from mostrador.assistant.understanding import Understanding
from mostrador.assistant.wording import ORDER_STATUS, say
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Location, Workspace, hours

__all__ = ["Answer", "Asked", "run_skill"]


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    skill: str
    pending: dict[str, Any] = field(default_factory=dict)  # what the next message should bring
    hand_over: str | None = None  # a reason: the skill wants a person to take it from here


@dataclass(frozen=True, slots=True)
class Asked:
    """Everything a skill may look at."""

    session: Session
    workspace: Workspace
    customer_id: uuid.UUID
    understood: Understanding
    language: Language
    pending: dict[str, Any]
    settings: AssistantSettings
    now: datetime


def _person(asked: Asked) -> list[uuid.UUID]:
    survivor = customers.canonical_id(
        asked.session, WorkspaceId(asked.workspace.id), asked.customer_id
    )
    return customers.group_ids(asked.session, WorkspaceId(asked.workspace.id), survivor)


def _stores(asked: Asked) -> list[Location]:
    return list(
        asked.session.execute(
            select(Location)
            .where(Location.workspace_id == asked.workspace.id, Location.kind == "store")
            .order_by(Location.code)
        ).scalars()
    )


def _verified_by(asked: Asked, owner: uuid.UUID) -> bool:
    """Whether the e-mail or phone the customer just gave belongs to the order's owner."""
    given = {
        value
        for value in (asked.understood.entities.email, asked.understood.entities.phone)
        if value
    }
    ws = WorkspaceId(asked.workspace.id)
    group = customers.group_ids(asked.session, ws, customers.canonical_id(asked.session, ws, owner))
    known = {
        row.normalized_value for row in customers.queries.identifiers(asked.session, ws, group)
    }
    return bool(given & known)


def order_status(asked: Asked) -> Answer:
    ref = asked.understood.entities.order_ref or asked.pending.get("ref")
    if not ref:
        return Answer(say("order_ask_ref", asked.language), "order_status", {"kind": "ref"})
    ws = WorkspaceId(asked.workspace.id)
    order = commerce.queries.order_by_reference(asked.session, ws, ref)
    if order is None:
        return Answer(say("order_not_found", asked.language, ref=ref), "order_status")
    mine = order.customer_id is not None and order.customer_id in _person(asked)
    if not mine:
        if asked.pending.get("kind") != "verify":
            return Answer(
                say("order_verify", asked.language, ref=ref),
                "order_status",
                {"kind": "verify", "ref": ref},
            )
        if order.customer_id is None or not _verified_by(asked, order.customer_id):
            return Answer("", "order_status", hand_over="identity_not_verified")
    document = commerce.queries.order_document(asked.session, order)
    items = ", ".join(f"{line['quantity']} × {line['name']}" for line in document["lines"][:3])
    phrase = ORDER_STATUS.get(order.status, ORDER_STATUS["placed"])[asked.language]
    store = next((s.name for s in _stores(asked) if s.id == order.location_id), "")
    status = phrase.format(
        store=store,
        code=order.pickup_code or "",
        from_=order.promised_from.strftime("%d/%m") if order.promised_from else "?",
        until=order.promised_until.strftime("%d/%m") if order.promised_until else "?",
    )
    return Answer(
        say("order_status", asked.language, ref=ref, items=items, status=status), "order_status"
    )


def _distance(a: Location, b: Location) -> float:
    if None in (a.latitude, b.latitude, a.longitude, b.longitude):
        return math.inf
    return math.dist(
        (a.latitude or 0.0, a.longitude or 0.0), (b.latitude or 0.0, b.longitude or 0.0)
    )


def _size_of(attributes: dict[str, Any]) -> str:
    for key in ("size", "talle", "talla", "tamanho"):
        if key in attributes:
            return str(attributes[key]).upper()
    return ""


def stock_check(asked: Asked) -> Answer:
    product_name = asked.understood.entities.product
    if not product_name:
        return Answer(say("stock_ask_product", asked.language), "stock_check", {"kind": "product"})
    ws = WorkspaceId(asked.workspace.id)
    rows = asked.session.execute(
        select(commerce.Variant.sku, commerce.Variant.attributes)
        .join(commerce.Product, commerce.Product.id == commerce.Variant.product_id)
        .where(commerce.Product.workspace_id == ws, commerce.Product.name == product_name)
    ).all()
    size = asked.understood.entities.size
    skus = [sku for sku, attrs in rows if not size or _size_of(attrs) == size]
    stores = {s.code: s for s in _stores(asked)}
    available: dict[str, int] = {}
    for sku in skus:
        for level in commerce.queries.inventory(asked.session, ws, sku)["locations"]:
            if level["location"] in stores and level["available"] > 0:
                available[level["location"]] = (
                    available.get(level["location"], 0) + level["available"]
                )
    label = f"{product_name} {size}".strip() if size else product_name
    if not available:
        return Answer(say("stock_none", asked.language, product=label), "stock_check")
    named = next((s for s in stores.values() if s.name == asked.understood.entities.store), None)
    if named is not None and named.code in available:
        text = say("stock_here", asked.language, product=label, places=named.name)
        return _offer_pickup(asked, text, skus, named, label)
    ranked = sorted(available, key=lambda code: _distance(named, stores[code]) if named else 0.0)
    places = ", ".join(stores[code].name for code in ranked[:3])
    nearest = stores[ranked[0]]
    if named is not None:
        text = say(
            "stock_elsewhere", asked.language, store=named.name, product=label, places=places
        )
        return _offer_pickup(asked, text, skus, nearest, label)
    text = say("stock_here", asked.language, product=label, places=places)
    return (
        _offer_pickup(asked, text, skus, nearest, label)
        if len(ranked) == 1
        else Answer(text, "stock_check")
    )


def _offer_pickup(asked: Asked, text: str, skus: list[str], store: Location, label: str) -> Answer:
    """With one exact variant in stock at a store, offer to hold it there (confirmed first)."""
    if len(skus) != 1:
        return Answer(text, "stock_check")
    return Answer(
        text + say("offer_pickup", asked.language, store=store.name),
        "stock_check",
        {
            "kind": "confirm",
            "action": "book_pickup",
            "sku": skus[0],
            "location": store.code,
            "store": store.name,
            "product": label,
        },
    )


def store_info(asked: Asked) -> Answer:
    lines = []
    wanted = asked.understood.entities.store
    for store in _stores(asked):
        if wanted and store.name != wanted:
            continue
        schedule = hours.build_schedule(
            time_zone=store.time_zone,
            opening_hours=store.opening_hours,
            country=store.country,
            subdivision=store.holiday_subdivision,
            closures=store.closures,
        )
        local = asked.now.astimezone(schedule.zone).date()
        day = local
        if asked.understood.entities.date:
            day = datetime.fromisoformat(asked.understood.entities.date).date()
        that_day = hours.hours_on(schedule, day)
        spans = " y ".join(hours.format_spans(that_day.spans)) or "—"
        note = (
            f" ({that_day.reason.removeprefix('holiday: ')})"
            if that_day.reason != "regular"
            else ""
        )
        address = ", ".join(part for part in (store.street, store.city) if part)
        lines.append(f"• {store.name} — {address} — {day.strftime('%d/%m')}: {spans}{note}")
    return Answer(say("stores", asked.language, stores="\n".join(lines)), "store_info")


def return_request(asked: Asked) -> Answer:
    policy = commerce.RETURN_POLICY
    ref = asked.understood.entities.order_ref or asked.pending.get("ref")
    ws = WorkspaceId(asked.workspace.id)
    order = commerce.queries.order_by_reference(asked.session, ws, ref) if ref else None
    if order is None or order.customer_id not in _person(asked):
        return Answer(
            say("return_policy", asked.language, days=policy.window_days), "return_request"
        )
    until = (order.placed_at + policy.window_for(order.channel)).date()
    if asked.now.date() > until:
        return Answer(
            say("return_late", asked.language, ref=ref, until=until.strftime("%d/%m")),
            "return_request",
        )
    return Answer(
        say("return_confirm", asked.language, ref=ref, until=until.strftime("%d/%m")),
        "return_request",
        {"kind": "confirm", "action": "open_return", "ref": ref},
    )


def promotion_info(asked: Asked) -> Answer:
    ws = WorkspaceId(asked.workspace.id)
    folded = asked.understood.text.lower()
    if any(word in folded for word in ("punto", "ponto", "point")):
        account = commerce.loyalty_account(
            asked.session, ws, _person(asked), asked.workspace.currency, asked.now
        )
        return Answer(say("points", asked.language, points=account["balance"]), "loyalty_balance")
    product_name = asked.understood.entities.product
    if product_name:
        rows = (
            asked.session.execute(
                select(commerce.Variant.id)
                .join(commerce.Product, commerce.Product.id == commerce.Variant.product_id)
                .where(commerce.Product.workspace_id == ws, commerce.Product.name == product_name)
            )
            .scalars()
            .all()
        )
        prices = commerce.queries.list_prices(asked.session, ws, rows, asked.workspace.currency)
        if prices:
            low = min(prices.values())
            text = say(
                "price",
                asked.language,
                product=product_name,
                price=f"{asked.workspace.currency} {low:,.0f}".replace(",", "."),
            )
            return Answer(text, "price")
    live = [p for p in commerce.promotions_list(asked.session, ws) if p.get("active", True)]
    if not live:
        return Answer(say("no_promotions", asked.language), "promotions")
    names = "\n".join(f"• {p.get('name', '')}" for p in live[:6])
    return Answer(say("promotions", asked.language, promotions=names), "promotions")


_METHOD_NAMES: dict[str, dict[Language, str]] = {
    "cash": {"es": "efectivo", "pt": "dinheiro", "en": "cash"},
    "card": {"es": "tarjeta de crédito", "pt": "cartão de crédito", "en": "credit card"},
    "debit_card": {"es": "tarjeta de débito", "pt": "cartão de débito", "en": "debit card"},
    "transfer": {"es": "transferencia", "pt": "transferência", "en": "bank transfer"},
    "mercado_pago": {"es": "Mercado Pago", "pt": "Mercado Pago", "en": "Mercado Pago"},
    "pix": {"es": "Pix", "pt": "Pix", "en": "Pix"},
    "store_credit": {"es": "saldo a favor", "pt": "crédito na loja", "en": "store credit"},
    "gift_card": {"es": "gift card", "pt": "vale-presente", "en": "gift card"},
}


def payment_info(asked: Asked) -> Answer:
    methods = asked.settings.payment_methods or ["cash", "card", "debit_card", "transfer"]
    names = ", ".join(_METHOD_NAMES.get(m, {}).get(asked.language, m) for m in methods)
    extra = f" {asked.settings.instalments}" if asked.settings.instalments else ""
    return Answer(
        say("payments", asked.language, methods=names, instalments=extra), "payment_methods"
    )


def greeting(asked: Asked) -> Answer:
    return Answer(say("greeting", asked.language, shop=asked.workspace.name), "greeting")


def thanks(asked: Asked) -> Answer:
    return Answer(say("thanks", asked.language), "thanks")


def other(asked: Asked) -> Answer:
    return Answer(
        say(
            "out_of_scope",
            asked.language,
            shop=asked.workspace.name,
            email="hola@" + asked.workspace.slug + ".com",
        ),
        "out_of_scope",
    )


SKILLS: dict[str, Callable[[Asked], Answer]] = {
    "order_status": order_status,
    "stock_check": stock_check,
    "store_info": store_info,
    "return_request": return_request,
    "promotion_info": promotion_info,
    "payment_info": payment_info,
    "greeting": greeting,
    "thanks": thanks,
    "other": other,
}
# What a pending question was about: the answer to it continues that skill.
_CONTINUES = {"ref": None, "verify": "order_status", "product": "stock_check"}


def run_skill(asked: Asked) -> Answer:
    """The knowledge base first when it knows the question well; live data otherwise."""
    intent = asked.understood.intent
    continuing = asked.pending.get("skill")
    if (
        continuing
        and asked.pending.get("kind") in _CONTINUES
        and (intent in ("other", continuing) or not asked.understood.guess.certain)
    ):
        intent = continuing
    if intent not in ("order_status", "stock_check"):
        known = knowledge.best_answer(
            asked.session, WorkspaceId(asked.workspace.id), asked.understood.text, asked.language
        )
        if known is not None:
            return Answer(known, "knowledge_base")
    return SKILLS[intent](asked) if intent in SKILLS else other(asked)
