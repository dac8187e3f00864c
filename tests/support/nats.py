"""Tidying up the throw-away JetStream streams tests create."""

from __future__ import annotations

import asyncio
import contextlib

import nats
from nats.js.errors import NotFoundError


def delete_stream(name: str, server: str = "nats://127.0.0.1:4222") -> None:
    async def drop() -> None:
        connection = await nats.connect(server)
        try:
            with contextlib.suppress(NotFoundError):
                await connection.jetstream().delete_stream(name)
        finally:
            await connection.close()

    asyncio.run(drop())
