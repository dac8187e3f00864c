"""WhatsApp Cloud API adapter: every fixture parsed field by field, sends checked byte for byte
against a mock transport, and Meta's errors sorted into retry / do not retry."""

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
from mostrador.channels.whatsapp import ADAPTER, GRAPH_URL, GRAPH_VERSION

FIXTURES = Path(__file__).parents[2] / "fixtures" / "channels" / "whatsapp"
ACCOUNT = "106540352242922"
T0 = datetime(2025, 3, 14, 13, 0, tzinfo=UTC)  # 1741957200, the first fixture's timestamp

LUCIA = Sender(address="5491155550001", name="Lucía Fernández", phone="+5491155550001")
MARIANA = Sender(address="5215512345678", name="Mariana López", phone="+5215512345678")
JOAO = Sender(address="5511987654321", name="João Pereira", phone="+5511987654321")
JOAO_WITH_BSUID = Sender(
    address="5511987654321",
    name="João Pereira",
    phone="+5511987654321",
    bsuid="BR.1502576394655843",
)
OUR_WAMID = "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEjk3QTFCMkMzRDRFNUY2MDcwOAA="
MARIANA_ORDER_WAMID = "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABEYEjU1QjZDN0Q4RTlGMEExQjJDMwA="


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def inbound(message_id: str, sender: Sender, seconds: int, **fields: Any) -> Inbound:
    return Inbound(
        account=ACCOUNT,
        provider_message_id=message_id,
        direction=fields.pop("direction", "inbound"),
        sender=sender,
        sent_at=at(seconds),
        kind=fields.pop("kind", "text"),
        **fields,
    )


def test_the_adapter_sits_behind_the_seam() -> None:
    adapter: Adapter = ADAPTER

    assert adapter.kind == "whatsapp"


# --- parsing ---------------------------------------------------------------------------------


def test_text_message() -> None:
    parsed = ADAPTER.parse(fixture("text.json"))

    assert parsed == Parsed(
        messages=(
            inbound(
                "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjBBMUMyRDNFNEY1QTZCN0M4RDkA",
                LUCIA,
                0,
                text="Hola! ¿Tienen las zapatillas Runner Pro en talle 42 en la sucursal de Palermo?",
            ),
        )
    )
    assert parsed.messages[0].sent_at.tzinfo is UTC


