"""The Argentine retail year: when a clothing and home-goods shop gains its customers.

Pure. ``seasonal_weight`` says how busy a day is relative to an ordinary one, for the
stores or online; ``DaySampler`` draws days from a window in proportion to any weight.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate


@dataclass(frozen=True)
class SalesMoment:
    """A stretch of days when more people buy (both ends included)."""

    name: str
    start: date
    end: date
    store_boost: float
    online_boost: float

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (Monday = 0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _days_before(day: date, days: int) -> date:
    return day - timedelta(days=days)


@lru_cache(maxsize=32)
def sales_moments(year: int) -> tuple[SalesMoment, ...]:
    """The moments of one year in Argentina, by the rules the industry follows."""
    hot_sale = _nth_weekday(year, 5, 0, 2)  # Monday to Wednesday, second week of May
    cyber_monday = _nth_weekday(year, 11, 0, 1)  # CyberMonday AR: first Mon-Wed of November
    black_friday = _nth_weekday(year, 11, 3, 4) + timedelta(days=1)  # after US Thanksgiving
    fathers_day = _nth_weekday(year, 6, 6, 3)  # third Sunday of June
    childrens_day = _nth_weekday(year, 8, 6, 3)  # third Sunday of August
    mothers_day = _nth_weekday(year, 10, 6, 3)  # third Sunday of October
    return (
        SalesMoment("Liquidación de verano", date(year, 1, 2), date(year, 1, 20), 1.1, 1.15),
        SalesMoment("Vuelta al cole", date(year, 2, 15), date(year, 3, 10), 1.35, 1.3),
        SalesMoment("Hot Sale", hot_sale, hot_sale + timedelta(days=2), 1.15, 3.2),
        SalesMoment("Día del Padre", _days_before(fathers_day, 9), fathers_day, 1.25, 1.2),
        SalesMoment("Liquidación de invierno", date(year, 7, 1), date(year, 7, 20), 1.15, 1.15),
        SalesMoment("Día del Niño", _days_before(childrens_day, 9), childrens_day, 1.2, 1.2),
        SalesMoment("Día de la Madre", _days_before(mothers_day, 11), mothers_day, 1.5, 1.45),
        SalesMoment("CyberMonday", cyber_monday, cyber_monday + timedelta(days=2), 1.05, 3.4),
        SalesMoment("Black Friday", black_friday, black_friday + timedelta(days=3), 1.4, 2.0),
        SalesMoment("Navidad", date(year, 12, 1), date(year, 12, 14), 1.3, 1.3),
        SalesMoment("Navidad", date(year, 12, 15), date(year, 12, 23), 2.0, 1.7),
        SalesMoment("Nochebuena", date(year, 12, 24), date(year, 12, 24), 1.6, 0.9),
    )


# Clothing and home goods sell most in December and least at the height of the summer holidays.
_MONTH = (0.8, 0.85, 1.0, 0.95, 1.0, 1.05, 1.0, 0.9, 0.95, 1.0, 1.05, 1.3)
# Stores fill up on Saturdays; online shopping is a weekday (and evening) habit.
_STORE_WEEKDAY = (0.85, 0.9, 0.95, 1.0, 1.1, 1.4, 0.75)
_ONLINE_WEEKDAY = (1.1, 1.05, 1.0, 1.0, 0.95, 0.85, 0.95)


def seasonal_weight(day: date, *, online: bool = False) -> float:
    """How many new customers ``day`` brings compared with an ordinary weekday (≈ 1)."""
    if not online and (day.month, day.day) in ((12, 25), (1, 1)):
        return 0.0
    weight = _MONTH[day.month - 1] * (_ONLINE_WEEKDAY if online else _STORE_WEEKDAY)[day.weekday()]
    boosts = [
        m.online_boost if online else m.store_boost
        for m in sales_moments(day.year)
        if m.covers(day)
    ]
    return weight * max(boosts, default=1.0)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    next_first = date(year + 1, 1, 1) if month == 11 else date(year, month + 2, 1)
    last_day = (next_first - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last_day))


def window(months: int, end: date) -> tuple[date, date]:
    """The first and last day of the ``months`` ending on ``end`` (both included)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    return add_months(end, -months) + timedelta(days=1), end


class DaySampler:
    """Draws days between ``start`` and ``end`` in proportion to ``weight(day)``."""

    def __init__(self, start: date, end: date, weight: Callable[[date], float]) -> None:
        count = (end - start).days + 1
        self.days = [start + timedelta(days=i) for i in range(count)]
        self.cumulative = list(accumulate(weight(day) for day in self.days))
        if not self.cumulative or self.cumulative[-1] <= 0:
            raise ValueError("no day in the window has a positive weight")

    def draw(self, rng: random.Random) -> date:
        """A day of the window."""
        return self._pick(rng.random() * self.cumulative[-1])

    def draw_from(self, rng: random.Random, first: date) -> date | None:
        """A day on or after ``first``; None if no day with a positive weight is left."""
        index = (first - self.days[0]).days
        if index >= len(self.days):
            return None
        low = self.cumulative[index - 1] if index > 0 else 0.0
        left = self.cumulative[-1] - low
        if left <= 0:
            return None
        return self._pick(low + rng.random() * left)

    def _pick(self, point: float) -> date:
        return self.days[min(bisect_right(self.cumulative, point), len(self.days) - 1)]
