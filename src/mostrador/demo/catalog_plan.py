"""What "Hornero Ropa y Casa" sells: products, variants, prices, opening stock and promotions.

Pure data, built once from short tables. SKUs read as category-model-colour-size
(``REM-ALG-NEG-M``); barcodes are in-store EAN-13s (prefix 20, GS1's "restricted
circulation" range, so they never clash with a real product). Prices are ARS list prices
for 2026, VAT included, ending in 900 as Argentine shops price them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Literal

from mostrador.demo.business import DEMO_BUSINESS
from mostrador.demo.calendar import sales_moments
from mostrador.demo.contact_formats import ean13_check_digit

__all__ = [
    "COLOURS",
    "DEMO_CATALOG",
    "SIZE_CURVES",
    "CatalogPlan",
    "ChannelPrice",
    "Department",
    "ProductPlan",
    "PromotionKind",
    "PromotionPlan",
    "SizeSystem",
    "StockLine",
    "VariantPlan",
    "demo_promotions",
]

Department = Literal["ropa", "casa"]
SizeSystem = Literal["tops", "bottoms", "shoes", "one_size", "home"]
PromotionKind = Literal["percent_off", "buy_x_pay_y", "spend_threshold"]

# Share of each size in what sells (and so in what is stocked): the middle sizes move most.
SIZE_CURVES: dict[SizeSystem, tuple[tuple[str, float], ...]] = {
    "tops": (("XS", 5), ("S", 17), ("M", 30), ("L", 28), ("XL", 14), ("XXL", 6)),
    "bottoms": (("36", 6), ("38", 14), ("40", 22), ("42", 24), ("44", 18), ("46", 11), ("48", 5)),
    "shoes": (
        ("35", 4),
        ("36", 8),
        ("37", 12),
        ("38", 13),
        ("39", 13),
        ("40", 13),
        ("41", 12),
        ("42", 11),
        ("43", 8),
        ("44", 6),
    ),
    "one_size": (("U", 1),),
}

COLOURS: dict[str, str] = {
    "NEG": "Negro",
    "BLA": "Blanco",
    "GRM": "Gris melange",
    "GRI": "Gris",
    "AZM": "Azul marino",
    "AZC": "Azul claro",
    "IND": "Índigo",
    "CEL": "Celeste",
    "OLI": "Verde oliva",
    "VER": "Verde",
    "BEI": "Beige",
    "CRU": "Crudo",
    "ARE": "Arena",
    "CAM": "Camel",
    "MAR": "Marrón",
    "TER": "Terracota",
    "BOR": "Bordó",
    "ROJ": "Rojo",
    "ROS": "Rosa viejo",
    "AMA": "Amarillo",
    "MOS": "Mostaza",
    "RAZ": "Rayado azul",
    "RRO": "Rayado rojo",
    "CUR": "Cuadros rojos",
    "CUV": "Cuadros verdes",
    "NAT": "Natural",
    "TRA": "Transparente",
    "AMB": "Ámbar",
    "ACE": "Acero",
    "CAL": "Luz cálida",
    "FRI": "Luz fría",
}


@dataclass(frozen=True, slots=True)
class VariantPlan:
    """One sellable unit: its SKU, barcode, list price and what tells it apart."""

    sku: str
    barcode: str
    price: Decimal
    colour: str  # the colour's name, as the label shows it
    size: str  # a talle ("M", "42", "38", "U") or a medida ("2 plazas", "350 ml")
    size_name: Literal["talle", "medida"]
    final_sale: bool

    @property
    def attributes(self) -> dict[str, str]:
        """The variant's attributes as the catalog stores them."""
        return {self.size_name: self.size, "color": self.colour}


@dataclass(frozen=True, slots=True)
class ProductPlan:
    """A product and its variants; ``popularity`` weighs it against the rest of its category."""

    code: str  # category and model, the start of every SKU: "REM-ALG"
    name: str
    description: str
    department: Department
    category: str
    size_system: SizeSystem
    variants: tuple[VariantPlan, ...]
    tags: tuple[str, ...] = ()
    popularity: float = 1.0
    scarce: bool = False

    @property
    def lowest_price(self) -> Decimal:
        return min(v.price for v in self.variants)


