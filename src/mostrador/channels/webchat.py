"""Our own web chat widget: what a visitor posts becomes an ``Inbound``.

A visitor is anonymous (a widget-made ``visitor_id``) unless the shop's site vouches for a
logged-in customer: it signs the customer's ``user_id`` with the workspace's secret on its
server (``visitor_signature``), so a visitor cannot claim to be someone else. Name, email and
phone typed into the widget are claims, never proof.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Final

from mostrador.channels.base import Inbound, MalformedPayload, Sender

MAX_TEXT: Final = 4000
MAX_FIELD: Final = 320  # ids, names, emails, phones: nothing longer is a real value


class UnverifiedVisitor(ValueError):
    """A visitor claimed a ``user_id`` without a valid signature (answered 403)."""


def visitor_signature(secret: str, user_id: str) -> str:
    """What the shop's server sends along with ``user_id``: hex HMAC-SHA256 of it."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def visitor_verified(secret: str, user_id: str, signature: str) -> bool:
    """Constant-time check of a visitor's signature; an unset secret verifies nobody."""
    if not secret:
        return False
    expected = visitor_signature(secret, user_id).encode()
    return hmac.compare_digest(expected, signature.strip().lower().encode())


def _field(data: Mapping[str, object], key: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise MalformedPayload(f"webchat: {key} must be a non-empty string")
    if len(value) > MAX_FIELD:
        raise MalformedPayload(f"webchat: {key} is longer than {MAX_FIELD} characters")
    return value.strip()


def _text(data: Mapping[str, object]) -> str:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedPayload("webchat: text must be a non-empty string")
    if len(text) > MAX_TEXT:
        raise MalformedPayload(f"webchat: text is longer than {MAX_TEXT} characters")
    return text.strip()


def _verified_user(data: Mapping[str, object], secret: str) -> str | None:
    user_id = _field(data, "user_id", required=False)
    signature = _field(data, "signature", required=False)
    if user_id is None and signature is None:
        return None
    if user_id is None:
        raise MalformedPayload("webchat: signature without user_id")
    if signature is None or not visitor_verified(secret, user_id, signature):
        raise UnverifiedVisitor(f"webchat: user_id {user_id!r} is not signed by the site")
    return user_id


def parse_visitor_message(
    data: Mapping[str, object], *, account: str, received_at: datetime, secret: str
) -> Inbound:
    """One message the widget posted. Its ``client_message_id`` is only unique for the
    visitor, so the provider id is ``"<visitor_id>:<client_message_id>"``: one visitor
    cannot shadow another's message by reusing an id, and a retried post deduplicates."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    visitor_id = _field(data, "visitor_id", required=True)
    message_id = _field(data, "client_message_id", required=True)
    text = _text(data)
    user_id = _verified_user(data, secret)
    return Inbound(
        account=account,
        provider_message_id=f"{visitor_id}:{message_id}",
        direction="inbound",
        sender=Sender(
            address=str(visitor_id),
            name=_field(data, "name", required=False),
            email=_field(data, "email", required=False),
            phone=_field(data, "phone", required=False),
        ),
        sent_at=received_at.astimezone(UTC),
        kind="text",
        text=text,
        extra={"user_id": user_id, "verified": "true"} if user_id else {},
    )
