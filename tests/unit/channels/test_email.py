"""Email: real-shaped .eml files in (threading, reply tokens, quoted history, files), SMTP
out through a recording stand-in, IMAP polling against a stand-in that answers as imaplib."""

from __future__ import annotations

import email
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any, ClassVar

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
from mostrador.channels.email import ADAPTER, html_to_text, message_id_domain, trim_quoted
from mostrador.channels.email.imap import poll_mailbox
from mostrador.channels.email.parsing import parse_email
from mostrador.channels.email.sending import send_email

FIXTURES = Path(__file__).parents[2] / "fixtures" / "channels" / "email"
RECEIVED = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)


def fixture(name: str, **kwargs: Any) -> Inbound:
    return parse_email((FIXTURES / name).read_bytes(), received_at=RECEIVED, **kwargs)


def mail(headers: str, body: str = "Hola") -> bytes:
    return f"{headers.strip()}\n\n{body}\n".encode()


# -- the fixtures, field by field -------------------------------------------------------


def test_a_gmail_reply_in_spanish_loses_its_quoted_history() -> None:
    assert fixture("gmail_reply_es.eml") == Inbound(
        account="hola@tienda.example",
        provider_message_id="CAJ7vRk3x+Yt8=Q1w@mail.gmail.com",
        direction="inbound",
        sender=Sender(
            address="lucia.fernandez@gmail.com",
            name="Lucía Fernández",
            email="lucia.fernandez@gmail.com",
        ),
        sent_at=datetime(2025, 11, 24, 15, 15, tzinfo=UTC),
        kind="text",
        text="Hola, ¿puedo pasar a retirarlo mañana a la tarde?\nGracias!",
        thread_refs=("CAF1xq=9mQ@tienda.example", "pedido-1042.aviso@tienda.example"),
        subject="Re: Tu pedido #1042",
    )


def test_an_html_only_message_in_portuguese_becomes_plain_text() -> None:
    message = fixture("html_only_pt.eml")
    assert message.text == (
        "Olá,\n\n"
        "Comprei o tênis na sexta-feira e ainda não chegou.\n"
        "Podem verificar o rastreio? O código está em minha conta "
        "(https://rastreio.example/BR123456789) & no e-mail.\n\n"
        "Pedido: 5521\nTamanho: 42\n\n"
        "Obrigado!"
    )
    assert (message.account, message.provider_message_id, message.subject) == (
        "contato@loja.example",
        "20251125093000.4711@exemplo.com.br",
        "Dúvida sobre a entrega",
    )
    assert message.sender == Sender(
        address="joao.silva@exemplo.com.br", name="João Silva", email="joao.silva@exemplo.com.br"
    )
    assert (message.sent_at, message.kind, message.attachments) == (
        datetime(2025, 11, 25, 12, 30, tzinfo=UTC),
        "text",
        (),
    )


def test_an_attachment_comes_with_its_bytes_and_the_plain_alternative_is_the_text() -> None:
    message = fixture("alternative_with_pdf.eml")
    assert message.text == (
        "Buenas tardes:\n\nAdjuntamos la orden de compra 7788 por 24 unidades.\n\nSaludos,\nCompras"
    )
    assert message.attachments == (
        Attachment(
            kind="document",
            mime_type="application/pdf",
            filename="OC-7788.pdf",
            size=136,
            content=PDF,
        ),
    )
    assert message.attachments[0].content == PDF  # content is left out of equality's repr only
    assert (message.kind, message.account, message.thread_refs) == (
        "text",
        "ventas@tienda.example",
        (),
    )
    assert message.sent_at == datetime(2025, 11, 26, 13, 45, 10, tzinfo=UTC)


def test_an_outlook_reply_loses_the_header_block_and_what_follows() -> None:
    message = fixture("outlook_reply_es.eml")
    assert message.text == "Perfecto, lo retiro mañana en el local de Belgrano.\n\nSaludos,\nMartín"
    assert message.sender == Sender(
        address="martin.gomez@empresa.example",
        name="Martín Gómez",
        email="martin.gomez@empresa.example",
    )
    assert message.provider_message_id == (
        "DM6PR11MB4012ABCDEF0123456789@DM6PR11MB4012.namprd11.prod.outlook.com"
    )
    assert message.thread_refs == ("pedido-1043.aviso@tienda.example",)
    assert message.subject == "RE: Tu pedido #1043"
    assert message.sent_at == datetime(2025, 11, 27, 13, 20, 31, tzinfo=UTC)


