"""Order placement under contention on PostgreSQL, against the limit measured in the same run.

    .venv/bin/python bench/order_contention.py [--clients 64] [--skus 10] [--units-per-sku 200]
        [--orders-per-client 40] [--lines 1..3] [--fulfillment mixed] [--customers none]
        [--breakdown] [--profile] [--database-url postgresql+psycopg://postgres@127.0.0.1/contention]

The database named by ``--database-url`` is dropped and created again, then migrated and
seeded through the real actions: a workspace with one store and one warehouse, ``--skus``
products with ``--units-per-sku`` units at each location (a second workspace gets the same
stock for the limit, a third plenty of it for the clients' warm-up orders).

Two phases, each with ``--clients`` forked processes released together by a barrier:

1. the limit: each client runs the bare conditional ``UPDATE stock_levels SET reserved =
   reserved + 1 WHERE ... AND on_hand - reserved >= 1`` (autocommit, one transaction each)
   for the same units its orders will ask for;
2. the orders: each client calls ``actions.place_order`` (channel ``web``, ship or pickup at
   the store, 1 unit per line) for its planned orders, whatever the outcome.

Throughput is successes over the time from the barrier to the last success (the tail of
refusals once the stock is gone is not counted). After the run the stock is checked: no
place may hold more reserved (or sold) units than were set, the live reservations must add
up to ``stock_levels.reserved``, and the order lines to the units reserved.
With ``--customers phone`` (or ``mixed``) orders name a buyer by one of ``--phones`` phones:
every phone must end up on exactly one customer.

Besides the table it prints the CPU used per order by the clients and by their PostgreSQL
backends, the CPU taken by everything else on the machine during each phase (the figures
are only comparable between runs when that is small) and the clients' private memory.
``--breakdown`` counts the statements and commits of every order and the time spent in them,
how long the hot rows (order counter, stock levels) stay locked until the commit, and samples
what the backends are doing (running, waiting for a row lock, idle in transaction);
``--profile`` runs every client under cProfile and prints the merged hot spots;
``--cold-counter`` lets the clients' first orders create the workspace's order counter.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import gc
import multiprocessing as mp
import os
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url

from mostrador.bootstrap import Runtime, bootstrap, settle_heap
from mostrador.commerce import OrderInput, ProductInput, actions
from mostrador.core.errors import Conflict
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import actions as workspace_actions
from mostrador.core.workspaces.schemas import LocationInput, WorkspaceInput
from mostrador.migrate import upgrade
from mostrador.settings import load_settings

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/contention"
PROTECTED_DATABASES = ("postgres", "template0", "template1", "test")
STORE, WAREHOUSE = "TIENDA", "DEPO"
PRIMER = "PRIMER"  # the SKU of the order that creates the order counter before the race
ZONE = "America/Argentina/Buenos_Aires"
# Real hours: the delivery promise of every order is computed from them (without any it
# searches the calendar for an open day and gives up, which costs more than the promise).
OPENING_HOURS: dict[str, Any] = {
    **{day: ["09:00-19:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
    "sat": ["10:00-14:00"],
}
WARMUP_ORDERS = 3
WARMUP_UNITS = 100_000
BARRIER_SECONDS = 600
# The statements that lock a row every order needs: from them to the commit, other orders
# wanting the same row wait.
HOT_ROWS = ("UPDATE order_counters", "UPDATE stock_levels")
WAIT_SAMPLE_SECONDS = 0.02
LIMIT_UPDATE = (
    "UPDATE stock_levels SET reserved = reserved + 1"
    " WHERE variant_id = %s AND location_id = %s AND on_hand - reserved >= 1"
)


# --- the plan: what every client will ask for -------------------------------------------


@dataclass(frozen=True)
class PlannedOrder:
    fulfillment: str  # "ship" (warehouse first) or "pickup" (at the store)
    skus: tuple[str, ...]
    phone: str | None

    @property
    def location(self) -> str:
        """Where the limit takes this order's units (where the allocation takes them first)."""
        return STORE if self.fulfillment == "pickup" else WAREHOUSE

    def as_input(self) -> OrderInput:
        fulfillment: dict[str, Any] = {"type": self.fulfillment}
        if self.fulfillment == "pickup":
            fulfillment["location"] = STORE
        return OrderInput.model_validate(
            {
                "channel": "web",
                "customer": {"phone": self.phone} if self.phone else None,
                "lines": [{"sku": sku, "quantity": 1} for sku in self.skus],
                "fulfillment": fulfillment,
            }
        )


