"""Seeding the demo business: the workspace, its people, teams and locations, then its customers.

Everything goes through the contexts' actions (actor ``system:seed``), so the demo data
has the same rows and events as real use. Customers are registered in batches, one
transaction each, and ``progress(done, total)`` is called after every batch.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

from mostrador.bootstrap import Runtime
from mostrador.core.db import refresh_statistics
from mostrador.core.errors import Conflict, NotFound
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import actions as workspace_actions
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.core.workspaces.schemas import LocationInput, TeamInput, UserInput, WorkspaceInput
from mostrador.customers import CustomerInput, IdentifierInput
from mostrador.customers import actions as customer_actions
from mostrador.demo.assistant_seed import seed_assistant
from mostrador.demo.automation_seed import seed_automation
from mostrador.demo.business import (
    DEMO_BUSINESS,
    DEMO_PASSWORD,
    DemoBusiness,
    Login,
    year_end_closures,
)
from mostrador.demo.calendar import window
from mostrador.demo.commerce_seed import seed_commerce
from mostrador.demo.inbox_seed import seed_inbox
from mostrador.demo.population import Person, generate_people

ACTOR = "system:seed"
BATCH_SIZE = 2000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SeedReport:
    """What was created, and how long it took."""

    workspace_id: uuid.UUID
    customers: int
    identifiers: int
    locations: int
    users: int
    teams: int
    orders: int
    products: int
    elapsed_seconds: float
    conversations: int = 0


def customer_input(person: Person, stores: Mapping[str, uuid.UUID], now: datetime) -> CustomerInput:
    """The registration of ``person``; nothing is dated after ``now``."""
    return CustomerInput(
        display_name=person.display_name,
        language=person.language,
        country=person.country,
        home_location_id=str(stores[person.home_store]),
        source_channel=person.channels[0],
        first_seen_at=min(person.first_seen, now),
        identifiers=[
            IdentifierInput(
                kind=seen.kind,
                value=seen.value,
                source_channel=seen.channel,
                verified=seen.verified,
                first_seen_at=min(seen.first_seen, now),
                last_seen_at=min(seen.last_seen, now),
            )
            for seen in person.identifiers
        ],
        attributes={"city": person.city},
    )


def _batches(people: Iterable[Person], size: int) -> Iterator[list[Person]]:
    iterator = iter(people)
    while batch := list(islice(iterator, size)):
        yield batch


def _refuse_if_seeded(runtime: Runtime, slug: str) -> None:
    with runtime.uow.read() as session:
        try:
            workspace_queries.workspace_by_slug(session, slug)
        except NotFound:
            return
    raise Conflict(f"the demo workspace {slug!r} already exists", code="already_seeded")


def _create_workspace(runtime: Runtime, business: DemoBusiness) -> WorkspaceId:
    try:
        workspace = workspace_actions.create_workspace(
            runtime.uow,
            WorkspaceInput(
                slug=business.slug,
                name=business.name,
                country=business.country,
                currency=business.currency,
                time_zone=business.time_zone,
                language=business.language,
            ),
            actor=ACTOR,
        )
    except Conflict as exc:  # seeded concurrently since we looked
        raise Conflict(exc.message, code="already_seeded") from None
    return WorkspaceId(workspace.id)


def _login_input(login: Login, business: DemoBusiness) -> UserInput:
    return UserInput(
        email=login.email,
        name=login.name,
        password=DEMO_PASSWORD,
        role=login.role,
        language=business.language,
    )


def _add_staff(runtime: Runtime, workspace_id: WorkspaceId, business: DemoBusiness) -> int:
    """The logins and the teams they belong to; returns how many users."""
    members: dict[str, list[str]] = {team: [] for team in business.teams}
    for login in business.logins:
        user = workspace_actions.add_member(
            runtime.uow, workspace_id, _login_input(login, business), actor=ACTOR
        )
        for team in login.teams:
            members[team].append(str(user.id))
    for team, member_ids in members.items():
        workspace_actions.create_team(
            runtime.uow, workspace_id, TeamInput(name=team, member_ids=member_ids), actor=ACTOR
        )
    return len(business.logins)


def _open_locations(
    runtime: Runtime, workspace_id: WorkspaceId, business: DemoBusiness, year: int
) -> dict[str, uuid.UUID]:
    opened: dict[str, uuid.UUID] = {}
    for plan in business.locations:
        location = workspace_actions.open_location(
            runtime.uow,
            workspace_id,
            LocationInput(
                code=plan.code,
                name=plan.name,
                kind=plan.kind,
                street=plan.street,
                city=plan.city,
                region=plan.region,
                postal_code=plan.postal_code,
                country=business.country,
                latitude=plan.latitude,
                longitude=plan.longitude,
                time_zone=business.time_zone,
                holiday_subdivision=plan.holiday_subdivision,
                opening_hours=plan.opening_hours,
                closures=year_end_closures(plan, year),
            ),
            actor=ACTOR,
        )
        opened[plan.code] = location.id
    return opened


def seed_demo(
    runtime: Runtime,
    *,
    customers: int,
    months: int,
    seed: int,
    end: date | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    orders_progress: Callable[[int], None] | None = None,
) -> SeedReport:
    """Create the demo workspace (slug ``demo``) with ``customers`` customers first seen over
    the ``months`` ending on ``end`` (default: today in the business's time zone), its
    catalog, promotions, stock and the customers' purchase history over those months.

    Raises ``Conflict(code="already_seeded")`` if the workspace exists, changing nothing.
    """
    if customers < 0 or months < 1 or batch_size < 1:
        raise ValueError("customers must be >= 0, months and batch_size >= 1")
    started = time.perf_counter()
    business = DEMO_BUSINESS
    _refuse_if_seeded(runtime, business.slug)
    now = runtime.clock.now()
    last_day = end or now.astimezone(ZoneInfo(business.time_zone)).date()
    workspace_id = _create_workspace(runtime, business)
    users = _add_staff(runtime, workspace_id, business)
    locations = _open_locations(runtime, workspace_id, business, last_day.year)
    identifiers = done = 0
    if progress is not None:
        progress(0, customers)
    people = generate_people(customers, months, seed, end=last_day)
    customer_ids: dict[int, uuid.UUID] = {}
    for batch in _batches(people, batch_size):
        inputs = [customer_input(person, locations, now) for person in batch]
        ids = customer_actions.register_customers(runtime.uow, workspace_id, inputs, actor=ACTOR)
        customer_ids.update(zip((person.number for person in batch), ids, strict=True))
        done += len(batch)
        identifiers += sum(len(item.identifiers) for item in inputs)
        if progress is not None:
            progress(done, customers)
    first_day, _ = window(months, last_day)
    sales = seed_commerce(
        runtime,
        workspace_id,
        generate_people(customers, months, seed, end=last_day),  # the same people again
        customer_ids,
        start=first_day,
        end=last_day,
        seed=seed,
        time_zone=business.time_zone,
        now=now,
        progress=orders_progress,
    )
    conversations = seed_inbox(
        runtime,
        workspace_id,
        generate_people(customers, months, seed, end=last_day),
        customer_ids,
        now=now,
        seed=seed,
    )
    seed_assistant(runtime, workspace_id)
    seed_automation(runtime, workspace_id)
    refresh_statistics(runtime.engine)  # after a bulk load, before anyone looks things up
    return SeedReport(
        workspace_id=workspace_id,
        customers=done,
        identifiers=identifiers,
        locations=len(locations),
        users=users,
        teams=len(business.teams),
        orders=sales.orders,
        conversations=conversations,
        products=sales.products,
        elapsed_seconds=time.perf_counter() - started,
    )
