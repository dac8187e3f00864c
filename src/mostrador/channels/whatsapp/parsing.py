"""Turn a WhatsApp Cloud API webhook into ``Inbound`` messages and ``StatusReport`` items.

One delivery may batch several entries, changes, messages and statuses: all are read. Message
types we do not understand become kind ``unsupported`` (never dropped, an agent must see them);
statuses other than sent/delivered/read/failed are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
from mostrador.channels.meta.parsing import (
    JsonObject,
    child,
    epoch_time,
    load_entries,
    objects,
    optional_text,
    required_text,
)

_FIELDS = frozenset({"messages", "smb_message_echoes"})
_STATUSES: dict[str, Literal["sent", "delivered", "read", "failed"]] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
}
_MEDIA_KINDS: dict[str, Literal["image", "audio", "video", "document", "sticker"]] = {
    "image": "image",
    "audio": "audio",
    "video": "video",
    "document": "document",
    "sticker": "sticker",
}


@dataclass(frozen=True)
class _Profile:
    """What ``value.contacts[]`` says about one customer."""

    wa_id: str | None
    bsuid: str | None
    name: str | None
    username: str | None


@dataclass(frozen=True)
class _Content:
    kind: MessageKind
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    reply_to: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def parse_whatsapp(body: bytes) -> Parsed:
    """Every message, business-app echo and status in one webhook delivery, in payload order."""
    messages: list[Inbound] = []
    statuses: list[StatusReport] = []
    for entry in load_entries(body, "whatsapp_business_account"):
        for change in objects(entry, "changes"):
            if change.get("field") not in _FIELDS:
                continue  # template, quality and account updates are not conversation traffic
            value = child(change, "value")
            received = objects(value, "messages")
            echoes = objects(value, "message_echoes")
            reports = objects(value, "statuses")
            if not (received or echoes or reports):
                continue
            account = required_text(child(value, "metadata"), "phone_number_id")
            profiles = _profiles(value)
            messages.extend(_inbound(account, item, profiles) for item in received)
            messages.extend(_echo(account, item, profiles) for item in echoes)
            statuses.extend(_status(account, item) for item in reports if _known_status(item))
    return Parsed(messages=tuple(messages), statuses=tuple(statuses))


def _profiles(value: JsonObject) -> dict[str, _Profile]:
    """Contacts indexed by both wa_id and BSUID, so a message finds its profile either way."""
    found: dict[str, _Profile] = {}
    for contact in objects(value, "contacts"):
        profile = child(contact, "profile")
        known = _Profile(
            wa_id=optional_text(contact, "wa_id"),
            bsuid=optional_text(contact, "user_id"),
            name=optional_text(profile, "name"),
            username=optional_text(profile, "username") or optional_text(contact, "username"),
        )
        for key in (known.wa_id, known.bsuid):
            if key is not None:
                found[key] = known
    return found


def _sender(wa_id: str | None, bsuid: str | None, profiles: dict[str, _Profile]) -> Sender:
    """The customer as WhatsApp names them; the BSUID is the address only when no wa_id came."""
    profile = profiles.get(wa_id or "") or profiles.get(bsuid or "")
    if profile is not None:
        wa_id = wa_id or profile.wa_id
        bsuid = bsuid or profile.bsuid
    address = wa_id or bsuid
    if address is None:
        raise MalformedPayload("a message names no customer (from / from_user_id)")
    return Sender(
        address=address,
        name=profile.name if profile else None,
        phone=_phone(wa_id),
        username=profile.username if profile else None,
        bsuid=bsuid,
    )


def _phone(wa_id: str | None) -> str | None:
    """A wa_id is the phone's digits in international form; anything else is not a phone."""
    if wa_id is None or not wa_id.isdigit() or not 7 <= len(wa_id) <= 15:
        return None
    return f"+{wa_id}"


def _inbound(account: str, message: JsonObject, profiles: dict[str, _Profile]) -> Inbound:
    sender = _sender(
        optional_text(message, "from"), optional_text(message, "from_user_id"), profiles
    )
    return _build(account, message, "inbound", sender)


def _echo(account: str, message: JsonObject, profiles: dict[str, _Profile]) -> Inbound:
    """What the business typed in the WhatsApp Business app; the customer is ``to``."""
    sender = _sender(optional_text(message, "to"), optional_text(message, "to_user_id"), profiles)
    return _build(account, message, "outbound", sender)


def _build(
    account: str,
    message: JsonObject,
    direction: Literal["inbound", "outbound"],
    sender: Sender,
) -> Inbound:
    message_id = required_text(message, "id")
    sent_at = epoch_time(required_text(message, "timestamp"))
    content = _content(message)
    return Inbound(
        account=account,
        provider_message_id=message_id,
        direction=direction,
        sender=sender,
        sent_at=sent_at,
        kind=content.kind,
        text=content.text,
        attachments=content.attachments,
        reply_to=content.reply_to or optional_text(child(message, "context"), "id"),
        extra=content.extra,
    )


