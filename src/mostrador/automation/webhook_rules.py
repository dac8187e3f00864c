"""Outgoing webhooks' hard rules: the signature a receiver checks and which addresses may
never be called. Pure.

The signature is HMAC-SHA256 over ``"{timestamp}.{body}"`` with the rule's secret, sent as
``X-Mostrador-Signature: sha256=<hex>`` beside ``X-Mostrador-Timestamp`` (seconds): a
receiver recomputes it and refuses old timestamps, so a captured call cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import timedelta
from typing import Final
from urllib.parse import urlsplit

__all__ = ["BACKOFF", "MAX_ATTEMPTS", "blocked_address", "sign", "valid_url"]

MAX_ATTEMPTS: Final = 8
BACKOFF: Final = (
    timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30),
    timedelta(hours=1), timedelta(hours=3), timedelta(hours=6),
)  # fmt: skip


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def blocked_address(address: str) -> bool:
    """Loopback, private, link-local (cloud metadata), multicast, reserved or unspecified."""
    found = ipaddress.ip_address(address)
    return (
        found.is_private
        or found.is_loopback
        or found.is_link_local
        or found.is_multicast
        or found.is_reserved
        or found.is_unspecified
    )


def valid_url(url: str) -> str | None:
    """Why ``url`` cannot be a webhook target, or None when it can (before DNS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "an http(s) URL with a host"
    if parts.username or parts.password:
        return "no credentials in the URL"
    return None
