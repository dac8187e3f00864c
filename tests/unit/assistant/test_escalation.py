"""The escalation signal: what must go to a person at once, and why."""

from __future__ import annotations

import pytest

from mostrador.assistant.escalation import Escalation, escalation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Voy a ir a Defensa del Consumidor", Escalation(True, ("regulator",))),
        ("vou reclamar no Procon", Escalation(True, ("regulator",))),
        ("I'll report you to Trading Standards", Escalation(True, ("regulator",))),
        ("mi abogado se va a comunicar", Escalation(True, ("legal",))),
        ("I'm filing a chargeback", Escalation(True, ("legal",))),
        ("the heater caught fire", Escalation(True, ("safety",))),
        ("la crema me dio alergia", Escalation(True, ("safety",))),
        ("son unos chantas", Escalation(True, ("insult",))),
        ("ja escrevi 3 vezes", Escalation(True, ("repeated_contact",))),
        ("es la tercera vez que pregunto", Escalation(True, ("repeated_contact",))),
        (
            "ES LA TERCERA VEZ QUE ESCRIBO Y NADIE RESPONDE",
            Escalation(True, ("repeated_contact", "anger", "shouting")),
        ),
        ("pésimo servicio, horrible", Escalation(True, ("anger",))),
    ],
)
def test_what_escalates_and_why(text: str, expected: Escalation) -> None:
    assert escalation(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hola, quería saber si tienen talle M",
        "la remera se destiñó un poco, qué puedo hacer?",
        "me llegó con un golpe la taza, la puedo cambiar?",
        "lo lavé 2 veces y se encogió",
        "quero falar com um atendente",
        "qual o processo de troca?",
        "HOLA",
    ],
)
def test_calm_messages_do_not_escalate(text: str) -> None:
    assert escalation(text).escalate is False


def test_one_angry_word_alone_does_not_escalate_but_with_shouting_it_does() -> None:
    assert escalation("qué horrible el color").escalate is False
    assert escalation("QUÉ HORRIBLE EL SERVICIO DE USTEDES") == Escalation(
        True, ("anger", "shouting")
    )


def test_what_the_caller_knows_escalates_too() -> None:
    assert escalation("hola?", unanswered_messages=3) == Escalation(True, ("repeated_contact",))
    assert escalation("hola?", unanswered_messages=2) == Escalation(False, ())
    assert escalation("qué horrible", valuable_at_risk=True) == Escalation(
        True, ("anger", "valuable_customer_at_risk")
    )
    assert escalation("hola", valuable_at_risk=True) == Escalation(
        False, ("valuable_customer_at_risk",)
    )
