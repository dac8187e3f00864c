"""Instagram and Messenger adapters and the Meta signature check they share with WhatsApp."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mostrador.channels.base import (
    AccountSettings,
    Adapter,
    Attachment,
    Inbound,
    MalformedPayload,
    Outgoing,
    Parsed,
    Sender,
    SendFailed,
    Sent,
    StatusReport,
    Template,
)
from mostrador.channels.meta import INSTAGRAM, MESSENGER
from mostrador.channels.signatures import meta_signature_valid

FIXTURES = Path(__file__).parents[2] / "fixtures" / "channels"
IG_ACCOUNT = "17841400000000001"
PAGE = "108000000000001"
SOFIA = Sender(address="7262819203848512")  # an Instagram-scoped id (IGSID)
RAFAEL = Sender(address="6954123456789012")  # a Page-scoped id (PSID)
T0 = datetime(2025, 3, 14, 13, 0, tzinfo=UTC)

IG_FIRST_MID = (
    "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0"
    "NDI1OTY5MzEyNjk5NzE1MjA2NjozMTk2MjkwNjYyMTY3MjcxNjM1NDYxMjM4MjQ3NjUxMDQwMAZDZD"
)
IG_ECHO_MID = (
    "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0"
    "NDI1OTY5MzEyNjk5NzE1MjA2NjozMTk2MjkxMDk4NzY1NDMyMTA5ODc2NTQzMjEwOTg3NgZDZD"
)
PAGE_ECHO_MID = "m_WUZ4aE1QeF9yUWdoZ0t3b0pMS2lQX1RjQW1vZXh3c2R2X0xFaU9hMnZ3bmZR"


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def at(millis: int) -> datetime:
    """``millis`` after 2025-03-14 13:00:00 UTC (Meta's messaging timestamps are in ms)."""
    return T0 + timedelta(milliseconds=millis)


def test_both_adapters_sit_behind_the_seam() -> None:
    adapters: list[Adapter] = [INSTAGRAM, MESSENGER]

    assert [adapter.kind for adapter in adapters] == ["instagram", "messenger"]


# --- Instagram -------------------------------------------------------------------------------


def test_instagram_text() -> None:
    assert INSTAGRAM.parse(fixture("instagram/text.json")) == Parsed(
        messages=(
            Inbound(
                account=IG_ACCOUNT,
                provider_message_id=IG_FIRST_MID,
                direction="inbound",
                sender=SOFIA,
                sent_at=at(123),
                kind="text",
                text="Hola! Vi la campera de jean en su historia, ¿la tienen en talle M?",
            ),
        )
    )


def test_instagram_image_keeps_the_cdn_url() -> None:
    (message,) = INSTAGRAM.parse(fixture("instagram/image.json")).messages

    assert message == Inbound(
        account=IG_ACCOUNT,
        provider_message_id=(
            "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMw"
            "MTI0NDI1OTY5MzEyNjk5NzE1MjA2NjozMTk2MjkwODExNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NQZDZD"
        ),
        direction="inbound",
        sender=SOFIA,
        sent_at=at(64_870),
        kind="image",
        attachments=(
            Attachment(
                kind="image",
                url=(
                    "https://lookaside.fbsbx.com/ig_messaging_cdn/"
                    "?asset_id=18023456789012345&signature=AbCdEf0123456789"
                ),
            ),
        ),
    )


def test_instagram_echo_is_outbound_to_the_customer() -> None:
    (message,) = INSTAGRAM.parse(fixture("instagram/echo.json")).messages

    assert message == Inbound(
        account=IG_ACCOUNT,
        provider_message_id=IG_ECHO_MID,
        direction="outbound",
        sender=SOFIA,
        sent_at=at(130_001),
        kind="text",
        text="¡Hola Sofía! Sí, nos queda en M. ¿Te la reservamos para retirar?",
        reply_to=IG_FIRST_MID,
    )


def test_instagram_reaction_points_at_the_message_and_gets_a_stable_id() -> None:
    (message,) = INSTAGRAM.parse(fixture("instagram/reaction.json")).messages

    assert message == Inbound(
        account=IG_ACCOUNT,
        provider_message_id=f"{IG_ECHO_MID}#reaction:7262819203848512:1741957391342",
        direction="inbound",
        sender=SOFIA,
        sent_at=at(191_342),
        kind="reaction",
        text="❤️",
        reply_to=IG_ECHO_MID,
        extra={"action": "react", "reaction": "love"},
    )


def test_an_unreact_has_no_emoji() -> None:
    payload = json.loads(fixture("instagram/reaction.json"))
    payload["entry"][0]["messaging"][0]["reaction"] = {"mid": IG_ECHO_MID, "action": "unreact"}

    (message,) = INSTAGRAM.parse(json.dumps(payload).encode()).messages

    assert (message.kind, message.text, message.extra) == ("reaction", "", {"action": "unreact"})


def test_instagram_read_names_the_message() -> None:
    assert INSTAGRAM.parse(fixture("instagram/read.json")) == Parsed(
        statuses=(
            StatusReport(IG_ACCOUNT, IG_ECHO_MID, "read", at(180_777), recipient=SOFIA.address),
        )
    )


def test_instagram_comments_are_not_conversation_messages() -> None:
    assert INSTAGRAM.parse(fixture("instagram/comment_change.json")) == Parsed()


def test_a_messaging_event_wrapped_in_changes_is_read_too() -> None:
    """The app dashboard's "Test" button sends the event as changes[].value, in seconds."""
    body = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT,
                "time": 1741957200,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "sender": {"id": "12334"},
                            "recipient": {"id": "23245"},
                            "timestamp": "1741957200",
                            "message": {"mid": "random_mid", "text": "random_text"},
                        },
                    }
                ],
            }
        ],
    }

    (message,) = INSTAGRAM.parse(json.dumps(body).encode()).messages

    assert (message.provider_message_id, message.sender, message.sent_at, message.text) == (
        "random_mid",
        Sender(address="12334"),
        T0,
        "random_text",
    )


