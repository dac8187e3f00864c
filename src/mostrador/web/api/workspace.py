"""The caller's workspace, its locations and teams."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from mostrador.core.access import Permission, Principal
from mostrador.core.errors import InvalidInput
from mostrador.core.ids import LocationId, TeamId
from mostrador.core.workspaces import Location, actions, hours, queries
from mostrador.core.workspaces.schemas import (
    DayHoursOut,
    LocationHoursOut,
    LocationInput,
    LocationOut,
    LocationPatch,
    TeamInput,
    TeamOut,
    WorkspaceOut,
)
from mostrador.web.deps import PrincipalDep, RuntimeDep, allowed
from mostrador.web.idempotency import run_idempotent

router = APIRouter(tags=["workspace"])

ManageLocations = Annotated[Principal, Depends(allowed(Permission.MANAGE_LOCATIONS))]
ManageTeams = Annotated[Principal, Depends(allowed(Permission.MANAGE_TEAMS))]


def _uuid(value: str, what: str) -> uuid.UUID:
    """Ids in paths: a malformed one is simply not found (it cannot exist)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        from mostrador.core.errors import NotFound

        raise NotFound(f"no such {what}", code=f"{what}_not_found") from None


def location_out(loc: Location) -> LocationOut:
    return LocationOut(
        id=str(loc.id),
        code=loc.code,
        name=loc.name,
        type=loc.kind,
        kind=loc.kind,
        street=loc.street,
        city=loc.city,
        region=loc.region,
        postal_code=loc.postal_code,
        country=loc.country,
        latitude=loc.latitude,
        longitude=loc.longitude,
        time_zone=loc.time_zone,
        holiday_subdivision=loc.holiday_subdivision,
        opening_hours=loc.opening_hours,
        closures=loc.closures,
    )


@router.get("/workspace", response_model=WorkspaceOut)
def get_workspace(runtime: RuntimeDep, principal: PrincipalDep) -> WorkspaceOut:
    with runtime.uow.read() as session:
        ws = queries.workspace_by_id(session, principal.workspace_id)
        return WorkspaceOut(
            id=str(ws.id),
            slug=ws.slug,
            name=ws.name,
            country=ws.country,
            currency=ws.currency,
            time_zone=ws.time_zone,
            language=ws.language,
        )


@router.get("/locations", response_model=list[LocationOut])
def list_locations(runtime: RuntimeDep, principal: PrincipalDep) -> list[LocationOut]:
    with runtime.uow.read() as session:
        return [location_out(loc) for loc in queries.locations(session, principal.workspace_id)]


@router.get("/locations/{location_id}", response_model=LocationOut)
def get_location(location_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> LocationOut:
    with runtime.uow.read() as session:
        loc_id = LocationId(_uuid(location_id, "location"))
        return location_out(queries.location(session, principal.workspace_id, loc_id))


@router.post("/locations", status_code=201, response_model=LocationOut)
async def create_location(
    data: LocationInput, request: Request, runtime: RuntimeDep, principal: ManageLocations
) -> JSONResponse:
    def create() -> tuple[int, dict[str, Any]]:
        loc = actions.open_location(
            runtime.uow, principal.workspace_id, data, actor=principal.actor
        )
        return 201, location_out(loc).model_dump(mode="json")

    return await run_idempotent(request, runtime, principal, create)


@router.patch("/locations/{location_id}", response_model=LocationOut)
def update_location(
    location_id: str, patch: LocationPatch, runtime: RuntimeDep, principal: ManageLocations
) -> LocationOut:
    loc_id = LocationId(_uuid(location_id, "location"))
    loc = actions.update_location(
        runtime.uow, principal.workspace_id, loc_id, patch, actor=principal.actor
    )
    return location_out(loc)


@router.get("/locations/{location_id}/hours", response_model=LocationHoursOut)
def location_hours(
    location_id: str,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    at: Annotated[
        datetime | None, Query(description="instant to evaluate (ISO 8601 with zone)")
    ] = None,
    days: Annotated[int, Query(ge=1, le=31)] = 7,
) -> LocationHoursOut:
    """Whether the location is open now (or at ``at``) and its hours for the coming days."""
    if at is not None and at.tzinfo is None:
        raise InvalidInput(
            "'at' needs a time zone, e.g. 2026-12-24T10:00:00-03:00", code="invalid_input"
        )
    instant = at or runtime.clock.now()
    with runtime.uow.read() as session:
        loc = queries.location(
            session, principal.workspace_id, LocationId(_uuid(location_id, "location"))
        )
        schedule = queries.schedule_of(loc)
    local_day = instant.astimezone(schedule.zone).date()
    day_hours = [hours.hours_on(schedule, local_day + timedelta(days=i)) for i in range(days)]
    opening = hours.next_opening(schedule, instant)
    return LocationHoursOut(
        location_id=str(loc.id),
        at=instant.astimezone(UTC).isoformat(),
        open_now=hours.is_open(schedule, instant),
        next_opening=opening.isoformat() if opening else None,
        days=[
            DayHoursOut(
                date=d.day.isoformat(),
                hours=hours.format_spans(d.spans),
                closed=d.closed,
                reason=d.reason,
            )
            for d in day_hours
        ],
    )


@router.get("/teams", response_model=list[TeamOut])
def list_teams(runtime: RuntimeDep, principal: PrincipalDep) -> list[TeamOut]:
    with runtime.uow.read() as session:
        return [
            TeamOut(
                id=str(t.id),
                name=t.name,
                member_ids=[
                    str(m)
                    for m in queries.team_member_ids(session, principal.workspace_id, TeamId(t.id))
                ],
            )
            for t in queries.teams(session, principal.workspace_id)
        ]


@router.get("/teams/{team_id}", response_model=TeamOut)
def get_team(team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> TeamOut:
    tid = TeamId(_uuid(team_id, "team"))
    with runtime.uow.read() as session:
        team = queries.team(session, principal.workspace_id, tid)
        members = queries.team_member_ids(session, principal.workspace_id, tid)
        return TeamOut(id=str(team.id), name=team.name, member_ids=[str(m) for m in members])


@router.post("/teams", status_code=201, response_model=TeamOut)
async def create_team(
    data: TeamInput, request: Request, runtime: RuntimeDep, principal: ManageTeams
) -> JSONResponse:
    def create() -> tuple[int, dict[str, Any]]:
        team = actions.create_team(runtime.uow, principal.workspace_id, data, actor=principal.actor)
        members = [str(m) for m in dict.fromkeys(uuid.UUID(x) for x in data.member_ids)]
        return 201, TeamOut(
            id=str(team.id), name=team.name, member_ids=sorted(members)
        ).model_dump()

    return await run_idempotent(request, runtime, principal, create)