def test_a_reply_address_gives_the_token_and_the_mailbox() -> None:
    message = fixture("reply_token.eml")
    assert (message.account, message.reply_token) == ("reply@tienda.example", "abc123")
    assert message.text == "Sí, prefiero el cambio por un talle 40."  # signature and quote cut
    assert message.thread_refs == ("conv-9f8e7d.1@tienda.example", "conv-9f8e7d.0@tienda.example")
    assert message.sent_at == datetime(2025, 11, 28, 11, 5, tzinfo=UTC)


def test_a_message_without_message_id_is_known_by_the_hash_of_its_bytes() -> None:
    message = fixture("no_message_id.eml")
    assert message.provider_message_id == (
        "sha256:3072b7b33d8df49fae188c7987dff9c512cfeaf309cb857ede458dd107498891"
    )
    assert message.sender == Sender(
        address="consultas@web-formulario.example", email="consultas@web-formulario.example"
    )
    assert message.sent_at == datetime(2025, 11, 29, 22, 10, tzinfo=UTC)  # "-0000" is UTC
    assert message.text == (
        "Nombre: Carla Ruiz\nTelefono: +54 9 11 5555-0199\n"
        "Mensaje: Quiero saber si hacen envios a Cordoba."
    )


# -- recipients, dates and senders --------------------------------------------------------


def test_envelope_recipients_name_the_mailbox_before_the_headers() -> None:
    message = fixture("gmail_reply_es.eml", recipients=["Ventas@Tienda.example"])
    assert message.account == "ventas@tienda.example"


def test_a_plus_address_of_any_mailbox_carries_a_token() -> None:
    raw = mail("From: a@b.example\nTo: Hola <hola+0f1e2d3c4b5a6978@tienda.example>\nDate: x")
    message = parse_email(raw, received_at=RECEIVED, recipients=())
    assert (message.account, message.reply_token) == ("hola@tienda.example", "0f1e2d3c4b5a6978")


def test_the_reply_address_wins_over_an_earlier_recipient() -> None:
    raw = mail("From: a@b.example\nTo: hola@tienda.example\nCc: reply+tok_1@tienda.example")
    message = parse_email(raw, received_at=RECEIVED)
    assert (message.account, message.reply_token) == ("reply@tienda.example", "tok_1")


def test_without_recipients_the_account_is_empty() -> None:
    assert parse_email(mail("From: a@b.example"), received_at=RECEIVED).account == ""


@pytest.mark.parametrize("date", ["", "Date: mañana\n", "Date: Mon, 99 Foo 2025 25:61:00 +0000\n"])
def test_an_unreadable_date_falls_back_to_the_receive_time(date: str) -> None:
    raw = mail(f"From: a@b.example\n{date}To: hola@tienda.example")
    assert parse_email(raw, received_at=RECEIVED).sent_at == RECEIVED


def test_references_are_newest_first_without_repeats() -> None:
    raw = mail(
        "From: a@b.example\nIn-Reply-To: <c@x> (sent by Ana)\n"
        "References: <a@x>\n <b@x> <c@x>\nMessage-ID:   <id-1@b.example>  "
    )
    message = parse_email(raw, received_at=RECEIVED)
    assert message.thread_refs == ("c@x", "b@x", "a@x")
    assert message.provider_message_id == "id-1@b.example"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"", "empty message"),
        (b"  \r\n", "empty message"),
        (b"To: hola@tienda.example\n\nsin remitente\n", "no sender address"),
        (b"From: Ana\nTo: hola@tienda.example\n\nhola\n", "no sender address"),
    ],
)
def test_a_mail_without_sender_is_malformed(raw: bytes, error: str) -> None:
    with pytest.raises(MalformedPayload, match=error):
        parse_email(raw, received_at=RECEIVED)


def test_an_unknown_charset_is_read_as_utf8() -> None:
    raw = mail(
        "From: a@b.example\nContent-Type: text/plain; charset=x-inventado",
        "Hola, ¿qué tal?",
    )
    assert parse_email(raw, received_at=RECEIVED).text == "Hola, ¿qué tal?"