# --- Messenger -------------------------------------------------------------------------------


def test_messenger_text() -> None:
    assert MESSENGER.parse(fixture("messenger/text.json")) == Parsed(
        messages=(
            Inbound(
                account=PAGE,
                provider_message_id="m_Qk5hR2VnV0x6V1h0dFBlWm9lQ0Y3bTJqN2xRb3hQdVZ2Rk5fWTJ3QmZtQ3dR",
                direction="inbound",
                sender=RAFAEL,
                sent_at=at(512),
                kind="text",
                text="Buen día, ¿a qué hora abre el sábado la sucursal de Belgrano?",
            ),
        )
    )


def test_messenger_quick_reply_is_an_interactive_answer() -> None:
    (message,) = MESSENGER.parse(fixture("messenger/quick_reply.json")).messages

    assert message == Inbound(
        account=PAGE,
        provider_message_id="m_VHJ4c2ZfR2h0bE1wNnB6X1dLcjNkRkVxS2RHZ3hKRF9ZbXBNclVvT0VpV0tn",
        direction="inbound",
        sender=RAFAEL,
        sent_at=at(220_118),
        kind="interactive",
        text="Retiro en tienda",
        extra={"reply_id": "ENTREGA_RETIRO"},
    )


def test_messenger_echo_is_outbound_to_the_customer() -> None:
    (message,) = MESSENGER.parse(fixture("messenger/echo.json")).messages

    assert message == Inbound(
        account=PAGE,
        provider_message_id=PAGE_ECHO_MID,
        direction="outbound",
        sender=RAFAEL,
        sent_at=at(100_801),
        kind="text",
        text="¡Hola Rafael! El sábado abrimos de 10 a 20 h.",
    )


def test_messenger_delivery_reports_each_message() -> None:
    delivered_at = at(105_250)

    assert MESSENGER.parse(fixture("messenger/delivery.json")) == Parsed(
        statuses=(
            StatusReport(PAGE, PAGE_ECHO_MID, "delivered", delivered_at, recipient=RAFAEL.address),
            StatusReport(
                PAGE,
                "m_Wm5zUHJ5X0VQdkNiRlFsVXd6NXFfSHBVbm1rT3RLZ2FfS3JZcFdNdXNYUTFR",
                "delivered",
                delivered_at,
                recipient=RAFAEL.address,
            ),
        )
    )


