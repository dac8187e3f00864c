"""Money: a Decimal amount in an ISO 4217 currency, always rounded to what can be paid.

Rounding follows the currency's minor unit *in practice*: Chilean and Colombian pesos
are charged in whole pesos even though ISO lists COP with two decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from mostrador.core.errors import InvalidInput

# Decimal places charged in practice, per currency Mostrador accepts.
MINOR_UNITS: dict[str, int] = {
    "ARS": 2,
    "BOB": 2,
    "BRL": 2,
    "CLP": 0,
    "COP": 0,
    "CRC": 2,
    "DOP": 2,
    "EUR": 2,
    "GTQ": 2,
    "MXN": 2,
    "PEN": 2,
    "PYG": 0,
    "USD": 2,
    "UYU": 2,
}


def minor_unit(currency: str) -> int:
    """Decimal places of ``currency``; raises ``InvalidInput(code='unknown_currency')``."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise InvalidInput(
            f"unknown currency {currency!r}; use one of {', '.join(sorted(MINOR_UNITS))}",
            code="unknown_currency",
        ) from None


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (commercial rounding, as a till does)."""
    exponent = Decimal(1).scaleb(-minor_unit(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def _to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money amounts are never floats; pass a Decimal, int or str")
    try:
        result = Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{value!r} is not an amount", code="invalid_amount") from None
    if not result.is_finite():
        raise InvalidInput(f"{value!r} is not an amount", code="invalid_amount")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An amount that can be paid: always rounded to its currency's minor unit."""

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        code = currency.upper()
        object.__setattr__(self, "currency", code)
        object.__setattr__(self, "amount", round_amount(_to_decimal(amount), code))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """``units`` of the currency's minor unit (cents, or whole pesos for CLP): already
        rounded, so no rounding is done (pricing builds hundreds of amounts per cart)."""
        money = object.__new__(cls)
        object.__setattr__(money, "currency", currency)
        object.__setattr__(money, "amount", Decimal(units).scaleb(-minor_unit(currency)))
        return money

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise InvalidInput(
                f"cannot combine {self.currency} with {other.currency}", code="currency_mismatch"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * _to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def percent(self, rate: Decimal | int | str) -> Money:
        """``rate`` percent of this amount, rounded (``percent(21)`` is 21 %)."""
        return Money(self.amount * _to_decimal(rate) / 100, self.currency)

    def allocate(self, weights: Sequence[Decimal | int]) -> list[Money]:
        """Split into parts proportional to ``weights`` that add up exactly to this amount.

        Leftover minor units go to the parts with the largest remainders (ties: earliest part),
        so a discount spread over cart lines never gains or loses a cent.
        """
        ws = [_to_decimal(w) for w in weights]
        if not ws or any(w < 0 for w in ws) or sum(ws) == 0:
            raise InvalidInput("weights must be non-negative and not all zero", code="bad_weights")
        quantum = Decimal(1).scaleb(-minor_unit(self.currency))
        total_units = int(self.amount / quantum)
        total_weight = sum(ws)
        exact = [Decimal(total_units) * w / total_weight for w in ws]
        floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
        leftover = total_units - sum(floors)
        order = sorted(range(len(ws)), key=lambda i: (-(exact[i] - floors[i]), i))
        step = 1 if leftover >= 0 else -1
        for i in order[: abs(leftover)]:
            floors[i] += step
        return [Money(quantum * units, self.currency) for units in floors]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum of ``amounts`` (all in ``currency``); zero when empty."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
