"""The ``mostrador`` command, run as a real process: outputs and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from mostrador import __version__, migrate
from mostrador.core.db import make_engine
from tests.conftest import unavailable
from tests.support.nats import delete_stream


def run(
    args: list[str], *, db: str | None, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MOSTRADOR_") and k != "DATABASE_URL"
    }
    if db is not None:
        env["DATABASE_URL"] = db
    env.update(extra_env or {})
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "mostrador.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def create_workspace_args(name: str) -> list[str]:
    return [
        "workspace", "create", "--slug", "aurora", "--name", name,
        "--country", "AR", "--currency", "ARS", "--time-zone", "America/Argentina/Buenos_Aires",
    ]  # fmt: skip


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_version(fresh_db: str) -> None:
    result = run(["--version"], db=fresh_db)
    assert (result.returncode, result.stdout.strip()) == (0, f"mostrador {__version__}")


def test_operator_flow_upgrade_workspace_user_token(fresh_db: str) -> None:
    before = run(["token", "create", "--workspace", "aurora", "--role", "owner"], db=fresh_db)
    assert (
        one_error_line(before)
        == "error: the database schema is not up to date; run `mostrador db upgrade`"
    )

    upgraded = run(["db", "upgrade"], db=fresh_db)
    assert (upgraded.returncode, upgraded.stdout.strip()) == (
        0,
        f"database at revision {migrate.head_revision()}",
    )

    created = run(
        create_workspace_args("Casa Aurora"),
        db=fresh_db,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("workspace aurora created (")

    user = run(
        [
            "user",
            "create",
            "--workspace",
            "aurora",
            "--email",
            "ana@example.com",
            "--role",
            "agent",
        ],
        db=fresh_db,
        extra_env={"MOSTRADOR_NEW_PASSWORD": "secreto123"},
    )
    assert (user.returncode, user.stdout.strip()) == (0, "ana@example.com is now agent in aurora")

    token = run(["token", "create", "--workspace", "aurora", "--role", "agent"], db=fresh_db)
    assert token.returncode == 0, token.stderr
    assert token.stdout.startswith("mst_")
    assert len(token.stdout.strip()) == len("mst_") + 12 + 1 + 43

    missing = run(["token", "create", "--workspace", "nada", "--role", "owner"], db=fresh_db)
    assert one_error_line(missing) == "error: no workspace 'nada'"
    bad_role = run(["token", "create", "--workspace", "aurora", "--role", "king"], db=fresh_db)
    assert one_error_line(bad_role).startswith("error: unknown role 'king'")
    weak = run(
        ["user", "create", "--workspace", "aurora", "--email", "b@example.com", "--role", "agent"],
        db=fresh_db,
        extra_env={"MOSTRADOR_NEW_PASSWORD": "corta"},
    )
    assert one_error_line(weak).startswith(
        "error: password: String should have at least 8 characters"
    )
    no_password = run(
        ["user", "create", "--workspace", "aurora", "--email", "c@example.com", "--role", "agent"],
        db=fresh_db,
    )
    assert (
        one_error_line(no_password)
        == "error: no password given: use --password or MOSTRADOR_NEW_PASSWORD"
    )
    dup = run(
        create_workspace_args("X"),
        db=fresh_db,
    )
    assert one_error_line(dup) == "error: workspace 'aurora' already exists"


def test_unreachable_database_is_one_line_and_exit_2() -> None:
    result = run(["db", "upgrade"], db="postgresql://postgres@127.0.0.1:1/nothing")
    line = one_error_line(result)
    assert line.startswith(
        "error: database postgresql+psycopg://postgres@127.0.0.1:1/nothing is not reachable"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"MOSTRADOR_BUS_URL": "kafka://x"},
            "error: invalid settings: bus_url: Value error, unsupported bus 'kafka'; use memory:// or nats://HOST:4222",
        ),
        (
            {"DATABASE_URL": "mysql://root@localhost/x"},
            "error: DATABASE_URL uses 'mysql'; Mostrador runs on sqlite or postgresql",
        ),
        (
            {"MOSTRADOR_PORT": "ochenta"},
            "error: invalid settings: port: Input should be a valid integer, unable to parse string as an integer",
        ),
    ],
)
def test_bad_settings_are_one_line_and_exit_2(
    fresh_db: str, env: dict[str, str], expected: str
) -> None:
    assert one_error_line(run(["db", "upgrade"], db=fresh_db, extra_env=env)) == expected


def test_unreachable_bus_is_one_line_and_exit_2(fresh_db: str) -> None:
    result = run(
        ["db", "upgrade"], db=fresh_db, extra_env={"MOSTRADOR_BUS_URL": "nats://127.0.0.1:1"}
    )
    assert one_error_line(result).startswith("error: NATS at nats://127.0.0.1:1 is not reachable")


def test_the_worker_refuses_the_in_process_bus_and_relays_over_nats(fresh_db: str) -> None:
    assert run(["db", "upgrade"], db=fresh_db).returncode == 0
    refused = run(["worker", "--once"], db=fresh_db)
    assert one_error_line(refused) == (
        "error: the worker needs a shared bus (MOSTRADOR_BUS_URL=nats://HOST:4222); "
        "with the in-process bus, `mostrador serve` relays events itself"
    )
    stream = "TCLI" + uuid.uuid4().hex[:8].upper()
    bus = f"nats://127.0.0.1:4222?stream={stream}&prefix=t{stream.lower()}"
    relayed = run(["worker", "--once"], db=fresh_db, extra_env={"MOSTRADOR_BUS_URL": bus})
    if relayed.returncode == 2 and "not reachable" in relayed.stderr:
        unavailable("NATS is not reachable at 127.0.0.1:4222")
    delete_stream(stream)
    assert (relayed.returncode, relayed.stdout.strip()) == (0, "relayed 0 events")


def test_seed_creates_the_demo_business_once(fresh_db: str) -> None:
    assert run(["db", "upgrade"], db=fresh_db).returncode == 0
    seeded = run(["seed", "--customers", "40", "--months", "3", "--seed", "5"], db=fresh_db)
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.startswith("seeded workspace demo: 40 customers, ")
    assert "3 locations, 4 users in " in seeded.stdout
    again = run(["seed", "--customers", "40"], db=fresh_db)
    assert one_error_line(again) == "error: the demo business is already seeded (workspace 'demo')"
    token = run(["token", "create", "--workspace", "demo", "--role", "agent"], db=fresh_db)
    assert token.returncode == 0
    assert token.stdout.startswith("mst_")


RECORDS = """record_id,source,name,phone,email,handle,document,city,country
r1,whatsapp,María González,5491155551234,,,,Buenos Aires,AR
r2,store,MARIA GONZALEZ,011 15-5555-1234,maria.gonzalez@gmail.com,,30123456,CABA,AR
r3,web,González María,,mariagonzalez@gmail.com,,,,AR
r4,store,Juan Pérez,0351 15-444-1111,,,20123456,Córdoba,AR
r5,store,Juan Pérez,0351 15-444-2222,,,31987654,Córdoba,AR
r6,store,too,many,columns,here,x,y,z,w,v
r4,web,Duplicate Id,,,,,,
"""


def test_identity_resolve_writes_one_customer_per_person_and_reports_bad_lines(
    tmp_path: Path,
) -> None:
    source = tmp_path / "records.csv"
    source.write_text(RECORDS, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run(
        ["identity", "resolve", str(source), "--output", str(out), "--default-country", "AR"],
        db=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "line 7: 11 fields where the header has 9",
        "line 8: record_id 'r4' already on line 5",
    ]
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["record_id", "customer_id"]
    cluster = dict(rows[1:])
    assert sorted(cluster) == ["r1", "r2", "r3", "r4", "r5"]
    assert cluster["r1"] == cluster["r2"] == cluster["r3"]
    assert len({cluster["r1"], cluster["r4"], cluster["r5"]}) == 3


def test_identity_resolve_refuses_a_missing_file(tmp_path: Path) -> None:
    result = run(
        ["identity", "resolve", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "o.csv")],
        db=None,
    )
    assert one_error_line(result).startswith("error: ")
    assert not (tmp_path / "o.csv").exists()


def test_identity_import_loads_a_pos_export_through_resolution(
    fresh_db: str, tmp_path: Path
) -> None:
    assert run(["db", "upgrade"], db=fresh_db).returncode == 0
    assert run(create_workspace_args("Casa Aurora"), db=fresh_db).returncode == 0
    source = tmp_path / "pos.csv"
    source.write_text(RECORDS, encoding="utf-8")
    result = run(["identity", "import", str(source), "--workspace", "aurora"], db=fresh_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "3 created, 2 attached to existing customers, 0 with merge suggestions, 2 lines rejected"
    )
    found = run(["customers", "find", "--workspace", "aurora", "11 5555 1234"], db=fresh_db)
    assert found.returncode == 0
    (line,) = found.stdout.strip().splitlines()
    person = line.split("\t")[0]
    assert line.split("\t")[1] == "María González"

    consent = run(
        ["customers", "consent", "--workspace", "aurora", person, "--purpose", "marketing",
         "--withdraw", "--source", "mostrador"],
        db=fresh_db,
    )  # fmt: skip
    assert consent.stdout.strip() == "marketing on all: withdrawn"
    exported = run(["customers", "export", "--workspace", "aurora", person], db=fresh_db)
    document = json.loads(exported.stdout)
    # The counter's phone and the folded Gmail address were already known: seen again, not stored twice.
    assert sorted(i["raw_value"] for i in document["identifiers"]) == [
        "30123456",
        "5491155551234",
        "maria.gonzalez@gmail.com",
    ]
    bad = run(["customers", "merge", "--workspace", "aurora", person, "not-an-id"], db=fresh_db)
    assert one_error_line(bad) == "error: 'not-an-id' is not a customer id"


CATALOG = """product,sku,price,barcode,category,attributes,final_sale
Remera lisa,REM-M,1999.50,7790001000011,remeras,talle=M;color=negro,no
Remera lisa,REM-L,1999.50,,remeras,talle=L,no
Mate calabaza,MATE-1,"4500,00",,bazar,,si
Sin precio,X-1,,,,,
Mal flag,X-2,10,,,,quizás
Remera lisa,REM-M,1,,,,
"""


def test_catalog_import_then_export_round_trips_and_reports_bad_lines(
    fresh_db: str, tmp_path: Path
) -> None:
    migrate.upgrade(make_engine(fresh_db))
    assert run(create_workspace_args("Aurora"), db=fresh_db).returncode == 0
    source = tmp_path / "catalog.csv"
    source.write_text(CATALOG, encoding="utf-8")
    imported = run(["catalog", "import", str(source), "--workspace", "aurora"], db=fresh_db)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        "line 5: price '' is not a number",
        "line 6: final_sale 'quizás' is not yes or no",
        "line 7: SKU REM-M repeats line 2",
        "2 products and 3 variants created, 0 prices changed, 0 unchanged, 3 lines rejected",
    ]
    exported = run(["catalog", "export", "--workspace", "aurora"], db=fresh_db)
    assert exported.stdout == (
        "product,sku,price,barcode,category,attributes,final_sale\n"
        "Mate calabaza,MATE-1,4500.00,,bazar,,si\n"
        "Remera lisa,REM-L,1999.50,,remeras,talle=L,no\n"
        "Remera lisa,REM-M,1999.50,7790001000011,remeras,color=negro;talle=M,no\n"
    )
    repriced = tmp_path / "prices.csv"
    repriced.write_text("product,sku,price\nRemera lisa,REM-M,2100\nMate calabaza,MATE-1,4500\n")
    again = run(["catalog", "import", str(repriced), "--workspace", "aurora"], db=fresh_db)
    assert again.stdout.splitlines() == [
        "0 products and 0 variants created, 1 prices changed, 1 unchanged, 0 lines rejected"
    ]
    missing = run(
        ["catalog", "import", str(tmp_path / "nope.csv"), "--workspace", "aurora"], db=fresh_db
    )
    assert one_error_line(missing).startswith("error: cannot read")
