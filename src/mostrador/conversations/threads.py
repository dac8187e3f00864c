"""Threading: every stored message joins its customer's one conversation.

A new message joins the customer's open conversation (any channel), reopens the last one
if it was resolved within the workspace's window, or starts a new one. Runs after the
webhook was answered, in batches, and is idempotent: a message is taken only while its
``threaded_at`` is empty, under a row lock (PostgreSQL) or the write lock (SQLite).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from mostrador.conversations import callbacks, hub, search, sla_clocks, surveys
from mostrador.conversations.contacts import customer_for
from mostrador.conversations.events import ConversationOpened, MessageReceived
from mostrador.conversations.models import ChannelAccount, Conversation, Message
from mostrador.conversations.settings import inbox_settings
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import canonical_id, group_ids

log = logging.getLogger(__name__)

BATCH = 100
# A message whose threading failed this often waits for an engineer (it is kept, not lost).
MAX_FAILURES = 5
PREVIEW = 200


def latest_conversation(
    tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID
) -> Conversation | None:
    """The customer's most recent conversation (across their merged profiles)."""
    people = group_ids(tx.session, workspace_id, customer_id)
    return tx.session.scalars(
        select(Conversation)
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.customer_id.in_(people),
            Conversation.merged_into_id.is_(None),
        )
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(1)
    ).first()


