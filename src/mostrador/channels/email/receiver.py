"""Our own SMTP receiver (aiosmtpd): mail for the business's mailboxes is accepted only
after it has been handed over, so nothing acknowledged with 250 is ever lost.

The hand-over callback is synchronous (it stores the mail); it runs in a worker thread so a
slow database never stalls the SMTP conversation of other senders.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from types import TracebackType
from typing import Final

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger(__name__)

OnMail = Callable[[bytes, list[str], str], None]  # raw message, envelope recipients, sender
Accepts = Callable[[str], bool]  # is this address one of our mailboxes?

ACCEPTED: Final = "250 Message accepted for delivery"
NOT_PROCESSED: Final = "451 Requested action aborted: local error in processing"
NO_MAILBOX: Final = "550 No such mailbox"


class _Handover:
    """The aiosmtpd handler: RCPT asks ``accepts``; DATA hands the raw bytes to ``on_mail``."""

    def __init__(self, on_mail: OnMail, accepts: Accepts | None) -> None:
        self._on_mail = on_mail
        self._accepts = accepts

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self._accepts is not None:
            try:
                known = await asyncio.to_thread(self._accepts, address)
            except Exception:
                log.exception("email: could not check mailbox %s", address)
                return NOT_PROCESSED
            if not known:
                return NO_MAILBOX
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        try:
            await asyncio.to_thread(
                self._on_mail, raw, list(envelope.rcpt_tos), envelope.mail_from or ""
            )
        except Exception:
            # 451 makes the sending server keep the mail and try again later.
            log.exception("email: could not take a message from %s", envelope.mail_from)
            return NOT_PROCESSED
        return ACCEPTED


class MailReceiver:
    """An SMTP server on ``hostname:port`` in a background thread; ``start`` / ``stop`` or
    use it as a context manager. ``accepts`` (optional) refuses unknown mailboxes at RCPT
    with 550, so mail for them is bounced by the sender's server, not silently dropped."""

    def __init__(
        self,
        on_mail: OnMail,
        *,
        hostname: str = "127.0.0.1",
        port: int = 8025,
        accepts: Accepts | None = None,
        server_name: str | None = None,
        max_message_bytes: int = 25 * 1024 * 1024,
    ) -> None:
        self.hostname = hostname
        self.port = port
        self._controller = Controller(
            _Handover(on_mail, accepts),
            hostname=hostname,
            port=port,
            server_hostname=server_name,
            data_size_limit=max_message_bytes,
        )

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailReceiver:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