@dataclass(frozen=True, slots=True)
class StockLine:
    """Units of one SKU on hand at one location when the demo opens."""

    sku: str
    location_code: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class ChannelPrice:
    """An explicit price for one channel that overrides the list price there."""

    sku: str
    channel: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class PromotionPlan:
    """A promotion as a merchant would describe it; the pricing engine's mapping is elsewhere.

    ``kind`` says which fields matter: ``percent_off`` (``percent``), ``buy_x_pay_y``
    (``buy``, ``pay``), ``spend_threshold`` (``minimum`` and ``percent``). Empty ``skus`` and
    ``categories`` mean the whole order; empty ``channels`` or ``payment_methods``, any.
    Dates are local days of the business, both included; None means no limit.
    """

    name: str
    kind: PromotionKind
    percent: Decimal | None = None
    buy: int | None = None
    pay: int | None = None
    minimum: Decimal | None = None
    skus: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class CatalogPlan:
    """The whole demo catalog with its opening stock and channel price overrides."""

    products: tuple[ProductPlan, ...]
    stock: tuple[StockLine, ...]
    channel_prices: tuple[ChannelPrice, ...]

    @cached_property
    def _by_sku(self) -> dict[str, tuple[ProductPlan, VariantPlan]]:
        return {v.sku: (p, v) for p in self.products for v in p.variants}

    def variants(self) -> Iterator[VariantPlan]:
        for product in self.products:
            yield from product.variants

    def variant(self, sku: str) -> VariantPlan:
        """The variant with ``sku``; KeyError if there is none."""
        return self._by_sku[sku][1]

    def product_of(self, sku: str) -> ProductPlan:
        return self._by_sku[sku][0]

    def has(self, sku: str) -> bool:
        return sku in self._by_sku

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.category for p in self.products))


# --- the product tables -----------------------------------------------------------------

_TOPS: SizeSystem = "tops"
_BOTTOMS: SizeSystem = "bottoms"
_SHOES: SizeSystem = "shoes"
_ONE: SizeSystem = "one_size"


@dataclass(frozen=True, slots=True)
class _Garment:
    category: str
    code: str
    name: str
    price: int
    colours: tuple[str, ...]
    sizes: SizeSystem
    description: str
    tags: tuple[str, ...] = ()
    popularity: float = 1.0
    final_sale: bool = False
    scarce: bool = False


@dataclass(frozen=True, slots=True)
class _HomeItem:
    category: str
    code: str
    name: str
    measures: tuple[tuple[str, str, int], ...]  # (SKU code, label, price)
    colours: tuple[str, ...]
    description: str
    tags: tuple[str, ...] = ()
    popularity: float = 1.0
    scarce: bool = False


_CATEGORY_CODES: dict[str, str] = {
    "remeras": "REM",
    "camisas": "CAM",
    "pantalones": "PAN",
    "buzos": "BUZ",
    "tejidos": "TEJ",
    "camperas": "CPA",
    "calzado": "CAL",
    "accesorios": "ACC",
    "mallas": "MAL",
    "blanquería": "BLQ",
    "bazar": "BAZ",
    "deco": "DEC",
    "iluminación": "ILU",
}