# -- attachments --------------------------------------------------------------------------


def built(*files: tuple[bytes, str, str], text: str | None = "Adjunto") -> bytes:
    message = EmailMessage()
    message["From"] = "ana@cliente.example"
    message["To"] = "hola@tienda.example"
    if text is not None:
        message.set_content(text)
    for content, mime, name in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@pytest.mark.parametrize(
    ("mime", "kind"),
    [
        ("image/jpeg", "image"),
        ("audio/ogg", "audio"),
        ("video/mp4", "video"),
        ("application/pdf", "document"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document"),
        ("application/vnd.oasis.opendocument.text", "document"),
        ("text/csv", "document"),
        ("application/zip", "file"),
    ],
)
def test_attachment_kinds_follow_their_mime_type(mime: str, kind: str) -> None:
    message = parse_email(built((b"\x00\x01data", mime, "archivo")), received_at=RECEIVED)
    assert message.attachments == (
        Attachment(kind=kind, mime_type=mime, filename="archivo", size=6, content=b"\x00\x01data"),  # type: ignore[arg-type]
    )
    assert message.kind == "text"


def test_a_mail_with_only_a_file_is_of_the_files_kind() -> None:
    message = parse_email(
        built((b"JFIF", "image/jpeg", "foto.jpg"), text=None), received_at=RECEIVED
    )
    assert (message.kind, message.text) == ("image", "")
    zipped = parse_email(
        built((b"PK", "application/zip", "a.zip"), text=None), received_at=RECEIVED
    )
    assert zipped.kind == "document"


def test_a_forwarded_mail_is_one_attachment_with_its_bytes() -> None:
    inner = EmailMessage()
    inner["From"] = "otro@x.example"
    inner["Subject"] = "Factura"
    inner.set_content("Adjunta la factura")
    outer = EmailMessage()
    outer["From"] = "ana@cliente.example"
    outer.set_content("Te reenvío esto")
    outer.add_attachment(inner)
    message = parse_email(outer.as_bytes(), received_at=RECEIVED)
    assert message.text == "Te reenvío esto"
    [attachment] = message.attachments
    assert (attachment.kind, attachment.mime_type) == ("file", "message/rfc822")
    assert attachment.content == inner.as_bytes()


# -- html_to_text and trim_quoted ---------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hola</p><p>Chau</p>", "Hola\n\nChau"),
        ("<div>a</div><div>b<br><br>c</div>", "a\nb\n\nc"),
        ("<p>uno <b>dos</b> <i>tres</i>\n   cuatro</p>", "uno dos tres cuatro"),
        ('<a href="https://t.example/x">ver pedido</a>', "ver pedido (https://t.example/x)"),
        ('<a href="https://t.example">https://t.example</a>', "https://t.example"),
        ('<a href="mailto:ana@x.example">ana@x.example</a>', "ana@x.example"),
        ('<a href="#arriba">arriba</a>', "arriba"),
        ('<a href="https://t.example/logo"><img src="l.png"></a>', "https://t.example/logo"),
        ("<style>p{}</style><script>x()</script><p>solo esto</p>", "solo esto"),
        ("&lt;ok&gt; &amp; 10&nbsp;&euro; &#161;s&iacute;!", "<ok> & 10 € ¡sí!"),
        ("<ul><li>uno</li><li>dos</li></ul>fin", "uno\ndos\n\nfin"),
        (
            "<table><tr><td>Talle</td><td>M</td></tr><tr><td>Color</td></tr></table>",
            "Talle M\nColor",
        ),
    ],
)
def test_html_becomes_readable_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Sí, gracias\n\nOn Mon, Nov 24, 2025 at 10:03 AM Ana <a@x.example> wrote:\n> hola",
            "Sí, gracias",
        ),
        (
            "Obrigado\n\nEm seg., 24 de nov. de 2025 às 10:03, Loja\n<c@l.example> escreveu:\n\n> ok",
            "Obrigado",
        ),
        ("Dale\n\nEl 24/11/2025, a las 10:03,\nAna Pérez\n<a@x.example> escribió:\n> hola", "Dale"),
        ("Listo\n-----Original Message-----\nFrom: x", "Listo"),
        ("Listo\n\n-----Mensaje original-----\nDe: x\nEnviado: y", "Listo"),
        ("Ok\n\n________________________________\nFrom: Tienda <t@x>\nSent: Monday\nTo: me", "Ok"),
        ("Ok\n\n*De:* Tienda <t@x>\n*Enviado:* lunes\n*Para:* yo", "Ok"),
        ("Hola\n\n-- \nAna Pérez\nGerente", "Hola"),
        ("Respuesta\n\n> cita uno\n> cita dos\n>\n", "Respuesta"),
        ("> ¿Cuál?\nLa azul\n> ¿Talle?\nM", "> ¿Cuál?\nLa azul\n> ¿Talle?\nM"),
        (
            "El vendedor me escribió:\nque llega mañana",
            "El vendedor me escribió:\nque llega mañana",
        ),
        ("De: Compras\nNecesito 3 cajas", "De: Compras\nNecesito 3 cajas"),
        (
            "On Mon, Nov 24, 2025 Ana wrote:\n> solo la cita",
            "On Mon, Nov 24, 2025 Ana wrote:\n> solo la cita",
        ),
        ("línea uno\r\nlínea dos\r\n\r\n-- \r\nfirma", "línea uno\nlínea dos"),
        ("> todo citado\r\n> nada nuevo", "> todo citado\n> nada nuevo"),
    ],
)
def test_quoted_history_and_signatures_are_cut(text: str, kept: str) -> None:
    assert trim_quoted(text) == kept


