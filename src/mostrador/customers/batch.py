"""``mostrador identity resolve``: a CSV of contacts in, one customer id per record out.

Reads the whole file (UTF-8, with or without BOM), skips and reports malformed lines by
number, resolves the rest with the batch engine (``clustering.resolve_records``) and writes
``record_id,customer_id`` and, if asked, the suggested pairs below the automatic threshold.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import gc
import itertools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mostrador.core.errors import InvalidInput
from mostrador.customers.build import build_record
from mostrador.customers.clustering import resolve_records
from mostrador.customers.records import IdentityRecord, Key, RawRecord

__all__ = ["INPUT_COLUMNS", "BatchReport", "RawRecord", "read_input", "resolve_file"]

INPUT_COLUMNS = (
    "record_id",
    "source",
    "name",
    "phone",
    "email",
    "handle",
    "document",
    "city",
    "country",
    "address",
    "postcode",
    "birth_date",
)
_IDENTIFYING = ("name", "phone", "email", "handle", "document")
_PROGRESS_EVERY = 10_000
_MAX_EXAMPLES = 100
_CHUNK = 4096
# RawRecord's fields after record_id, in order: a line travels to the build workers as a
# plain tuple of strings (pickled several times faster than the dataclass).
_RAW_COLUMNS = tuple(f.name for f in dataclasses.fields(RawRecord))[1:]


@dataclass
class BatchReport:
    """What a run did: counts, the lines skipped and why, and a sample of warnings."""

    records_read: int = 0
    records_resolved: int = 0
    customers: int = 0
    suggestions: int = 0
    shared_identifiers: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    warnings: int = 0  # values ignored or weakened in accepted records
    warning_examples: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.records_resolved:,} records resolved into {self.customers:,} customers; "
            f"{self.suggestions:,} suggested pairs; {len(self.rejected):,} lines rejected; "
            f"{self.shared_identifiers:,} shared identifiers; {self.warnings:,} values ignored"
        )


def read_input(input_path: Path) -> tuple[list[tuple[int, RawRecord]], list[tuple[int, str]]]:
    """The well-formed lines of a contacts CSV as (line number, record), and the rejected ones.

    Same columns and rules as ``resolve_file``; raises ``InvalidInput`` if it cannot be read.
    """
    report = BatchReport()
    records = [(line, RawRecord(*fields)) for line, fields in _read(input_path, report)]
    return records, report.rejected


def resolve_file(
    input_path: Path,
    output_path: Path,
    suggestions_path: Path | None,
    default_country: str,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Resolve the contacts of ``input_path``; raises ``InvalidInput`` if it cannot be read."""
    with _without_cycle_collection():
        return _resolve_file(input_path, output_path, suggestions_path, default_country, progress)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector off for the run, back as it was afterwards.

    A big file makes millions of long-lived objects and no reference cycles: the collector
    would only walk them again and again (half the run time on a million records) and, in
    the forked workers, write to every page of the parent's memory it walks.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _resolve_file(
    input_path: Path,
    output_path: Path,
    suggestions_path: Path | None,
    default_country: str,
    progress: Callable[[int], None] | None,
) -> BatchReport:
    report = BatchReport()
    records: list[IdentityRecord] = []
    workers = _workers()
    for line, record, problems in _build_all(_read(input_path, report), default_country, workers):
        if record is None:
            report.rejected.append((line, "; ".join(problems)))
            continue
        records.append(record)
        if problems:
            report.warnings += len(problems)
            if len(report.warning_examples) < _MAX_EXAMPLES:
                report.warning_examples.extend((line, p) for p in problems)
        if progress and len(records) % _PROGRESS_EVERY == 0:
            progress(len(records))
    resolution = resolve_records(records, workers=workers)
    report.records_resolved = len(records)
    report.customers = len(set(resolution.cluster_of.values()))
    report.suggestions = len(resolution.suggestions)
    report.shared_identifiers = len(resolution.shared_keys)
    _write(
        output_path,
        ("record_id", "customer_id"),
        ((r.record_id, resolution.cluster_of[r.record_id]) for r in records),
    )
    if suggestions_path is not None:
        _write(
            suggestions_path,
            ("record_id_a", "record_id_b", "score"),
            ((a, b, f"{score:.1f}") for a, b, score in resolution.suggestions),
        )
    if progress:
        progress(len(records))
    return report


Fields = tuple[str, ...]  # record_id, then the values of _RAW_COLUMNS
Built = tuple[int, IdentityRecord | None, list[str]]
# An IdentityRecord as the build workers send it back: plain tuples and strings (the
# dataclasses pickle slowly, and the parent unpickles a million of them alone).
WireRecord = tuple[
    str,  # record_id
    str,  # source
    str,  # name
    tuple[str, ...],  # name_tokens
    tuple[tuple[str, str], ...],  # keys as (kind, value)
    tuple[str, ...],  # weak_documents
    tuple[str, ...],  # email_locals
    tuple[str, ...],  # email_typos
    str,  # city
    str,  # country
    str,  # address
    str,  # postcode
    date | None,  # birth_date
    tuple[str, ...],  # phone_variants
]