# fmt: off
_GARMENTS: tuple[_Garment, ...] = (
    _Garment("remeras", "ALG", "Remera de algodón peinado", 18_900,
             ("NEG", "BLA", "GRM", "AZM", "OLI"), _TOPS,
             "Jersey de algodón peinado 24/1, cuello redondo. La básica de todos los días.",
             ("básicos",), popularity=2.2),
    _Garment("remeras", "RAY", "Remera rayada marinera", 22_900, ("RAZ", "RRO"), _TOPS,
             "Rayas teñidas en hilado, manga tres cuartos.", popularity=0.9),
    _Garment("remeras", "LIN", "Remera de lino", 29_900, ("CRU", "BEI", "NEG"), _TOPS,
             "Lino y algodón, fresca para el verano.", ("verano",)),
    _Garment("remeras", "MLA", "Remera manga larga de modal", 24_900, ("NEG", "GRM", "BOR"),
             _TOPS, "Modal suave con elastano, para usar debajo de todo.", ("básicos",)),
    _Garment("remeras", "EST", "Remera estampada Hornero", 21_900, ("BLA", "NEG"), _TOPS,
             "Estampa del hornero en serigrafía al agua.", popularity=1.2),
    _Garment("remeras", "OVS", "Remera oversize", 23_900, ("NEG", "BLA", "ARE"), _TOPS,
             "Calce amplio, hombro caído, algodón pesado."),
    _Garment("camisas", "OXF", "Camisa Oxford", 49_900, ("BLA", "CEL", "AZM"), _TOPS,
             "Oxford de algodón, cuello con botones.", popularity=1.4),
    _Garment("camisas", "LIN", "Camisa de lino", 59_900, ("BLA", "CRU", "OLI"), _TOPS,
             "Lino lavado, manga larga arremangable.", ("verano",)),
    _Garment("camisas", "JEA", "Camisa de jean", 54_900, ("AZC", "IND"), _TOPS,
             "Denim liviano de 6 onzas con bolsillos."),
    _Garment("camisas", "FRA", "Camisa de franela a cuadros", 46_900, ("CUR", "CUV"), _TOPS,
             "Franela perchada, abrigada para el invierno.", ("invierno",)),
    _Garment("camisas", "BLU", "Blusa de fibrana estampada", 39_900, ("TER", "NEG"), _TOPS,
             "Fibrana fluida con estampa floral."),
    _Garment("pantalones", "JRE", "Jean recto", 64_900, ("AZC", "IND", "NEG"), _BOTTOMS,
             "Denim rígido de 12 onzas, tiro medio, pierna recta.", ("básicos",),
             popularity=2.0),
    _Garment("pantalones", "JMO", "Jean mom", 62_900, ("AZC", "NEG"), _BOTTOMS,
             "Tiro alto, calce relajado, ruedo al tobillo.", popularity=1.3),
    _Garment("pantalones", "CHI", "Pantalón chino", 54_900, ("BEI", "AZM", "OLI"), _BOTTOMS,
             "Gabardina de algodón con elastano."),
    _Garment("pantalones", "CAR", "Pantalón cargo", 57_900, ("OLI", "NEG"), _BOTTOMS,
             "Bolsillos laterales, puño con cordón."),
    _Garment("pantalones", "JOG", "Jogger de algodón", 39_900, ("GRM", "NEG"), _TOPS,
             "Frisa liviana, cintura elastizada."),
    _Garment("pantalones", "BER", "Bermuda de gabardina", 36_900, ("BEI", "AZM"), _BOTTOMS,
             "Largo a la rodilla, cinco bolsillos.", ("verano",)),
    _Garment("pantalones", "CAL", "Calza deportiva", 27_900, ("NEG",), _TOPS,
             "Suplex de tiro alto, no transparenta."),
    _Garment("buzos", "CAN", "Buzo canguro de frisa", 52_900, ("GRM", "NEG", "VER"), _TOPS,
             "Frisa invisible, capucha y bolsillo canguro.", ("invierno",), popularity=1.5),
    _Garment("buzos", "CRE", "Buzo cuello redondo", 45_900, ("GRM", "AZM", "BEI"), _TOPS,
             "Rústico de algodón, puños y cintura con rib."),
    _Garment("buzos", "POL", "Buzo polar con cierre", 42_900, ("NEG", "AZM"), _TOPS,
             "Micropolar antipilling, medio cierre.", ("invierno",)),
    _Garment("tejidos", "SWE", "Sweater de lana merino", 79_900, ("CAM", "GRM", "CRU"), _TOPS,
             "Merino extrafino, tejido en galga 14.", ("invierno",)),
    _Garment("tejidos", "CAR", "Cárdigan de hilo", 58_900, ("CRU", "NEG", "MOS"), _TOPS,
             "Hilo de algodón, botones de nácar."),
    _Garment("camperas", "PUF", "Campera puffer", 129_900, ("NEG", "AZM", "OLI"), _TOPS,
             "Relleno de guata siliconada, capucha desmontable.", ("invierno",),
             popularity=1.4),
    _Garment("camperas", "JEA", "Campera de jean", 89_900, ("AZC", "IND"), _TOPS,
             "Denim de 12 onzas, corte clásico."),
    _Garment("camperas", "CUE", "Campera de cuero ecológico", 119_900, ("NEG", "CAM"), _TOPS,
             "Símil cuero con forro de satén, cierre metálico."),
    _Garment("camperas", "PAR", "Parka impermeable", 159_900, ("OLI", "NEG"), _TOPS,
             "Tela técnica impermeable con costuras selladas.", ("invierno",)),
    _Garment("camperas", "ROM", "Rompeviento liviano", 82_900, ("AZM", "NEG", "AMA"), _TOPS,
             "Nylon liviano que se guarda en su propio bolsillo."),
    _Garment("camperas", "TAP", "Tapado de paño", 199_900, ("CAM", "NEG", "GRM"), _TOPS,
             "Paño de lana, largo a la rodilla.", ("invierno",), scarce=True),
    _Garment("camperas", "OUT", "Campera acolchada temporada anterior", 84_900, ("BOR",), _TOPS,
             "Última temporada, precio de outlet. Sin cambios.", ("outlet",),
             final_sale=True),
    _Garment("calzado", "ZUR", "Zapatillas urbanas de lona", 69_900, ("BLA", "NEG"), _SHOES,
             "Lona y suela vulcanizada.", popularity=1.5),
    _Garment("calzado", "ZCU", "Zapatillas de cuero", 119_900, ("BLA", "NEG"), _SHOES,
             "Cuero vacuno, plantilla de látex."),
    _Garment("calzado", "BOT", "Botas de cuero", 159_900, ("NEG", "CAM"), _SHOES,
             "Caña media, taco de 4 cm.", ("invierno",), scarce=True),
    _Garment("calzado", "BCG", "Borcegos", 139_900, ("NEG",), _SHOES,
             "Cuero engrasado, suela de goma cosida.", ("invierno",)),
    _Garment("calzado", "OJO", "Ojotas", 14_900, ("NEG", "AZM"), _SHOES,
             "Goma EVA liviana.", ("verano",)),
    _Garment("calzado", "ALP", "Alpargatas", 24_900, ("NEG", "AZM", "CRU", "ROJ"), _SHOES,
             "Lona con suela de yute, hechas en el país.", ("verano",), popularity=1.3),
    _Garment("accesorios", "MED", "Medias de algodón, pack x3", 9_900, ("NEG", "BLA", "GRI"),
             _ONE, "Caña media. Por higiene no tienen cambio.", ("básicos",), popularity=1.6,
             final_sale=True),
    _Garment("accesorios", "GOR", "Gorro de lana", 16_900, ("NEG", "GRM", "BOR"), _ONE,
             "Tejido acanalado con doblez.", ("invierno",)),
    _Garment("accesorios", "BUF", "Bufanda tejida", 21_900, ("GRM", "CAM", "AZM"), _ONE,
             "Tejido trenzado, 180 cm.", ("invierno",)),
    _Garment("accesorios", "CIN", "Cinturón de cuero", 24_900, ("NEG", "MAR"), _ONE,
             "Cuero vacuno de 3,5 cm con hebilla niquelada."),
    _Garment("accesorios", "TOT", "Tote bag de lona", 14_900, ("CRU", "NEG"), _ONE,
             "Lona gruesa con bolsillo interno.", popularity=1.2),
    _Garment("accesorios", "MOC", "Mochila urbana", 54_900, ("NEG", "OLI"), _ONE,
             "Compartimento acolchado para notebook de 15 pulgadas."),
    _Garment("accesorios", "RIN", "Riñonera", 29_900, ("NEG",), _ONE,
             "Nylon con cierre impermeable."),
    _Garment("accesorios", "GRA", "Gorra de gabardina", 17_900, ("NEG", "BEI", "AZM"), _ONE,
             "Seis paños, ajuste con hebilla."),
    _Garment("mallas", "ENT", "Malla enteriza", 42_900, ("NEG", "TER"), _TOPS,
             "Lycra con protección UV. Por higiene no tiene cambio.", ("verano",),
             final_sale=True),
    _Garment("mallas", "SHO", "Short de baño", 32_900, ("AZM", "OLI", "ROJ"), _TOPS,
             "Secado rápido, con red interna. Por higiene no tiene cambio.", ("verano",),
             final_sale=True),
)
# fmt: on

