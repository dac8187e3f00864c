"""The bot's hard rules: quiet while a person has it, hand over at once when it must, never
loop on unclear messages, a pending question answered first."""

from __future__ import annotations

from typing import Any

import pytest

from mostrador.assistant.classifier import IntentGuess
from mostrador.assistant.dialogue import Plan, plan, yes_or_no
from mostrador.assistant.entities import Entities
from mostrador.assistant.escalation import Escalation
from mostrador.assistant.examples import Intent
from mostrador.assistant.understanding import Understanding


def understood(
    text: str,
    intent: Intent = "order_status",
    confidence: float = 0.9,
    margin: float = 0.8,
    escalate: bool = False,
    **entities: Any,
) -> Understanding:
    return Understanding(
        text=text,
        language="es",
        guess=IntentGuess(intent, confidence, "other", margin),
        entities=Entities(**entities),
        escalation=Escalation(escalate, ("insult",) if escalate else ()),
    )


def test_a_person_handling_the_conversation_silences_everything() -> None:
    angry = understood("inútiles", "complaint", escalate=True)
    assert plan(angry, person_handling=True, unclear_before=0, pending={}) == Plan("silent")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (understood("inútiles", escalate=True), Plan("hand_over", "escalation")),
        (understood("con una persona", "human_agent"), Plan("hand_over", "asked_for_person")),
        (understood("muy mala atención", "complaint"), Plan("hand_over", "complaint")),
        (understood("dónde está mi pedido"), Plan("answer")),
    ],
)
def test_what_goes_to_a_person_at_once(message: Understanding, expected: Plan) -> None:
    assert plan(message, person_handling=False, unclear_before=0, pending={}) == expected


def test_the_second_unclear_message_in_a_row_goes_to_a_person() -> None:
    unclear = understood("mmm lo otro", "other", confidence=0.4, margin=0.05)
    assert plan(unclear, person_handling=False, unclear_before=0, pending={}) == Plan("ask_again")
    assert plan(unclear, person_handling=False, unclear_before=1, pending={}) == Plan(
        "hand_over", "unclear_twice"
    )
    # An order number is clear enough whatever the model thought of the words around it.
    numbered = understood("el 10234", "other", confidence=0.4, margin=0.05, order_ref="10234")
    assert plan(numbered, person_handling=False, unclear_before=1, pending={}) == Plan("answer")


def test_a_pending_confirmation_is_answered_first() -> None:
    pending = {"kind": "confirm", "action": "open_return", "ref": "10234"}
    yes = understood("sí, dale", "thanks")
    no = understood("no, mejor no", "other", confidence=0.3, margin=0.0)
    assert plan(yes, person_handling=False, unclear_before=0, pending=pending) == Plan("confirm")
    assert plan(no, person_handling=False, unclear_before=0, pending=pending) == Plan("decline")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sí!", True),
        ("siii dale", True),
        ("👍", True),
        ("sim, pode", True),
        ("yes please", True),
        ("no", False),
        ("Não", False),
        ("mejor no", False),
        ("cuándo llega?", None),
    ],
)
def test_yes_or_no(text: str, expected: bool | None) -> None:
    assert yes_or_no(text) is expected
