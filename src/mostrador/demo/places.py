"""Where the demo customers live, which phone area that gives them and their nearest store.

Pure data. Shares are rough: most customers come from around the two stores, the rest
from the cities the web shop ships to; visitors come from the neighbouring countries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hometown:
    country: str
    city: str
    share: float
    store: str  # code of the nearest store
    phone_area: str | None = None  # None: the country's mobile numbers are not regional


HOMETOWNS: dict[str, tuple[Hometown, ...]] = {
    "AR": (
        Hometown("AR", "Ciudad Autónoma de Buenos Aires", 33, "PAL", "11"),
        Hometown("AR", "Vicente López", 4, "PAL", "11"),
        Hometown("AR", "San Isidro", 4, "PAL", "11"),
        Hometown("AR", "Tigre", 3, "PAL", "11"),
        Hometown("AR", "Pilar", 3, "PAL", "11"),
        Hometown("AR", "Morón", 3, "PAL", "11"),
        Hometown("AR", "La Matanza", 3, "PAL", "11"),
        Hometown("AR", "Quilmes", 3, "PAL", "11"),
        Hometown("AR", "Lanús", 2, "PAL", "11"),
        Hometown("AR", "Avellaneda", 2, "PAL", "11"),
        Hometown("AR", "La Plata", 4, "PAL", "221"),
        Hometown("AR", "Mar del Plata", 2, "PAL", "223"),
        Hometown("AR", "Rosario", 5, "PAL", "341"),
        Hometown("AR", "Santa Fe", 1.5, "CBA", "342"),
        Hometown("AR", "Córdoba", 14, "CBA", "351"),
        Hometown("AR", "Río Cuarto", 1.5, "CBA", "358"),
        Hometown("AR", "Mendoza", 3, "CBA", "261"),
        Hometown("AR", "San Miguel de Tucumán", 2, "CBA", "381"),
        Hometown("AR", "Salta", 1.5, "CBA", "387"),
        Hometown("AR", "Neuquén", 1.5, "PAL", "299"),
    ),
    "UY": (
        Hometown("UY", "Montevideo", 70, "PAL"),
        Hometown("UY", "Colonia del Sacramento", 15, "PAL"),
        Hometown("UY", "Punta del Este", 15, "PAL"),
    ),
    "CL": (
        Hometown("CL", "Santiago", 75, "PAL"),
        Hometown("CL", "Valparaíso", 10, "PAL"),
        Hometown("CL", "Concepción", 15, "CBA"),
    ),
    "BR": (
        Hometown("BR", "São Paulo", 40, "PAL", "11"),
        Hometown("BR", "Rio de Janeiro", 18, "PAL", "21"),
        Hometown("BR", "Porto Alegre", 15, "PAL", "51"),
        Hometown("BR", "Florianópolis", 12, "PAL", "48"),
        Hometown("BR", "Curitiba", 8, "CBA", "41"),
        Hometown("BR", "Belo Horizonte", 7, "PAL", "31"),
    ),
    "PE": (Hometown("PE", "Lima", 85, "PAL"), Hometown("PE", "Arequipa", 15, "CBA")),
    "CO": (
        Hometown("CO", "Bogotá", 55, "PAL"),
        Hometown("CO", "Medellín", 30, "PAL"),
        Hometown("CO", "Cali", 15, "CBA"),
    ),
    "MX": (
        Hometown("MX", "Ciudad de México", 60, "PAL", "55"),
        Hometown("MX", "Guadalajara", 25, "PAL", "33"),
        Hometown("MX", "Monterrey", 15, "PAL", "81"),
    ),
    "ES": (
        Hometown("ES", "Madrid", 50, "PAL"),
        Hometown("ES", "Barcelona", 35, "PAL"),
        Hometown("ES", "Valencia", 15, "CBA"),
    ),
}

# Where the people come from: nearly all Argentine; visitors and immigrants from the region.
ORIGINS: tuple[tuple[str, float], ...] = (
    ("AR", 88),
    ("UY", 4),
    ("CL", 2.5),
    ("BR", 2.5),
    ("PE", 1.2),
    ("CO", 1.0),
    ("MX", 0.4),
    ("ES", 0.4),
)

# Of the people born abroad, this share lives in Argentina (local phone, local city).
RESIDENT_SHARE = 0.35
