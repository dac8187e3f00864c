"""SQLAlchemy 2 base, column types and engine/session construction.

Times are stored timezone-aware in UTC on both databases (SQLite keeps no zone, so
``UtcDateTime`` re-attaches it on the way out and refuses naive values on the way in).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    MetaData,
    Numeric,
    String,
    TypeDecorator,
    Uuid,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.orm import Session as Session
from sqlalchemy.pool import NullPool

from mostrador.core.errors import ConfigurationError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")

_AMOUNT_SCALE = 4  # decimal places kept: prices, unit costs and rates below a cent


class Amount(TypeDecorator[Decimal]):
    """An exact decimal amount: NUMERIC(18, 4) on PostgreSQL; on SQLite, which has no exact
    decimal type, an integer count of ten-thousandths (sums stay exact and typed)."""

    impl = Numeric(18, _AMOUNT_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, _AMOUNT_SCALE))

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("amounts are never floats; pass a Decimal")
        exact = Decimal(value)
        scaled = exact.scaleb(_AMOUNT_SCALE)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{exact} has more than {_AMOUNT_SCALE} decimal places")
        return int(scaled) if dialect.name == "sqlite" else exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-_AMOUNT_SCALE)
        return Decimal(value)


class Base(DeclarativeBase):
    """Base of every mapped class in every context."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        uuid.UUID: Uuid(),
        datetime: UtcDateTime(),
        Decimal: Amount(),
        str: String(),
        dict[str, Any]: JSONDocument,
        list[Any]: JSONDocument,
    }


def normalize_database_url(raw: str) -> URL:
    """Parse ``DATABASE_URL`` and pick our drivers (psycopg 3 for PostgreSQL)."""
    try:
        url = make_url(raw)
    except Exception:
        raise ConfigurationError(
            f"DATABASE_URL {raw!r} is not a database URL", code="bad_database_url"
        ) from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise ConfigurationError(
        f"DATABASE_URL uses {backend!r}; Mostrador runs on sqlite or postgresql",
        code="unsupported_database",
    )


WRITE = {"sqlite_write": True}
"""Execution options of a connection that will write (``UnitOfWork.transaction``)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is turned off: ``_sqlite_begin`` starts transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    if cursor.execute("PRAGMA database_list").fetchall()[0][2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A 32 MiB page cache per connection (the default is 2 MiB): real-time identity lookups
    # touch dozens of scattered pages of a large file per contact. Memory-mapping the file
    # was measured too and was slower on first touch (bench/README.md).
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """A writing transaction takes SQLite's write lock at BEGIN (IMMEDIATE): one that read
    first and wrote later would otherwise fail with "database is locked" when another
    writer committed in between, instead of waiting its turn. Reads begin deferred."""
    immediate = connection.get_execution_options().get("sqlite_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(raw_url: str, *, echo: bool = False) -> Engine:
    """An engine for ``raw_url``; SQLite gets WAL, foreign keys and a busy timeout."""
    from sqlalchemy import create_engine

    url = normalize_database_url(raw_url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            from pathlib import Path

            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
            poolclass=NullPool if database in ("", ":memory:") else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (actions return them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def refresh_statistics(engine: Engine) -> None:
    """Let the query planner know the tables' shapes (after bulk loads, and periodically).

    Without statistics SQLite prefers any index with an equality on ``workspace_id`` (one
    value for a whole business) over the primary key, and a lookup by id scans the workspace.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")
