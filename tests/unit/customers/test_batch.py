"""``identity resolve`` on files: outputs, malformed lines by number, unreadable input."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from mostrador.core.errors import InvalidInput
from mostrador.customers import batch
from mostrador.customers.batch import resolve_file
from mostrador.customers.records import IdentityRecord, Key

INPUT = (
    "record_id,source,name,phone,email,handle,document,city,country,notes\n"
    "w1,whatsapp,Mari,5491155551234,,,,,,extra columns are ignored\n"
    's1,store,"GONZALEZ, MARIA",011 15-5555-1234,,,,Córdoba,AR,\n'
    "s2,store,Juan Pérez,,,,30.123.456,,AR,\n"
    "s1,store,Duplicated Id,,,,,,,\n"
    ",store,No Id,,,,,,,\n"
    "x1,store,Too,Many,Fields,,,,,,,\n"
    "x2,store,,12,,,,,,\n"
    "\n"
    "j1,web,Jimena Ríos,11 5555-9876,,,,,,\n"
    "j2,whatsapp,,5491155559876,,,,,,\n"
)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_outputs_and_malformed_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(INPUT, encoding="utf-8")
    output, pairs = tmp_path / "out.csv", tmp_path / "pairs.csv"
    seen: list[int] = []
    report = resolve_file(source, output, pairs, "AR", progress=seen.append)
    assert read(output).splitlines() == [
        "record_id,customer_id",
        "w1,s1",
        "s1,s1",
        "s2,s2",
        "j1,j1",
        "j2,j2",
    ]
    assert read(pairs).splitlines() == ["record_id_a,record_id_b,score", "j1,j2,10.3"]
    assert report.rejected == [
        (5, "record_id 's1' already on line 3"),
        (6, "record_id is empty"),
        (7, "12 fields where the header has 10"),
        (8, "phone '12' is not a valid number; no usable name or identifier"),
    ]
    assert (report.records_read, report.records_resolved, report.customers) == (9, 5, 4)
    assert report.suggestions == 1
    assert seen == [5]


def test_utf8_with_bom_and_only_some_columns(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        "\ufeffRecord_ID,Name,Email\n1,Ana Paz,ana@paz.com.ar\n2,ANA PAZ,Ana@Paz.com.ar\n".encode()
    )
    output = tmp_path / "out.csv"
    report = resolve_file(source, output, None, "AR")
    assert read(output).splitlines() == ["record_id,customer_id", "1,1", "2,1"]
    assert report.rejected == []


def test_a_line_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"record_id,name\n1,Ana\n2,Jos\xe9\n")
    report = resolve_file(source, tmp_path / "out.csv", None, "AR")
    assert report.rejected == [(3, "not valid UTF-8")]


def test_missing_file_or_header_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        resolve_file(tmp_path / "nope.csv", tmp_path / "out.csv", None, "AR")
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,Ana\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no record_id column"):
        resolve_file(source, tmp_path / "out.csv", None, "AR")
    source.write_text("", encoding="utf-8")
    with pytest.raises(InvalidInput, match="header line is required"):
        resolve_file(source, tmp_path / "out.csv", None, "AR")
    assert not (tmp_path / "out.csv").exists()


def test_build_workers_give_the_same_files_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a file split into chunks of 2 lines, when it is built by 2 forked workers and
    # then in this process alone, then both runs write the same files and the same report.
    source = tmp_path / "in.csv"
    source.write_text(INPUT, encoding="utf-8")
    monkeypatch.setattr(batch, "_CHUNK", 2)
    runs = []
    for workers in (2, 1):
        monkeypatch.setattr(batch, "_workers", lambda workers=workers: workers)
        output, pairs = tmp_path / f"out{workers}.csv", tmp_path / f"pairs{workers}.csv"
        report = resolve_file(source, output, pairs, "AR")
        runs.append((read(output), read(pairs), report.customers, report.warnings))
    assert runs[0] == runs[1]
    assert runs[0][0].splitlines()[1:3] == ["w1,s1", "s1,s1"]


def test_a_record_crosses_the_process_boundary_whole() -> None:
    record = IdentityRecord(
        record_id="r1",
        source="store",
        name="María Paz",
        name_tokens=("maria", "paz"),
        keys=(Key("phone", "+541155551234"), Key("email", "maria@paz.com")),
        weak_documents=("1234567",),
        email_locals=("maria",),
        email_typos=("maria@gmail.com",),
        city="cordoba",
        country="AR",
        address="colon 1234",
        postcode="5000",
        birth_date=date(1980, 1, 2),
        phone_variants=("+5491155551234",),
    )
    sent = batch._to_wire(record)
    assert batch._from_wire(sent) == record
    # every field but ``extras`` (never set by a file) is sent
    assert len(sent) == len(dataclasses.fields(IdentityRecord)) - 1
