from __future__ import annotations

import pytest

from mostrador.conversations.csat import csat_question, parse_csat_reply


@pytest.mark.parametrize(
    ("reply", "score"),
    [
        # digits, scales and units
        ("5", 5),
        ("1", 1),
        ("  3  ", 3),
        ("5!", 5),
        ("4/5", 4),
        ("4 / 5", 4),
        ("10/10", 5),
        ("7/10", 4),
        ("1/10", 1),
        ("un 4", 4),
        ("Un 5, gracias", 5),
        ("le doy 5 puntos", 5),
        ("te pongo un 3", 3),
        ("4 de 5", 4),
        ("3 sobre 5", 3),
        ("nota 5", 5),
        ("dou um 4", 4),
        ("5 estrelas", 5),
        ("i'd give it a 4", 4),
        ("8 out of 10", 4),
        ("5 stars", 5),
        ("5 ⭐", 5),
        # number words
        ("cinco", 5),
        ("Cuatro", 4),
        ("cinco estrellas", 5),
        ("quatro", 4),
        ("five", 5),
        ("two", 2),
        # feelings, es / pt / en
        ("muy bien", 5),
        ("Excelente!!", 5),
        ("genial", 5),
        ("Bárbaro", 5),
        ("perfecto", 5),
        ("excelente atención, gracias", 5),
        ("ótimo", 5),
        ("Muito bom!", 5),
        ("great", 5),
        ("bien", 4),
        ("bom", 4),
        ("good", 4),
        ("regular", 3),
        ("más o menos", 3),
        ("MAS O MENOS", 3),
        ("mais ou menos", 3),
        ("ok", 3),
        ("mal", 2),
        ("ruim", 2),
        ("bad", 2),
        ("muy mal", 1),
        ("pésimo", 1),
        ("horrible", 1),
        ("Péssimo", 1),
        ("terrible", 1),
        # negation
        ("no muy bien", 2),
        ("no estuvo muy bien", 2),
        ("nada bien", 1),
        ("no estuvo nada bien", 1),
        ("not good", 2),
        ("não foi bom", 2),
        ("not bad", 3),
        # stars and emoji
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️⭐️⭐️⭐️", 5),
        ("★★★", 3),
        ("★★★☆☆", 3),
        ("😀", 5),
        ("😍", 5),
        ("👍", 4),
        ("👍🏻", 4),
        ("😡", 1),
        ("👎", 1),
        ("excelente 😍", 5),
        # a number refines a feeling by one point
        ("4, muy bien", 4),
        ("5 excelente", 5),
        # not a rating, or not clearly one
        ("hola, ¿tienen stock?", None),
        ("5 pares de medias", None),
        ("quiero 2 remeras", None),
        ("0", None),
        ("6", None),
        ("10", None),
        ("5,0", None),
        ("10:30", None),
        ("3 de 4", None),
        ("4 5", None),
        ("1, excelente", None),
        ("bien 😀", None),
        ("bien, ahora quiero cambiar el talle", None),
        ("no", None),
        ("gracias", None),
        ("", None),
        ("   ", None),
        ("⭐⭐⭐⭐⭐⭐", None),
        ("☆☆☆", None),
        ("🛒", None),
    ],
)
def test_parse_csat_reply(reply: str, score: int | None) -> None:
    assert parse_csat_reply(reply) == score


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("es", "¿Cómo calificarías la atención? Respondé del 1 al 5."),
        ("es-AR", "¿Cómo calificarías la atención? Respondé del 1 al 5."),
        ("pt", "Como você avalia o atendimento? Responda de 1 a 5."),
        ("pt-BR", "Como você avalia o atendimento? Responda de 1 a 5."),
        ("en", "How would you rate the service? Reply with a number from 1 to 5."),
        ("EN_us", "How would you rate the service? Reply with a number from 1 to 5."),
        ("fr", "¿Cómo calificarías la atención? Respondé del 1 al 5."),
        ("", "¿Cómo calificarías la atención? Respondé del 1 al 5."),
    ],
)
def test_csat_question(language: str, question: str) -> None:
    assert csat_question(language) == question


@pytest.mark.parametrize("language", ["es", "pt", "en"])
def test_each_question_is_answerable_by_its_own_scale(language: str) -> None:
    """The question names the 1–5 scale the parser reads, in every language."""
    assert "1" in csat_question(language)
    assert "5" in csat_question(language)