def sku_names(count: int) -> list[str]:
    return [f"SKU-{n:03d}" for n in range(1, count + 1)]


def plan_orders(args: argparse.Namespace, client: int, count: int) -> list[PlannedOrder]:
    """The orders of one client, the same in every run with the same arguments."""
    rng = random.Random(f"{args.seed}-{client}-{count}")
    skus = sku_names(args.skus)
    low, high = args.lines
    phones = [f"+549115{n:07d}" for n in range(args.phones)]
    orders = []
    for _ in range(count):
        kind = args.fulfillment if args.fulfillment != "mixed" else rng.choice(("ship", "pickup"))
        wants_customer = args.customers == "phone" or (
            args.customers == "mixed" and rng.random() < 0.5
        )
        orders.append(
            PlannedOrder(
                fulfillment=kind,
                skus=tuple(rng.sample(skus, rng.randint(low, min(high, len(skus))))),
                phone=rng.choice(phones) if wants_customer else None,
            )
        )
    return orders


# --- the database ------------------------------------------------------------------------


def libpq_url(url: str, database: str | None = None) -> str:
    """The SQLAlchemy URL as psycopg takes it (optionally naming another database)."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def recreate_database(url: str) -> None:
    name = make_url(url).database
    if not name or name in PROTECTED_DATABASES:
        sys.exit(f"refusing to drop the database {name!r}; name a scratch database")
    with psycopg.connect(libpq_url(url, "postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def maintain(url: str) -> None:
    """Clean tables and an idle checkpointer before a phase: neither phase pays for the other."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")


def seed_workspace(
    runtime: Runtime, slug: str, skus: list[str], units: int, *, prime: bool
) -> WorkspaceId:
    """A business with a store and a warehouse holding ``units`` of every SKU each.

    ``prime`` places one order first, of a SKU of its own: the order counter row exists
    before the race (the first orders of a workspace racing each other to create it fail
    with a unique violation on ``pk_order_counters``; ``--cold-counter`` shows it)."""
    uow = runtime.uow
    ws = workspace_actions.create_workspace(
        uow,
        WorkspaceInput(
            slug=slug, name=f"Bench {slug}", country="AR", currency="ARS", time_zone=ZONE
        ),
    )
    workspace_id = WorkspaceId(ws.id)
    for code, kind in ((STORE, "store"), (WAREHOUSE, "warehouse")):
        workspace_actions.open_location(
            uow,
            workspace_id,
            LocationInput(
                code=code,
                name=f"{kind} {code}",
                kind=kind,
                country="AR",
                time_zone=ZONE,
                opening_hours=OPENING_HOURS,
            ),
        )
    for n, sku in enumerate(skus):
        product = {"name": f"Producto {sku}", "variants": [{"sku": sku, "price": str(100 + n)}]}
        actions.create_product(uow, workspace_id, ProductInput.model_validate(product))
        for code in (STORE, WAREHOUSE):
            actions.set_stock(uow, workspace_id, sku, code, units)
    if prime:
        product = {"name": "Primer pedido", "variants": [{"sku": PRIMER, "price": "1"}]}
        actions.create_product(uow, workspace_id, ProductInput.model_validate(product))
        actions.set_stock(uow, workspace_id, PRIMER, STORE, 1)
        first = {
            "channel": "web",
            "lines": [{"sku": PRIMER, "quantity": 1}],
            "fulfillment": {"type": "pickup", "location": STORE},
        }
        actions.place_order(uow, workspace_id, OrderInput.model_validate(first))
    return workspace_id