# -- sending ------------------------------------------------------------------------------


class RecordingSMTP(smtplib.SMTP):
    """Stands in for a server: records every call; ``fail`` makes one step raise."""

    instances: ClassVar[list[RecordingSMTP]] = []

    def __init__(
        self, host: str, port: int, *, timeout: float, fail: dict[str, Exception] | None = None
    ) -> None:
        # No super().__init__(host): that would connect.
        super().__init__()
        self.opened = (host, port, timeout)
        self.calls: list[tuple[Any, ...]] = []
        self.fail = fail or {}
        RecordingSMTP.instances.append(self)

    def _step(self, name: str, *args: Any) -> None:
        self.calls.append((name, *args))
        if name in self.fail:
            raise self.fail[name]

    def starttls(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self._step("starttls", type(kwargs.get("context")))
        return 220, b"ready"

    def login(self, user: str, password: str, **kwargs: Any) -> tuple[int, bytes]:
        self._step("login", user, password)
        return 235, b"ok"

    def sendmail(
        self, from_addr: str, to_addrs: Any, msg: Any, *args: Any, **kw: Any
    ) -> dict[str, tuple[int, bytes]]:
        self._step("sendmail", from_addr, list(to_addrs), msg)
        return {}

    def quit(self) -> tuple[int, bytes]:
        self._step("quit")
        return 221, b"bye"

    def close(self) -> None:
        self.calls.append(("close",))


def recording(fail: dict[str, Exception] | None = None) -> Any:
    RecordingSMTP.instances = []

    def factory(host: str, port: int, *, timeout: float) -> smtplib.SMTP:
        return RecordingSMTP(host, port, timeout=timeout, fail=fail)

    return factory


SMTP_SETTINGS = AccountSettings(
    account="hola@tienda.example",
    options={
        "smtp_host": "smtp.tienda.example",
        "smtp_port": "2525",
        "smtp_user": "hola@tienda.example",
        "smtp_password": "clave",
        "from_address": "hola@tienda.example",
        "from_name": "Tienda Sur",
    },
)
REPLY = Outgoing(
    recipient="lucia.fernandez@gmail.com",
    text="Hola Lucía, sí: te esperamos mañana.",
    subject="Tu pedido #1042",
    thread_refs=("pedido-1042.aviso@tienda.example", "CAJ7vRk3x+Yt8=Q1w@mail.gmail.com"),
    reply_address="hola+0f1e2d3c4b5a6978@tienda.example",
)
NOW = datetime(2025, 11, 24, 15, 30, tzinfo=UTC)


def sent_message(factory: Any) -> tuple[RecordingSMTP, EmailMessage]:
    [smtp] = RecordingSMTP.instances
    [raw] = [call[3] for call in smtp.calls if call[0] == "sendmail"]
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    return smtp, parsed


def test_a_reply_is_threaded_and_sent_over_starttls_with_login() -> None:
    factory = recording()
    sent = send_email(
        SMTP_SETTINGS, REPLY, message_id_domain="tienda.example", smtp_factory=factory, now=NOW
    )
    smtp, message = sent_message(factory)
    assert smtp.opened == ("smtp.tienda.example", 2525, 30.0)
    assert [call[0] for call in smtp.calls] == ["starttls", "login", "sendmail", "quit"]
    assert smtp.calls[0] == ("starttls", ssl.SSLContext)
    assert smtp.calls[1] == ("login", "hola@tienda.example", "clave")
    assert smtp.calls[2][1:3] == ("hola@tienda.example", ["lucia.fernandez@gmail.com"])
    assert sent == Sent(message["Message-ID"].strip("<>"))
    assert sent.provider_message_id.endswith("@tienda.example")
    assert {
        name: str(message[name]).strip()  # a long References is folded
        for name in ("From", "To", "Subject", "Date", "In-Reply-To", "References", "Reply-To")
    } == {
        "From": "Tienda Sur <hola@tienda.example>",
        "To": "lucia.fernandez@gmail.com",
        "Subject": "Re: Tu pedido #1042",
        "Date": "Mon, 24 Nov 2025 15:30:00 +0000",
        "In-Reply-To": "<CAJ7vRk3x+Yt8=Q1w@mail.gmail.com>",
        "References": "<pedido-1042.aviso@tienda.example> <CAJ7vRk3x+Yt8=Q1w@mail.gmail.com>",
        "Reply-To": "hola+0f1e2d3c4b5a6978@tienda.example",
    }
    assert message.get_content().splitlines() == ["Hola Lucía, sí: te esperamos mañana."]
    assert b"\r\n" in smtp.calls[2][3]
    assert all(byte < 128 for byte in smtp.calls[2][3])  # 7-bit on the wire


@pytest.mark.parametrize(
    ("subject", "refs", "expected"),
    [
        ("Tu pedido", (), "Tu pedido"),
        ("Tu pedido", ("a@x",), "Re: Tu pedido"),
        ("Re: Tu pedido", ("a@x",), "Re: Tu pedido"),
        ("RE: Tu pedido", ("a@x",), "RE: Tu pedido"),
        ("Res: Seu pedido", ("a@x",), "Res: Seu pedido"),
        ("RV: Tu pedido", ("a@x",), "RV: Tu pedido"),
        (None, ("a@x",), ""),
    ],
)
def test_re_is_added_once_and_only_to_replies(
    subject: str | None, refs: tuple[str, ...], expected: str
) -> None:
    factory = recording()
    message = Outgoing(recipient="a@b.example", text="x", subject=subject, thread_refs=refs)
    send_email(SMTP_SETTINGS, message, message_id_domain="t.example", smtp_factory=factory, now=NOW)
    _, sent = sent_message(factory)
    assert sent["Subject"] == expected
    assert ("In-Reply-To" in sent, "References" in sent, "Reply-To" in sent) == (
        bool(refs),
        bool(refs),
        False,
    )


def test_plain_smtp_without_login_when_configured_so() -> None:
    factory = recording()
    settings = AccountSettings(
        account="hola@tienda.example",
        options={
            "smtp_host": "relay",
            "smtp_starttls": "false",
            "from_address": "hola@tienda.example",
        },
    )
    send_email(
        settings,
        Outgoing(recipient="a@b.example", text="x"),
        message_id_domain="t.example",
        smtp_factory=factory,
    )
    smtp, message = sent_message(factory)
    assert smtp.opened == ("relay", 587, 30.0)
    assert [call[0] for call in smtp.calls] == ["sendmail", "quit"]
    assert message["From"] == "hola@tienda.example"


def test_attachments_travel_with_their_bytes() -> None:
    factory = recording()
    message = Outgoing(
        recipient="a@b.example",
        text="La factura",
        attachments=(
            Attachment(
                kind="document", mime_type="application/pdf", filename="F-1.pdf", content=PDF
            ),
            Attachment(kind="file", content=b"\x00raw"),
        ),
    )
    send_email(SMTP_SETTINGS, message, message_id_domain="t.example", smtp_factory=factory, now=NOW)
    _, sent = sent_message(factory)
    files = [
        (p.get_content_type(), p.get_filename(), p.get_content()) for p in sent.iter_attachments()
    ]
    assert files == [
        ("application/pdf", "F-1.pdf", PDF),
        ("application/octet-stream", "adjunto", b"\x00raw"),
    ]


@pytest.mark.parametrize(
    ("step", "error", "retryable", "code"),
    [
        (
            "sendmail",
            smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"5.1.1 No such user")}),
            False,
            "550",
        ),
        (
            "sendmail",
            smtplib.SMTPRecipientsRefused({"a@b.example": (450, b"4.2.0 Greylisted")}),
            True,
            "450",
        ),
        ("sendmail", smtplib.SMTPDataError(554, b"5.7.1 Spam"), False, "554"),
        ("sendmail", smtplib.SMTPDataError(451, b"4.3.0 Try later"), True, "451"),
        (
            "sendmail",
            smtplib.SMTPSenderRefused(553, b"not allowed", "hola@tienda.example"),
            False,
            "553",
        ),
        ("sendmail", smtplib.SMTPServerDisconnected("gone"), True, "transport"),
        ("sendmail", TimeoutError("timed out"), True, "transport"),
        ("login", smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), False, "535"),
        (
            "starttls",
            smtplib.SMTPNotSupportedError("STARTTLS extension not supported"),
            False,
            "smtp_setup",
        ),
        (
            "starttls",
            ssl.SSLCertVerificationError("certificate verify failed"),
            False,
            "smtp_setup",
        ),
    ],
)
def test_smtp_errors_say_whether_to_retry(
    step: str, error: Exception, retryable: bool, code: str
) -> None:
    factory = recording({step: error})
    with pytest.raises(SendFailed) as caught:
        send_email(SMTP_SETTINGS, REPLY, message_id_domain="t.example", smtp_factory=factory)
    assert (caught.value.retryable, caught.value.code) == (retryable, code)
    [smtp] = RecordingSMTP.instances
    assert smtp.calls[-1] == ("quit",)  # the connection is always closed


