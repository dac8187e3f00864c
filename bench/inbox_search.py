"""The inbox list and message search over millions of messages.

    .venv/bin/python bench/inbox_search.py [--database-url sqlite:////tmp/inbox5m.sqlite]
        [--messages 5000000] [--per-conversation 10] [--customers 200000] [--queries 300]


Seeds (unless an earlier run did) one workspace with ``--customers`` customers and
``--messages`` messages in conversations of ``--per-conversation`` messages, written in
bulk with their search index rows (texts drawn from a shop's vocabulary, so words have a
realistic spread: a product name matches thousands, a surname a handful). Then times, over
``--queries`` runs each, what the inbox does on every screen: the first page of open
conversations, a page filtered by agent, a customer's conversations, a conversation's
messages, and full-text search for a common word, a rare word and two words.
Prints p50 / p99 in milliseconds for each.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mostrador import migrate, models_registry  # noqa: E402
from mostrador.bootstrap import bootstrap  # noqa: E402
from mostrador.conversations import AccountInput, InboxFilter, actions, queries  # noqa: E402
from mostrador.conversations.models import Conversation, Message  # noqa: E402
from mostrador.conversations.search import index_messages  # noqa: E402
from mostrador.core.db import refresh_statistics  # noqa: E402
from mostrador.core.ids import WorkspaceId, uuid7  # noqa: E402
from mostrador.core.workspaces import actions as workspace_actions  # noqa: E402
from mostrador.core.workspaces import queries as workspace_queries  # noqa: E402
from mostrador.core.workspaces.models import User  # noqa: E402
from mostrador.core.workspaces.schemas import UserInput, WorkspaceInput  # noqa: E402
from mostrador.customers import Customer  # noqa: E402
from mostrador.settings import load_settings  # noqa: E402

PRODUCTS = [
    "zapatillas",
    "campera",
    "remera",
    "jean",
    "buzo",
    "mochila",
    "mate",
    "termo",
    "medias",
    "vestido",
    "pollera",
    "camisa",
    "gorra",
    "bufanda",
    "cinturón",
    "sandalias",
    "botas",
    "short",
    "malla",
    "pijama",
    "toalla",
    "sábana",
    "almohada",
]
WORDS = [
    "hola",
    "buenas",
    "tienen",
    "stock",
    "talle",
    "color",
    "precio",
    "envío",
    "retiro",
    "sucursal",
    "pedido",
    "cambio",
    "devolución",
    "factura",
    "cuotas",
    "transferencia",
    "tarjeta",
    "gracias",
    "consulta",
    "disponible",
    "mañana",
    "sábado",
    "horario",
    "palermo",
    "belgrano",
    "rosario",
    "córdoba",
    "mendoza",
    "azul",
    "negro",
    "blanco",
    "rojo",
    "verde",
    "grande",
    "chico",
    "mediano",
    "llegó",
    "falla",
    "roto",
    "urgente",
    "reclamo",
    "seguimiento",
    "código",
]
SURNAMES = [f"apellido{n:05d}" for n in range(20000)]  # rare words: one in ~10k messages


def text_for(rng: random.Random) -> str:
    words = [*rng.sample(WORDS, 5), rng.choice(PRODUCTS)]
    if rng.random() < 0.05:
        words.append(rng.choice(SURNAMES))
    rng.shuffle(words)
    return " ".join(words).capitalize() + "?"


def seed(url: str, messages: int, per_conversation: int, customers: int) -> WorkspaceId:
    runtime = bootstrap(load_settings(database_url=url, bus_url="memory://", log_level="WARNING"))
    migrate.upgrade(runtime.engine)
    with runtime.uow.read() as session:
        found = [w for w in workspace_queries.all_workspaces(session) if w.slug == "search"]
    if found:
        runtime.close()
        return WorkspaceId(found[0].id)
    ws = workspace_actions.create_workspace(
        runtime.uow,
        WorkspaceInput(
            slug="search",
            name="Search",
            country="AR",
            currency="ARS",
            time_zone="America/Argentina/Buenos_Aires",
        ),
    )
    workspace_id = WorkspaceId(ws.id)
    agents = [
        workspace_actions.add_member(
            runtime.uow,
            workspace_id,
            UserInput(
                email=f"agente{n}@bench.example",
                name=f"Agente {n}",
                password="contraseña-bench",
                role="agent",
            ),
        )
        for n in range(10)
    ]
    account = actions.add_channel(
        runtime.uow,
        workspace_id,
        AccountInput(
            kind="whatsapp", external_id="1065", access_token="x", app_secret="y", verify_token="z"
        ),
        actor="bench",
    )
    rng = random.Random(5)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    span = (now - start).total_seconds()
    people = [uuid7() for _ in range(customers)]
    with runtime.uow.transaction(workspace_id, actor="bench") as tx:
        for k in range(0, customers, 10000):
            tx.session.execute(
                insert(Customer),
                [
                    {
                        "id": c,
                        "workspace_id": workspace_id,
                        "display_name": f"Cliente {n}",
                        "language": "es",
                        "country": "AR",
                        "attributes": {},
                        "created_at": start,
                        "updated_at": start,
                        "tags": [],
                        "status": "active",
                    }
                    for n, c in enumerate(people[k : k + 10000], start=k)
                ],
            )
    conversations = messages // per_conversation
    started = time.perf_counter()
    for k in range(0, conversations, 5000):
        conversation_rows: list[dict[str, Any]] = []
        message_rows: list[dict[str, Any]] = []
        for _ in range(min(5000, conversations - k)):
            cid = uuid7()
            customer = rng.choice(people)
            at = start + timedelta(seconds=rng.random() * span)
            for i in range(per_conversation):
                at += timedelta(minutes=rng.randrange(1, 90))
                inbound = i % 2 == 0
                message_rows.append(
                    {
                        "id": uuid7(),
                        "workspace_id": workspace_id,
                        "account_id": account.id,
                        "channel": "whatsapp",
                        "provider_message_id": f"wamid.{cid.hex}.{i}",
                        "direction": "inbound" if inbound else "outbound",
                        "kind": "text",
                        "text": text_for(rng),
                        "subject": None,
                        "attachments": [],
                        "extra": {},
                        "address": str(customer.int % 10**12),
                        "sender_name": None,
                        "contact": {},
                        "reply_to": None,
                        "thread_refs": [],
                        "author_id": None,
                        "author_kind": "customer" if inbound else "agent",
                        "conversation_id": cid,
                        "customer_id": customer,
                        "status": "read",
                        "status_at": at,
                        "error_code": None,
                        "error_reason": None,
                        "sent_at": at,
                        "created_at": at,
                        "threaded_at": at,
                        "thread_failures": 0,
                        "delivery_id": None,
                    }
                )
            resolved = at < now - timedelta(days=3) or rng.random() < 0.7
            conversation_rows.append(
                {
                    "id": cid,
                    "workspace_id": workspace_id,
                    "customer_id": customer,
                    "status": "resolved"
                    if resolved
                    else rng.choice(("open", "open", "pending", "snoozed")),
                    "priority": "normal",
                    "assignee_id": rng.choice(agents).id,
                    "team_id": None,
                    "snoozed_until": None,
                    "last_account_id": account.id,
                    "last_channel": "whatsapp",
                    "last_inbound_at": at,
                    "last_message_at": at,
                    "last_preview": message_rows[-1]["text"][:200],
                    "message_count": per_conversation,
                    "awaiting_reply_since": None,
                    "first_response_at": at,
                    "opened_at": at,
                    "resolved_at": at if resolved else None,
                    "merged_into_id": None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        with runtime.uow.transaction(workspace_id, actor="bench") as tx:
            tx.session.execute(insert(Conversation), conversation_rows)
            tx.session.execute(insert(Message), message_rows)
            index_messages(
                tx.session, workspace_id, [(m["id"], m["text"]) for m in message_rows], "es"
            )
        done = (k + len(conversation_rows)) * per_conversation
        rate = done / (time.perf_counter() - started)
        print(f"\rseeded {done:,} messages ({rate:,.0f}/s)", end="", flush=True)
    print()
    refresh_statistics(runtime.engine)
    runtime.close()
    return workspace_id


def timed(label: str, runs: int, call: Callable[[int], Any]) -> None:
    samples = []
    for n in range(runs):
        started = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    print(f"{label:<34} p50 {statistics.median(samples):7.1f} ms   p99 {p99:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="sqlite:////tmp/inbox5m.sqlite")
    parser.add_argument("--messages", type=int, default=5_000_000)
    parser.add_argument("--per-conversation", type=int, default=10)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=300)
    opts = parser.parse_args()
    models_registry.load_all()
    workspace_id = seed(opts.database_url, opts.messages, opts.per_conversation, opts.customers)
    runtime = bootstrap(
        load_settings(database_url=opts.database_url, bus_url="memory://", log_level="WARNING")
    )
    rng = random.Random(11)
    with runtime.uow.read() as session:
        total = session.scalar(
            select(func.count()).select_from(Message).where(Message.workspace_id == workspace_id)
        )
        agents = list(session.scalars(select(User.id).where(User.email.like("agente%"))))
        sample = list(
            session.execute(select(Conversation.id, Conversation.customer_id).limit(2000))
        )
    print(f"{total:,} messages")

    def page(where: InboxFilter) -> None:
        with runtime.uow.read() as session:
            found = queries.conversations(session, workspace_id, where)
            ids = [c.id for c in found]
            queries.channels_of(session, ids)
            queries.labels_of(session, ids)

    def search(words: Callable[[int], str]) -> Callable[[int], None]:
        def run(n: int) -> None:
            with runtime.uow.read() as session:
                queries.search_messages(session, workspace_id, words(n), limit=50)

        return run

    def thread(n: int) -> None:
        with runtime.uow.read() as session:
            queries.messages(session, workspace_id, sample[n % len(sample)][0])

    runs = opts.queries
    timed("open conversations, first page", runs, lambda n: page(InboxFilter(status="open")))
    timed(
        "one agent's open conversations",
        runs,
        lambda n: page(InboxFilter(status="open", assignee_id=agents[n % len(agents)])),
    )
    timed(
        "one customer's conversations",
        runs,
        lambda n: page(InboxFilter(customer_id=sample[n % len(sample)][1])),
    )
    timed("a conversation's messages", runs, thread)
    timed("search a product (common)", runs, search(lambda n: PRODUCTS[n % len(PRODUCTS)]))
    timed("search a surname (rare)", runs, search(lambda n: SURNAMES[rng.randrange(len(SURNAMES))]))
    timed(
        "search two words",
        runs,
        search(lambda n: f"{PRODUCTS[n % len(PRODUCTS)]} {WORDS[n % len(WORDS)]}"),
    )
    runtime.close()


if __name__ == "__main__":
    main()
