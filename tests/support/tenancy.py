"""The tenancy check every endpoint that takes an id must pass.

``assert_foreign_id_is_404`` calls the endpoint with an id that belongs to another
workspace (or to nothing) and asserts a 404 with a ``*not_found`` code AND that no row of
any table changed.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from mostrador import models_registry
from mostrador.core.db import Base


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    models_registry.load_all()
    state: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            state[table.name] = [tuple(row) for row in rows]
    return state


def assert_unchanged(engine: Engine, before: dict[str, list[tuple[Any, ...]]]) -> None:
    after = snapshot(engine)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], f"tables changed: {changed}"


def assert_foreign_id_is_404(
    client: TestClient,
    engine: Engine,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    json: Any = None,
) -> dict[str, Any]:
    """Call ``method path`` and assert 404 + nothing changed; returns the error body."""
    before = snapshot(engine)
    response = client.request(method, path, headers=headers, json=json)
    assert response.status_code == 404, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert body["error"]["code"].endswith("not_found"), body
    assert_unchanged(engine, before)
    return body
