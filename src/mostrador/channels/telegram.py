"""Telegram Bot API: one webhook ``Update`` in, ``sendMessage`` / ``send<Media>`` out.

Telegram message ids are unique only inside a chat, so every provider id we hand out is
``"<chat_id>:<message_id>"`` (also for ``reply_to``, so replies thread onto stored ids).
Updates do not name the bot: the endpoint knows the account by its secret token, and
``Inbound.account`` is left empty for it to fill in.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final, Literal

import httpx

from mostrador.channels.base import (
    AccountSettings,
    Attachment,
    ChannelKind,
    Inbound,
    MalformedPayload,
    MessageKind,
    Outgoing,
    Parsed,
    Sender,
    SendFailed,
    Sent,
)

SECRET_HEADER: Final = "x-telegram-bot-api-secret-token"  # noqa: S105 (a header name)
PUBLIC_API: Final = "https://api.telegram.org"

MediaKind = Literal["image", "audio", "video", "document", "sticker"]
# Message field → kind; a GIF ("animation") also comes as "document", which is read instead.
_MEDIA: Final[tuple[tuple[str, MediaKind], ...]] = (
    ("voice", "audio"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
    ("document", "document"),
    ("sticker", "sticker"),
)
# Outgoing attachment kind → (Bot API method, field that takes the URL or file_id).
_SEND_METHODS: Final[Mapping[str, tuple[str, str]]] = {
    "image": ("sendPhoto", "photo"),
    "audio": ("sendAudio", "audio"),
    "video": ("sendVideo", "video"),
    "document": ("sendDocument", "document"),
    "file": ("sendDocument", "document"),
    "sticker": ("sendSticker", "sticker"),
}


def _obj(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedPayload(f"telegram: {what} must be an object")
    return value


def _int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedPayload(f"telegram: {what} must be an integer")
    return value


def _str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def _number(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _full_name(person: Mapping[str, Any]) -> str | None:
    parts = [p for p in (_str(person, "first_name"), _str(person, "last_name")) if p]
    return " ".join(parts) or None


def _phone(raw: str) -> str:
    """Telegram sends the user's own number with or without "+"; it is always international."""
    raw = raw.strip()
    return raw if raw.startswith("+") else f"+{raw}"


class _Content:
    """What one message carries, gathered before the ``Inbound`` is built."""

    def __init__(self, kind: MessageKind, text: str) -> None:
        self.kind: MessageKind = kind
        self.text = text
        self.attachments: list[Attachment] = []
        self.extra: dict[str, str] = {}
        self.sender_phone: str | None = None


def _file(data: Mapping[str, Any], kind: MediaKind, caption: str | None) -> Attachment:
    file_id = _str(data, "file_id")
    if file_id is None:
        raise MalformedPayload(f"telegram: {kind} without file_id")
    return Attachment(
        kind=kind,
        media_id=file_id,
        mime_type=_str(data, "mime_type"),
        filename=_str(data, "file_name"),
        caption=caption,
        size=_number(data, "file_size") or None,
    )


def _largest_photo(sizes: object) -> Mapping[str, Any]:
    if not isinstance(sizes, list) or not sizes:
        raise MalformedPayload("telegram: photo must be a non-empty array")
    photos = [_obj(size, "photo size") for size in sizes]
    return max(photos, key=lambda p: _number(p, "width") * _number(p, "height"))


def _media(message: Mapping[str, Any], content: _Content) -> None:
    caption = _str(message, "caption")
    if "photo" in message:
        photo = _largest_photo(message["photo"])
        content.kind = "image"
        content.attachments.append(_file(photo, "image", caption))
        return
    for key, kind in _MEDIA:
        if key in message:
            data = _obj(message[key], key)
            content.kind = kind
            content.attachments.append(_file(data, kind, caption))
            if key == "sticker" and _str(data, "emoji"):
                content.extra["emoji"] = data["emoji"]
            return


def _location(message: Mapping[str, Any], content: _Content) -> None:
    venue = message.get("venue")
    place = _obj(venue, "venue") if venue is not None else {}
    point = _obj(message["location"], "location")
    lat, lon = point.get("latitude"), point.get("longitude")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        raise MalformedPayload("telegram: location needs numeric latitude and longitude")
    content.kind = "location"
    content.extra.update(latitude=str(lat), longitude=str(lon))
    where = ", ".join(p for p in (_str(place, "title"), _str(place, "address")) if p)
    if where:
        content.extra["name"] = where
    content.text = f"Ubicación: {where} ({lat}, {lon})" if where else f"Ubicación: {lat}, {lon}"


def _contact(message: Mapping[str, Any], content: _Content, sender_id: int | None) -> None:
    contact = _obj(message["contact"], "contact")
    phone = _str(contact, "phone_number")
    if phone is None:
        raise MalformedPayload("telegram: contact without phone_number")
    name = _full_name(contact)
    content.kind = "contacts"
    content.extra["phone_number"] = _phone(phone)
    if name:
        content.extra["contact_name"] = name
    content.text = f"Contacto: {name} {_phone(phone)}" if name else f"Contacto: {_phone(phone)}"
    user_id = contact.get("user_id")
    if sender_id is not None and user_id == sender_id:
        content.sender_phone = _phone(phone)