def test_a_watermark_only_read_names_no_message_and_is_skipped() -> None:
    assert MESSENGER.parse(fixture("messenger/read.json")) == Parsed()


def test_messenger_postback_is_an_interactive_answer() -> None:
    (message,) = MESSENGER.parse(fixture("messenger/postback.json")).messages

    assert message == Inbound(
        account=PAGE,
        provider_message_id="m_ZGVmX0pRd1Y0bXNLaHBOeUZ1X3RxV1hMYkRfQ3JyZ0VNU2lKd2N5Q2RfRkpR",
        direction="inbound",
        sender=Sender(address="7301928374650192"),
        sent_at=at(279_930),
        kind="interactive",
        text="Ver mi pedido",
        extra={"reply_id": "VER_PEDIDO"},
    )


def _message_event(message: dict[str, Any]) -> bytes:
    event = {
        "sender": {"id": RAFAEL.address},
        "recipient": {"id": PAGE},
        "timestamp": 1741957200512,
        "message": {"mid": "m_x", **message},
    }
    return json.dumps({"object": "page", "entry": [{"id": PAGE, "messaging": [event]}]}).encode()


@pytest.mark.parametrize(
    ("message", "kind", "attachments", "extra"),
    [
        (
            {"attachments": [{"type": "file", "payload": {"url": "https://f.example/a.pdf"}}]},
            "document",
            (Attachment(kind="document", url="https://f.example/a.pdf"),),
            {},
        ),
        (
            {
                "attachments": [
                    {
                        "type": "image",
                        "payload": {
                            "url": "https://f.example/s.png",
                            "sticker_id": 369239263222822,
                        },
                    }
                ]
            },
            "sticker",
            (Attachment(kind="sticker", url="https://f.example/s.png"),),
            {},
        ),
        (
            {"attachments": [{"type": "share", "payload": {"url": "https://f.example/p"}}]},
            "unsupported",
            (Attachment(kind="file", url="https://f.example/p"),),
            {"attachment_type": "share"},
        ),
        ({"is_unsupported": True}, "unsupported", (), {}),
        ({}, "unsupported", (), {}),
    ],
    ids=["file", "sticker", "share", "flagged_unsupported", "empty"],
)
def test_attachment_and_odd_message_kinds(
    message: dict[str, Any], kind: str, attachments: tuple[Attachment, ...], extra: dict[str, str]
) -> None:
    (parsed,) = MESSENGER.parse(_message_event(message)).messages

    assert (parsed.kind, parsed.attachments, parsed.extra) == (kind, attachments, extra)


def test_an_unsent_message_is_not_a_new_message() -> None:
    assert MESSENGER.parse(_message_event({"is_deleted": True})) == Parsed()


def test_events_that_are_not_messages_are_ignored() -> None:
    event = {
        "sender": {"id": RAFAEL.address},
        "recipient": {"id": PAGE},
        "timestamp": 1741957200512,
        "optin": {"type": "notification_messages", "payload": "OFERTAS"},
    }
    body = {"object": "page", "entry": [{"id": PAGE, "time": 1, "messaging": [event]}]}

    assert MESSENGER.parse(json.dumps(body).encode()) == Parsed()


