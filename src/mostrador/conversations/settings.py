"""A workspace's inbox behaviour (reopen window, CSAT, auto-assignment), with defaults."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mostrador.conversations.models import InboxSettings
from mostrador.core.ids import WorkspaceId

DEFAULT_REOPEN_HOURS = 72


def inbox_settings(session: Session, workspace_id: WorkspaceId) -> InboxSettings:
    """The stored settings, or the defaults (not stored) when none were saved."""
    found = session.get(InboxSettings, workspace_id)
    if found is not None:
        return found
    return InboxSettings(
        workspace_id=workspace_id,
        reopen_window_hours=DEFAULT_REOPEN_HOURS,
        csat_enabled=True,
        auto_assign=False,
        default_team_id=None,
    )
