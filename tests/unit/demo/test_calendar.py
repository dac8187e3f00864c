"""The Argentine retail calendar and the day sampler."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from mostrador.demo.calendar import DaySampler, sales_moments, seasonal_weight, window


def moment(year: int, name: str) -> tuple[date, date]:
    found = [(m.start, m.end) for m in sales_moments(year) if m.name == name]
    assert len(found) == 1, name
    return found[0]


def test_sales_moments_fall_on_their_real_dates() -> None:
    assert moment(2024, "Hot Sale") == (date(2024, 5, 13), date(2024, 5, 15))
    assert moment(2025, "Hot Sale") == (date(2025, 5, 12), date(2025, 5, 14))
    assert moment(2024, "CyberMonday") == (date(2024, 11, 4), date(2024, 11, 6))
    assert moment(2025, "CyberMonday") == (date(2025, 11, 3), date(2025, 11, 5))
    assert moment(2025, "Black Friday") == (date(2025, 11, 28), date(2025, 12, 1))
    assert moment(2025, "Día de la Madre") == (date(2025, 10, 8), date(2025, 10, 19))
    assert moment(2025, "Día del Padre") == (date(2025, 6, 6), date(2025, 6, 15))
    assert moment(2026, "Vuelta al cole") == (date(2026, 2, 15), date(2026, 3, 10))


def test_stores_are_shut_on_christmas_and_new_years_day() -> None:
    assert seasonal_weight(date(2025, 12, 25)) == 0.0
    assert seasonal_weight(date(2026, 1, 1)) == 0.0
    assert seasonal_weight(date(2025, 12, 25), online=True) > 0.0


def test_online_peaks_on_hot_sale_and_stores_before_christmas() -> None:
    hot_sale = date(2025, 5, 13)
    week_later = hot_sale + timedelta(days=7)
    assert seasonal_weight(hot_sale, online=True) > 2.5 * seasonal_weight(week_later, online=True)
    assert seasonal_weight(date(2025, 12, 20)) > 2 * seasonal_weight(date(2025, 11, 15))
    # an ordinary Saturday draws more people to the stores than an ordinary Tuesday
    assert seasonal_weight(date(2025, 9, 13)) > seasonal_weight(date(2025, 9, 9))


def test_the_window_ends_on_the_end_day_and_spans_the_months() -> None:
    assert window(12, date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert window(1, date(2025, 3, 31)) == (date(2025, 3, 1), date(2025, 3, 31))
    assert window(6, date(2026, 8, 31)) == (date(2026, 3, 1), date(2026, 8, 31))
    with pytest.raises(ValueError, match="months"):
        window(0, date(2025, 1, 1))


def test_the_sampler_draws_only_weighted_days() -> None:
    start, end = date(2025, 1, 1), date(2025, 1, 31)
    sampler = DaySampler(start, end, lambda d: 0.0 if d.weekday() == 6 else 1.0)
    rng = random.Random(1)
    days = [sampler.draw(rng) for _ in range(3000)]
    assert all(start <= d <= end and d.weekday() != 6 for d in days)
    assert len(set(days)) == 27  # January 2025 has 4 Sundays
    with pytest.raises(ValueError, match="positive"):
        DaySampler(start, end, lambda d: 0.0)


def test_the_sampler_draws_from_a_day_on_until_no_weighted_day_is_left() -> None:
    sampler = DaySampler(date(2025, 1, 1), date(2025, 1, 31), lambda d: 0.0 if d.day > 25 else 1.0)
    rng = random.Random(2)
    later = {sampler.draw_from(rng, date(2025, 1, 20)) for _ in range(500)}
    assert later == {date(2025, 1, day) for day in range(20, 26)}
    assert sampler.draw_from(rng, date(2024, 12, 1)) is not None
    assert sampler.draw_from(rng, date(2025, 1, 26)) is None
    assert sampler.draw_from(rng, date(2025, 2, 5)) is None
