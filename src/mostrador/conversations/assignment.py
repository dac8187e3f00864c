"""Who takes the next conversation: round robin or least busy, within each agent's capacity.

Pure: the caller loads the team's current load and stores the choice. Agents who are away
or already at capacity are never picked, so the answer may be ``None`` (leave it queued).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mostrador.core.errors import InvalidInput


@dataclass(frozen=True)
class AgentLoad:
    """An agent's current load; ``capacity`` None means no limit on open conversations."""

    user_id: str
    open_conversations: int
    capacity: int | None
    available: bool

    def __post_init__(self) -> None:
        if self.open_conversations < 0 or (self.capacity is not None and self.capacity < 0):
            raise InvalidInput(
                f"agent {self.user_id!r} has a negative load or capacity", code="invalid_load"
            )

    @property
    def can_take_one(self) -> bool:
        """Available and with room for one more conversation."""
        has_room = self.capacity is None or self.open_conversations < self.capacity
        return self.available and has_room

    @property
    def load_ratio(self) -> float:
        """Share of capacity in use; an unlimited agent counts as empty."""
        if self.capacity is None:
            return 0.0
        return self.open_conversations / self.capacity


def round_robin(agents: Sequence[AgentLoad], last_assigned: str | None) -> str | None:
    """The next agent after ``last_assigned`` in the team's order who can take one, wrapping.

    An unknown or absent ``last_assigned`` starts at the top; the last agent comes up again
    only after everyone else was skipped.
    """
    ids = [agent.user_id for agent in agents]
    start = ids.index(last_assigned) + 1 if last_assigned in ids else 0
    for offset in range(len(agents)):
        agent = agents[(start + offset) % len(agents)]
        if agent.can_take_one:
            return agent.user_id
    return None


def least_busy(agents: Sequence[AgentLoad]) -> str | None:
    """The eligible agent with fewest open conversations, then lowest load ratio, then order."""
    eligible = [
        (a.open_conversations, a.load_ratio, i) for i, a in enumerate(agents) if a.can_take_one
    ]
    if not eligible:
        return None
    *_, index = min(eligible)
    return agents[index].user_id
