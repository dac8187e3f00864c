"""Schema migrations (Alembic), run from the CLI, the demo, the tests and the benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from mostrador import models_registry
from mostrador.core.db import Base, refresh_statistics

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest).

    On SQLite, altering a table means rebuilding it; with foreign keys enforced the rebuild's
    DROP would cascade into the rows that point at it, so they are off while migrating and
    checked afterwards.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        refresh_statistics(engine)
        return
    with engine.connect() as connection:
        # The pragma is a no-op inside a transaction: set it on the driver's connection,
        # which runs outside one (Mostrador begins SQLite transactions itself).
        driver: Any = connection.connection.driver_connection
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
            broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            driver.execute("PRAGMA foreign_keys=ON")
    if broken:
        raise RuntimeError(f"migration left {len(broken)} rows with dangling references")
    refresh_statistics(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# Tables the migrations create outside the models: the full-text index of messages
# (an FTS5 virtual table with its shadow tables on SQLite, a tsvector table on PostgreSQL).
UNMAPPED_TABLES = ("message_search",)


def managed_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Whether autogenerate compares this object (not the search index's tables)."""
    return not (type_ == "table" and name is not None and name.startswith(UNMAPPED_TABLES))


def schema_drift(engine: Engine) -> list[Any]:
    """Differences between the models and the migrated database; empty when they agree."""
    models_registry.load_all()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": True, "include_name": managed_name},
        )
        return list(compare_metadata(context, Base.metadata))


def make_revision(engine: Engine, message: str) -> None:
    """Autogenerate a new revision from the models (a developer command)."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
