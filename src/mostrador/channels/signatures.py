"""Meta's webhook signature (WhatsApp, Instagram, Messenger): proof that a delivery came from
Meta and was not altered, checked on the raw body before anything is parsed."""

from __future__ import annotations

import hashlib
import hmac
import string

_PREFIX = "sha256="
_HEX_DIGITS = frozenset(string.hexdigits)


def meta_signature_valid(body: bytes, header_value: str | None, app_secret: str) -> bool:
    """Whether ``X-Hub-Signature-256`` is the HMAC-SHA256 of the raw body under the app secret.

    A missing or garbled header, or an account without a secret, never passes."""
    if not app_secret or not header_value or not header_value.startswith(_PREFIX):
        return False
    given = header_value[len(_PREFIX) :].strip().lower()
    if len(given) != hashlib.sha256().digest_size * 2 or not _HEX_DIGITS.issuperset(given):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)
