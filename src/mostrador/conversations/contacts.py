"""Who wrote: a message's sender, as its channel knows them, handed to the identity engine.

A sender seen before on the same account with the same details is the same customer
(no second resolution); anything new about them (a phone, a BSUID, a verified shop
account) goes through ``customers.resolve_contact`` so it lands on the right profile.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from mostrador.conversations.models import Message
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx
from mostrador.customers import ContactInput, IdentifierInput, canonical_id, resolve_contact

_DIGITS = re.compile(r"\d{6,20}")
# Our channel names as the identity engine's source channels.
_SOURCE = {"voice": "phone", "store": "store"}


def _identifier(
    kind: str, value: str | None, channel: str, verified: bool = False
) -> list[IdentifierInput]:
    if not value:
        return []
    return [IdentifierInput(kind=kind, value=value, source_channel=channel, verified=verified)]


def identifiers_of(channel: str, contact: dict[str, Any]) -> list[IdentifierInput]:
    """The identifiers a channel proves about its sender (the channel's own id first)."""
    source = _SOURCE.get(channel, channel)
    address = contact.get("address")
    found: list[IdentifierInput] = []
    if channel == "whatsapp":
        if address and _DIGITS.fullmatch(address):
            found += _identifier("whatsapp_id", address, source, verified=True)
        found += _identifier("whatsapp_bsuid", contact.get("bsuid"), source, verified=True)
    elif channel == "instagram":
        found += _identifier("instagram", address, source, verified=True)
        found += _identifier("instagram", contact.get("username"), source)
    elif channel == "messenger":
        found += _identifier("messenger_psid", address, source, verified=True)
    elif channel == "telegram":
        found += _identifier("telegram", address, source, verified=True)
        found += _identifier("telegram", contact.get("username"), source)
    elif channel == "email":
        found += _identifier("email", address, source, verified=True)
    elif channel == "voice":
        found += _identifier("phone", address, source, verified=True)
    if channel == "webchat" and contact.get("verified") == "true":
        found += _identifier("shop_account", contact.get("user_id"), source, verified=True)
    found += _identifier("phone", contact.get("phone"), source)
    if channel != "email":
        found += _identifier("email", contact.get("email"), source)
    unique: dict[tuple[str, str], IdentifierInput] = {}
    for ident in found:
        unique.setdefault((ident.kind, ident.value), ident)
    return list(unique.values())


def _seen_before(tx: Tx, message: Message) -> tuple[uuid.UUID, dict[str, Any]] | None:
    row = tx.session.execute(
        select(Message.customer_id, Message.contact)
        .where(
            Message.account_id == message.account_id,
            Message.address == message.address,
            Message.customer_id.is_not(None),
        )
        .order_by(Message.created_at.desc())
        .limit(1)
    ).first()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


def customer_for(tx: Tx, workspace_id: WorkspaceId, message: Message) -> uuid.UUID:
    """The customer a message is from (or, for an echo, to)."""
    contact = message.contact or {"address": message.address}
    seen = _seen_before(tx, message)
    if seen is not None:
        customer_id, known = seen
        if all(known.get(key) == value for key, value in contact.items() if key != "name"):
            return canonical_id(tx.session, workspace_id, customer_id)
    source = _SOURCE.get(message.channel, message.channel)
    resolved = resolve_contact(
        tx,
        workspace_id,
        ContactInput(
            name=(contact.get("name") or "")[:200],
            identifiers=identifiers_of(message.channel, contact),
            source_channel=source,
        ),
    )
    return resolved.customer_id
