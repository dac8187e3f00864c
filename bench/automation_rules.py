"""Events per second through 100 active rules, on the real consumer path.

    .venv/bin/python bench/automation_rules.py [--database-url sqlite:////tmp/rules_bench.db]
        [--events 2000] [--rules 100] [--matching 5]

The database is recreated and migrated; a workspace gets a store, a WhatsApp number and
``--events`` customer messages threaded into conversations (no consumers yet). Then
``--rules`` active rules on ``conversations.MessageReceived`` are created: ``--matching`` of
them match every message (and label the conversation), the others test channel, text,
customer tags and business hours and match none. Timed: ``automation.run_rules`` for every
recorded ``MessageReceived`` event, as the consumer calls it. Printed: events per second and
the rules' executions written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mostrador import automation, migrate, models_registry  # noqa: E402
from mostrador.automation.models import RuleExecution  # noqa: E402
from mostrador.bootstrap import bootstrap  # noqa: E402
from mostrador.channels.registry import adapters  # noqa: E402
from mostrador.conversations import AccountInput, actions, ingest, thread_all  # noqa: E402
from mostrador.core.clock import FixedClock  # noqa: E402
from mostrador.core.event_log import EventRecord  # noqa: E402
from mostrador.core.events import Envelope, deserialize_event  # noqa: E402
from mostrador.core.ids import EventId, WorkspaceId  # noqa: E402
from mostrador.core.workspaces import actions as workspace_actions  # noqa: E402
from mostrador.core.workspaces.schemas import LocationInput, WorkspaceInput  # noqa: E402
from mostrador.settings import load_settings  # noqa: E402

PHONE_NUMBER_ID = "106540352242922"
HOURS = {day: ["10:00-20:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}


def recreate(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def delivery(n: int, at: datetime) -> bytes:
    wa_id = f"54911{5000_0000 + n % 500:08d}"
    message = {
        "from": wa_id,
        "id": f"wamid.rules-{n}",
        "timestamp": str(int(at.timestamp())),
        "type": "text",
        "text": {"body": f"hola, consulta número {n}"},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "5491152630000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": f"Cliente {n % 500}"}, "wa_id": wa_id}],
        "messages": [message],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()  # fmt: skip


def rules(count: int, matching: int) -> list[automation.RuleInput]:
    found = []
    for n in range(count):
        if n < matching:
            conditions: dict[str, object] = {"field": "channel", "op": "eq", "value": "whatsapp"}
            actions_ = [{"type": "label", "labels": [f"regla-{n}"]}]
        else:
            conditions = {"all": [
                {"field": "channel", "op": "in", "value": ["whatsapp", "instagram"]},
                {"any": [{"field": "text", "op": "contains", "value": f"palabra-{n}"},
                         {"field": "customer.tags", "op": "contains", "value": f"tag-{n}"}]},
                {"field": "business_hours", "op": "eq", "value": n % 2 == 0},
            ]}  # fmt: skip
            actions_ = [{"type": "set_priority", "priority": "high"}]
        found.append(
            automation.RuleInput(
                name=f"regla {n}", trigger="conversations.MessageReceived",
                conditions=conditions, actions=actions_, position=n,
            )
        )  # fmt: skip
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="sqlite:////tmp/rules_bench.db")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--matching", type=int, default=5)
    args = parser.parse_args()
    recreate(args.database_url)
    models_registry.load_all()
    start = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tuesday noon in Buenos Aires
    clock = FixedClock(start)
    runtime = bootstrap(
        load_settings(database_url=args.database_url, log_level="WARNING"), clock=clock
    )
    migrate.upgrade(runtime.engine)
    ws = workspace_actions.create_workspace(runtime.uow, WorkspaceInput(
        slug="reglas", name="Reglas", country="AR", currency="ARS",
        time_zone="America/Argentina/Buenos_Aires"))  # fmt: skip
    workspace_id = WorkspaceId(ws.id)
    workspace_actions.open_location(runtime.uow, workspace_id, LocationInput.model_validate({
        "code": "PAL", "name": "Palermo", "kind": "store", "country": "AR",
        "time_zone": "America/Argentina/Buenos_Aires", "opening_hours": HOURS}))  # fmt: skip
    account = actions.add_channel(runtime.uow, workspace_id, AccountInput(
        kind="whatsapp", external_id=PHONE_NUMBER_ID, access_token="t", app_secret="s",
        verify_token="v"), actor="bench")  # fmt: skip
    adapter = adapters()["whatsapp"]
    for n in range(args.events):
        clock.set(start + timedelta(seconds=n * 20))
        body = delivery(n, clock.now())
        ingest(runtime.uow, "whatsapp", body, adapter.parse(body), {PHONE_NUMBER_ID: account})
    thread_all(runtime.uow)
    for rule in rules(args.rules, args.matching):
        automation.actions.create_rule(runtime.uow, workspace_id, rule, actor="bench")
    with runtime.uow.read() as session:
        records = session.scalars(
            select(EventRecord).where(EventRecord.type == "conversations.MessageReceived")
        ).all()
        envelopes = [
            Envelope(EventId(r.id), workspace_id, r.occurred_at, r.actor,
                     deserialize_event(r.type, r.version, r.payload))
            for r in records
        ]  # fmt: skip
    started = time.perf_counter()
    for envelope in envelopes:
        automation.run_rules(runtime.uow, envelope)
    elapsed = time.perf_counter() - started
    with runtime.uow.read() as session:
        written = session.scalar(select(func.count()).select_from(RuleExecution))
    backend = make_url(args.database_url).get_backend_name()
    print(f"{backend}: {len(envelopes)} events through {args.rules} active rules "
          f"({args.matching} matching each) in {elapsed:.1f} s = {len(envelopes) / elapsed:.0f} "
          f"events/s; {written} executions written")  # fmt: skip
    runtime.close()


if __name__ == "__main__":
    os.environ.setdefault("MOSTRADOR_LOG_LEVEL", "WARNING")
    main()
