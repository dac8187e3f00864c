"""One loyalty ledger for every channel: points earned on paid orders, spent soonest-expiring
first, taken back on returns. The arithmetic is ``loyalty_rules`` (pure); this module reads
and writes the ledger.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.commerce import loyalty_program
from mostrador.commerce import loyalty_rules as rules
from mostrador.commerce.events import LoyaltyPointsChanged
from mostrador.commerce.models import LoyaltyEntry, Order, OrderLine
from mostrador.core.errors import InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import canonical_id, group_ids

Program = loyalty_program.Program


def program_for(session: Session, workspace_id: WorkspaceId, currency: str) -> Program:
    """The workspace's programme (the defaults until the shop configures one)."""
    return loyalty_program.program(session, workspace_id, currency)


def person(session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID) -> list[uuid.UUID]:
    """Every profile of the person behind ``customer_id``: points follow merges."""
    return group_ids(session, workspace_id, canonical_id(session, workspace_id, customer_id))


def entries(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID]
) -> Sequence[LoyaltyEntry]:
    return (
        session.execute(
            select(LoyaltyEntry)
            .where(
                LoyaltyEntry.workspace_id == workspace_id,
                LoyaltyEntry.customer_id.in_(list(customer_ids)),
            )
            .order_by(LoyaltyEntry.occurred_at, LoyaltyEntry.id)
        )
        .scalars()
        .all()
    )


def lots(ledger: Sequence[LoyaltyEntry]) -> list[rules.Lot]:
    """The lots (positive entries) with what is left of each after the debits against it."""
    taken: dict[uuid.UUID, int] = {}
    for entry in ledger:
        if entry.points < 0 and entry.lot_id is not None:
            taken[entry.lot_id] = taken.get(entry.lot_id, 0) - entry.points
    return [
        rules.Lot(
            lot_id=str(entry.id),
            earned_at=entry.occurred_at,
            expires_at=entry.expires_at,
            remaining=entry.points - taken.get(entry.id, 0),
        )
        for entry in ledger
        if entry.points > 0 and entry.expires_at is not None
    ]


def tier(ledger: Sequence[LoyaltyEntry], program: Program, at: datetime) -> rules.Tier:
    activity = [
        rules.TierActivity(e.occurred_at, e.points, Money.zero(program.currency))
        for e in ledger
        if e.kind in ("earn", "reverse")
    ]
    return rules.tier_for(activity, at, program.tiers)


def earn_for_order(
    tx: Tx, workspace_id: WorkspaceId, order: Order, lines: Sequence[OrderLine]
) -> int:
    """Points for a paid order, as one lot; the points per line are kept on the order so a
    return takes back exactly its share."""
    if order.customer_id is None:
        return 0
    program = program_for(tx.session, workspace_id, order.currency)
    ledger = entries(tx.session, workspace_id, person(tx.session, workspace_id, order.customer_id))
    result = rules.points_to_earn(
        [
            rules.PaidLine(str(line.id), line.sku, line.quantity, Money(line.net, order.currency))
            for line in lines
        ],
        order.channel,
        program.earn_rules,
        tier(ledger, program, tx.now),
    )
    if result.points == 0:
        return 0
    grant = rules.grant_earned(result.points, tx.now, program.validity_months)
    lot_id = new_id()
    tx.session.add(
        LoyaltyEntry(
            id=lot_id,
            workspace_id=workspace_id,
            customer_id=order.customer_id,
            kind="earn",
            points=grant.points,
            lot_id=lot_id,
            expires_at=grant.expires_at,
            order_id=order.id,
            reason=f"order {order.number}",
            actor=tx.actor or "",
            occurred_at=tx.now,
        )
    )
    order.pricing = order.pricing | {
        "loyalty": {"lot_id": str(lot_id), "by_line": result.points_by_line()}
    }
    tx.record(
        LoyaltyPointsChanged(
            customer_id=order.customer_id,
            kind="earn",
            points=grant.points,
            order_id=order.id,
            reason=f"order {order.number}",
        )
    )
    return grant.points


