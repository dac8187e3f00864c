"""What the identity engine compares: a record as it arrives, already normalized.

Pure. Every channel, import and the batch CLI turn their input into an ``IdentityRecord``;
the engine decides which records (and stored profiles) are the same person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Key:
    """A normalized identifier usable for exact matching, e.g. ``Key("phone", "+5491155551234")``.

    ``kind`` is one of ``customers.normalize.IDENTIFIER_KINDS``; documents are keyed as
    ``"<COUNTRY>:<TYPE>:<digits>"`` (``"BR:CPF:12345678909"``) so two countries never collide.
    """

    kind: str
    value: str


@dataclass(frozen=True)
class RawRecord:
    """One input line or inbound contact, as received (any field may be empty)."""

    record_id: str
    source: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    handle: str = ""
    document: str = ""
    city: str = ""
    country: str = ""
    address: str = ""
    postcode: str = ""
    birth_date: str = ""


@dataclass(frozen=True, slots=True)  # slots: a batch holds a million of them
class IdentityRecord:
    """A record after normalization: keys for exact matching, fields for scoring."""

    record_id: str
    source: str = ""
    name: str = ""  # as given, for display
    name_tokens: tuple[str, ...] = ()  # folded (no accents, lower case), order-free
    keys: tuple[Key, ...] = ()  # strong, valid identifiers (phones, emails, handles, documents)
    weak_documents: tuple[str, ...] = ()  # invalid or unverifiable documents: scored, never keys
    email_locals: tuple[str, ...] = ()  # local parts of the e-mails, compared with names
    email_typos: tuple[str, ...] = ()  # addresses whose domain looks misspelled (a signal only)
    city: str = ""
    country: str = ""
    address: str = ""
    postcode: str = ""
    birth_date: date | None = None
    extras: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # Weaker readings of the phone (e.g. an Argentine mobile typed without its 9): they
    # find candidates and add a little evidence, never an automatic merge on their own.
    phone_variants: tuple[str, ...] = ()
