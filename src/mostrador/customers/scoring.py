"""How likely two records are one person: a Fellegi-Sunter score that explains itself.

Pure. Each field is compared to an agreement *level*; each level carries the weight
``log2(m / u)``, where ``m`` is how often two records of one person show that level and ``u``
how often two different people do. The total is the evidence in bits: +12 means the
records are 4,096 times likelier to be one person than two. Two valid documents of the same
kind that differ block a merge whatever the total. The explanation lists every compared
field with its level and weight, so a person reviewing a suggestion sees why.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from mostrador.customers.names import name_similarity
from mostrador.customers.records import IdentityRecord, Key

# Precision first. Merging two people shows one person's orders, address and messages to the
# other; missing a merge only leaves a duplicate that a suggestion can still fix. 12 bits is
# one strong identifier that nothing contradicts (a phone, an e-mail, a valid document), or a
# full name plus a birth date, or a full name plus a matching address and postcode; a
# contradicting field (a different birth date, a clearly different name) pulls it below.
AUTO_MERGE = 12.0
# 6 bits: enough shared evidence that a person should look (a full name and a city plus a
# phone that only differs by the Argentine 9), never enough to act alone.
SUGGEST = 6.0

Verdict = Literal["merge", "suggest", "distinct"]


class Evidence(NamedTuple):
    """One field of the explanation: ``("phone", "agree", 13.1)``."""

    field: str
    level: str
    weight: float


Explanation = tuple[Evidence, ...]

# (m, u) per field and level. Priors set by hand from what the levels mean, then checked on
# the FEBRL benchmark and the Latin American evaluation (bench/README.md); "shared" levels
# are for identifiers that several different people use (a family phone, ventas@...).
_M_U: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.70, 0.0027),
        "nickname": (0.04, 0.0004),
        "partial": (0.10, 0.0022),
        "fuzzy-high": (0.25, 0.004),
        "fuzzy-low": (0.03, 0.0075),
        "single": (0.06, 0.015),
        "one-differs": (0.12, 1.0),  # relatives: evidence against, whatever a typist did
        "different": (0.05, 0.95),
    },
    "phone": {
        "agree": (0.9, 1e-4),
        "agree-shared": (0.9, 0.028),
        # The same digits read with and without the Argentine 9: one line typed two ways
        # far more often than two people's numbers meet like that.
        "variant": (0.05, 4e-5),
        "disagree": (0.17, 0.99),
    },
    "email": {
        "agree": (0.9, 1e-4),
        "agree-shared": (0.9, 0.028),
        "typo": (0.01, 2e-5),
        "disagree": (0.25, 0.99),
    },
    "handle": {
        "agree": (0.95, 2e-4),
        "agree-shared": (0.9, 0.028),
        "disagree": (0.35, 0.99),
    },
    "document": {
        "agree": (0.99, 1.5e-5),
        "weak-agree": (0.9, 1.1e-4),
        "close": (0.07, 2e-3),
        "disagree": (0.07, 0.99),
    },
    # Local parts and handles are made from names: two Julieta Juárez may well be
    # julieta.juarez and julietajuarez. Support for a name, never a merge on its own.
    "alias": {
        "same": (0.3, 0.03),
        "fits-name": (0.5, 0.12),
    },
    "birth_date": {
        "exact": (0.9, 9e-4),
        "close": (0.05, 3e-3),
        "disagree": (0.03, 0.99),
    },
    # Address, postcode and city are read together: they say the same thing (where someone
    # lives) and adding them up would count one household three times.
    "location": {
        "same-address": (0.75, 1.5e-3),
        "same-postcode": (0.1, 0.005),
        "near": (0.15, 0.02),
        "same-city": (0.5, 0.2),
        "other-city": (0.15, 0.8),  # people move, and write "CABA" or "Capital Federal"
        "different": (0.05, 0.9),
    },
}
WEIGHTS: dict[str, dict[str, float]] = {
    field: {level: round(math.log2(m / u), 1) for level, (m, u) in levels.items()}
    for field, levels in _M_U.items()
}
_MIN_ALIAS = 6  # shorter local parts ("juan", "ventas") say little


@dataclass(frozen=True, slots=True)
class Score:
    """The evidence that two records are one person, and why."""

    total: float
    explanation: Explanation
    blocked_reason: str | None = None

    @property
    def verdict(self) -> Verdict:
        if self.blocked_reason is None and self.total >= AUTO_MERGE:
            return "merge"
        if self.blocked_reason is None and self.total >= SUGGEST:
            return "suggest"
        return "distinct"


@dataclass(frozen=True, slots=True)
class Profile:
    """A record prepared for comparison: identifiers grouped by kind, documents by number."""

    record: IdentityRecord
    phones: frozenset[str]
    phone_leads: frozenset[str]  # keys plus weaker variants
    emails: frozenset[str]
    email_leads: frozenset[str]  # keys plus typo corrections
    handles: frozenset[str]  # "instagram:maria.g"
    documents: frozenset[str]  # valid document keys "AR:DNI:30123456"
    document_numbers: frozenset[str]  # digits of valid and weak documents
    aliases: frozenset[str]  # e-mail local parts and handles, letters and digits only


def prepare(record: IdentityRecord) -> Profile:
    """The comparable view of ``record`` (computed once per record in a batch)."""
    phones, emails, handles, documents, numbers, aliases = [], [], [], [], [], []
    for key in record.keys:
        if key.kind == "phone":
            phones.append(key.value)
        elif key.kind == "email":
            emails.append(key.value)
        elif key.kind == "document":
            documents.append(key.value)
            numbers.append(key.value.rpartition(":")[2])
        else:
            handles.append(f"{key.kind}:{key.value}")
            if key.kind in ("instagram", "telegram"):
                aliases.append(_alnum(key.value))
    numbers.extend(_alnum(d).upper() for d in record.weak_documents)
    aliases.extend(_alnum(local) for local in record.email_locals)
    return Profile(
        record=record,
        phones=_set(phones),
        phone_leads=_set((*phones, *record.phone_variants)),
        emails=_set(emails),
        email_leads=_set((*emails, *record.email_typos)),
        handles=_set(handles),
        documents=_set(documents),
        document_numbers=_set([n for n in numbers if n]),
        aliases=_set([a for a in aliases if len(a) >= _MIN_ALIAS]),
    )


_EMPTY: frozenset[str] = frozenset()


def _set(values: Collection[str]) -> frozenset[str]:
    """``frozenset(values)``, sharing one empty set: a batch prepares a million profiles,
    most fields are empty, and every empty ``frozenset`` takes 216 bytes of its own."""
    return frozenset(values) if values else _EMPTY


def score_pair(
    a: IdentityRecord, b: IdentityRecord, shared_keys: Collection[Key] = frozenset()
) -> Score:
    """The score of two records; ``shared_keys`` are identifiers used by several people."""
    return score_profiles(prepare(a), prepare(b), shared_keys)


def score_profiles(a: Profile, b: Profile, shared_keys: Collection[Key] = frozenset()) -> Score:
    """``score_pair`` on prepared records, with its explanation."""
    blocked = conflicting_documents(a.documents, b.documents)
    found = tuple(
        Evidence(field, level, WEIGHTS[field][level])
        for field, level in zip(_FIELDS, _levels(a, b, shared_keys), strict=True)
        if level != "missing"
    )
    total = round(sum(e.weight for e in found), 1)
    return Score(total, found, blocked)


def score_total(a: Profile, b: Profile, shared_keys: Collection[Key] = frozenset()) -> float:
    """``score_profiles(a, b, shared_keys).total`` without building the explanation.

    The weights are added in the same order, so the total is the same float.
    """
    rest = _other_weights(a, b, shared_keys)
    return _total(name_similarity(a.record.name_tokens, b.record.name_tokens).level, rest)


def total_if_reaching(
    a: Profile, b: Profile, shared_keys: Collection[Key], threshold: float
) -> float | None:
    """``score_total(a, b, shared_keys)``, or None when it is certainly below ``threshold``.

    What the batch computes for each of its millions of candidate pairs. Comparing names
    is the costly part and a name weighs at most ``_BEST_NAME``: when the other fields keep
    the pair below ``threshold`` even with the best name (by a margin far wider than any
    rounding), the names are not compared.
    """
    rest = _other_weights(a, b, shared_keys)
    if sum(rest) + _BEST_NAME < threshold - _MARGIN:
        return None
    return _total(name_similarity(a.record.name_tokens, b.record.name_tokens).level, rest)


# Fields that only say "the names look alike": namesakes are common (a million customers hold
# many Carolina Morales), so they alone never bring a person's data before an agent.
NAME_ONLY_FIELDS = frozenset({"name", "alias"})


def worth_suggesting(score: Score) -> bool:
    """A suggestion needs some agreement beyond the name (an identifier, a birth date, an
    address, a city...); otherwise every namesake would be proposed."""
    return any(e.weight > 0 and e.field not in NAME_ONLY_FIELDS for e in score.explanation)


def agrees_beyond_names(a: Profile, b: Profile, shared_keys: Collection[Key]) -> bool:
    """``worth_suggesting(score_profiles(a, b, shared_keys))`` without comparing the names
    (what the batch asks of each of its possible suggestions)."""
    return any(
        weights[level] > 0
        for field, weights, level in zip(
            _FIELDS[1:], _FIELD_WEIGHTS[1:], _other_levels(a, b, shared_keys), strict=True
        )
        if level != "missing" and field not in NAME_ONLY_FIELDS
    )


_FIELDS = ("name", "phone", "email", "handle", "document", "alias", "birth_date", "location")
_FIELD_WEIGHTS = tuple(WEIGHTS[field] for field in _FIELDS)
_BEST_NAME = max(0.0, *WEIGHTS["name"].values())  # "missing" adds nothing
_MARGIN = 0.1  # the total is rounded to 0.1; float error is some 1e-14


def _total(name_level: str, rest: list[float]) -> float:
    """The rounded sum of the name's weight then the others', as ``score_profiles`` adds them."""
    if name_level == "missing":
        return round(sum(rest), 1)
    return round(sum([WEIGHTS["name"][name_level], *rest]), 1)


def _other_weights(a: Profile, b: Profile, shared_keys: Collection[Key]) -> list[float]:
    """The weights of every field but the name, in ``_FIELDS`` order, the missing left out."""
    return [
        weights[level]
        for weights, level in zip(_FIELD_WEIGHTS[1:], _other_levels(a, b, shared_keys), strict=True)
        if level != "missing"
    ]


def _levels(a: Profile, b: Profile, shared_keys: Collection[Key]) -> tuple[str, ...]:
    """The agreement level of every field of ``_FIELDS``, in that order ("missing" if absent)."""
    name = name_similarity(a.record.name_tokens, b.record.name_tokens).level
    return (name, *_other_levels(a, b, shared_keys))


def _other_levels(a: Profile, b: Profile, shared_keys: Collection[Key]) -> tuple[str, ...]:
    ra, rb = a.record, b.record
    email_agreed = not a.emails.isdisjoint(b.emails) or not a.handles.isdisjoint(b.handles)
    return (
        _key_level(a.phones, b.phones, "phone", shared_keys, a, b),
        _key_level(a.emails, b.emails, "email", shared_keys, a, b),
        _handle_level(a.handles, b.handles, shared_keys),
        _document_level(a, b),
        "missing" if email_agreed else _alias_level(a, b),
        _date_level(ra.birth_date, rb.birth_date),
        _location_level(ra, rb),
    )


def conflicting_documents(a: Collection[str], b: Collection[str]) -> str | None:
    """Why two sets of valid documents cannot belong to one person, or None.

    A person has one number per country and document type; two valid numbers of the same
    type are two people (a typo cannot turn one valid number into another often enough).
    """
    if not a or not b:
        return None
    for key_a in a:
        kind_a, _, number_a = key_a.rpartition(":")
        for key_b in b:
            kind_b, _, number_b = key_b.rpartition(":")
            if kind_a == kind_b and number_a != number_b:
                return f"different {kind_a} documents"
    return None


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _key_level(
    a: frozenset[str],
    b: frozenset[str],
    kind: str,
    shared_keys: Collection[Key],
    pa: Profile,
    pb: Profile,
) -> str:
    if not a or not b:
        leads = pa.phone_leads if kind == "phone" else pa.email_leads
        other = pb.phone_leads if kind == "phone" else pb.email_leads
        if leads and other and not leads.isdisjoint(other):
            return "variant" if kind == "phone" else "typo"
        return "missing"
    common = a & b
    if common:
        if shared_keys and all(Key(kind, value) in shared_keys for value in common):
            return "agree-shared"
        return "agree"
    leads = pa.phone_leads if kind == "phone" else pa.email_leads
    other = pb.phone_leads if kind == "phone" else pb.email_leads
    if not leads.isdisjoint(other):
        return "variant" if kind == "phone" else "typo"
    return "disagree"


def _handle_level(a: frozenset[str], b: frozenset[str], shared_keys: Collection[Key]) -> str:
    if not a or not b:
        return "missing"
    common = a & b
    if common:
        keys = [Key(*value.split(":", 1)) for value in common]
        if shared_keys and all(key in shared_keys for key in keys):
            return "agree-shared"
        return "agree"
    kinds_a = {value.partition(":")[0] for value in a}
    kinds_b = {value.partition(":")[0] for value in b}
    return "disagree" if not kinds_a.isdisjoint(kinds_b) else "missing"


def _document_level(a: Profile, b: Profile) -> str:
    if not a.document_numbers or not b.document_numbers:
        return "missing"
    if not a.documents.isdisjoint(b.documents):
        return "agree"
    if not a.document_numbers.isdisjoint(b.document_numbers):
        return "weak-agree"
    for x in a.document_numbers:
        for y in b.document_numbers:
            if len(x) >= 6 and len(y) >= 6 and OSA.distance(x, y, score_cutoff=1) <= 1:
                return "close"  # one digit mistyped or two swapped
    return "disagree"


def _alias_level(a: Profile, b: Profile) -> str:
    """E-mail local parts and handles: the same on two providers, or spelling the other's name."""
    if a.aliases and b.aliases and not a.aliases.isdisjoint(b.aliases):
        return "same"
    if not a.record.name_tokens and _fits_name(a.aliases, b.record.name_tokens):
        return "fits-name"
    if not b.record.name_tokens and _fits_name(b.aliases, a.record.name_tokens):
        return "fits-name"
    return "missing"


