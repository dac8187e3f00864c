"""Reads of workspaces, people, teams and locations; every one takes the workspace it reads in."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.core.errors import NotFound
from mostrador.core.ids import LocationId, TeamId, WorkspaceId
from mostrador.core.workspaces.hours import Schedule, build_schedule
from mostrador.core.workspaces.models import (
    Location,
    Membership,
    Team,
    TeamMember,
    User,
    Workspace,
)


def all_workspaces(session: Session) -> Sequence[Workspace]:
    """Every workspace (for the worker's time-based sweeps), oldest first."""
    return session.execute(select(Workspace).order_by(Workspace.created_at)).scalars().all()


def workspace_by_slug(session: Session, slug: str) -> Workspace:
    found = session.execute(select(Workspace).where(Workspace.slug == slug)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no workspace {slug!r}", code="workspace_not_found")
    return found


def workspace_by_id(session: Session, workspace_id: WorkspaceId) -> Workspace:
    found = session.get(Workspace, workspace_id)
    if found is None:
        raise NotFound("no such workspace", code="workspace_not_found")
    return found


def user_by_email(session: Session, email: str) -> User | None:
    return session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def memberships_of(session: Session, user_id: uuid.UUID) -> Sequence[Membership]:
    return (
        session.execute(
            select(Membership).where(Membership.user_id == user_id).order_by(Membership.created_at)
        )
        .scalars()
        .all()
    )


def membership(
    session: Session, workspace_id: WorkspaceId, user_id: uuid.UUID
) -> Membership | None:
    return session.get(Membership, (workspace_id, user_id))


def members(session: Session, workspace_id: WorkspaceId) -> Sequence[tuple[User, str]]:
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(User.email)
    ).all()
    return [(user, role) for user, role in rows]


def location(session: Session, workspace_id: WorkspaceId, location_id: LocationId) -> Location:
    found = session.execute(
        select(Location).where(Location.workspace_id == workspace_id, Location.id == location_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such location", code="location_not_found")
    return found


def location_by_code(session: Session, workspace_id: WorkspaceId, code: str) -> Location:
    found = session.execute(
        select(Location).where(Location.workspace_id == workspace_id, Location.code == code)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no location {code}", code="location_not_found")
    return found


def locations(session: Session, workspace_id: WorkspaceId) -> Sequence[Location]:
    return (
        session.execute(
            select(Location).where(Location.workspace_id == workspace_id).order_by(Location.code)
        )
        .scalars()
        .all()
    )


def team(session: Session, workspace_id: WorkspaceId, team_id: TeamId) -> Team:
    found = session.execute(
        select(Team).where(Team.workspace_id == workspace_id, Team.id == team_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such team", code="team_not_found")
    return found


def teams(session: Session, workspace_id: WorkspaceId) -> Sequence[Team]:
    return (
        session.execute(select(Team).where(Team.workspace_id == workspace_id).order_by(Team.name))
        .scalars()
        .all()
    )


def team_member_ids(
    session: Session, workspace_id: WorkspaceId, team_id: TeamId
) -> list[uuid.UUID]:
    team(session, workspace_id, team_id)
    return list(
        session.execute(
            select(TeamMember.user_id)
            .where(TeamMember.team_id == team_id)
            .order_by(TeamMember.user_id)
        ).scalars()
    )


def schedule_of(loc: Location) -> Schedule:
    """The opening schedule of a location, for the pure hours functions."""
    return build_schedule(
        time_zone=loc.time_zone,
        opening_hours=loc.opening_hours,
        country=loc.country,
        subdivision=loc.holiday_subdivision,
        closures=loc.closures,
    )


def user_by_id(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)
