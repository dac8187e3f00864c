"""The demo catalog: unique SKUs and barcodes, sensible ARS prices, stock and promotions."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from mostrador.commerce.schemas import ORDER_CHANNELS, PAYMENT_METHODS, ProductInput
from mostrador.demo.business import DEMO_BUSINESS
from mostrador.demo.catalog_plan import (
    DEMO_CATALOG,
    ChannelPrice,
    VariantPlan,
    demo_promotions,
)
from mostrador.demo.contact_formats import ean13_check_digit

CATALOG = DEMO_CATALOG
SKU = re.compile(r"[A-Z]{3}-[A-Z]{3}-[A-Z]{3}-[A-Z0-9]{1,4}")


def units(location: str) -> int:
    return sum(line.on_hand for line in CATALOG.stock if line.location_code == location)


def test_the_catalog_has_78_products_and_756_variants_in_13_categories() -> None:
    assert len(CATALOG.products) == 78
    assert sum(1 for _ in CATALOG.variants()) == 756
    assert Counter(p.department for p in CATALOG.products) == {"ropa": 46, "casa": 32}
    assert CATALOG.categories == (
        "remeras",
        "camisas",
        "pantalones",
        "buzos",
        "tejidos",
        "camperas",
        "calzado",
        "accesorios",
        "mallas",
        "blanquería",
        "bazar",
        "deco",
        "iluminación",
    )


def test_a_variant_reads_category_model_colour_size() -> None:
    assert CATALOG.variant("REM-ALG-NEG-M") == VariantPlan(
        sku="REM-ALG-NEG-M",
        barcode="2000000000039",
        price=Decimal(18_900),
        colour="Negro",
        size="M",
        size_name="talle",
        final_sale=False,
    )
    assert CATALOG.variant("REM-ALG-NEG-M").attributes == {"talle": "M", "color": "Negro"}
    sheets = CATALOG.variant("BLQ-SAB-BLA-QN")
    assert (sheets.price, sheets.attributes) == (
        Decimal(59_900),
        {"medida": "Queen", "color": "Blanco"},
    )
    assert CATALOG.product_of("BLQ-SAB-BLA-QN").name == "Juego de sábanas de algodón 180 hilos"


def test_skus_and_barcodes_are_unique_and_well_formed() -> None:
    variants = list(CATALOG.variants())
    assert len({v.sku for v in variants}) == len(variants)
    assert len({v.barcode for v in variants}) == len(variants)
    for product in CATALOG.products:
        for variant in product.variants:
            assert SKU.fullmatch(variant.sku), variant.sku
            assert variant.sku.startswith(product.code + "-")


def test_every_barcode_is_an_in_store_ean13_with_its_check_digit() -> None:
    for variant in CATALOG.variants():
        assert len(variant.barcode) == 13, variant.sku
        assert variant.barcode.isdigit()
        assert variant.barcode.startswith("20")  # GS1 restricted circulation
        assert variant.barcode[-1] == ean13_check_digit(variant.barcode[:12])


def test_every_product_is_accepted_by_the_catalog_api() -> None:
    for product in CATALOG.products:
        ProductInput.model_validate(
            {
                "name": product.name,
                "description": product.description,
                "category": product.category,
                "tags": list(product.tags),
                "variants": [
                    {
                        "sku": v.sku,
                        "price": v.price,
                        "barcode": v.barcode,
                        "attributes": v.attributes,
                        "final_sale": v.final_sale,
                    }
                    for v in product.variants
                ],
            }
        )


def test_clothing_comes_in_every_size_of_its_curve() -> None:
    jeans = CATALOG.product_of("PAN-JRE-AZC-40")
    assert [v.size for v in jeans.variants if v.colour == "Azul claro"] == [
        "36",
        "38",
        "40",
        "42",
        "44",
        "46",
        "48",
    ]
    shoes = CATALOG.product_of("CAL-ZUR-NEG-39")
    assert len(shoes.variants) == 2 * 10
    socks = CATALOG.product_of("ACC-MED-NEG-U")
    assert [v.sku for v in socks.variants] == ["ACC-MED-NEG-U", "ACC-MED-BLA-U", "ACC-MED-GRI-U"]


def test_prices_are_2026_ars_list_prices() -> None:
    by_category: dict[str, list[int]] = {}
    for product in CATALOG.products:
        by_category.setdefault(product.category, []).extend(int(v.price) for v in product.variants)
    assert (min(by_category["remeras"]), max(by_category["remeras"])) == (18_900, 29_900)
    assert (min(by_category["camperas"]), max(by_category["camperas"])) == (82_900, 199_900)
    assert (min(by_category["bazar"]), max(by_category["bazar"])) == (7_900, 54_900)
    for variant in CATALOG.variants():
        assert variant.price == variant.price.to_integral_value()
        assert variant.price % 1000 == 900, variant.sku


def test_only_swimwear_socks_and_the_outlet_jacket_are_final_sale() -> None:
    final = [p.code for p in CATALOG.products if any(v.final_sale for v in p.variants)]
    assert final == ["CPA-OUT", "ACC-MED", "MAL-ENT", "MAL-SHO"]
    for product in CATALOG.products:
        assert len({v.final_sale for v in product.variants}) == 1


def test_every_sku_has_opening_stock_at_every_location() -> None:
    codes = [loc.code for loc in DEMO_BUSINESS.locations]
    assert Counter((s.sku, s.location_code) for s in CATALOG.stock) == {
        (v.sku, code): 1 for v in CATALOG.variants() for code in codes
    }
    assert all(s.on_hand >= 0 for s in CATALOG.stock)


def test_the_warehouse_holds_most_of_the_stock() -> None:
    assert {code: units(code) for code in ("DEP", "PAL", "CBA")} == {
        "DEP": 46_496,
        "PAL": 10_220,
        "CBA": 6_508,
    }
    on_hand = {(s.sku, s.location_code): s.on_hand for s in CATALOG.stock}
    for variant in CATALOG.variants():
        assert on_hand[(variant.sku, "DEP")] >= on_hand[(variant.sku, "PAL")]
        assert on_hand[(variant.sku, "PAL")] >= on_hand[(variant.sku, "CBA")]


def test_middle_sizes_and_first_colours_are_stocked_deepest() -> None:
    on_hand = {(s.sku, s.location_code): s.on_hand for s in CATALOG.stock}
    assert [on_hand[(f"REM-ALG-NEG-{size}", "DEP")] for size in ("XS", "M", "XXL")] == [33, 198, 40]
    assert on_hand[("REM-ALG-NEG-M", "DEP")] > on_hand[("REM-ALG-OLI-M", "DEP")]


def test_a_few_products_are_scarce() -> None:
    scarce = {p.code: p for p in CATALOG.products if p.scarce}
    totals = {
        code: sum(s.on_hand for s in CATALOG.stock if s.sku.startswith(code + "-"))
        for code in scarce
    }
    assert totals == {"CPA-TAP": 32, "CAL-BOT": 31, "BLQ-FUN": 9, "DEC-ALF": 3}
    out_of_stock = [
        v.sku
        for code in scarce
        for v in scarce[code].variants
        if all(s.on_hand == 0 for s in CATALOG.stock if s.sku == v.sku)
    ]
    assert out_of_stock == ["CPA-TAP-NEG-XS", "CPA-TAP-GRM-XS", "CPA-TAP-GRM-XXL", "CAL-BOT-CAM-35"]


def test_basics_are_cheaper_on_the_web_and_shoes_dearer_on_the_marketplace() -> None:
    assert Counter(p.channel for p in CATALOG.channel_prices) == {"web": 72, "marketplace": 130}
    overrides = {(p.sku, p.channel): p for p in CATALOG.channel_prices}
    assert overrides[("REM-ALG-NEG-M", "web")] == ChannelPrice(
        "REM-ALG-NEG-M", "web", Decimal(18_000)
    )
    assert overrides[("CAL-ZUR-BLA-40", "marketplace")].price == Decimal(76_900)
    for price in CATALOG.channel_prices:
        assert price.channel in ORDER_CHANNELS
        listed = CATALOG.variant(price.sku).price
        assert price.price < listed if price.channel == "web" else price.price > listed


def test_promotions_follow_the_years_sales_calendar() -> None:
    promotions = demo_promotions(2026)
    assert len(promotions) == 6
    hot_sale = promotions[0]
    assert (hot_sale.kind, hot_sale.percent, hot_sale.channels) == (
        "percent_off",
        Decimal(20),
        ("web",),
    )
    assert (hot_sale.valid_from, hot_sale.valid_until) == (date(2026, 5, 11), date(2026, 5, 13))
    assert (promotions[2].valid_from, promotions[2].valid_until) == (
        date(2026, 10, 7),
        date(2026, 10, 18),
    )
    assert [p.kind for p in promotions].count("buy_x_pay_y") == 1
    assert demo_promotions(2025)[0].valid_from == date(2025, 5, 12)


def test_promotions_name_only_known_categories_channels_and_methods() -> None:
    for promotion in demo_promotions(2026):
        assert set(promotion.categories) <= set(CATALOG.categories)
        assert all(CATALOG.has(sku) for sku in promotion.skus)
        assert set(promotion.channels) <= set(ORDER_CHANNELS)
        assert set(promotion.payment_methods) <= set(PAYMENT_METHODS)
        if promotion.kind == "buy_x_pay_y":
            assert promotion.buy is not None
            assert promotion.pay is not None
            assert promotion.buy > promotion.pay >= 1
        else:
            assert promotion.percent is not None
            assert 0 < promotion.percent <= 100
        if promotion.kind == "spend_threshold":
            assert promotion.minimum == Decimal(150_000)
