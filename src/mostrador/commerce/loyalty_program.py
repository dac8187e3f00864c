"""A workspace's loyalty programme: how points are earned (per currency unit, per order, per
product; every channel unless a rule names some), how long they last, the tiers and what a
point is worth. Stored as a validated document; the defaults apply until a shop sets one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from mostrador.commerce import loyalty_rules as rules
from mostrador.commerce.models import LoyaltyProgramRecord
from mostrador.core.ids import WorkspaceId
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx

# One point per this many currency units by default (about 1% back at one unit per point).
_SPEND_STEP = {"ARS": 100, "CLP": 1000, "COP": 1000, "PYG": 10000, "MXN": 10, "UYU": 10}


class EarnRuleInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["spend", "order", "product"]
    points: int = Field(ge=1, le=1_000_000)
    per: Decimal | None = Field(default=None, gt=0, description="spend: points per this amount")
    skus: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list, description="empty: every channel")
    minimum_order: Decimal | None = Field(default=None, ge=0)


class TierInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40)
    threshold: Decimal = Field(ge=0)
    multiplier: Decimal = Field(gt=0, le=10)


class LoyaltyProgramInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    earn: list[EarnRuleInput] = Field(min_length=1, max_length=20)
    validity_months: int = Field(default=12, ge=1, le=120)
    tier_basis: Literal["points_earned", "spend"] = "points_earned"
    tiers: list[TierInput] = Field(min_length=1, max_length=10)
    point_value: Decimal = Field(gt=0)
    minimum_balance: int = Field(default=0, ge=0)
    max_order_share: Decimal = Field(default=Decimal(1), gt=0, le=1)


@dataclass(frozen=True)
class Program:
    currency: str
    earn_rules: tuple[rules.EarnRule, ...]
    validity_months: int
    tiers: rules.TierSchedule
    redemption: rules.RedemptionPolicy


def default_program(currency: str) -> LoyaltyProgramInput:
    step = Decimal(_SPEND_STEP.get(currency, 1))
    return LoyaltyProgramInput(
        earn=[EarnRuleInput(kind="spend", points=1, per=step)],
        tiers=[
            TierInput(name="Bronce", threshold=Decimal(0), multiplier=Decimal(1)),
            TierInput(name="Plata", threshold=Decimal(2000), multiplier=Decimal("1.25")),
            TierInput(name="Oro", threshold=Decimal(6000), multiplier=Decimal("1.5")),
        ],
        point_value=step / 100,
    )


def build(data: LoyaltyProgramInput, currency: str) -> Program:
    """The engine's programme; an inconsistent one is refused by the rules (422)."""
    earn: list[rules.EarnRule] = []
    for n, rule in enumerate(data.earn, start=1):
        rule_id = f"{rule.kind}-{n}"
        channels = frozenset(rule.channels)
        minimum = Money(rule.minimum_order, currency) if rule.minimum_order is not None else None
        if rule.kind == "spend":
            earn.append(
                rules.SpendRule(
                    rule_id=rule_id,
                    channels=channels,
                    minimum_order=minimum,
                    points=rule.points,
                    per=Money(rule.per if rule.per is not None else 1, currency),
                )
            )
        elif rule.kind == "order":
            earn.append(
                rules.OrderBonusRule(
                    rule_id=rule_id, channels=channels, minimum_order=minimum, points=rule.points
                )
            )
        else:
            earn.append(
                rules.ProductBonusRule(
                    rule_id=rule_id,
                    channels=channels,
                    minimum_order=minimum,
                    points_per_unit=rule.points,
                    skus=frozenset(rule.skus),
                    categories=frozenset(rule.categories),
                )
            )
    return Program(
        currency=currency,
        earn_rules=tuple(earn),
        validity_months=data.validity_months,
        tiers=rules.TierSchedule(
            basis=rules.TierBasis(data.tier_basis),
            tiers=tuple(rules.Tier(t.name, t.threshold, t.multiplier) for t in data.tiers),
        ),
        redemption=rules.RedemptionPolicy(
            point_value=Money(data.point_value, currency),
            minimum_balance=data.minimum_balance,
            max_order_share=data.max_order_share,
        ),
    )


def stored(session: Session, workspace_id: WorkspaceId, currency: str) -> LoyaltyProgramInput:
    record = session.get(LoyaltyProgramRecord, workspace_id)
    if record is None:
        return default_program(currency)
    return LoyaltyProgramInput.model_validate(record.definition)


def program(session: Session, workspace_id: WorkspaceId, currency: str) -> Program:
    return build(stored(session, workspace_id, currency), currency)


def set_program(
    tx: Tx, workspace_id: WorkspaceId, data: LoyaltyProgramInput, currency: str
) -> LoyaltyProgramInput:
    build(data, currency)  # refuses an inconsistent programme before storing it
    record = tx.session.get(LoyaltyProgramRecord, workspace_id)
    if record is None:
        record = LoyaltyProgramRecord(workspace_id=workspace_id, definition={}, updated_at=tx.now)
        tx.session.add(record)
    record.definition = data.model_dump(mode="json")
    record.updated_at = tx.now
    return data
