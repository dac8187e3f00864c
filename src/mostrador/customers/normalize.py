"""Normal forms of identifiers, so the same phone or e-mail written differently matches.

Pure. A value that cannot be normalized keeps ``None`` and is never used as a match key.
"""

from __future__ import annotations

import phonenumbers

IDENTIFIER_KINDS = (
    "phone",
    "email",
    "whatsapp_id",
    "whatsapp_bsuid",
    "instagram",
    "messenger_psid",
    "telegram",
    "document",
    "shop_account",
    "loyalty_card",
)
CHANNELS = (
    "store",
    "web",
    "whatsapp",
    "instagram",
    "messenger",
    "telegram",
    "email",
    "webchat",
    "phone",
    "import",
)


def normalize_phone(raw: str, default_country: str) -> str | None:
    """E.164 (``+5491155551234``) or None if it is not a valid number."""
    try:
        parsed = phonenumbers.parse(raw, default_country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def normalize_email(raw: str) -> str | None:
    value = raw.strip().lower()
    local, _, domain = value.partition("@")
    if not local or not domain or "." not in domain or " " in value:
        return None
    return value


def normalize_handle(raw: str) -> str | None:
    value = raw.strip().lstrip("@").lower()
    return value or None


def normalize(kind: str, raw: str, default_country: str) -> str | None:
    """The matching key for an identifier of ``kind``."""
    if kind == "phone":
        return normalize_phone(raw, default_country)
    if kind == "email":
        return normalize_email(raw)
    if kind in ("instagram", "telegram"):
        return normalize_handle(raw)
    value = raw.strip()
    return value or None
