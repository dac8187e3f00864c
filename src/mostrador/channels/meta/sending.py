"""Send through Meta's Graph API: the request and error handling WhatsApp, Instagram and
Messenger share, and the Send API body for Instagram and Messenger.

Meta answers errors as ``{"error": {"message", "type", "code", "error_subcode", ...}}``; rate
limits and Meta's own outages are worth retrying, everything else needs a person or a fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from mostrador.channels.base import AccountSettings, Outgoing, SendFailed, Sent
from mostrador.channels.meta.parsing import Platform

GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v21.0"

# 1 unknown / 2 service errors are Meta's "try again"; 4, 17, 32, 613, 80001, 80002, 80006
# are app, user, page, Instagram and Messenger rate limits.
MESSAGING_RETRYABLE_CODES = frozenset({1, 2, 4, 17, 32, 613, 80001, 80002, 80006})

# Send API attachment types; a document goes as "file", a sticker as the image it is.
_ATTACHMENT_TYPES = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "document": "file",
    "file": "file",
    "sticker": "image",
}


def graph_url(settings: AccountSettings, path: str) -> str:
    """The versioned Graph URL of ``path``; ``api_url`` points tests and proxies elsewhere
    (an ``api_url`` that already ends in a version, like ``.../v22.0``, keeps it)."""
    base = (settings.api_url or GRAPH_URL).rstrip("/")
    if _VERSIONED.search(base):
        return f"{base}/{path}"
    version = settings.options.get("graph_version", GRAPH_VERSION)
    return f"{base}/{version}/{path}"


_VERSIONED = re.compile(r"/v\d+(\.\d+)?$")


def post_to_graph(
    client: httpx.Client,
    url: str,
    access_token: str,
    payload: Mapping[str, object],
    *,
    retryable_codes: frozenset[int],
) -> dict[str, Any]:
    """POST ``payload`` and return the JSON answer, or raise ``SendFailed`` saying whether a
    retry can help (HTTP 429 and 5xx, transport errors, the given rate-limit codes)."""
    try:
        response = client.post(
            url, json=payload, headers={"Authorization": f"Bearer {access_token}"}
        )
    except httpx.TransportError as exc:
        raise SendFailed(f"Graph API unreachable: {exc}", retryable=True) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.is_success and isinstance(answer, dict) and "error" not in answer:
        return answer
    raise graph_failure(response.status_code, answer, retryable_codes)


def graph_failure(status: int, answer: object, retryable_codes: frozenset[int]) -> SendFailed:
    """Meta's error answer as ``SendFailed``; ``code`` is Meta's numeric code as a string."""
    transient_status = status == 429 or status >= 500
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return SendFailed(f"Graph API answered HTTP {status}", retryable=transient_status)
    code = error.get("code")
    numeric = code if isinstance(code, int) and not isinstance(code, bool) else None
    retryable = transient_status or numeric in retryable_codes or error.get("is_transient") is True
    return SendFailed(
        str(error.get("message") or f"Graph API answered HTTP {status}"),
        retryable=retryable,
        code=None if code is None else str(code),
    )


def refuse(reason: str, code: str) -> SendFailed:
    """A message this channel cannot carry: fixing it needs a person, never a retry."""
    return SendFailed(reason, retryable=False, code=code)


def messaging_payload(message: Outgoing) -> dict[str, object]:
    """The Send API body for Instagram and Messenger (one text or one attachment)."""
    if message.template is not None:
        raise refuse("templates are WhatsApp-only; send text with a tag instead", "unsupported")
    payload: dict[str, object] = {
        "recipient": {"id": message.recipient},
        "messaging_type": "RESPONSE",
        "message": _messaging_content(message),
    }
    if message.tag:
        payload["messaging_type"] = "MESSAGE_TAG"
        payload["tag"] = message.tag
    return payload


def _messaging_content(message: Outgoing) -> dict[str, object]:
    if len(message.attachments) > 1:
        raise refuse("the Send API takes one attachment per message", "too_many_attachments")
    if not message.attachments:
        if not message.text:
            raise refuse("the message has no text, template or attachment", "empty_message")
        return {"text": message.text}
    if message.text:
        raise refuse(
            "the Send API cannot caption an attachment; send the text apart", "unsupported"
        )
    attachment = message.attachments[0]
    if attachment.url:
        payload: dict[str, object] = {"url": attachment.url, "is_reusable": True}
    elif attachment.media_id:
        payload = {"attachment_id": attachment.media_id}
    else:
        raise refuse("the attachment has neither a URL nor an uploaded id", "unsupported")
    return {"attachment": {"type": _ATTACHMENT_TYPES[attachment.kind], "payload": payload}}


def send_messaging(
    client: httpx.Client, settings: AccountSettings, message: Outgoing, platform: Platform
) -> Sent:
    """Send one message; Messenger posts as the Page (``me``), Instagram as its account."""
    path = "me/messages" if platform == "messenger" else f"{settings.account}/messages"
    answer = post_to_graph(
        client,
        graph_url(settings, path),
        settings.access_token,
        messaging_payload(message),
        retryable_codes=MESSAGING_RETRYABLE_CODES,
    )
    message_id = answer.get("message_id")
    if not isinstance(message_id, str) or not message_id:
        raise refuse("the Graph API accepted the message but gave no message_id", "no_message_id")
    return Sent(provider_message_id=message_id)
