"""Building and delivering provider payloads in their documented shapes, for inbox tests."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient

from mostrador.bootstrap import Runtime
from mostrador.channels.registry import adapters
from mostrador.conversations import AccountInput, ChannelAccount, RateLimits, actions, send_due
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Workspace

PHONE_NUMBER_ID = "106540352242922"
PAGE_ID = "108000000000001"
INSTAGRAM_ID = "17841400000000001"
SECRET = "app-secret-de-prueba"


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def connect(
    runtime: Runtime, ws: Workspace, kind: str, external_id: str, api_url: str = "", **extra: Any
) -> ChannelAccount:
    return actions.add_channel(
        runtime.uow,
        WorkspaceId(ws.id),
        AccountInput(
            kind=kind,
            external_id=external_id,
            access_token=extra.pop("access_token", "token-de-prueba"),
            app_secret=extra.pop("app_secret", SECRET),
            verify_token=extra.pop("verify_token", "verificame"),
            api_url=api_url,
            **extra,
        ),
        actor="test",
    )


def whatsapp_text(wa_id: str, name: str, wamid: str, text: str, at: datetime) -> bytes:
    """One inbound WhatsApp text as the Cloud API delivers it."""
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "5491152630000",
                                    "phone_number_id": PHONE_NUMBER_ID,
                                },
                                "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": wamid,
                                        "timestamp": str(int(at.timestamp())),
                                        "type": "text",
                                        "text": {"body": text},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def messenger_text(kind: str, sender: str, mid: str, text: str, at: datetime) -> bytes:
    """One inbound Instagram or Messenger text (Messenger Platform webhook)."""
    account = INSTAGRAM_ID if kind == "instagram" else PAGE_ID
    return json.dumps(
        {
            "object": "instagram" if kind == "instagram" else "page",
            "entry": [
                {
                    "id": account,
                    "time": int(at.timestamp() * 1000),
                    "messaging": [
                        {
                            "sender": {"id": sender},
                            "recipient": {"id": account},
                            "timestamp": int(at.timestamp() * 1000),
                            "message": {"mid": mid, "text": text},
                        }
                    ],
                }
            ],
        }
    ).encode()


def post_signed(client: TestClient, kind: str, body: bytes) -> Any:
    answer = client.post(f"/webhooks/{kind}", content=body, headers=signed(body))
    assert answer.status_code == 200, answer.text
    return answer.json()


def send_all(runtime: Runtime) -> int:
    """One pass of the outbound queue, as the inbox loop runs it."""
    with httpx.Client() as http:
        return send_due(runtime.uow, adapters(), http, RateLimits())
