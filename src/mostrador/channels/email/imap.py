"""Polling a mailbox we do not receive for (Gmail, Microsoft 365, the hosting's IMAP).

Messages are read with BODY.PEEK[] (reading does not mark them) and flagged \\Seen only
after the hand-over callback returned, so a failure leaves them for the next poll.
UID commands are used because sequence numbers shift when another client expunges.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parseaddr
from typing import Any, Final, Protocol

log = logging.getLogger(__name__)

TIMEOUT_SECONDS: Final = 30.0

OnMail = Callable[[bytes, list[str], str], None]  # raw message, recipients, sender


class ImapClient(Protocol):
    """The part of ``imaplib.IMAP4`` the poll uses."""

    def login(self, user: str, password: str) -> tuple[str, list[Any]]: ...

    def select(self, mailbox: str = ..., readonly: bool = ...) -> tuple[str, list[Any]]: ...

    def uid(self, command: str, *args: str) -> tuple[str, list[Any]]: ...

    def logout(self) -> tuple[str, list[Any]]: ...


ImapFactory = Callable[[str, int], ImapClient]


def _raw_message(data: list[Any]) -> bytes | None:
    """imaplib answers a FETCH with [(b'1 (UID 7 BODY[] {n}', raw), b')']."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _sender(raw: bytes) -> str:
    """The envelope sender as the delivering server recorded it (Return-Path), else From."""
    headers = BytesHeaderParser(policy=default).parsebytes(raw)
    for name in ("Return-Path", "From"):
        address = parseaddr(str(headers.get(name, "")))[1]
        if address:
            return address
    return ""


def _quoted(mailbox: str) -> str:
    return f'"{mailbox}"' if " " in mailbox and not mailbox.startswith('"') else mailbox


def _connect(host: str, port: int, *, use_ssl: bool) -> ImapClient:
    # imaplib's own default SSL context does not verify certificates: pass a verifying one.
    if use_ssl:
        context = ssl.create_default_context()
        return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=TIMEOUT_SECONDS)
    return imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)


def _take(imap: ImapClient, uid: str, user: str, on_mail: OnMail) -> bool:
    """Hand one message over; True when it was taken (and flagged \\Seen)."""
    status, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = _raw_message(data) if status == "OK" else None
    if raw is None:
        log.warning("email: IMAP message %s could not be fetched (%s)", uid, status)
        return False
    try:
        on_mail(raw, [user], _sender(raw))
    except Exception:
        log.exception("email: IMAP message %s not taken; it stays unseen", uid)
        return False
    status, _ = imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    if status != "OK":  # handed over already: the next poll repeats it, the id deduplicates
        log.warning("email: IMAP message %s taken but not flagged \\Seen (%s)", uid, status)
    return True


def poll_mailbox(
    host: str,
    port: int,
    user: str,
    password: str,
    *,
    on_mail: OnMail,
    use_ssl: bool = True,
    mailbox: str = "INBOX",
    imap_factory: ImapFactory | None = None,
) -> int:
    """Hand every unseen message of ``mailbox`` to ``on_mail``; returns how many were taken.

    Login or mailbox errors raise ``imaplib.IMAP4.error``; a failing callback only skips
    that message."""
    if imap_factory is not None:
        imap = imap_factory(host, port)
    else:
        imap = _connect(host, port, use_ssl=use_ssl)
    try:
        imap.login(user, password)
        status, data = imap.select(_quoted(mailbox))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot select {mailbox}: {data}")
        status, data = imap.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot search {mailbox}: {data}")
        uids = [uid.decode() for uid in (data[0] or b"").split()] if data else []
        return sum(_take(imap, uid, user, on_mail) for uid in uids)
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            log.warning("email: IMAP logout from %s failed", host)
