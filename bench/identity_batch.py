"""Time and peak memory of ``identity resolve`` on a large file of Latin American contacts.

The records come from the same generator as ``identity_latam.py`` (demo people, every
channel's view of them, relatives, company inboxes, namesakes), written once to a CSV
(kept in ``--cache`` for later runs). Resolution runs in a fresh child process so that its
peak RSS is its own: the figure is that process's ``ru_maxrss``.

    python bench/identity_batch.py --records 1000000 [--seed 3] [--cache /tmp/identity-bench]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from identity_latam import generate_rows, pairwise, write_rows

_RECORDS_PER_PERSON = 1.62  # what the generator makes on average, to size the people count


def _resolve_in_child(source: Path, output: Path, pairs: Path) -> None:
    started = time.perf_counter()
    from mostrador.customers.batch import resolve_file

    report = resolve_file(source, output, pairs, default_country="AR")
    elapsed = time.perf_counter() - started
    print(
        f"resolved {report.records_resolved:,} records into {report.customers:,} customers, "
        f"{report.suggestions:,} suggestions, {report.shared_identifiers:,} shared identifiers, "
        f"{len(report.rejected):,} rejected lines in {elapsed:.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "id-bench")
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _resolve_in_child(*args.child)
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    source = args.cache / f"contacts-{args.records}-{args.seed}.csv"
    truth_path = args.cache / f"truth-{args.records}-{args.seed}.tsv"
    if not source.exists() or not truth_path.exists():
        started = time.perf_counter()
        people = int(args.records / _RECORDS_PER_PERSON) + 1000
        rows = itertools.islice(generate_rows(people, args.seed), args.records)
        truth = write_rows(rows, source)
        truth_path.write_text("".join(f"{r}\t{p}\n" for r, p in truth.items()))
        print(f"generated {len(truth):,} records in {time.perf_counter() - started:.0f} s")
    output, pairs = args.cache / "out.csv", args.cache / "pairs.csv"
    started = time.perf_counter()
    child = [sys.executable, __file__, "--child", str(source), str(output), str(pairs)]
    subprocess.run(child, check=True)  # noqa: S603 - our own interpreter and script
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    truth = dict(line.split("\t") for line in truth_path.read_text().splitlines())
    figures = pairwise(truth, output)
    print(
        f"{figures['records']:,} records: wall {wall:.1f} s (child process, imports included), "
        f"peak RSS {peak:,.0f} MiB; precision {figures['precision']:.4f} "
        f"recall {figures['recall']:.4f} F1 {figures['f1']:.4f}, "
        f"{figures['clusters_mixing_people']:,} clusters mixing people"
    )


if __name__ == "__main__":
    main()