def stock_rows(engine: Engine, workspace_id: WorkspaceId) -> dict[tuple[str, str], Any]:
    """Per (sku, location): on hand, reserved, sold, live reservations and ordered units."""
    query = text(
        """
        SELECT v.sku, l.code, s.variant_id, s.location_id, s.on_hand, s.reserved,
          COALESCE((SELECT -SUM(m.quantity) FROM stock_movements m
                    WHERE m.workspace_id = s.workspace_id AND m.variant_id = s.variant_id
                      AND m.location_id = s.location_id AND m.kind = 'sale'), 0) AS sold,
          COALESCE((SELECT SUM(r.quantity) FROM stock_reservations r
                    WHERE r.workspace_id = s.workspace_id AND r.variant_id = s.variant_id
                      AND r.location_id = s.location_id AND r.status = 'active'), 0) AS held,
          COALESCE((SELECT SUM(o.quantity) FROM order_lines o
                    WHERE o.workspace_id = s.workspace_id AND o.variant_id = s.variant_id
                      AND o.location_id = s.location_id), 0) AS ordered
        FROM stock_levels s
        JOIN product_variants v ON v.id = s.variant_id
        JOIN locations l ON l.id = s.location_id
        WHERE s.workspace_id = :ws
        """
    )
    with engine.connect() as conn:
        return {(r.sku, r.code): r for r in conn.execute(query, {"ws": workspace_id})}


def phones_on_several_customers(engine: Engine, workspace_id: WorkspaceId) -> int:
    """Phones the identity engine gave to more than one customer (two first orders racing)."""
    query = text(
        """
        SELECT COUNT(*) FROM (
          SELECT normalized_value FROM customer_identifiers
          WHERE workspace_id = :ws AND kind = 'phone'
          GROUP BY normalized_value HAVING COUNT(DISTINCT customer_id) > 1
        ) AS shared
        """
    )
    with engine.connect() as conn:
        return int(conn.execute(query, {"ws": workspace_id}).scalar_one())


def count_rows(engine: Engine, table: str, workspace_id: WorkspaceId) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(f"SELECT COUNT(*) FROM {table} WHERE workspace_id = :ws"),  # noqa: S608
                {"ws": workspace_id},
            ).scalar_one()
        )


# --- measuring a client --------------------------------------------------------------------


@dataclass
class ClientResult:
    client: int
    ok: int = 0
    refused: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    ok_ms: list[float] = field(default_factory=list)
    refused_ms: list[float] = field(default_factory=list)
    started: float = 0.0
    last_ok: float = 0.0
    finished: float = 0.0
    cpu_s: float = 0.0
    backend_cpu_s: float = 0.0
    private_mib: float = 0.0
    phones_ok: set[str] = field(default_factory=set)
    statements: int = 0
    statement_s: float = 0.0
    commits: int = 0
    commit_s: float = 0.0
    statement_kinds: Counter[str] = field(default_factory=Counter)
    hold_s: dict[str, float] = field(default_factory=dict)  # hot row → seconds locked, summed
    holds: Counter[str] = field(default_factory=Counter)
    fatal: str | None = None

    def failed(self, label: str, exc: BaseException) -> None:
        self.errors[label] += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(f"{label}: {str(exc).splitlines()[0][:160]}")


