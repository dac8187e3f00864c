"""Who wrote: a message's sender, as its channel knows them, handed to the identity engine.

A sender threading has seen before on the same account with the same details is the same
customer (no second resolution); anyone new, or anything new about them (a phone, a
BSUID, a verified shop account), goes through ``customers.resolve_contact`` so it lands on
the right profile.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from mostrador.conversations.models import Message
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx
from mostrador.customers import ContactInput, IdentifierInput, resolve_contact

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


def customer_for(tx: Tx, workspace_id: WorkspaceId, message: Message) -> uuid.UUID:
    """The customer a message is from (or, for an echo, to), through the identity engine.
    Threading calls it only for a sender it has not seen with these details (``threads``
    finds returning senders for a whole batch at once)."""
    contact = message.contact or {"address": message.address}
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