def test_a_batch_of_two_entries_yields_every_message_and_status_in_order() -> None:
    parsed = ADAPTER.parse(fixture("batch_two_entries.json"))

    assert parsed == Parsed(
        messages=(
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBDNEQ1RTZGNzA4MTkyQTNCNEMA",
                MARIANA,
                60,
                text="Buenas tardes, ¿hacen envíos a Guadalajara?",
            ),
            inbound(
                "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBENUU2RjcwODE5MkEzQjRDNUQA",
                JOAO_WITH_BSUID,
                75,
                text="Oi! Vocês têm a mochila Urbana na cor azul?",
            ),
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBFNkY3MDgxOTJBM0I0QzVENkUA",
                MARIANA,
                90,
                text="Mi código postal es 44100",
                reply_to=MARIANA_ORDER_WAMID,
            ),
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBGN0EwODE5MkEzQjRDNUQ2RTcA",
                MARIANA,
                101,
                text="¡Gracias!",
            ),
        ),
        statuses=(
            StatusReport(ACCOUNT, OUR_WAMID, "sent", at(62), recipient="5491155550001"),
            StatusReport(ACCOUNT, OUR_WAMID, "delivered", at(64), recipient="5491155550001"),
            StatusReport(ACCOUNT, OUR_WAMID, "read", at(120), recipient="5491155550001"),
        ),
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "image.json",
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjAxMjM0NTY3ODlBQkNERUYwMTIA",
                MARIANA,
                600,
                kind="image",
                text="Así me llegó la caja, vino aplastada 😕",
                attachments=(
                    Attachment(
                        kind="image",
                        media_id="1203948571629384",
                        mime_type="image/jpeg",
                        caption="Así me llegó la caja, vino aplastada 😕",
                    ),
                ),
            ),
            id="image",
        ),
        pytest.param(
            "document.json",
            inbound(
                "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjAyMzQ1Njc4OUFCQ0RFRjAxMjMA",
                LUCIA,
                700,
                kind="document",
                text="Les paso la factura para hacer el cambio",
                attachments=(
                    Attachment(
                        kind="document",
                        media_id="987654321098765",
                        mime_type="application/pdf",
                        filename="Factura-B-0003-00012874.pdf",
                        caption="Les paso la factura para hacer el cambio",
                    ),
                ),
            ),
            id="document",
        ),
        pytest.param(
            "audio.json",
            inbound(
                "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjAzNDU2Nzg5QUJDREVGMDEyMzQA",
                JOAO_WITH_BSUID,
                800,
                kind="audio",
                attachments=(
                    Attachment(
                        kind="audio", media_id="774512093384615", mime_type="audio/ogg; codecs=opus"
                    ),
                ),
            ),
            id="audio",
        ),
        pytest.param(
            "sticker.json",
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjA0NTY3ODlBQkNERUYwMTIzNDUA",
                MARIANA,
                850,
                kind="sticker",
                attachments=(
                    Attachment(kind="sticker", media_id="552093817461029", mime_type="image/webp"),
                ),
            ),
            id="sticker",
        ),
        pytest.param(
            "video.json",
            inbound(
                "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBFRjAxMjM0NTY3ODlBQkNERUYA",
                JOAO,
                2000,
                kind="video",
                text="O zíper da mochila não fecha, olha só",
                attachments=(
                    Attachment(
                        kind="video",
                        media_id="830174652209384",
                        mime_type="video/mp4",
                        caption="O zíper da mochila não fecha, olha só",
                    ),
                ),
            ),
            id="video",
        ),
        pytest.param(
            "location.json",
            inbound(
                "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjA1Njc4OUFCQ0RFRjAxMjM0NTYA",
                LUCIA,
                900,
                kind="location",
                text="Obelisco, Av. 9 de Julio s/n, C1043 CABA (-34.603722, -58.381592)",
                extra={
                    "latitude": "-34.603722",
                    "longitude": "-58.381592",
                    "name": "Obelisco",
                    "address": "Av. 9 de Julio s/n, C1043 CABA",
                },
            ),
            id="location",
        ),
        pytest.param(
            "contacts.json",
            inbound(
                "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA2Nzg5QUJDREVGMDEyMzQ1NjcA",
                JOAO,
                1000,
                kind="contacts",
                text="Ana Souza: +55 11 98765-4322\nLoja Centro: +55 11 3333-4444, +55 11 3333-4445",
            ),
            id="contacts",
        ),
        pytest.param(
            "interactive_button_reply.json",
            inbound(
                "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjA3ODlBQkNERUYwMTIzNDU2NzgA",
                LUCIA,
                1100,
                kind="interactive",
                text="Retiro en tienda",
                reply_to="wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEkI3QzhEOUUwRjFBMkIzQzREOQA=",
                extra={"reply_id": "retiro_en_tienda", "reply_type": "button_reply"},
            ),
            id="button_reply",
        ),
        pytest.param(
            "interactive_list_reply.json",
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjA4OUFCQ0RFRjAxMjM0NTY3ODkA",
                MARIANA,
                1200,
                kind="interactive",
                text="Polanco",
                reply_to="wamid.HBgNNTIxNTUxMjM0NTY3OBUCABEYEkUwRjFBMkIzQzRENUU2RjcwOAA=",
                extra={
                    "reply_id": "sucursal_polanco",
                    "reply_type": "list_reply",
                    "description": "Av. Presidente Masaryk 340, CDMX",
                },
            ),
            id="list_reply",
        ),
        pytest.param(
            "template_button.json",
            inbound(
                "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjA5QUJDREVGMDEyMzQ1Njc4OUEA",
                LUCIA,
                1300,
                kind="button",
                text="Confirmar retiro",
                reply_to="wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEkM4RDlFMEYxQTJCM0M0RDVFNgA=",
                extra={"payload": "CONFIRMAR_RETIRO:PED-1042"},
            ),
            id="template_button",
        ),
        pytest.param(
            "reaction.json",
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBQkNERUYwMTIzNDU2Nzg5QUIA",
                MARIANA,
                1400,
                kind="reaction",
                text="❤️",
                reply_to=MARIANA_ORDER_WAMID,
                extra={"action": "react"},
            ),
            id="reaction",
        ),
        pytest.param(
            "reaction_removed.json",
            inbound(
                "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBCQ0RFRjAxMjM0NTY3ODlBQkMA",
                MARIANA,
                1460,
                kind="reaction",
                reply_to=MARIANA_ORDER_WAMID,
                extra={"action": "unreact"},
            ),
            id="reaction_removed",
        ),
        pytest.param(
            "unsupported.json",
            inbound(
                "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDREVGMDEyMzQ1Njc4OUFCQ0QA",
                JOAO,
                1500,
                kind="unsupported",
                extra={"type": "unsupported", "error_code": "131051"},
            ),
            id="unsupported",
        ),
        pytest.param(
            "smb_message_echoes.json",
            inbound(
                "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEkYxQTJCM0M0RDVFNkY3MDgxOQA=",
                Sender(address="5491155550001", phone="+5491155550001"),
                1800,
                direction="outbound",
                text="¡Hola Lucía! Sí, te guardamos el talle 42 hasta el sábado.",
            ),
            id="business_app_echo",
        ),
        pytest.param(
            "bsuid_only.json",
            inbound(
                "wamid.HBgUTVguNDAyODExNzM5MDAxMjM0NRUCABIYFjNFQjBERUYwMTIzNDU2Nzg5QUJDREUA",
                Sender(
                    address="MX.4028117390012345",
                    name="Caro",
                    username="caro.compras",
                    bsuid="MX.4028117390012345",
                ),
                1900,
                text="Hola, ¿me dicen en qué estado está mi pedido PED-1057?",
            ),
            id="bsuid_only",
        ),
    ],
)
def test_one_message_fixture(name: str, expected: Inbound) -> None:
    assert ADAPTER.parse(fixture(name)) == Parsed(messages=(expected,))