def backend_cpu(pids: set[int]) -> float:
    """CPU seconds (user + system) the PostgreSQL backends ``pids`` have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def private_mib() -> float:
    """Memory this process does not share with the parent it was forked from."""
    kib = 0
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            kib += int(line.split()[1])
    return kib / 1024


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@contextmanager
def measured(result: ClientResult, pids: set[int], profile_to: Path | None) -> Iterator[None]:
    profiler = cProfile.Profile() if profile_to is not None else None
    result.started = time.perf_counter()
    cpu, backends = time.process_time(), backend_cpu(pids)
    if profiler is not None:
        profiler.enable()
    try:
        yield
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(profile_to))
        result.finished = time.perf_counter()
        result.cpu_s = time.process_time() - cpu
        result.backend_cpu_s = backend_cpu(pids) - backends
        result.private_mib = private_mib()


def statement_kind(statement: str) -> str:
    """``SELECT stock_levels``, ``UPDATE order_counters``, ``SAVEPOINT``: what a statement is."""
    words = statement.replace("(", " ").split()
    upper = [w.upper() for w in words]
    if not upper:
        return "?"
    marker = {"SELECT": "FROM", "DELETE": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE"}
    if upper[0] in marker and marker[upper[0]] in upper:
        index = upper.index(marker[upper[0]]) + 1
        if index < len(words):
            return f"{upper[0]} {words[index]}"
    return upper[0]


def trace_statements(engine: Engine, result: ClientResult) -> None:
    """Count and time every statement and commit of ``engine`` into ``result``."""
    started: list[float] = []
    locked: dict[str, float] = {}  # hot rows this transaction has locked, and since when

    @event.listens_for(engine, "before_cursor_execute")
    def _before(*_args: Any) -> None:
        started.append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        now = time.perf_counter()  # a hot row is held from here (its wait is over) to commit
        result.statement_s += now - started.pop()
        result.statements += 1
        result.statement_kinds[statement_kind(statement)] += 1
        for lock in HOT_ROWS:
            if statement.startswith(lock):
                locked.setdefault(lock, now)

    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def timed_commit(dbapi_connection: Any) -> None:
        began = time.perf_counter()
        commit(dbapi_connection)
        ended = time.perf_counter()
        result.commit_s += ended - began
        result.commits += 1
        for lock, since in locked.items():
            result.hold_s[lock] = result.hold_s.get(lock, 0.0) + ended - since
            result.holds[lock] += 1
        locked.clear()

    def forget_locks(dbapi_connection: Any) -> None:
        locked.clear()
        rollback(dbapi_connection)

    dialect.do_commit = timed_commit  # type: ignore[method-assign]
    dialect.do_rollback = forget_locks  # type: ignore[method-assign]


def reset_trace(result: ClientResult) -> None:
    result.statements = result.commits = 0
    result.statement_s = result.commit_s = 0.0
    result.statement_kinds.clear()
    result.hold_s.clear()
    result.holds.clear()


# --- the two kinds of client ----------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    url: str
    workspace_id: WorkspaceId
    warmup_id: WorkspaceId
    ids: dict[tuple[WorkspaceId, str, str], tuple[uuid.UUID, uuid.UUID]]
    breakdown: bool
    profile_dir: Path | None


def limit_client(job: Job, n: int, plan: list[PlannedOrder], barrier: Any) -> ClientResult:
    """The bare conditional UPDATE, one autocommit transaction per unit the orders want."""
    result = ClientResult(n)
    units = [
        job.ids[(job.workspace_id, sku, order.location)] for order in plan for sku in order.skus
    ]
    warm = [
        job.ids[(job.warmup_id, sku, order.location)]
        for order in plan[:WARMUP_ORDERS]
        for sku in order.skus
    ]
    with psycopg.connect(libpq_url(job.url), autocommit=True) as conn:
        cursor = conn.cursor()
        for row in warm * 3:  # psycopg prepares a statement on its fifth execution
            cursor.execute(LIMIT_UPDATE, row)
        barrier.wait(BARRIER_SECONDS)
        with measured(result, {conn.info.backend_pid}, None):
            for row in units:
                began = time.perf_counter()
                cursor.execute(LIMIT_UPDATE, row)
                ended = time.perf_counter()
                if cursor.rowcount == 1:
                    result.ok += 1
                    result.ok_ms.append((ended - began) * 1000)
                    result.last_ok = ended
                else:
                    result.refused += 1
                    result.refused_ms.append((ended - began) * 1000)
    return result


def order_client(job: Job, n: int, plan: list[PlannedOrder], barrier: Any) -> ClientResult:
    """``actions.place_order`` for every planned order, each in its own transaction."""
    result = ClientResult(n)
    runtime = bootstrap(
        load_settings(database_url=job.url, bus_url="memory://", log_level="WARNING")
    )
    pids: set[int] = set()
    event.listen(runtime.engine, "connect", lambda conn, _record: pids.add(conn.info.backend_pid))
    if job.breakdown:
        trace_statements(runtime.engine, result)
    inputs = [order.as_input() for order in plan]
    for order in plan[:WARMUP_ORDERS]:
        actions.place_order(runtime.uow, job.warmup_id, order.as_input(), actor=f"warm-{n}")
    reset_trace(result)
    settle_heap()  # as `mostrador serve` does once loaded
    profile_to = job.profile_dir / f"client-{n}.prof" if job.profile_dir else None
    barrier.wait(BARRIER_SECONDS)
    with measured(result, pids, profile_to):
        for order, data in zip(plan, inputs, strict=True):
            place_one(runtime, job.workspace_id, n, order, data, result)
    runtime.close()
    return result


def place_one(
    runtime: Runtime,
    workspace_id: WorkspaceId,
    n: int,
    order: PlannedOrder,
    data: OrderInput,
    result: ClientResult,
) -> None:
    began = time.perf_counter()
    try:
        actions.place_order(runtime.uow, workspace_id, data, actor=f"client-{n}")
    except Conflict as exc:
        ended = time.perf_counter()
        if exc.code == "insufficient_stock":
            result.refused += 1
            result.refused_ms.append((ended - began) * 1000)
        else:
            result.failed(f"Conflict:{exc.code}", exc)
        return
    except Exception as exc:  # deadlocks, serialization failures, bugs: all must be 0
        result.failed(type(exc).__name__, exc)
        return
    ended = time.perf_counter()
    result.ok += 1
    result.ok_ms.append((ended - began) * 1000)
    result.last_ok = ended
    if order.phone:
        result.phones_ok.add(order.phone)


Client = Callable[[Job, int, list[PlannedOrder], Any], ClientResult]


def run_client(
    client: Client, job: Job, n: int, plan: list[PlannedOrder], barrier: Any, queue: Any
) -> None:
    """A forked process: one client, its result (or what killed it) back on ``queue``."""
    try:
        result = client(job, n, plan, barrier)
    except BaseException:
        barrier.abort()
        result = ClientResult(n, fatal=traceback.format_exc())
    queue.put(result)


@dataclass
class Phase:
    results: list[ClientResult]
    machine_busy: float  # share of all cores busy from the release to the last result
    busy_cpu_s: float  # the same in CPU seconds (every process on the machine)
    waits: Counter[str]  # backend states sampled during the phase (--breakdown)

    def others_cpu_s(self) -> float:
        """CPU used by neither the clients nor their backends (other work on the machine,
        PostgreSQL's own background processes)."""
        ours = sum(r.cpu_s + r.backend_cpu_s for r in self.results)
        return self.busy_cpu_s - ours


def run_phase(
    client: Client, job: Job, plans: list[list[PlannedOrder]], *, sample_waits: bool = False
) -> Phase:
    """Fork one process per plan, release them together, and gather what they measured."""
    context = mp.get_context("fork")
    barrier = context.Barrier(len(plans) + 1)  # the clients and this process
    queue = context.Queue()
    gc.collect()
    gc.freeze()  # forked clients share what the parent loaded instead of copying it
    processes = [
        context.Process(target=run_client, args=(client, job, n, plan, barrier, queue))
        for n, plan in enumerate(plans)
    ]
    for process in processes:
        process.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client died: its result says why
        barrier.wait(BARRIER_SECONDS)
    busy0, total0 = machine_busy()
    waits = WaitSampler(job.url) if sample_waits else None
    results = [queue.get(timeout=BARRIER_SECONDS * 2) for _ in processes]
    busy1, total1 = machine_busy()
    samples = waits.stop() if waits is not None else Counter()
    for process in processes:
        process.join()
    gc.unfreeze()
    fatal = [r for r in results if r.fatal]
    if fatal:
        sys.exit(f"{len(fatal)} clients died; the first:\n{fatal[0].fatal}")
    ticks = os.sysconf("SC_CLK_TCK")
    return Phase(
        results=sorted(results, key=lambda r: r.client),
        machine_busy=(busy1 - busy0) / (total1 - total0),
        busy_cpu_s=(busy1 - busy0) / ticks,
        waits=samples,
    )


class WaitSampler:
    """What the benchmark's backends are doing, sampled from ``pg_stat_activity``: running a
    statement, waiting for a row lock (and on which statement), or idle inside a transaction
    (the client is computing while it holds its locks)."""

    QUERY = (
        "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        " AND backend_type = 'client backend'"
    )

    def __init__(self, url: str) -> None:
        self.samples: Counter[str] = Counter()
        self._stop = threading.Event()
        self._conn = psycopg.connect(libpq_url(url), autocommit=True)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(WAIT_SAMPLE_SECONDS):
            for state, wait_type, wait_event, query in self._conn.execute(self.QUERY):
                self.samples[self.describe(state, wait_type, wait_event, query or "")] += 1

    @staticmethod
    def describe(state: str, wait_type: str | None, wait_event: str | None, query: str) -> str:
        if state == "idle in transaction":
            return "idle in transaction (client working)"
        if state != "active":
            return state or "?"
        if wait_type == "Lock":
            return f"waiting for a lock in {statement_kind(query)}"
        if wait_type is None or wait_type == "CPU":
            return f"running {statement_kind(query)}"
        return f"waiting on {wait_type}:{wait_event} in {statement_kind(query)}"

    def stop(self) -> Counter[str]:
        self._stop.set()
        self._thread.join()
        self._conn.close()
        return self.samples


# --- figures and checks -----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Figures:
    ok: int
    refused: int
    errors: Counter[str]
    per_second: float
    p50: float
    p99: float
    window_s: float
    cpu_ms: float  # client CPU per success
    backend_ms: float  # PostgreSQL backend CPU per success


def figures(phase: Phase) -> Figures:
    results = phase.results
    ok = sum(r.ok for r in results)
    start = min(r.started for r in results)
    window = max((r.last_ok for r in results if r.ok), default=start) - start
    errors: Counter[str] = Counter()
    for r in results:
        errors.update(r.errors)
    latencies = [ms for r in results for ms in r.ok_ms]
    return Figures(
        ok=ok,
        refused=sum(r.refused for r in results),
        errors=errors,
        per_second=ok / window if window > 0 else float("nan"),
        p50=statistics.median(latencies) if latencies else float("nan"),
        p99=percentile(latencies, 0.99),
        window_s=window,
        cpu_ms=1000 * sum(r.cpu_s for r in results) / max(ok, 1),
        backend_ms=1000 * sum(r.backend_cpu_s for r in results) / max(ok, 1),
    )


@dataclass
class Audit:
    oversold: int = 0
    negative_available: int = 0
    reservation_mismatches: list[str] = field(default_factory=list)
    line_mismatches: list[str] = field(default_factory=list)
    reserved: int = 0


def audit_stock(engine: Engine, workspace_id: WorkspaceId, units: int, orders: bool) -> Audit:
    """Nothing sold or held beyond what was set, and every ledger agreeing with the levels."""
    audit = Audit()
    for (sku, code), row in sorted(stock_rows(engine, workspace_id).items()):
        if sku == PRIMER:
            continue
        audit.reserved += row.reserved
        audit.oversold += max(0, row.reserved + row.sold - units)
        audit.negative_available += int(row.on_hand < row.reserved)
        if orders and row.held != row.reserved:
            audit.reservation_mismatches.append(f"{sku}@{code}: held {row.held} != {row.reserved}")
        if orders and row.ordered != row.reserved:
            audit.line_mismatches.append(f"{sku}@{code}: lines {row.ordered} != {row.reserved}")
    return audit


def print_table(rows: list[dict[str, str]]) -> None:
    headers = list(rows[0])
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in headers]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for row in rows:
        print("  ".join(row[h].rjust(w) for h, w in zip(headers, widths, strict=True)))


