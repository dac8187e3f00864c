"""Catalog, stock and orders over HTTP, with the shapes the issue fixes for outside checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.commerce import actions
from mostrador.commerce.models import Order, Reservation, StockLevel, StockMovement
from mostrador.core.clock import FixedClock
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId
from mostrador.worker import housekeeping
from tests.support.factories import bearer, make_location, make_token, make_workspace
from tests.support.tenancy import assert_foreign_id_is_404, assert_unchanged, snapshot

REMERA = {
    "name": "Remera lisa algodón",
    "category": "remeras",
    "variants": [
        {"sku": "REM-M-NEG", "price": "1999.00", "attributes": {"talle": "M", "color": "negro"}},
        {"sku": "REM-L-NEG", "price": "1999.50"},
    ],
}


def call(client: TestClient, method: str, path: str, token: str, body: Any = None, **h: str) -> Any:
    return client.request(method, path, json=body, headers=bearer(token) | h)


def shop(runtime: Runtime, client: TestClient) -> tuple[str, str]:
    """A workspace with a store (PAL), a warehouse (DEP) and the remera: admin and agent tokens."""
    ws = make_workspace(runtime)
    make_location(runtime, ws, "PAL")
    make_location(runtime, ws, "DEP", kind="warehouse", name="Depósito Barracas")
    admin = make_token(runtime, ws, "admin")
    agent = make_token(runtime, ws, "agent")
    assert call(client, "POST", "/api/v1/products", admin, REMERA).status_code == 201
    return admin, agent


def stock_of(client: TestClient, token: str, sku: str) -> dict[str, tuple[int, int, int]]:
    body = call(client, "GET", f"/api/v1/inventory/{sku}", token).json()
    return {
        row["location"]: (row["on_hand"], row["reserved"], row["available"])
        for row in body["locations"]
    }


def ledger_matches_stock(runtime: Runtime) -> bool:
    """The movement ledger's sum per variant and location is the on-hand stock."""
    with runtime.uow.read() as session:
        sums = {
            (variant_id, location_id): total
            for variant_id, location_id, total in session.execute(
                select(
                    StockMovement.variant_id,
                    StockMovement.location_id,
                    func.sum(StockMovement.quantity),
                ).group_by(StockMovement.variant_id, StockMovement.location_id)
            )
        }
        levels = session.execute(select(StockLevel)).scalars().all()
        return bool(levels) and all(
            sums.get((lv.variant_id, lv.location_id), 0) == lv.on_hand for lv in levels
        )


def test_locations_say_their_type(runtime: Runtime, client: TestClient) -> None:
    admin, _agent = shop(runtime, client)
    body = call(client, "GET", "/api/v1/locations", admin).json()
    assert [(loc["code"], loc["type"]) for loc in body] == [("DEP", "warehouse"), ("PAL", "store")]


def test_products_are_created_once_per_sku_by_admins(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    admin = make_token(runtime, ws, "admin")
    agent = make_token(runtime, ws, "agent")
    created = call(client, "POST", "/api/v1/products", admin, REMERA)
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["currency"]) == ("Remera lisa algodón", "ARS")
    assert [(v["sku"], v["price"]) for v in body["variants"]] == [
        ("REM-M-NEG", "1999.00"),
        ("REM-L-NEG", "1999.50"),
    ]
    before = snapshot(runtime.engine)
    again = call(client, "POST", "/api/v1/products", admin, REMERA | {"name": "Otra"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_sku"
    denied = call(client, "POST", "/api/v1/products", agent, REMERA)
    assert denied.status_code == 403
    for bad in (
        {"name": "Sin variantes", "variants": []},
        {"name": "Precio negativo", "variants": [{"sku": "X-1", "price": "-1"}]},
        {"name": "SKU raro", "variants": [{"sku": "con espacio", "price": "10"}]},
        {"name": "Repetido", "variants": [{"sku": "A", "price": "1"}, {"sku": "A", "price": "2"}]},
    ):
        refused = call(client, "POST", "/api/v1/products", admin, bad)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_input")
    assert_unchanged(runtime.engine, before)


def test_stock_is_set_by_admins_and_read_per_location(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    put = call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 10})
    assert put.status_code == 200
    assert call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 7}).json() == {
        "sku": "REM-M-NEG",
        "locations": [
            {"location": "DEP", "type": "warehouse", "on_hand": 0, "reserved": 0, "available": 0},
            {"location": "PAL", "type": "store", "on_hand": 7, "reserved": 0, "available": 7},
        ],
    }
    assert ledger_matches_stock(runtime)
    before = snapshot(runtime.engine)
    assert (
        call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", agent, {"on_hand": 1}).status_code
        == 403
    )
    bad = call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": -1})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_input")
    unknown = call(client, "PUT", "/api/v1/inventory/NOPE/PAL", admin, {"on_hand": 1})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "sku_not_found")
    nowhere = call(client, "PUT", "/api/v1/inventory/REM-M-NEG/XXX", admin, {"on_hand": 1})
    assert (nowhere.status_code, nowhere.json()["error"]["code"]) == (404, "location_not_found")
    assert_unchanged(runtime.engine, before)


