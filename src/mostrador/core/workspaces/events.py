"""What happens to workspaces, their people, teams and locations."""

from __future__ import annotations

from dataclasses import dataclass

from mostrador.core.events import Event, domain_event
from mostrador.core.ids import LocationId, TeamId, UserId, WorkspaceId


@domain_event("workspaces.WorkspaceCreated")
@dataclass(frozen=True, kw_only=True)
class WorkspaceCreated(Event):
    workspace_id: WorkspaceId
    slug: str
    name: str
    country: str
    currency: str


@domain_event("workspaces.MemberAdded")
@dataclass(frozen=True, kw_only=True)
class MemberAdded(Event):
    user_id: UserId
    email: str
    role: str


@domain_event("workspaces.TeamCreated")
@dataclass(frozen=True, kw_only=True)
class TeamCreated(Event):
    team_id: TeamId
    name: str
    member_ids: tuple[UserId, ...]


@domain_event("workspaces.LocationOpened")
@dataclass(frozen=True, kw_only=True)
class LocationOpened(Event):
    location_id: LocationId
    code: str
    name: str
    kind: str


@domain_event("workspaces.LocationUpdated")
@dataclass(frozen=True, kw_only=True)
class LocationUpdated(Event):
    location_id: LocationId
    changed: tuple[str, ...]