def test_sent_delivered_and_read_statuses() -> None:
    wamid = "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEkQ5RTBGMUEyQjNDNEQ1RTZGNwA="

    parsed = ADAPTER.parse(fixture("statuses.json"))

    assert parsed == Parsed(
        statuses=(
            StatusReport(ACCOUNT, wamid, "sent", at(1600), recipient="5491155550001"),
            StatusReport(ACCOUNT, wamid, "delivered", at(1602), recipient="5491155550001"),
            StatusReport(ACCOUNT, wamid, "read", at(1650), recipient="5491155550001"),
        )
    )


def test_a_failed_status_carries_metas_code_and_explanation() -> None:
    parsed = ADAPTER.parse(fixture("status_failed.json"))

    assert parsed == Parsed(
        statuses=(
            StatusReport(
                ACCOUNT,
                "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkUwRjFBMkIzQzRENUU2RjcwOAA=",
                "failed",
                at(1700),
                recipient="5511987654321",
                error_code="131047",
                error_reason=(
                    "Re-engagement message: Message failed to send because more than 24 hours"
                    " have passed since the customer last replied to this number."
                ),
            ),
        )
    )


def _edited(name: str, edit: Any) -> bytes:
    """A fixture with one change applied to its first change's value."""
    payload = json.loads(fixture(name))
    edit(payload["entry"][0]["changes"][0]["value"])
    return json.dumps(payload).encode()


@pytest.mark.parametrize("status", ["deleted", "warning", "playing"])
def test_statuses_we_do_not_track_are_skipped(status: str) -> None:
    def rename_first(value: dict[str, Any]) -> None:
        value["statuses"][0]["status"] = status

    parsed = ADAPTER.parse(_edited("statuses.json", rename_first))

    assert [report.status for report in parsed.statuses] == ["delivered", "read"]


