"""Batch identity resolution: which of many records are the same person.

Pure. Records meet only through *blocks* (an identifier, a weaker lead, or name-based keys
such as two name words, a word and the birth date, a postcode and a name prefix), so the
work grows with the number of records, not its square; oversized name blocks are dropped
(a common name alone proves nothing). Candidate pairs are scored, then joined
strongest first with union-find under two constraints: a cluster never holds two different
valid documents of one kind, nor two clearly different full names. An identifier that
records with clearly different names share (a family phone, ``ventas@...``) is marked
*shared* and weighs little. Pairs between ``SUGGEST`` and ``AUTO_MERGE`` become suggestions
when something besides the names agrees (as in real time).
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.pool
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from mostrador.customers.names import fold, name_similarity
from mostrador.customers.records import IdentityRecord, Key
from mostrador.customers.scoring import (
    AUTO_MERGE,
    SUGGEST,
    Profile,
    agrees_beyond_names,
    conflicting_documents,
    prepare,
    score_total,
    total_if_reaching,
)

# How many clearly different names may use one identifier before it is "shared" and
# stops being a merge key. One everywhere: two people on one WhatsApp number or one
# company inbox are already two people the identifier cannot tell apart.
SHARED_LIMITS: dict[str, int] = {
    "phone": 1,
    "email": 1,
    "instagram": 1,
    "telegram": 1,
    "document": 1,
}
_DEFAULT_SHARED_LIMIT = 1
# Largest block whose members are all compared. Identifier blocks above it (one person's
# hundred orders, a store's own phone typed for walk-ins) are compared along a name-sorted
# window instead; name-only blocks above the smaller cap are dropped.
MAX_BLOCK = 50
MAX_NAME_BLOCK = 20
_WINDOW = 3
_NAME_ONLY_PREFIXES = ("n:", "s:")
_MAX_NAME_WORDS = 5
_MAX_CLUSTER_NAMES = 8
_DISTINCT = ("different", "one-differs")  # names of two people ("Juan Pérez", "María Pérez")


def blocking_keys(record: IdentityRecord) -> tuple[str, ...]:
    """Keys that bring possible matches together, besides the exact identifiers.

    The same function feeds the batch and the real-time index, so both find the same
    candidates. Name keys use sorted folded words, so order and accents never matter.
    """
    phones: list[str] = []
    emails: list[str] = []
    aliases: list[str] = []
    numbers: list[str] = []
    for key in record.keys:
        if key.kind == "phone":
            phones.append(key.value)
        elif key.kind == "email":
            emails.append(key.value)
        elif key.kind in ("instagram", "telegram"):
            aliases.append(key.value)
        elif key.kind == "document":
            numbers.append(key.value.rpartition(":")[2])
    keys = [f"v:{p}" for p in dict.fromkeys((*phones, *record.phone_variants))]
    keys.extend(f"e:{e}" for e in dict.fromkeys((*emails, *record.email_typos)))
    for alias in dict.fromkeys((*record.email_locals, *aliases)):
        compact = _alnum(alias)
        if len(compact) >= 6:
            keys.append(f"a:{compact}")
    for number in dict.fromkeys((*numbers, *record.weak_documents)):
        compact = _alnum(number).upper()
        if len(compact) >= 5:
            keys.append(f"d:{compact}")
    keys.extend(_name_keys(record))
    return tuple(dict.fromkeys(keys))


def _alnum(text: str) -> str:
    return "".join(filter(str.isalnum, text))


def _name_keys(record: IdentityRecord) -> list[str]:
    words, word_keys = _word_keys(record.name_tokens)
    keys = list(word_keys)
    born = record.birth_date.isoformat() if record.birth_date else ""
    if born:
        keys.append(f"b:{born}")
        keys.extend(f"nb:{w}|{born}" for w in words)
    if record.postcode:
        keys.extend(f"np:{record.postcode}|{w[:3]}" for w in words)
    if record.address:
        street = _alnum(record.address)[:12]
        if len(street) >= 6:
            keys.append(f"ad:{record.postcode}|{street}")
    return keys


@lru_cache(maxsize=65_536)  # a batch repeats the same names many times
def _word_keys(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of a name that block (sorted, at most 5) and the keys made of them alone."""
    words = sorted({t for t in tokens if len(t) >= 2})[:_MAX_NAME_WORDS]
    keys = [f"n:{x}|{y}" for x, y in itertools.combinations(words, 2)]
    if len(words) >= 2:
        keys.append("s:" + "|".join(sorted({phonetic(w) for w in words})))
    return tuple(words), tuple(keys)