# fmt: off
_HOME: tuple[_HomeItem, ...] = (
    _HomeItem("blanquería", "SAB", "Juego de sábanas de algodón 180 hilos",
              (("1M", "1½ plaza", 39_900), ("2P", "2 plazas", 49_900),
               ("QN", "Queen", 59_900), ("KG", "King", 69_900)),
              ("BLA", "GRI", "AZM", "BEI"), "Sábana ajustable, sábana plana y fundas.",
              popularity=1.8),
    _HomeItem("blanquería", "PER", "Juego de sábanas de percal 300 hilos",
              (("2P", "2 plazas", 89_900), ("QN", "Queen", 104_900), ("KG", "King", 119_900)),
              ("BLA", "CRU"), "Percal de algodón peinado, terminación con vainilla."),
    _HomeItem("blanquería", "ACO", "Acolchado de microfibra",
              (("1M", "1½ plaza", 79_900), ("2P", "2 plazas", 99_900),
               ("QN", "Queen", 119_900)),
              ("GRI", "BEI", "AZM"), "Relleno de vellón siliconado de 200 g/m², reversible.",
              ("invierno",)),
    _HomeItem("blanquería", "FUN", "Funda nórdica de lino lavado",
              (("2P", "2 plazas", 129_900), ("QN", "Queen", 149_900)),
              ("CRU", "TER", "OLI"), "Lino europeo lavado a la piedra.", scarce=True),
    _HomeItem("blanquería", "TOA", "Toalla de algodón 500 g",
              (("TOA", "Toalla 50 x 90 cm", 14_900), ("TLL", "Toallón 70 x 140 cm", 24_900)),
              ("BLA", "GRI", "AZM", "TER"), "Rizo de algodón de 500 g/m².", popularity=1.5),
    _HomeItem("blanquería", "ALM", "Almohada de fibra siliconada",
              (("STD", "70 x 50 cm", 22_900), ("XL", "80 x 60 cm", 27_900)),
              ("BLA",), "Fibra siliconada con funda de algodón."),
    _HomeItem("blanquería", "MAN", "Manta de polar",
              (("130", "130 x 150 cm", 34_900),), ("GRM", "CAM", "AZM"),
              "Polar de 300 g/m² para el sillón o los pies de la cama.", ("invierno",)),
    _HomeItem("bazar", "TAZ", "Taza de cerámica esmaltada", (("350", "350 ml", 8_900),),
              ("BLA", "VER", "TER", "AZM", "NEG"), "Gres esmaltado, apta lavavajillas.",
              popularity=1.8),
    _HomeItem("bazar", "VAS", "Set de 6 vasos de vidrio", (("400", "400 ml", 19_900),),
              ("TRA", "AMB"), "Vidrio templado."),
    _HomeItem("bazar", "PLA", "Plato playo de gres", (("27", "27 cm", 9_900),),
              ("CRU", "GRI"), "Gres con borde irregular, hecho a mano.", popularity=1.2),
    _HomeItem("bazar", "FUE", "Fuente para horno de cerámica",
              (("25", "25 cm", 22_900), ("32", "32 cm", 29_900)), ("BLA", "TER"),
              "Cerámica refractaria, va del horno a la mesa."),
    _HomeItem("bazar", "MAT", "Mate de calabaza forrado en cuero", (("U", "Único", 18_900),),
              ("NEG", "MAR"), "Calabaza curada con virola de alpaca.", popularity=1.3),
    _HomeItem("bazar", "TER", "Termo de acero inoxidable", (("1L", "1 litro", 54_900),),
              ("NEG", "VER", "AZM", "BLA"), "Doble pared, conserva 24 horas, pico cebador.",
              popularity=1.3),
    _HomeItem("bazar", "CUB", "Set de cubiertos x24", (("24", "24 piezas", 49_900),),
              ("ACE", "NEG"), "Acero inoxidable 18/10."),
    _HomeItem("bazar", "TAB", "Tabla de algarrobo",
              (("CH", "30 x 20 cm", 16_900), ("LA", "50 x 20 cm", 24_900)), ("NAT",),
              "Algarrobo macizo, ideal para picadas."),
    _HomeItem("bazar", "FRA", "Frasco hermético de vidrio",
              (("500", "500 ml", 7_900), ("1L", "1 litro", 9_900)), ("TRA",),
              "Cierre de palanca con burlete."),
    _HomeItem("bazar", "REP", "Repasadores de algodón, pack x3", (("U", "50 x 70 cm", 9_900),),
              ("CRU", "GRI"), "Tusor de algodón con ojal para colgar."),
    _HomeItem("deco", "ALD", "Almohadón de lino con relleno", (("45", "45 x 45 cm", 18_900),),
              ("CRU", "TER", "OLI", "GRM", "AZM"), "Funda de lino con cierre oculto.",
              popularity=1.5),
    _HomeItem("deco", "VEL", "Vela aromática de soja",
              (("200", "200 g", 12_900), ("400", "400 g", 19_900)), ("BLA", "ARE"),
              "Cera de soja, pabilo de algodón, 40 horas.", popularity=1.4),
    _HomeItem("deco", "ESP", "Espejo redondo con marco de madera",
              (("60", "60 cm", 64_900), ("80", "80 cm", 89_900)), ("NAT", "NEG"),
              "Marco de paraíso macizo."),
    _HomeItem("deco", "CUA", "Cuadro impreso con marco",
              (("3040", "30 x 40 cm", 29_900), ("5070", "50 x 70 cm", 49_900)),
              ("NEG", "BLA"), "Lámina de ilustradores locales, vidrio incluido."),
    _HomeItem("deco", "FLO", "Florero de vidrio reciclado", (("25", "25 cm", 17_900),),
              ("VER", "AMB"), "Vidrio soplado reciclado."),
    _HomeItem("deco", "CES", "Canasto de fibras naturales",
              (("M", "Mediano", 24_900), ("G", "Grande", 32_900)), ("NAT",),
              "Seagrass tejido a mano."),
    _HomeItem("deco", "ALF", "Alfombra de yute",
              (("120", "120 x 170 cm", 119_900), ("160", "160 x 230 cm", 189_900)),
              ("NAT",), "Yute trenzado a mano.", scarce=True),
    _HomeItem("deco", "DIF", "Difusor de aromas con varillas", (("100", "100 ml", 15_900),),
              ("BLA", "AMB"), "Fragancias de la casa: higo, lavanda, té blanco."),
    _HomeItem("iluminación", "LMS", "Lámpara de mesa de cerámica", (("U", "Único", 54_900),),
              ("BLA", "TER"), "Base de cerámica y pantalla de lino, E27."),
    _HomeItem("iluminación", "VLD", "Velador de madera", (("U", "Único", 38_900),),
              ("NAT", "NEG"), "Madera torneada, pantalla de tela."),
    _HomeItem("iluminación", "COL", "Lámpara colgante de ratán", (("40", "40 cm", 79_900),),
              ("NAT",), "Ratán natural tejido a mano."),
    _HomeItem("iluminación", "PIE", "Lámpara de pie", (("U", "Único", 129_900),),
              ("NEG", "BLA"), "Caño de hierro con pantalla articulada."),
    _HomeItem("iluminación", "GUI", "Guirnalda de luces LED", (("5M", "5 metros", 15_900),),
              ("CAL", "FRI"), "50 luces LED, a pilas o USB.", popularity=1.3),
    _HomeItem("iluminación", "LED", "Lámpara LED E27", (("9W", "9 W", 4_900),),
              ("CAL", "FRI"), "Equivale a 60 W incandescente.", popularity=1.2),
    _HomeItem("iluminación", "APL", "Aplique de pared", (("U", "Único", 44_900),),
              ("NEG", "BLA"), "Hierro pintado, brazo orientable."),
)
# fmt: on