def print_breakdown(phase: Phase, attempts: int) -> None:
    """Where an order's time goes: statements, commits, client CPU, rows held locked, and
    what the backends were doing (sampled)."""
    results, attempts = phase.results, max(attempts, 1)

    def per_attempt(total: float) -> float:
        return total / attempts

    statement_ms = per_attempt(1000 * sum(r.statement_s for r in results))
    commit_ms = per_attempt(1000 * sum(r.commit_s for r in results))
    wall_ms = per_attempt(sum(sum(r.ok_ms) + sum(r.refused_ms) for r in results))
    print(
        f"\nper attempt ({attempts}): wall {wall_ms:.2f} ms = statements "
        f"{per_attempt(sum(r.statements for r in results)):.1f} ({statement_ms:.2f} ms, lock "
        f"waits included) + commits {per_attempt(sum(r.commits for r in results)):.2f} "
        f"({commit_ms:.2f} ms) + the rest {wall_ms - statement_ms - commit_ms:.2f} ms; client "
        f"CPU {per_attempt(1000 * sum(r.cpu_s for r in results)):.2f} ms"
    )
    kinds: Counter[str] = Counter()
    held: dict[str, float] = {}
    holds: Counter[str] = Counter()
    for r in results:
        kinds.update(r.statement_kinds)
        for lock, seconds in r.hold_s.items():
            held[lock] = held.get(lock, 0.0) + seconds
        holds.update(r.holds)
    print(
        "statements per attempt: "
        + ", ".join(f"{kind} {count / attempts:.2f}" for kind, count in kinds.most_common())
    )
    for lock in HOT_ROWS:
        if holds[lock]:
            mean = 1000 * held[lock] / holds[lock]
            print(
                f"a row locked by {lock!r} stays locked {mean:.2f} ms until the commit "
                f"(mean per committed order): at most {1000 / mean:.0f} orders/s through it"
            )
    total = sum(phase.waits.values())
    if total:
        print("backends sampled every 20 ms (share of samples):")
        for state, count in phase.waits.most_common(12):
            print(f"  {100 * count / total:5.1f}%  {state}")


