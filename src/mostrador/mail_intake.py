"""E-mail into the inbox: the built-in SMTP receiver and IMAP polling hand every message to
``receive_mail``, which stores it (acknowledged only after commit) for threading."""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Callable

from mostrador.bootstrap import Runtime
from mostrador.channels.base import MalformedPayload, Parsed
from mostrador.channels.email.imap import poll_mailbox
from mostrador.channels.email.parsing import parse_email
from mostrador.channels.email.receiver import MailReceiver
from mostrador.conversations import ChannelAccount, Stored, accounts_of_kind, ingest
from mostrador.core.errors import NotFound

log = logging.getLogger(__name__)


def _mailboxes(runtime: Runtime) -> dict[str, ChannelAccount]:
    with runtime.uow.read() as session:
        return {a.external_id.lower(): a for a in accounts_of_kind(session, "email")}


def _plain(address: str) -> str:
    local, _, domain = address.strip().lower().strip("<>").partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def accepts(runtime: Runtime, address: str) -> bool:
    """Whether ``address`` (or its reply+token form) is a connected mailbox."""
    return _plain(address) in _mailboxes(runtime)


def receive_mail(runtime: Runtime, raw: bytes, recipients: list[str], mail_from: str) -> Stored:
    """Store one e-mail for the mailbox it was sent to; raises if it cannot be stored."""
    boxes = _mailboxes(runtime)
    ours = [r for r in recipients if _plain(r) in boxes] or list(recipients)
    try:
        item = parse_email(raw, received_at=runtime.clock.now(), recipients=ours)
    except MalformedPayload:
        log.warning("an e-mail from %s could not be read; it is dropped", mail_from)
        raise
    account = boxes.get(_plain(item.account))
    if account is None:
        raise NotFound(f"no connected mailbox {item.account}", code="unknown_account")
    stored = ingest(runtime.uow, "email", raw, Parsed(messages=(item,)), {item.account: account})
    runtime.inbox_signal.set()
    return stored


def _taker(runtime: Runtime) -> Callable[[bytes, list[str], str], None]:
    def take(raw: bytes, recipients: list[str], mail_from: str) -> None:
        receive_mail(runtime, raw, recipients, mail_from)

    return take


def start_receiver(runtime: Runtime) -> MailReceiver | None:
    """Listen for e-mail on ``settings.smtp_receiver`` (host:port), if configured."""
    where = runtime.settings.smtp_receiver
    if not where:
        return None
    host, _, port = where.rpartition(":")
    receiver = MailReceiver(
        on_mail=_taker(runtime),
        accepts=lambda address: accepts(runtime, address),
        hostname=host or "127.0.0.1",
        port=int(port),
    )
    receiver.start()
    log.info("receiving e-mail on %s", where)
    return receiver


def poll_mailboxes(runtime: Runtime) -> int:
    """Fetch unseen mail from every mailbox with IMAP settings; returns how many."""
    taken = 0
    for account in _mailboxes(runtime).values():
        options = account.options
        if not options.get("imap_host"):
            continue
        try:
            taken += poll_mailbox(
                options["imap_host"],
                int(options.get("imap_port", "993")),
                options.get("imap_user", account.external_id),
                options.get("imap_password", ""),
                on_mail=_taker(runtime),
            )
        except (OSError, imaplib.IMAP4.error):
            log.warning("polling %s failed; trying again later", account.external_id, exc_info=True)
    return taken
