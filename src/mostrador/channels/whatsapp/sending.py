"""Send one WhatsApp message through the Cloud API: text, an approved template, or one media
file by URL (or by an id uploaded before)."""

from __future__ import annotations

import re

import httpx

from mostrador.channels.base import AccountSettings, Attachment, Outgoing, Sent
from mostrador.channels.meta.sending import graph_url, post_to_graph, refuse

# 1, 2, 131016, 133004: Meta or the number is briefly unavailable; 4, 80007, 130429, 131048,
# 131056: rate and spam-rate limits. Everything else (131047 outside the 24 h window, 131026
# undeliverable, 100 bad parameter, 190 expired token...) will fail again the same way.
WHATSAPP_RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131016, 131048, 131056, 133004})

# A business-scoped user id ("AR.1502576394655843") goes in "recipient", a phone in "to".
_BSUID = re.compile(r"^[A-Z]{2}\.")
_MEDIA_TYPES = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "document": "document",
    "file": "document",
    "sticker": "sticker",
}
_CAPTIONED = frozenset({"image", "video", "document"})


def whatsapp_payload(message: Outgoing) -> dict[str, object]:
    """The Cloud API body: a template wins over text; an attachment carries the text as caption."""
    address = "recipient" if _BSUID.match(message.recipient) else "to"
    payload: dict[str, object] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        address: message.recipient,
    }
    if message.template is not None:
        if message.attachments:
            raise refuse("a template is sent without attachments", "unsupported")
        template: dict[str, object] = {
            "name": message.template.name,
            "language": {"code": message.template.language},
        }
        if message.template.variables:
            parameters = [{"type": "text", "text": value} for value in message.template.variables]
            template["components"] = [{"type": "body", "parameters": parameters}]
        payload.update(type="template", template=template)
    elif message.attachments:
        media_type, media = _media(message)
        payload.update({"type": media_type, media_type: media})
    elif message.text:
        payload.update(type="text", text={"preview_url": False, "body": message.text})
    else:
        raise refuse("the message has no text, template or attachment", "empty_message")
    return payload


def _media(message: Outgoing) -> tuple[str, dict[str, object]]:
    if len(message.attachments) > 1:
        raise refuse("WhatsApp takes one media file per message", "too_many_attachments")
    attachment: Attachment = message.attachments[0]
    media_type = _MEDIA_TYPES[attachment.kind]
    if attachment.url:
        media: dict[str, object] = {"link": attachment.url}
    elif attachment.media_id:
        media = {"id": attachment.media_id}
    else:
        raise refuse("the attachment has neither a URL nor an uploaded id", "unsupported")
    caption = message.text or attachment.caption
    if caption:
        if media_type not in _CAPTIONED:
            raise refuse(
                f"WhatsApp cannot caption {media_type}; send the text apart", "unsupported"
            )
        media["caption"] = caption
    if media_type == "document" and attachment.filename:
        media["filename"] = attachment.filename
    return media_type, media


def send_whatsapp(client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
    """POST to ``/{phone_number_id}/messages``; the answer's ``messages[0].id`` is the wamid."""
    answer = post_to_graph(
        client,
        graph_url(settings, f"{settings.account}/messages"),
        settings.access_token,
        whatsapp_payload(message),
        retryable_codes=WHATSAPP_RETRYABLE_CODES,
    )
    messages = answer.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else None
    message_id = first.get("id") if isinstance(first, dict) else None
    if not isinstance(message_id, str) or not message_id:
        raise refuse("the Cloud API accepted the message but gave no message id", "no_message_id")
    return Sent(provider_message_id=message_id)