@pytest.mark.parametrize("message_type", ["order", "system", "request_welcome", "ephemeral"])
def test_message_types_we_do_not_know_are_kept_as_unsupported(message_type: str) -> None:
    def retype(value: dict[str, Any]) -> None:
        message = value["messages"][0]
        message["type"] = message_type
        message[message_type] = message.pop("text")

    parsed = ADAPTER.parse(_edited("text.json", retype))

    assert parsed.messages == (
        inbound(
            "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYFjNFQjBBMUMyRDNFNEY1QTZCN0M4RDkA",
            LUCIA,
            0,
            kind="unsupported",
            extra={"type": message_type},
        ),
    )


def test_an_empty_emoji_is_a_removed_reaction() -> None:
    def blank(value: dict[str, Any]) -> None:
        value["messages"][0]["reaction"]["emoji"] = ""

    (message,) = ADAPTER.parse(_edited("reaction.json", blank)).messages

    assert (message.kind, message.text, message.extra) == ("reaction", "", {"action": "unreact"})


def test_a_phone_message_takes_the_bsuid_from_its_contact() -> None:
    def add_bsuid(value: dict[str, Any]) -> None:
        value["contacts"][0]["user_id"] = "AR.7730019284561122"

    (message,) = ADAPTER.parse(_edited("text.json", add_bsuid)).messages

    assert message.sender == Sender(
        address="5491155550001",
        name="Lucía Fernández",
        phone="+5491155550001",
        bsuid="AR.7730019284561122",
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"object": "whatsapp_business_account", "entry": []}',
        b'{"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": []}]}',
        b'{"object": "whatsapp_business_account", "entry": [{"id": "1"}]}',
    ],
    ids=["no_entries", "no_changes", "entry_without_changes"],
)
def test_empty_deliveries_parse_to_nothing(body: bytes) -> None:
    assert ADAPTER.parse(body) == Parsed()


def _without(key: str) -> Any:
    def drop(value: dict[str, Any]) -> None:
        del value["messages"][0][key]

    return drop


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"<xml/>", id="not_json"),
        pytest.param(b"\xff\xfe\x00", id="not_text"),
        pytest.param(b"[]", id="not_an_object"),
        pytest.param(b'{"object": "page", "entry": []}', id="messenger_object"),
        pytest.param(b'{"object": "whatsapp_business_account"}', id="no_entry"),
        pytest.param(b'{"object": "whatsapp_business_account", "entry": {}}', id="entry_not_list"),
        pytest.param(b'{"object": "whatsapp_business_account", "entry": [1]}', id="entry_item"),
        pytest.param(_edited("text.json", _without("id")), id="message_without_id"),
        pytest.param(_edited("text.json", _without("from")), id="message_without_from"),
        pytest.param(_edited("text.json", _without("timestamp")), id="without_timestamp"),
        pytest.param(_edited("text.json", _without("type")), id="message_without_type"),
        pytest.param(
            _edited("text.json", lambda v: v["messages"][0].update(timestamp="ayer")),
            id="timestamp_not_a_number",
        ),
        pytest.param(_edited("text.json", lambda v: v.pop("metadata")), id="no_metadata"),
        pytest.param(_edited("text.json", lambda v: v.update(messages={})), id="messages_not_list"),
        pytest.param(
            _edited("statuses.json", lambda v: v["statuses"][0].pop("id")), id="status_without_id"
        ),
        pytest.param(
            _edited("image.json", lambda v: v["messages"][0]["image"].pop("id")),
            id="media_without_id",
        ),
    ],
)
def test_malformed_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(MalformedPayload):
        ADAPTER.parse(body)


def test_verify_checks_metas_signature_header() -> None:
    body = b'{"object":"page","entry":[]}'
    secret = "c4f1e2d3b5a6978812345abcdef09876"
    signature = "sha256=ac67b843c332d9419d07a130a2d4bfb8129356cda4698d67d7f6087b2bc9395e"

    assert ADAPTER.verify(body, {"x-hub-signature-256": signature}, secret) is True
    assert ADAPTER.verify(body + b" ", {"x-hub-signature-256": signature}, secret) is False
    assert ADAPTER.verify(body, {}, secret) is False


# --- sending ---------------------------------------------------------------------------------

SETTINGS = AccountSettings(account=ACCOUNT, access_token="EAAG-token-de-prueba")
MESSAGES_URL = f"https://graph.facebook.com/v21.0/{ACCOUNT}/messages"
ACCEPTED = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "5491155550001", "wa_id": "5491155550001"}],
    "messages": [{"id": "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEjAxQUJDREVGMDEyMzQ1Njc4OQA="}],
}