def _content(message: JsonObject) -> _Content:
    kind = required_text(message, "type")
    if kind in _MEDIA_KINDS:
        return _media(kind, child(message, kind))
    if kind == "contacts":  # the only type whose body is a list
        return _shared_contacts(objects(message, "contacts"))
    reader = _READERS.get(kind)
    if reader is None:
        return _unsupported(kind, message)
    return reader(child(message, kind))


def _media(kind: str, media: JsonObject) -> _Content:
    attachment = Attachment(
        kind=_MEDIA_KINDS[kind],
        media_id=required_text(media, "id"),
        mime_type=optional_text(media, "mime_type"),
        filename=optional_text(media, "filename") if kind == "document" else None,
        caption=optional_text(media, "caption"),
    )
    return _Content(
        kind=_MEDIA_KINDS[kind], text=attachment.caption or "", attachments=(attachment,)
    )


def _text(text: JsonObject) -> _Content:
    return _Content(kind="text", text=optional_text(text, "body") or "")


def _location(location: JsonObject) -> _Content:
    latitude = required_text(location, "latitude")
    longitude = required_text(location, "longitude")
    extra = {"latitude": latitude, "longitude": longitude}
    for key in ("name", "address", "url"):
        value = optional_text(location, key)
        if value is not None:
            extra[key] = value
    place = ", ".join(extra[key] for key in ("name", "address") if key in extra)
    coordinates = f"{latitude}, {longitude}"
    return _Content(
        kind="location", text=f"{place} ({coordinates})" if place else coordinates, extra=extra
    )


def _shared_contacts(contacts: list[JsonObject]) -> _Content:
    """Shared contact cards as one readable line each: "Name: phone, phone"."""
    lines = []
    for contact in contacts:
        name_parts = child(contact, "name")
        name = optional_text(name_parts, "formatted_name") or " ".join(
            part
            for part in (
                optional_text(name_parts, "first_name"),
                optional_text(name_parts, "last_name"),
            )
            if part
        )
        phones = [
            phone
            for phone in (optional_text(item, "phone") for item in objects(contact, "phones"))
            if phone
        ]
        lines.append(f"{name}: {', '.join(phones)}" if phones else name)
    return _Content(kind="contacts", text="\n".join(lines))


def _interactive(interactive: JsonObject) -> _Content:
    """A tap on a reply button or a list row we sent, or a submitted Flow."""
    reply_type = required_text(interactive, "type")
    if reply_type in ("button_reply", "list_reply"):
        reply = child(interactive, reply_type)
        extra = {"reply_id": required_text(reply, "id"), "reply_type": reply_type}
        description = optional_text(reply, "description")
        if description is not None:
            extra["description"] = description
        return _Content(kind="interactive", text=optional_text(reply, "title") or "", extra=extra)
    if reply_type == "nfm_reply":
        flow = child(interactive, "nfm_reply")
        extra = {"reply_type": reply_type}
        response = optional_text(flow, "response_json")
        if response is not None:
            extra["response_json"] = response
        return _Content(kind="interactive", text=optional_text(flow, "body") or "", extra=extra)
    return _Content(kind="unsupported", extra={"type": f"interactive.{reply_type}"})


def _button(button: JsonObject) -> _Content:
    """A quick-reply button of a template; its payload is what we set when sending it."""
    extra = {}
    payload = optional_text(button, "payload")
    if payload is not None:
        extra["payload"] = payload
    return _Content(kind="button", text=optional_text(button, "text") or "", extra=extra)


def _reaction(reaction: JsonObject) -> _Content:
    """A reaction points at the message it is on; no emoji means the customer removed it."""
    emoji = optional_text(reaction, "emoji")
    return _Content(
        kind="reaction",
        text=emoji or "",
        reply_to=required_text(reaction, "message_id"),
        extra={"action": "react" if emoji else "unreact"},
    )


def _unsupported(kind: str, message: JsonObject) -> _Content:
    extra = {"type": kind}
    errors = objects(message, "errors")
    if errors:
        code = optional_text(errors[0], "code")
        if code is not None:
            extra["error_code"] = code
    return _Content(kind="unsupported", extra=extra)


_READERS: dict[str, Callable[[JsonObject], _Content]] = {
    "text": _text,
    "location": _location,
    "interactive": _interactive,
    "button": _button,
    "reaction": _reaction,
}


def _known_status(status: JsonObject) -> bool:
    return required_text(status, "status") in _STATUSES


def _status(account: str, status: JsonObject) -> StatusReport:
    error = next(iter(objects(status, "errors")), None)
    return StatusReport(
        account=account,
        provider_message_id=required_text(status, "id"),
        status=_STATUSES[required_text(status, "status")],
        at=epoch_time(required_text(status, "timestamp")),
        recipient=optional_text(status, "recipient_id")
        or optional_text(status, "recipient_user_id"),
        error_code=optional_text(error, "code") if error else None,
        error_reason=_error_reason(error) if error else None,
    )


def _error_reason(error: JsonObject) -> str | None:
    """Meta's title, plus the details when they say more than the title does."""
    headline = optional_text(error, "message") or optional_text(error, "title")
    details = optional_text(child(error, "error_data"), "details")
    if headline and details and details != headline:
        return f"{headline}: {details}"
    return headline or details
