"""WhatsApp, Instagram and Messenger webhooks (Meta): the verification handshake and
signed deliveries. The signature is checked against the connected accounts' app secrets
before the body is parsed; 200 is answered only after the delivery is committed."""

from __future__ import annotations

import hmac
import logging
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from mostrador.bootstrap import Runtime
from mostrador.channels.base import Adapter, MalformedPayload
from mostrador.channels.registry import adapters
from mostrador.conversations import ChannelAccount, accounts_of_kind, ingest
from mostrador.core.errors import NotFound

log = logging.getLogger(__name__)

router = APIRouter(tags=["webhooks"], include_in_schema=True)

META_KINDS = ("whatsapp", "instagram", "messenger")


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


ACCOUNTS_FRESH = 2.0  # seconds a process trusts its list of connected accounts


def connected(runtime: Runtime, kind: str, *, fresh: bool = False) -> list[ChannelAccount]:
    """The active accounts of a provider, re-read at most every two seconds (every webhook
    needs them before anything else); ``fresh`` re-reads now (a delivery none of the cached
    accounts signed may be for one connected a moment ago)."""
    key = f"accounts:{kind}"
    cached = runtime.caches.get(key)
    now = time.monotonic()
    if not fresh and cached is not None and now - cached[0] < ACCOUNTS_FRESH:
        return list(cached[1])
    with runtime.uow.read() as session:
        found = list(accounts_of_kind(session, kind))
    runtime.caches[key] = (now, found)
    return found


def handshake(
    runtime: Runtime, kind: str, mode: str | None, token: str | None, challenge: str | None
) -> Response:
    """Meta's subscription check: echo the challenge if the token is one of ours."""
    known = [a.verify_token for a in connected(runtime, kind, fresh=True) if a.verify_token]
    if mode != "subscribe" or not token or challenge is None:
        return error(
            400,
            "invalid_handshake",
            "expected hub.mode=subscribe, hub.verify_token and hub.challenge",
        )
    if not any(hmac.compare_digest(token.encode(), k.encode()) for k in known):
        return error(403, "verify_token_mismatch", "the verify token matches no connected account")
    return PlainTextResponse(challenge)


def _signers(
    accounts: list[ChannelAccount], adapter: Adapter, body: bytes, headers: dict[str, str]
) -> list[ChannelAccount]:
    return [a for a in accounts if a.app_secret and adapter.verify(body, headers, a.app_secret)]


def receive(runtime: Runtime, adapter: Adapter, body: bytes, headers: dict[str, str]) -> Response:
    """Verify, parse, store; the answer says what happened."""
    signed_by = _signers(connected(runtime, adapter.kind), adapter, body, headers)
    if not signed_by:
        signed_by = _signers(connected(runtime, adapter.kind, fresh=True), adapter, body, headers)
    if not signed_by:
        log.warning("%s delivery with a signature that matches no connected account", adapter.kind)
        return error(
            401, "bad_signature", "the signature does not match any connected account's app secret"
        )
    try:
        parsed = adapter.parse(body)
    except MalformedPayload as exc:
        return error(400, "malformed_payload", str(exc))
    try:
        stored = ingest(
            runtime.uow, adapter.kind, body, parsed, {a.external_id: a for a in signed_by}
        )
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


def _routes(kind: str) -> None:
    @router.get(f"/webhooks/{kind}", name=f"{kind}_handshake")
    def verify(
        request: Request,
        mode: Annotated[str | None, Query(alias="hub.mode")] = None,
        token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
        challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
    ) -> Response:
        return handshake(request.app.state.runtime, kind, mode, token, challenge)

    @router.post(f"/webhooks/{kind}", name=f"{kind}_delivery")
    async def deliver(request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        adapter = adapters()[kind]
        return await run_in_threadpool(receive, request.app.state.runtime, adapter, body, headers)


for _kind in META_KINDS:
    _routes(_kind)
