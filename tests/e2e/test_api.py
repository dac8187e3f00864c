"""The REST API over HTTP: auth, roles, tenancy, errors, idempotency."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from mostrador.bootstrap import Runtime
from mostrador.core.access import actions as access
from mostrador.core.clock import FixedClock
from mostrador.core.ids import WorkspaceId
from tests.support.factories import bearer, make_location, make_token, make_workspace
from tests.support.tenancy import assert_foreign_id_is_404, assert_unchanged, snapshot

NEW_STORE = {
    "code": "COR",
    "name": "Córdoba Centro",
    "kind": "store",
    "street": "Av. Colón 350",
    "city": "Córdoba",
    "country": "AR",
    "time_zone": "America/Argentina/Cordoba",
    "holiday_subdivision": "X",
    "opening_hours": {"mon": ["09:00-13:00", "17:00-21:00"], "holidays": ["10:00-14:00"]},
}


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "bus": "ok"}}


def test_openapi_document_is_served_under_api_v1(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Mostrador API"
    assert "/api/v1/locations/{location_id}" in spec["paths"]
    assert client.get("/docs").status_code == 404  # no CDN-backed docs page


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Bearer nonsense"}, "invalid_token"),
        ({"Authorization": "Bearer mst_abcdefghijkl_" + "A" * 43}, "invalid_token"),
    ],
)
def test_requests_without_a_valid_token_get_401_json(
    client: TestClient, headers: dict[str, str], code: str
) -> None:
    response = client.get("/api/v1/workspace", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response.headers["www-authenticate"] == "Bearer"


def test_expired_tokens_are_refused(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    ws = make_workspace(runtime)
    _row, token = access.issue_api_token(
        runtime.uow, WorkspaceId(ws.id), role="agent", expires_in=timedelta(hours=1)
    )
    assert client.get("/api/v1/workspace", headers=bearer(token)).status_code == 200
    clock.advance(timedelta(hours=1))
    response = client.get("/api/v1/workspace", headers=bearer(token))
    assert (response.status_code, response.json()["error"]["code"]) == (401, "token_expired")


def test_the_workspace_of_the_token_is_the_one_you_see(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime, "casa-aurora", name="Casa Aurora")
    body = client.get("/api/v1/workspace", headers=bearer(make_token(runtime, ws, "agent"))).json()
    assert body == {
        "id": str(ws.id),
        "slug": "casa-aurora",
        "name": "Casa Aurora",
        "country": "AR",
        "currency": "ARS",
        "time_zone": "America/Argentina/Buenos_Aires",
        "language": "es",
    }


def test_owners_create_locations_and_everyone_reads_them(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    owner = bearer(make_token(runtime, ws, "owner"))
    agent = bearer(make_token(runtime, ws, "agent"))

    created = client.post("/api/v1/locations", json=NEW_STORE, headers=owner)
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in ("code", "name", "kind", "time_zone", "holiday_subdivision")} == {
        "code": "COR",
        "name": "Córdoba Centro",
        "kind": "store",
        "time_zone": "America/Argentina/Cordoba",
        "holiday_subdivision": "X",
    }
    listed = client.get("/api/v1/locations", headers=agent).json()
    assert [loc["code"] for loc in listed] == ["COR"]
    assert client.get(f"/api/v1/locations/{body['id']}", headers=agent).json() == body


def test_an_agent_may_not_create_locations_and_nothing_changes(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    agent = bearer(make_token(runtime, ws, "agent"))
    before = snapshot(runtime.engine)
    response = client.post("/api/v1/locations", json=NEW_STORE, headers=agent)
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "permission_denied", "message": "the agent role may not locations.manage"}
    }
    assert_unchanged(runtime.engine, before)


def test_invalid_bodies_get_422_with_the_field_and_change_nothing(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    owner = bearer(make_token(runtime, ws, "owner"))
    before = snapshot(runtime.engine)

    missing = client.post("/api/v1/locations", json={"code": "X"}, headers=owner)
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "invalid_input"
    assert {d["field"] for d in missing.json()["error"]["details"]} >= {"name", "kind", "country"}

    bad_hours = client.post(
        "/api/v1/locations",
        json=NEW_STORE | {"opening_hours": {"mon": ["21:00-09:00"]}},
        headers=owner,
    )
    assert (bad_hours.status_code, bad_hours.json()["error"]["code"]) == (422, "invalid_hours")
    not_json = client.post(
        "/api/v1/locations", content=b"{", headers=owner | {"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422
    assert_unchanged(runtime.engine, before)


def test_ids_of_another_workspace_are_not_found_and_change_nothing(
    runtime: Runtime, client: TestClient
) -> None:
    mine = make_workspace(runtime, "mine")
    theirs = make_workspace(runtime, "theirs")
    their_store = make_location(runtime, theirs, "PAL")
    owner = bearer(make_token(runtime, mine, "owner"))
    foreign = str(their_store.id)

    for method, path, body in [
        ("GET", f"/api/v1/locations/{foreign}", None),
        ("PATCH", f"/api/v1/locations/{foreign}", {"name": "Hackeada"}),
        ("GET", f"/api/v1/locations/{foreign}/hours", None),
        ("GET", f"/api/v1/locations/{uuid.uuid4()}", None),
        ("GET", "/api/v1/locations/not-a-uuid", None),
        ("GET", f"/api/v1/teams/{uuid.uuid4()}", None),
    ]:
        assert_foreign_id_is_404(client, runtime.engine, method, path, headers=owner, json=body)


def test_location_hours_answer_open_now_and_holidays(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    owner = bearer(make_token(runtime, ws, "owner"))
    store = client.post("/api/v1/locations", json=NEW_STORE, headers=owner).json()

    response = client.get(
        f"/api/v1/locations/{store['id']}/hours",
        params={"at": "2026-12-07T09:30:00-03:00", "days": 2},
        headers=owner,
    )
    assert response.status_code == 200
    # 7 December 2026 is a bridge holiday in Argentina: holiday hours (10–14) apply.
    assert response.json() == {
        "location_id": store["id"],
        "at": "2026-12-07T12:30:00+00:00",
        "open_now": False,
        "next_opening": "2026-12-07T13:00:00+00:00",
        "days": [
            {
                "date": "2026-12-07",
                "hours": ["10:00-14:00"],
                "closed": False,
                "reason": "holiday: Feriado con fines turísticos",
            },
            {
                "date": "2026-12-08",
                "hours": ["10:00-14:00"],
                "closed": False,
                "reason": "holiday: Inmaculada Concepción de María",
            },
        ],
    }
    monday = client.get(
        f"/api/v1/locations/{store['id']}/hours",
        params={"at": "2026-11-30T09:30:00-03:00", "days": 1},
        headers=owner,
    ).json()
    assert (monday["open_now"], monday["days"][0]["hours"], monday["days"][0]["reason"]) == (
        True,
        ["09:00-13:00", "17:00-21:00"],
        "regular",
    )
    naive = client.get(
        f"/api/v1/locations/{store['id']}/hours",
        params={"at": "2026-12-07T09:30:00"},
        headers=owner,
    )
    assert (naive.status_code, naive.json()["error"]["code"]) == (422, "invalid_input")


def test_idempotency_key_replays_the_first_result(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    owner = bearer(make_token(runtime, ws, "owner"))
    headers = owner | {"Idempotency-Key": "alta-cordoba-1"}

    first = client.post("/api/v1/locations", json=NEW_STORE, headers=headers)
    before = snapshot(runtime.engine)
    again = client.post("/api/v1/locations", json=NEW_STORE, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert_unchanged(runtime.engine, before)

    other_body = client.post("/api/v1/locations", json=NEW_STORE | {"code": "ROS"}, headers=headers)
    assert (other_body.status_code, other_body.json()["error"]["code"]) == (
        409,
        "idempotency_key_reused",
    )
    assert_unchanged(runtime.engine, before)

    # Without a key the natural unique code protects against the duplicate.
    dup = client.post("/api/v1/locations", json=NEW_STORE, headers=owner)
    assert (dup.status_code, dup.json()["error"]["code"]) == (409, "location_code_taken")


def test_a_refused_request_does_not_burn_its_idempotency_key(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    headers = bearer(make_token(runtime, ws, "owner")) | {"Idempotency-Key": "k-1"}
    bad = client.post(
        "/api/v1/locations", json=NEW_STORE | {"time_zone": "Nowhere/Town"}, headers=headers
    )
    assert bad.status_code == 422
    good = client.post(
        "/api/v1/locations", json=NEW_STORE | {"time_zone": "Nowhere/Town"}, headers=headers
    )
    assert good.status_code == 422  # same request, evaluated again: still invalid, nothing stored
    fixed = client.post(
        "/api/v1/locations",
        json=NEW_STORE,
        headers=bearer(make_token(runtime, ws, "owner")) | {"Idempotency-Key": "k-1"},
    )
    assert fixed.status_code == 201  # keys are per caller: another token may use the same key


def test_teams_api(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    supervisor = bearer(make_token(runtime, ws, "supervisor"))
    created = client.post("/api/v1/teams", json={"name": "Ventas online"}, headers=supervisor)
    assert created.status_code == 201
    team = created.json()
    assert team == {"id": team["id"], "name": "Ventas online", "member_ids": []}
    assert client.get(f"/api/v1/teams/{team['id']}", headers=supervisor).json() == team
    assert client.get("/api/v1/teams", headers=supervisor).json() == [team]
    store_staff = bearer(make_token(runtime, ws, "store_staff"))
    assert client.post("/api/v1/teams", json={"name": "X"}, headers=store_staff).status_code == 403


def test_event_log_api_pages_through_the_workspace_history(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    other = make_workspace(runtime, "other")
    make_location(runtime, other, "ZZZ")
    for code in ("A", "B", "C"):
        make_location(runtime, ws, code)
    owner = bearer(make_token(runtime, ws, "owner"))

    page = client.get(
        "/api/v1/events", params={"type": "workspaces.LocationOpened", "limit": 2}, headers=owner
    )
    body = page.json()
    assert [e["payload"]["code"] for e in body["items"]] == ["A", "B"]
    rest = client.get(
        "/api/v1/events",
        params={"type": "workspaces.LocationOpened", "after": body["next_after"]},
        headers=owner,
    ).json()
    assert [e["payload"]["code"] for e in rest["items"]] == ["C"]
    assert rest["next_after"] is None
    agent = bearer(make_token(runtime, ws, "agent"))
    assert client.get("/api/v1/events", headers=agent).status_code == 403
    bad = client.get("/api/v1/events", params={"after": "x"}, headers=owner)
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_cursor")