@pytest.mark.parametrize(
    ("adapter", "path"),
    [(INSTAGRAM, "messenger/text.json"), (MESSENGER, "instagram/text.json")],
    ids=["instagram_refuses_page", "messenger_refuses_instagram"],
)
def test_each_adapter_refuses_the_other_products_body(adapter: Adapter, path: str) -> None:
    with pytest.raises(MalformedPayload):
        adapter.parse(fixture(path))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{", id="not_json"),
        pytest.param(b'"page"', id="not_an_object"),
        pytest.param(b'{"object": "page"}', id="no_entry"),
        pytest.param(b'{"object": "page", "entry": "x"}', id="entry_not_list"),
        pytest.param(b'{"object": "page", "entry": [{"messaging": []}]}', id="entry_without_id"),
        pytest.param(
            b'{"object": "page", "entry": [{"id": "1", "messaging": {}}]}', id="messaging_not_list"
        ),
        pytest.param(_message_event({"mid": None}), id="message_without_mid"),
        pytest.param(
            json.dumps(
                {
                    "object": "page",
                    "entry": [
                        {
                            "id": PAGE,
                            "messaging": [
                                {"recipient": {"id": PAGE}, "timestamp": 1, "message": {"mid": "m"}}
                            ],
                        }
                    ],
                }
            ).encode(),
            id="event_without_sender",
        ),
        pytest.param(
            json.dumps(
                {
                    "object": "page",
                    "entry": [
                        {
                            "id": PAGE,
                            "messaging": [
                                {
                                    "sender": {"id": "1"},
                                    "recipient": {"id": PAGE},
                                    "timestamp": "ayer",
                                    "message": {"mid": "m"},
                                }
                            ],
                        }
                    ],
                }
            ).encode(),
            id="timestamp_not_a_number",
        ),
        pytest.param(
            json.dumps(
                {
                    "object": "page",
                    "entry": [
                        {
                            "id": PAGE,
                            "messaging": [
                                {
                                    "sender": {"id": "1"},
                                    "recipient": {"id": PAGE},
                                    "timestamp": 1,
                                    "delivery": {"mids": "m_1"},
                                }
                            ],
                        }
                    ],
                }
            ).encode(),
            id="delivery_mids_not_list",
        ),
    ],
)
def test_malformed_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(MalformedPayload):
        MESSENGER.parse(body)


# --- the signature -----------------------------------------------------------------------------

BODY = b'{"object":"page","entry":[]}'
SECRET = "c4f1e2d3b5a6978812345abcdef09876"
# Computed apart from the code under test: openssl dgst -sha256 -hmac "$SECRET"
SIGNATURE = "sha256=ac67b843c332d9419d07a130a2d4bfb8129356cda4698d67d7f6087b2bc9395e"


def test_a_correct_signature_is_valid() -> None:
    assert meta_signature_valid(BODY, SIGNATURE, SECRET) is True
    assert meta_signature_valid(BODY, SIGNATURE.upper().replace("SHA256=", "sha256="), SECRET)


@pytest.mark.parametrize(
    ("body", "header", "secret"),
    [
        pytest.param(BODY + b"\n", SIGNATURE, SECRET, id="body_changed"),
        pytest.param(BODY, SIGNATURE, "another-app-secret", id="wrong_secret"),
        pytest.param(BODY, SIGNATURE, "", id="no_secret"),
        pytest.param(BODY, None, SECRET, id="missing"),
        pytest.param(BODY, "", SECRET, id="empty"),
        pytest.param(BODY, SIGNATURE.removeprefix("sha256="), SECRET, id="no_prefix"),
        pytest.param(BODY, "sha1=" + SIGNATURE.removeprefix("sha256="), SECRET, id="sha1"),
        pytest.param(BODY, SIGNATURE[:-2], SECRET, id="truncated"),
        pytest.param(BODY, "sha256=" + "zz" * 32, SECRET, id="not_hex"),
        pytest.param(BODY, "sha256=" + "é" * 64, SECRET, id="not_ascii"),
    ],
)
def test_a_wrong_or_garbled_signature_is_invalid(
    body: bytes, header: str | None, secret: str
) -> None:
    assert meta_signature_valid(body, header, secret) is False


@pytest.mark.parametrize("adapter", [INSTAGRAM, MESSENGER], ids=["instagram", "messenger"])
def test_adapters_verify_with_the_lower_cased_header(adapter: Adapter) -> None:
    assert adapter.verify(BODY, {"x-hub-signature-256": SIGNATURE}, SECRET) is True
    assert adapter.verify(BODY, {"x-hub-signature": SIGNATURE}, SECRET) is False


# --- sending ---------------------------------------------------------------------------------