def test_a_refused_recipient_is_reported_readably() -> None:
    factory = recording(
        {"sendmail": smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"5.1.1 No such user")})}
    )
    with pytest.raises(SendFailed, match=r"recipient refused: a@b.example: 550 5.1.1 No such user"):
        send_email(SMTP_SETTINGS, REPLY, message_id_domain="t.example", smtp_factory=factory)


def test_an_unreachable_server_is_retryable() -> None:
    def refuse(host: str, port: int, *, timeout: float) -> smtplib.SMTP:
        raise ConnectionRefusedError(111, "Connection refused")

    with pytest.raises(SendFailed) as caught:
        send_email(SMTP_SETTINGS, REPLY, message_id_domain="t.example", smtp_factory=refuse)
    assert (caught.value.retryable, caught.value.code) == (True, "transport")


def test_a_failing_quit_after_the_server_took_the_mail_is_still_sent() -> None:
    factory = recording({"quit": smtplib.SMTPServerDisconnected("gone")})
    sent = send_email(SMTP_SETTINGS, REPLY, message_id_domain="t.example", smtp_factory=factory)
    assert sent.provider_message_id.endswith("@t.example")
    assert RecordingSMTP.instances[0].calls[-1] == ("close",)


@pytest.mark.parametrize(
    ("options", "message", "reason"),
    [
        ({"smtp_host": "h"}, REPLY, "cannot build the message"),
        ({"from_address": "a@b.example"}, REPLY, "bad SMTP settings"),
        (
            {"from_address": "a@b.example", "smtp_host": "h", "smtp_port": "x"},
            REPLY,
            "bad SMTP settings",
        ),
        (
            {"from_address": "a@b.example", "smtp_host": "h"},
            Outgoing(recipient="a@b.example\r\nBcc: x@y"),
            "cannot build",
        ),
        (
            {"from_address": "a@b.example", "smtp_host": "h"},
            Outgoing(recipient="a@b.example", template=Template("t", "es")),
            "no message templates",
        ),
        (
            {"from_address": "a@b.example", "smtp_host": "h"},
            Outgoing(
                recipient="a@b.example",
                attachments=(Attachment(kind="image", url="https://x/y.png"),),
            ),
            "needs its bytes",
        ),
    ],
)
def test_what_cannot_be_sent_fails_before_connecting(
    options: dict[str, str], message: Outgoing, reason: str
) -> None:
    factory = recording()
    with pytest.raises(SendFailed, match=reason) as caught:
        send_email(
            AccountSettings(account="a", options=options),
            message,
            message_id_domain="t.example",
            smtp_factory=factory,
        )
    assert caught.value.retryable is False
    assert RecordingSMTP.instances == []