_BARCODE_PREFIX = "20"  # GS1 restricted circulation: numbers a shop gives its own goods


def _barcode(serial: int) -> str:
    twelve = f"{_BARCODE_PREFIX}{serial:010d}"
    return twelve + ean13_check_digit(twelve)


def _product_code(category: str, model: str) -> str:
    return f"{_CATEGORY_CODES[category]}-{model}"


def _garment(item: _Garment, first_serial: int) -> ProductPlan:
    code = _product_code(item.category, item.code)
    price = Decimal(item.price)
    variants = tuple(
        VariantPlan(
            sku=f"{code}-{colour}-{size}",
            barcode=_barcode(first_serial + i),
            price=price,
            colour=COLOURS[colour],
            size=size,
            size_name="talle",
            final_sale=item.final_sale,
        )
        for i, (colour, size) in enumerate(
            (colour, size) for colour in item.colours for size, _ in SIZE_CURVES[item.sizes]
        )
    )
    return ProductPlan(
        code=code,
        name=item.name,
        description=item.description,
        department="ropa",
        category=item.category,
        size_system=item.sizes,
        variants=variants,
        tags=item.tags,
        popularity=item.popularity,
        scarce=item.scarce,
    )


def _home_item(item: _HomeItem, first_serial: int) -> ProductPlan:
    code = _product_code(item.category, item.code)
    variants = tuple(
        VariantPlan(
            sku=f"{code}-{colour}-{measure}",
            barcode=_barcode(first_serial + i),
            price=Decimal(price),
            colour=COLOURS[colour],
            size=label,
            size_name="medida",
            final_sale=False,
        )
        for i, (colour, (measure, label, price)) in enumerate(
            (colour, m) for colour in item.colours for m in item.measures
        )
    )
    return ProductPlan(
        code=code,
        name=item.name,
        description=item.description,
        department="casa",
        category=item.category,
        size_system="home",
        variants=variants,
        tags=item.tags,
        popularity=item.popularity,
        scarce=item.scarce,
    )


