"""Run a creating POST at most once per ``Idempotency-Key``; a retry gets the first answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from mostrador.bootstrap import Runtime
from mostrador.core import idempotency
from mostrador.core.access import Principal
from mostrador.core.errors import Conflict


async def run_idempotent(
    request: Request,
    runtime: Runtime,
    principal: Principal,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> JSONResponse:
    """Call ``create`` (which runs one action) unless this key already ran; replay if it did."""
    raw_key = request.headers.get("Idempotency-Key")
    if raw_key is None:
        status, body = await _in_thread(create)
        return JSONResponse(body, status)
    key = idempotency.validate_key(raw_key)
    request_hash = idempotency.fingerprint(request.method, request.url.path, await request.body())
    with runtime.uow.read() as session:
        previous = idempotency.find(session, principal.workspace_id, principal.actor, key)
        if previous is not None:
            return _replay(previous, request_hash)
    claim = idempotency.Claim(principal.workspace_id, principal.actor, key, request_hash)

    def run() -> tuple[int, dict[str, Any]]:
        with idempotency.claiming(claim):
            try:
                return create()
            except IntegrityError:
                # Another request with the same key (or the same unique value) committed first.
                raise Conflict(
                    "a concurrent request did this already; retry to get its result",
                    code="concurrent_request",
                ) from None

    status, body = await _in_thread(run)
    if not claim.written:
        # The action refused before committing anything: a retry may run it again.
        return JSONResponse(body, status)
    with runtime.uow.sessions.begin() as session:
        idempotency.store_response(session, claim, status, body)
    return JSONResponse(body, status)


def _replay(previous: idempotency.IdempotencyRecord, request_hash: str) -> JSONResponse:
    if previous.request_hash != request_hash:
        raise Conflict(
            "this Idempotency-Key was used for a different request", code="idempotency_key_reused"
        )
    if previous.status_code is None or previous.response is None:
        raise Conflict(
            "a request with this Idempotency-Key was already processed; fetch the result",
            code="request_already_processed",
        )
    return JSONResponse(
        previous.response, previous.status_code, headers={"Idempotent-Replayed": "true"}
    )


async def _in_thread(fn: Callable[[], tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]]:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn)
