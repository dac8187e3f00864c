"""Telegram: real Update shapes in, Bot API requests out (through httpx's mock transport)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from mostrador.channels.base import (
    AccountSettings,
    Attachment,
    Inbound,
    MalformedPayload,
    Outgoing,
    Parsed,
    Sender,
    SendFailed,
    Sent,
    Template,
)
from mostrador.channels.telegram import ADAPTER

FIXTURES = Path(__file__).parents[2] / "fixtures" / "channels" / "telegram"
LUCIA = Sender(address="5123456789", name="Lucía Fernández", username="luciafer")
SETTINGS = AccountSettings(account="7012345678", access_token="7012345678:AAF-token")


def only(name: str) -> Inbound:
    parsed = ADAPTER.parse((FIXTURES / name).read_bytes())
    assert parsed.statuses == ()
    assert len(parsed.messages) == 1
    return parsed.messages[0]


def update(message: dict[str, Any]) -> bytes:
    base = {"message_id": 5, "chat": {"id": 42, "type": "private"}, "date": 1763996400}
    return json.dumps({"update_id": 1, "message": {**base, **message}}).encode()


# -- verify -------------------------------------------------------------------------------


def test_verify_accepts_the_secret_token_header() -> None:
    headers = {"x-telegram-bot-api-secret-token": "s3cr3t-Token_1"}
    assert ADAPTER.verify(b"{}", headers, "s3cr3t-Token_1") is True


@pytest.mark.parametrize(
    ("headers", "secret"),
    [
        ({"x-telegram-bot-api-secret-token": "wrong"}, "s3cr3t"),
        ({}, "s3cr3t"),
        ({"x-telegram-bot-api-secret-token": ""}, ""),
        ({"x-telegram-bot-api-secret-token": "s3cr3t"}, ""),
        ({"x-telegram-bot-api-secret-token": "sécret"}, "secret"),
    ],
)
def test_verify_refuses_a_missing_wrong_or_unset_secret(
    headers: dict[str, str], secret: str
) -> None:
    assert ADAPTER.verify(b"{}", headers, secret) is False


# -- parse --------------------------------------------------------------------------------


def test_a_text_message() -> None:
    assert only("text.json") == Inbound(
        account="",
        provider_message_id="5123456789:1021",
        direction="inbound",
        sender=LUCIA,
        sent_at=datetime(2025, 11, 24, 15, 0, tzinfo=UTC),
        kind="text",
        text="Hola, ¿tienen la campera azul en talle M?",
        extra={"update_id": "812345001", "chat_type": "private"},
    )


def test_a_photo_takes_the_largest_size_and_its_caption() -> None:
    message = only("photo.json")
    assert (message.provider_message_id, message.kind) == ("5123456789:1022", "image")
    assert message.text == "Esta, pero en azul"
    assert message.attachments == (
        Attachment(
            kind="image",
            media_id="AgACAgEAAxkBAAIBQmVlarge",
            caption="Esta, pero en azul",
            size=98213,
        ),
    )


def test_a_voice_note_is_audio() -> None:
    message = only("voice.json")
    assert (message.kind, message.text) == ("audio", "")
    assert message.attachments == (
        Attachment(
            kind="audio", media_id="AwACAgEAAxkBAAIBQ2Vvoice", mime_type="audio/ogg", size=23456
        ),
    )


def test_a_document_keeps_its_file_name_and_type() -> None:
    message = only("document.json")
    assert (message.kind, message.text) == ("document", "La factura de la compra")
    assert message.attachments == (
        Attachment(
            kind="document",
            media_id="BQACAgEAAxkBAAIBRGVdoc",
            mime_type="application/pdf",
            filename="factura-0001-00004512.pdf",
            caption="La factura de la compra",
            size=48211,
        ),
    )


def test_a_sticker_keeps_its_emoji() -> None:
    message = only("sticker.json")
    assert message.kind == "sticker"
    assert message.sender == Sender(address="5123456789", name="Lucía", username="luciafer")
    assert message.attachments == (
        Attachment(kind="sticker", media_id="CAACAgIAAxkBAAIBSGVsticker", size=23040),
    )
    assert message.extra == {"update_id": "812345010", "emoji": "👍", "chat_type": "private"}


def test_a_location_is_readable_and_keeps_its_coordinates() -> None:
    message = only("location.json")
    assert (message.kind, message.text) == ("location", "Ubicación: -34.603722, -58.381592")
    assert message.extra == {
        "update_id": "812345005",
        "latitude": "-34.603722",
        "longitude": "-58.381592",
        "chat_type": "private",
    }


def test_a_venue_names_the_place() -> None:
    body = update(
        {
            "location": {"latitude": -34.58, "longitude": -58.42},
            "venue": {
                "location": {"latitude": -34.58, "longitude": -58.42},
                "title": "Tienda Sur Palermo",
                "address": "Honduras 4800",
            },
        }
    )
    message = ADAPTER.parse(body).messages[0]
    assert message.text == "Ubicación: Tienda Sur Palermo, Honduras 4800 (-34.58, -58.42)"
    assert message.extra["name"] == "Tienda Sur Palermo, Honduras 4800"


def test_the_senders_own_contact_gives_their_phone() -> None:
    message = only("contact.json")
    assert message.kind == "contacts"
    assert message.sender == Sender(
        address="5123456789", name="Lucía Fernández", phone="+5491155550123", username="luciafer"
    )
    assert message.text == "Contacto: Lucía Fernández +5491155550123"
    assert message.extra == {
        "update_id": "812345006",
        "phone_number": "+5491155550123",
        "contact_name": "Lucía Fernández",
        "chat_type": "private",
    }


def test_someone_elses_contact_is_not_the_senders_phone() -> None:
    message = only("contact_other.json")
    assert message.sender == LUCIA
    assert message.text == "Contacto: Martín +5491166660456"


def test_a_reply_points_at_the_message_in_the_same_chat() -> None:
    message = only("reply.json")
    assert (message.provider_message_id, message.reply_to) == ("5123456789:1030", "5123456789:1029")
    assert message.text == "Lo retiro en Palermo"


def test_an_edited_message_keeps_its_id_and_is_marked() -> None:
    message = only("edited.json")
    assert message.provider_message_id == "5123456789:1021"
    assert message.text == "Hola, ¿tienen la campera azul en talle L?"
    assert message.extra == {"update_id": "812345009", "chat_type": "private", "edited": "true"}


def test_a_group_message_answers_to_the_group_and_names_the_person() -> None:
    message = only("group_text.json")
    assert message.provider_message_id == "-1002233445566:88"
    assert message.sender == Sender(address="-1002233445566", name="Martín Gómez")
    assert message.extra == {"update_id": "812345011", "chat_type": "supergroup"}


@pytest.mark.parametrize("name", ["channel_post.json", "my_chat_member.json"])
def test_updates_that_are_not_customer_messages_are_dropped(name: str) -> None:
    assert ADAPTER.parse((FIXTURES / name).read_bytes()) == Parsed()


@pytest.mark.parametrize(
    ("field", "kind"),
    [("audio", "audio"), ("video", "video"), ("video_note", "video")],
)
def test_audio_and_video_files(field: str, kind: str) -> None:
    media = {"file_id": "F1", "file_unique_id": "U1", "mime_type": "video/mp4", "file_size": 9}
    message = ADAPTER.parse(update({field: media, "caption": "mirá"})).messages[0]
    assert (message.kind, message.text) == (kind, "mirá")
    assert message.attachments == (
        Attachment(kind=kind, media_id="F1", mime_type="video/mp4", caption="mirá", size=9),  # type: ignore[arg-type]
    )


def test_a_message_kind_we_do_not_read_is_unsupported() -> None:
    message = ADAPTER.parse(update({"dice": {"emoji": "🎲", "value": 4}})).messages[0]
    assert (message.kind, message.text, message.attachments) == ("unsupported", "", ())


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "update must be an object"),
        (b'{"message": {}}', "update_id must be an integer"),
        (b'{"update_id": "7"}', "update_id must be an integer"),
        (b'{"update_id": true}', "update_id must be an integer"),
        (b'{"update_id": 1, "message": []}', "message must be an object"),
        (
            b'{"update_id": 1, "message": {"chat": {"id": 1}, "date": 1}}',
            "message.message_id must be an integer",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "date": 1}}',
            "message.chat must be an object",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}}}',
            "message.date must be an integer",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "date": 1,'
            b' "photo": []}}',
            "photo must be a non-empty array",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "date": 1,'
            b' "from": "Ana"}}',
            "message.from must be an object",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "date": 1,'
            b' "reply_to_message": {"text": "x"}}}',
            "reply id must be an integer",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": "1"}, "date": 1}}',
            "message.chat.id must be an integer",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "date": 1,'
            b' "document": {"file_name": "a.pdf"}}}',
            "document without file_id",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1}, "date": 1,'
            b' "location": {"latitude": "x"}}}',
            "numeric latitude and longitude",
        ),
    ],
)
def test_malformed_updates_are_refused(body: bytes, error: str) -> None:
    with pytest.raises(MalformedPayload, match=error):
        ADAPTER.parse(body)


# -- send ---------------------------------------------------------------------------------


def client_answering(status: int, answer: object, seen: list[httpx.Request]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=answer)

    return httpx.Client(transport=httpx.MockTransport(handle))


OK = {"ok": True, "result": {"message_id": 1032, "chat": {"id": 5123456789}, "date": 1}}


def test_a_text_is_sent_with_send_message() -> None:
    seen: list[httpx.Request] = []
    sent = ADAPTER.send(
        client_answering(200, OK, seen), SETTINGS, Outgoing(recipient="5123456789", text="¡Sí!")
    )
    assert sent == Sent("5123456789:1032")
    [request] = seen
    assert request.method == "POST"
    assert str(request.url) == "https://api.telegram.org/bot7012345678:AAF-token/sendMessage"
    assert json.loads(request.content) == {"chat_id": "5123456789", "text": "¡Sí!"}


@pytest.mark.parametrize(
    ("kind", "method", "field"),
    [
        ("image", "sendPhoto", "photo"),
        ("document", "sendDocument", "document"),
        ("file", "sendDocument", "document"),
        ("audio", "sendAudio", "audio"),
        ("video", "sendVideo", "video"),
    ],
)
def test_an_attachment_uses_its_method_with_the_url_and_caption(
    kind: Any, method: str, field: str
) -> None:
    seen: list[httpx.Request] = []
    settings = AccountSettings(account="1", access_token="T", api_url="http://tg.local/")
    message = Outgoing(
        recipient="42",
        text="Tu factura",
        attachments=(Attachment(kind=kind, url="https://cdn.example/f.pdf"),),
    )
    ADAPTER.send(client_answering(200, OK, seen), settings, message)
    assert str(seen[0].url) == f"http://tg.local/botT/{method}"
    assert json.loads(seen[0].content) == {
        "chat_id": "42",
        field: "https://cdn.example/f.pdf",
        "caption": "Tu factura",
    }


def test_a_known_file_id_is_sent_again_without_a_caption_when_there_is_none() -> None:
    seen: list[httpx.Request] = []
    message = Outgoing(recipient="42", attachments=(Attachment(kind="image", media_id="AgAC"),))
    ADAPTER.send(client_answering(200, OK, seen), SETTINGS, message)
    assert json.loads(seen[0].content) == {"chat_id": "42", "photo": "AgAC"}


@pytest.mark.parametrize(
    ("status", "answer", "retryable", "code", "reason"),
    [
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 5",
                "parameters": {"retry_after": 5},
            },
            True,
            "429",
            "Too Many Requests: retry after 5 (retry after 5 s)",
        ),
        (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
            False,
            "400",
            "Bad Request: chat not found",
        ),
        (
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
            False,
            "403",
            "Forbidden: bot was blocked by the user",
        ),
        (502, "<html>Bad Gateway</html>", True, "502", "HTTP 502"),
        (500, {"ok": False, "error_code": 500, "description": "Internal"}, True, "500", "Internal"),
    ],
)
def test_refusals_say_whether_to_retry(
    status: int, answer: object, retryable: bool, code: str, reason: str
) -> None:
    client = client_answering(status, answer, [])
    with pytest.raises(SendFailed) as caught:
        ADAPTER.send(client, SETTINGS, Outgoing(recipient="42", text="hola"))
    assert (caught.value.retryable, caught.value.code, caught.value.reason) == (
        retryable,
        code,
        reason,
    )


def test_an_unreachable_api_is_retryable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(SendFailed) as caught:
        ADAPTER.send(client, SETTINGS, Outgoing(recipient="42", text="hola"))
    assert (caught.value.retryable, caught.value.code) == (True, "transport")


def test_an_accepted_but_unreadable_answer_is_not_retried() -> None:
    client = client_answering(200, {"ok": True, "result": True}, [])
    with pytest.raises(SendFailed) as caught:
        ADAPTER.send(client, SETTINGS, Outgoing(recipient="42", text="hola"))
    assert (caught.value.retryable, caught.value.code) == (False, "bad_response")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (Outgoing(recipient="42"), "nothing to send"),
        (Outgoing(recipient="42", template=Template("hola", "es")), "no message templates"),
        (
            Outgoing(
                recipient="42",
                attachments=(
                    Attachment(kind="image", url="u1"),
                    Attachment(kind="image", url="u2"),
                ),
            ),
            "one attachment per message",
        ),
        (
            Outgoing(recipient="42", attachments=(Attachment(kind="document", content=b"%PDF"),)),
            "needs a URL or a file_id",
        ),
    ],
)
def test_what_telegram_cannot_take_is_refused_without_a_request(
    message: Outgoing, reason: str
) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(SendFailed, match=reason) as caught:
        ADAPTER.send(client_answering(200, OK, seen), SETTINGS, message)
    assert caught.value.retryable is False
    assert seen == []
