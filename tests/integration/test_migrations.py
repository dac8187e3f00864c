"""Migrations build the schema the models describe, on an empty SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, String, Uuid, create_engine, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.expression import TableClause, column, table

from mostrador import migrate
from mostrador.core.db import UtcDateTime, make_engine
from tests.conftest import PG_ADMIN_URL, unavailable


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"mostrador_empty_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        admin.dispose()
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_of_an_empty_database_matches_the_models(empty_database: str) -> None:
    engine = make_engine(empty_database)
    assert migrate.current_revision(engine) is None

    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.schema_drift(engine) == []
    tables = set(inspect(engine).get_table_names())
    assert {"events", "event_outbox", "applied_events", "workspaces", "locations"} <= tables
    migrate.upgrade(engine)  # a second upgrade is a no-op
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_customers_recorded_before_0002_survive_it_with_every_identifier(
    empty_database: str,
) -> None:
    engine = make_engine(empty_database)
    migrate.upgrade(engine, "0001")
    ws, customer, ident = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    when = UtcDateTime()

    def old_table(table_name: str, /, **columns: Any) -> TableClause:
        return table(table_name, *(column(n, t) for n, t in columns.items()))

    workspaces = old_table(
        "workspaces", id=Uuid(), slug=String(), name=String(), country=String(),
        currency=String(), time_zone=String(), language=String(), created_at=when,
    )  # fmt: skip
    customers = old_table(
        "customers", id=Uuid(), workspace_id=Uuid(), display_name=String(), language=String(),
        attributes=JSON(), created_at=when, updated_at=when,
    )  # fmt: skip
    identifiers = old_table(
        "customer_identifiers", id=Uuid(), workspace_id=Uuid(), customer_id=Uuid(),
        kind=String(), raw_value=String(), normalized_value=String(), source_channel=String(),
        verified=Boolean(), first_seen_at=when, last_seen_at=when,
    )  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(workspaces).values(
            id=ws, slug="w", name="W", country="AR", currency="ARS", time_zone="UTC",
            language="es", created_at=now,
        ))  # fmt: skip
        conn.execute(insert(customers).values(
            id=customer, workspace_id=ws, display_name="Ana", language="es", attributes={},
            created_at=now, updated_at=now,
        ))  # fmt: skip
        conn.execute(insert(identifiers).values(
            id=ident, workspace_id=ws, customer_id=customer, kind="phone", raw_value="11 5555-1234",
            normalized_value="+5491155551234", source_channel="store", verified=False,
            first_seen_at=now, last_seen_at=now,
        ))  # fmt: skip

    migrate.upgrade(engine)

    with engine.connect() as conn:
        row = conn.execute(
            select(
                column("status", String()),
                column("city", String()),
                column("merged_into_id", Uuid()),
            )
            .select_from(table("customers"))
            .where(column("id", Uuid()) == customer)
        ).one()
        assert tuple(row) == ("active", "", None)
        kept = conn.execute(
            select(column("customer_id", Uuid()), column("shared", Boolean())).select_from(
                table("customer_identifiers")
            )
        ).all()
        assert [tuple(r) for r in kept] == [(customer, False)]
    engine.dispose()
