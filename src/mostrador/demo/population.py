"""The demo retailer's customers: who they are, when they arrived and how they reach the shop.

Pure and deterministic: the same ``seed``, ``months`` and ``end`` always give the same
people, drawn from ``random.Random(seed)`` only (never the global generator or the clock).
Each person is seen first on one channel and about three in ten also use others; every
channel leaves identifiers in its own form (a phone typed at the counter, a WhatsApp id,
the web shop's account and e-mail, an Instagram handle).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from mostrador.core.workspaces.hours import Schedule, build_schedule, hours_on
from mostrador.demo.business import DEMO_BUSINESS, LocationPlan, year_end_closures
from mostrador.demo.calendar import DaySampler, seasonal_weight, window
from mostrador.demo.contact_formats import (
    MobileNumber,
    email_address,
    identity_document,
    instagram_handle,
    loyalty_card_number,
    mobile_number,
    weighted,
    write_email,
    write_phone,
)
from mostrador.demo.names import Language, PersonName, compose_name
from mostrador.demo.places import HOMETOWNS, ORIGINS, RESIDENT_SHARE, Hometown

Channel = Literal["store", "web", "whatsapp", "instagram", "email"]

_FIRST_CHANNEL_LOCAL: tuple[tuple[Channel, float], ...] = (
    ("store", 40),
    ("web", 24),
    ("whatsapp", 20),
    ("instagram", 11),
    ("email", 5),
)
_FIRST_CHANNEL_VISITOR: tuple[tuple[Channel, float], ...] = (
    ("store", 75),
    ("whatsapp", 13),
    ("instagram", 12),
)
_MORE_CHANNELS_LOCAL: tuple[tuple[Channel, float], ...] = (
    ("store", 30),
    ("web", 25),
    ("whatsapp", 28),
    ("instagram", 12),
    ("email", 5),
)
_MORE_CHANNELS_VISITOR: tuple[tuple[Channel, float], ...] = (
    ("whatsapp", 50),
    ("instagram", 35),
    ("email", 15),
)
_MULTICHANNEL_SHARE_LOCAL = 0.32
_MULTICHANNEL_SHARE_VISITOR = 0.15
_EXTRA_CHANNEL_COUNT: tuple[tuple[int, float], ...] = ((1, 68), (2, 24), (3, 8))

# Local hour of day → share of online first contacts (evenings are busiest).
_NIGHT_HOURS = (3, 1.5, 0.8, 0.5, 0.4, 0.5, 1, 2)  # 00:00 to 07:59
_DAY_HOURS = (3.5, 4.5, 5, 5, 5, 5, 5, 5, 5, 5.5, 6, 6.5, 7, 7.5, 7, 5)  # 08:00 to 23:59
_ONLINE_HOURS = _NIGHT_HOURS + _DAY_HOURS
_ONLINE_HOUR_OPTIONS = tuple((hour, float(share)) for hour, share in enumerate(_ONLINE_HOURS))
_ONCE_ONLY_SHARE = 0.3  # identifiers seen on a single day


@dataclass(frozen=True, slots=True)
class SeenIdentifier:
    """One way the person was recognised on one channel, as received, and when."""

    kind: str
    value: str
    channel: Channel
    verified: bool
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class Person:
    number: int
    name: PersonName
    language: Language
    origin: str  # where the name comes from
    country: str  # where the phone and the address are
    city: str
    home_store: str
    birth_year: int
    first_seen: datetime
    channels: tuple[Channel, ...]  # in the order the person started using them
    identifiers: tuple[SeenIdentifier, ...]

    @property
    def display_name(self) -> str:
        return self.name.full

    @property
    def multichannel(self) -> bool:
        return len(self.channels) > 1


@dataclass
class _Taken:
    """Contact details already given to someone: no two people share one."""

    emails: set[str] = field(default_factory=set)
    handles: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


class _Contact:
    """One person's phone, e-mails and handle, each made the first time a channel needs it."""

    def __init__(
        self, rng: random.Random, name: PersonName, birth_year: int, home: Hometown, taken: _Taken
    ) -> None:
        self.rng = rng
        self.name = name
        self.birth_year = birth_year
        self.home = home
        self.taken = taken
        self._phone: MobileNumber | None = None
        self._emails: list[str] = []
        self._handle: str | None = None

    def phone(self) -> MobileNumber:
        if self._phone is None:
            number = mobile_number(self.rng, self.home.country, self.home.phone_area)
            while number.e164 in self.taken.phones:
                number = mobile_number(self.rng, self.home.country, self.home.phone_area)
            self.taken.phones.add(number.e164)
            self._phone = number
        return self._phone

    def email(self) -> str:
        """The person's address, or now and then a second one (an old or a work address)."""
        wanted = 2 if self._emails and self.rng.random() < 0.1 else 1
        while len(self._emails) < wanted:
            self._emails.append(
                email_address(
                    self.rng, self.name, self.home.country, self.birth_year, self.taken.emails
                )
            )
        return self._emails[wanted - 1]

    def handle(self) -> str:
        if self._handle is None:
            self._handle = instagram_handle(
                self.rng, self.name, self.birth_year, self.taken.handles
            )
        return self._handle


