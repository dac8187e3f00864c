"""Automation: rules (event → conditions → actions), run at most once per event, with an
execution log and a dry run over past events.

Other contexts and entry points import only what this module exports.
"""

from mostrador.automation import actions, queries
from mostrador.automation.running import CONSUMER, run_rules
from mostrador.automation.schemas import RuleInput

__all__ = ["CONSUMER", "RuleInput", "actions", "queries", "run_rules"]