def _products() -> tuple[ProductPlan, ...]:
    products: list[ProductPlan] = []
    serial = 1
    for garment in _GARMENTS:
        products.append(_garment(garment, serial))
        serial += len(products[-1].variants)
    for home_item in _HOME:
        products.append(_home_item(home_item, serial))
        serial += len(products[-1].variants)
    return tuple(products)


# --- opening stock ----------------------------------------------------------------------

# Share of the warehouse's units each store holds; the rest waits in Pilar for the web.
_STORE_SHARE: dict[str, float] = {"PAL": 0.22, "CBA": 0.14}


def _units_for(price: Decimal) -> int:
    """Units of a whole product across its variants in the warehouse: cheap things in bulk."""
    if price < 20_000:
        return 900
    if price < 60_000:
        return 500
    if price < 120_000:
        return 240
    return 110


def _size_share(product: ProductPlan, variant: VariantPlan) -> float:
    if product.size_system == "home":
        return 1.0
    curve = SIZE_CURVES[product.size_system]
    return next(share for size, share in curve if size == variant.size) / sum(
        share for _, share in curve
    )


def _colour_shares(product: ProductPlan) -> dict[str, float]:
    """The first colour listed sells most; each next one a little less."""
    colours = list(dict.fromkeys(v.colour for v in product.variants))
    weights = [1 / (1 + 0.45 * i) for i in range(len(colours))]
    return {c: w / sum(weights) for c, w in zip(colours, weights, strict=True)}