# -- the adapter --------------------------------------------------------------------------


def test_the_adapter_verifies_nothing_and_parses_with_the_date_header() -> None:
    raw = (FIXTURES / "gmail_reply_es.eml").read_bytes()
    assert ADAPTER.verify(raw, {}, "secret") is False
    assert ADAPTER.parse(raw) == Parsed(messages=(parse_email(raw, received_at=RECEIVED),))


@pytest.mark.parametrize("date", ["", "Date: someday\n"])
def test_the_adapter_refuses_a_mail_without_a_readable_date(date: str) -> None:
    with pytest.raises(MalformedPayload, match="Date header"):
        ADAPTER.parse(mail(f"From: a@b.example\n{date}To: hola@tienda.example"))


@pytest.mark.parametrize(
    ("options", "domain"),
    [
        ({"from_address": "hola@tienda.example"}, "tienda.example"),
        (
            {"from_address": "hola@tienda.example", "message_id_domain": "mail.tienda.example"},
            "mail.tienda.example",
        ),
    ],
)
def test_message_ids_use_the_configured_or_the_senders_domain(
    options: dict[str, str], domain: str
) -> None:
    assert message_id_domain(AccountSettings(account="a", options=options)) == domain


def test_message_ids_need_a_domain() -> None:
    with pytest.raises(SendFailed, match="from_address is not set"):
        message_id_domain(AccountSettings(account="a"))