class Recorder:
    """A Graph API stand-in: records each request and answers with a fixed response."""

    def __init__(self, status: int = 200, answer: object = ACCEPTED) -> None:
        self.status = status
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.answer, bytes):
            return httpx.Response(self.status, content=self.answer)
        return httpx.Response(self.status, json=self.answer)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))

    def only_body(self) -> Any:
        (request,) = self.requests
        return json.loads(request.content)


def send(message: Outgoing, recorder: Recorder, settings: AccountSettings = SETTINGS) -> Sent:
    with recorder.client() as client:
        return ADAPTER.send(client, settings, message)


def test_text_goes_to_the_phone_numbers_messages_edge() -> None:
    recorder = Recorder()

    sent = send(Outgoing(recipient="5491155550001", text="¡Ya está listo tu pedido!"), recorder)

    assert sent == Sent("wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABEYEjAxQUJDREVGMDEyMzQ1Njc4OQA=")
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == MESSAGES_URL
    assert request.headers["authorization"] == "Bearer EAAG-token-de-prueba"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5491155550001",
        "type": "text",
        "text": {"preview_url": False, "body": "¡Ya está listo tu pedido!"},
    }


def test_graph_url_and_version_come_from_the_account_settings() -> None:
    recorder = Recorder()
    settings = AccountSettings(
        account=ACCOUNT,
        access_token="t",
        api_url="http://graph.test/",
        options={"graph_version": "v23.0"},
    )

    send(Outgoing(recipient="5491155550001", text="hola"), recorder, settings)

    assert str(recorder.requests[0].url) == f"http://graph.test/v23.0/{ACCOUNT}/messages"
    assert (GRAPH_URL, GRAPH_VERSION) == ("https://graph.facebook.com", "v21.0")


def test_a_template_fills_its_body_variables_in_order() -> None:
    recorder = Recorder()
    template = Template("retiro_listo", "es_AR", variables=("Lucía", "PED-1042"))

    send(Outgoing(recipient="5491155550001", template=template), recorder)

    assert recorder.only_body() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5491155550001",
        "type": "template",
        "template": {
            "name": "retiro_listo",
            "language": {"code": "es_AR"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Lucía"},
                        {"type": "text", "text": "PED-1042"},
                    ],
                }
            ],
        },
    }


def test_a_template_without_variables_has_no_components() -> None:
    recorder = Recorder()

    send(Outgoing(recipient="5215512345678", template=Template("hola", "es_MX")), recorder)

    assert recorder.only_body()["template"] == {"name": "hola", "language": {"code": "es_MX"}}


def test_an_image_by_link_carries_the_text_as_caption() -> None:
    recorder = Recorder()
    photo = Attachment(kind="image", url="https://cdn.tienda.example/runner-pro-42.jpg")

    send(Outgoing(recipient="5491155550001", text="Así es", attachments=(photo,)), recorder)

    body = recorder.only_body()
    assert (body["type"], body["image"]) == (
        "image",
        {"link": "https://cdn.tienda.example/runner-pro-42.jpg", "caption": "Así es"},
    )


def test_a_file_goes_as_a_document_with_its_filename() -> None:
    recorder = Recorder()
    invoice = Attachment(
        kind="file", url="https://cdn.tienda.example/f/PED-1042.pdf", filename="PED-1042.pdf"
    )

    send(Outgoing(recipient="5511987654321", attachments=(invoice,)), recorder)

    body = recorder.only_body()
    assert (body["type"], body["document"]) == (
        "document",
        {"link": "https://cdn.tienda.example/f/PED-1042.pdf", "filename": "PED-1042.pdf"},
    )


def test_an_uploaded_audio_is_sent_by_media_id() -> None:
    recorder = Recorder()

    send(
        Outgoing(recipient="5511987654321", attachments=(Attachment(kind="audio", media_id="77"),)),
        recorder,
    )

    body = recorder.only_body()
    assert (body["type"], body["audio"]) == ("audio", {"id": "77"})


