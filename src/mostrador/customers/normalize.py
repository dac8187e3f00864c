"""Normal forms of identifiers, so the same phone or e-mail written differently matches.

Pure. A value that cannot be normalized, or is a placeholder (``sin email``, ``0000000``),
keeps ``None`` and is never used as a match key. The rules per kind live in ``phones``,
``emails`` and ``documents``; this module dispatches and guards against junk.
"""

from __future__ import annotations

import re

from mostrador.customers import documents, emails, phones

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

_INSTAGRAM = re.compile(r"[a-z0-9._]{1,30}")
_TELEGRAM = re.compile(r"[a-z0-9_]{1,32}")
_PROFILE_LINK = re.compile(r"^(?:https?://)?(?:www\.)?(?:instagram\.com|t\.me)/")

# What people type when there is nothing to type (compared without spaces and punctuation).
_PLACEHOLDERS = frozenset(
    {
        "null", "none", "nil", "nan", "undefined", "na", "nd", "sd", "nn", "no", "x", "xx",
        "xxx", "test", "prueba", "sindato", "sindatos", "sinemail", "sinmail", "sincorreo",
        "notiene", "noposee", "nocorresponde", "ninguno", "ninguna", "noemail",
        "nomail", "asd", "asdf", "qwerty", "abc", "email", "correo", "mail",
    }
)  # fmt: skip
_JUNK_EMAIL_DOMAINS = frozenset(
    {
        "test.com", "prueba.com", "nomail.com", "noemail.com", "sinmail.com", "sinemail.com",
        "sincorreo.com", "notiene.com", "no.com", "none.com", "null.com", "xxx.com",
        "asd.com", "mailinator.com", "yopmail.com", "guerrillamail.com", "10minutemail.com",
        "tempmail.com", "temp-mail.org", "sharklasers.com",
    }
)  # fmt: skip
_NO_REPLY = ("noreply", "donotreply", "mailerdaemon")
_STRAIGHT_RUNS = ("01234567890123456789", "98765432109876543210")


def normalize_phone(raw: str, default_country: str) -> str | None:
    """E.164 (``+5491155551234``) or None if it is not a valid number."""
    return phones.normalize_phone(raw, default_country)


def normalize_email(raw: str) -> str | None:
    """Trimmed, lower case, Gmail folded; None if it is not an address."""
    return emails.normalize_email(raw)


def normalize_handle(raw: str) -> str | None:
    """A social handle without ``@`` or profile link, lower case; None if empty."""
    link_or_handle = raw.strip().lower().partition("?")[0]  # a pasted link's ?igsh=...
    value = _PROFILE_LINK.sub("", link_or_handle).strip("/").lstrip("@")
    return value or None


def normalize_instagram(raw: str) -> str | None:
    """An Instagram username: letters, digits, ``.`` and ``_``, at most 30; else None."""
    value = normalize_handle(raw)
    return value if value and _INSTAGRAM.fullmatch(value) else None


def normalize_telegram(raw: str) -> str | None:
    """A Telegram username (letters, digits, ``_``) or numeric user id; else None."""
    value = normalize_handle(raw)
    return value if value and _TELEGRAM.fullmatch(value) else None


def normalize(kind: str, raw: str, default_country: str) -> str | None:
    """The matching key for an identifier of ``kind``; None if unusable or a placeholder.

    ``default_country`` is the record's country, else the workspace's: it reads phones
    without ``+`` and says which country's document ``raw`` is.
    """
    key = _key(kind, raw, default_country)
    return None if key is None or is_blocked(kind, key) else key


def _key(kind: str, raw: str, default_country: str) -> str | None:
    if kind == "phone":
        return phones.normalize_phone(raw, default_country)
    if kind == "whatsapp_id":
        return phones.normalize_whatsapp_id(raw)
    if kind == "email":
        return emails.normalize_email(raw)
    if kind == "instagram":
        return normalize_instagram(raw)
    if kind == "telegram":
        return normalize_telegram(raw)
    if kind == "document":
        document = documents.parse_document(raw, default_country)
        return document.key if document else None
    value = raw.strip()
    return value or None


def is_blocked(kind: str, key: str) -> bool:
    """Whether ``key`` is a placeholder that many customers share and must never match on."""
    if kind in ("phone", "whatsapp_id"):
        return _is_placeholder_phone(key)
    if kind == "email":
        return _is_placeholder_email(key)
    if kind == "document":
        return _is_placeholder_number(key.rpartition(":")[2])
    compact = _compact(key)
    if not compact or compact in _PLACEHOLDERS:
        return True
    # Only a card typed at the counter can be "0000000"; ids issued by a provider or by the
    # shop itself (a psid, an account 11111 of a shop's sequence) are what they are.
    return kind == "loyalty_card" and _is_placeholder_number(compact)


def _is_placeholder_phone(key: str) -> bool:
    # +54 9 11 0000-0000, +54 11 1234-5678: the subscriber part is the tell.
    tail = key[-7:]
    return len(set(tail)) == 1 or any(tail in run for run in _STRAIGHT_RUNS)


def _is_placeholder_email(key: str) -> bool:
    local, _, domain = key.rpartition("@")
    name = _compact(local)
    return (
        name in _PLACEHOLDERS
        or name.startswith(_NO_REPLY)
        or domain in _JUNK_EMAIL_DOMAINS
        or name == _compact(domain.partition(".")[0])  # test@test.com, a@a.com
    )


def _is_placeholder_number(value: str) -> bool:
    """``0000000``, ``1234567``: a repeated digit or a straight run is nobody's number."""
    if not value.isdigit() or len(value) < 5:
        return False
    return len(set(value)) == 1 or any(value in run for run in _STRAIGHT_RUNS)


def _compact(value: str) -> str:
    return "".join(c for c in value.lower() if c.isalnum())
