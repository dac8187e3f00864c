"""Commerce: catalog, one price list, promotions, ONE stock pool, orders from every channel,
click & collect, returns anywhere, one loyalty ledger and the delivery promise.

Other contexts import only what this module exports.
"""

from mostrador.commerce import actions, queries
from mostrador.commerce.actions import catalog_import
from mostrador.commerce.cart_pricing import CartInput, buyer, priced_document
from mostrador.commerce.cart_pricing import price as price_cart
from mostrador.commerce.catalog_csv import export_catalog as catalog_export
from mostrador.commerce.catalog_csv import read_catalog
from mostrador.commerce.customer_view import customer_commerce
from mostrador.commerce.history import PastLine, PastOrder, PastReturn
from mostrador.commerce.loyalty import account as loyalty_account
from mostrador.commerce.loyalty import adjust_points as adjust_points_in
from mostrador.commerce.loyalty_program import LoyaltyProgramInput
from mostrador.commerce.loyalty_program import stored as loyalty_program
from mostrador.commerce.models import Order, OrderLine, Product, Return, Variant
from mostrador.commerce.ordering import place_order as place_order_in
from mostrador.commerce.promotion_store import PromotionInput, promotions_list
from mostrador.commerce.returns import DEFAULT_POLICY as RETURN_POLICY
from mostrador.commerce.returns import ReturnInput, return_document
from mostrador.commerce.schemas import (
    ORDER_CHANNELS,
    PAYMENT_METHODS,
    BackInStockInput,
    CancelInput,
    CollectInput,
    CustomerRef,
    HoldInput,
    MovementInput,
    OrderInput,
    PaymentInput,
    PriceInput,
    ProductInput,
    StockInput,
    VariantInput,
)

__all__ = [
    "ORDER_CHANNELS",
    "PAYMENT_METHODS",
    "RETURN_POLICY",
    "BackInStockInput",
    "CancelInput",
    "CartInput",
    "CollectInput",
    "CustomerRef",
    "HoldInput",
    "LoyaltyProgramInput",
    "MovementInput",
    "Order",
    "OrderInput",
    "OrderLine",
    "PastLine",
    "PastOrder",
    "PastReturn",
    "PaymentInput",
    "PriceInput",
    "Product",
    "ProductInput",
    "PromotionInput",
    "Return",
    "ReturnInput",
    "StockInput",
    "Variant",
    "VariantInput",
    "actions",
    "adjust_points_in",
    "buyer",
    "catalog_export",
    "catalog_import",
    "customer_commerce",
    "loyalty_account",
    "loyalty_program",
    "place_order_in",
    "price_cart",
    "priced_document",
    "promotions_list",
    "queries",
    "read_catalog",
    "return_document",
]
