from __future__ import annotations

from mostrador.core.ids import uuid7, uuid7_time_ms


def test_uuid7_has_version_7_and_rfc_variant() -> None:
    value = uuid7()
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"


def test_uuid7_keeps_the_millisecond_it_was_made_at() -> None:
    assert uuid7_time_ms(uuid7(now_ms=1_790_000_000_123)) >= 1_790_000_000_123


def test_uuid7_sorts_in_creation_order_even_within_one_millisecond() -> None:
    ids = [uuid7(now_ms=1_800_000_000_000) for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5000
