"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mostrador.core.errors import ServiceUnavailable
from mostrador.web.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """The database and the bus answer; 503 names the one that does not."""
    checks: dict[str, str] = {}
    try:
        runtime.check_database()
        checks["database"] = "ok"
    except ServiceUnavailable as exc:
        checks["database"] = exc.message
    checks["bus"] = "ok" if runtime.bus.ping() else "unreachable"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503
    )
