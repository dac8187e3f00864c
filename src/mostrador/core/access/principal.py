"""Who is calling: a signed-in user or an API token, acting with one role in one workspace."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mostrador.core.access.roles import Permission, Role, require
from mostrador.core.ids import WorkspaceId


@dataclass(frozen=True)
class Principal:
    workspace_id: WorkspaceId
    role: Role
    kind: str  # "user" or "token"
    id: uuid.UUID
    csrf_token: str | None = None

    @property
    def actor(self) -> str:
        """How the event log names this caller."""
        return f"{self.kind}:{self.id}"

    def require(self, permission: Permission) -> None:
        require(self.role, permission)
