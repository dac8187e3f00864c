"""The only writers of workspaces, memberships, teams and locations: one transaction each."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mostrador.core.access.passwords import hash_password
from mostrador.core.access.roles import parse_role
from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.ids import LocationId, TeamId, UserId, WorkspaceId, new_id
from mostrador.core.money import minor_unit
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.core.workspaces import hours, queries
from mostrador.core.workspaces.events import (
    LocationOpened,
    LocationUpdated,
    MemberAdded,
    TeamCreated,
    WorkspaceCreated,
)
from mostrador.core.workspaces.models import (
    Location,
    Membership,
    Team,
    TeamMember,
    User,
    Workspace,
)
from mostrador.core.workspaces.schemas import (
    LocationInput,
    LocationPatch,
    TeamInput,
    UserInput,
    WorkspaceInput,
)


def _check_place(country: str, time_zone: str, subdivision: str | None = None) -> None:
    if country not in hours.HOLIDAY_COUNTRIES:
        raise InvalidInput(
            f"country {country!r} is not supported yet; "
            f"use one of {', '.join(hours.HOLIDAY_COUNTRIES)}",
            code="unsupported_country",
        )
    hours.zone(time_zone)
    hours.validate_subdivision(country, subdivision)


def create_workspace(
    uow: UnitOfWork, data: WorkspaceInput, *, actor: str | None = None
) -> Workspace:
    """Open a new business. The slug is unique across the installation."""
    _check_place(data.country, data.time_zone)
    minor_unit(data.currency)
    workspace_id = WorkspaceId(new_id())
    with uow.transaction(workspace_id, actor) as tx:
        if tx.session.execute(select(Workspace.id).where(Workspace.slug == data.slug)).first():
            raise Conflict(f"workspace {data.slug!r} already exists", code="slug_taken")
        workspace = Workspace(
            id=workspace_id,
            slug=data.slug,
            name=data.name,
            country=data.country,
            currency=data.currency,
            time_zone=data.time_zone,
            language=data.language,
            created_at=tx.now,
        )
        tx.session.add(workspace)
        tx.record(
            WorkspaceCreated(
                workspace_id=workspace_id,
                slug=data.slug,
                name=data.name,
                country=data.country,
                currency=data.currency,
            )
        )
    return workspace


def add_member(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: UserInput, *, actor: str | None = None
) -> User:
    """Give a person a role in the workspace, creating their user if the e-mail is new.

    An existing user keeps their password: the one given is only used for a new user.
    """
    role = parse_role(data.role)
    email = str(data.email).lower()
    with uow.transaction(workspace_id, actor) as tx:
        queries.workspace_by_id(tx.session, workspace_id)
        user = queries.user_by_email(tx.session, email)
        if user is None:
            user = User(
                id=new_id(),
                email=email,
                name=data.name,
                password_hash=hash_password(data.password),
                language=data.language,
                is_active=True,
                created_at=tx.now,
            )
            tx.session.add(user)
            tx.session.flush()
        elif queries.membership(tx.session, workspace_id, user.id) is not None:
            raise Conflict(f"{email} is already a member", code="already_member")
        tx.session.add(
            Membership(
                workspace_id=workspace_id, user_id=user.id, role=role.value, created_at=tx.now
            )
        )
        tx.record(MemberAdded(user_id=UserId(user.id), email=email, role=role.value))
    return user


def create_team(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: TeamInput, *, actor: str | None = None
) -> Team:
    """A team of members of this workspace (e.g. 'Ventas', 'Postventa')."""
    try:
        member_ids = [uuid.UUID(m) for m in data.member_ids]
    except ValueError:
        raise InvalidInput("member_ids must be user ids", code="invalid_member") from None
    team_id = TeamId(new_id())
    with uow.transaction(workspace_id, actor) as tx:
        for user_id in member_ids:
            if queries.membership(tx.session, workspace_id, user_id) is None:
                raise InvalidInput(f"user {user_id} is not a member", code="invalid_member")
        if tx.session.execute(
            select(Team.id).where(Team.workspace_id == workspace_id, Team.name == data.name)
        ).first():
            raise Conflict(f"team {data.name!r} already exists", code="team_exists")
        team = Team(id=team_id, workspace_id=workspace_id, name=data.name, created_at=tx.now)
        tx.session.add(team)
        tx.session.flush()
        for user_id in dict.fromkeys(member_ids):
            tx.session.add(TeamMember(team_id=team_id, user_id=user_id))
        tx.record(
            TeamCreated(
                team_id=team_id,
                name=data.name,
                member_ids=tuple(UserId(u) for u in dict.fromkeys(member_ids)),
            )
        )
    return team


def _check_hours(opening_hours: dict[str, Any], closures: list[dict[str, Any]]) -> None:
    hours.parse_weekly_hours(opening_hours)
    hours.parse_exceptions(closures)


def open_location(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: LocationInput, *, actor: str | None = None
) -> Location:
    """Add a store or warehouse."""
    _check_place(data.country, data.time_zone, data.holiday_subdivision)
    _check_hours(data.opening_hours, data.closures)
    location_id = LocationId(new_id())
    with uow.transaction(workspace_id, actor) as tx:
        queries.workspace_by_id(tx.session, workspace_id)
        if tx.session.execute(
            select(Location.id).where(
                Location.workspace_id == workspace_id, Location.code == data.code
            )
        ).first():
            raise Conflict(f"location code {data.code!r} is taken", code="location_code_taken")
        location = Location(
            id=location_id,
            workspace_id=workspace_id,
            created_at=tx.now,
            updated_at=tx.now,
            **data.model_dump(),
        )
        tx.session.add(location)
        tx.record(
            LocationOpened(location_id=location_id, code=data.code, name=data.name, kind=data.kind)
        )
    return location


_NULLABLE = frozenset({"latitude", "longitude", "holiday_subdivision"})


def update_location(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    location_id: LocationId,
    patch: LocationPatch,
    *,
    actor: str | None = None,
) -> Location:
    """Change a location's details; validates the result before anything is written."""
    changes = patch.model_dump(exclude_unset=True)
    with uow.transaction(workspace_id, actor) as tx:
        location = queries.location(tx.session, workspace_id, location_id)
        merged = {
            "time_zone": location.time_zone,
            "holiday_subdivision": location.holiday_subdivision,
            "opening_hours": location.opening_hours,
            "closures": location.closures,
        } | changes
        not_null = sorted(k for k, v in changes.items() if v is None and k not in _NULLABLE)
        if not_null:
            raise InvalidInput(f"{', '.join(not_null)} cannot be null", code="invalid_input")
        _check_place(location.country, merged["time_zone"], merged["holiday_subdivision"])
        _check_hours(merged["opening_hours"] or {}, merged["closures"] or [])
        changed = tuple(sorted(k for k, v in changes.items() if getattr(location, k) != v))
        for key in changed:
            setattr(location, key, changes[key])
        if changed:
            location.updated_at = tx.now
            tx.record(LocationUpdated(location_id=location_id, changed=changed))
        try:
            tx.session.flush()
        except IntegrityError:
            raise Conflict("location could not be updated", code="conflict") from None
    return location
