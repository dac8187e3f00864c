"""Folding and the customer-style variants the model also learns."""

from __future__ import annotations

from mostrador.assistant.augment import variants
from mostrador.assistant.text import fold


def test_fold_removes_case_accents_stretching_and_keeps_number_shapes() -> None:
    assert fold("HOLAAAA, ¿Dónde está mi pedido #88412?") == "holaa, ¿donde esta mi pedido _ref_ ?"
    assert fold("Cuesta $15.000 en 3 cuotas") == "cuesta _precio_ en _num_ cuotas"
    assert fold("PED-2291 y talle 42") == "_ref_ y talle _num_"


def test_variants_are_deterministic_and_distinct() -> None:
    first = list(variants("Por favor, ¿dónde está mi pedido?", "es", seed=3))
    assert first == list(variants("Por favor, ¿dónde está mi pedido?", "es", seed=3))
    assert first[0] == "Por favor, ¿dónde está mi pedido?"
    assert first == [
        "Por favor, ¿dónde está mi pedido?",
        "porfa, ¿dnd está mi pedido?",
        "Por favoor, ¿dónde está mi pedido?",
        "Por favor   dónde está mi pedido",
    ]


def test_the_fast_arithmetic_gives_scikit_learns_probabilities() -> None:
    import numpy as np

    from mostrador.assistant import classifier

    model = classifier()
    intents, languages = model.pipelines
    texts = ["hola, dónde está mi pedido 10234?", "tem tamanho G?", "thanks!!", "👍", "x"]
    assert np.allclose(model.intent_probabilities(texts), intents.predict_proba(texts), atol=1e-12)
    assert np.allclose(
        model.language_probabilities(texts), languages.predict_proba(texts), atol=1e-12
    )
