"""Telegram bot webhook: the secret token header names the account (updates do not name
the bot); the update is stored before 200, and its ``chat:message`` id de-duplicates."""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from mostrador.bootstrap import Runtime
from mostrador.channels.base import MalformedPayload
from mostrador.channels.telegram import ADAPTER
from mostrador.conversations import ChannelAccount, ingest
from mostrador.core.errors import NotFound
from mostrador.web.webhooks.meta import connected, error

log = logging.getLogger(__name__)

router = APIRouter(tags=["webhooks"])


def _bot(accounts: list[ChannelAccount], given: str) -> ChannelAccount | None:
    """The bot whose secret token the request carries."""
    for account in accounts:
        if (
            account.verify_token
            and given
            and hmac.compare_digest(given.encode(), account.verify_token.encode())
        ):
            return account
    return None


def receive(runtime: Runtime, body: bytes, headers: dict[str, str]) -> Response:
    given = headers.get("x-telegram-bot-api-secret-token", "")
    account = _bot(connected(runtime, "telegram"), given) or _bot(
        connected(runtime, "telegram", fresh=True), given
    )
    if account is None or not ADAPTER.verify(body, headers, account.verify_token):
        log.warning("telegram update with a secret token that matches no connected bot")
        return error(401, "bad_secret_token", "the secret token matches no connected bot")
    try:
        parsed = ADAPTER.parse(body)
    except MalformedPayload as exc:
        return error(400, "malformed_payload", str(exc))
    try:
        stored = ingest(runtime.uow, "telegram", body, parsed, {"": account})
    except NotFound as exc:
        return error(404, exc.code, exc.message)
    runtime.inbox_signal.set()
    return JSONResponse(
        {
            "received": stored.new_messages,
            "duplicates": stored.duplicates,
            "statuses": stored.statuses,
        }
    )


@router.post("/webhooks/telegram")
async def deliver(request: Request) -> Response:
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    return await run_in_threadpool(receive, request.app.state.runtime, body, headers)
