"""Workspaces, members, teams and locations through their actions."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import LocationId, TeamId, WorkspaceId
from mostrador.core.workspaces import actions, queries
from mostrador.core.workspaces.schemas import LocationPatch, TeamInput, WorkspaceInput
from tests.support.factories import make_location, make_member, make_workspace
from tests.support.tenancy import assert_unchanged, snapshot


def test_a_workspace_is_created_once_per_slug(runtime: Runtime) -> None:
    ws = make_workspace(runtime, "casa-aurora", name="Casa Aurora")
    with runtime.uow.read() as session:
        found = queries.workspace_by_slug(session, "casa-aurora")
        assert (found.id, found.name, found.currency) == (ws.id, "Casa Aurora", "ARS")

    before = snapshot(runtime.engine)
    with pytest.raises(Conflict) as err:
        make_workspace(runtime, "casa-aurora")
    assert err.value.code == "slug_taken"
    assert_unchanged(runtime.engine, before)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"country": "US"}, "unsupported_country"),
        ({"currency": "XYZ"}, "unknown_currency"),
        ({"time_zone": "Mars/Olympus"}, "invalid_time_zone"),
    ],
)
def test_bad_workspace_settings_are_refused_and_change_nothing(
    runtime: Runtime, overrides: dict[str, str], code: str
) -> None:
    before = snapshot(runtime.engine)
    with pytest.raises(InvalidInput) as err:
        make_workspace(runtime, "x", **overrides)
    assert err.value.code == code
    assert_unchanged(runtime.engine, before)


def test_slugs_must_be_url_safe() -> None:
    with pytest.raises(ValidationError):
        WorkspaceInput(slug="Casa Aurora", name="x", country="AR", currency="ARS", time_zone="UTC")


def test_members_get_one_role_per_workspace_and_keep_their_password(runtime: Runtime) -> None:
    a = make_workspace(runtime, "a")
    b = make_workspace(runtime, "b")
    user = make_member(runtime, a, "Ana@Example.com", "agent", password="primera123")
    same = make_member(runtime, b, "ana@example.com", "supervisor", password="segunda123")
    assert same.id == user.id
    assert user.email == "ana@example.com"
    with runtime.uow.read() as session:
        roles = {(m.workspace_id, m.role) for m in queries.memberships_of(session, user.id)}
    assert roles == {(a.id, "agent"), (b.id, "supervisor")}
    with pytest.raises(Conflict) as err:
        make_member(runtime, a, "ana@example.com", "owner")
    assert err.value.code == "already_member"
    with pytest.raises(InvalidInput) as err:
        make_member(runtime, a, "beto@example.com", "emperor")
    assert err.value.code == "invalid_role"


def test_teams_only_take_members_of_the_workspace(runtime: Runtime) -> None:
    a = make_workspace(runtime, "a")
    b = make_workspace(runtime, "b")
    ana = make_member(runtime, a, "ana@example.com", "agent")
    outsider = make_member(runtime, b, "out@example.com", "agent")
    ws_a = WorkspaceId(a.id)

    team = actions.create_team(
        runtime.uow, ws_a, TeamInput(name="Postventa", member_ids=[str(ana.id)])
    )
    with runtime.uow.read() as session:
        assert queries.team_member_ids(session, ws_a, TeamId(team.id)) == [ana.id]

    before = snapshot(runtime.engine)
    with pytest.raises(InvalidInput) as err:
        actions.create_team(
            runtime.uow, ws_a, TeamInput(name="Ventas", member_ids=[str(outsider.id)])
        )
    assert err.value.code == "invalid_member"
    with pytest.raises(Conflict) as err:
        actions.create_team(runtime.uow, ws_a, TeamInput(name="Postventa"))
    assert err.value.code == "team_exists"
    assert_unchanged(runtime.engine, before)


def test_locations_are_scoped_to_their_workspace(runtime: Runtime) -> None:
    a = make_workspace(runtime, "a")
    b = make_workspace(runtime, "b")
    loc = make_location(runtime, a, "PAL")
    make_location(runtime, b, "PAL")  # the same code in another business is fine
    with runtime.uow.read() as session:
        assert queries.location(session, WorkspaceId(a.id), LocationId(loc.id)).code == "PAL"
        with pytest.raises(NotFound) as err:
            queries.location(session, WorkspaceId(b.id), LocationId(loc.id))
        assert err.value.code == "location_not_found"


def test_updating_a_location_records_what_changed(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    loc = make_location(runtime, ws, "PAL")
    patch = LocationPatch(name="Palermo Soho", opening_hours={"mon": ["09:00-18:00"]})
    updated = actions.update_location(runtime.uow, WorkspaceId(ws.id), LocationId(loc.id), patch)
    assert updated.name == "Palermo Soho"
    assert updated.opening_hours == {"mon": ["09:00-18:00"]}
    with runtime.uow.read() as session:
        last = (
            session.execute(select(EventRecord).order_by(EventRecord.id.desc())).scalars().first()
        )
        assert last is not None
        assert (last.type, last.payload["changed"]) == (
            "workspaces.LocationUpdated",
            ["name", "opening_hours"],
        )
        events = session.execute(select(func.count()).select_from(EventRecord)).scalar_one()

    # The same values again: nothing changes, no event.
    actions.update_location(runtime.uow, WorkspaceId(ws.id), LocationId(loc.id), patch)
    with runtime.uow.read() as session:
        assert session.execute(select(func.count()).select_from(EventRecord)).scalar_one() == events

    before = snapshot(runtime.engine)
    for bad, code in [
        (LocationPatch(opening_hours={"mon": ["18:00-09:00"]}), "invalid_hours"),
        (LocationPatch(time_zone="Nowhere/Town"), "invalid_time_zone"),
        (LocationPatch(holiday_subdivision="ZZ"), "invalid_subdivision"),
        (LocationPatch.model_validate({"opening_hours": None}), "invalid_input"),
    ]:
        with pytest.raises(InvalidInput) as err:
            actions.update_location(runtime.uow, WorkspaceId(ws.id), LocationId(loc.id), bad)
        assert err.value.code == code
    with pytest.raises(NotFound):
        actions.update_location(
            runtime.uow, WorkspaceId(ws.id), LocationId(uuid.uuid4()), LocationPatch(name="x")
        )
    assert_unchanged(runtime.engine, before)
