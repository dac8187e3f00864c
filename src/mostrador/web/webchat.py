"""The web chat widget's endpoints (public, called from the shop's own site).

A visitor gets an id and a token (an HMAC of the id with the account's secret) when the
widget opens; every read and write carries both, so nobody reads another visitor's
thread. A logged-in shopper is proven by the shop's backend signing their user id
(``visitor_signature``); the identity engine then knows them as that shop account.
New replies reach the widget over Server-Sent Events.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy import select

from mostrador.bootstrap import Runtime
from mostrador.channels.base import MalformedPayload, Parsed
from mostrador.channels.webchat import UnverifiedVisitor, parse_visitor_message
from mostrador.conversations import ChannelAccount, Message, accounts_of_kind, ingest
from mostrador.core.errors import NotFound, Unauthenticated
from mostrador.web.webhooks.meta import error

router = APIRouter(tags=["webchat"])

WIDGET = Path(__file__).parent / "ui" / "static" / "webchat.js"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
}
STREAM_POLL = 1.0  # seconds between looks for new replies on an open stream
STREAM_LIFETIME = 300.0  # seconds before a stream ends (the browser reconnects)


def visitor_token(account: ChannelAccount, visitor_id: str) -> str:
    return hmac.new(
        account.app_secret.encode(), f"visitor:{visitor_id}".encode(), hashlib.sha256
    ).hexdigest()


def _account(runtime: Runtime, key: str) -> ChannelAccount:
    with runtime.uow.read() as session:
        for account in accounts_of_kind(session, "webchat"):
            if account.external_id == key:
                return account
    raise NotFound("no such chat", code="chat_not_found")


def _check_visitor(account: ChannelAccount, visitor_id: str, token: str) -> None:
    if not visitor_id or not hmac.compare_digest(visitor_token(account, visitor_id), token):
        raise Unauthenticated("this visitor token is not valid", code="bad_visitor_token")


@router.get("/webchat/widget.js", include_in_schema=False)
def widget() -> Response:
    """The embeddable script: ``<script src=".../webchat/widget.js" data-key="KEY">``."""
    return Response(
        WIDGET.read_text(encoding="utf-8"), media_type="application/javascript", headers=CORS
    )


@router.options("/webchat/{key}/{path:path}", include_in_schema=False)
def preflight(key: str, path: str) -> Response:
    return Response(status_code=204, headers=CORS)


@router.post("/webchat/{key}/sessions", status_code=201)
def start_session(key: str, request: Request) -> JSONResponse:
    """A new visitor id and its token (kept by the widget in the browser)."""
    account = _account(request.app.state.runtime, key)
    visitor_id = f"v_{secrets.token_hex(12)}"
    return JSONResponse(
        {"visitor_id": visitor_id, "token": visitor_token(account, visitor_id)}, 201, headers=CORS
    )


def _post(runtime: Runtime, key: str, body: bytes) -> Response:
    account = _account(runtime, key)
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise MalformedPayload("the body must be a JSON object")
        _check_visitor(account, str(data.get("visitor_id", "")), str(data.pop("token", "")))
        item = parse_visitor_message(
            data,
            account=account.external_id,
            received_at=runtime.clock.now(),
            secret=account.app_secret,
        )
    except (ValueError, MalformedPayload) as exc:
        return error(400, "malformed_message", str(exc))
    except UnverifiedVisitor as exc:
        return error(401, "unverified_visitor", str(exc))
    stored = ingest(
        runtime.uow, "webchat", body, Parsed(messages=(item,)), {account.external_id: account}
    )
    runtime.inbox_signal.set()
    return JSONResponse(
        {"received": stored.new_messages, "duplicates": stored.duplicates}, 202, headers=CORS
    )


@router.post("/webchat/{key}/messages", status_code=202)
async def post_message(key: str, request: Request) -> Response:
    """The visitor writes; stored before the answer, threaded right after."""
    body = await request.body()
    return await run_in_threadpool(_post, request.app.state.runtime, key, body)


def _thread(
    runtime: Runtime, account: ChannelAccount, visitor_id: str, after: datetime | None
) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        statement = select(Message).where(
            Message.account_id == account.id, Message.address == visitor_id
        )
        if after is not None:
            statement = statement.where(Message.created_at > after)
        rows = session.scalars(statement.order_by(Message.created_at, Message.id).limit(200)).all()
        return [
            {
                "id": str(m.id),
                "direction": m.direction,
                "text": m.text,
                "at": m.sent_at.isoformat(),
                "created_at": m.created_at.isoformat(),
            }
            for m in rows
        ]


@router.get("/webchat/{key}/messages")
def visitor_messages(
    key: str, request: Request, visitor_id: str, token: str, after: datetime | None = None
) -> JSONResponse:
    """The visitor's thread on this chat, oldest first (for a widget without streams)."""
    runtime = request.app.state.runtime
    account = _account(runtime, key)
    _check_visitor(account, visitor_id, token)
    return JSONResponse(_thread(runtime, account, visitor_id, after), headers=CORS)


@router.get("/webchat/{key}/stream")
async def visitor_stream(
    key: str,
    request: Request,
    visitor_id: str,
    token: str,
    after: Annotated[datetime | None, Query()] = None,
) -> StreamingResponse:
    """New messages of the visitor's thread as Server-Sent Events."""
    runtime = request.app.state.runtime
    account = await run_in_threadpool(_account, runtime, key)
    _check_visitor(account, visitor_id, token)

    async def events() -> AsyncIterator[str]:
        seen = after
        waited = 0.0
        yield ": connected\n\n"
        while waited < STREAM_LIFETIME and not await request.is_disconnected():
            found = await run_in_threadpool(_thread, runtime, account, visitor_id, seen)
            for item in found:
                seen = datetime.fromisoformat(item["created_at"])
                yield f"id: {item['id']}\nevent: message\ndata: {json.dumps(item)}\n\n"
            await asyncio.sleep(STREAM_POLL)
            waited += STREAM_POLL

    return StreamingResponse(
        events(), media_type="text/event-stream", headers=CORS | {"Cache-Control": "no-store"}
    )