def test_the_adapter_downloads_files_given_by_url(monkeypatch: pytest.MonkeyPatch) -> None:
    factory = recording()
    monkeypatch.setattr(
        "mostrador.channels.email.send_email",
        lambda settings, message, *, message_id_domain: send_email(
            settings, message, message_id_domain=message_id_domain, smtp_factory=factory
        ),
    )
    seen: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=PDF, headers={"content-type": "application/pdf; x=1"})

    client = httpx.Client(transport=httpx.MockTransport(serve))
    message = Outgoing(
        recipient="a@b.example",
        text="Factura",
        attachments=(Attachment(kind="document", url="https://cdn.example/f/Factura%201.pdf"),),
    )
    sent = ADAPTER.send(client, SMTP_SETTINGS, message)
    _, parsed = sent_message(factory)
    assert sent.provider_message_id.endswith("@tienda.example")
    assert seen == ["https://cdn.example/f/Factura%201.pdf"]
    [file] = parsed.iter_attachments()
    assert (file.get_content_type(), file.get_filename(), file.get_content()) == (
        "application/pdf",
        "Factura 1.pdf",
        PDF,
    )


@pytest.mark.parametrize(
    ("url", "status", "retryable"),
    [
        ("https://cdn.example/gone.pdf", 404, False),
        ("https://cdn.example/busy.pdf", 503, True),
        ("file:///etc/passwd", 200, False),
    ],
)
def test_an_unavailable_file_fails_the_send(url: str, status: int, retryable: bool) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(status)))
    message = Outgoing(recipient="a@b.example", attachments=(Attachment(kind="document", url=url),))
    with pytest.raises(SendFailed) as caught:
        ADAPTER.send(client, SMTP_SETTINGS, message)
    assert (caught.value.retryable, caught.value.code) == (retryable, "attachment")


# -- IMAP polling -------------------------------------------------------------------------


