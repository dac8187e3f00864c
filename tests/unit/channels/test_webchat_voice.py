"""Web chat visitors (signed identities) and call events from any telephony provider."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mostrador.channels.base import Inbound, MalformedPayload, Sender
from mostrador.channels.voice import parse_call_event, spoken_duration
from mostrador.channels.webchat import (
    UnverifiedVisitor,
    parse_visitor_message,
    visitor_signature,
    visitor_verified,
)

SECRET = "wc_9f2b7c1e4d"
NOW = datetime(2025, 11, 24, 15, 0, tzinfo=UTC)

# -- webchat ------------------------------------------------------------------------------


def test_the_signature_is_hex_hmac_sha256_of_the_user_id() -> None:
    # Reference value computed independently: HMAC-SHA256(key="key", msg="The quick brown fox
    # jumps over the lazy dog"), the example every HMAC library documents.
    assert visitor_signature("key", "The quick brown fox jumps over the lazy dog") == (
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    )


@pytest.mark.parametrize(
    ("secret", "user_id", "signature", "verified"),
    [
        (SECRET, "cliente-881", visitor_signature(SECRET, "cliente-881"), True),
        (SECRET, "cliente-881", visitor_signature(SECRET, "cliente-881").upper(), True),
        (SECRET, "cliente-882", visitor_signature(SECRET, "cliente-881"), False),
        ("otro-secreto", "cliente-881", visitor_signature(SECRET, "cliente-881"), False),
        ("", "cliente-881", visitor_signature("", "cliente-881"), False),
        (SECRET, "cliente-881", "", False),
        (SECRET, "cliente-881", "ñ" * 64, False),
    ],
)
def test_only_the_sites_signature_verifies(
    secret: str, user_id: str, signature: str, verified: bool
) -> None:
    assert visitor_verified(secret, user_id, signature) is verified


def visitor(**fields: object) -> dict[str, object]:
    return {"visitor_id": "v_3kq9", "client_message_id": "m-0001", "text": "Hola", **fields}


def test_an_anonymous_visitors_message() -> None:
    data = visitor(text="  ¿Hacen envíos a Rosario?  ", name="Carla", email="carla@correo.example")
    assert parse_visitor_message(
        data, account="widget-tienda", received_at=NOW, secret=SECRET
    ) == Inbound(
        account="widget-tienda",
        provider_message_id="v_3kq9:m-0001",
        direction="inbound",
        sender=Sender(address="v_3kq9", name="Carla", email="carla@correo.example"),
        sent_at=NOW,
        kind="text",
        text="¿Hacen envíos a Rosario?",
    )


def test_a_signed_in_customer_is_verified() -> None:
    data = visitor(
        user_id="cliente-881",
        signature=visitor_signature(SECRET, "cliente-881"),
        phone="+5491155550123",
    )
    buenos_aires = datetime(2025, 11, 24, 12, 0, tzinfo=timezone(timedelta(hours=-3)))
    message = parse_visitor_message(data, account="w", received_at=buenos_aires, secret=SECRET)
    assert message.extra == {"user_id": "cliente-881", "verified": "true"}
    assert message.sender == Sender(address="v_3kq9", phone="+5491155550123")
    assert (message.sent_at, message.sent_at.tzinfo) == (NOW, UTC)


@pytest.mark.parametrize(
    "fields",
    [
        {"user_id": "cliente-881", "signature": "0" * 64},
        {"user_id": "cliente-881"},
        {"user_id": "cliente-881", "signature": visitor_signature("otro", "cliente-881")},
    ],
)
def test_an_unproven_identity_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(UnverifiedVisitor, match="cliente-881"):
        parse_visitor_message(visitor(**fields), account="w", received_at=NOW, secret=SECRET)


def test_no_identity_verifies_without_a_secret() -> None:
    data = visitor(user_id="u", signature=visitor_signature("", "u"))
    with pytest.raises(UnverifiedVisitor):
        parse_visitor_message(data, account="w", received_at=NOW, secret="")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"client_message_id": "m", "text": "x"}, "visitor_id must be a non-empty string"),
        ({"visitor_id": 7, "client_message_id": "m", "text": "x"}, "visitor_id must be"),
        ({"visitor_id": "v", "text": "x"}, "client_message_id must be a non-empty string"),
        ({"visitor_id": "v", "client_message_id": " ", "text": "x"}, "client_message_id must"),
        ({"visitor_id": "v", "client_message_id": "m"}, "text must be a non-empty string"),
        ({"visitor_id": "v", "client_message_id": "m", "text": " \n "}, "text must be"),
        ({"visitor_id": "v", "client_message_id": "m", "text": ["x"]}, "text must be"),
        ({"visitor_id": "v", "client_message_id": "m", "text": "x" * 4001}, "longer than 4000"),
        ({"visitor_id": "v" * 321, "client_message_id": "m", "text": "x"}, "longer than 320"),
        (visitor(name=5), "name must be a non-empty string"),
        (visitor(email=""), "email must be a non-empty string"),
        (visitor(signature="abc"), "signature without user_id"),
    ],
)
def test_a_bad_shape_is_malformed(data: dict[str, object], error: str) -> None:
    with pytest.raises(MalformedPayload, match=error):
        parse_visitor_message(data, account="w", received_at=NOW, secret=SECRET)


def test_exactly_4000_characters_are_accepted() -> None:
    message = parse_visitor_message(
        visitor(text="a" * 4000), account="w", received_at=NOW, secret=SECRET
    )
    assert len(message.text) == 4000


def test_a_naive_receive_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_visitor_message(
            visitor(),
            account="w",
            received_at=datetime(2025, 11, 24),  # noqa: DTZ001 (naive on purpose)
            secret=SECRET,
        )


# -- voice --------------------------------------------------------------------------------


def call(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "call_id": "CA9f1e",
        "event": "missed",
        "from": "+5491155550123",
        "to": "+541148001234",
        "at": "2025-11-24T12:00:00-03:00",
    }
    return {**base, **fields}


def test_a_missed_inbound_call() -> None:
    assert parse_call_event(call(), account="+541148001234") == Inbound(
        account="+541148001234",
        provider_message_id="CA9f1e:missed",
        direction="inbound",
        sender=Sender(address="+5491155550123", phone="+5491155550123"),
        sent_at=NOW,
        kind="call",
        text="Llamada perdida",
        extra={"call_id": "CA9f1e", "event": "missed"},
    )


def test_an_ended_call_tells_its_length_and_recording() -> None:
    data = call(
        event="ended",
        duration_seconds=192,
        recording_url="https://pbx.example/rec/CA9f1e.mp3",
        at="2025-11-24T15:03:12Z",
    )
    message = parse_call_event(data, account="+541148001234")
    assert (message.provider_message_id, message.text) == (
        "CA9f1e:ended",
        "Llamada finalizada (3 min 12 s)",
    )
    assert message.sent_at == datetime(2025, 11, 24, 15, 3, 12, tzinfo=UTC)
    assert message.extra == {
        "call_id": "CA9f1e",
        "event": "ended",
        "duration_seconds": "192",
        "recording_url": "https://pbx.example/rec/CA9f1e.mp3",
    }


def test_an_outbound_call_is_from_us_to_the_customer() -> None:
    data = call(
        direction="outbound", event="ringing", **{"from": "+541148001234", "to": "+5491155550123"}
    )
    message = parse_call_event(data, account="+541148001234")
    assert (message.direction, message.text) == ("outbound", "Llamada saliente")
    assert message.sender == Sender(address="+5491155550123", phone="+5491155550123")


@pytest.mark.parametrize(
    ("event", "direction", "duration", "text"),
    [
        ("ringing", "inbound", None, "Llamada entrante"),
        ("answered", "inbound", None, "Llamada atendida"),
        ("answered", "outbound", None, "Llamada atendida"),
        ("missed", "outbound", None, "Llamada no atendida"),
        ("ended", "inbound", None, "Llamada finalizada"),
        ("ended", "inbound", 0, "Llamada finalizada"),
        ("ended", "inbound", 45, "Llamada finalizada (45 s)"),
        ("ended", "inbound", 3605, "Llamada finalizada (1 h 5 s)"),
    ],
)
def test_every_state_reads_in_spanish(
    event: str, direction: str, duration: int | None, text: str
) -> None:
    fields: dict[str, object] = {"event": event, "direction": direction}
    if duration is not None:
        fields["duration_seconds"] = duration
    assert parse_call_event(call(**fields), account="l").text == text


@pytest.mark.parametrize(
    ("seconds", "spoken"),
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (192, "3 min 12 s"),
        (3600, "1 h"),
        (3725, "1 h 2 min 5 s"),
    ],
)
def test_durations_read_naturally(seconds: int, spoken: str) -> None:
    assert spoken_duration(seconds) == spoken


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"call_id": ""}, "call_id must be a non-empty string"),
        ({"call_id": 12}, "call_id must be"),
        ({"event": "hold"}, "event must be one of ringing, answered, missed, ended"),
        ({"event": None}, "event must be one of"),
        ({"from": None}, "from must be a non-empty string"),
        ({"to": " "}, "to must be a non-empty string"),
        ({"at": "2025-11-24T12:00:00"}, "at must carry its UTC offset"),
        ({"at": "ayer"}, "at must be an ISO 8601 date and time"),
        ({"at": 1763996400}, "at must be a non-empty string"),
        ({"duration_seconds": -1}, "duration_seconds must be a whole number"),
        ({"duration_seconds": 1.5}, "duration_seconds must be"),
        ({"duration_seconds": True}, "duration_seconds must be"),
        ({"recording_url": ""}, "recording_url must be a non-empty string"),
        ({"direction": "sideways"}, "direction must be inbound or outbound"),
    ],
)
def test_a_bad_event_names_its_field(fields: dict[str, object], error: str) -> None:
    with pytest.raises(MalformedPayload, match=error):
        parse_call_event(call(**fields), account="l")
