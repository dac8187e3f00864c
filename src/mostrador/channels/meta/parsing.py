"""Read Meta webhooks: the envelope every Meta product shares (``object`` + ``entry[]``) and the
Messenger Platform events Instagram and Messenger deliver in ``entry[].messaging[]``.

Anything that is not the documented shape raises ``MalformedPayload``; event kinds that are not
messages or statuses (opt-ins, referrals, hand-overs, comments) are ignored on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from mostrador.channels.base import (
    Attachment,
    Inbound,
    MalformedPayload,
    MessageKind,
    Parsed,
    Sender,
    StatusReport,
)

JsonObject = Mapping[str, object]
Platform = Literal["instagram", "messenger"]

_WEBHOOK_OBJECT: dict[Platform, str] = {"instagram": "instagram", "messenger": "page"}
_MILLIS_FROM = 10**11  # an epoch this large is in milliseconds (10**11 s is the year 5138)

# Messenger Platform attachment type -> (our attachment kind, the message kind it makes).
_ATTACHMENT_KINDS: dict[str, tuple[Literal["image", "audio", "video", "document"], MessageKind]] = {
    "image": ("image", "image"),
    "video": ("video", "video"),
    "audio": ("audio", "audio"),
    "file": ("document", "document"),
}


# --- the shared envelope -------------------------------------------------------------------


def load_entries(body: bytes, expected_object: str) -> list[JsonObject]:
    """Decode a Meta webhook and return its ``entry`` list, refusing another product's body."""
    try:
        root = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise MalformedPayload("the body is not JSON") from exc
    if not isinstance(root, dict):
        raise MalformedPayload("the body is not a JSON object")
    if root.get("object") != expected_object:
        raise MalformedPayload(f"object is {root.get('object')!r}, expected {expected_object!r}")
    if "entry" not in root:
        raise MalformedPayload("the body has no entry list")
    return objects(root, "entry")


def objects(parent: JsonObject, key: str) -> list[JsonObject]:
    """``parent[key]`` as a list of JSON objects; absent means empty."""
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MalformedPayload(f"{key} must be a list of objects")
    return value


def child(parent: JsonObject, key: str) -> JsonObject:
    """``parent[key]`` as a JSON object; absent means empty."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedPayload(f"{key} must be an object")
    return value


def optional_text(parent: JsonObject, key: str) -> str | None:
    """``parent[key]`` as a string (numeric ids are tolerated); absent or empty means None."""
    value = parent.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedPayload(f"{key} must be a string")
    return str(value)


def required_text(parent: JsonObject, key: str) -> str:
    """``parent[key]`` as a non-empty string, or the payload is malformed."""
    value = optional_text(parent, key)
    if value is None:
        raise MalformedPayload(f"{key} is missing")
    return value


def epoch_time(value: object) -> datetime:
    """A Unix time (seconds or milliseconds, number or digit string) as an aware UTC datetime."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedPayload(f"timestamp {value!r} is not a Unix time")
    seconds = value / 1000 if value >= _MILLIS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise MalformedPayload(f"timestamp {value!r} is out of range") from exc


# --- Instagram and Messenger events -----------------------------------------------------------


@dataclass
class _Collected:
    messages: list[Inbound] = field(default_factory=list)
    statuses: list[StatusReport] = field(default_factory=list)


@dataclass(frozen=True)
class _Event:
    """The part every messaging event shares: who, to whom, when, for which account."""

    account: str
    sender: str
    recipient: str
    timestamp: str
    at: datetime

    @property
    def from_business(self) -> bool:
        return self.sender == self.account


def parse_messaging(body: bytes, platform: Platform) -> Parsed:
    """Every message, reaction, postback, delivery and read in one Instagram or Messenger
    delivery. ``platform`` fixes the expected ``object`` so a Page body never passes as IG."""
    collected = _Collected()
    for entry in load_entries(body, _WEBHOOK_OBJECT[platform]):
        account = required_text(entry, "id")
        for event in objects(entry, "messaging"):
            _collect_event(account, event, collected)
        # Instagram's dashboard tests and some subscriptions wrap a messaging event in
        # changes[] with field "messages"; other fields (comments, mentions) are not chats.
        for change in objects(entry, "changes"):
            if change.get("field") == "messages":
                _collect_event(account, child(change, "value"), collected)
    return Parsed(messages=tuple(collected.messages), statuses=tuple(collected.statuses))


def _collect_event(account: str, event: JsonObject, out: _Collected) -> None:
    if "message" in event:
        inbound = _message(_envelope(account, event), child(event, "message"))
        if inbound is not None:
            out.messages.append(inbound)
    elif "reaction" in event:
        reaction = _reaction(_envelope(account, event), child(event, "reaction"))
        if reaction is not None:
            out.messages.append(reaction)
    elif "postback" in event:
        out.messages.append(_postback(_envelope(account, event), child(event, "postback")))
    elif "delivery" in event:
        out.statuses.extend(_deliveries(_envelope(account, event), child(event, "delivery")))
    elif "read" in event:
        out.statuses.extend(_reads(_envelope(account, event), child(event, "read")))


