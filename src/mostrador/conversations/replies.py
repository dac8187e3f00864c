"""Replies: an agent's (or the bot's) message queued on the right channel, inside its window.

A reply goes out on the channel the customer last wrote on, or the one the agent picks;
it is written to the outbound queue in the same transaction as the message, so a crash
or a provider outage delays it but never loses it (``sending`` delivers it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mostrador.channels.window import reply_window
from mostrador.conversations import search, sla_clocks
from mostrador.conversations.models import ChannelAccount, Conversation, Message, OutboundSend
from mostrador.conversations.threads import account_join
from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import group_ids

SENDABLE = ("whatsapp", "instagram", "messenger", "telegram", "email", "webchat")
MAX_TEXT = 4096


@dataclass(frozen=True)
class ReplyInput:
    text: str = ""
    channel: str | None = None
    template: str | None = None
    template_language: str = "es"
    variables: tuple[str, ...] = ()
    attachment_url: str | None = None
    attachment_kind: str = "image"


@dataclass(frozen=True)
class Route:
    """Where a reply goes: the account, the customer's address there, when they last wrote."""

    account: ChannelAccount
    address: str
    last_inbound_at: datetime | None
    last_inbound: Message | None


def _latest_on(
    tx: Tx,
    workspace_id: WorkspaceId,
    people: list[uuid.UUID],
    channel: str | None,
    account_id: uuid.UUID | None,
) -> Message | None:
    statement = select(Message).where(
        Message.workspace_id == workspace_id,
        Message.customer_id.in_(people),
        Message.direction == "inbound",
    )
    if account_id is not None:
        statement = statement.where(Message.account_id == account_id)
    if channel is not None:
        statement = statement.where(Message.channel == channel)
    return tx.session.scalars(statement.order_by(Message.sent_at.desc()).limit(1)).first()


def route_for(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, channel: str | None
) -> Route:
    """The account and address a reply takes; ``channel`` overrides the customer's last one."""
    people = group_ids(tx.session, workspace_id, conversation.customer_id)
    if channel is not None and channel not in SENDABLE:
        raise InvalidInput(
            f"replies cannot be sent on {channel!r}; use one of {', '.join(SENDABLE)}",
            code="channel_cannot_send",
        )
    if channel is None:
        latest = _latest_on(tx, workspace_id, people, None, conversation.last_account_id)
    else:
        latest = _latest_on(tx, workspace_id, people, channel, None)
    if latest is None or latest.account_id is None:
        raise Conflict(
            f"the customer has not written on {channel or conversation.last_channel}; "
            "there is no address to reply to",
            code="no_address_on_channel",
        )
    account = tx.session.get(ChannelAccount, latest.account_id)
    if account is None or account.status != "active" or account.kind not in SENDABLE:
        raise Conflict(f"the {latest.channel} account cannot send", code="channel_cannot_send")
    return Route(account, latest.address, latest.sent_at, latest)


def _payload(
    route: Route, reply: ReplyInput, tag: str | None, conversation: Conversation
) -> dict[str, object]:
    payload: dict[str, object] = {}
    if reply.template:
        payload["template"] = {
            "name": reply.template,
            "language": reply.template_language,
            "variables": list(reply.variables),
        }
    if tag:
        payload["tag"] = tag
    if reply.attachment_url:
        payload["attachment"] = {"kind": reply.attachment_kind, "url": reply.attachment_url}
    inbound = route.last_inbound
    if route.account.kind == "email" and inbound is not None:
        refs = [str(r) for r in inbound.thread_refs if not str(r).startswith("token:")]
        refs = [*list(reversed(refs)), inbound.provider_message_id or ""]
        payload["thread_refs"] = [r for r in refs if r]
        payload["subject"] = inbound.subject or ""
        local, _, domain = route.account.external_id.partition("@")
        payload["reply_address"] = f"{local}+{conversation.id.hex[:16]}@{domain}"
    return payload


def _check(reply: ReplyInput) -> None:
    if not reply.text.strip() and not reply.template and not reply.attachment_url:
        raise InvalidInput("a reply needs text, a template or an attachment", code="empty_reply")
    if len(reply.text) > MAX_TEXT:
        raise InvalidInput(f"a reply has at most {MAX_TEXT} characters", code="reply_too_long")


def queue_reply(
    tx: Tx,
    workspace_id: WorkspaceId,
    conversation: Conversation,
    reply: ReplyInput,
    *,
    author_id: uuid.UUID | None,
    author_kind: str = "agent",
) -> Message:
    """Write the outbound message and its send order; the window decides what may go."""
    _check(reply)
    route = route_for(tx, workspace_id, conversation, reply.channel)
    window = reply_window(route.account.kind, route.last_inbound_at, tx.now)
    if not window.free_form and not reply.template:
        raise Conflict(
            "the customer-service window is closed; only an approved template can be sent",
            code="outside_window",
            details={"reason": window.reason, "channel": route.account.kind},
        )
    message = Message(
        id=new_id(),
        workspace_id=workspace_id,
        account_id=route.account.id,
        channel=route.account.kind,
        provider_message_id=None,
        direction="outbound",
        kind="text" if not reply.attachment_url else reply.attachment_kind,
        text=reply.text.strip() or (f"[plantilla {reply.template}]" if reply.template else ""),
        subject=None,
        attachments=[{"kind": reply.attachment_kind, "url": reply.attachment_url}]
        if reply.attachment_url
        else [],
        extra={},
        address=route.address,
        sender_name=None,
        contact={},
        reply_to=None,
        thread_refs=[],
        author_id=author_id,
        author_kind=author_kind,
        conversation_id=conversation.id,
        customer_id=conversation.customer_id,
        status="queued",
        status_at=tx.now,
        error_code=None,
        error_reason=None,
        sent_at=tx.now,
        created_at=tx.now,
        threaded_at=tx.now,
        thread_failures=0,
        delivery_id=None,
    )
    tx.session.add(message)
    tx.session.add(
        OutboundSend(
            message_id=message.id,
            workspace_id=workspace_id,
            account_id=route.account.id,
            payload=_payload(route, reply, window.tag, conversation),
            state="pending",
            attempts=0,
            next_attempt_at=tx.now,
            last_error=None,
            updated_at=tx.now,
        )
    )
    account_join(conversation, message)
    conversation.updated_at = tx.now
    language = workspace_queries.workspace_by_id(tx.session, workspace_id).language
    search.index_messages(tx.session, workspace_id, [(message.id, message.text)], language)
    if author_kind == "agent":
        sla_clocks.on_reply(tx, conversation, tx.now)
    return message
