"""Automation: rules (event → conditions → actions), run at most once per event, with an
execution log and a dry run over past events.

Other contexts and entry points import only what this module exports.
"""

from mostrador.automation import actions, queries
from mostrador.automation.journeys import advance_due, on_event
from mostrador.automation.running import CONSUMER, run_rules
from mostrador.automation.schemas import JourneyInput, RuleInput
from mostrador.automation.webhooks import deliver_due as deliver_webhooks

__all__ = [
    "CONSUMER",
    "JourneyInput",
    "RuleInput",
    "actions",
    "advance_due",
    "deliver_webhooks",
    "on_event",
    "queries",
    "run_rules",
]
