"""Real SMTP both ways: ``send_email`` through smtplib to our aiosmtpd ``MailReceiver`` on
127.0.0.1; the receiver acknowledges only what its callback took."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest

from mostrador.channels.base import AccountSettings, Outgoing, Sender, SendFailed
from mostrador.channels.email.parsing import parse_email
from mostrador.channels.email.receiver import MailReceiver
from mostrador.channels.email.sending import send_email

CUSTOMER = "lucia.fernandez@cliente.example"
NOW = datetime(2025, 11, 24, 15, 30, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Mailbox:
    """What the receiver's callback got; ``broken`` makes it fail like a database outage."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, list[str], str]] = []
        self.broken = False

    def on_mail(self, raw: bytes, recipients: list[str], mail_from: str) -> None:
        if self.broken:
            raise RuntimeError("database is down")
        self.received.append((raw, recipients, mail_from))


class CapturingSMTP(smtplib.SMTP):
    """The real smtplib client, keeping the bytes it sent to compare with what arrived."""

    sent: ClassVar[list[bytes]] = []  # reset per test by the fixture

    def sendmail(self, from_addr: str, to_addrs: Any, msg: Any, *args: Any, **kw: Any) -> Any:
        CapturingSMTP.sent.append(msg)
        return super().sendmail(from_addr, to_addrs, msg, *args, **kw)


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def settings(mailbox: Mailbox) -> Iterator[AccountSettings]:
    CapturingSMTP.sent = []
    port = free_port()
    receiver = MailReceiver(
        mailbox.on_mail,
        hostname="127.0.0.1",
        port=port,
        accepts=lambda address: address.lower() == CUSTOMER,
        server_name="mx.cliente.example",
    )
    with receiver:
        yield AccountSettings(
            account="hola@tienda.example",
            options={
                "smtp_host": "127.0.0.1",
                "smtp_port": str(port),
                "smtp_starttls": "false",
                "from_address": "hola@tienda.example",
                "from_name": "Tienda Sur",
            },
        )


REPLY = Outgoing(
    recipient=CUSTOMER,
    text="Hola Lucía: tu pedido #1042 está listo.\n.\nUna línea con solo un punto arriba.",
    subject="Tu pedido #1042",
    thread_refs=("pedido-1042.aviso@tienda.example", "CAJ7vRk3x+Yt8=Q1w@mail.cliente.example"),
    reply_address="hola+0f1e2d3c4b5a6978@tienda.example",
)


def send(settings: AccountSettings, message: Outgoing = REPLY) -> str:
    sent = send_email(
        settings,
        message,
        message_id_domain="tienda.example",
        smtp_factory=CapturingSMTP,
        now=NOW,
    )
    return sent.provider_message_id


def test_a_reply_arrives_byte_for_byte_with_its_threading_headers(
    settings: AccountSettings, mailbox: Mailbox
) -> None:
    message_id = send(settings)
    [(raw, recipients, mail_from)] = mailbox.received
    assert raw == CapturingSMTP.sent[0]  # nothing altered on the way
    assert b"\r\n.\r\n" in raw  # a line holding only a dot survived dot-stuffing
    assert (recipients, mail_from) == ([CUSTOMER], "hola@tienda.example")

    arrived = parse_email(raw, received_at=NOW, recipients=recipients)
    assert arrived.provider_message_id == message_id
    assert message_id.endswith("@tienda.example")
    assert arrived.subject == "Re: Tu pedido #1042"
    assert arrived.thread_refs == (
        "CAJ7vRk3x+Yt8=Q1w@mail.cliente.example",
        "pedido-1042.aviso@tienda.example",
    )
    assert arrived.sender == Sender(
        address="hola@tienda.example", name="Tienda Sur", email="hola@tienda.example"
    )
    assert arrived.sent_at == NOW
    assert arrived.text == (
        "Hola Lucía: tu pedido #1042 está listo.\n.\nUna línea con solo un punto arriba."
    )
    headers = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert f"Message-ID: <{message_id}>" in headers
    assert "In-Reply-To: <CAJ7vRk3x+Yt8=Q1w@mail.cliente.example>" in headers
    assert "Reply-To: hola+0f1e2d3c4b5a6978@tienda.example" in headers
    assert "Subject: Re: Tu pedido #1042" in headers
    references = headers.split("References:", 1)[1].split("\r\n", 2)
    assert " ".join(part.strip() for part in references[:2]).strip() == (
        "<pedido-1042.aviso@tienda.example> <CAJ7vRk3x+Yt8=Q1w@mail.cliente.example>"
    )


def test_a_failing_callback_answers_451_and_nothing_is_kept(
    settings: AccountSettings, mailbox: Mailbox
) -> None:
    mailbox.broken = True
    port = int(settings.options["smtp_port"])
    with (
        smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPDataError) as caught,
    ):
        smtp.sendmail("a@b.example", [CUSTOMER], b"Subject: hola\r\n\r\nhola\r\n")
    assert caught.value.smtp_code == 451
    assert caught.value.smtp_error == b"Requested action aborted: local error in processing"
    with pytest.raises(SendFailed) as failed:
        send(settings)
    assert (failed.value.retryable, failed.value.code) == (True, "451")
    assert mailbox.received == []

    mailbox.broken = False  # the sender's retry later gets through
    send(settings)
    assert len(mailbox.received) == 1


def test_an_unknown_mailbox_is_refused_with_550(
    settings: AccountSettings, mailbox: Mailbox
) -> None:
    port = int(settings.options["smtp_port"])
    with (
        smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused) as caught,
    ):
        smtp.sendmail("a@b.example", ["nadie@cliente.example"], b"Subject: x\r\n\r\nx\r\n")
    assert caught.value.recipients == {"nadie@cliente.example": (550, b"No such mailbox")}
    with pytest.raises(SendFailed) as failed:
        send(settings, Outgoing(recipient="nadie@cliente.example", text="hola"))
    assert (failed.value.retryable, failed.value.code) == (False, "550")
    assert mailbox.received == []


def test_an_accepted_message_is_acknowledged_as_delivered(settings: AccountSettings) -> None:
    port = int(settings.options["smtp_port"])
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail("a@b.example")
        smtp.rcpt(CUSTOMER)
        assert smtp.data(b"Subject: x\r\n\r\nx\r\n") == (250, b"Message accepted for delivery")


def test_a_mailbox_check_that_fails_defers_the_recipient(mailbox: Mailbox) -> None:
    def broken(address: str) -> bool:
        raise RuntimeError("database is down")

    port = free_port()
    with (
        MailReceiver(mailbox.on_mail, port=port, accepts=broken, server_name="mx"),
        smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused) as caught,
    ):
        smtp.sendmail("a@b.example", [CUSTOMER], b"Subject: x\r\n\r\nx\r\n")
    assert caught.value.recipients[CUSTOMER][0] == 451