_PHONETIC_RULES = (
    ("ch", "x"),
    ("sh", "x"),
    ("ll", "y"),
    ("qu", "k"),
    ("ph", "f"),
    ("ce", "se"),
    ("ci", "si"),
    ("ge", "je"),
    ("gi", "ji"),
    ("v", "b"),
    ("z", "s"),
    ("c", "k"),
    ("w", "u"),
    ("h", ""),
)


@lru_cache(maxsize=65_536)  # a batch has many records and far fewer distinct words
def phonetic(word: str) -> str:
    """A rough Spanish/Portuguese sound key: 'Gonzales' and 'Gonsález' give the same."""
    text = fold(word).replace(" ", "")
    for written, sound in _PHONETIC_RULES:
        text = text.replace(written, sound)
    squeezed = [c for i, c in enumerate(text) if i == 0 or c != text[i - 1]]
    if not squeezed:
        return ""
    # vowels after the first letter say little once typed in a hurry
    return squeezed[0] + "".join(c for c in squeezed[1:] if c not in "aeiouy")


@dataclass
class Resolution:
    """Which cluster each record belongs to, and the pairs a person should look at."""

    cluster_of: dict[str, str]  # record_id → cluster id (the smallest record_id in it)
    suggestions: list[tuple[str, str, float]]  # (record_id_a, record_id_b, score)
    shared_keys: frozenset[Key] = frozenset()
    pairs_scored: int = 0
    refused_merges: int = 0  # pairs above AUTO_MERGE kept apart by a constraint
    stats: dict[str, float] = field(default_factory=dict)