def print_profile(profile_dir: Path) -> None:
    files = sorted(str(p) for p in profile_dir.glob("client-*.prof"))
    stats = pstats.Stats(*files)
    stats.strip_dirs()
    print("\ncProfile, all clients merged: own time")
    stats.sort_stats("tottime").print_stats(25)
    print("cProfile, all clients merged: cumulative time")
    stats.sort_stats("cumulative").print_stats(40)


def parse_range(value: str) -> tuple[int, int]:
    low, _sep, high = value.partition("..")
    bounds = (int(low), int(high or low))
    if not 1 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError("lines are LOW..HIGH with 1 <= LOW <= HIGH")
    return bounds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and recreated")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--skus", type=int, default=10)
    parser.add_argument("--units-per-sku", type=int, default=200, help="at each location")
    parser.add_argument("--orders-per-client", type=int, default=40)
    parser.add_argument("--lines", type=parse_range, default=(1, 3), help="LOW..HIGH per order")
    parser.add_argument("--fulfillment", choices=("ship", "pickup", "mixed"), default="mixed")
    parser.add_argument("--customers", choices=("none", "phone", "mixed"), default="none")
    parser.add_argument("--phones", type=int, default=500, help="distinct customer phones")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cold-counter",
        action="store_true",
        help="no order before the race: the clients' first orders create the order counter",
    )
    parser.add_argument("--breakdown", action="store_true", help="statements and commits per order")
    parser.add_argument("--profile", action="store_true", help="cProfile every client (slower)")
    return parser.parse_args()