def _fits_name(aliases: frozenset[str], tokens: tuple[str, ...]) -> bool:
    """'mariagonzalez85' spells 'María González Pérez': two of its words are in it."""
    words = [t for t in tokens if len(t) >= 3]
    return len(words) >= 2 and any(sum(w in alias for w in words) >= 2 for alias in aliases)


def _date_level(a: date | None, b: date | None) -> str:
    if a is None or b is None:
        return "missing"
    if a == b:
        return "exact"
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    if same >= 2 or (a.year == b.year and a.month == b.day and a.day == b.month):
        return "close"  # one part mistyped, or day and month swapped
    return "disagree"


def _location_level(a: IdentityRecord, b: IdentityRecord) -> str:
    address = _address_level(a.address, b.address)
    postcode = _postcode_level(a.postcode, b.postcode)
    city = _text_level(a.city, b.city)
    if address in ("agree", "similar") and postcode != "disagree":
        return "same-address"
    if postcode == "agree":
        return "same-postcode"
    if address in ("agree", "similar") or postcode == "close":
        return "near"
    if postcode == "missing" and city in ("agree", "similar"):
        return "same-city"
    if postcode == "disagree":
        return "different"
    return "other-city" if city == "disagree" else "missing"


def _text_level(a: str, b: str) -> str:
    if not a or not b:
        return "missing"
    if a == b:
        return "agree"
    return "similar" if JaroWinkler.similarity(a, b) >= 0.9 else "disagree"


def _postcode_level(a: str, b: str) -> str:
    if not a or not b:
        return "missing"
    if a == b:
        return "agree"
    if len(a) == len(b) and OSA.distance(a, b, score_cutoff=1) <= 1:
        return "close"
    return "disagree"


def _address_level(a: str, b: str) -> str:
    if not a or not b:
        return "missing"
    if a == b:
        return "agree"
    return "similar" if token_set_ratio(a, b, score_cutoff=85) else "disagree"
