"""Real-time identity resolution: is this incoming contact a customer we know?

Pure. The caller looks up candidates by index (``lookup_keys`` for exact identifiers,
``blocking_keys`` for the name-based keys it stores per customer: the same keys as the
batch) and passes the few profiles found; ``decide`` scores each and says whether to attach
the contact, create a customer, or create one and suggest possible duplicates. The cost
is the lookups plus scoring a handful of candidates, whatever the number of customers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from mostrador.customers.clustering import blocking_keys
from mostrador.customers.normalize import is_blocked
from mostrador.customers.records import IdentityRecord, Key
from mostrador.customers.scoring import (
    AUTO_MERGE,
    NAME_ONLY_FIELDS,
    SUGGEST,
    Score,
    score_pair,
    worth_suggesting,
)

__all__ = [
    "Candidate",
    "Decision",
    "blocking_keys",
    "decide",
    "lookup_keys",
    "worth_suggesting",
]

Action = Literal["attach", "create", "suggest"]


@dataclass(frozen=True)
class Candidate:
    """A stored customer that may be the incoming person.

    ``record`` is the customer's profile (all merged identifiers); ``shared_keys`` are its
    identifiers marked shared (they weigh little); ``rejected`` means a person already said
    this pair is not one person: it is never attached nor suggested again.
    """

    customer_id: str
    record: IdentityRecord
    shared_keys: frozenset[Key] = frozenset()
    rejected: bool = False


@dataclass(frozen=True)
class Decision:
    """What to do with the incoming contact, with the score that decided it."""

    action: Action
    customer_id: str | None = None  # the customer to attach to ("attach" only)
    score: Score | None = None  # the winning candidate's score ("attach" only)
    suggestions: list[tuple[str, Score]] = field(default_factory=list)  # strongest first


def lookup_keys(record: IdentityRecord) -> tuple[Key, ...]:
    """The exact identifiers to look up: every key of the record except placeholders."""
    return tuple(key for key in dict.fromkeys(record.keys) if not is_blocked(key.kind, key.value))


def safe_to_attach(score: Score) -> bool:
    """An automatic attach needs evidence a namesake in the same town would not have: an
    identifier, a birth date, the same street address; a postcode or a city (shared by
    thousands) may propose a merge but never decide one."""
    return any(
        e.weight > 0
        and e.field not in NAME_ONLY_FIELDS
        and not (e.field == "location" and e.level != "same-address")
        for e in score.explanation
    )


def decide(record: IdentityRecord, candidates: Sequence[Candidate]) -> Decision:
    """Attach to the best candidate above ``AUTO_MERGE``; else suggest those above ``SUGGEST``.

    Rejected pairs and pairs blocked by conflicting documents are left out. When several
    candidates pass ``AUTO_MERGE`` the strongest wins and the others are returned as
    suggestions (they are probably duplicates of each other).
    """
    scored: list[tuple[str, Score]] = []
    for candidate in candidates:
        if candidate.rejected:
            continue
        score = score_pair(record, candidate.record, candidate.shared_keys)
        if score.blocked_reason is not None or score.total < SUGGEST:
            continue
        if score.total >= AUTO_MERGE or worth_suggesting(score):
            scored.append((candidate.customer_id, score))
    scored.sort(key=lambda item: (-item[1].total, item[0]))
    ranked: list[tuple[str, Score]] = []
    for customer_id, score in scored:  # a customer loaded twice counts once, at its best
        if all(customer_id != seen for seen, _ in ranked):
            ranked.append((customer_id, score))
    if ranked and ranked[0][1].total >= AUTO_MERGE and safe_to_attach(ranked[0][1]):
        customer_id, score = ranked[0]
        return Decision("attach", customer_id, score, ranked[1:])
    if ranked:
        return Decision("suggest", None, None, ranked)
    return Decision("create")
