"""Tenancy: workspaces (one business each), members and roles, teams, locations and their hours."""

from mostrador.core.workspaces import actions, hours, queries, schemas
from mostrador.core.workspaces.events import (
    LocationOpened,
    LocationUpdated,
    MemberAdded,
    TeamCreated,
    WorkspaceCreated,
)
from mostrador.core.workspaces.models import Location, Membership, Team, TeamMember, User, Workspace

__all__ = [
    "Location",
    "LocationOpened",
    "LocationUpdated",
    "MemberAdded",
    "Membership",
    "Team",
    "TeamCreated",
    "TeamMember",
    "User",
    "Workspace",
    "WorkspaceCreated",
    "actions",
    "hours",
    "queries",
    "schemas",
]
