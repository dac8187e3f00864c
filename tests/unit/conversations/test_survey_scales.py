"""NPS, CES and CSAT replies read from free text; who is a detractor."""

from __future__ import annotations

import pytest

from mostrador.conversations.survey_scales import Scored, is_detractor, parse_reply, question


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("nps", "9", Scored(9, None)),
        ("nps", "un 9, muy rápido todo", Scored(9, "muy rápido todo")),
        ("nps", "10/10", Scored(10, None)),
        ("nps", "nueve", Scored(9, None)),
        ("nps", "0", Scored(0, None)),
        ("nps", "le doy un 3 porque tardaron", Scored(3, "porque tardaron")),
        ("nps", "I'd give it a 10, great service", Scored(10, "great service")),
        ("nps", "dou 8 - atendimento ótimo", Scored(8, "atendimento ótimo")),
        ("ces", "7 muy fácil", Scored(7, "muy fácil")),
        ("csat", "⭐⭐⭐⭐", Scored(4, None)),
        ("csat", "muy bien", Scored(5, None)),
        ("csat", "4, me atendieron rápido", Scored(4, "me atendieron rápido")),
    ],
)
def test_a_score_and_its_comment_are_read(kind: str, text: str, expected: Scored) -> None:
    assert parse_reply(kind, text) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("nps", "11"),
        ("ces", "8"),
        ("csat", "6"),
        ("nps", "5 pares de medias?"),
        ("nps", "hola, tienen stock?"),
        ("ces", ""),
    ],
)
def test_what_is_not_an_answer_on_the_scale_is_none(kind: str, text: str) -> None:
    assert parse_reply(kind, text) is None  # type: ignore[arg-type]


def test_detractors_per_scale() -> None:
    assert [is_detractor("nps", s) for s in (6, 7)] == [True, False]
    assert [is_detractor("csat", s) for s in (2, 3)] == [True, False]
    assert [is_detractor("ces", s) for s in (3, 4)] == [True, False]


def test_questions_in_the_customers_language() -> None:
    assert question("nps", "pt-BR").startswith("De 0 a 10, qual a probabilidade")
    assert question("ces", "en").startswith("From 1 to 7, how easy")
    assert question("nps", "fr").startswith("Del 0 al 10")
    assert question("csat", "es") == "¿Cómo calificarías la atención? Respondé del 1 al 5."
