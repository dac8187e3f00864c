"""Request dependencies: the runtime, the calling principal, permission checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mostrador.bootstrap import Runtime
from mostrador.core.access import Permission, Principal
from mostrador.core.access import actions as access
from mostrador.core.errors import Unauthenticated

_bearer = HTTPBearer(auto_error=False, description="API token: `mst_<prefix>_<secret>`")
SESSION_COOKIE = "mostrador_session"


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def api_principal(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The API caller, from ``Authorization: Bearer <token>``."""
    if credentials is None:
        raise Unauthenticated(
            "send an API token as 'Authorization: Bearer <token>'", code="missing_token"
        )
    return access.authenticate_token(runtime.uow, credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(api_principal)]


def allowed(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency that lets the caller through only with ``permission``."""

    def check(principal: PrincipalDep) -> Principal:
        principal.require(permission)
        return principal

    return check
