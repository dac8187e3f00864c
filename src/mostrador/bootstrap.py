"""The composition root: settings in, a ready ``Runtime`` out.

The web app, the CLI, the worker and the tests all build their runtime here, so the same
engine, bus, clock and unit of work are wired the same way everywhere.
"""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from mostrador import models_registry
from mostrador.core.bus import EventBus, InProcessBus
from mostrador.core.clock import Clock, SystemClock
from mostrador.core.db import make_engine, make_sessionmaker
from mostrador.core.errors import ServiceUnavailable
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.settings import Settings, load_settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything an entry point needs, built once."""

    settings: Settings
    engine: Engine
    bus: EventBus
    clock: Clock
    uow: UnitOfWork
    # Set after a delivery or a reply is stored, so the inbox loop threads or sends it now
    # instead of at its next tick.
    inbox_signal: threading.Event = field(default_factory=threading.Event, repr=False)
    # Short-lived per-process caches of configuration read on hot paths (name → value).
    caches: dict[str, Any] = field(default_factory=dict, repr=False)
    _closed: bool = field(default=False, repr=False)

    def check_database(self) -> None:
        """Raise ``ServiceUnavailable`` with one clear line if the database does not answer."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            reason = (str(cause).strip().splitlines() or ["no answer"])[0]
            raise ServiceUnavailable(
                f"database {self.engine.url.render_as_string(hide_password=True)} "
                f"is not reachable: {reason}",
                code="database_unreachable",
            ) from None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.bus.close()
            self.engine.dispose()


def make_bus(url: str) -> EventBus:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return InProcessBus()
    from mostrador.core.nats_bus import NatsBus

    return NatsBus(url)


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    bus: EventBus | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> Runtime:
    """Wire a runtime. Tests pass their own clock, bus or session factory."""
    models_registry.load_all()
    settings = settings or load_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration is noise
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    chosen_bus = bus or make_bus(settings.bus_url)
    chosen_clock = clock or SystemClock()
    uow = UnitOfWork(sessions or make_sessionmaker(engine), chosen_bus, chosen_clock)
    return Runtime(settings=settings, engine=engine, bus=chosen_bus, clock=chosen_clock, uow=uow)


def settle_heap() -> None:
    """Keep what start-up loaded (libraries, phone metadata, mappers, the app) out of the
    garbage collector's full passes: ``gc.freeze`` moves it to the permanent generation, so
    a full collection during a request scans only what was created since. Called by
    ``serve`` and ``worker`` once everything is loaded (a full pass cost 70-110 ms before)."""
    gc.collect()
    gc.freeze()
