"""Names compare without accents, case, order, second surnames or nicknames getting in the way."""

from __future__ import annotations

import pytest

from mostrador.customers.names import fold, name_similarity, name_tokens, nickname_pairs


def level(a: str, b: str) -> str:
    return name_similarity(name_tokens(a), name_tokens(b)).level


def test_fold_drops_accents_case_and_punctuation() -> None:
    assert fold("  Muñoz-Peña, JOSÉ  ") == "munoz pena jose"
    assert fold("Conceição") == "conceicao"


def test_tokens_read_surname_comma_given_and_drop_particles_and_titles() -> None:
    assert name_tokens("González, María") == ("maria", "gonzalez")
    assert name_tokens("Sr. José de la Fuente") == ("jose", "fuente")
    assert name_tokens("Maria da Silva dos Santos") == ("maria", "silva", "santos")
    assert name_tokens("") == ()


def test_gonzalez_comma_maria_is_maria_gonzalez() -> None:
    assert name_similarity(name_tokens("González, María"), name_tokens("MARIA GONZALEZ")).level == (
        "exact"
    )
    assert level("Pérez García Juan", "juan garcia perez") == "exact"


def test_nicknames_both_ways() -> None:
    assert level("Pepe Pérez", "José Pérez") == "nickname"
    assert level("José Pérez", "Pepe Pérez") == "nickname"
    assert level("Lupe Hernández", "Guadalupe Hernandez") == "nickname"
    assert level("Fer Gómez", "Fernanda Gómez") == "nickname"
    assert level("Zé Silva", "José da Silva") == "nickname"
    assert level("Chema Ruiz", "José María Ruiz") == "nickname"
    assert level("Juancito Pérez", "Juan Pérez") == "nickname"


def test_second_surname_or_second_given_name_is_optional() -> None:
    assert level("María González", "María González Pérez") == "partial"
    assert level("Ana Sofía López", "Ana López") == "partial"


def test_typos_are_fuzzy_relatives_are_not() -> None:
    assert level("Juan Rodríguez", "Juan Rodrigez") == "fuzzy-high"
    assert level("Juan Pérez", "María Pérez") == "one-differs"
    assert level("Mario Pérez", "María Pérez") == "one-differs"
    assert level("Valeria Russo", "Valentina Russo") == "one-differs"
    assert level("Juan Pérez", "María Gómez") == "different"


def test_one_word_is_only_weak_evidence_and_missing_is_missing() -> None:
    assert level("María", "María González") == "single"
    assert level("Beto", "Roberto") == "single"
    assert level("", "María") == "missing"


@pytest.mark.parametrize(
    ("nickname", "full"),
    [
        ("paco", "francisco"),
        ("nacho", "ignacio"),
        ("memo", "guillermo"),
        ("beto", "alberto"),
        ("beto", "roberto"),
        ("mari", "maria"),
        ("conchi", "concepcion"),
        ("tere", "teresa"),
        ("chico", "francisco"),
        ("juanjo", "juan jose"),
    ],
)
def test_the_table_knows_the_usual_hypocoristics(nickname: str, full: str) -> None:
    assert (nickname, full) in nickname_pairs()


def test_the_table_has_at_least_eighty_pairs() -> None:
    assert len(nickname_pairs()) >= 80