def _debit_entries(
    tx: Tx,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    kind: str,
    debits: Sequence[rules.LotDebit],
    *,
    order_id: uuid.UUID | None,
    reason: str,
) -> None:
    tx.session.add_all(
        LoyaltyEntry(
            id=new_id(),
            workspace_id=workspace_id,
            customer_id=customer_id,
            kind=kind,
            points=-debit.points,
            lot_id=uuid.UUID(debit.lot_id),
            expires_at=None,
            order_id=order_id,
            reason=reason,
            actor=tx.actor or "",
            occurred_at=tx.now,
        )
        for debit in debits
    )


def _grant_entry(
    tx: Tx,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    kind: str,
    grant: rules.LotGrant,
    *,
    order_id: uuid.UUID | None,
    reason: str,
) -> None:
    lot_id = new_id()
    tx.session.add(
        LoyaltyEntry(
            id=lot_id,
            workspace_id=workspace_id,
            customer_id=customer_id,
            kind=kind,
            points=grant.points,
            lot_id=lot_id,
            expires_at=grant.expires_at,
            order_id=order_id,
            reason=reason,
            actor=tx.actor or "",
            occurred_at=tx.now,
        )
    )


def redeem_for_order(tx: Tx, workspace_id: WorkspaceId, order: Order, value: Money) -> int:
    """Pay ``value`` of an order with points (whole points, soonest-expiring lots first)."""
    if order.customer_id is None:
        raise InvalidInput("paying with points needs a known customer", code="points_need_customer")
    program = program_for(tx.session, workspace_id, order.currency)
    points = value.amount / program.redemption.point_value.amount
    if points != points.to_integral_value():
        raise InvalidInput(
            f"{value} is not a whole number of points ({program.redemption.point_value} each)",
            code="invalid_points",
        )
    group = person(tx.session, workspace_id, order.customer_id)
    ledger = entries(tx.session, workspace_id, group)
    redemption = rules.redeem(
        lots(ledger), int(points), Money(order.total, order.currency), tx.now, program.redemption
    )
    reason = f"order {order.number}"
    _debit_entries(
        tx,
        workspace_id,
        order.customer_id,
        "redeem",
        redemption.debits,
        order_id=order.id,
        reason=reason,
    )
    tx.record(
        LoyaltyPointsChanged(
            customer_id=order.customer_id,
            kind="redeem",
            points=-redemption.points,
            order_id=order.id,
            reason=reason,
        )
    )
    return redemption.points


def give_back_for_cancellation(tx: Tx, workspace_id: WorkspaceId, order: Order) -> int:
    """Points redeemed on a cancelled order come back, each with its original expiry."""
    if order.customer_id is None:
        return 0
    spent = tx.session.execute(
        select(LoyaltyEntry).where(
            LoyaltyEntry.workspace_id == workspace_id,
            LoyaltyEntry.order_id == order.id,
            LoyaltyEntry.kind == "redeem",
        )
    ).scalars()
    ledger = {
        e.id: e
        for e in entries(
            tx.session, workspace_id, person(tx.session, workspace_id, order.customer_id)
        )
    }
    debits = []
    for entry in spent:
        lot = ledger.get(entry.lot_id) if entry.lot_id is not None else None
        if lot is not None and lot.expires_at is not None:
            debits.append(rules.LotDebit(str(entry.lot_id), -entry.points, lot.expires_at))
    if not debits:
        return 0
    restoration = rules.restore_redemption(debits, tx.now)
    reason = f"cancelled order {order.number}"
    for grant in restoration.grants:
        _grant_entry(
            tx, workspace_id, order.customer_id, "restore", grant, order_id=order.id, reason=reason
        )
    restored = sum(g.points for g in restoration.grants)
    if restored:
        tx.record(
            LoyaltyPointsChanged(
                customer_id=order.customer_id,
                kind="restore",
                points=restored,
                order_id=order.id,
                reason=reason,
            )
        )
    return restored


