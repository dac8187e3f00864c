from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mostrador.commerce.loyalty_rules import (
    EarnRule,
    Lot,
    LotDebit,
    LotGrant,
    OrderBonusRule,
    PaidLine,
    ProductBonusRule,
    RedemptionPolicy,
    ReturnedEarning,
    RuleEarning,
    SkippedRule,
    SkipReason,
    SpendRule,
    Tier,
    TierActivity,
    TierBasis,
    TierSchedule,
    add_months,
    adjust,
    apply_debits,
    balance,
    claw_back,
    expire,
    grant_earned,
    max_redeemable,
    points_to_claw_back,
    points_to_earn,
    qualifying_total,
    redeem,
    restore_redemption,
    tier_for,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
BRONCE = Tier("Bronce", Decimal(0), Decimal(1))
PLATA = Tier("Plata", Decimal(1000), Decimal("1.25"))
ORO = Tier("Oro", Decimal(5000), Decimal("1.5"))
TIERS_BY_POINTS = TierSchedule(TierBasis.POINTS_EARNED, (BRONCE, PLATA, ORO))

ONE_PER_100_ARS = SpendRule(rule_id="spend", points=1, per=Money(100, "ARS"))
POLICY = RedemptionPolicy(Money(1, "ARS"), minimum_balance=100, max_order_share=Decimal("0.5"))


def ars(amount: str) -> Money:
    return Money(amount, "ARS")


def line(line_id: str, net: str, *, sku: str = "SKU", qty: int = 1, cats: str = "") -> PaidLine:
    categories = frozenset(cats.split()) if cats else frozenset()
    return PaidLine(line_id, sku, qty, ars(net), categories)


def lot(lot_id: str, remaining: int, expires: datetime, earned: datetime | None = None) -> Lot:
    return Lot(lot_id, earned or expires - timedelta(days=365), expires, remaining)


# ----------------------------------------------------------------------------- earning


def test_spend_rule_rounds_down_on_the_order_net_and_attributes_points_to_lines() -> None:
    lines = [line("a", "1234.50"), line("b", "765.49")]

    result = points_to_earn(lines, "web", [ONE_PER_100_ARS])

    assert result.points == 19  # 1999.99 ARS → 19.9999 → 19
    assert result.earnings == (RuleEarning("spend", 19, Decimal(1), 19, (("a", 12), ("b", 7))),)
    assert result.skipped == ()
    assert result.tier is None
    assert result.points_by_line() == {"a": 12, "b": 7}


def test_the_tier_multiplier_applies_after_the_base_and_rounds_down() -> None:
    lines = [line("a", "1999.99", sku="CAFE-1KG", qty=2)]
    bonus = ProductBonusRule(
        rule_id="cafe", points_per_unit=5, skus=frozenset({"CAFE-1KG"}), tier_multiplied=False
    )

    result = points_to_earn(lines, "store", [ONE_PER_100_ARS, bonus], tier=ORO)

    assert result.earnings == (
        RuleEarning("spend", 19, Decimal("1.5"), 28, (("a", 28),)),  # 28.5 → 28
        RuleEarning("cafe", 10, Decimal(1), 10, (("a", 10),)),
    )
    assert result.points == 38
    assert result.tier == "Oro"


def test_order_and_category_bonuses_and_the_reasons_rules_are_skipped() -> None:
    lines = [
        line("a", "3000", sku="ZAP-40", qty=1, cats="calzado"),
        line("b", "1000", sku="MED-01", qty=3, cats="medias"),
    ]
    rules: list[EarnRule] = [
        OrderBonusRule(rule_id="welcome", points=50, minimum_order=ars("4000")),
        ProductBonusRule(rule_id="shoes", points_per_unit=20, categories=frozenset({"calzado"})),
        ProductBonusRule(rule_id="hats", points_per_unit=20, categories=frozenset({"gorros"})),
        SpendRule(rule_id="app", points=2, per=ars("100"), channels=frozenset({"app"})),
        OrderBonusRule(rule_id="big", points=500, minimum_order=ars("4000.01")),
    ]

    result = points_to_earn(lines, "whatsapp", rules)

    assert result.earnings == (
        RuleEarning("welcome", 50, Decimal(1), 50, (("a", 38), ("b", 12))),  # 37.5/12.5
        RuleEarning("shoes", 20, Decimal(1), 20, (("a", 20),)),
    )
    assert result.skipped == (
        SkippedRule("hats", SkipReason.NO_MATCHING_LINES),
        SkippedRule("app", SkipReason.CHANNEL_NOT_ELIGIBLE),
        SkippedRule("big", SkipReason.BELOW_MINIMUM_ORDER),
    )
    assert result.points == 70
    assert result.points_by_line() == {"a": 58, "b": 12}


def test_the_same_rules_give_the_same_points_on_every_channel() -> None:
    lines = [line("a", "2500")]
    by_channel = {
        channel: points_to_earn(lines, channel, [ONE_PER_100_ARS], tier=PLATA).points
        for channel in ("store", "web", "whatsapp", "instagram", "phone")
    }
    assert set(by_channel.values()) == {31}  # 25 × 1.25 = 31.25


def test_spend_points_in_pesos_chilenos() -> None:
    rule = SpendRule(rule_id="clp", points=1, per=Money(1000, "CLP"))
    lines = [PaidLine("a", "X", 1, Money(19990, "CLP")), PaidLine("b", "Y", 1, Money(990, "CLP"))]
    result = points_to_earn(lines, "store", [rule])
    assert result.points == 20  # 20 980 CLP
    assert result.points_by_line() == {"a": 19, "b": 1}


def test_bad_orders_and_rules_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        points_to_earn([], "web", [ONE_PER_100_ARS])
    assert err.value.code == "empty_order"
    with pytest.raises(InvalidInput) as err:
        points_to_earn([line("a", "1"), line("a", "2")], "web", [ONE_PER_100_ARS])
    assert err.value.code == "duplicate_line"
    with pytest.raises(InvalidInput) as err:
        points_to_earn([line("a", "1")], "web", [ONE_PER_100_ARS, ONE_PER_100_ARS])
    assert err.value.code == "duplicate_rule"
    with pytest.raises(InvalidInput) as err:
        points_to_earn([PaidLine("a", "X", 1, Money(5000, "CLP"))], "web", [ONE_PER_100_ARS])
    assert err.value.code == "currency_mismatch"
    with pytest.raises(InvalidInput) as err:
        SpendRule(rule_id="zero", points=1, per=ars("0"))
    assert err.value.code == "invalid_rule"
    with pytest.raises(InvalidInput) as err:
        ProductBonusRule(rule_id="nothing", points_per_unit=3)
    assert err.value.code == "invalid_rule"
    with pytest.raises(InvalidInput) as err:
        OrderBonusRule(rule_id="neg", points=-5)
    assert err.value.code == "invalid_points"
    with pytest.raises(InvalidInput) as err:
        PaidLine("a", "X", 0, ars("10"))
    assert err.value.code == "invalid_line"


# ----------------------------------------------------------------------------- lots and expiry


def test_a_lot_expires_validity_months_later_clamped_to_the_month_end() -> None:
    earned = datetime(2025, 1, 31, 18, 30, tzinfo=UTC)
    assert grant_earned(120, earned, 1) == LotGrant(
        120, earned, datetime(2025, 2, 28, 18, 30, tzinfo=UTC)
    )
    leap = datetime(2024, 2, 29, 9, 0, tzinfo=UTC)
    assert grant_earned(5, leap, 12).expires_at == datetime(2025, 2, 28, 9, 0, tzinfo=UTC)
    assert add_months(datetime(2025, 3, 31, tzinfo=UTC), -1) == datetime(2025, 2, 28, tzinfo=UTC)
    with pytest.raises(InvalidInput) as err:
        grant_earned(5, leap, 0)
    assert err.value.code == "invalid_validity"
    with pytest.raises(InvalidInput) as err:
        grant_earned(5, datetime(2025, 1, 1), 12)  # noqa: DTZ001 - the point of the test
    assert err.value.code == "naive_datetime"


def test_points_lapse_exactly_at_the_expiry_instant() -> None:
    expiry = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    lots = [lot("old", 40, expiry), lot("new", 60, datetime(2026, 9, 1, tzinfo=UTC))]
    just_before = expiry - timedelta(microseconds=1)

    assert balance(lots, just_before) == 100
    assert expire(lots, just_before) == ()
    assert balance(lots, expiry) == 60
    assert expire(lots, expiry) == (LotDebit("old", 40, expiry),)
    assert balance(apply_debits(lots, expire(lots, expiry)), expiry) == 60
    assert expire(apply_debits(lots, expire(lots, expiry)), expiry) == ()


def test_redemption_spends_the_soonest_expiring_lots_first() -> None:
    march, june = datetime(2026, 3, 31, tzinfo=UTC), datetime(2026, 6, 30, tzinfo=UTC)
    lots = [
        lot("L1", 50, june),
        lot("L2", 30, march, earned=datetime(2025, 3, 31, tzinfo=UTC)),
        lot("L3", 20, march, earned=datetime(2025, 3, 1, tzinfo=UTC)),  # same expiry, older
        lot("L0", 30, march, earned=datetime(2025, 3, 1, tzinfo=UTC)),  # same again: by id
        lot("gone", 500, datetime(2026, 3, 1, tzinfo=UTC)),
    ]

    redemption = redeem(lots, 90, ars("1000"), NOW, POLICY)

    assert redemption.points == 90
    assert redemption.value == ars("90.00")
    assert redemption.debits == (
        LotDebit("L0", 30, march),
        LotDebit("L3", 20, march),
        LotDebit("L2", 30, march),
        LotDebit("L1", 10, june),
    )
    after = apply_debits(lots, redemption.debits)
    assert [x.remaining for x in after] == [40, 0, 0, 0, 500]
    assert balance(after, NOW) == 40


def test_redemption_limits_refuse_the_request() -> None:
    june = datetime(2026, 6, 30, tzinfo=UTC)
    rich, poor = [lot("L1", 300, june)], [lot("L1", 99, june)]

    with pytest.raises(InvalidInput) as err:
        redeem(poor, 50, ars("1000"), NOW, POLICY)
    assert err.value.code == "below_minimum_redemption"
    with pytest.raises(InvalidInput) as err:
        redeem(rich, 301, ars("10000"), NOW, POLICY)
    assert err.value.code == "insufficient_points"
    with pytest.raises(InvalidInput) as err:
        redeem(rich, 151, ars("301.99"), NOW, POLICY)  # half is 150.995 ARS → 150 points
    assert err.value.code == "over_redemption_cap"
    with pytest.raises(InvalidInput) as err:
        redeem(rich, 0, ars("1000"), NOW, POLICY)
    assert err.value.code == "invalid_points"
    with pytest.raises(InvalidInput) as err:
        redeem(rich, Decimal("1.5"), ars("1000"), NOW, POLICY)  # type: ignore[arg-type]
    assert err.value.code == "invalid_points"
    assert redeem(rich, 150, ars("301.99"), NOW, POLICY).value == ars("150")
    assert max_redeemable(rich, ars("301.99"), NOW, POLICY) == 150
    assert max_redeemable(rich, ars("100000"), NOW, POLICY) == 300
    assert max_redeemable(poor, ars("100000"), NOW, POLICY) == 0
    assert rich == [lot("L1", 300, june)]  # refused requests change nothing


def test_a_point_can_be_worth_a_fraction_and_clp_has_no_cents() -> None:
    half_peso = RedemptionPolicy(Money("0.5", "ARS"))
    lots = [lot("L1", 1001, datetime(2026, 6, 30, tzinfo=UTC))]
    assert redeem(lots, 1001, ars("1000"), NOW, half_peso).value == ars("500.50")
    clp = RedemptionPolicy(Money(10, "CLP"), max_order_share=Decimal("0.3"))
    assert max_redeemable(lots, Money(9990, "CLP"), NOW, clp) == 299  # 2997 CLP
    with pytest.raises(InvalidInput) as err:
        redeem(lots, 10, ars("1000"), NOW, clp)
    assert err.value.code == "currency_mismatch"
    with pytest.raises(InvalidInput) as err:
        RedemptionPolicy(Money(1, "ARS"), max_order_share=Decimal("1.01"))
    assert err.value.code == "invalid_policy"


def test_manual_adjustments_need_a_reason() -> None:
    june = datetime(2026, 6, 30, tzinfo=UTC)
    lots = [lot("L1", 30, june), lot("L2", 30, datetime(2026, 4, 30, tzinfo=UTC))]

    plus = adjust(lots, 25, "compensación por demora", NOW, 12)
    assert plus.grant == LotGrant(25, NOW, datetime(2027, 3, 10, 15, 0, tzinfo=UTC))
    assert plus.debits == ()

    minus = adjust(lots, -40, "puntos cargados dos veces", NOW, 12)
    assert minus.grant is None
    assert minus.debits == (
        LotDebit("L2", 30, datetime(2026, 4, 30, tzinfo=UTC)),
        LotDebit("L1", 10, june),
    )

    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as err:
            adjust(lots, 5, reason, NOW, 12)
        assert err.value.code == "reason_required"
    with pytest.raises(InvalidInput) as err:
        adjust(lots, 0, "nada", NOW, 12)
    assert err.value.code == "invalid_points"
    with pytest.raises(InvalidInput) as err:
        adjust(lots, -61, "demasiado", NOW, 12)
    assert err.value.code == "insufficient_points"


def test_debits_that_do_not_fit_the_lots_are_refused() -> None:
    lots = [lot("L1", 10, datetime(2026, 6, 30, tzinfo=UTC))]
    with pytest.raises(InvalidInput) as err:
        apply_debits(lots, [LotDebit("L9", 1, NOW)])
    assert err.value.code == "unknown_lot"
    with pytest.raises(InvalidInput) as err:
        apply_debits(lots, [LotDebit("L1", 11, NOW)])
    assert err.value.code == "insufficient_points"
    with pytest.raises(InvalidInput) as err:
        LotDebit("L1", 0, NOW)
    assert err.value.code == "invalid_points"
    with pytest.raises(InvalidInput) as err:
        redeem([*lots, *lots], 1, ars("100"), NOW, RedemptionPolicy(ars("1")))
    assert err.value.code == "duplicate_lot"


# ----------------------------------------------------------------------------- reversal


def test_returns_claw_back_points_in_proportion_to_the_net_returned() -> None:
    net = ars("2000.00")  # 3 units in a 3x2: 666.67 + 666.67 + 666.66
    first = ReturnedEarning("a", 20, net, ars("0"), ars("666.67"))
    second = ReturnedEarning("a", 20, net, ars("666.67"), ars("666.67"))
    last = ReturnedEarning("a", 20, net, ars("1333.34"), ars("666.66"))

    assert points_to_claw_back([first]) == 6  # 6.6667 → 6
    assert points_to_claw_back([second]) == 7  # 13.3334 → 13, minus 6
    assert points_to_claw_back([last]) == 7  # the whole line: 20 in total
    free = ReturnedEarning("gift", 5, ars("0"), ars("0"), ars("0"))
    assert points_to_claw_back([first, free]) == 6
    with pytest.raises(InvalidInput) as err:
        ReturnedEarning("a", 20, net, ars("1500"), ars("500.01"))
    assert err.value.code == "over_returned"


def test_clawback_takes_from_the_orders_lot_first_and_reports_the_shortfall() -> None:
    april, june = datetime(2026, 4, 30, tzinfo=UTC), datetime(2026, 6, 30, tzinfo=UTC)
    lots = [lot("other", 15, april), lot("order-7", 10, june), lot("expired", 50, NOW)]

    clawback = claw_back(lots, 30, NOW, from_lot_id="order-7")

    assert clawback.debits == (LotDebit("order-7", 10, june), LotDebit("other", 15, april))
    assert clawback.shortfall == 5
    assert clawback.points == 30
    assert balance(apply_debits(lots, clawback.debits), NOW) == 0
    assert claw_back(lots, 0, NOW).debits == ()


def test_a_cancelled_order_gets_its_points_back_with_the_original_expiry() -> None:
    april, june = datetime(2026, 4, 30, tzinfo=UTC), datetime(2026, 6, 30, tzinfo=UTC)
    debits = [LotDebit("L1", 30, april), LotDebit("L2", 20, june), LotDebit("L0", 7, NOW)]

    restored = restore_redemption(debits, NOW)

    assert restored.grants == (LotGrant(30, NOW, april), LotGrant(20, NOW, june))
    assert restored.lapsed == 7  # L0 expired at this very instant
    new_lots = [g.as_lot(f"R{i}") for i, g in enumerate(restored.grants)]
    assert balance(new_lots, NOW) == 50


# ----------------------------------------------------------------------------- tiers


def activity(at: datetime, points: int, spend: str = "0", currency: str = "ARS") -> TierActivity:
    return TierActivity(at, points, Money(spend, currency))


def test_tier_thresholds_count_points_of_the_last_twelve_months() -> None:
    history = [
        activity(datetime(2025, 3, 10, 15, 0, tzinfo=UTC), 4000),  # exactly 12 months: out
        activity(datetime(2025, 3, 10, 15, 1, tzinfo=UTC), 600),
        activity(datetime(2026, 1, 5, tzinfo=UTC), 500),
        activity(datetime(2026, 2, 1, tzinfo=UTC), -100),  # a reversal
        activity(datetime(2026, 3, 11, tzinfo=UTC), 9000),  # after `at`: not yet
    ]

    assert qualifying_total(history, NOW, TIERS_BY_POINTS) == Decimal(1000)
    assert tier_for(history, NOW, TIERS_BY_POINTS) == PLATA  # the threshold is inclusive
    assert tier_for(history[:2], NOW, TIERS_BY_POINTS) == BRONCE
    assert tier_for(history, datetime(2026, 3, 11, tzinfo=UTC), TIERS_BY_POINTS) == ORO
    assert tier_for([], NOW, TIERS_BY_POINTS) == BRONCE
    assert tier_for([activity(NOW, -50)], NOW, TIERS_BY_POINTS) == BRONCE


def test_tiers_by_spend_in_pesos_chilenos() -> None:
    schedule = TierSchedule(
        TierBasis.SPEND,
        (BRONCE, Tier("Plata", Decimal(300000), Decimal("1.2"))),
        window_months=6,
    )
    history = [
        activity(datetime(2025, 9, 10, 15, 0, tzinfo=UTC), 0, "500000", "CLP"),  # 6 months ago
        activity(datetime(2025, 12, 1, tzinfo=UTC), 0, "299999", "CLP"),
    ]
    assert tier_for(history, NOW, schedule).name == "Bronce"
    history.append(activity(datetime(2026, 3, 1, tzinfo=UTC), 0, "1", "CLP"))
    assert tier_for(history, NOW, schedule).name == "Plata"
    history.append(activity(datetime(2026, 3, 2, tzinfo=UTC), 0, "1", "ARS"))
    with pytest.raises(InvalidInput) as err:
        tier_for(history, NOW, schedule)
    assert err.value.code == "currency_mismatch"


@pytest.mark.parametrize(
    "tiers",
    [
        (),
        (PLATA,),
        (BRONCE, ORO, PLATA),
        (BRONCE, Tier("Bronce", Decimal(10), Decimal(2))),
    ],
)
def test_bad_tier_schedules_are_refused(tiers: tuple[Tier, ...]) -> None:
    with pytest.raises(InvalidInput) as err:
        TierSchedule(TierBasis.POINTS_EARNED, tiers)
    assert err.value.code == "invalid_tier"


# ----------------------------------------------------------------------------- properties

lot_strategy = st.builds(
    lambda i, remaining, days, earned: Lot(
        f"L{i}",
        NOW - timedelta(days=earned),
        NOW + timedelta(days=days),
        remaining,
    ),
    st.integers(0, 10_000),
    st.integers(0, 500),
    st.integers(-30, 400),
    st.integers(1, 30),
)
lots_strategy = st.lists(lot_strategy, max_size=8, unique_by=lambda x: x.lot_id)


@settings(max_examples=150, deadline=None)
@given(lots=lots_strategy, data=st.data())
def test_redemption_takes_exactly_the_points_and_never_more_than_a_lot_holds(
    lots: list[Lot], data: st.DataObject
) -> None:
    available = balance(lots, NOW)
    if available == 0:
        return
    points = data.draw(st.integers(1, available))
    redemption = redeem(lots, points, ars("1000000"), NOW, RedemptionPolicy(ars("1")))

    by_id = {x.lot_id: x for x in lots}
    assert sum(d.points for d in redemption.debits) == points
    for debit in redemption.debits:
        assert 0 < debit.points <= by_id[debit.lot_id].remaining
        assert by_id[debit.lot_id].is_valid_at(NOW)
    # Soonest-expiring first: every lot but the last one touched is emptied.
    assert all(d.points == by_id[d.lot_id].remaining for d in redemption.debits[:-1])
    assert balance(apply_debits(lots, redemption.debits), NOW) == available - points


operation = st.tuples(
    st.sampled_from(["earn", "redeem", "adjust", "claw", "expire"]),
    st.integers(1, 400),
    st.integers(0, 40),
)


@settings(max_examples=100, deadline=None)
@given(operations=st.lists(operation, max_size=25))
def test_the_balance_never_goes_negative(operations: list[tuple[str, int, int]]) -> None:
    anything_goes = RedemptionPolicy(ars("1"))
    lots: list[Lot] = []
    at = NOW
    for n, (kind, points, days) in enumerate(operations):
        at += timedelta(days=days)
        before = balance(lots, at)
        if kind == "earn":
            lots.append(grant_earned(points, at, 3).as_lot(f"E{n}"))
        elif kind == "adjust":
            grant = adjust(lots, points, "ajuste", at, 1).grant
            assert grant is not None
            lots.append(grant.as_lot(f"A{n}"))
        elif kind == "redeem" and points <= before:
            redemption = redeem(lots, points, ars("1000000"), at, anything_goes)
            lots = list(apply_debits(lots, redemption.debits))
        elif kind == "claw":
            clawback = claw_back(lots, points, at)
            assert clawback.shortfall == max(points - before, 0)
            lots = list(apply_debits(lots, clawback.debits))
        elif kind == "expire":
            lots = list(apply_debits(lots, expire(lots, at)))
            assert expire(lots, at) == ()
        assert balance(lots, at) >= 0
        assert all(x.remaining >= 0 for x in lots)
