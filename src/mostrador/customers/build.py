"""From what a channel or a file gives us to an ``IdentityRecord`` the engine can compare.

Pure. Identifiers become keys only when they normalize and are not placeholders; what is
almost usable (a document failing its check digit, an Argentine phone that may lack its 9,
an e-mail with a misspelt domain) is kept as a weak signal, never as a key. Every value
dropped or weakened is reported, so an import can tell the user what it ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from mostrador.customers import documents, emails, phones
from mostrador.customers.names import fold, name_tokens
from mostrador.customers.normalize import (
    is_blocked,
    normalize_handle,
    normalize_instagram,
    normalize_telegram,
)
from mostrador.customers.records import IdentityRecord, Key, RawRecord

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_EARLIEST_YEAR = 1900
_LATEST_YEAR = 2100
_MIN_WEAK_DOCUMENT = 5  # digits; fewer is no document at all


class IdentifierLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...


class ContactLike(Protocol):
    """What ``record_from_contact`` reads (``customers.schemas.ContactInput`` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def identifiers(self) -> Iterable[IdentifierLike]: ...
    @property
    def source_channel(self) -> str: ...
    @property
    def country(self) -> str | None: ...
    @property
    def city(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def postcode(self) -> str: ...
    @property
    def birth_date(self) -> date | None: ...


@dataclass
class _Draft:
    """Keys and signals gathered so far, and the problems met on the way."""

    country: str
    keys: list[Key] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    weak_documents: list[str] = field(default_factory=list)
    locals: list[str] = field(default_factory=list)
    typos: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def key(self, kind: str, value: str, raw: str) -> None:
        if is_blocked(kind, value):
            self.problems.append(f"{kind} {raw!r} is a placeholder, not used")
        elif Key(kind, value) not in self.keys:
            self.keys.append(Key(kind, value))

    def phone(self, raw: str, *, from_whatsapp: bool = False) -> None:
        digits_only = raw.strip().lstrip("+").isdigit()
        if from_whatsapp and digits_only:
            key = phones.normalize_whatsapp_id(raw)
            readings: tuple[str, ...] = (key,) if key else ()
        else:
            readings = phones.phone_variants(raw, self.country)
        if not readings:
            self.problems.append(f"phone {raw!r} is not a valid number")
            return
        self.key("phone", readings[0], raw)
        self.variants.extend(v for v in readings[1:] if v not in self.variants)

    def stored_phone(self, key: str, *, from_whatsapp: bool) -> None:
        """A phone normalized when it was stored: no parsing (see ``record_from_stored``)."""
        self.key("phone", key, key)
        other = None if from_whatsapp else phones.unchecked_reading(key)
        if other is not None and other not in self.variants:
            self.variants.append(other)

    def email(self, raw: str) -> None:
        key = emails.normalize_email(raw)
        typo = emails.typo_correction(raw)
        if key is None and typo is None:
            self.problems.append(f"email {raw!r} is not an address")
            return
        if key is not None:
            if is_blocked("email", key):
                self.problems.append(f"email {raw!r} is a placeholder, not used")
                return
            self.key("email", key, raw)
            self.locals.append(emails.local_part(key))
        if typo is not None and not is_blocked("email", typo):
            self.typos.append(typo)
            if key is None:
                self.locals.append(emails.local_part(typo))

    def handle(self, kind: str, raw: str) -> None:
        if kind == "telegram":
            value = normalize_telegram(raw)
        elif kind == "instagram":
            value = normalize_instagram(raw)
        else:
            value = normalize_handle(raw)
        if value is None:
            self.problems.append(f"{kind} {raw!r} is not a valid handle")
        else:
            self.key(kind, value, raw)

    def document(self, raw: str) -> None:
        document = documents.parse_document(raw, self.country)
        if document is not None and document.key is not None:
            self.key("document", document.key, raw)
            return
        number = document.number if document else "".join(c for c in raw if c.isalnum()).upper()
        if sum(c.isdigit() for c in number) < _MIN_WEAK_DOCUMENT or is_blocked(
            "document", f"::{number}"
        ):
            self.problems.append(f"document {raw!r} is not a document number")
            return
        if document is not None:  # a known shape whose check failed: worth saying
            self.problems.append(f"document {raw!r} is not valid, kept as a weak signal")
        self.weak_documents.append(number)


def build_record(raw: RawRecord, default_country: str) -> tuple[IdentityRecord | None, list[str]]:
    """The record to resolve and the problems found; None (with the reason) if nothing usable.

    ``default_country`` reads phones without ``+`` and documents when the line has no country.
    """
    country = _country(raw.country, default_country)
    draft = _Draft(country)
    source = raw.source.strip().lower()
    if raw.phone.strip():
        draft.phone(raw.phone.strip(), from_whatsapp=source == "whatsapp")
    if raw.email.strip():
        draft.email(raw.email.strip())
    if raw.handle.strip():
        draft.handle("telegram" if source == "telegram" else "instagram", raw.handle.strip())
    if raw.document.strip():
        draft.document(raw.document.strip())
    birth_date = None
    if raw.birth_date.strip():
        birth_date = parse_birth_date(raw.birth_date)
        if birth_date is None:
            draft.problems.append(f"birth date {raw.birth_date.strip()!r} is not a date")
    tokens = name_tokens(raw.name)
    if not (tokens or draft.keys or draft.weak_documents or draft.typos or draft.variants):
        return None, [*draft.problems, "no usable name or identifier"]
    record = _finish(
        draft,
        record_id=raw.record_id,
        source=source,
        name=raw.name,
        city=raw.city,
        address=raw.address,
        postcode=raw.postcode,
        birth_date=birth_date,
    )
    return record, draft.problems


def record_from_contact(
    record_id: str, contact: ContactLike, default_country: str
) -> IdentityRecord:
    """The engine's view of a contact with typed identifiers (an inbound message, a profile).

    Unlike a file line, a contact without usable fields still gets a record (with no keys):
    the caller decides what to do with it.
    """
    country = _country(contact.country or "", default_country)
    draft = _Draft(country)
    for identifier in contact.identifiers:
        kind, value = identifier.kind, identifier.value.strip()
        if not value:
            continue
        if kind in ("phone", "whatsapp_id"):
            draft.phone(value, from_whatsapp=kind == "whatsapp_id")
        elif kind == "email":
            draft.email(value)
        elif kind == "document":
            draft.document(value)
        else:
            draft.handle(kind, value)
    return _finish(
        draft,
        record_id=record_id,
        source=contact.source_channel,
        name=contact.name,
        city=contact.city,
        address=contact.address,
        postcode=contact.postcode,
        birth_date=contact.birth_date,
    )


class StoredIdentifierLike(Protocol):
    """What ``record_from_stored`` reads of a stored identifier row."""

    @property
    def kind(self) -> str: ...
    @property
    def raw_value(self) -> str: ...
    @property
    def normalized_value(self) -> str | None: ...


def record_from_stored(
    record_id: str,
    contact: ContactLike,
    stored: Iterable[StoredIdentifierLike],
    default_country: str,
) -> IdentityRecord:
    """``record_from_contact`` for a stored person, reading phones from their stored keys.

    ``contact`` carries the profile's fields (its identifiers are not read); ``stored`` are the
    identifier rows. Parsing phones is most of the cost of rebuilding a candidate, and the key
    was computed when the row was written; a phone stored without a key (it was not a valid
    number) gives none, as it did then. Argentine phones get their other reading unchecked
    (``phones.unchecked_reading``), which scores exactly as the checked one. Everything else
    is read from the raw value, as ``record_from_contact`` does.
    """
    country = _country(contact.country or "", default_country)
    draft = _Draft(country)
    for row in stored:
        kind, value = row.kind, row.raw_value.strip()
        if not value:
            continue
        if kind in ("phone", "whatsapp_id"):
            if row.normalized_value:
                draft.stored_phone(row.normalized_value, from_whatsapp=kind == "whatsapp_id")
        elif kind == "email":
            draft.email(value)
        elif kind == "document":
            draft.document(value)
        else:
            draft.handle(kind, value)
    return _finish(
        draft,
        record_id=record_id,
        source=contact.source_channel,
        name=contact.name,
        city=contact.city,
        address=contact.address,
        postcode=contact.postcode,
        birth_date=contact.birth_date,
    )


def _finish(
    draft: _Draft,
    *,
    record_id: str,
    source: str,
    name: str,
    city: str,
    address: str,
    postcode: str,
    birth_date: date | None,
) -> IdentityRecord:
    return IdentityRecord(
        record_id=record_id,
        source=source,
        name=" ".join(name.split()),
        name_tokens=name_tokens(name),
        keys=tuple(draft.keys),
        weak_documents=tuple(draft.weak_documents),
        email_locals=tuple(dict.fromkeys(draft.locals)),
        email_typos=tuple(draft.typos),
        city=fold(city),
        country=draft.country,
        address=fold(address),
        postcode=normalize_postcode(postcode),
        birth_date=birth_date,
        phone_variants=tuple(draft.variants),
    )


def _country(raw: str, default_country: str) -> str:
    value = raw.strip().upper()
    return value if len(value) == 2 and value.isalpha() else default_country.strip().upper()


def normalize_postcode(raw: str) -> str:
    """Upper case, letters and digits only: 'c1425 abc' → 'C1425ABC'."""
    return "".join(c for c in raw.upper() if c.isalnum())


def parse_birth_date(raw: str) -> date | None:
    """YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY (also with '-' or '.'); None if not a real date."""
    text = raw.strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_COMPACT, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0))):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = [int(p) for p in match.groups()]
        year, month, day = (parts[i] for i in order)
        if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
            return None
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None
