"""The error tree: every failure a caller can act on carries a machine-readable ``code``.

The web layer turns these into ``{"error": {"code", "message"}}`` with the status below;
the CLI prints the message on one line and exits with 2.
"""

from __future__ import annotations

from typing import Any


class MostradorError(Exception):
    """Base of the errors Mostrador raises on purpose."""

    status = 400
    default_code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details


class InvalidInput(MostradorError):
    """The request is well formed but a value breaks a rule."""

    status = 422
    default_code = "invalid_input"


class NotFound(MostradorError):
    """The object does not exist in this workspace (or the caller may not know it exists)."""

    status = 404
    default_code = "not_found"


class Conflict(MostradorError):
    """The change clashes with the current state (duplicate key, stale version...)."""

    status = 409
    default_code = "conflict"


class Unauthenticated(MostradorError):
    """No valid credentials were presented."""

    status = 401
    default_code = "unauthenticated"


class PermissionDenied(MostradorError):
    """The caller is known but their role does not allow this."""

    status = 403
    default_code = "permission_denied"


class ConfigurationError(MostradorError):
    """A setting is missing, malformed or points at something unreachable."""

    status = 500
    default_code = "configuration_error"


class ServiceUnavailable(MostradorError):
    """A backing service (database, bus) does not answer."""

    status = 503
    default_code = "service_unavailable"