def _measure_shares(product: ProductPlan) -> dict[str, float]:
    """Mid-range measures sell most: the cheaper measure of two, the middle ones of more."""
    sizes = list(dict.fromkeys(v.size for v in product.variants))
    if product.size_system != "home" or len(sizes) == 1:
        return dict.fromkeys(sizes, 1.0)
    middle = (len(sizes) - 1) / 3
    weights = [1 / (1 + abs(i - middle)) for i in range(len(sizes))]
    return {s: w / sum(weights) for s, w in zip(sizes, weights, strict=True)}


def _opening_stock(products: Sequence[ProductPlan]) -> tuple[StockLine, ...]:
    warehouse = next(loc.code for loc in DEMO_BUSINESS.locations if loc.kind == "warehouse")
    lines: list[StockLine] = []
    for product in products:
        total = (
            1.5 * len(product.variants)
            if product.scarce
            else _units_for(product.lowest_price) * product.popularity
        )
        colours = _colour_shares(product)
        measures = _measure_shares(product)
        for variant in product.variants:
            share = colours[variant.colour] * measures.get(variant.size, 1.0)
            units = total * share * _size_share(product, variant)
            lines.append(StockLine(variant.sku, warehouse, round(units)))
            for store in DEMO_BUSINESS.stores:
                lines.append(
                    StockLine(
                        variant.sku, store.code, round(units * _STORE_SHARE.get(store.code, 0.15))
                    )
                )
    return tuple(lines)


