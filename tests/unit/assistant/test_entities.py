"""Entities: products and stores against the shop's names, e-mail, phone, dates, sizes."""

from __future__ import annotations

from datetime import date

from mostrador.assistant.entities import Vocabulary, extract

TUESDAY = date(2026, 11, 24)
SHOP = Vocabulary(
    products=("Campera Rompeviento", "Remera Algodón Lisa", "Zapatillas Urbanas", "Taza"),
    stores=("Hornero Palermo", "Hornero Nueva Córdoba"),
)


def test_products_and_stores_are_matched_to_the_shops_names() -> None:
    found = extract("tenés la campera rompevientos talle M en palermo?", SHOP, today=TUESDAY)
    assert found.as_dict() == {
        "order_ref": None,
        "product": "Campera Rompeviento",
        "store": "Hornero Palermo",
        "email": None,
        "phone": None,
        "date": None,
        "size": "M",
    }


def test_a_name_shared_by_two_stores_names_neither() -> None:
    assert extract("están abiertos en hornero?", SHOP, today=TUESDAY).store is None


def test_short_names_must_be_typed_exactly() -> None:
    assert extract("la tasa de interés de las cuotas?", SHOP, today=TUESDAY).product is None
    assert extract("tienen la taza blanca?", SHOP, today=TUESDAY).product == "Taza"


def test_email_and_phone_are_normalized() -> None:
    found = extract("my email is Ana.Perez@Gmail.com, call me +54 9 11 5566-7788", today=TUESDAY)
    assert (found.email, found.phone, found.order_ref) == (
        "ana.perez@gmail.com",
        "+5491155667788",
        None,
    )


def test_dates_are_counted_from_the_shops_today() -> None:
    assert extract("puedo retirar mañana?", today=TUESDAY).date == "2026-11-25"
    assert extract("llega el viernes?", today=TUESDAY).date == "2026-11-27"
    assert extract("abren el 25 de mayo?", today=TUESDAY).date == "2026-05-25"
    assert extract("paso el 15/12", today=TUESDAY).date == "2026-12-15"
    assert extract("paso el 31/02", today=TUESDAY).date is None


def test_sizes_in_every_system() -> None:
    assert extract("do u have it in XL", today=TUESDAY).size == "XL"
    assert extract("tem tamanho G?", today=TUESDAY).size == "G"
    assert extract("talla 38", today=TUESDAY).size == "38"
    assert extract("sneakers US 9.5", today=TUESDAY).size == "US 9.5"
    assert extract("lo quiero en rojo", today=TUESDAY).size is None


def test_without_a_catalog_common_garment_words_stand_in() -> None:
    assert extract("hay zapatilas?", today=TUESDAY).product == "zapatillas"
    assert extract("quiero sábanas", today=TUESDAY).product == "sábanas"