def _content(message: Mapping[str, Any], sender_id: int | None) -> _Content:
    text = _str(message, "text") or _str(message, "caption") or ""
    content = _Content("text" if text else "unsupported", text)
    if "location" in message:
        _location(message, content)
    elif "contact" in message:
        _contact(message, content, sender_id)
    else:
        _media(message, content)
    return content


def _inbound(update_id: int, message: Mapping[str, Any], *, edited: bool) -> Inbound:
    message_id = _int(message.get("message_id"), "message.message_id")
    chat = _obj(message.get("chat"), "message.chat")
    chat_id = _int(chat.get("id"), "message.chat.id")
    date = _int(message.get("date"), "message.date")
    person = _obj(message["from"], "message.from") if "from" in message else chat
    sender_id = _int(person.get("id"), "message.from.id") if "from" in message else None
    content = _content(message, sender_id)
    extra = {"update_id": str(update_id), **content.extra}
    if isinstance(chat.get("type"), str):
        extra["chat_type"] = chat["type"]
    if edited:
        extra["edited"] = "true"
    reply = message.get("reply_to_message")
    reply_id = _int(_obj(reply, "reply").get("message_id"), "reply id") if reply else None
    return Inbound(
        account="",
        provider_message_id=f"{chat_id}:{message_id}",
        direction="inbound",
        sender=Sender(
            address=str(chat_id),
            name=_full_name(person),
            phone=content.sender_phone,
            username=_str(person, "username"),
        ),
        sent_at=datetime.fromtimestamp(date, UTC),
        kind=content.kind,
        text=content.text,
        attachments=tuple(content.attachments),
        reply_to=f"{chat_id}:{reply_id}" if reply_id is not None else None,
        extra=extra,
    )


def parse_update(body: bytes) -> Parsed:
    """One webhook delivery is one ``Update``; only (edited) messages become ``Inbound``.

    Channel posts, membership changes, callback queries... are acknowledged and dropped."""
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedPayload("telegram: body is not JSON") from exc
    update = _obj(update, "update")
    update_id = _int(update.get("update_id"), "update_id")
    for key, edited in (("message", False), ("edited_message", True)):
        if key in update:
            message = _obj(update[key], key)
            return Parsed(messages=(_inbound(update_id, message, edited=edited),))
    return Parsed()


def _unsendable(reason: str) -> SendFailed:
    return SendFailed(f"telegram: {reason}", retryable=False, code="unsupported")


def _request(message: Outgoing) -> tuple[str, dict[str, Any]]:
    """The Bot API method and JSON body for one outgoing message (one attachment at most:
    a partly sent album could not be retried without sending its first items twice)."""
    if message.template is not None:
        raise _unsendable("there are no message templates")
    if len(message.attachments) > 1:
        raise _unsendable("one attachment per message")
    if not message.attachments:
        if not message.text:
            raise _unsendable("nothing to send")
        return "sendMessage", {"chat_id": message.recipient, "text": message.text}
    attachment = message.attachments[0]
    source = attachment.url or attachment.media_id
    if not source:
        raise _unsendable("an attachment needs a URL or a file_id")
    method, field = _SEND_METHODS[attachment.kind]
    payload: dict[str, Any] = {"chat_id": message.recipient, field: source}
    caption = message.text or attachment.caption
    if caption and attachment.kind != "sticker":
        payload["caption"] = caption
    return method, payload


def _failure(status: int, answer: object) -> SendFailed:
    """429 and 5xx are worth retrying; 400 (bad request) and 403 (bot blocked) are not."""
    data = answer if isinstance(answer, dict) else {}
    code = data.get("error_code", status)
    code = code if isinstance(code, int) and not isinstance(code, bool) else status
    reason = str(data.get("description") or f"HTTP {status}")
    parameters = data.get("parameters")
    if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), int):
        reason = f"{reason} (retry after {parameters['retry_after']} s)"
    return SendFailed(reason, retryable=code == 429 or code >= 500, code=str(code))


def send_message(client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
    """Send through the Bot API; the id returned is ``"<chat_id>:<message_id>"``."""
    method, payload = _request(message)
    base = (settings.api_url or PUBLIC_API).rstrip("/")
    try:
        response = client.post(f"{base}/bot{settings.access_token}/{method}", json=payload)
    except httpx.HTTPError as exc:
        raise SendFailed(f"telegram unreachable: {exc}", retryable=True, code="transport") from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        raise _failure(response.status_code, answer)
    try:
        result = _obj(answer.get("result"), "result")
        chat_id = _int(_obj(result.get("chat"), "result.chat").get("id"), "result.chat.id")
        message_id = _int(result.get("message_id"), "result.message_id")
    except MalformedPayload as exc:
        # Accepted but unreadable: retrying could send it twice, so it is not retryable.
        raise SendFailed(str(exc), retryable=False, code="bad_response") from exc
    return Sent(f"{chat_id}:{message_id}")


class TelegramAdapter:
    """The Telegram bot behind ``base.Adapter``."""

    kind: ChannelKind = "telegram"

    def verify(self, body: bytes, headers: Mapping[str, str], secret: str) -> bool:
        """Telegram echoes the ``secret_token`` set with ``setWebhook`` in a header."""
        given = headers.get(SECRET_HEADER, "")
        if not secret or not given:
            return False
        return hmac.compare_digest(given.encode(), secret.encode())

    def parse(self, body: bytes) -> Parsed:
        return parse_update(body)

    def send(self, client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
        return send_message(client, settings, message)


ADAPTER: Final = TelegramAdapter()