IG_SETTINGS = AccountSettings(account=IG_ACCOUNT, access_token="IGAA-token")
PAGE_SETTINGS = AccountSettings(account=PAGE, access_token="EAAB-page-token")


class Recorder:
    """A Graph API stand-in: records each request and answers with a fixed response."""

    def __init__(self, status: int = 200, answer: object | None = None) -> None:
        self.status = status
        self.answer = answer if answer is not None else {"recipient_id": "r", "message_id": "m_1"}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.answer, bytes):
            return httpx.Response(self.status, content=self.answer)
        return httpx.Response(self.status, json=self.answer)

    def only_body(self) -> Any:
        (request,) = self.requests
        return json.loads(request.content)


def send(
    adapter: Adapter, settings: AccountSettings, message: Outgoing, recorder: Recorder
) -> Sent:
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client:
        return adapter.send(client, settings, message)


def test_messenger_sends_as_the_page() -> None:
    recorder = Recorder(answer={"recipient_id": RAFAEL.address, "message_id": PAGE_ECHO_MID})

    sent = send(
        MESSENGER,
        PAGE_SETTINGS,
        Outgoing(recipient=RAFAEL.address, text="El sábado abrimos de 10 a 20 h."),
        recorder,
    )

    assert sent == Sent(PAGE_ECHO_MID)
    (request,) = recorder.requests
    assert (request.method, str(request.url)) == (
        "POST",
        "https://graph.facebook.com/v21.0/me/messages",
    )
    assert request.headers["authorization"] == "Bearer EAAB-page-token"
    assert json.loads(request.content) == {
        "recipient": {"id": RAFAEL.address},
        "messaging_type": "RESPONSE",
        "message": {"text": "El sábado abrimos de 10 a 20 h."},
    }


def test_instagram_sends_as_its_account() -> None:
    recorder = Recorder(answer={"recipient_id": SOFIA.address, "message_id": IG_ECHO_MID})

    sent = send(
        INSTAGRAM,
        IG_SETTINGS,
        Outgoing(recipient=SOFIA.address, text="¡Te la reservamos!"),
        recorder,
    )

    assert sent == Sent(IG_ECHO_MID)
    (request,) = recorder.requests
    assert str(request.url) == f"https://graph.facebook.com/v21.0/{IG_ACCOUNT}/messages"
    assert request.headers["authorization"] == "Bearer IGAA-token"
    assert json.loads(request.content) == {
        "recipient": {"id": SOFIA.address},
        "messaging_type": "RESPONSE",
        "message": {"text": "¡Te la reservamos!"},
    }


def test_a_tag_sends_outside_the_window() -> None:
    recorder = Recorder()

    send(
        MESSENGER,
        PAGE_SETTINGS,
        Outgoing(recipient=RAFAEL.address, text="Tu cambio ya está listo", tag="HUMAN_AGENT"),
        recorder,
    )

    assert recorder.only_body() == {
        "recipient": {"id": RAFAEL.address},
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": {"text": "Tu cambio ya está listo"},
    }


