"""The generated customers: deterministic, valid contact details, seasonal, some omnichannel."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from email_validator import validate_email

from mostrador.core.workspaces.hours import Schedule, is_open, parse_exceptions, parse_weekly_hours
from mostrador.demo.business import DEMO_BUSINESS, year_end_closures
from mostrador.demo.contact_formats import EMAIL_DOMAINS, TYPO_DOMAINS
from mostrador.demo.population import Person, generate_people

END = date(2025, 12, 31)
ZONE = ZoneInfo("America/Argentina/Buenos_Aires")


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return list(generate_people(2000, 12, 42, end=END))


@pytest.fixture(scope="module")
def year_of_people() -> list[Person]:
    return list(generate_people(20_000, 12, 1, end=END))


def values(people: list[Person], kind: str) -> list[tuple[Person, str]]:
    return [(p, i.value) for p in people for i in p.identifiers if i.kind == kind]


def test_the_same_seed_gives_the_same_people() -> None:
    first = list(generate_people(300, 6, 7, end=END))
    again = list(generate_people(300, 6, 7, end=END))
    assert first == again
    assert list(generate_people(50, 6, 7, end=END)) == first[:50]


def test_another_seed_or_end_gives_other_people() -> None:
    base = list(generate_people(100, 6, 7, end=END))
    other_seed = list(generate_people(100, 6, 8, end=END))
    other_end = list(generate_people(100, 6, 7, end=END - timedelta(days=40)))
    assert [p.display_name for p in base] != [p.display_name for p in other_seed]
    assert [p.first_seen for p in base] != [p.first_seen for p in other_end]


def test_nothing_is_generated_for_zero_and_negative_counts_are_refused() -> None:
    assert list(generate_people(0, 6, 1, end=END)) == []
    with pytest.raises(ValueError, match="negative"):
        list(generate_people(-1, 6, 1, end=END))


def test_every_phone_is_a_valid_number_of_the_persons_country(people: list[Person]) -> None:
    phones = values(people, "phone")
    whatsapp_ids = values(people, "whatsapp_id")
    assert len(phones) > 500
    assert len(whatsapp_ids) > 300
    for person, raw in phones:
        parsed = phonenumbers.parse(raw, person.country)
        assert phonenumbers.is_valid_number(parsed), raw
        assert phonenumbers.region_code_for_number(parsed) == person.country, raw
    for person, raw in whatsapp_ids:
        assert raw.isdigit(), raw
        parsed = phonenumbers.parse("+" + raw)
        assert phonenumbers.is_valid_number(parsed), raw
        assert phonenumbers.region_code_for_number(parsed) == person.country, raw


def test_argentine_phones_come_in_many_formats(people: list[Person]) -> None:
    shapes = Counter(
        re.sub(r"\d+", "9", raw)
        for person, raw in values(people, "phone")
        if person.country == "AR"
    )
    assert len(shapes) >= 3
    assert shapes.most_common(1)[0][1] < 0.35 * sum(shapes.values())


def test_emails_are_valid_except_the_deliberate_typos(people: list[Person]) -> None:
    emails = values(people, "email")
    typos = 0
    for person, raw in emails:
        domain = raw.rsplit("@", 1)[1].lower()
        if domain in TYPO_DOMAINS:
            typos += 1
            continue
        validate_email(raw, check_deliverability=False)
        assert domain in {d for d, _ in EMAIL_DOMAINS[person.country]}, raw
    assert len(emails) > 600
    assert typos / len(emails) < 0.03


def test_no_two_people_share_a_phone_email_or_handle(year_of_people: list[Person]) -> None:
    owners: dict[tuple[str, str], int] = {}
    for person in year_of_people:
        for seen in person.identifiers:
            if seen.kind in ("email", "instagram", "whatsapp_id", "shop_account", "loyalty_card"):
                key = (seen.kind, seen.value.lower())
                assert owners.setdefault(key, person.number) == person.number, key


def test_instagram_handles_are_valid_usernames(people: list[Person]) -> None:
    handles = [raw for _, raw in values(people, "instagram")]
    assert len(handles) > 150
    for handle in handles:
        assert re.fullmatch(r"[a-z0-9_][a-z0-9._]{0,28}[a-z0-9_]", handle), handle
        assert ".." not in handle


def test_each_channel_leaves_its_own_kind_of_identifier(people: list[Person]) -> None:
    kinds_by_channel: dict[str, set[str]] = {}
    for person in people:
        assert person.identifiers, person
        for seen in person.identifiers:
            kinds_by_channel.setdefault(seen.channel, set()).add(seen.kind)
    assert kinds_by_channel == {
        "store": {"phone", "email", "document", "loyalty_card"},
        "web": {"email", "shop_account", "phone"},
        "whatsapp": {"whatsapp_id"},
        "instagram": {"instagram"},
        "email": {"email"},
    }


def test_a_value_seen_on_several_channels_is_one_identifier(year_of_people: list[Person]) -> None:
    for person in year_of_people:
        keys = [(i.kind, i.value) for i in person.identifiers]
        assert len(keys) == len(set(keys))
        if "email" in person.channels:  # what arrives by e-mail proves the address
            assert any(i.kind == "email" and i.verified for i in person.identifiers)
        if "whatsapp" in person.channels:
            assert [i.verified for i in person.identifiers if i.kind == "whatsapp_id"] == [True]


def test_times_are_aware_utc_inside_the_window_and_in_order(people: list[Person]) -> None:
    start = datetime.combine(date(2025, 1, 1), time(0), tzinfo=ZONE)
    stop = datetime.combine(END, time(23, 59, 59), tzinfo=ZONE)
    for person in people:
        assert person.first_seen.tzinfo is UTC
        assert start <= person.first_seen <= stop
        assert person.first_seen == min(i.first_seen for i in person.identifiers)
        for seen in person.identifiers:
            assert seen.first_seen <= seen.last_seen <= stop


def test_store_visits_happen_while_the_home_store_is_open(people: list[Person]) -> None:
    schedules: dict[str, Schedule] = {}
    for store in DEMO_BUSINESS.stores:
        weekly, holidays = parse_weekly_hours(store.opening_hours)
        closures = year_end_closures(store, 2024) + year_end_closures(store, 2025)
        schedules[store.code] = Schedule(
            DEMO_BUSINESS.time_zone,
            weekly,
            holidays,
            "AR",
            store.holiday_subdivision,
            parse_exceptions(closures),
        )
    visits = [
        (p.home_store, i.first_seen) for p in people for i in p.identifiers if i.channel == "store"
    ]
    assert len(visits) > 500
    for code, at in visits:
        assert is_open(schedules[code], at), (code, at.astimezone(ZONE))


def test_most_people_are_argentine_and_some_come_from_abroad(people: list[Person]) -> None:
    countries = Counter(p.country for p in people)
    origins = Counter(p.origin for p in people)
    assert 0.85 < countries["AR"] / len(people) < 0.97
    assert {"UY", "CL", "BR"} <= set(countries)
    assert origins["AR"] < countries["AR"]  # some people born abroad live in Argentina
    assert {p.language for p in people if p.origin == "BR"} == {"pt"}
    assert {p.language for p in people if p.origin != "BR"} == {"es"}
    assert Counter(p.home_store for p in people).keys() == {"PAL", "CBA"}


def test_a_quarter_to_a_third_use_several_channels(year_of_people: list[Person]) -> None:
    share = sum(p.multichannel for p in year_of_people) / len(year_of_people)
    assert 0.2 <= share <= 0.4
    for person in year_of_people:
        assert len(set(person.channels)) == len(person.channels)
        assert {i.channel for i in person.identifiers} <= set(person.channels)


def local_day(person: Person) -> date:
    return person.first_seen.astimezone(ZONE).date()


def test_december_brings_more_customers_than_the_average_month(
    year_of_people: list[Person],
) -> None:
    months = Counter(local_day(p).month for p in year_of_people)
    assert sorted(months) == list(range(1, 13))
    assert months[12] > 1.3 * len(year_of_people) / 12


def test_hot_sale_week_beats_an_ordinary_may_week(year_of_people: list[Person]) -> None:
    days = Counter(local_day(p) for p in year_of_people)

    def week(monday: date) -> int:
        return sum(days[monday + timedelta(days=i)] for i in range(7))

    hot_sale = week(date(2025, 5, 12))  # Hot Sale 2025: 12–14 May
    ordinary = week(date(2025, 5, 19))
    assert hot_sale > 1.25 * ordinary