def seed(args: argparse.Namespace) -> tuple[Job, WorkspaceId]:
    recreate_database(args.database_url)
    runtime = bootstrap(
        load_settings(database_url=args.database_url, bus_url="memory://", log_level="WARNING")
    )
    upgrade(runtime.engine)
    skus = sku_names(args.skus)
    orders_ws = seed_workspace(
        runtime, "orders", skus, args.units_per_sku, prime=not args.cold_counter
    )
    limit_ws = seed_workspace(runtime, "limit", skus, args.units_per_sku, prime=False)
    warmup_ws = seed_workspace(runtime, "warmup", skus, WARMUP_UNITS, prime=True)
    ids = {}
    for ws in (orders_ws, limit_ws, warmup_ws):
        for key, row in stock_rows(runtime.engine, ws).items():
            ids[(ws, *key)] = (row.variant_id, row.location_id)
    runtime.close()
    profile_dir = Path(tempfile.mkdtemp(prefix="order-contention-")) if args.profile else None
    return Job(args.database_url, orders_ws, warmup_ws, ids, args.breakdown, profile_dir), limit_ws


def main() -> None:
    args = parse_args()
    job, limit_ws = seed(args)
    plans = [plan_orders(args, n, args.orders_per_client) for n in range(args.clients)]
    units = args.skus * args.units_per_sku * 2
    demand = sum(len(o.skus) for plan in plans for o in plan)
    print(
        f"database {make_url(args.database_url).render_as_string(hide_password=True)}: "
        f"{args.clients} clients, {args.skus} SKUs x {args.units_per_sku} units x 2 locations "
        f"= {units} units, {args.clients * args.orders_per_client} orders asking for {demand}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    maintain(args.database_url)
    limit = run_phase(limit_client, dataclasses.replace(job, workspace_id=limit_ws), plans)
    maintain(args.database_url)
    placed = run_phase(order_client, job, plans, sample_waits=args.breakdown)
    engine = bootstrap(
        load_settings(database_url=args.database_url, bus_url="memory://", log_level="WARNING")
    ).engine
    report(args, engine, job, limit_ws, limit, placed, units)


def report(
    args: argparse.Namespace,
    engine: Engine,
    job: Job,
    limit_ws: WorkspaceId,
    limit: Phase,
    placed: Phase,
    units: int,
) -> None:
    lim, got = figures(limit), figures(placed)
    orders_audit = audit_stock(engine, job.workspace_id, args.units_per_sku, orders=True)
    limit_audit = audit_stock(engine, limit_ws, args.units_per_sku, orders=False)
    common = {"clients": str(args.clients), "SKUs": str(args.skus), "units": str(units)}
    print_table(
        [
            {"run": "orders", **common, **row(got, orders_audit, "{:.1f}")}
            | {
                "limit ops/s": f"{lim.per_second:.0f}",
                "ratio": f"{got.per_second / lim.per_second:.3f}",
            },
            {"run": "limit", **common, **row(lim, limit_audit, "{:.2f}")}
            | {"limit ops/s": "", "ratio": ""},
        ]
    )
    refused_ms = [ms for r in placed.results for ms in r.refused_ms]
    print(
        f"\nunits reserved by the orders: {orders_audit.reserved} in {got.window_s:.2f} s "
        f"({orders_audit.reserved / got.window_s:.0f}/s, "
        f"{orders_audit.reserved / got.window_s / lim.per_second:.3f} of the limit; the limit "
        f"took {lim.window_s:.2f} s); a refusal p50 "
        f"{statistics.median(refused_ms) if refused_ms else float('nan'):.1f} ms"
    )
    print(
        f"CPU per order placed: client {got.cpu_ms:.2f} ms + its PostgreSQL backend "
        f"{got.backend_ms:.2f} ms (per limit update: {lim.cpu_ms:.3f} + {lim.backend_ms:.3f} ms)"
    )
    for name, phase in (("orders", placed), ("limit", limit)):
        print(
            f"{name} phase: machine {100 * phase.machine_busy:.0f}% busy, of which other "
            f"processes (other work, PostgreSQL's background) {phase.others_cpu_s():.1f} CPU-s "
            f"of {phase.busy_cpu_s:.1f}"
        )
    memory = [r.private_mib for r in placed.results]
    print(
        f"private memory per order client: {statistics.mean(memory):.0f} MiB "
        f"(max {max(memory):.0f})"
    )
    print_checks(args, engine, job, placed, got, lim, orders_audit, limit_audit)
    if args.breakdown:
        print_breakdown(placed, got.ok + got.refused)
    if job.profile_dir is not None:
        print_profile(job.profile_dir)


def row(figures: Figures, audit: Audit, ms: str) -> dict[str, str]:
    return {
        "placed": str(figures.ok),
        "refused": str(figures.refused),
        "errors": str(sum(figures.errors.values())),
        "oversold": str(audit.oversold),
        "per s": f"{figures.per_second:.0f}",
        "p50 ms": ms.format(figures.p50),
        "p99 ms": ms.format(figures.p99),
    }


def print_checks(
    args: argparse.Namespace,
    engine: Engine,
    job: Job,
    placed: Phase,
    got: Figures,
    lim: Figures,
    orders_audit: Audit,
    limit_audit: Audit,
) -> None:
    rows = stock_rows(engine, job.workspace_id)
    split_lines = count_rows(engine, "order_lines", job.workspace_id) - sum(
        r.ordered for r in rows.values()
    )
    checks = {
        "nothing oversold": orders_audit.oversold == 0 and limit_audit.oversold == 0,
        "orders stored == placed": count_rows(engine, "orders", job.workspace_id)
        == got.ok + (not args.cold_counter),
        "no split lines": split_lines == 0,
        "live reservations == reserved": not orders_audit.reservation_mismatches,
        "order lines == reserved": not orders_audit.line_mismatches,
        "no negative availability": orders_audit.negative_available == 0,
        "limit: reserved == successes": limit_audit.reserved == lim.ok,
        "no errors": not got.errors and not lim.errors,
    }
    if args.customers != "none":
        customers = count_rows(engine, "customers", job.workspace_id)
        phones = set().union(*(r.phones_ok for r in placed.results))
        twice = phones_on_several_customers(engine, job.workspace_id)
        checks[
            f"one customer per phone ({customers} customers, {len(phones)} phones, "
            f"{twice} phones on 2+ customers)"
        ] = customers == len(phones) and twice == 0
    print(
        "checks: "
        + ", ".join(f"{name}: {'ok' if good else 'FAILED'}" for name, good in checks.items())
    )
    for problem in orders_audit.reservation_mismatches[:5] + orders_audit.line_mismatches[:5]:
        print(f"  {problem}")
    if got.errors:
        print("errors: " + ", ".join(f"{k} {v}" for k, v in got.errors.most_common()))
    for r in placed.results:
        for sample in r.error_samples:
            print(f"  client {r.client}: {sample}")


if __name__ == "__main__":
    main()
