"""Migrations build the schema the models describe, on an empty SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from mostrador import migrate
from mostrador.core.db import make_engine
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
