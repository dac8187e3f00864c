from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mostrador.commerce.return_policy import (
    ExchangeItem,
    ExchangeSettlement,
    ItemCondition,
    LineDecision,
    Payment,
    PaymentRefund,
    PurchasedLine,
    RefundDestination,
    RejectionReason,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
    assess_return,
    split_refund,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

BOUGHT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NEW = ItemCondition.UNUSED_WITH_TAGS
POLICY = ReturnPolicy(window_days=30)


def ars(amount: str) -> Money:
    return Money(amount, "ARS")


def purchased(
    line_id: str,
    qty: int,
    net: Money,
    *,
    sku: str = "SKU",
    channel: str = "web",
    final_sale: bool = False,
    cats: frozenset[str] = frozenset(),
) -> PurchasedLine:
    return PurchasedLine(line_id, sku, qty, net, BOUGHT, channel, final_sale, cats)


def request(*rows: tuple[str, int], days: int = 5, **kwargs: object) -> ReturnRequest:
    lines = tuple(ReturnLine(line_id, qty, NEW) for line_id, qty in rows)
    return ReturnRequest(lines, BOUGHT + timedelta(days=days), **kwargs)  # type: ignore[arg-type]


# 3x2 on jackets listed at 1000 ARS: the free unit is spread over the three units.
JACKETS = purchased("jackets", 3, ars("2000.00"))


def test_a_3x2_refunds_the_price_actually_paid_per_unit_and_the_line_net_in_total() -> None:
    card = Payment("p1", "card", ars("2000.00"))
    assert JACKETS.unit_prices() == [ars("666.67"), ars("666.67"), ars("666.66")]

    first = assess_return(POLICY, [JACKETS], {}, [card], request(("jackets", 1)))

    assert first.decisions == (LineDecision("jackets", 1, True, None, ars("666.67")),)
    assert first.accepted_value == ars("666.67")
    assert first.refund_to is RefundDestination.ORIGINAL_METHOD
    assert first.to_payments == (PaymentRefund("p1", "card", ars("666.67")),)
    assert first.store_credit == ars("0")
    assert first.exchange is None

    card_after = Payment("p1", "card", ars("2000.00"), refunded_before=ars("666.67"))
    rest = assess_return(POLICY, [JACKETS], {"jackets": 1}, [card_after], request(("jackets", 2)))

    assert rest.decisions == (LineDecision("jackets", 2, True, None, ars("1333.33")),)
    assert rest.to_payments == (PaymentRefund("p1", "card", ars("1333.33")),)
    assert first.accepted_value + rest.accepted_value == JACKETS.net_paid


def test_a_mixed_payment_is_refunded_in_proportion_to_what_each_paid() -> None:
    gift = Payment("g", "gift_card", ars("500.00"))
    card = Payment("c", "card", ars("1500.00"))

    result = assess_return(POLICY, [JACKETS], {}, [gift, card], request(("jackets", 1)))

    assert result.to_payments == (
        PaymentRefund("g", "gift_card", ars("166.67")),  # 166.6675
        PaymentRefund("c", "card", ars("500.00")),  # 500.0025
    )


def test_a_payment_never_gets_back_more_than_is_left_of_it() -> None:
    gift = Payment("g", "gift_card", ars("500.00"), refunded_before=ars("450.00"))
    card = Payment("c", "card", ars("1500.00"))

    assert split_refund(ars("666.67"), [gift, card]) == (
        PaymentRefund("g", "gift_card", ars("50.00")),
        PaymentRefund("c", "card", ars("616.67")),
    )
    with pytest.raises(InvalidInput) as err:
        split_refund(ars("1550.01"), [gift, card])
    assert err.value.code == "refund_exceeds_payments"
    assert split_refund(ars("0"), []) == ()


def test_pesos_chilenos_are_refunded_in_whole_pesos() -> None:
    line = purchased("zap", 3, Money(19990, "CLP"))
    card = Payment("c", "card", Money(10000, "CLP"))
    cash = Payment("e", "cash", Money(9990, "CLP"))

    first = assess_return(POLICY, [line], {}, [card, cash], request(("zap", 1)))

    assert line.unit_prices() == [Money(6664, "CLP"), Money(6663, "CLP"), Money(6663, "CLP")]
    assert first.accepted_value == Money(6664, "CLP")
    assert first.to_payments == (
        PaymentRefund("c", "card", Money(3334, "CLP")),
        PaymentRefund("e", "cash", Money(3330, "CLP")),
    )

    card = Payment("c", "card", Money(10000, "CLP"), refunded_before=Money(3334, "CLP"))
    cash = Payment("e", "cash", Money(9990, "CLP"), refunded_before=Money(3330, "CLP"))
    rest = assess_return(POLICY, [line], {"zap": 1}, [card, cash], request(("zap", 2)))

    assert rest.accepted_value == Money(13326, "CLP")
    assert rest.to_payments == (
        PaymentRefund("c", "card", Money(6666, "CLP")),
        PaymentRefund("e", "cash", Money(6660, "CLP")),
    )


def test_each_line_gets_a_decision_with_a_machine_readable_reason() -> None:
    policy = ReturnPolicy(
        window_days=30,
        window_days_by_channel={"instagram": 10},
        final_sale_categories=frozenset({"ropa interior"}),
        final_sale_skus=frozenset({"LIQ-77"}),
    )
    lines = [
        purchased("shirt", 2, ars("20000")),
        purchased("outlet", 1, ars("5000"), final_sale=True),
        purchased("socks", 1, ars("3000"), cats=frozenset({"ropa interior"})),
        purchased("clearance", 1, ars("1000"), sku="LIQ-77"),
        purchased("ig", 1, ars("8000"), channel="instagram"),
    ]
    req = ReturnRequest(
        (
            ReturnLine("shirt", 1, NEW),
            ReturnLine("shirt", 1, ItemCondition.USED),
            ReturnLine("shirt", 2, NEW),
            ReturnLine("outlet", 1, NEW),
            ReturnLine("socks", 1, NEW),
            ReturnLine("clearance", 1, NEW),
            ReturnLine("ig", 1, NEW),
        ),
        BOUGHT + timedelta(days=19),
    )

    result = assess_return(policy, lines, {}, [Payment("c", "card", ars("37000"))], req)

    zero = ars("0")
    assert result.decisions == (
        LineDecision("shirt", 1, True, None, ars("10000")),
        LineDecision("shirt", 1, False, RejectionReason.CONDITION_NOT_ACCEPTED, zero),
        LineDecision("shirt", 2, False, RejectionReason.QUANTITY_EXCEEDS_PURCHASED, zero),
        LineDecision("outlet", 1, False, RejectionReason.FINAL_SALE, zero),
        LineDecision("socks", 1, False, RejectionReason.FINAL_SALE, zero),
        LineDecision("clearance", 1, False, RejectionReason.FINAL_SALE, zero),
        LineDecision("ig", 1, False, RejectionReason.OUTSIDE_WINDOW, zero),
    )
    assert result.accepted_value == ars("10000")
    assert result.to_payments == (PaymentRefund("c", "card", ars("10000")),)


def test_the_window_ends_at_the_same_instant_thirty_days_later() -> None:
    card = [Payment("c", "card", ars("2000"))]
    last_moment = ReturnRequest((ReturnLine("jackets", 1, NEW),), BOUGHT + timedelta(days=30))
    too_late = ReturnRequest(
        (ReturnLine("jackets", 1, NEW),), BOUGHT + timedelta(days=30, seconds=1)
    )

    assert assess_return(POLICY, [JACKETS], {}, card, last_moment).decisions[0].accepted
    late = assess_return(POLICY, [JACKETS], {}, card, too_late)
    assert late.decisions[0].reason is RejectionReason.OUTSIDE_WINDOW
    assert late.to_payments == ()


def test_units_already_returned_count_and_two_conditions_of_one_line_are_judged_apart() -> None:
    policy = ReturnPolicy(
        window_days=30,
        accepted_conditions=frozenset({NEW, ItemCondition.UNUSED_WITHOUT_TAGS}),
    )
    card = [Payment("c", "card", ars("2000"))]
    req = ReturnRequest(
        (
            ReturnLine("jackets", 1, NEW),
            ReturnLine("jackets", 1, ItemCondition.UNUSED_WITHOUT_TAGS),
        ),
        BOUGHT + timedelta(days=1),
    )

    both = assess_return(policy, [JACKETS], {}, card, req)
    assert [d.refund for d in both.decisions] == [ars("666.67"), ars("666.67")]

    after_one = assess_return(policy, [JACKETS], {"jackets": 2}, card, req)
    assert after_one.decisions == (
        LineDecision("jackets", 1, True, None, ars("666.66")),
        LineDecision("jackets", 1, False, RejectionReason.QUANTITY_EXCEEDS_PURCHASED, ars("0")),
    )


def test_where_the_money_goes_follows_the_policy_and_the_customers_choice() -> None:
    card = [Payment("c", "card", ars("2000"))]
    credit_only = ReturnPolicy(window_days=30, refund_to=RefundDestination.STORE_CREDIT)
    choice = ReturnPolicy(window_days=30, refund_to=RefundDestination.CUSTOMER_CHOICE)

    credit = assess_return(credit_only, [JACKETS], {}, card, request(("jackets", 3)))
    assert credit.refund_to is RefundDestination.STORE_CREDIT
    assert credit.store_credit == ars("2000.00")
    assert credit.to_payments == ()

    chosen = request(("jackets", 1), refund_to=RefundDestination.STORE_CREDIT)
    assert assess_return(choice, [JACKETS], {}, card, chosen).store_credit == ars("666.67")
    default = assess_return(choice, [JACKETS], {}, card, request(("jackets", 1)))
    assert default.refund_to is RefundDestination.ORIGINAL_METHOD

    with pytest.raises(InvalidInput) as err:
        assess_return(
            credit_only,
            [JACKETS],
            {},
            card,
            request(("jackets", 1), refund_to=RefundDestination.ORIGINAL_METHOD),
        )
    assert err.value.code == "refund_method_not_allowed"
    with pytest.raises(InvalidInput) as err:
        assess_return(
            choice,
            [JACKETS],
            {},
            card,
            request(("jackets", 1), refund_to=RefundDestination.CUSTOMER_CHOICE),
        )
    assert err.value.code == "invalid_refund_method"


def test_an_exchange_for_something_dearer_makes_the_customer_pay_the_difference() -> None:
    card = [Payment("c", "card", ars("2000"))]
    req = request(("jackets", 1), exchange_items=(ExchangeItem("PARKA", 1, ars("1500")),))

    result = assess_return(POLICY, [JACKETS], {}, card, req)

    assert result.exchange == ExchangeSettlement(
        new_items_total=ars("1500"),
        credit_applied=ars("666.67"),
        customer_pays=ars("833.33"),
        remainder=ars("0"),
    )
    assert result.to_payments == ()
    assert result.store_credit == ars("0")


def test_an_exchange_for_something_cheaper_leaves_a_remainder_per_policy() -> None:
    gift = Payment("g", "gift_card", ars("500.00"))
    card = Payment("c", "card", ars("1500.00"))
    items = (ExchangeItem("GORRO", 2, ars("199.99")),)
    req = request(("jackets", 2), exchange_items=items)

    as_credit = assess_return(POLICY, [JACKETS], {}, [gift, card], req)
    assert as_credit.exchange == ExchangeSettlement(
        ars("399.98"), ars("399.98"), ars("0"), ars("933.36")
    )
    assert as_credit.refund_to is RefundDestination.STORE_CREDIT
    assert as_credit.store_credit == ars("933.36")

    refunding = ReturnPolicy(window_days=30, exchange_remainder_as_store_credit=False)
    as_refund = assess_return(refunding, [JACKETS], {}, [gift, card], req)
    assert as_refund.refund_to is RefundDestination.ORIGINAL_METHOD
    assert as_refund.to_payments == (
        PaymentRefund("g", "gift_card", ars("233.34")),
        PaymentRefund("c", "card", ars("700.02")),
    )

    no_exchanges = ReturnPolicy(window_days=30, exchange_allowed=False)
    with pytest.raises(InvalidInput) as err:
        assess_return(no_exchanges, [JACKETS], {}, [gift, card], req)
    assert err.value.code == "exchange_not_allowed"


@pytest.mark.parametrize(
    ("returned_before", "req", "code"),
    [
        ({}, request(("nope", 1)), "unknown_line"),
        ({}, request(("jackets", 0)), "invalid_quantity"),
        ({}, request(), "empty_return"),
        ({"jackets": 4}, request(("jackets", 1)), "invalid_returned"),
        ({"other": 1}, request(("jackets", 1)), "unknown_line"),
        ({}, request(("jackets", 1), days=-1), "invalid_request_time"),
    ],
)
def test_malformed_requests_are_refused(
    returned_before: dict[str, int], req: ReturnRequest, code: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        assess_return(POLICY, [JACKETS], returned_before, [Payment("c", "x", ars("1"))], req)
    assert err.value.code == code


def test_a_refund_larger_than_the_payments_is_refused() -> None:
    # 1500 ARS were paid with points, which this order does not list as a payment.
    card = [Payment("c", "card", ars("500"))]
    with pytest.raises(InvalidInput) as err:
        assess_return(POLICY, [JACKETS], {}, card, request(("jackets", 2)))
    assert err.value.code == "refund_exceeds_payments"


def test_bad_policies_and_payments_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        ReturnPolicy(window_days=30, window_days_by_channel={"web": -1})
    assert err.value.code == "invalid_policy"
    with pytest.raises(InvalidInput) as err:
        Payment("c", "card", ars("10"), refunded_before=ars("10.01"))
    assert err.value.code == "invalid_payment"
    policy = ReturnPolicy(window_days=30, window_days_by_channel={"web": 7})
    assert policy.window_for("web") == timedelta(days=7)
    assert policy.window_for("store") == timedelta(days=30)


# ----------------------------------------------------------------------------- properties

cents = st.integers(0, 500_000).map(lambda c: Money(Decimal(c).scaleb(-2), "ARS"))


@settings(max_examples=120, deadline=None)
@given(
    line_specs=st.lists(st.tuples(st.integers(1, 5), cents), min_size=1, max_size=4),
    weights=st.lists(st.integers(1, 100), min_size=1, max_size=3),
    data=st.data(),
)
def test_partial_returns_never_refund_more_than_was_paid_per_line_or_payment(
    line_specs: list[tuple[int, Money]], weights: list[int], data: st.DataObject
) -> None:
    lines = [purchased(f"l{i}", qty, net) for i, (qty, net) in enumerate(line_specs)]
    paid = lines[0].net_paid
    for line in lines[1:]:
        paid += line.net_paid
    amounts = paid.allocate(weights)
    payments = [(f"p{i}", a) for i, a in enumerate(amounts) if not a.is_zero]
    returned = {line.line_id: 0 for line in lines}
    refunded_per_line = {line.line_id: ars("0") for line in lines}
    refunded_per_payment = {pid: ars("0") for pid, _ in payments}

    while any(returned[x.line_id] < x.quantity for x in lines):
        open_lines = [x for x in lines if returned[x.line_id] < x.quantity]
        line = data.draw(st.sampled_from(open_lines))
        qty = data.draw(st.integers(1, line.quantity - returned[line.line_id]))
        current = [Payment(pid, "m", a, refunded_per_payment[pid]) for pid, a in payments]

        result = assess_return(POLICY, lines, dict(returned), current, request((line.line_id, qty)))

        returned[line.line_id] += qty
        refunded_per_line[line.line_id] += result.decisions[0].refund
        for refund in result.to_payments:
            refunded_per_payment[refund.payment_id] += refund.amount
        assert sum(r.amount.amount for r in result.to_payments) == result.accepted_value.amount
        assert all(refunded_per_line[x.line_id] <= x.net_paid for x in lines)
        assert all(refunded_per_payment[pid] <= a for pid, a in payments)

    assert refunded_per_line == {x.line_id: x.net_paid for x in lines}
    assert refunded_per_payment == dict(payments)
