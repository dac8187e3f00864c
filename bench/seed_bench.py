"""How long seeding the demo business takes, and how much memory it needs.

    python bench/seed_bench.py --customers 100000 --months 24 --seed 1
    python bench/seed_bench.py --customers 100000 --database-url postgresql://postgres@127.0.0.1/bench
    python bench/seed_bench.py --customers 20000 --generate-only   # the pure generator alone
    python bench/seed_bench.py --customers 20000 --profile          # top functions by own time

Without ``--database-url`` a fresh SQLite file in a temporary directory is migrated and
used. A PostgreSQL database given with ``--database-url`` is migrated and must not hold a
``demo`` workspace yet.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from mostrador.bootstrap import bootstrap
from mostrador.demo import seed_demo
from mostrador.demo.population import generate_people
from mostrador.migrate import upgrade
from mostrador.settings import load_settings

END = date(2026, 6, 30)  # fixed, so every run seeds the same people


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def progress_printer(every: int) -> Callable[[int, int], None]:
    """Print a line at every ``every`` customers (the CLI shows a bar instead)."""
    started = time.perf_counter()
    printed = 0

    def report(done: int, total: int) -> None:
        nonlocal printed
        if done == total or done - printed >= every:
            printed = done
            elapsed = time.perf_counter() - started
            print(f"  {done:>9,}/{total:,} customers  {elapsed:7.1f} s", file=sys.stderr)

    return report


def run_generator(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    identifiers = sum(
        len(p.identifiers) for p in generate_people(args.customers, args.months, args.seed, end=END)
    )
    elapsed = time.perf_counter() - started
    print(f"generated {args.customers:,} people ({identifiers:,} identifiers) in {elapsed:.1f} s")
    print(f"  {args.customers / elapsed:,.0f} people/s, peak RSS {peak_rss_mib():.0f} MiB")


def run_seed(args: argparse.Namespace, database_url: str) -> None:
    runtime = bootstrap(load_settings(database_url=database_url, log_level="WARNING"))
    try:
        upgrade(runtime.engine)
        progress = progress_printer(max(args.customers // 10, 1))
        started = time.perf_counter()
        report = seed_demo(
            runtime,
            customers=args.customers,
            months=args.months,
            seed=args.seed,
            end=END,
            progress=progress,
        )
        elapsed = time.perf_counter() - started
    finally:
        runtime.close()
    print(
        f"seeded {report.customers:,} customers, {report.identifiers:,} identifiers, "
        f"{report.products} products, {report.orders:,} past orders"
    )
    print(f"  wall time      {elapsed:8.1f} s  ({report.customers / elapsed:,.0f} customers/s)")
    print(f"  peak RSS       {peak_rss_mib():8.0f} MiB")
    database = runtime.engine.url.database
    if runtime.engine.url.get_backend_name() == "sqlite" and database:
        size = sum(p.stat().st_size for p in Path(database).parent.glob(Path(database).name + "*"))
        print(f"  SQLite size    {size / 2**20:8.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp directory")
    parser.add_argument("--generate-only", action="store_true", help="time the generator alone")
    parser.add_argument("--profile", action="store_true", help="print the top 25 functions")
    args = parser.parse_args()
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} CPUs; "
        f"{args.customers:,} customers, {args.months} months, seed {args.seed}"
    )
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    if args.generate_only:
        run_generator(args)
    elif args.database_url:
        run_seed(args, args.database_url)
    else:
        with tempfile.TemporaryDirectory(prefix="mostrador-bench-") as directory:
            run_seed(args, f"sqlite:///{directory}/bench.sqlite")
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
