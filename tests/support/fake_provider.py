"""A real HTTP server on loopback standing in for a provider's send API (Meta's Graph API,
Telegram's Bot API): it records every request and answers with the provider's shapes."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeProvider:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    # Answers to give before the normal one: (status, body) pairs, consumed in order.
    scripted: list[tuple[int, Any]] = field(default_factory=list)


def _answer_for(path: str, counter: Iterator[int]) -> Any:
    n = next(counter)
    if (
        path.endswith("/messages")
        and "/me/" not in path
        and not path.split("/")[-2].startswith("1784")
    ):
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": "", "wa_id": ""}],
            "messages": [{"id": f"wamid.fake{n:04d}"}],
        }
    if "/bot" in path:
        return {"ok": True, "result": {"message_id": 900 + n, "chat": {"id": 0}}}
    return {"recipient_id": "", "message_id": f"m_fake{n:04d}"}


@contextmanager
def fake_provider() -> Iterator[FakeProvider]:
    counter = itertools.count(1)
    state = FakeProvider(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            state.requests.append(
                Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status, answer = (
                state.scripted.pop(0) if state.scripted else (200, _answer_for(self.path, counter))
            )
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
