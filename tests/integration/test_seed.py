"""Seeding the demo business through the real actions, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.commerce.models import Order, PromotionRecord, StockLevel, StockMovement
from mostrador.conversations import queries as conversation_queries
from mostrador.conversations.models import Conversation, CsatSurvey, Message
from mostrador.core.access.actions import sign_in
from mostrador.core.access.roles import Role
from mostrador.core.errors import Conflict
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import TeamId, WorkspaceId
from mostrador.core.workspaces import Location, Team, queries
from mostrador.customers import Customer, CustomerIdentifier
from mostrador.customers.emails import normalize_email
from mostrador.demo import DEMO_LOGINS, DEMO_PASSWORD, SeedReport, seed_demo
from mostrador.demo.conversation_plan import plan_conversations
from mostrador.demo.inbox_seed import address_on
from mostrador.demo.population import Person, generate_people
from tests.support.tenancy import assert_unchanged, snapshot

ZONE = ZoneInfo("America/Argentina/Buenos_Aires")


EXPECTED_ORDERS = 301  # 300 people over 6 months (seed 7), finished by the test clock
EXPECTED_CHANNELS = {"pos", "web", "whatsapp", "instagram", "phone"}


def expected_people(runtime: Runtime) -> list[Person]:
    today = runtime.clock.now().astimezone(ZONE).date()
    return list(generate_people(300, 6, 7, end=today))


@pytest.fixture
def seeded(runtime: Runtime) -> SeedReport:
    calls: list[tuple[int, int]] = []
    report = seed_demo(
        runtime,
        customers=300,
        months=6,
        seed=7,
        progress=lambda d, t: calls.append((d, t)),
        batch_size=128,
    )
    assert calls == [(0, 300), (128, 300), (256, 300), (300, 300)]
    return report


def test_the_report_counts_what_was_created(runtime: Runtime, seeded: SeedReport) -> None:
    people = expected_people(runtime)
    assert (seeded.customers, seeded.locations, seeded.users, seeded.teams) == (300, 3, 4, 3)
    assert seeded.identifiers == sum(len(p.identifiers) for p in people)
    assert seeded.elapsed_seconds > 0
    with runtime.uow.read() as session:
        workspace = queries.workspace_by_slug(session, "demo")
        assert workspace.id == seeded.workspace_id
        assert (workspace.name, workspace.country, workspace.currency, workspace.time_zone) == (
            "Hornero Ropa y Casa",
            "AR",
            "ARS",
            "America/Argentina/Buenos_Aires",
        )
        counts = {
            model.__tablename__: session.scalar(
                select(func.count()).select_from(model).where(model.workspace_id == workspace.id)
            )
            for model in (Customer, CustomerIdentifier, Location, Team)
        }
    assert counts == {
        "customers": 300,
        "customer_identifiers": seeded.identifiers,
        "locations": 3,
        "teams": 3,
    }


def test_the_customers_are_the_generated_people(runtime: Runtime, seeded: SeedReport) -> None:
    people = expected_people(runtime)
    now = runtime.clock.now()
    with runtime.uow.read() as session:
        customers = session.scalars(
            select(Customer).where(Customer.workspace_id == seeded.workspace_id)
        ).all()
        identifiers = session.scalars(
            select(CustomerIdentifier).where(CustomerIdentifier.workspace_id == seeded.workspace_id)
        ).all()
        stores = {
            loc.id: loc.code for loc in queries.locations(session, WorkspaceId(seeded.workspace_id))
        }
    assert Counter((c.display_name, c.country, c.language) for c in customers) == Counter(
        (p.display_name, p.country, p.language) for p in people
    )
    assert Counter(stores[c.home_location_id] for c in customers if c.home_location_id) == Counter(
        p.home_store for p in people
    )
    assert Counter((i.kind, i.raw_value, i.source_channel) for i in identifiers) == Counter(
        (i.kind, i.value, i.channel) for p in people for i in p.identifiers
    )
    assert all(c.created_at <= now for c in customers)
    assert all(i.first_seen_at <= i.last_seen_at <= now for i in identifiers)
    emails = [i for i in identifiers if i.kind == "email"]
    assert all(i.normalized_value == normalize_email(i.raw_value) for i in emails)
    whatsapp = [i for i in identifiers if i.kind == "whatsapp_id"]
    assert len(whatsapp) > 20
    # WhatsApp ids are keyed in E.164, the same key space as phones typed at the counter.
    assert all(i.normalized_value == "+" + i.raw_value for i in whatsapp)


def test_every_customer_has_its_registration_event(runtime: Runtime, seeded: SeedReport) -> None:
    with runtime.uow.read() as session:
        customer_ids = set(
            session.scalars(select(Customer.id).where(Customer.workspace_id == seeded.workspace_id))
        )
        events = session.execute(
            select(EventRecord.customer_id, EventRecord.actor).where(
                EventRecord.workspace_id == seeded.workspace_id,
                EventRecord.type == "customers.CustomerRegistered",
            )
        ).all()
    assert len(events) == 300
    assert {customer_id for customer_id, _ in events} == customer_ids
    assert {actor for _, actor in events} == {"system:seed"}


def test_the_logins_have_their_roles_and_the_password_works(
    runtime: Runtime, seeded: SeedReport
) -> None:
    workspace_id = WorkspaceId(seeded.workspace_id)
    with runtime.uow.read() as session:
        members = queries.members(session, workspace_id)
        roles = sorted((user.email, role) for user, role in members)
        emails = {user.id: user.email for user, _ in members}
        teams = {
            team.name: sorted(
                emails[user_id]
                for user_id in queries.team_member_ids(session, workspace_id, TeamId(team.id))
            )
            for team in queries.teams(session, workspace_id)
        }
    assert roles == sorted(DEMO_LOGINS)
    assert teams == {
        "Postventa": ["agente@demo.test", "supervisora@demo.test"],
        "Tiendas": ["tienda@demo.test"],
        "Ventas online": ["agente@demo.test", "supervisora@demo.test"],
    }
    _, owner = sign_in(runtime.uow, "owner@demo.test", DEMO_PASSWORD, session_hours=1)
    _, staff = sign_in(runtime.uow, "tienda@demo.test", DEMO_PASSWORD, session_hours=1)
    assert (owner.workspace_id, owner.role) == (seeded.workspace_id, Role.OWNER)
    assert (staff.workspace_id, staff.role) == (seeded.workspace_id, Role.STORE_STAFF)


def test_seeding_twice_is_refused_and_changes_nothing(runtime: Runtime, seeded: SeedReport) -> None:
    before = snapshot(runtime.engine)
    with pytest.raises(Conflict) as err:
        seed_demo(runtime, customers=10, months=1, seed=1)
    assert err.value.code == "already_seeded"
    assert_unchanged(runtime.engine, before)


def test_the_demo_has_its_catalog_history_and_a_ledger_that_holds(
    runtime: Runtime, seeded: SeedReport
) -> None:
    now = runtime.clock.now()
    with runtime.uow.read() as session:
        orders = session.execute(
            select(Order.channel, Order.status, Order.placed_at, Order.customer_id)
        ).all()
        assert seeded.orders == len(orders) == EXPECTED_ORDERS
        assert seeded.products == 78
        assert all(placed <= now for _c, _s, placed, _who in orders)
        assert {who for *_rest, who in orders} <= set(
            session.execute(select(Customer.id)).scalars()
        )
        assert {channel for channel, *_rest in orders} == EXPECTED_CHANNELS
        for level in session.execute(select(StockLevel)).scalars():
            moved = session.execute(
                select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
                    StockMovement.variant_id == level.variant_id,
                    StockMovement.location_id == level.location_id,
                )
            ).scalar_one()
            assert (moved, level.reserved) == (level.on_hand, 0)
            assert level.on_hand >= 0
        assert session.execute(select(func.count()).select_from(PromotionRecord)).scalar_one() == 18


def test_the_demo_inbox_holds_the_planned_conversations_threaded_to_their_customers(
    runtime: Runtime, seeded: SeedReport
) -> None:
    people = {p.number: p for p in expected_people(runtime)}
    facts = [(p.number, p.language, p.channels, p.first_seen) for p in people.values()]
    plans = [
        plan
        for plan in plan_conversations(facts, runtime.clock.now(), 7)
        if address_on(people[plan.customer_number], plan.channel) is not None
    ]
    assert seeded.conversations == len(plans) > 100
    with runtime.uow.read() as session:
        ws = seeded.workspace_id
        rows = session.execute(
            select(
                Conversation.status, Conversation.message_count, Conversation.last_channel
            ).where(Conversation.workspace_id == ws)
        ).all()
        assert len(rows) == len(plans)
        assert sum(r[1] for r in rows) == sum(len(p.messages) for p in plans)
        assert session.scalar(
            select(func.count()).select_from(Message).where(Message.workspace_id == ws)
        ) == sum(len(p.messages) for p in plans)
        mismatched = session.scalar(
            select(func.count())
            .select_from(Message)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.customer_id != Conversation.customer_id)
        )
        assert mismatched == 0
        assert sorted({r[2] for r in rows}) == sorted({p.channel for p in plans})
        assert sum(1 for r in rows if r[0] == "resolved") == sum(
            1 for p in plans if p.resolved_at is not None
        )
        surveys = session.scalar(
            select(func.count()).select_from(CsatSurvey).where(CsatSurvey.workspace_id == ws)
        )
        assert surveys == sum(1 for p in plans if p.csat_reply is not None)
        found = conversation_queries.search_messages(session, WorkspaceId(ws), "talle")
        assert len(found) == min(
            50, sum(1 for p in plans for m in p.messages if "talle" in m.text.lower())
        )


def test_the_demo_assistant_is_on_with_its_knowledge_base(
    runtime: Runtime, seeded: SeedReport
) -> None:
    from mostrador import assistant

    with runtime.uow.read() as session:
        settings = assistant.queries.settings_document(session, seeded.workspace_id)
        knowledge = assistant.queries.knowledge(session, seeded.workspace_id)
    assert (settings["enabled"], settings["channels"], settings["payment_methods"]) == (
        True,
        [],
        ["cash", "card", "debit_card", "transfer", "mercado_pago"],
    )
    assert [(e["language"], e["question"]) for e in knowledge] == [
        ("en", "Do you ship internationally?"),
        ("es", "¿Hacen envíos a todo el país?"),
        ("es", "¿Hacen factura A?"),
        ("es", "¿Tienen gift cards?"),
        ("pt", "Vocês enviam para o Brasil?"),
    ]


def test_the_demo_has_its_first_rules_and_journeys(runtime: Runtime, seeded: SeedReport) -> None:
    from mostrador import automation

    with runtime.uow.read() as session:
        rules = automation.queries.rules(session, seeded.workspace_id)
        journeys = automation.queries.journeys(session, seeded.workspace_id)
    assert [(r["name"], r["trigger"], r["active"]) for r in rules] == [
        ("Mensajes fuera de horario", "conversations.MessageReceived", True),
        ("Detractores, a supervisión", "conversations.SurveyAnswered", True),
    ]
    assert [(j["name"], j["trigger"]) for j in journeys] == [
        ("NPS tres días después de recibir la compra", "commerce.OrderStatusChanged"),
        ("Recordatorio de retiro", "commerce.OrderStatusChanged"),
    ]
