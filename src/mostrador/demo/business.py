"""The invented demo business: "Hornero Ropa y Casa", clothing and home goods in Argentina.

Pure data. Two stores (Palermo in Buenos Aires, Nueva Córdoba in Córdoba), one warehouse
(Pilar), a web shop and its messaging channels, the teams and the people who sign in.
Addresses look real but the business is made up; the domains are reserved (.test, .example).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DEMO_PASSWORD = "demo1234"  # noqa: S105 - the documented password of the demo logins


@dataclass(frozen=True)
class Login:
    email: str
    name: str
    role: str
    teams: tuple[str, ...] = ()


@dataclass(frozen=True)
class LocationPlan:
    code: str
    name: str
    kind: Literal["store", "warehouse"]
    street: str
    city: str
    region: str
    postal_code: str
    latitude: float
    longitude: float
    holiday_subdivision: str
    opening_hours: dict[str, Any] = field(hash=False)
    closes_at_year_end: bool = True


@dataclass(frozen=True)
class BusinessChannels:
    """How customers reach the business (no channels table exists yet: described as data)."""

    whatsapp_number: str
    instagram_handle: str
    web_shop: str
    email: str


@dataclass(frozen=True)
class DemoBusiness:
    slug: str
    name: str
    country: str
    currency: str
    time_zone: str
    language: Literal["es", "pt", "en"]
    locations: tuple[LocationPlan, ...]
    teams: tuple[str, ...]
    logins: tuple[Login, ...]
    channels: BusinessChannels

    @property
    def stores(self) -> tuple[LocationPlan, ...]:
        return tuple(loc for loc in self.locations if loc.kind == "store")

    def location(self, code: str) -> LocationPlan:
        return next(loc for loc in self.locations if loc.code == code)


_WEEKDAYS_10_TO_20 = {day: ["10:00-20:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}

DEMO_BUSINESS = DemoBusiness(
    slug="demo",
    name="Hornero Ropa y Casa",
    country="AR",
    currency="ARS",
    time_zone="America/Argentina/Buenos_Aires",
    language="es",
    locations=(
        LocationPlan(
            code="PAL",
            name="Hornero Palermo",
            kind="store",
            street="Gurruchaga 1745",
            city="Ciudad Autónoma de Buenos Aires",
            region="CABA",
            postal_code="C1414DHK",
            latitude=-34.5887,
            longitude=-58.4268,
            holiday_subdivision="C",
            opening_hours=_WEEKDAYS_10_TO_20
            | {"sun": ["14:00-20:00"], "holidays": ["12:00-20:00"]},
        ),
        LocationPlan(
            code="CBA",
            name="Hornero Nueva Córdoba",
            kind="store",
            street="Av. Hipólito Yrigoyen 380",
            city="Córdoba",
            region="Córdoba",
            postal_code="X5000JHO",
            latitude=-31.4241,
            longitude=-64.1836,
            holiday_subdivision="X",
            # The centre of Córdoba still closes at siesta time.
            opening_hours={
                **{d: ["09:30-13:30", "16:30-20:30"] for d in ("mon", "tue", "wed", "thu", "fri")},
                "sat": ["09:30-14:00", "17:00-21:00"],
            },
        ),
        LocationPlan(
            code="DEP",
            name="Depósito Pilar",
            kind="warehouse",
            street="Calle 8 N.º 250, Parque Industrial Pilar",
            city="Pilar",
            region="Buenos Aires",
            postal_code="B1629MXA",
            latitude=-34.4263,
            longitude=-58.8610,
            holiday_subdivision="B",
            opening_hours={d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            closes_at_year_end=False,
        ),
    ),
    teams=("Ventas online", "Postventa", "Tiendas"),
    logins=(
        Login("owner@demo.test", "Valeria Quiroga", "owner"),
        Login(
            "supervisora@demo.test", "Mariana Funes", "supervisor", ("Ventas online", "Postventa")
        ),
        Login("agente@demo.test", "Tomás Benítez", "agent", ("Ventas online", "Postventa")),
        Login("tienda@demo.test", "Lucía Ferreyra", "store_staff", ("Tiendas",)),
    ),
    channels=BusinessChannels(
        whatsapp_number="+5491152630418",
        instagram_handle="hornero.ropaycasa",
        web_shop="https://tienda.hornero.example",
        email="hola@hornero.example",
    ),
)

DEMO_LOGINS: list[tuple[str, str]] = [(login.email, login.role) for login in DEMO_BUSINESS.logins]


def year_end_closures(location: LocationPlan, year: int) -> list[dict[str, Any]]:
    """Short days on Christmas and New Year's Eves, closed on the 25th and the 1st."""
    if not location.closes_at_year_end:
        return []
    return [
        {"date": f"{year}-12-24", "hours": ["10:00-14:00"], "reason": "Nochebuena"},
        {"date": f"{year}-12-25", "hours": [], "reason": "Navidad"},
        {"date": f"{year}-12-31", "hours": ["10:00-14:00"], "reason": "Fin de año"},
        {"date": f"{year + 1}-01-01", "hours": [], "reason": "Año Nuevo"},
    ]
