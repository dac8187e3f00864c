"""Finding people the way staff type, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from mostrador.bootstrap import Runtime
from mostrador.core.ids import WorkspaceId
from mostrador.customers import search_customers
from tests.support.customers import contact, customer_id
from tests.support.factories import make_workspace


@pytest.mark.parametrize(
    "typed",
    [
        "+54 9 11 5555-1234",
        "011 15 5555 1234",
        "5491155551234",
        "MARIA.GONZALEZ@gmail.com",
        "maria gonzalez",
        "gonzález maría",
        "Gonz Mar",
        "30.123.456",
        "@mariag",
    ],
)
def test_a_customer_is_found_by_whatever_staff_type(runtime: Runtime, typed: str) -> None:
    ws = make_workspace(runtime)
    maria = customer_id(
        runtime,
        ws,
        contact(
            "María González",
            "store",
            phone="11 15 5555-1234",
            email="mariagonzalez@gmail.com",
            document="30123456",
            instagram="mariag",
        ),
    )
    customer_id(runtime, ws, contact("Mario Gómez", "store", phone="011 15 4444-9999"))
    with runtime.uow.read() as session:
        found = search_customers(session, WorkspaceId(ws.id), typed, country="AR")
    assert [c.id for c in found] == [maria]


def test_search_is_scoped_to_the_workspace(runtime: Runtime) -> None:
    mine = make_workspace(runtime, "mine")
    theirs = make_workspace(runtime, "theirs")
    customer_id(runtime, theirs, contact("María González", "store", phone="011 15 5555-1234"))
    with runtime.uow.read() as session:
        assert search_customers(session, WorkspaceId(mine.id), "María", country="AR") == []
        assert (
            search_customers(session, WorkspaceId(mine.id), "011 15 5555 1234", country="AR") == []
        )