class _PeopleFactory:
    def __init__(self, seed: int, months: int, end: date) -> None:
        self.rng = random.Random(seed)
        self.zone = ZoneInfo(DEMO_BUSINESS.time_zone)
        start, end = window(months, end)
        self.window_end = datetime.combine(end, time(23, 59, 59), tzinfo=self.zone).astimezone(UTC)
        years = range(start.year - 1, end.year + 1)
        self.schedules = {store.code: _schedule(store, years) for store in DEMO_BUSINESS.stores}
        self.online_days = DaySampler(start, end, lambda d: seasonal_weight(d, online=True))
        self.store_days = {
            code: DaySampler(start, end, _store_weight(schedule))
            for code, schedule in self.schedules.items()
        }
        self.taken = _Taken()

    def person(self, number: int) -> Person:
        rng = self.rng
        origin = weighted(rng, ORIGINS)
        resident = origin == "AR" or rng.random() < RESIDENT_SHARE
        country = "AR" if resident else origin
        home = weighted(rng, tuple((h, h.share) for h in HOMETOWNS[country]))
        name = compose_name(rng, origin)
        birth_year = self.window_end.year - int(rng.triangular(18, 76, 34))
        channels, timeline = self._timeline(self._channels(resident), home.store)
        contact = _Contact(rng, name, birth_year, home, self.taken)
        born_abroad = origin != country
        identifiers: dict[tuple[str, str], SeenIdentifier] = {}
        for channel, (first, last) in zip(channels, timeline, strict=True):
            for kind, value, verified in self._identifiers(channel, number, contact, born_abroad):
                seen = SeenIdentifier(kind, value, channel, verified, first, last)
                earlier = identifiers.get((kind, value))
                if earlier is not None:  # the same value again on a later channel
                    seen = replace(
                        earlier,
                        last_seen=max(last, earlier.last_seen),
                        verified=verified or earlier.verified,
                    )
                identifiers[(kind, value)] = seen
        return Person(
            number=number,
            name=name,
            language="pt" if origin == "BR" else "es",
            origin=origin,
            country=country,
            city=home.city,
            home_store=home.store,
            birth_year=birth_year,
            first_seen=timeline[0][0],
            channels=channels,
            identifiers=tuple(identifiers.values()),
        )

    def _channels(self, resident: bool) -> tuple[Channel, ...]:
        rng = self.rng
        first = weighted(rng, _FIRST_CHANNEL_LOCAL if resident else _FIRST_CHANNEL_VISITOR)
        chosen: list[Channel] = [first]
        if rng.random() < (_MULTICHANNEL_SHARE_LOCAL if resident else _MULTICHANNEL_SHARE_VISITOR):
            pool = [
                c
                for c in (_MORE_CHANNELS_LOCAL if resident else _MORE_CHANNELS_VISITOR)
                if c[0] != first
            ]
            for _ in range(min(weighted(rng, _EXTRA_CHANNEL_COUNT), len(pool))):
                extra = weighted(rng, pool)
                chosen.append(extra)
                pool = [c for c in pool if c[0] != extra]
        return tuple(chosen)

    def _timeline(
        self, channels: tuple[Channel, ...], store: str
    ) -> tuple[tuple[Channel, ...], list[tuple[datetime, datetime]]]:
        """The channels in the order they were taken up, each with (first seen, last seen)."""
        rng = self.rng
        taken_up: list[Channel] = []
        spans: list[tuple[datetime, datetime]] = []
        for channel in channels:
            sampler = self.store_days[store] if channel == "store" else self.online_days
            first = (
                self._later_moment(sampler, channel, store, spans[0][0])
                if spans
                else self._moment(sampler.draw(rng), channel, store)
            )
            if first is None:  # no time left in the window to take this channel up
                continue
            last = first
            if rng.random() >= _ONCE_ONLY_SHARE:
                later = (self.window_end - first) * (rng.random() ** 0.6)
                last = first + timedelta(seconds=int(later.total_seconds()))
            taken_up.append(channel)
            spans.append((first, last))
        order = sorted(range(len(taken_up)), key=lambda i: spans[i][0])
        return tuple(taken_up[i] for i in order), [spans[i] for i in order]

    def _later_moment(
        self, sampler: DaySampler, channel: Channel, store: str, start: datetime
    ) -> datetime | None:
        """A moment after ``start`` (the person's first contact), or None if the window ends."""
        start_day = start.astimezone(self.zone).date()
        day = sampler.draw_from(self.rng, start_day)
        if day is None:
            return None
        moment = self._moment(day, channel, store)
        if moment > start:
            return moment
        day = sampler.draw_from(self.rng, start_day + timedelta(days=1))
        return None if day is None else self._moment(day, channel, store)

    def _moment(self, day: date, channel: Channel, store: str) -> datetime:
        """An instant on ``day`` (local) when someone would turn up on ``channel``."""
        rng = self.rng
        if channel == "store":
            spans = hours_on(self.schedules[store], day).spans  # never empty: closed days weigh 0
            minutes = [(_minute(a), _minute(b)) for a, b in spans]
            point = rng.randrange(sum(b - a for a, b in minutes))
            at = minutes[-1][1] - 1
            for a, b in minutes:
                if point < b - a:
                    at = a + point
                    break
                point -= b - a
            local = datetime.combine(day, time(at // 60, at % 60, rng.randrange(60)))
        else:
            hour = weighted(rng, _ONLINE_HOUR_OPTIONS)
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        return min(local.replace(tzinfo=self.zone).astimezone(UTC), self.window_end)

    def _identifiers(
        self, channel: Channel, number: int, contact: _Contact, born_abroad: bool
    ) -> list[tuple[str, str, bool]]:
        """(kind, value as received, verified) for what ``channel`` learns about the person."""
        if channel == "store":
            return self._at_the_counter(number, contact, born_abroad)
        if channel == "web":
            return self._in_the_web_shop(number, contact)
        if channel == "whatsapp":
            return [("whatsapp_id", contact.phone().whatsapp_id, True)]
        if channel == "instagram":
            return [("instagram", contact.handle(), True)]
        return [("email", contact.email(), True)]

    def _at_the_counter(
        self, number: int, contact: _Contact, born_abroad: bool
    ) -> list[tuple[str, str, bool]]:
        """What store staff type in: a phone, maybe an e-mail, a document, the loyalty card."""
        rng = self.rng
        home = contact.home
        visitor = home.country != DEMO_BUSINESS.country
        found: list[tuple[str, str, bool]] = []
        if rng.random() < (0.7 if visitor else 0.85):
            found.append(("phone", write_phone(rng, contact.phone(), abroad=visitor), False))
        if rng.random() < (0.5 if visitor else 0.4):
            found.append(("email", write_email(rng, contact.email(), at_counter=True), False))
        if rng.random() < (0.15 if visitor else 0.25):
            document = identity_document(
                rng, home.country, contact.birth_year, born_abroad=born_abroad
            )
            if document is not None:
                found.append(("document", document, False))
        if rng.random() < (0.05 if visitor else 0.35):
            found.append(("loyalty_card", loyalty_card_number(number + 1), True))
        if not found:
            found.append(("phone", write_phone(rng, contact.phone(), abroad=visitor), False))
        return found

    def _in_the_web_shop(self, number: int, contact: _Contact) -> list[tuple[str, str, bool]]:
        """The account's e-mail (confirmed by most), the account id, the checkout phone."""
        rng = self.rng
        visitor = contact.home.country != DEMO_BUSINESS.country
        address = contact.email()
        typed = write_email(rng, address, at_counter=False)
        found = [("email", typed, typed.lower() == address and rng.random() < 0.8)]
        if rng.random() < 0.7:
            found.append(("shop_account", str(200_000 + number), True))
        if rng.random() < 0.65:
            found.append(("phone", write_phone(rng, contact.phone(), abroad=visitor), False))
        return found


def _minute(moment: time) -> int:
    return 24 * 60 if moment == time.max else moment.hour * 60 + moment.minute


def _schedule(store: LocationPlan, years: range) -> Schedule:
    return build_schedule(
        time_zone=DEMO_BUSINESS.time_zone,
        opening_hours=store.opening_hours,
        country=DEMO_BUSINESS.country,
        subdivision=store.holiday_subdivision,
        closures=[c for year in years for c in year_end_closures(store, year)],
    )


def _store_weight(schedule: Schedule) -> Callable[[date], float]:
    def weight(day: date) -> float:
        return 0.0 if hours_on(schedule, day).closed else seasonal_weight(day)

    return weight


def generate_people(count: int, months: int, seed: int, *, end: date) -> Iterator[Person]:
    """``count`` customers first seen during the ``months`` ending on ``end``, one at a time."""
    if count < 0:
        raise ValueError("count cannot be negative")
    factory = _PeopleFactory(seed, months, end)
    for number in range(count):
        yield factory.person(number)
