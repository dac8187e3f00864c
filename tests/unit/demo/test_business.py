"""The invented demo business described as data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import phonenumbers

from mostrador.core.workspaces.hours import (
    Schedule,
    hours_on,
    is_open,
    parse_exceptions,
    parse_weekly_hours,
)
from mostrador.demo import DEMO_BUSINESS, DEMO_LOGINS, DEMO_PASSWORD
from mostrador.demo.business import year_end_closures
from mostrador.demo.contact_formats import is_valid_mobile


def schedule(code: str, year: int) -> Schedule:
    plan = DEMO_BUSINESS.location(code)
    weekly, holidays = parse_weekly_hours(plan.opening_hours)
    return Schedule(
        DEMO_BUSINESS.time_zone,
        weekly,
        holidays,
        "AR",
        plan.holiday_subdivision,
        parse_exceptions(year_end_closures(plan, year)),
    )


def test_the_logins_and_password_are_the_documented_ones() -> None:
    assert DEMO_LOGINS == [
        ("owner@demo.test", "owner"),
        ("supervisora@demo.test", "supervisor"),
        ("agente@demo.test", "agent"),
        ("tienda@demo.test", "store_staff"),
    ]
    assert DEMO_PASSWORD == "demo1234"
    teams = {team for login in DEMO_BUSINESS.logins for team in login.teams}
    assert teams == set(DEMO_BUSINESS.teams) == {"Ventas online", "Postventa", "Tiendas"}


def test_an_argentine_business_with_two_stores_and_a_warehouse() -> None:
    assert (DEMO_BUSINESS.slug, DEMO_BUSINESS.country, DEMO_BUSINESS.currency) == (
        "demo",
        "AR",
        "ARS",
    )
    assert [(loc.code, loc.kind) for loc in DEMO_BUSINESS.locations] == [
        ("PAL", "store"),
        ("CBA", "store"),
        ("DEP", "warehouse"),
    ]
    assert [s.code for s in DEMO_BUSINESS.stores] == ["PAL", "CBA"]


def test_the_channels_are_reachable_addresses_on_reserved_domains() -> None:
    channels = DEMO_BUSINESS.channels
    assert is_valid_mobile(channels.whatsapp_number)
    assert phonenumbers.region_code_for_number(phonenumbers.parse(channels.whatsapp_number)) == "AR"
    assert channels.web_shop.endswith(".example")
    assert channels.email.endswith("@hornero.example")


def test_cordoba_closes_at_siesta_time_and_on_sundays_palermo_opens_on_holidays() -> None:
    cordoba, palermo = schedule("CBA", 2025), schedule("PAL", 2025)
    tuesday_3pm = datetime(2025, 9, 9, 18, 0, tzinfo=UTC)  # 15:00 in Córdoba
    assert not is_open(cordoba, tuesday_3pm)
    assert is_open(palermo, tuesday_3pm)
    assert hours_on(cordoba, date(2025, 9, 14)).closed  # a Sunday
    assert hours_on(palermo, date(2025, 7, 9)).reason.startswith("holiday")
    assert not hours_on(palermo, date(2025, 7, 9)).closed
    assert hours_on(palermo, date(2025, 12, 25)).closed
    assert hours_on(palermo, date(2026, 1, 1)).closed
    assert year_end_closures(DEMO_BUSINESS.location("DEP"), 2025) == []