@pytest.mark.parametrize(
    ("attachment", "expected"),
    [
        (
            Attachment(kind="image", url="https://cdn.tienda.example/campera.jpg"),
            {
                "type": "image",
                "payload": {"url": "https://cdn.tienda.example/campera.jpg", "is_reusable": True},
            },
        ),
        (
            Attachment(kind="document", url="https://cdn.tienda.example/f.pdf"),
            {
                "type": "file",
                "payload": {"url": "https://cdn.tienda.example/f.pdf", "is_reusable": True},
            },
        ),
        (
            Attachment(kind="video", media_id="1857777774821032"),
            {"type": "video", "payload": {"attachment_id": "1857777774821032"}},
        ),
    ],
    ids=["image_url", "document_as_file", "uploaded_video"],
)
def test_an_attachment_is_sent_by_url_or_uploaded_id(
    attachment: Attachment, expected: dict[str, object]
) -> None:
    recorder = Recorder()

    send(
        INSTAGRAM,
        IG_SETTINGS,
        Outgoing(recipient=SOFIA.address, attachments=(attachment,)),
        recorder,
    )

    assert recorder.only_body()["message"] == {"attachment": expected}


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (Outgoing(recipient="1"), "empty_message"),
        (Outgoing(recipient="1", template=Template("hola", "es_AR")), "unsupported"),
        (
            Outgoing(
                recipient="1",
                text="mirá",
                attachments=(Attachment(kind="image", url="https://x.example/1.jpg"),),
            ),
            "unsupported",
        ),
        (
            Outgoing(
                recipient="1",
                attachments=(
                    Attachment(kind="image", url="https://x.example/1.jpg"),
                    Attachment(kind="image", url="https://x.example/2.jpg"),
                ),
            ),
            "too_many_attachments",
        ),
    ],
    ids=["empty", "template", "text_and_attachment", "two_attachments"],
)
def test_messages_the_send_api_cannot_carry_are_refused_before_any_request(
    message: Outgoing, code: str
) -> None:
    recorder = Recorder()

    with pytest.raises(SendFailed) as failure:
        send(MESSENGER, PAGE_SETTINGS, message, recorder)

    assert (failure.value.retryable, failure.value.code) == (False, code)
    assert recorder.requests == []


def graph_error(code: int, message: str, subcode: int | None = None) -> dict[str, object]:
    error: dict[str, object] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "A1b2C3d4E5f6",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@pytest.mark.parametrize(
    ("status", "answer", "code", "retryable"),
    [
        (400, graph_error(4, "(#4) Application request limit reached"), "4", True),
        (400, graph_error(613, "Calls to this api have exceeded the rate limit."), "613", True),
        (400, graph_error(80006, "There have been too many messages sent"), "80006", True),
        (
            400,
            graph_error(10, "(#10) This message is sent outside of allowed window.", 2018278),
            "10",
            False,
        ),
        (400, graph_error(551, "This person isn't available right now.", 1545041), "551", False),
        (400, graph_error(2018278, "Message sent outside of allowed window"), "2018278", False),
        (400, graph_error(100, "(#100) No matching user found", 2018001), "100", False),
        (500, graph_error(1, "An unknown error occurred"), "1", True),
        (503, b"Service Unavailable", None, True),
        (200, {"recipient_id": "6954123456789012"}, "no_message_id", False),
    ],
)
def test_graph_errors_say_whether_a_retry_can_help(
    status: int, answer: object, code: str | None, retryable: bool
) -> None:
    with pytest.raises(SendFailed) as failure:
        send(
            MESSENGER, PAGE_SETTINGS, Outgoing(recipient="1", text="hola"), Recorder(status, answer)
        )

    assert (failure.value.code, failure.value.retryable) == (code, retryable)


def test_the_graph_message_is_the_reason() -> None:
    answer = graph_error(10, "(#10) This message is sent outside of allowed window.", 2018278)

    with pytest.raises(SendFailed) as failure:
        send(INSTAGRAM, IG_SETTINGS, Outgoing(recipient="1", text="hola"), Recorder(400, answer))

    assert failure.value.reason == "(#10) This message is sent outside of allowed window."


def test_an_unreachable_graph_is_retryable() -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out")

    with (
        httpx.Client(transport=httpx.MockTransport(unreachable)) as client,
        pytest.raises(SendFailed) as failure,
    ):
        INSTAGRAM.send(client, IG_SETTINGS, Outgoing(recipient="1", text="hola"))

    assert (failure.value.retryable, failure.value.code) == (True, None)


def test_an_api_url_that_names_a_graph_version_keeps_it() -> None:
    from mostrador.channels.base import AccountSettings
    from mostrador.channels.meta.sending import graph_url

    assert graph_url(
        AccountSettings(account="1", api_url="http://127.0.0.1:9/v22.0/"), "1/messages"
    ) == ("http://127.0.0.1:9/v22.0/1/messages")
    assert graph_url(AccountSettings(account="1", api_url="http://127.0.0.1:9"), "1/messages") == (
        "http://127.0.0.1:9/v21.0/1/messages"
    )