PICKUP = {
    "channel": "web",
    "customer": {"phone": "+5491155550000", "name": "Ana Paz"},
    "lines": [{"sku": "REM-M-NEG", "quantity": 2}],
    "fulfillment": {"type": "pickup", "location": "PAL"},
}


def test_an_order_reserves_stock_and_a_retry_replays_it(
    runtime: Runtime, client: TestClient
) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    placed = call(client, "POST", "/api/v1/orders", agent, PICKUP, **{"Idempotency-Key": "web-1"})
    assert placed.status_code == 201
    order = placed.json()
    assert (order["status"], order["total"], order["channel"]) == ("placed", "3998.00", "web")
    assert [(line["sku"], line["quantity"], line["net"]) for line in order["lines"]] == [
        ("REM-M-NEG", 2, "3998.00")
    ]
    assert order["fulfillment"]["location"] == "PAL"
    # Tuesday 12:00 in Buenos Aires, two opening hours to prepare.
    assert order["promise"] == {
        "from": None,
        "until": None,
        "ready_at": "2026-11-24T17:00:00+00:00",
    }
    assert len(order["fulfillment"]["pickup_code"]) == 6
    assert order["customer_id"] is not None
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (3, 2, 1)

    before = snapshot(runtime.engine)
    again = call(client, "POST", "/api/v1/orders", agent, PICKUP, **{"Idempotency-Key": "web-1"})
    assert (again.status_code, again.json()) == (201, order)
    assert_unchanged(runtime.engine, before)

    short = call(client, "POST", "/api/v1/orders", agent, PICKUP)
    assert short.status_code == 409
    error = short.json()["error"]
    assert (error["code"], error["details"]) == (
        "insufficient_stock",
        {"lines": [{"sku": "REM-M-NEG", "requested": 2, "available": 1}]},
    )
    assert_unchanged(runtime.engine, before)


def test_bad_orders_are_refused_and_reserve_nothing(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    before = snapshot(runtime.engine)
    for bad, status, code in [
        (PICKUP | {"channel": "fax"}, 422, "invalid_input"),
        (PICKUP | {"lines": []}, 422, "invalid_input"),
        (PICKUP | {"lines": [{"sku": "REM-M-NEG", "quantity": 0}]}, 422, "invalid_input"),
        (PICKUP | {"lines": [{"sku": "NOPE", "quantity": 1}]}, 422, "unknown_sku"),
        (PICKUP | {"fulfillment": {"type": "pickup"}}, 422, "invalid_input"),
        (PICKUP | {"fulfillment": {"type": "pickup", "location": "XXX"}}, 422, "unknown_location"),
        (PICKUP | {"fulfillment": {"type": "pickup", "location": "DEP"}}, 422, "not_a_store"),
    ]:
        refused = call(client, "POST", "/api/v1/orders", agent, bad)
        assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), bad
    assert_unchanged(runtime.engine, before)


