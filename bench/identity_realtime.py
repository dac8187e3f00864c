"""Real-time identity resolution against a large customer base: p50 and p99 per contact.

    python bench/identity_realtime.py --customers 1000000                      # SQLite file in /tmp
    python bench/identity_realtime.py --customers 1000000 \\
        --database-url postgresql://postgres@127.0.0.1/rtbench
    python bench/identity_realtime.py --database-url sqlite:////tmp/rt.sqlite --reuse

The base is the demo business seeded with ``--customers`` people (indexed exactly as
production indexes them). Then ``--samples`` contacts arrive one by one, each in its own
transaction: half are known people writing on another channel (they must be attached), half
are new people (created). For each we time the decision (``match_contact``: index lookups,
loading and scoring the candidates), the whole ``resolve_contact`` (the decision plus the
rows written and flushed by ``record_match``) and the transaction including its commit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from mostrador.bootstrap import bootstrap, settle_heap
from mostrador.core.errors import NotFound
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import ContactInput, IdentifierInput, queries
from mostrador.customers.resolving import match_contact, record_match
from mostrador.demo import seed_demo
from mostrador.demo.population import Person, generate_people
from mostrador.migrate import upgrade
from mostrador.settings import load_settings

END = date(2026, 6, 30)
SEED = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def returning_contact(person: Person, rng: random.Random) -> ContactInput:
    """A known person on another channel: their name and one identifier they used before."""
    ident = rng.choice(person.identifiers)
    return ContactInput(
        name=person.display_name,
        source_channel=ident.channel,
        identifiers=[
            IdentifierInput(kind=ident.kind, value=ident.value, source_channel=ident.channel)
        ],
    )


def new_contact(person: Person) -> ContactInput:
    return ContactInput(
        name=person.display_name,
        source_channel=person.identifiers[0].channel,
        identifiers=[
            IdentifierInput(kind=i.kind, value=i.value, source_channel=i.channel)
            for i in person.identifiers
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--reuse", action="store_true", help="use an already seeded database")
    parser.add_argument(
        "--new-seed",
        type=int,
        default=SEED + 1000,
        help="generator seed of the new people (change it when reusing a database, or the "
        "new people of the last run come back as known ones)",
    )
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'realtime.sqlite'}"
    runtime = bootstrap(load_settings(database_url=url, bus_url="memory://", log_level="WARNING"))
    upgrade(runtime.engine)
    with runtime.uow.read() as session:
        try:
            ws = WorkspaceId(workspace_queries.workspace_by_slug(session, "demo").id)
            stored = queries.count_customers(session, ws)
        except NotFound:
            stored = 0
    if stored == 0:
        if args.reuse:
            sys.exit("--reuse given but the database holds no demo business")
        started = time.perf_counter()
        last = [0]

        def report(done: int, total: int) -> None:
            if done - last[0] >= 50_000 or done == total:
                last[0] = done
                print(
                    f"  seeded {done:,}/{total:,} in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )

        seed_demo(runtime, customers=args.customers, months=24, seed=SEED, end=END, progress=report)
        print(f"seeded {args.customers:,} customers in {time.perf_counter() - started:.0f} s")
        with runtime.uow.read() as session:
            ws = WorkspaceId(workspace_queries.workspace_by_slug(session, "demo").id)
            stored = queries.count_customers(session, ws)
    print(
        f"database: {runtime.engine.url.render_as_string(hide_password=True)}; {stored:,} customers"
    )

    rng = random.Random(7)
    half = args.samples // 2
    known_numbers = set(rng.sample(range(stored), half))
    known = [
        p
        for p in generate_people(max(known_numbers) + 1, 24, SEED, end=END)
        if p.number in known_numbers
    ]
    fresh = list(generate_people(half, 24, args.new_seed, end=END))
    contacts = [("returning", returning_contact(p, rng)) for p in known] + [
        ("new", new_contact(p)) for p in fresh
    ]
    rng.shuffle(contacts)
    settle_heap()  # as `mostrador serve` does once loaded

    match_ms: dict[str, list[float]] = {"returning": [], "new": []}
    resolve_ms: dict[str, list[float]] = {"returning": [], "new": []}
    total_ms: dict[str, list[float]] = {"returning": [], "new": []}
    outcomes: dict[str, dict[str, int]] = {"returning": {}, "new": {}}
    by_outcome: dict[str, list[float]] = {}
    for kind, contact in contacts:
        started = time.perf_counter()
        with runtime.uow.transaction(ws, "bench") as tx:
            match = match_contact(tx, ws, contact)
            matched_at = time.perf_counter()
            resolved = record_match(tx, ws, match)
            tx.session.flush()
            resolved_at = time.perf_counter()
        finished = time.perf_counter()
        match_ms[kind].append((matched_at - started) * 1000)
        resolve_ms[kind].append((resolved_at - started) * 1000)
        total_ms[kind].append((finished - started) * 1000)
        outcomes[kind][resolved.outcome] = outcomes[kind].get(resolved.outcome, 0) + 1
        by_outcome.setdefault(resolved.outcome, []).append((resolved_at - started) * 1000)

    def line(label: str, values: list[float]) -> str:
        return (
            f"{label:<30} p50 {statistics.median(values):6.2f} ms"
            f"   p99 {percentile(values, 0.99):6.2f} ms"
            f"   max {max(values):7.2f} ms   (n={len(values)})"
        )

    for kind in ("returning", "new"):
        print(line(f"decision, {kind}", match_ms[kind]))
        print(line(f"resolve, {kind}", resolve_ms[kind]))
        print(line(f"with commit, {kind}", total_ms[kind]))
        print(f"  outcomes: {outcomes[kind]}")
    for outcome, values in sorted(by_outcome.items()):
        print(line(f"resolve, {outcome}", values))
    print(line("decision, all", match_ms["returning"] + match_ms["new"]))
    print(line("resolve, all", resolve_ms["returning"] + resolve_ms["new"]))
    print(line("with commit, all", total_ms["returning"] + total_ms["new"]))
    runtime.close()


if __name__ == "__main__":
    main()
