"""Writes the demo's inbox: connected channels and the planned conversations, threaded to
the demo customers (written in bulk: the plan already knows who each customer is)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from mostrador.bootstrap import Runtime
from mostrador.conversations import AccountInput, ChannelAccount, actions
from mostrador.conversations.csat import parse_csat_reply
from mostrador.conversations.models import Conversation, CsatSurvey, Message
from mostrador.conversations.search import index_messages
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.demo.conversation_plan import PlannedConversation, plan_conversations
from mostrador.demo.population import Person

ACTOR = "demo:seed"
DEMO_ACCOUNTS = (
    AccountInput(kind="whatsapp", external_id="100000000000001", name="WhatsApp Moda Sur",
                 access_token="demo", app_secret="demo-app-secret", verify_token="demo-verify"),
    AccountInput(kind="instagram", external_id="17841400000000099", name="Instagram @modasur",
                 access_token="demo", app_secret="demo-app-secret", verify_token="demo-verify"),
    AccountInput(kind="email", external_id="hola@modasur.example", name="hola@modasur.example",
                 options={"smtp_host": "127.0.0.1", "smtp_port": "2525", "smtp_starttls": "false",
                          "from_address": "hola@modasur.example", "from_name": "Moda Sur"}),
    AccountInput(kind="webchat", external_id="modasur", name="Chat de la tienda online",
                 app_secret="demo-chat-secret"),
)  # fmt: skip
BATCH = 500
Rows = tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]


def address_on(person: Person, channel: str) -> str | None:
    wanted = {
        "whatsapp": ("whatsapp_id", "phone"),
        "instagram": ("instagram",),
        "email": ("email",),
    }
    if channel == "webchat":
        return f"v_demo_{person.number:06d}"
    for kind in wanted[channel]:
        for ident in person.identifiers:
            if ident.kind == kind:
                value = ident.value.strip()
                if channel == "whatsapp":
                    digits = "".join(ch for ch in value if ch.isdigit())
                    return digits if len(digits) >= 8 else None
                return value.lstrip("@").lower()
    return None


def _rows(
    plan: PlannedConversation,
    person: Person,
    customer_id: uuid.UUID,
    account: ChannelAccount,
    workspace_id: WorkspaceId,
    now: datetime,
) -> Rows | None:
    address = address_on(person, plan.channel)
    if address is None:
        return None
    conversation_id = new_id()
    first, last = plan.messages[0], plan.messages[-1]
    replies = [m for m in plan.messages if not m.inbound]
    messages: list[dict[str, Any]] = [
        {
            "id": new_id(), "workspace_id": workspace_id, "account_id": account.id,
            "channel": plan.channel, "provider_message_id": f"demo.{conversation_id.hex}.{i}",
            "direction": "inbound" if m.inbound else "outbound", "kind": "text", "text": m.text,
            "subject": None, "attachments": [], "extra": {}, "address": address,
            "sender_name": person.display_name if m.inbound else None,
            "contact": {"address": address},
            "reply_to": None, "thread_refs": [], "author_id": None,
            "author_kind": "customer" if m.inbound else "agent", "conversation_id": conversation_id,
            "customer_id": customer_id, "status": "received" if m.inbound else "read",
            "status_at": m.at, "error_code": None, "error_reason": None, "sent_at": m.at,
            "created_at": m.at, "threaded_at": m.at, "thread_failures": 0, "delivery_id": None,
        }
        for i, m in enumerate(plan.messages)
    ]  # fmt: skip
    waiting = last.at if last.inbound and plan.resolved_at is None else None
    conversation = {
        "id": conversation_id, "workspace_id": workspace_id, "customer_id": customer_id,
        "status": "resolved" if plan.resolved_at else "open", "priority": "normal",
        "assignee_id": None, "team_id": None, "snoozed_until": None, "last_account_id": account.id,
        "last_channel": plan.channel,
        "last_inbound_at": max(m.at for m in plan.messages if m.inbound),
        "last_message_at": last.at, "last_preview": last.text[:200], "message_count": len(messages),
        "awaiting_reply_since": waiting, "first_response_at": replies[0].at if replies else None,
        "opened_at": first.at, "resolved_at": plan.resolved_at, "merged_into_id": None,
        "created_at": first.at, "updated_at": plan.resolved_at or last.at,
    }  # fmt: skip
    survey = None
    if plan.csat_reply is not None and plan.resolved_at is not None:
        survey = {
            "id": new_id(), "workspace_id": workspace_id, "conversation_id": conversation_id,
            "customer_id": customer_id, "channel": plan.channel, "sent_at": plan.resolved_at,
            "score": parse_csat_reply(plan.csat_reply), "reply_text": plan.csat_reply,
            "answered_at": plan.resolved_at,
        }  # fmt: skip
    return conversation, messages, survey


def seed_inbox(
    runtime: Runtime,
    workspace_id: WorkspaceId,
    people: Iterable[Person],
    customer_ids: Mapping[int, uuid.UUID],
    *,
    now: datetime,
    seed: int,
    language: str = "es",
) -> int:
    """Connect the demo channels and write their conversations; returns how many."""
    accounts = {
        data.kind: actions.add_channel(runtime.uow, workspace_id, data, actor=ACTOR)
        for data in DEMO_ACCOUNTS
    }
    by_number = {p.number: p for p in people}
    facts = [(p.number, p.language, p.channels, p.first_seen) for p in by_number.values()]
    written = 0
    pending: list[Rows] = []
    for plan in plan_conversations(facts, now, seed):
        rows = _rows(
            plan,
            by_number[plan.customer_number],
            customer_ids[plan.customer_number],
            accounts[plan.channel],
            workspace_id,
            now,
        )
        if rows is not None:
            pending.append(rows)
        if len(pending) >= BATCH:
            written += _write(runtime, workspace_id, pending, language)
            pending = []
    return written + _write(runtime, workspace_id, pending, language)


def _write(
    runtime: Runtime,
    workspace_id: WorkspaceId,
    batch: list[Rows],
    language: str,
) -> int:
    if not batch:
        return 0
    with runtime.uow.transaction(workspace_id, actor=ACTOR) as tx:
        tx.session.execute(insert(Conversation), [c for c, _m, _s in batch])
        messages = [m for _c, ms, _s in batch for m in ms]
        tx.session.execute(insert(Message), messages)
        surveys = [s for _c, _m, s in batch if s is not None]
        if surveys:
            tx.session.execute(insert(CsatSurvey), surveys)
        index_messages(tx.session, workspace_id, [(m["id"], m["text"]) for m in messages], language)
    return len(batch)
