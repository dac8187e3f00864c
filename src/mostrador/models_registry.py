"""Imports every context's models and events so metadata and the event registry are complete.

Used by bootstrap and by the migrations; contexts register themselves by being listed here.
"""

from __future__ import annotations


def load_all() -> None:
    import mostrador.assistant.events
    import mostrador.assistant.models
    import mostrador.automation.models
    import mostrador.commerce.events
    import mostrador.commerce.models
    import mostrador.conversations.events
    import mostrador.conversations.models
    import mostrador.core.access.events
    import mostrador.core.access.models
    import mostrador.core.event_log
    import mostrador.core.idempotency
    import mostrador.core.workspaces.events
    import mostrador.core.workspaces.models
    import mostrador.customers.events
    import mostrador.customers.models  # noqa: F401
