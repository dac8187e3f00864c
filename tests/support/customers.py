"""Builders for customer test data, through the real resolution path."""

from __future__ import annotations

import uuid

from mostrador.bootstrap import Runtime
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Workspace
from mostrador.customers import ContactInput, IdentifierInput, Resolved, actions


def contact(name: str = "", channel: str = "store", **identifiers: str) -> ContactInput:
    """``contact("María González", phone="11 5555-1234", email="m@x.com")``."""
    return ContactInput(
        name=name,
        source_channel=channel,
        identifiers=[
            IdentifierInput(kind=kind, value=value, source_channel=channel)
            for kind, value in identifiers.items()
        ],
    )


def bring_in(runtime: Runtime, workspace: Workspace, who: ContactInput) -> Resolved:
    return actions.register_contact(runtime.uow, WorkspaceId(workspace.id), who)


def customer_id(runtime: Runtime, workspace: Workspace, who: ContactInput) -> uuid.UUID:
    return bring_in(runtime, workspace, who).customer_id
