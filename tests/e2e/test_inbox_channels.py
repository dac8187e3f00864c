"""Telegram, e-mail, web chat and the CLI-connected WhatsApp number served by a real
`mostrador serve` process: each through its real entry point."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mostrador import mail_intake
from mostrador.bootstrap import Runtime
from mostrador.channels.email.receiver import MailReceiver
from mostrador.conversations import thread_all
from mostrador.core.clock import FixedClock
from tests.e2e.test_cli import create_workspace_args, run
from tests.support.factories import bearer, make_token, make_workspace
from tests.support.fake_provider import FakeProvider, fake_provider
from tests.support.inbox import PHONE_NUMBER_ID, connect, send_all, signed, whatsapp_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "channels"


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def conversation_of(client: TestClient, token: str) -> dict[str, Any]:
    [conversation] = client.get("/api/v1/conversations", headers=bearer(token)).json()
    return conversation


def messages_of(client: TestClient, token: str, conversation_id: str) -> list[dict[str, Any]]:
    answer = client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=bearer(token))
    return list(answer.json())


def test_telegram_update_is_checked_stored_once_and_answered(
    runtime: Runtime, client: TestClient, provider: FakeProvider, clock: FixedClock
) -> None:
    clock.set(datetime.fromtimestamp(1763996400, UTC) + timedelta(minutes=2))
    ws = make_workspace(runtime)
    connect(
        runtime,
        ws,
        "telegram",
        "7000000001",
        provider.url,
        access_token="7000000001:AAH-bot",
        verify_token="s3cr3t-telegram",
    )
    token = make_token(runtime, ws, "agent")
    body = (FIXTURES / "telegram" / "text.json").read_bytes()
    wrong = client.post(
        "/webhooks/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": "otro"}
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "bad_secret_token")
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cr3t-telegram"}
    assert client.post("/webhooks/telegram", content=body, headers=headers).json()["received"] == 1
    assert (
        client.post("/webhooks/telegram", content=body, headers=headers).json()["duplicates"] == 1
    )
    thread_all(runtime.uow)
    conversation = conversation_of(client, token)
    [message] = messages_of(client, token, conversation["id"])
    assert (message["channel"], message["text"], message["provider_message_id"]) == (
        "telegram",
        "Hola, ¿tienen la campera azul en talle M?",
        "5123456789:1021",
    )
    client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "¡Sí! Quedan 3."},
        headers=bearer(token),
    )
    assert send_all(runtime) == 1
    [request] = provider.requests
    assert (request.path, request.body) == (
        "/bot7000000001:AAH-bot/sendMessage",
        {"chat_id": "5123456789", "text": "¡Sí! Quedan 3."},
    )


def test_email_arrives_over_smtp_and_the_reply_keeps_the_thread(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    clock.set(datetime(2025, 11, 24, 15, 20, tzinfo=UTC))
    outside: list[bytes] = []
    outgoing = MailReceiver(
        on_mail=lambda raw, rcpts, sender: outside.append(raw),
        hostname="127.0.0.1",
        port=free_port(),
    )
    outgoing.start()
    ws = make_workspace(runtime)
    connect(
        runtime, ws, "email", "hola@tienda.example",
        options={"smtp_host": "127.0.0.1", "smtp_port": str(outgoing.port), "smtp_starttls": "false", "from_address": "hola@tienda.example", "from_name": "Tienda Sur"},
    )  # fmt: skip
    token = make_token(runtime, ws, "agent")
    inbound_port = free_port()
    receiver = MailReceiver(
        on_mail=mail_intake._taker(runtime),
        accepts=lambda address: mail_intake.accepts(runtime, address),
        hostname="127.0.0.1",
        port=inbound_port,
    )
    receiver.start()
    try:
        raw = (FIXTURES / "email" / "gmail_reply_es.eml").read_bytes().replace(b"\n", b"\r\n")
        with smtplib.SMTP("127.0.0.1", inbound_port) as smtp:
            smtp.sendmail("lucia.fernandez@gmail.com", ["hola@tienda.example"], raw)
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.sendmail("x@example.com", ["nadie@otra.example"], raw)
        thread_all(runtime.uow)
        conversation = conversation_of(client, token)
        [message] = messages_of(client, token, conversation["id"])
        assert (message["channel"], message["subject"], message["text"]) == (
            "email",
            "Re: Tu pedido #1042",
            "Hola, ¿puedo pasar a retirarlo mañana a la tarde?\nGracias!",
        )
        client.post(
            f"/api/v1/conversations/{conversation['id']}/messages",
            json={"text": "¡Claro, te esperamos!"},
            headers=bearer(token),
        )
        assert send_all(runtime) == 1
    finally:
        receiver.stop()
        outgoing.stop()
    [sent] = outside
    reply = message_from_bytes(sent)
    assert reply["To"] == "lucia.fernandez@gmail.com"
    assert reply["Subject"] == "Re: Tu pedido #1042"
    assert reply["In-Reply-To"] == "<CAJ7vRk3x+Yt8=Q1w@mail.gmail.com>"
    assert reply["References"].split() == [
        "<pedido-1042.aviso@tienda.example>",
        "<CAF1xq=9mQ@tienda.example>",
        "<CAJ7vRk3x+Yt8=Q1w@mail.gmail.com>",
    ]
    assert reply["Reply-To"] == f"hola+{conversation['id'].replace('-', '')[:16]}@tienda.example"


def test_web_chat_visitor_writes_and_reads_the_agents_reply(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    ws = make_workspace(runtime)
    connect(runtime, ws, "webchat", "tienda-sur", app_secret="secreto-del-chat")
    token = make_token(runtime, ws, "agent")
    script = client.get("/webchat/widget.js")
    assert (script.status_code, script.headers["content-type"]) == (200, "application/javascript")
    session = client.post("/webchat/tienda-sur/sessions").json()
    message = {
        "visitor_id": session["visitor_id"],
        "token": session["token"],
        "client_message_id": "a1",
        "text": "¿Hacen envíos a Rosario?",
    }
    assert client.post("/webchat/tienda-sur/messages", json=message).status_code == 202
    assert client.post("/webchat/tienda-sur/messages", json=message).json() == {
        "received": 0,
        "duplicates": 1,
    }
    forged = message | {"token": "0" * 64, "client_message_id": "a2"}
    assert (
        client.post("/webchat/tienda-sur/messages", json=forged).json()["error"]["code"]
        == "bad_visitor_token"
    )
    thread_all(runtime.uow)
    conversation = conversation_of(client, token)
    client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "Sí, en 48 h."},
        headers=bearer(token),
    )
    send_all(runtime)
    thread = client.get(
        "/webchat/tienda-sur/messages",
        params={"visitor_id": session["visitor_id"], "token": session["token"]},
    ).json()
    assert [(m["direction"], m["text"]) for m in thread] == [
        ("inbound", "¿Hacen envíos a Rosario?"),
        ("outbound", "Sí, en 48 h."),
    ]
    other = client.get(
        "/webchat/tienda-sur/messages",
        params={"visitor_id": session["visitor_id"], "token": "f" * 64},
    )
    assert other.status_code == 401


def test_a_cli_connected_whatsapp_number_works_end_to_end_under_serve(
    tmp_path: Path, provider: FakeProvider
) -> None:
    db = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    assert run(["db", "upgrade"], db=db).returncode == 0
    assert run(create_workspace_args("Aurora"), db=db).returncode == 0
    added = run(
        ["channel", "add", "whatsapp", "--workspace", "aurora", "--phone-number-id", PHONE_NUMBER_ID,
         "--access-token", "EAAG-cli", "--app-secret", "cli-secret", "--verify-token", "cli-verify",
         "--graph-url", provider.url],
        db=db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines()[-1] == "webhook: /webhooks/whatsapp"
    again = run(
        [
            "channel",
            "add",
            "whatsapp",
            "--workspace",
            "aurora",
            "--phone-number-id",
            PHONE_NUMBER_ID,
            "--access-token",
            "x",
            "--app-secret",
            "y",
            "--verify-token",
            "z",
        ],
        db=db,
    )
    assert (again.returncode, again.stderr.strip()) == (
        2,
        f"error: whatsapp account {PHONE_NUMBER_ID} is already connected",
    )
    token = run(
        ["token", "create", "--workspace", "aurora", "--role", "agent"], db=db
    ).stdout.strip()
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MOSTRADOR_") and k != "DATABASE_URL"
    }
    server = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "mostrador.cli", "serve", "--port", str(port)],
        env=env | {"DATABASE_URL": db, "MOSTRADOR_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as http:
            wait_until(lambda: http.get("/healthz").status_code == 200)
            live: list[str] = []
            listener = threading.Thread(
                target=listen, args=(f"{base}/api/v1/inbox/stream", token, live), daemon=True
            )
            listener.start()
            wait_until(lambda: live)  # connected
            at = datetime.now(UTC).replace(microsecond=0)
            body = whatsapp_text("5491155550001", "Lucía", "wamid.cli1", "Hola desde WhatsApp", at)
            answer = http.post(
                "/webhooks/whatsapp", content=body, headers=signed(body, "cli-secret")
            )
            assert answer.status_code == 200
            auth = bearer(token)
            customers = wait_until(
                lambda: http.get(
                    "/api/v1/customers", params={"q": "+5491155550001"}, headers=auth
                ).json()
            )
            listed = wait_until(
                lambda: http.get(
                    "/api/v1/conversations",
                    params={"customer_id": customers[0]["id"]},
                    headers=auth,
                ).json()
            )
            assert (listed[0]["channels"], listed[0]["message_count"]) == (["whatsapp"], 1)
            sent = http.post(
                f"/api/v1/conversations/{listed[0]['id']}/messages",
                json={"text": "¡Hola Lucía!"},
                headers=auth,
            )
            assert sent.status_code == 201
            wait_until(lambda: provider.requests)
            assert provider.requests[0].path == f"/v21.0/{PHONE_NUMBER_ID}/messages"
            assert provider.requests[0].body["text"]["body"] == "¡Hola Lucía!"
            messages = wait_until(
                lambda: [
                    m
                    for m in http.get(
                        f"/api/v1/conversations/{listed[0]['id']}/messages", headers=auth
                    ).json()
                    if m["status"] == "sent"
                ]
            )
            assert messages[0]["provider_message_id"] == "wamid.fake0001"
            wait_until(lambda: "event: MessageSent" in live)
            assert [line for line in live if line.startswith("event: ")][:3] == [
                "event: ConversationOpened",
                "event: MessageReceived",
                "event: MessageSent",
            ]
    finally:
        server.terminate()
        server.wait(timeout=20)


def listen(url: str, token: str, lines: list[str]) -> None:
    """Collect the lines of a Server-Sent Events stream until it ends or fails."""
    try:
        with httpx.stream("GET", url, headers=bearer(token), timeout=30) as stream:
            for line in stream.iter_lines():
                lines.append(line)
    except httpx.HTTPError:
        return


def wait_until(probe: Any, timeout: float = 20.0) -> Any:
    """The first truthy answer of ``probe`` (the server threads and sends in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except httpx.TransportError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)