def take_back_for_cancellation(tx: Tx, workspace_id: WorkspaceId, order: Order) -> int:
    """A cancelled order earns nothing: what it earned is taken back (never below zero)."""
    earned = order.pricing.get("loyalty", {})
    points = sum(int(v) for v in earned.get("by_line", {}).values())
    if order.customer_id is None or points == 0:
        return 0
    ledger = entries(tx.session, workspace_id, person(tx.session, workspace_id, order.customer_id))
    clawback = rules.claw_back(lots(ledger), points, tx.now, from_lot_id=earned.get("lot_id"))
    reason = f"cancelled order {order.number}"
    _debit_entries(
        tx,
        workspace_id,
        order.customer_id,
        "reverse",
        clawback.debits,
        order_id=order.id,
        reason=reason,
    )
    taken = points - clawback.shortfall
    if taken:
        tx.record(
            LoyaltyPointsChanged(
                customer_id=order.customer_id,
                kind="reverse",
                points=-taken,
                order_id=order.id,
                reason=reason,
            )
        )
    return taken


def adjust_points(
    tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID, points: int, reason: str
) -> int:
    """A manual correction with its reason: a new lot, or points taken like a redemption."""
    program = program_for(
        tx.session,
        workspace_id,
        workspace_queries.workspace_by_id(tx.session, workspace_id).currency,
    )
    ledger = entries(tx.session, workspace_id, person(tx.session, workspace_id, customer_id))
    adjustment = rules.adjust(lots(ledger), points, reason, tx.now, program.validity_months)
    if adjustment.grant is not None:
        _grant_entry(
            tx, workspace_id, customer_id, "adjust", adjustment.grant, order_id=None, reason=reason
        )
    _debit_entries(
        tx, workspace_id, customer_id, "adjust", adjustment.debits, order_id=None, reason=reason
    )
    tx.record(
        LoyaltyPointsChanged(
            customer_id=customer_id, kind="adjust", points=points, order_id=None, reason=reason
        )
    )
    return points


def take_back_for_return(
    tx: Tx,
    workspace_id: WorkspaceId,
    order: Order,
    returned: Sequence[rules.ReturnedEarning],
) -> int:
    """Reverse the points the returned share of the order earned (never below zero)."""
    if order.customer_id is None:
        return 0
    due = rules.points_to_claw_back(returned)
    if due == 0:
        return 0
    ledger = entries(tx.session, workspace_id, person(tx.session, workspace_id, order.customer_id))
    own_lot = order.pricing.get("loyalty", {}).get("lot_id")
    clawback = rules.claw_back(lots(ledger), due, tx.now, from_lot_id=own_lot)
    for debit in clawback.debits:
        tx.session.add(
            LoyaltyEntry(
                id=new_id(),
                workspace_id=workspace_id,
                customer_id=order.customer_id,
                kind="reverse",
                points=-debit.points,
                lot_id=uuid.UUID(debit.lot_id),
                expires_at=None,
                order_id=order.id,
                reason=f"return of order {order.number}",
                actor=tx.actor or "",
                occurred_at=tx.now,
            )
        )
    taken = due - clawback.shortfall
    if taken:
        tx.record(
            LoyaltyPointsChanged(
                customer_id=order.customer_id,
                kind="reverse",
                points=-taken,
                order_id=order.id,
                reason=f"return of order {order.number}",
            )
        )
    return taken


def account(
    session: Session,
    workspace_id: WorkspaceId,
    customer_ids: Sequence[uuid.UUID],
    currency: str,
    at: datetime,
) -> dict[str, Any]:
    """The balance, tier, lots and recent entries of a person (every merged profile)."""
    program = program_for(session, workspace_id, currency)
    ledger = entries(session, workspace_id, customer_ids)
    current = lots(ledger)
    reached = tier(ledger, program, at)
    return {
        "balance": rules.balance(current, at),
        "tier": {"name": reached.name, "multiplier": str(reached.multiplier)},
        "point_value": str(program.redemption.point_value.amount),
        "currency": currency,
        "lots": [
            {
                "earned_at": lot.earned_at.isoformat(),
                "expires_at": lot.expires_at.isoformat(),
                "remaining": lot.remaining,
            }
            for lot in sorted(current, key=lambda lot: lot.expires_at)
            if lot.remaining > 0 and lot.is_valid_at(at)
        ],
        "entries": [
            {
                "kind": e.kind,
                "points": e.points,
                "order_id": str(e.order_id) if e.order_id else None,
                "reason": e.reason,
                "occurred_at": e.occurred_at.isoformat(),
            }
            for e in reversed(ledger[-50:])
        ],
    }
