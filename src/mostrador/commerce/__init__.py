"""Commerce: catalog, one price list, promotions, ONE stock pool, orders from every channel,
click & collect, returns anywhere, one loyalty ledger and the delivery promise.

Other contexts import only what this module exports.
"""

from mostrador.commerce import actions, queries
from mostrador.commerce.models import Order, OrderLine, Product, Variant
from mostrador.commerce.schemas import (
    ORDER_CHANNELS,
    PAYMENT_METHODS,
    CancelInput,
    CustomerRef,
    OrderInput,
    ProductInput,
    StockInput,
)

__all__ = [
    "ORDER_CHANNELS",
    "PAYMENT_METHODS",
    "CancelInput",
    "CustomerRef",
    "Order",
    "OrderInput",
    "OrderLine",
    "Product",
    "ProductInput",
    "StockInput",
    "Variant",
    "actions",
    "queries",
]