def _workers() -> int:
    """Processes for building and scoring: every core, where processes can be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _build_all(
    lines: Iterator[tuple[int, Fields]], default_country: str, workers: int
) -> Iterator[Built]:
    """``build_record`` on every line, in order; in ``workers`` processes for big files.

    Normalizing phones dominates the cost of a big file, so it is spread over the cores.
    """
    first = list(itertools.islice(lines, _CHUNK))
    if workers <= 1 or len(first) < _CHUNK:
        for line, fields in itertools.chain(first, lines):
            yield (line, *build_record(RawRecord(*fields), default_country))
        return
    chunks = itertools.chain([first], iter(lambda: list(itertools.islice(lines, _CHUNK)), []))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        build = functools.partial(_build_chunk, default_country=default_country)
        for built in pool.imap(build, chunks):
            for line, wire, problems in built:
                yield line, None if wire is None else _from_wire(wire), problems


def _build_chunk(
    chunk: list[tuple[int, Fields]], default_country: str
) -> list[tuple[int, WireRecord | None, list[str]]]:
    built = []
    for line, fields in chunk:
        record, problems = build_record(RawRecord(*fields), default_country)
        built.append((line, None if record is None else _to_wire(record), problems))
    return built


def _to_wire(r: IdentityRecord) -> WireRecord:
    return (
        r.record_id,
        r.source,
        r.name,
        r.name_tokens,
        tuple((key.kind, key.value) for key in r.keys),
        r.weak_documents,
        r.email_locals,
        r.email_typos,
        r.city,
        r.country,
        r.address,
        r.postcode,
        r.birth_date,
        r.phone_variants,
    )


def _from_wire(wire: WireRecord) -> IdentityRecord:
    """The record ``_to_wire`` sent; values repeated on every line are shared (interned)."""
    (record_id, source, name, tokens, keys, weak, locals_, typos) = wire[:8]
    city, country, address, postcode, birth_date, variants = wire[8:]
    intern = sys.intern
    return IdentityRecord(
        record_id=record_id,
        source=intern(source),
        name=name,
        name_tokens=tokens,
        keys=tuple(Key(intern(kind), value) for kind, value in keys),
        weak_documents=weak,
        email_locals=locals_,
        email_typos=typos,
        city=intern(city),
        country=intern(country),
        address=address,
        postcode=postcode,
        birth_date=birth_date,
        phone_variants=variants,
    )


def _read(path: Path, report: BatchReport) -> Iterator[tuple[int, Fields]]:
    """(line number, fields) of every well-formed line; the others go to ``report.rejected``."""
    try:
        handle = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except FileNotFoundError:
        raise InvalidInput(f"input file {path} does not exist", code="file_not_found") from None
    except OSError as error:
        raise InvalidInput(f"input file {path} cannot be read: {error.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        columns = _header(reader, path)
        width = len(columns)
        first_line: dict[str, int] = {}
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                report.rejected.append((line, f"not valid CSV: {error}"))
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            report.records_read += 1
            problem = _row_problem(row, width)
            if problem is None:
                values = dict(zip(columns, row, strict=False))
                record_id = values.get("record_id", "").strip()
                if not record_id:
                    problem = "record_id is empty"
                elif record_id in first_line:
                    problem = f"record_id {record_id!r} already on line {first_line[record_id]}"
                else:
                    first_line[record_id] = line
                    yield line, (record_id, *(values.get(c, "").strip() for c in _RAW_COLUMNS))
                    continue
            report.rejected.append((line, problem))


def _header(reader: Iterator[list[str]], path: Path) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{path} is empty: a header line is required") from None
    except csv.Error as error:
        raise InvalidInput(f"{path}: the header is not valid CSV ({error})") from None
    columns = [c.strip().lower() for c in header]
    if "record_id" not in columns:
        raise InvalidInput(
            f"{path}: the header has no record_id column "
            f"(expected columns: {', '.join(INPUT_COLUMNS)})",
            code="missing_column",
        )
    if not any(c in columns for c in _IDENTIFYING):
        raise InvalidInput(
            f"{path}: the header needs at least one of {', '.join(_IDENTIFYING)}",
            code="missing_column",
        )
    return columns


def _row_problem(row: list[str], width: int) -> str | None:
    if len(row) != width:
        return f"{len(row)} fields where the header has {width}"
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return "not valid UTF-8"
    return None


def _write(path: Path, header: tuple[str, ...], rows: Iterator[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