# --- channel prices -----------------------------------------------------------------------


def _rounded(amount: Decimal) -> Decimal:
    """To the hundred pesos, as a shop would print it."""
    return (amount / 100).quantize(Decimal(1)) * 100


def _channel_prices(products: Sequence[ProductPlan]) -> tuple[ChannelPrice, ...]:
    """Basics are 5 % cheaper on the web shop; shoes cost 10 % more on the marketplace,
    whose commission the business passes on."""
    found: list[ChannelPrice] = []
    for product in products:
        if "básicos" in product.tags and product.department == "ropa":
            found += [
                ChannelPrice(v.sku, "web", _rounded(v.price * Decimal("0.95")))
                for v in product.variants
            ]
        if product.category == "calzado":
            found += [
                ChannelPrice(v.sku, "marketplace", _rounded(v.price * Decimal("1.10")))
                for v in product.variants
            ]
    return tuple(found)


def _build() -> CatalogPlan:
    products = _products()
    return CatalogPlan(products, _opening_stock(products), _channel_prices(products))


DEMO_CATALOG: CatalogPlan = _build()


# --- promotions ---------------------------------------------------------------------------


def _moment(year: int, name: str) -> tuple[date, date]:
    """The first and last day of the sales moment ``name`` in ``year`` (the whole of Navidad)."""
    found = [m for m in sales_moments(year) if m.name == name]
    return found[0].start, found[-1].end


def demo_promotions(year: int) -> tuple[PromotionPlan, ...]:
    """The promotions the business runs in ``year``, dated by that year's sales calendar."""
    hot_sale = _moment(year, "Hot Sale")
    cyber = _moment(year, "CyberMonday")
    mothers = _moment(year, "Día de la Madre")
    winter_sale = _moment(year, "Liquidación de invierno")
    online = ("web", "whatsapp", "instagram")
    return (
        PromotionPlan(
            name="Hot Sale: 20 % off en la tienda online",
            kind="percent_off",
            percent=Decimal(20),
            channels=("web",),
            valid_from=hot_sale[0],
            valid_until=hot_sale[1],
        ),
        PromotionPlan(
            name="CyberMonday: 25 % off en calzado y camperas",
            kind="percent_off",
            percent=Decimal(25),
            categories=("calzado", "camperas"),
            channels=online,
            valid_from=cyber[0],
            valid_until=cyber[1],
        ),
        PromotionPlan(
            name="Día de la Madre: 15 % off en blanquería y deco",
            kind="percent_off",
            percent=Decimal(15),
            categories=("blanquería", "deco"),
            valid_from=mothers[0],
            valid_until=mothers[1],
        ),
        PromotionPlan(
            name="Liquidación de invierno: 30 % off en abrigos",
            kind="percent_off",
            percent=Decimal(30),
            categories=("buzos", "tejidos", "camperas"),
            channels=("pos", "web"),
            valid_from=winter_sale[0],
            valid_until=winter_sale[1] + timedelta(days=10),
        ),
        PromotionPlan(
            name="Llevá 3 remeras y pagá 2",
            kind="buy_x_pay_y",
            buy=3,
            pay=2,
            categories=("remeras",),
            valid_from=date(year, 9, 1),
            valid_until=date(year, 10, 31),
        ),
        PromotionPlan(
            name="10 % off pagando con transferencia desde $150.000",
            kind="spend_threshold",
            percent=Decimal(10),
            minimum=Decimal(150_000),
            payment_methods=("transfer",),
        ),
    )
