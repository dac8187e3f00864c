"""The customer 360 API: resolution, search, profile, consents, merges, privacy, tenancy."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from mostrador.bootstrap import Runtime
from tests.support.customers import contact, customer_id
from tests.support.factories import bearer, make_token, make_workspace
from tests.support.tenancy import assert_foreign_id_is_404, assert_unchanged, snapshot

MARIA = {
    "name": "María González",
    "source_channel": "whatsapp",
    "identifiers": [
        {"kind": "whatsapp_id", "value": "5491155551234", "source_channel": "whatsapp"}
    ],
}


def post(client: TestClient, path: str, token: str, body: Any = None, **headers: str) -> Any:
    return client.post(path, json=body, headers=bearer(token) | headers)


def test_contacts_resolve_to_one_customer_and_retries_do_not_duplicate(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    agent = make_token(runtime, ws, "agent")

    created = post(client, "/api/v1/customers", agent, MARIA, **{"Idempotency-Key": "wa-msg-1"})
    assert created.status_code == 201
    body = created.json()
    assert (body["outcome"], body["suggestion_ids"]) == ("created", [])
    before = snapshot(runtime.engine)
    retried = post(client, "/api/v1/customers", agent, MARIA, **{"Idempotency-Key": "wa-msg-1"})
    assert (retried.status_code, retried.json()) == (201, body)
    assert_unchanged(runtime.engine, before)

    counter = {
        "name": "MARIA GONZALEZ",
        "source_channel": "store",
        "identifiers": [{"kind": "phone", "value": "011 15 5555-1234", "source_channel": "store"}],
    }
    attached = post(client, "/api/v1/customers", agent, counter)
    assert attached.status_code == 200
    assert (attached.json()["outcome"], attached.json()["customer_id"]) == (
        "attached",
        body["customer_id"],
    )


def test_bad_contacts_are_refused_and_change_nothing(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    agent = make_token(runtime, ws, "agent")
    before = snapshot(runtime.engine)
    for bad, code in [
        ({"identifiers": [{"kind": "fax", "value": "1"}]}, "invalid_input"),
        ({"name": "", "identifiers": []}, "empty_contact"),
        ({"name": "x", "source_channel": "carrier-pigeon"}, "invalid_input"),
    ]:
        response = post(client, "/api/v1/customers", agent, bad)
        assert (response.status_code, response.json()["error"]["code"]) == (422, code), (
            response.text
        )
    assert_unchanged(runtime.engine, before)


def test_the_360_shows_identifiers_consents_and_timeline(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime)
    agent = make_token(runtime, ws, "agent")
    person = post(client, "/api/v1/customers", agent, MARIA).json()["customer_id"]
    consent = post(
        client,
        f"/api/v1/customers/{person}/consents",
        agent,
        {
            "purpose": "marketing",
            "channel": "whatsapp",
            "granted": True,
            "source": "whatsapp",
            "evidence": "Respondió SÍ",
        },
    )
    assert consent.status_code == 201
    edited = client.patch(
        f"/api/v1/customers/{person}",
        json={"city": "Rosario", "tags": ["vip"]},
        headers=bearer(agent),
    )
    assert edited.json() == {
        "id": person,
        "display_name": "María González",
        "city": "Rosario",
        "preferred_channel": None,
    }

    view = client.get(f"/api/v1/customers/{person}", headers=bearer(agent)).json()
    assert (view["display_name"], view["city"], view["tags"]) == (
        "María González",
        "Rosario",
        ["vip"],
    )
    assert [
        (i["kind"], i["normalized_value"], i["channel_value"]) for i in view["identifiers"]
    ] == [("whatsapp_id", "+5491155551234", "5491155551234")]
    assert view["consents"]["effective"] == [
        {"purpose": "marketing", "channel": "whatsapp", "granted": True}
    ]
    assert [e["type"] for e in view["timeline"]] == [
        "customers.CustomerUpdated",
        "customers.ConsentChanged",
        "customers.CustomerRegistered",
    ]
    found = client.get(
        "/api/v1/customers", params={"q": "+54 9 11 5555 1234"}, headers=bearer(agent)
    ).json()
    assert [c["id"] for c in found] == [person]
    assert (
        client.get(
            "/api/v1/customers", params={"q": "gonzalez maria"}, headers=bearer(agent)
        ).json()[0]["id"]
        == person
    )


def test_merge_and_undo_over_the_api_and_roles(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    supervisor = make_token(runtime, ws, "supervisor")
    agent = make_token(runtime, ws, "agent")
    a = str(customer_id(runtime, ws, contact("Carla Ruiz", "store", phone="011 4555-0000")))
    b = str(customer_id(runtime, ws, contact("Pedro Ibáñez", "instagram", instagram="pedro.ib")))

    before = snapshot(runtime.engine)
    denied = post(client, f"/api/v1/customers/{a}/merge", agent, {"other_customer_id": b})
    assert (denied.status_code, denied.json()["error"]["code"]) == (403, "permission_denied")
    assert_unchanged(runtime.engine, before)

    merged = post(client, f"/api/v1/customers/{a}/merge", supervisor, {"other_customer_id": b})
    assert merged.status_code == 200
    merge = merged.json()
    assert (merge["survivor_id"], merge["merged_id"], merge["reason"], merge["undone"]) == (
        a,
        b,
        "manual",
        False,
    )
    # The absorbed id still answers, with the survivor.
    assert client.get(f"/api/v1/customers/{b}", headers=bearer(agent)).json()["id"] == a

    undone = post(client, f"/api/v1/merges/{merge['id']}/undo", supervisor)
    assert undone.json()["undone"] is True
    assert client.get(f"/api/v1/customers/{b}", headers=bearer(agent)).json()["id"] == b
    again = post(client, f"/api/v1/merges/{merge['id']}/undo", supervisor)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "merge_already_undone")


def test_export_and_erasure_are_for_owners(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    owner = make_token(runtime, ws, "owner")
    agent = make_token(runtime, ws, "agent")
    person = str(
        customer_id(runtime, ws, contact("Lucía Romero", "web", email="lucia.romero@yahoo.com.ar"))
    )

    assert (
        client.get(f"/api/v1/customers/{person}/export", headers=bearer(agent)).status_code == 403
    )
    exported = client.get(f"/api/v1/customers/{person}/export", headers=bearer(owner)).json()
    assert [i["raw_value"] for i in exported["identifiers"]] == ["lucia.romero@yahoo.com.ar"]

    assert post(client, f"/api/v1/customers/{person}/erasure", agent, {}).status_code == 403
    erased = post(client, f"/api/v1/customers/{person}/erasure", owner, {"retention_days": 15})
    assert erased.status_code == 202
    assert (erased.json()["status"], erased.json()["purge_after"]) == (
        "blocked",
        "2026-12-09T15:00:00+00:00",
    )
    gone = client.get(f"/api/v1/customers/{person}", headers=bearer(agent))
    assert (gone.status_code, gone.json()["error"]["code"]) == (404, "customer_not_found")


def test_ids_of_another_workspace_are_not_found_and_change_nothing(
    runtime: Runtime, client: TestClient
) -> None:
    mine = make_workspace(runtime, "mine")
    theirs = make_workspace(runtime, "theirs")
    owner = bearer(make_token(runtime, mine, "owner"))
    own = str(customer_id(runtime, mine, contact("Ana", "store", phone="011 4555-1111")))
    foreign = str(customer_id(runtime, theirs, contact("Beto", "store", phone="011 4555-2222")))
    other_foreign = str(
        customer_id(runtime, theirs, contact("Ceci", "store", phone="011 4555-3333"))
    )
    for method, path, body in [
        ("GET", f"/api/v1/customers/{foreign}", None),
        ("PATCH", f"/api/v1/customers/{foreign}", {"city": "X"}),
        (
            "POST",
            f"/api/v1/customers/{foreign}/consents",
            {"purpose": "marketing", "granted": True, "source": "x"},
        ),
        ("POST", f"/api/v1/customers/{foreign}/merge", {"other_customer_id": other_foreign}),
        ("POST", f"/api/v1/customers/{own}/merge", {"other_customer_id": foreign}),
        ("GET", f"/api/v1/customers/{foreign}/export", None),
        ("POST", f"/api/v1/customers/{foreign}/erasure", {}),
        ("POST", f"/api/v1/merges/{uuid.uuid4()}/undo", None),
        ("POST", f"/api/v1/merge-suggestions/{uuid.uuid4()}/accept", None),
        ("POST", f"/api/v1/merge-suggestions/{uuid.uuid4()}/reject", None),
        ("GET", "/api/v1/customers/not-an-id", None),
    ]:
        assert_foreign_id_is_404(client, runtime.engine, method, path, headers=owner, json=body)