def test_a_till_sale_sent_twice_is_one_sale(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-L-NEG/PAL", admin, {"on_hand": 5})
    sale = {
        "channel": "pos",
        "external_id": "caja2-000123",
        "lines": [{"sku": "REM-L-NEG", "quantity": 1}],
        "fulfillment": {"type": "counter", "location": "PAL"},
        "payments": [{"method": "cash", "amount": "1999.50"}],
    }
    first = call(client, "POST", "/api/v1/orders", agent, sale)
    assert first.status_code == 201
    assert (first.json()["status"], first.json()["payments"]) == (
        "collected",
        [{"method": "cash", "amount": "1999.50", "reference": ""}],
    )
    synced = call(client, "POST", "/api/v1/orders", agent, sale)
    assert (synced.status_code, synced.json()) == (200, first.json())
    assert stock_of(client, agent, "REM-L-NEG")["PAL"] == (4, 0, 4)
    assert ledger_matches_stock(runtime)
    with runtime.uow.read() as session:
        assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 1


def test_cancelling_gives_the_units_back_once(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/DEP", admin, {"on_hand": 4})
    ship = PICKUP | {"fulfillment": {"type": "ship"}}
    order = call(client, "POST", "/api/v1/orders", agent, ship).json()
    assert stock_of(client, agent, "REM-M-NEG")["DEP"] == (4, 2, 2)
    # Before the 14:00 cut-off: handled Wednesday, then 1 to 4 working days (no weekend).
    assert order["promise"] == {"from": "2026-11-26", "until": "2026-12-01", "ready_at": None}
    cancelled = call(client, "POST", f"/api/v1/orders/{order['id']}/cancel", agent, {"reason": "x"})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert stock_of(client, agent, "REM-M-NEG")["DEP"] == (4, 0, 4)
    before = snapshot(runtime.engine)
    twice = call(client, "POST", f"/api/v1/orders/{order['id']}/cancel", agent)
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "order_not_cancellable")
    assert_unchanged(runtime.engine, before)
    with runtime.uow.read() as session:
        statuses = session.execute(select(Reservation.status)).scalars().all()
    assert statuses == ["released"]


def test_orders_of_another_workspace_are_not_found(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    order = call(client, "POST", "/api/v1/orders", agent, PICKUP).json()
    other = make_workspace(runtime, slug="otra")
    stranger = make_token(runtime, other, "owner")
    for method, path in [
        ("GET", f"/api/v1/orders/{order['id']}"),
        ("POST", f"/api/v1/orders/{order['id']}/cancel"),
        ("GET", "/api/v1/inventory/REM-M-NEG"),
        ("PUT", "/api/v1/inventory/REM-M-NEG/PAL"),
        ("GET", f"/api/v1/customers/{order['customer_id']}/loyalty"),
        ("POST", "/api/v1/returns"),
    ]:
        body: Any = {"on_hand": 0} if method == "PUT" else None
        if path.endswith("/returns"):
            body = {
                "order_id": order["id"],
                "location": "PAL",
                "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
            }
        assert_foreign_id_is_404(
            client, runtime.engine, method, path, headers=bearer(stranger), json=body
        )


def test_a_return_anywhere_restocks_there_refunds_as_paid_and_takes_back_points(
    runtime: Runtime, client: TestClient
) -> None:
    admin, agent = shop(runtime, client)
    make_location(runtime, runtime_workspace(runtime), "CEN", name="Sucursal Centro")
    call(client, "PUT", "/api/v1/inventory/REM-L-NEG/PAL", admin, {"on_hand": 5})
    sale = {
        "channel": "pos",
        "external_id": "caja1-77",
        "customer": {"phone": "11 5555-0001", "name": "Ana Paz"},
        "lines": [{"sku": "REM-L-NEG", "quantity": 2}],
        "fulfillment": {"type": "counter", "location": "PAL"},
        "payments": [{"method": "cash", "amount": "1999.00"}, {"method": "card", "amount": "2000"}],
    }
    order = call(client, "POST", "/api/v1/orders", agent, sale).json()
    customer = order["customer_id"]
    points = call(client, "GET", f"/api/v1/customers/{customer}/loyalty", agent).json()
    assert (points["balance"], points["tier"]["name"]) == (39, "Bronce")  # 3999.00 ARS / 100

    returned = call(
        client,
        "POST",
        "/api/v1/returns",
        agent,
        {
            "order_id": order["id"],
            "location": "CEN",
            "lines": [{"sku": "REM-L-NEG", "quantity": 1}],
        },
    )
    assert returned.status_code == 201
    body = returned.json()
    assert (body["accepted_value"], body["refund_to"], body["store_credit"]) == (
        "1999.50",
        "original_method",
        "0.00",
    )
    assert sorted((r["method"], r["amount"]) for r in body["refunds"]) == [
        ("card", "1000.00"),  # 1999.50 x 2000 / 3999 = 1000.0125
        ("cash", "999.50"),  # 1999.50 x 1999 / 3999 = 999.4875, plus the cent left over
    ]
    assert stock_of(client, agent, "REM-L-NEG") == {
        "CEN": (1, 0, 1),
        "DEP": (0, 0, 0),
        "PAL": (3, 0, 3),
    }
    assert ledger_matches_stock(runtime)
    assert call(client, "GET", f"/api/v1/orders/{order['id']}", agent).json()["status"] == (
        "partially_returned"
    )
    points = call(client, "GET", f"/api/v1/customers/{customer}/loyalty", agent).json()
    assert points["balance"] == 20  # floor(39 * 1999.50 / 3999.00) = 19 taken back
    person = call(client, "GET", f"/api/v1/customers/{customer}", agent).json()["commerce"]
    assert [(o["number"], o["channel"], o["status"], o["total"]) for o in person["orders"]] == [
        (1001, "pos", "partially_returned", "3999.00")
    ]
    assert [r["accepted_value"] for r in person["returns"]] == ["1999.50"]
    assert person["spend"] == {
        "currency": "ARS",
        "orders": 1,
        "net": "1999.50",
        "by_channel": {"pos": {"orders": 1, "total": "3999.00"}},
    }
    assert person["loyalty"] == {"balance": 20, "tier": {"name": "Bronce", "multiplier": "1"}}

    refused = call(
        client,
        "POST",
        "/api/v1/returns",
        agent,
        {
            "order_id": order["id"],
            "location": "PAL",
            "lines": [{"sku": "REM-L-NEG", "quantity": 1, "condition": "used"}],
        },
    ).json()
    assert [(line["accepted"], line["reason"]) for line in refused["lines"]] == [
        (False, "condition_not_accepted")
    ]
    too_many = call(
        client,
        "POST",
        "/api/v1/returns",
        agent,
        {
            "order_id": order["id"],
            "location": "PAL",
            "lines": [{"sku": "REM-L-NEG", "quantity": 2}],
        },
    ).json()
    assert [(line["accepted"], line["reason"]) for line in too_many["lines"]] == [
        (False, "quantity_exceeds_purchased")
    ]
    assert stock_of(client, agent, "REM-L-NEG")["PAL"] == (3, 0, 3)

    before = snapshot(runtime.engine)
    for bad, status, code in [
        (
            {
                "order_id": order["id"],
                "location": "XXX",
                "lines": [{"sku": "REM-L-NEG", "quantity": 1}],
            },
            404,
            "location_not_found",
        ),
        (
            {
                "order_id": order["id"],
                "location": "PAL",
                "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
            },
            422,
            "line_not_in_order",
        ),
        (
            {"order_id": "nope", "location": "PAL", "lines": [{"sku": "REM-L-NEG", "quantity": 1}]},
            404,
            "order_not_found",
        ),
        ({"order_id": order["id"], "location": "PAL", "lines": []}, 422, "invalid_input"),
    ]:
        response = call(client, "POST", "/api/v1/returns", agent, bad)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert_unchanged(runtime.engine, before)


def runtime_workspace(runtime: Runtime) -> Any:
    from mostrador.core.workspaces import Workspace

    with runtime.uow.read() as session:
        return session.execute(select(Workspace)).scalar_one()


def test_click_and_collect_from_payment_to_the_counter(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    order = call(client, "POST", "/api/v1/orders", agent, PICKUP).json()
    path = f"/api/v1/orders/{order['id']}"
    half = call(
        client, "POST", f"{path}/payments", agent, {"method": "mercado_pago", "amount": "1000"}
    )
    assert (half.status_code, half.json()["status"], half.json()["paid_at"]) == (
        201,
        "placed",
        None,
    )
    paid = call(client, "POST", f"{path}/payments", agent, {"method": "card", "amount": "2998.00"})
    assert paid.json()["status"] == "paid"
    before = snapshot(runtime.engine)
    over = call(client, "POST", f"{path}/payments", agent, {"method": "cash", "amount": "1"})
    assert (over.status_code, over.json()["error"]["code"]) == (409, "order_status_conflict")
    early = call(
        client,
        "POST",
        f"{path}/collect",
        agent,
        {"pickup_code": order["fulfillment"]["pickup_code"]},
    )
    assert (early.status_code, early.json()["error"]["code"]) == (409, "order_status_conflict")
    assert_unchanged(runtime.engine, before)

    ready = call(client, "POST", f"{path}/ready", agent).json()
    assert ready["status"] == "ready_for_pickup"
    assert ready["fulfillment"]["pickup_expires_at"] == "2026-12-01T15:00:00+00:00"
    before = snapshot(runtime.engine)
    wrong = call(client, "POST", f"{path}/collect", agent, {"pickup_code": "not-it"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "wrong_pickup_code")
    assert_unchanged(runtime.engine, before)
    collected = call(
        client,
        "POST",
        f"{path}/collect",
        agent,
        {"pickup_code": order["fulfillment"]["pickup_code"]},
    )
    assert collected.json()["status"] == "collected"
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (1, 0, 1)
    assert ledger_matches_stock(runtime)
    points = call(client, "GET", f"/api/v1/customers/{order['customer_id']}/loyalty", agent).json()
    assert points["balance"] == 39  # 3998.00 ARS / 100, rounded down


def test_a_pickup_nobody_collects_goes_back_to_the_shelf(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    order = call(client, "POST", "/api/v1/orders", agent, PICKUP).json()
    call(client, "POST", f"/api/v1/orders/{order['id']}/ready", agent)
    ws = runtime_workspace(runtime)
    clock.advance(timedelta(days=6, hours=23))
    assert actions.expire_pickups(runtime.uow, WorkspaceId(ws.id)) == 0
    clock.advance(timedelta(hours=1))
    assert actions.expire_pickups(runtime.uow, WorkspaceId(ws.id)) == 1
    assert call(client, "GET", f"/api/v1/orders/{order['id']}", agent).json()["status"] == "expired"
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (3, 0, 3)


def test_the_worker_sweep_releases_expired_pickups(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 2})
    order = call(client, "POST", "/api/v1/orders", agent, PICKUP).json()
    call(client, "POST", f"/api/v1/orders/{order['id']}/ready", agent)
    assert housekeeping(runtime) == 0
    clock.advance(timedelta(days=7))
    assert housekeeping(runtime) == 1
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (2, 0, 2)


TWO_FOR_ONE = {
    "name": "2x1 en remeras M",
    "kind": "buy_x_pay_y",
    "buy": 2,
    "pay": 1,
    "target": {"skus": ["REM-M-NEG"]},
}
COUPON = {
    "name": "Cupón web 10%",
    "kind": "percent_off",
    "percent": "10",
    "conditions": {
        "channels": ["web"],
        "coupon": {"code": "VERANO10", "max_uses_per_customer": 1},
    },
}


def test_one_engine_prices_every_channel_and_explains_each_line(
    runtime: Runtime, client: TestClient
) -> None:
    admin, agent = shop(runtime, client)
    assert call(client, "POST", "/api/v1/promotions", agent, TWO_FOR_ONE).status_code == 403
    for promotion in (TWO_FOR_ONE, COUPON):
        assert call(client, "POST", "/api/v1/promotions", admin, promotion).status_code == 201
    before = snapshot(runtime.engine)
    bad = call(client, "POST", "/api/v1/promotions", admin, COUPON | {"percent": "150"})
    assert bad.status_code == 422
    assert_unchanged(runtime.engine, before)

    cart = {"lines": [{"sku": "REM-M-NEG", "quantity": 2}]}
    at_counter = call(
        client, "POST", "/api/v1/carts/price", agent, cart | {"channel": "pos"}
    ).json()
    on_web = call(client, "POST", "/api/v1/carts/price", agent, cart | {"channel": "web"}).json()
    assert at_counter == on_web | {}  # no channel-scoped promotion applies without the coupon
    assert (at_counter["subtotal"], at_counter["discount_total"], at_counter["total"]) == (
        "3998.00",
        "1999.00",
        "1999.00",
    )
    (line,) = at_counter["lines"]
    assert [(d["kind"], d["amount"], d["params"]["label"]) for d in line["discounts"]] == [
        ("buy_x_pay_y", "1999.00", "2x1")
    ]
    no_one = call(
        client,
        "POST",
        "/api/v1/carts/price",
        agent,
        cart | {"channel": "web", "coupon_codes": ["VERANO10"]},
    ).json()
    assert [(r["code"], r["reason"]) for r in no_one["rejected_coupons"]] == [
        ("VERANO10", "coupon_customer_required")  # a per-customer limit needs to know who
    ]
    ana = call(
        client,
        "POST",
        "/api/v1/customers",
        agent,
        {"name": "Ana Paz", "identifiers": [{"kind": "phone", "value": "+5491155550000"}]},
    ).json()["customer_id"]
    coupon = cart | {"coupon_codes": ["verano10"], "customer_id": ana}
    web = call(client, "POST", "/api/v1/carts/price", agent, coupon | {"channel": "web"}).json()
    assert (web["total"], web["coupons_applied"], web["rejected_coupons"]) == (
        "1799.10",
        ["VERANO10"],
        [],
    )
    pos = call(client, "POST", "/api/v1/carts/price", agent, coupon | {"channel": "pos"}).json()
    assert pos["total"] == "1999.00"
    assert [(r["code"], r["reason"]) for r in pos["rejected_coupons"]] == [
        ("VERANO10", "coupon_not_applicable")
    ]

    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 10})
    order = PICKUP | {"coupon_codes": ["VERANO10"]}
    placed = call(client, "POST", "/api/v1/orders", agent, order)
    assert (placed.status_code, placed.json()["total"], placed.json()["discount_total"]) == (
        201,
        "1799.10",
        "2198.90",
    )
    before = snapshot(runtime.engine)
    again = call(client, "POST", "/api/v1/orders", agent, order)
    assert (again.status_code, again.json()["error"]["code"]) == (422, "coupon_limit_per_customer")
    assert_unchanged(runtime.engine, before)


def test_a_cart_holds_units_until_it_becomes_an_order_or_expires(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    cart = {"kind": "cart", "location": "PAL", "lines": [{"sku": "REM-M-NEG", "quantity": 2}]}
    held = call(client, "POST", "/api/v1/holds", agent, cart | {"minutes": 20})
    assert held.status_code == 201
    hold = held.json()
    assert (hold["expires_at"], hold["lines"]) == (
        "2026-11-24T15:20:00+00:00",
        [{"sku": "REM-M-NEG", "location": "PAL", "quantity": 2}],
    )
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (3, 2, 1)
    before = snapshot(runtime.engine)
    assert call(client, "POST", "/api/v1/orders", agent, PICKUP).status_code == 409
    assert_unchanged(runtime.engine, before)
    placed = call(client, "POST", "/api/v1/orders", agent, PICKUP | {"hold_id": hold["id"]})
    assert placed.status_code == 201
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (3, 2, 1)

    quote = {"kind": "quote", "location": "PAL", "lines": [{"sku": "REM-M-NEG", "quantity": 1}]}
    call(client, "POST", "/api/v1/holds", agent, quote | {"minutes": 10})
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (3, 3, 0)
    clock.advance(timedelta(minutes=10))
    assert housekeeping(runtime) == 1
    assert stock_of(client, agent, "REM-M-NEG")["PAL"] == (3, 2, 1)
    assert ledger_matches_stock(runtime)


def test_prices_change_with_history_and_channel_overrides_are_explicit(
    runtime: Runtime, client: TestClient, clock: FixedClock
) -> None:
    admin, agent = shop(runtime, client)
    clock.advance(timedelta(days=1))
    call(client, "PUT", "/api/v1/prices/REM-M-NEG", admin, {"price": "2100"})
    history = call(
        client, "PUT", "/api/v1/prices/REM-M-NEG", admin, {"price": "1899.90", "channel": "web"}
    ).json()
    assert [(p["channel"], p["price"], p["current"]) for p in history["prices"]] == [
        (None, "2100.00", True),
        ("web", "1899.90", True),
        (None, "1999.00", False),
    ]
    cart = {"lines": [{"sku": "REM-M-NEG", "quantity": 1}]}
    web = call(client, "POST", "/api/v1/carts/price", agent, cart | {"channel": "web"}).json()
    pos = call(client, "POST", "/api/v1/carts/price", agent, cart | {"channel": "pos"}).json()
    assert (web["total"], web["lines"][0]["price_source"]) == ("1899.90", "channel")
    assert (pos["total"], pos["lines"][0]["price_source"]) == ("2100.00", "list")
    before = snapshot(runtime.engine)
    assert call(client, "PUT", "/api/v1/prices/REM-M-NEG", agent, {"price": "1"}).status_code == 403
    bad = call(client, "PUT", "/api/v1/prices/REM-M-NEG", admin, {"price": "1", "channel": "fax"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_input")
    assert_unchanged(runtime.engine, before)


def test_receipts_and_transfers_move_stock_and_wake_up_waiting_customers(
    runtime: Runtime, client: TestClient
) -> None:
    admin, agent = shop(runtime, client)
    ana = call(
        client,
        "POST",
        "/api/v1/customers",
        agent,
        {"name": "Ana Paz", "identifiers": [{"kind": "phone", "value": "+5491155550000"}]},
    ).json()["customer_id"]
    waiting = call(
        client,
        "POST",
        "/api/v1/inventory/REM-M-NEG/back-in-stock",
        agent,
        {"customer_id": ana, "channel": "whatsapp", "location": "PAL"},
    )
    assert waiting.status_code == 201
    move = "/api/v1/inventory/REM-M-NEG/movements"
    received = call(
        client, "POST", move, admin, {"kind": "receipt", "quantity": 10, "location": "DEP"}
    )
    assert received.status_code == 201
    moved = call(
        client,
        "POST",
        move,
        admin,
        {"kind": "transfer", "quantity": 4, "location": "PAL", "from_location": "DEP"},
    ).json()
    assert {r["location"]: r["on_hand"] for r in moved["locations"]} == {"DEP": 6, "PAL": 4}
    assert ledger_matches_stock(runtime)
    with runtime.uow.read() as session:
        woken = (
            session.execute(
                select(EventRecord.payload).where(EventRecord.type == "commerce.BackInStock")
            )
            .scalars()
            .all()
        )
    assert [(e["location"], e["subscriber_ids"]) for e in woken] == [("DEP", []), ("PAL", [ana])]
    before = snapshot(runtime.engine)
    too_many = call(
        client,
        "POST",
        move,
        admin,
        {"kind": "transfer", "quantity": 7, "location": "PAL", "from_location": "DEP"},
    )
    assert (too_many.status_code, too_many.json()["error"]["code"]) == (409, "insufficient_stock")
    same = call(
        client,
        "POST",
        move,
        admin,
        {"kind": "transfer", "quantity": 1, "location": "PAL", "from_location": "PAL"},
    )
    assert same.status_code == 422
    assert_unchanged(runtime.engine, before)


def test_points_are_adjusted_with_a_reason_spent_on_any_channel_and_given_back(
    runtime: Runtime, client: TestClient
) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 5})
    ana = call(
        client,
        "POST",
        "/api/v1/customers",
        agent,
        {"name": "Ana Paz", "identifiers": [{"kind": "phone", "value": "+5491155550000"}]},
    ).json()["customer_id"]
    path = f"/api/v1/customers/{ana}/loyalty"
    added = call(
        client, "POST", f"{path}/adjustments", agent, {"points": 100, "reason": "bienvenida"}
    )
    assert (added.status_code, added.json()["balance"]) == (201, 100)
    before = snapshot(runtime.engine)
    for body, code in [
        ({"points": 5, "reason": " "}, "reason_required"),
        ({"points": -500, "reason": "error de carga"}, "insufficient_points"),
        ({"points": 0, "reason": "nada"}, "invalid_points"),
    ]:
        refused = call(client, "POST", f"{path}/adjustments", agent, body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, code)
    assert_unchanged(runtime.engine, before)

    web = PICKUP | {
        "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
        "payments": [
            {"method": "loyalty_points", "amount": "60"},
            {"method": "card", "amount": "1939.00"},
        ],
    }
    order = call(client, "POST", "/api/v1/orders", agent, web).json()
    assert order["status"] == "paid"
    # 100 - 60 spent + 19 earned on 1999.00 ARS.
    assert call(client, "GET", path, agent).json()["balance"] == 59
    call(client, "POST", f"/api/v1/orders/{order['id']}/cancel", agent)
    entries = call(client, "GET", path, agent).json()
    assert entries["balance"] == 100  # the 60 spent come back, the 19 earned go
    assert [(e["kind"], e["points"]) for e in entries["entries"]] == [
        ("reverse", -19),
        ("restore", 60),
        ("earn", 19),
        ("redeem", -60),
        ("adjust", 100),
    ]


def test_an_exchange_is_a_return_to_store_credit_spent_on_the_new_item(
    runtime: Runtime, client: TestClient
) -> None:
    admin, agent = shop(runtime, client)
    make_location(runtime, runtime_workspace(runtime), "CEN", name="Sucursal Centro")
    for sku in ("REM-M-NEG", "REM-L-NEG"):
        call(client, "PUT", f"/api/v1/inventory/{sku}/PAL", admin, {"on_hand": 2})
    bought = {
        "channel": "pos",
        "customer": {"phone": "11 5555-0002", "name": "Beto Ruiz"},
        "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
        "fulfillment": {"type": "counter", "location": "PAL"},
        "payments": [{"method": "cash", "amount": "1999.00"}],
    }
    order = call(client, "POST", "/api/v1/orders", agent, bought).json()
    back = {
        "order_id": order["id"],
        "location": "CEN",
        "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
        "refund_to": "store_credit",
    }
    returned = call(client, "POST", "/api/v1/returns", agent, back).json()
    assert (returned["store_credit"], returned["refunds"]) == ("1999.00", [])
    person = f"/api/v1/customers/{order['customer_id']}"
    assert call(client, "GET", person, agent).json()["commerce"]["store_credit"] == "1999.00"
    exchange = bought | {
        "external_id": None,
        "lines": [{"sku": "REM-L-NEG", "quantity": 1}],
        "payments": [
            {"method": "store_credit", "amount": "1999.00"},
            {"method": "cash", "amount": "0.50"},
        ],
    }
    placed = call(client, "POST", "/api/v1/orders", agent, exchange)
    assert (placed.status_code, placed.json()["status"]) == (201, "collected")
    assert call(client, "GET", person, agent).json()["commerce"]["store_credit"] == "0.00"
    before = snapshot(runtime.engine)
    again = exchange | {"payments": [{"method": "store_credit", "amount": "1999.50"}]}
    refused = call(client, "POST", "/api/v1/orders", agent, again)
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        422,
        "insufficient_store_credit",
    )
    assert_unchanged(runtime.engine, before)


def test_a_shop_sets_its_own_loyalty_programme(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    default = call(client, "GET", "/api/v1/loyalty/program", agent).json()
    assert (default["earn"][0]["kind"], default["earn"][0]["per"], default["point_value"]) == (
        "spend",
        "100",
        "1",
    )
    programme = {
        "earn": [
            {"kind": "spend", "points": 2, "per": "100"},
            {"kind": "order", "points": 50, "channels": ["whatsapp"]},
            {"kind": "product", "points": 10, "skus": ["REM-L-NEG"]},
        ],
        "validity_months": 6,
        "tiers": [{"name": "Clásico", "threshold": "0", "multiplier": "1"}],
        "point_value": "0.5",
    }
    assert call(client, "PUT", "/api/v1/loyalty/program", agent, programme).status_code == 403
    before = snapshot(runtime.engine)
    no_base = programme | {"tiers": [{"name": "Alto", "threshold": "10", "multiplier": "1"}]}
    refused = call(client, "PUT", "/api/v1/loyalty/program", admin, no_base)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_tier")
    assert_unchanged(runtime.engine, before)
    assert call(client, "PUT", "/api/v1/loyalty/program", admin, programme).status_code == 200

    call(client, "PUT", "/api/v1/inventory/REM-L-NEG/PAL", admin, {"on_hand": 4})
    sale = {
        "channel": "whatsapp",
        "customer": {"phone": "+5491155550003", "name": "Caro Díaz"},
        "lines": [{"sku": "REM-L-NEG", "quantity": 2}],
        "fulfillment": {"type": "pickup", "location": "PAL"},
        "payments": [{"method": "transfer", "amount": "3999.00"}],
    }
    order = call(client, "POST", "/api/v1/orders", agent, sale).json()
    points = call(client, "GET", f"/api/v1/customers/{order['customer_id']}/loyalty", agent)
    # 2 points per 100 on 3999 (79, rounded down) + 50 for ordering on WhatsApp + 2 x 10.
    assert points.json()["balance"] == 149
    assert points.json()["lots"][0]["expires_at"] == "2027-05-24T15:00:00+00:00"
    at_counter = sale | {"channel": "pos", "customer": {"phone": "+5491155550004"}}
    second = call(client, "POST", "/api/v1/orders", agent, at_counter).json()
    other = call(client, "GET", f"/api/v1/customers/{second['customer_id']}/loyalty", agent)
    assert other.json()["balance"] == 99  # no WhatsApp bonus at the counter


def test_points_follow_a_merge(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 2})

    def person(phone: str) -> str:
        body = {"name": "Ana Paz", "identifiers": [{"kind": "phone", "value": phone}]}
        return str(call(client, "POST", "/api/v1/customers", agent, body).json()["customer_id"])

    ana, ana_too = person("+5491155550005"), person("+5491155550006")
    call(
        client,
        "POST",
        f"/api/v1/customers/{ana_too}/loyalty/adjustments",
        agent,
        {"points": 80, "reason": "alta"},
    )
    merged = call(
        client, "POST", f"/api/v1/customers/{ana}/merge", admin, {"other_customer_id": ana_too}
    )
    assert merged.status_code == 200
    assert call(client, "GET", f"/api/v1/customers/{ana}/loyalty", agent).json()["balance"] == 80
    sale = PICKUP | {
        "customer": {"id": ana},
        "lines": [{"sku": "REM-M-NEG", "quantity": 1}],
        "payments": [
            {"method": "loyalty_points", "amount": "50"},
            {"method": "cash", "amount": "1949.00"},
        ],
    }
    assert call(client, "POST", "/api/v1/orders", agent, sale).status_code == 201
    # 80 - 50 spent from the absorbed profile's lot + 19 earned on 1999.00.
    assert (
        call(client, "GET", f"/api/v1/customers/{ana_too}/loyalty", agent).json()["balance"] == 49
    )


def test_an_order_ships_from_the_location_it_names(runtime: Runtime, client: TestClient) -> None:
    admin, agent = shop(runtime, client)
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/PAL", admin, {"on_hand": 3})
    call(client, "PUT", "/api/v1/inventory/REM-M-NEG/DEP", admin, {"on_hand": 5})
    from_store = PICKUP | {"fulfillment": {"type": "ship", "location": "PAL"}}
    assert call(client, "POST", "/api/v1/orders", agent, from_store).status_code == 201
    assert stock_of(client, agent, "REM-M-NEG") == {"DEP": (5, 0, 5), "PAL": (3, 2, 1)}
    anywhere = PICKUP | {"fulfillment": {"type": "ship"}}  # warehouse first by default
    assert call(client, "POST", "/api/v1/orders", agent, anywhere).status_code == 201
    assert stock_of(client, agent, "REM-M-NEG") == {"DEP": (5, 2, 3), "PAL": (3, 2, 1)}
    before = snapshot(runtime.engine)
    short = call(client, "POST", "/api/v1/orders", agent, from_store)
    assert (short.status_code, short.json()["error"]["code"]) == (409, "insufficient_stock")
    assert_unchanged(runtime.engine, before)
