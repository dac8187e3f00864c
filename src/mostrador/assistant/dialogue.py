"""What the bot does next with one understood message. Pure: the hard rules of the bot.

It never speaks while a person handles the conversation; it hands over at once on an
escalation, a request for a person or a complaint, and after a second unclear message in a
row (so it never loops asking again); a pending question (a confirmation, a verifying detail)
is answered before anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal

from mostrador.assistant.text import strip_accents
from mostrador.assistant.understanding import Understanding

__all__ = ["UNCLEAR_LIMIT", "Plan", "Step", "plan", "yes_or_no"]

Step = Literal["silent", "hand_over", "ask_again", "answer", "confirm", "decline"]
UNCLEAR_LIMIT: Final = 2  # the second unclear message in a row goes to a person

_YES = re.compile(
    r"^(?:si+|sip|claro|dale|ok(?:ay|a)?|confirmo|de una|perfecto|por favor|hacelo|adelante|"
    r"sim|pode|pode ser|beleza|isso|yes|yeah|yep|sure|please do|go ahead|confirm(?:ed)?)\b"
)
_NO = re.compile(r"^(?:no+|nop|nah|mejor no|cancel(?:a|ar|o)?|nao|não|agora nao|nope|don'?t)\b")


@dataclass(frozen=True, slots=True)
class Plan:
    step: Step
    reason: str | None = None


def yes_or_no(text: str) -> bool | None:
    """A reply to a yes/no question: True, False, or None when it is neither."""
    folded = strip_accents(text.lower()).strip(" ¡!¿?.,👍🙏")
    if _NO.match(folded):
        return False
    if _YES.match(folded) or text.strip() == "👍":
        return True
    return None


def plan(
    understood: Understanding,
    *,
    person_handling: bool,
    unclear_before: int,
    pending: dict[str, Any],
) -> Plan:
    if person_handling:
        return Plan("silent")
    if understood.escalation.escalate:
        return Plan("hand_over", "escalation")
    if understood.intent == "human_agent":
        return Plan("hand_over", "asked_for_person")
    if understood.intent == "complaint":
        return Plan("hand_over", "complaint")
    if pending.get("kind") == "confirm":
        answer = yes_or_no(understood.text)
        if answer is not None:
            return Plan("confirm" if answer else "decline")
    if pending.get("kind") == "verify" and (understood.entities.email or understood.entities.phone):
        return Plan("answer")
    if not understood.guess.certain and not understood.entities.order_ref:
        if unclear_before + 1 >= UNCLEAR_LIMIT:
            return Plan("hand_over", "unclear_twice")
        return Plan("ask_again")
    return Plan("answer")
