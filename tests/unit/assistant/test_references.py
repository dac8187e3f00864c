"""Order references are read the way they are looked up, and other numbers are left alone."""

from __future__ import annotations

import pytest

from mostrador.assistant.references import order_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10234", "10234"),
        ("hola, mi pedido #88412 no llega", "88412"),
        ("A-5567 dónde está?", "A-5567"),
        ("PED-2291", "PED-2291"),
        ("ped-2291 ya salió?", "PED-2291"),
        ("mi pedido es el 3321", "3321"),
        ("pedido nro. 3321", "3321"),
        ("pedido n° 99120?", "99120"),
        ("order no. 3321 hasn't arrived", "3321"),
        ("my order number is #A5567", "A5567"),
        ("encomenda nº 4455 atrasada", "4455"),
        ("orden 4567 llegó rota", "4567"),
        ("ORD-100234 status", "ORD-100234"),
        ("pedido 12345 y pedido 6789", "12345"),
    ],
)
def test_a_reference_in_any_customary_form_is_found(text: str, expected: str) -> None:
    assert order_reference(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "cuánto cuesta? vi $15.000",
        "tenés talle 42?",
        "puedo pagar en 3 cuotas",
        "paso el 15/12",
        "mi cel es 1155667788",
        "compré 2 remeras en 2024",
        "vivo en cp 1425",
        "te pago 2000 pesos",
        "son 1500 reais?",
        "hola, quería saber los horarios",
    ],
)
def test_numbers_that_are_something_else_are_not_references(text: str) -> None:
    assert order_reference(text) is None
