"""Names per country and how a full name is composed."""

from __future__ import annotations

import random

import pytest

from mostrador.demo.names import NAME_BOOKS, compose_name

COUNTRIES = ["AR", "UY", "CL", "PE", "CO", "MX", "ES", "BR"]


def test_every_country_has_its_own_name_lists() -> None:
    assert sorted(NAME_BOOKS) == sorted(COUNTRIES)
    for book in NAME_BOOKS.values():
        for names in (book.female, book.male, book.surnames):
            assert 40 <= len(names) <= 80, book.country
            assert len(set(names)) == len(names), book.country
    assert NAME_BOOKS["BR"].language == "pt"
    assert {b.language for c, b in NAME_BOOKS.items() if c != "BR"} == {"es"}


@pytest.mark.parametrize(
    ("country", "low", "high"), [("ES", 0.85, 1.0), ("MX", 0.7, 0.9), ("AR", 0.0, 0.15)]
)
def test_double_surnames_follow_the_countrys_habit(country: str, low: float, high: float) -> None:
    rng = random.Random(5)
    names = [compose_name(rng, country) for _ in range(2000)]
    share = sum(len(n.surnames) == 2 for n in names) / len(names)
    assert low <= share <= high


def test_brazilian_names_carry_particles_and_go_by_the_last_surname() -> None:
    rng = random.Random(11)
    names = [compose_name(rng, "BR") for _ in range(3000)]
    with_particle = [n for n in names if n.surnames[-1].split(" ")[0] in ("da", "dos", "de")]
    assert len(with_particle) > 100
    for name in with_particle:
        assert name.family == name.surnames[-1].split(" ", 1)[1]
        assert name.full.endswith(name.surnames[-1])
    for name in names:
        if len(name.surnames) == 2 and name not in with_particle:
            assert name.family == name.surnames[1]


def test_a_full_name_is_given_names_then_surnames() -> None:
    rng = random.Random(2)
    for _ in range(500):
        name = compose_name(rng, "CL")
        assert name.full == " ".join((*name.given, *name.surnames))
        assert name.family == name.surnames[0]
        assert len(set(name.given)) == len(name.given)
        pool = NAME_BOOKS["CL"].female if name.sex == "f" else NAME_BOOKS["CL"].male
        assert set(name.given) <= set(pool)