def new_conversation(
    tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID, message: Message
) -> Conversation:
    conversation = Conversation(
        id=new_id(),
        workspace_id=workspace_id,
        customer_id=customer_id,
        status="open",
        priority="normal",
        assignee_id=None,
        team_id=None,
        snoozed_until=None,
        last_account_id=message.account_id,
        last_channel=message.channel,
        last_inbound_at=None,
        last_message_at=message.sent_at,
        last_preview="",
        message_count=0,
        awaiting_reply_since=None,
        first_response_at=None,
        opened_at=message.sent_at,
        resolved_at=None,
        merged_into_id=None,
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(conversation)
    tx.session.flush()
    return conversation


def place(
    tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID, message: Message
) -> tuple[Conversation, str]:
    """The conversation a message belongs to and how: joined, reopened, started, or
    ``answer`` when it is the customer's reply to a satisfaction survey."""
    current = latest_conversation(tx, workspace_id, customer_id)
    inbound = message.direction == "inbound"
    if current is None:
        return new_conversation(tx, workspace_id, customer_id, message), "started"
    if current.status != "resolved" or not inbound:
        if inbound and surveys.is_answer(tx, current, message):
            return current, "answer"  # an NPS or CES asked while the conversation was open
        return current, "joined"
    if surveys.is_answer(tx, current, message):
        return current, "answer"
    window = timedelta(hours=inbox_settings(tx.session, workspace_id).reopen_window_hours)
    if current.resolved_at is not None and message.sent_at - current.resolved_at <= window:
        return current, "reopened"
    return new_conversation(tx, workspace_id, customer_id, message), "started"


def _preview(message: Message) -> str:
    text = message.text.strip() or f"[{message.kind}]"
    return text[:PREVIEW]


def account_join(conversation: Conversation, message: Message) -> None:
    """Fold one message into the conversation's counters and clocks of record."""
    conversation.message_count += 1
    if message.sent_at >= conversation.last_message_at or conversation.message_count == 1:
        conversation.last_message_at = message.sent_at
        conversation.last_preview = _preview(message)
    if message.direction == "inbound":
        conversation.last_account_id = message.account_id
        conversation.last_channel = message.channel
        conversation.last_inbound_at = max(
            conversation.last_inbound_at or message.sent_at, message.sent_at
        )
        if conversation.awaiting_reply_since is None:
            conversation.awaiting_reply_since = message.sent_at
    elif message.author_kind in ("agent", "business_app"):
        if conversation.first_response_at is None:
            conversation.first_response_at = message.sent_at
        conversation.awaiting_reply_since = None


@dataclass
class Known:
    """Who a sender on an account turned out to be, and the conversation they are in."""

    customer_id: uuid.UUID
    contact: dict[str, Any]
    conversation: Conversation | None


@dataclass
class Batch:
    """What threading a batch of one workspace's messages shares: looked up once, written
    once (the search index rows)."""

    workspace_id: WorkspaceId
    language: str = "es"
    accounts: dict[uuid.UUID, ChannelAccount] = field(default_factory=dict)
    keeps_sla: bool = False
    known: dict[tuple[uuid.UUID | None, str], Known] = field(default_factory=dict)
    to_index: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def _same_sender(known: dict[str, Any], contact: dict[str, Any]) -> bool:
    return all(known.get(key) == value for key, value in contact.items() if key != "name")


def prime(tx: Tx, batch: Batch, messages: Sequence[Message]) -> None:
    """One query for the latest threaded message of every sender in the batch (and one for
    their conversations): returning senders skip identity resolution and the search for
    their conversation."""
    accounts = {m.account_id for m in messages if m.account_id is not None}
    addresses = {m.address for m in messages}
    if not accounts:
        return
    ranked = (
        select(
            Message.account_id,
            Message.address,
            Message.customer_id,
            Message.contact,
            Message.conversation_id,
            func.row_number()
            .over(
                partition_by=(Message.account_id, Message.address),
                order_by=Message.created_at.desc(),
            )
            .label("rank"),
        )
        .where(
            Message.account_id.in_(accounts),
            Message.address.in_(addresses),
            Message.customer_id.is_not(None),
            Message.threaded_at.is_not(None),
        )
        .subquery()
    )
    rows = tx.session.execute(select(ranked).where(ranked.c.rank == 1)).all()
    wanted = {(m.account_id, m.address) for m in messages}
    found = [r for r in rows if (r.account_id, r.address) in wanted]
    ids = {r.conversation_id for r in found if r.conversation_id is not None}
    conversations = (
        {c.id: c for c in tx.session.scalars(select(Conversation).where(Conversation.id.in_(ids)))}
        if ids
        else {}
    )
    for r in found:
        batch.known[(r.account_id, r.address)] = Known(
            r.customer_id, dict(r.contact or {}), conversations.get(r.conversation_id)
        )


def _locate(tx: Tx, batch: Batch, message: Message) -> tuple[uuid.UUID, Conversation, str]:
    """The customer and conversation of a message, and how it joins."""
    workspace_id = batch.workspace_id
    contact = message.contact or {"address": message.address}
    key = (message.account_id, message.address)
    hit = batch.known.get(key)
    if hit is not None and _same_sender(hit.contact, contact):
        current = hit.conversation
        if (
            current is not None
            and current.merged_into_id is None
            and (current.status != "resolved" or message.direction != "inbound")
        ):
            return current.customer_id, current, "joined"
        customer_id = canonical_id(tx.session, workspace_id, hit.customer_id)
    else:
        customer_id = customer_for(tx, workspace_id, message)
    conversation, how = place(tx, workspace_id, customer_id, message)
    return customer_id, conversation, how


def thread_message(tx: Tx, batch: Batch, message: Message) -> None:
    """Attach one stored message to its customer and conversation, with what follows."""
    customer_id, conversation, how = _locate(tx, batch, message)
    batch.known[(message.account_id, message.address)] = Known(
        customer_id, dict(message.contact or {"address": message.address}), conversation
    )
    message.customer_id = customer_id
    message.conversation_id = conversation.id
    message.threaded_at = tx.now
    account_join(conversation, message)
    conversation.updated_at = tx.now
    batch.to_index.append((message.id, message.text))
    if how == "answer":
        surveys.record_answer(tx, conversation, message)
    elif how == "reopened" or (conversation.status == "snoozed" and message.direction == "inbound"):
        conversation.status = "open"
        conversation.snoozed_until = None
        conversation.resolved_at = None
    if how in ("started", "reopened"):
        tx.record(
            ConversationOpened(
                conversation_id=conversation.id,
                customer_id=conversation.customer_id,
                channel=message.channel,
                reopened=how == "reopened",
            )
        )
    if message.direction == "inbound":
        if how != "answer" and batch.keeps_sla:
            sla_clocks.on_customer_message(
                tx, conversation, message.sent_at, started=how != "joined"
            )
        tx.record(
            MessageReceived(
                message_id=message.id,
                conversation_id=conversation.id,
                customer_id=conversation.customer_id,
                channel=message.channel,
                kind=message.kind,
                text=message.text[:1000],
                answers_survey=how == "answer",
            )
        )
        callbacks.on_call(tx, conversation, message)
        account = batch.accounts.get(message.account_id) if message.account_id else None
        if account is not None:
            hub.invite_if_secondary(tx, account, conversation, message)
    elif batch.keeps_sla:
        sla_clocks.on_reply(tx, conversation, message.sent_at)


def _take(tx: Tx, workspace_id: WorkspaceId, ids: Sequence[uuid.UUID]) -> list[Message]:
    statement = (
        select(Message)
        .where(Message.id.in_(ids), Message.threaded_at.is_(None))
        .order_by(Message.sent_at, Message.created_at)
    )
    if tx.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list(tx.session.scalars(statement))


def thread_pending(uow: UnitOfWork, *, limit: int = BATCH) -> int:
    """Thread up to ``limit`` waiting messages (one transaction per workspace); the count."""
    with uow.read() as session:
        rows = session.execute(
            select(Message.id, Message.workspace_id)
            .where(Message.threaded_at.is_(None), Message.thread_failures < MAX_FAILURES)
            .order_by(Message.created_at)
            .limit(limit)
        ).all()
    by_workspace: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for message_id, workspace_id in rows:
        by_workspace[workspace_id].append(message_id)
    done = 0
    for workspace_id, ids in by_workspace.items():
        done += _thread_ids(uow, WorkspaceId(workspace_id), ids)
    return done


def _thread_ids(uow: UnitOfWork, workspace_id: WorkspaceId, ids: Sequence[uuid.UUID]) -> int:
    try:
        with uow.transaction(workspace_id, actor="inbox") as tx:
            messages = _take(tx, workspace_id, ids)
            batch = Batch(
                workspace_id,
                language=workspace_queries.workspace_by_id(tx.session, workspace_id).language,
                accounts={
                    a.id: a
                    for a in tx.session.scalars(
                        select(ChannelAccount).where(ChannelAccount.workspace_id == workspace_id)
                    )
                },
                keeps_sla=sla_clocks.has_policies(tx, workspace_id),
            )
            prime(tx, batch, messages)
            for message in messages:
                thread_message(tx, batch, message)
            search.index_messages(tx.session, workspace_id, batch.to_index, batch.language)
            return len(messages)
    except Exception:
        if len(ids) == 1:
            log.exception("threading message %s failed; it stays waiting", ids[0])
            with uow.transaction(workspace_id, actor="inbox") as tx:
                tx.session.execute(
                    update(Message)
                    .where(Message.id == ids[0])
                    .values(thread_failures=Message.thread_failures + 1)
                )
            return 0
        log.warning("threading a batch failed; retrying its messages one by one", exc_info=True)
        return sum(_thread_ids(uow, workspace_id, [i]) for i in ids)


def thread_all(uow: UnitOfWork) -> int:
    """Thread until nothing waits (tests and the CLI); the count."""
    total = 0
    while True:
        done = thread_pending(uow)
        total += done
        if done == 0:
            return total