def _envelope(account: str, event: JsonObject) -> _Event:
    timestamp = required_text(event, "timestamp")
    return _Event(
        account=account,
        sender=required_text(child(event, "sender"), "id"),
        recipient=required_text(child(event, "recipient"), "id"),
        timestamp=timestamp,
        at=epoch_time(timestamp),
    )


def _message(event: _Event, message: JsonObject) -> Inbound | None:
    mid = required_text(message, "mid")
    if message.get("is_deleted") is True:
        return None  # the customer unsent an earlier message; its mid is already stored
    outbound = message.get("is_echo") is True
    attachments = tuple(_attachment(item) for item in objects(message, "attachments"))
    kind, extra = _message_kind(message, attachments)
    return Inbound(
        account=event.account,
        provider_message_id=mid,
        direction="outbound" if outbound else "inbound",
        sender=Sender(address=event.recipient if outbound else event.sender),
        sent_at=event.at,
        kind=kind,
        text=optional_text(message, "text") or "",
        attachments=tuple(attachment for attachment, _ in attachments),
        reply_to=optional_text(child(message, "reply_to"), "mid"),
        extra=extra,
    )


def _attachment(item: JsonObject) -> tuple[Attachment, str]:
    """One attachment and its Messenger type; unknown types (share, story_mention, reel,
    fallback) keep their URL as a plain file so an agent can still open it."""
    kind = required_text(item, "type")
    payload = child(item, "payload")
    url = optional_text(payload, "url")
    if kind == "image" and payload.get("sticker_id") is not None:
        return Attachment(kind="sticker", url=url), "sticker"
    ours = _ATTACHMENT_KINDS.get(kind)
    return Attachment(kind=ours[0] if ours else "file", url=url), kind


def _message_kind(
    message: JsonObject, attachments: tuple[tuple[Attachment, str], ...]
) -> tuple[MessageKind, dict[str, str]]:
    if message.get("is_unsupported") is True:
        return "unsupported", {}
    if attachments:
        source_type = attachments[0][1]
        if source_type == "sticker":
            return "sticker", {}
        known = _ATTACHMENT_KINDS.get(source_type)
        return (known[1], {}) if known else ("unsupported", {"attachment_type": source_type})
    reply = optional_text(child(message, "quick_reply"), "payload")
    if reply is not None:
        return "interactive", {"reply_id": reply}
    if optional_text(message, "text") is None:
        return "unsupported", {}
    return "text", {}


def _reaction(event: _Event, reaction: JsonObject) -> Inbound | None:
    """A reaction has no id of its own: it gets one from the message, the reactor and the time,
    stable across Meta's retries of the same delivery."""
    mid = required_text(reaction, "mid")
    action = optional_text(reaction, "action") or "react"
    if action not in ("react", "unreact"):
        return None
    extra = {"action": action}
    name = optional_text(reaction, "reaction")
    if name is not None:
        extra["reaction"] = name
    outbound = event.from_business
    return Inbound(
        account=event.account,
        provider_message_id=f"{mid}#reaction:{event.sender}:{event.timestamp}",
        direction="outbound" if outbound else "inbound",
        sender=Sender(address=event.recipient if outbound else event.sender),
        sent_at=event.at,
        kind="reaction",
        text=(optional_text(reaction, "emoji") or "") if action == "react" else "",
        reply_to=mid,
        extra=extra,
    )


def _postback(event: _Event, postback: JsonObject) -> Inbound:
    """A tap on a button we sent; older Messenger postbacks carry no mid, so one is derived."""
    mid = optional_text(postback, "mid") or f"postback:{event.sender}:{event.timestamp}"
    extra: dict[str, str] = {}
    payload = optional_text(postback, "payload")
    if payload is not None:
        extra["reply_id"] = payload
    return Inbound(
        account=event.account,
        provider_message_id=mid,
        direction="inbound",
        sender=Sender(address=event.sender),
        sent_at=event.at,
        kind="interactive",
        text=optional_text(postback, "title") or "",
        extra=extra,
    )


def _deliveries(event: _Event, delivery: JsonObject) -> list[StatusReport]:
    mids = delivery.get("mids", [])
    if not isinstance(mids, list) or not all(isinstance(mid, str) for mid in mids):
        raise MalformedPayload("delivery.mids must be a list of strings")
    return [
        StatusReport(event.account, mid, "delivered", event.at, recipient=event.sender)
        for mid in mids
    ]


def _reads(event: _Event, read: JsonObject) -> list[StatusReport]:
    """A read with a mid (Instagram) marks that message; a watermark-only read (Messenger)
    says "everything before this time" and names no message, so it is skipped."""
    mid = optional_text(read, "mid")
    if mid is None:
        return []
    return [StatusReport(event.account, mid, "read", event.at, recipient=event.sender)]