def resolve_records(
    records: Iterable[IdentityRecord],
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> Resolution:
    """Cluster ``records`` into people; record ids must be unique.

    ``workers`` > 1 scores the candidate pairs in that many forked processes, and hashes
    the blocking keys in another while this one prepares the profiles (same result).
    """
    items = list(records)
    aside = _hash_aside(items) if workers > 1 and len(items) >= _MIN_ASIDE else None
    try:
        profiles = [prepare(r) for r in items]
        if progress:
            progress("prepared")
        key_members = _key_members(items)
        shared = frozenset(
            key
            for key, members in key_members.items()
            if len(members) > 1 and _is_shared(key, members, items)
        )
        hashed = aside.get() if aside else _hash_blocking_keys(items)
    finally:
        _SHARED_ITEMS.clear()
        if aside:
            aside.pool.terminate()
    pairs = _candidate_pairs(items, key_members, hashed)
    if progress:
        progress(f"{len(pairs)} candidate pairs")
    scored = _score_in_parallel(pairs, profiles, shared, len(items), workers)
    if progress:
        progress("scored")
    return _cluster(items, profiles, scored, shared, len(pairs))


def _key_members(items: Sequence[IdentityRecord]) -> dict[Key, list[int]]:
    members: dict[Key, list[int]] = defaultdict(list)
    for index, record in enumerate(items):
        for key in record.keys:
            members[key].append(index)
    return members


def _is_shared(key: Key, members: list[int], items: Sequence[IdentityRecord]) -> bool:
    """More clearly different names on ``key`` than its kind tolerates."""
    limit = SHARED_LIMITS.get(key.kind, _DEFAULT_SHARED_LIMIT)
    groups: list[tuple[str, ...]] = []
    for index in members:
        tokens = items[index].name_tokens
        if not tokens:
            continue
        if all(name_similarity(tokens, g).level in _DISTINCT for g in groups):
            groups.append(tokens)
            if len(groups) > limit:
                return True
    return False


def _candidate_pairs(
    items: Sequence[IdentityRecord], key_members: dict[Key, list[int]], hashed: BlockHashes
) -> np.ndarray:
    """Unique (i, j) index pairs, i < j, encoded as ``i * n + j``."""
    n = len(items)
    encoded = array("q")

    def add_all(block: Sequence[int]) -> None:
        for i, j in itertools.combinations(block, 2):
            encoded.append(i * n + j if i < j else j * n + i)

    def add_window(block: Sequence[int]) -> None:
        ordered = sorted(block, key=lambda i: (sorted(items[i].name_tokens), i))
        for pos, i in enumerate(ordered):
            for j in ordered[pos + 1 : pos + 1 + _WINDOW]:
                encoded.append(i * n + j if i < j else j * n + i)

    for members in key_members.values():
        if len(members) > MAX_BLOCK:
            add_window(members)
        elif len(members) > 1:
            add_all(members)
    parts = list(_block_pairs(hashed, n))
    if encoded:
        parts.append(np.frombuffer(encoded, dtype=np.int64))
    if not parts:
        return np.empty(0, np.int64)
    codes = np.sort(np.concatenate(parts))  # np.unique, without its slower hash table
    return codes[np.r_[True, codes[1:] != codes[:-1]]]


# (hash, record index, name-only flag) of every blocking key of every record, in order.
BlockHashes = tuple["array[int]", "array[int]", "array[int]"]


def _hash_blocking_keys(items: Sequence[IdentityRecord]) -> BlockHashes:
    """Keys are hashed to 64-bit integers and grouped by sorting arrays: a million records
    hold some ten million keys, far too many to keep as strings in a dict. A collision
    only adds candidate pairs, which scoring then rejects.
    """
    hashes, owners, name_only = array("q"), array("q"), array("b")
    for index, record in enumerate(items):
        held = blocking_keys(record)
        hashes.extend(map(hash, held))
        owners.extend(itertools.repeat(index, len(held)))
        name_only.extend([key.startswith(_NAME_ONLY_PREFIXES) for key in held])
    return hashes, owners, name_only


# The records, for a forked process to read (set by the parent right before forking it).
_SHARED_ITEMS: list[Sequence[IdentityRecord]] = []
_MIN_ASIDE = 50_000  # records; below this, a process costs more than it saves


@dataclass
class _Aside:
    pool: multiprocessing.pool.Pool
    result: multiprocessing.pool.AsyncResult[BlockHashes]

    def get(self) -> BlockHashes:
        return self.result.get()


def _hash_aside(items: Sequence[IdentityRecord]) -> _Aside | None:
    """``_hash_blocking_keys(items)`` started in a forked process (None where there is no fork).

    The child inherits the records and the interpreter's hash secret, so its hashes are the
    ones this process would compute.
    """
    if not _can_fork():
        return None
    _SHARED_ITEMS[:] = [items]
    pool = multiprocessing.get_context("fork").Pool(1)
    return _Aside(pool, pool.apply_async(_hash_shared_items))


def _hash_shared_items() -> BlockHashes:
    if not _SHARED_ITEMS:  # set by the parent right before forking
        raise RuntimeError("hashing process started without the records")
    return _hash_blocking_keys(_SHARED_ITEMS[0])


def _block_pairs(hashed: BlockHashes, n: int) -> Iterator[np.ndarray]:
    """The encoded pairs of every blocking key held by two records or more, up to its cap.

    Blocks of one size are paired together, all members with all (as
    ``itertools.combinations``), in numpy.
    """
    hashes, owners, name_only = hashed
    if not hashes:
        return
    keys = np.frombuffer(hashes, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    members = np.frombuffer(owners, dtype=np.int64)[order]
    small = np.frombuffer(name_only, dtype=np.int8)[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    caps = np.where(small[starts] != 0, MAX_NAME_BLOCK, MAX_BLOCK)
    paired = (sizes > 1) & (sizes <= caps)
    for size in np.unique(sizes[paired]).tolist():
        firsts = starts[paired & (sizes == size)]
        blocks = members[firsts[:, None] + np.arange(size)]  # one row per block
        left, right = np.triu_indices(size, 1)
        a, b = blocks[:, left], blocks[:, right]
        yield (np.minimum(a, b) * n + np.maximum(a, b)).ravel()


def _score(
    pairs: np.ndarray, profiles: Sequence[Profile], shared: frozenset[Key], n: int
) -> list[tuple[float, int, int, bool]]:
    """(score, i, j, blocked) of every pair worth keeping (at least ``SUGGEST``)."""
    kept: list[tuple[float, int, int, bool]] = []
    for code in pairs.tolist():
        i, j = divmod(code, n)
        a, b = profiles[i], profiles[j]
        total = total_if_reaching(a, b, shared, SUGGEST)  # no explanation: most are dropped
        if total is not None and total >= SUGGEST:
            kept.append((total, i, j, conflicting_documents(a.documents, b.documents) is not None))
    return kept


_SHARED_STATE: tuple[Sequence[Profile], frozenset[Key], int] | None = None
_MIN_PAIRS_PER_WORKER = 50_000


def _score_in_parallel(
    pairs: np.ndarray, profiles: Sequence[Profile], shared: frozenset[Key], n: int, workers: int
) -> list[tuple[float, int, int, bool]]:
    """``_score`` split over forked processes that inherit the profiles (no copying them)."""
    if workers <= 1 or len(pairs) < 2 * _MIN_PAIRS_PER_WORKER or not _can_fork():
        return _score(pairs, profiles, shared, n)
    global _SHARED_STATE
    _SHARED_STATE = (profiles, shared, n)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            parts = pool.map(_score_part, np.array_split(pairs, workers * 4))
    finally:
        _SHARED_STATE = None
    return [item for part in parts for item in part]


def _score_part(pairs: np.ndarray) -> list[tuple[float, int, int, bool]]:
    if _SHARED_STATE is None:  # set by the parent right before forking
        raise RuntimeError("scoring worker started without the profiles")
    profiles, shared, n = _SHARED_STATE
    return _score(pairs, profiles, shared, n)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _Clusters:
    """Union-find whose roots remember the cluster's valid documents and a few named members.

    Joining two clusters is refused when their documents conflict, or when a member of one
    and a member of the other have different names and could not be merged directly: that
    stops chains like "Juan" —phone— (no name) —e-mail— "María".
    """

    def __init__(self, profiles: Sequence[Profile], shared: frozenset[Key]) -> None:
        self.profiles = profiles
        self.shared = shared
        self.parent = list(range(len(profiles)))
        self.documents: dict[int, frozenset[str]] = {}
        self.named: dict[int, list[int]] = {}
        for index, profile in enumerate(profiles):
            if profile.documents:
                self.documents[index] = profile.documents
            if profile.record.name_tokens:
                self.named[index] = [index]

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def conflict(self, x: int, y: int) -> bool:
        docs_x, docs_y = self.documents.get(x), self.documents.get(y)
        if docs_x and docs_y and conflicting_documents(docs_x, docs_y):
            return True
        named_x, named_y = self.named.get(x), self.named.get(y)
        if not named_x or not named_y:
            return False
        profiles, shared = self.profiles, self.shared
        for a in named_x:
            for b in named_y:
                if (
                    name_similarity(
                        profiles[a].record.name_tokens, profiles[b].record.name_tokens
                    ).level
                    in _DISTINCT
                    and score_total(profiles[a], profiles[b], shared) < SUGGEST
                ):
                    return True
        return False

    def union(self, x: int, y: int) -> None:
        if x > y:
            x, y = y, x
        self.parent[y] = x
        docs = self.documents.pop(y, None)
        if docs:
            self.documents[x] = self.documents.get(x, frozenset()) | docs
        named = self.named.pop(y, None)
        if named:
            mine = self.named.setdefault(x, [])
            names = {self.profiles[i].record.name_tokens for i in mine}
            for index in named:
                tokens = self.profiles[index].record.name_tokens
                if tokens not in names and len(mine) < _MAX_CLUSTER_NAMES:
                    mine.append(index)
                    names.add(tokens)


def _cluster(
    items: Sequence[IdentityRecord],
    profiles: Sequence[Profile],
    scored: list[tuple[float, int, int, bool]],
    shared: frozenset[Key],
    candidate_count: int,
) -> Resolution:
    clusters = _Clusters(profiles, shared)
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    refused = 0
    maybe: list[tuple[float, int, int]] = []
    for total, i, j, blocked in scored:
        if blocked:
            continue
        if total < AUTO_MERGE:
            maybe.append((total, i, j))
            continue
        x, y = clusters.find(i), clusters.find(j)
        if x == y:
            continue
        if clusters.conflict(x, y):
            refused += 1
            maybe.append((total, i, j))
            continue
        clusters.union(x, y)
    smallest: dict[int, str] = {}
    for index, record in enumerate(items):
        root = clusters.find(index)
        current = smallest.get(root)
        if current is None or record.record_id < current:
            smallest[root] = record.record_id
    cluster_of = {r.record_id: smallest[clusters.find(i)] for i, r in enumerate(items)}
    suggestions: list[tuple[str, str, float]] = []
    seen: set[tuple[int, int]] = set()
    for total, i, j in maybe:  # strongest first: one suggestion per pair of clusters
        x, y = clusters.find(i), clusters.find(j)
        if x == y or (min(x, y), max(x, y)) in seen:
            continue
        if total < AUTO_MERGE and not agrees_beyond_names(profiles[i], profiles[j], shared):
            continue  # namesakes: as in real time, a name alone is never proposed
        seen.add((min(x, y), max(x, y)))
        a, b = sorted((items[i].record_id, items[j].record_id))
        suggestions.append((a, b, total))
    return Resolution(
        cluster_of=cluster_of,
        suggestions=suggestions,
        shared_keys=shared,
        pairs_scored=candidate_count,
        refused_merges=refused,
    )
