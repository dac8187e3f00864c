"""WhatsApp webhook ingestion on PostgreSQL, against a bare FastAPI endpoint on the same setup.

    .venv/bin/python bench/inbox_ingest.py [--database-url postgresql+psycopg://postgres@127.0.0.1/inbox_bench]
        [--senders 2000] [--deliveries 3000] [--batch 4] [--duplicates 0.1] [--statuses 0.3]
        [--concurrency 32] [--rate 300] [--rate-seconds 20] [--port 8765]

The database is dropped, created, migrated; a workspace gets one WhatsApp number. Then:

1. ``limit``: a bare FastAPI app (one POST answering ``{}``) under uvicorn, like ``serve``;
   ``--concurrency`` clients post signed bodies as fast as they can: requests per second.
2. ``burst``: ``mostrador serve`` (its inbox thread threads and sends) takes ``--deliveries``
   signed deliveries of ``--batch`` messages (plus duplicates of earlier deliveries and
   status-only deliveries) as fast as ``--concurrency`` clients post them; the clock stops
   when every new message is persisted AND threaded into a conversation. Messages per second.
3. ``steady``: new deliveries at ``--rate`` messages per second for ``--rate-seconds``:
   p50 / p99 of the 200 answer, and how far threading lags behind.

Senders are ``--senders`` customers who write repeatedly (the first message of each goes
through full identity resolution, later ones find the customer they already are).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mostrador import migrate, models_registry  # noqa: E402
from mostrador.bootstrap import bootstrap  # noqa: E402
from mostrador.conversations import AccountInput, actions  # noqa: E402
from mostrador.conversations.models import Message  # noqa: E402
from mostrador.core.db import make_engine  # noqa: E402
from mostrador.core.ids import WorkspaceId  # noqa: E402
from mostrador.core.workspaces import actions as workspace_actions  # noqa: E402
from mostrador.core.workspaces.schemas import WorkspaceInput  # noqa: E402
from mostrador.settings import load_settings  # noqa: E402

PHONE_NUMBER_ID = "106540352242922"
SECRET = "bench-app-secret"

BARE_APP = textwrap.dedent(
    """
    from fastapi import FastAPI, Request
    app = FastAPI()

    @app.post("/webhooks/whatsapp")
    async def deliver(request: Request) -> dict[str, int]:
        await request.body()
        return {}
    """
)


def recreate(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()


def prepare(url: str) -> None:
    runtime = bootstrap(load_settings(database_url=url, bus_url="memory://", log_level="WARNING"))
    ws = workspace_actions.create_workspace(
        runtime.uow,
        WorkspaceInput(
            slug="bench",
            name="Bench",
            country="AR",
            currency="ARS",
            time_zone="America/Argentina/Buenos_Aires",
        ),
    )
    actions.add_channel(
        runtime.uow,
        WorkspaceId(ws.id),
        AccountInput(
            kind="whatsapp",
            external_id=PHONE_NUMBER_ID,
            access_token="t",
            app_secret=SECRET,
            verify_token="v",
            api_url="http://127.0.0.1:9",
        ),
        actor="bench",
    )
    runtime.close()


def delivery(messages: list[tuple[str, str, str]], statuses: list[tuple[str, str]]) -> bytes:
    now = str(int(datetime.now(UTC).timestamp()))
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "5491152630000", "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        value["contacts"] = [
            {"profile": {"name": f"Cliente {wa[-4:]}"}, "wa_id": wa} for wa, _i, _t in messages
        ]
        value["messages"] = [
            {"from": wa, "id": wamid, "timestamp": now, "type": "text", "text": {"body": body}}
            for wa, wamid, body in messages
        ]
    if statuses:
        value["statuses"] = [
            {"id": wamid, "status": status, "timestamp": now, "recipient_id": "5491155550000"}
            for wamid, status in statuses
        ]
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


def signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


class Plan:
    """Deliveries with new messages, redeliveries and status-only deliveries, in order."""

    def __init__(
        self, senders: int, batch: int, duplicates: float, statuses: float, prefix: str
    ) -> None:
        self.senders, self.batch, self.prefix = senders, batch, prefix
        self.duplicates, self.statuses = duplicates, statuses
        self.sent: list[bytes] = []
        self.count = 0
        self.new_messages = 0

    def next(self) -> bytes:
        self.count += 1
        n = self.count
        if self.duplicates and self.sent and n % max(1, round(1 / self.duplicates)) == 0:
            return self.sent[n % len(self.sent)]
        if self.statuses and n % max(1, round(1 / self.statuses)) == 1:
            return delivery(
                [],
                [
                    (f"wamid.out.{self.prefix}.{n}.{k}", s)
                    for k, s in enumerate(("sent", "delivered", "read"))
                ],
            )
        items = []
        for k in range(self.batch):
            sender = 5491150000000 + (n * self.batch + k) % self.senders
            items.append(
                (
                    str(sender),
                    f"wamid.{self.prefix}.{n}.{k}",
                    f"Hola, consulta número {n}-{k} sobre un pedido",
                )
            )
        self.new_messages += len(items)
        body = delivery(items, [])
        self.sent.append(body)
        return body


async def hammer(url: str, bodies: list[bytes], concurrency: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def client() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                answer = await http.post(url, content=body, headers=signed(body))
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    raise RuntimeError(f"{answer.status_code}: {answer.text}")

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies


async def steady(url: str, plan: Plan, rate: float, seconds: float) -> list[float]:
    """Open loop: a delivery every batch/rate seconds, whatever the answers take."""
    latencies: list[float] = []
    interval = plan.batch / rate
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=200)) as http:

        async def one(body: bytes) -> None:
            started = time.perf_counter()
            answer = await http.post(url, content=body, headers=signed(body))
            latencies.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text

        tasks = []
        start = time.perf_counter()
        k = 0
        while time.perf_counter() - start < seconds:
            tasks.append(asyncio.create_task(one(plan.next())))
            k += 1
            await asyncio.sleep(max(0.0, start + k * interval - time.perf_counter()))
        await asyncio.gather(*tasks)
    return latencies


def serve(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


@functools.cache
def _engine(url: str) -> Any:
    return make_engine(url)


def threaded(url: str) -> tuple[int, int]:
    """Messages stored and messages threaded so far."""
    with _engine(url).connect() as conn:
        total = conn.execute(select(func.count()).select_from(Message)).scalar_one()
        done = conn.execute(
            select(func.count()).select_from(Message).where(Message.threaded_at.is_not(None))
        ).scalar_one()
    return int(total), int(done)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1/inbox_bench"
    )
    parser.add_argument("--senders", type=int, default=2000)
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--duplicates", type=float, default=0.1)
    parser.add_argument("--statuses", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--rate-seconds", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8765)
    opts = parser.parse_args()
    models_registry.load_all()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOSTRADOR_")}
    env |= {
        "DATABASE_URL": opts.database_url,
        "MOSTRADOR_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    url = f"http://127.0.0.1:{opts.port}/webhooks/whatsapp"

    bare_dir = Path(tempfile.mkdtemp(prefix="mostrador_bare_"))
    (bare_dir / "bare_app.py").write_text(BARE_APP)
    warm = Plan(opts.senders, opts.batch, 0, 0, "warm")
    bodies = [warm.next() for _ in range(opts.deliveries)]
    bare = serve(
        [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(opts.port),
         "--log-level", "warning", "--app-dir", str(bare_dir)],
        env, opts.port,
    )  # fmt: skip
    try:
        started = time.perf_counter()
        asyncio.run(hammer(url, bodies, opts.concurrency))
        bare_rps = len(bodies) / (time.perf_counter() - started)
    finally:
        bare.terminate()
        bare.wait()

    recreate(opts.database_url)
    prepare(opts.database_url)
    server = serve(
        [sys.executable, "-m", "mostrador.cli", "serve", "--port", str(opts.port)], env, opts.port
    )
    try:
        print(f"limit   bare FastAPI: {bare_rps:,.0f} requests/s ({opts.concurrency} clients)")
        expected = 0
        for label in ("burst-first", "burst-again"):
            # The first burst meets every sender for the first time (identity resolution);
            # the second has the same senders writing again.
            plan = Plan(opts.senders, opts.batch, opts.duplicates, opts.statuses, label)
            bodies = [plan.next() for _ in range(opts.deliveries)]
            expected += plan.new_messages
            started = time.perf_counter()
            latencies = asyncio.run(hammer(url, bodies, opts.concurrency))
            answered = time.perf_counter() - started
            while threaded(opts.database_url)[1] < expected:
                time.sleep(0.05)
            burst = time.perf_counter() - started
            rps = len(bodies) / answered
            print(
                f"{label}  {len(bodies)} deliveries, {plan.new_messages} new messages: "
                f"answered in {answered:.1f} s ({rps:,.0f} requests/s, ratio {rps / bare_rps:.2f} "
                f"to the bare endpoint), persisted and threaded in {burst:.1f} s = "
                f"{plan.new_messages / burst:,.0f} messages/s; "
                f"200 p50 {pct(latencies, 0.5):.1f} ms p99 {pct(latencies, 0.99):.1f} ms"
            )
        steady_plan = Plan(opts.senders, opts.batch, opts.duplicates, opts.statuses, "steady")
        latencies = asyncio.run(steady(url, steady_plan, opts.rate, opts.rate_seconds))
        sent_done = time.perf_counter()
        while True:
            _total, done = threaded(opts.database_url)
            if done >= expected + steady_plan.new_messages:
                break
            time.sleep(0.05)
        lag = time.perf_counter() - sent_done
        print(
            f"steady  {opts.rate:.0f} messages/s for {opts.rate_seconds:.0f} s "
            f"({len(latencies)} deliveries): 200 p50 {pct(latencies, 0.5):.1f} ms, "
            f"p99 {pct(latencies, 0.99):.1f} ms; threading caught up {lag:.1f} s "
            "after the last delivery"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
