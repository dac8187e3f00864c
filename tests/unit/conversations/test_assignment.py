from __future__ import annotations

import pytest

from mostrador.conversations.assignment import AgentLoad, least_busy, round_robin
from mostrador.core.errors import InvalidInput


def agent(
    user_id: str, open_conversations: int = 0, capacity: int | None = 5, available: bool = True
) -> AgentLoad:
    return AgentLoad(user_id, open_conversations, capacity, available)


ANA, BRUNO, CARLA = agent("ana"), agent("bruno"), agent("carla")


@pytest.mark.parametrize(
    ("last", "expected"),
    [(None, "ana"), ("ana", "bruno"), ("bruno", "carla"), ("carla", "ana"), ("gone", "ana")],
)
def test_round_robin_takes_the_next_in_order_and_wraps(last: str | None, expected: str) -> None:
    assert round_robin([ANA, BRUNO, CARLA], last) == expected


def test_round_robin_skips_the_unavailable_and_the_full() -> None:
    team = [ANA, agent("bruno", available=False), agent("carla", 5, capacity=5), agent("dani")]
    assert round_robin(team, "ana") == "dani"
    assert round_robin(team, "dani") == "ana"


def test_round_robin_gives_it_back_to_the_last_agent_when_nobody_else_can() -> None:
    team = [agent("ana", available=False), BRUNO, agent("carla", 3, capacity=3)]
    assert round_robin(team, "bruno") == "bruno"


def test_round_robin_with_nobody_free_is_none() -> None:
    team = [agent("ana", available=False), agent("bruno", 2, capacity=2), agent("carla", 0, 0)]
    assert round_robin(team, None) is None
    assert round_robin([], "ana") is None


def test_unlimited_capacity_never_fills() -> None:
    assert round_robin([agent("ana", 500, capacity=None)], None) == "ana"
    assert least_busy([agent("ana", 500, capacity=None)]) == "ana"


def test_least_busy_picks_fewest_open_conversations() -> None:
    team = [agent("ana", 3), agent("bruno", 1), agent("carla", 2)]
    assert least_busy(team) == "bruno"


def test_least_busy_breaks_ties_by_load_ratio_then_order() -> None:
    team = [agent("ana", 2, capacity=4), agent("bruno", 2, capacity=10), agent("carla", 2, None)]
    assert least_busy(team) == "carla"  # unlimited counts as empty
    team = [agent("ana", 2, capacity=4), agent("bruno", 2, capacity=10)]
    assert least_busy(team) == "bruno"
    team = [agent("ana", 1, capacity=4), agent("bruno", 1, capacity=4)]
    assert least_busy(team) == "ana"


def test_least_busy_ignores_the_unavailable_and_the_full() -> None:
    team = [agent("ana", 0, available=False), agent("bruno", 2, capacity=2), agent("carla", 4)]
    assert least_busy(team) == "carla"
    assert least_busy([agent("ana", available=False)]) is None
    assert least_busy([]) is None


def test_negative_load_or_capacity_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        AgentLoad("ana", -1, 5, True)
    assert caught.value.code == "invalid_load"
    with pytest.raises(InvalidInput):
        AgentLoad("ana", 0, -1, True)