class FakeImap:
    """Answers like imaplib.IMAP4 does (typ, data) for the commands the poll uses."""

    def __init__(self, messages: dict[str, bytes], *, select: str = "OK") -> None:
        self.messages = messages
        self.seen: set[str] = set()
        self.calls: list[tuple[str, ...]] = []
        self.select_status = select

    def login(self, user: str, password: str) -> tuple[str, list[Any]]:
        self.calls.append(("login", user, password))
        return "OK", [b"LOGIN completed"]

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, list[Any]]:
        self.calls.append(("select", mailbox))
        if self.select_status != "OK":
            return "NO", [b"[NONEXISTENT] Unknown Mailbox"]
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command: str, *args: str) -> tuple[str, list[Any]]:
        self.calls.append(("uid", command, *args))
        if command == "SEARCH":
            unseen = [uid for uid in self.messages if uid not in self.seen]
            return "OK", [" ".join(unseen).encode()]
        if command == "FETCH":
            uid = args[0]
            raw = self.messages[uid]
            return "OK", [(f"1 (UID {uid} BODY[] {{{len(raw)}}}".encode(), raw), b")"]
        if command == "STORE":
            self.seen.add(args[0])
            return "OK", [f"1 (UID {args[0]} FLAGS (\\Seen))".encode()]
        raise AssertionError(command)

    def logout(self) -> tuple[str, list[Any]]:
        self.calls.append(("logout",))
        return "BYE", [b"LOGOUT Requested"]


def test_unseen_mail_is_handed_over_then_flagged_seen() -> None:
    gmail = (FIXTURES / "gmail_reply_es.eml").read_bytes()
    html = (FIXTURES / "html_only_pt.eml").read_bytes()
    imap = FakeImap({"7": gmail, "9": html})
    taken: list[tuple[bytes, list[str], str]] = []
    count = poll_mailbox(
        "imap.tienda.example",
        993,
        "hola@tienda.example",
        "clave",
        on_mail=lambda raw, rcpts, sender: taken.append((raw, rcpts, sender)),
        mailbox="Pedidos Web",
        imap_factory=lambda host, port: imap,
    )
    assert count == 2
    assert taken == [
        (gmail, ["hola@tienda.example"], "Lucia.Fernandez@Gmail.com"),
        (html, ["hola@tienda.example"], "joao.silva@exemplo.com.br"),
    ]
    assert imap.calls == [
        ("login", "hola@tienda.example", "clave"),
        ("select", '"Pedidos Web"'),
        ("uid", "SEARCH", "UNSEEN"),
        ("uid", "FETCH", "7", "(BODY.PEEK[])"),
        ("uid", "STORE", "7", "+FLAGS", "(\\Seen)"),
        ("uid", "FETCH", "9", "(BODY.PEEK[])"),
        ("uid", "STORE", "9", "+FLAGS", "(\\Seen)"),
        ("logout",),
    ]


def test_a_failing_hand_over_leaves_the_message_unseen_for_the_next_poll() -> None:
    imap = FakeImap({"1": b"From: a@b.example\n\nuno\n", "2": b"From: c@d.example\n\ndos\n"})

    def store(raw: bytes, recipients: list[str], sender: str) -> None:
        if sender == "a@b.example":
            raise RuntimeError("database is down")

    count = poll_mailbox("h", 993, "u", "p", on_mail=store, imap_factory=lambda host, port: imap)
    assert (count, imap.seen) == (1, {"2"})
    assert ("uid", "STORE", "1", "+FLAGS", "(\\Seen)") not in imap.calls
    assert (
        poll_mailbox("h", 993, "u", "p", on_mail=lambda *a: None, imap_factory=lambda h, p: imap)
        == 1
    )
    assert imap.seen == {"1", "2"}


def test_an_empty_mailbox_takes_nothing() -> None:
    imap = FakeImap({})
    assert (
        poll_mailbox("h", 993, "u", "p", on_mail=lambda *a: None, imap_factory=lambda h, p: imap)
        == 0
    )
    assert imap.calls[-2:] == [("uid", "SEARCH", "UNSEEN"), ("logout",)]


def test_a_missing_mailbox_raises_and_logs_out() -> None:
    imap = FakeImap({"1": b"From: a@b.example\n\nx\n"}, select="NO")
    with pytest.raises(Exception, match="cannot select Archivo"):
        poll_mailbox(
            "h",
            993,
            "u",
            "p",
            on_mail=lambda *a: None,
            mailbox="Archivo",
            imap_factory=lambda h, p: imap,
        )
    assert imap.calls[-1] == ("logout",)