def test_a_bsuid_is_addressed_as_recipient_not_to() -> None:
    recorder = Recorder()

    send(Outgoing(recipient="MX.4028117390012345", text="¡Hola Caro!"), recorder)

    body = recorder.only_body()
    assert body["recipient"] == "MX.4028117390012345"
    assert "to" not in body


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (Outgoing(recipient="5491155550001"), "empty_message"),
        (
            Outgoing(
                recipient="5491155550001",
                attachments=(
                    Attachment(kind="image", url="https://x.example/1.jpg"),
                    Attachment(kind="image", url="https://x.example/2.jpg"),
                ),
            ),
            "too_many_attachments",
        ),
        (
            Outgoing(
                recipient="5491155550001",
                text="escuchá",
                attachments=(Attachment(kind="audio", url="https://x.example/a.ogg"),),
            ),
            "unsupported",
        ),
        (
            Outgoing(recipient="5491155550001", attachments=(Attachment(kind="image"),)),
            "unsupported",
        ),
    ],
    ids=["empty", "two_attachments", "captioned_audio", "attachment_without_source"],
)
def test_messages_whatsapp_cannot_carry_are_refused_before_any_request(
    message: Outgoing, code: str
) -> None:
    recorder = Recorder()

    with pytest.raises(SendFailed) as failure:
        send(message, recorder)

    assert (failure.value.retryable, failure.value.code) == (False, code)
    assert recorder.requests == []


def graph_error(code: int, message: str) -> dict[str, object]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_subcode": 2494010,
            "fbtrace_id": "AbCdEfGhIjKlMnOp",
        }
    }


@pytest.mark.parametrize(
    ("status", "answer", "reason", "code", "retryable"),
    [
        (
            400,
            graph_error(131047, "Re-engagement message"),
            "Re-engagement message",
            "131047",
            False,
        ),
        (
            400,
            graph_error(131026, "Message undeliverable"),
            "Message undeliverable",
            "131026",
            False,
        ),
        (400, graph_error(100, "Invalid parameter"), "Invalid parameter", "100", False),
        (401, graph_error(190, "Error validating access token"), None, "190", False),
        (400, graph_error(131062, "BSUID recipients not supported"), None, "131062", False),
        (400, graph_error(130429, "Rate limit hit"), "Rate limit hit", "130429", True),
        (400, graph_error(131048, "Spam rate limit hit"), None, "131048", True),
        (400, graph_error(131056, "Pair rate limit hit"), None, "131056", True),
        (400, graph_error(80007, "Rate limit issues"), None, "80007", True),
        (403, graph_error(4, "Application request limit reached"), None, "4", True),
        (429, graph_error(100, "Too many calls"), None, "100", True),
        (503, graph_error(2, "Service temporarily unavailable"), None, "2", True),
        (502, b"<html>Bad Gateway</html>", "Graph API answered HTTP 502", None, True),
        (404, b"not found", "Graph API answered HTTP 404", None, False),
        (200, {"messaging_product": "whatsapp", "messages": []}, None, "no_message_id", False),
        (200, {"messaging_product": "whatsapp"}, None, "no_message_id", False),
        (200, b"ok", "Graph API answered HTTP 200", None, False),
    ],
)
def test_graph_errors_say_whether_a_retry_can_help(
    status: int, answer: object, reason: str | None, code: str | None, retryable: bool
) -> None:
    with pytest.raises(SendFailed) as failure:
        send(Outgoing(recipient="5491155550001", text="hola"), Recorder(status, answer))

    assert (failure.value.code, failure.value.retryable) == (code, retryable)
    if reason is not None:
        assert failure.value.reason == reason


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("connection refused"), httpx.ReadTimeout("timed out")],
    ids=["connect", "timeout"],
)
def test_transport_errors_are_retryable(error: httpx.TransportError) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise error

    with (
        httpx.Client(transport=httpx.MockTransport(unreachable)) as client,
        pytest.raises(SendFailed) as failure,
    ):
        ADAPTER.send(client, SETTINGS, Outgoing(recipient="5491155550001", text="hola"))

    assert (failure.value.retryable, failure.value.code) == (True, None)
