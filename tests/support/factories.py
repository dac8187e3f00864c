"""Small builders for test data, all going through the real actions."""

from __future__ import annotations

from mostrador.bootstrap import Runtime
from mostrador.core.access import actions as access
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Location, User, Workspace, actions
from mostrador.core.workspaces.schemas import LocationInput, UserInput, WorkspaceInput

WEEKDAY_HOURS = {
    "mon": ["10:00-20:00"],
    "tue": ["10:00-20:00"],
    "wed": ["10:00-20:00"],
    "thu": ["10:00-20:00"],
    "fri": ["10:00-20:00"],
    "sat": ["10:00-14:00"],
}


def make_workspace(runtime: Runtime, slug: str = "acme", **overrides: str) -> Workspace:
    data = {
        "slug": slug,
        "name": f"Tienda {slug.title()}",
        "country": "AR",
        "currency": "ARS",
        "time_zone": "America/Argentina/Buenos_Aires",
    } | overrides
    return actions.create_workspace(runtime.uow, WorkspaceInput(**data))


def make_member(
    runtime: Runtime, workspace: Workspace, email: str, role: str, password: str = "secreto123"
) -> User:
    data = UserInput(email=email, name=email.split("@")[0].title(), password=password, role=role)
    return actions.add_member(runtime.uow, WorkspaceId(workspace.id), data)


def make_location(
    runtime: Runtime, workspace: Workspace, code: str = "PAL", **overrides: object
) -> Location:
    data: dict[str, object] = {
        "code": code,
        "name": f"Sucursal {code}",
        "kind": "store",
        "street": "Av. Santa Fe 3253",
        "city": "Buenos Aires",
        "country": "AR",
        "time_zone": "America/Argentina/Buenos_Aires",
        "opening_hours": WEEKDAY_HOURS,
    } | overrides
    return actions.open_location(
        runtime.uow, WorkspaceId(workspace.id), LocationInput.model_validate(data)
    )


def make_token(runtime: Runtime, workspace: Workspace, role: str = "owner") -> str:
    _row, plaintext = access.issue_api_token(runtime.uow, WorkspaceId(workspace.id), role=role)
    return plaintext


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
