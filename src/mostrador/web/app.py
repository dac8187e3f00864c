"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from mostrador import __version__
from mostrador.bootstrap import Runtime
from mostrador.web import webchat
from mostrador.web.api import (
    assistant,
    automation,
    commerce,
    conversations,
    customers,
    events,
    health,
    workspace,
)
from mostrador.web.errors import install_error_handlers
from mostrador.web.ui import pages
from mostrador.web.webhooks import meta as meta_webhooks
from mostrador.web.webhooks import telegram as telegram_webhooks

STATIC = Path(__file__).parent / "ui" / "static"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
}


def create_app(runtime: Runtime, *, own_runtime: bool = False) -> FastAPI:
    """The web app on ``runtime``; with ``own_runtime`` it closes the runtime on shutdown."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_runtime:
            runtime.close()

    app = FastAPI(
        title="Mostrador API",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the interactive docs load assets from a CDN; the spec is enough
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.include_router(health.router)
    app.include_router(workspace.router, prefix="/api/v1")
    app.include_router(events.router, prefix="/api/v1")
    app.include_router(customers.router, prefix="/api/v1")
    app.include_router(commerce.router, prefix="/api/v1")
    app.include_router(conversations.router, prefix="/api/v1")
    app.include_router(assistant.router, prefix="/api/v1")
    app.include_router(automation.router, prefix="/api/v1")
    app.include_router(meta_webhooks.router)
    app.include_router(telegram_webhooks.router)
    app.include_router(webchat.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
