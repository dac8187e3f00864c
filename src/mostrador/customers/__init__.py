"""Customers: one profile per real person across every channel."""

from mostrador.customers import actions, queries
from mostrador.customers.events import CustomerRegistered, IdentifierSeen
from mostrador.customers.models import Customer, CustomerIdentifier
from mostrador.customers.normalize import CHANNELS, IDENTIFIER_KINDS, normalize
from mostrador.customers.schemas import CustomerInput, IdentifierInput

__all__ = [
    "CHANNELS",
    "IDENTIFIER_KINDS",
    "Customer",
    "CustomerIdentifier",
    "CustomerInput",
    "CustomerRegistered",
    "IdentifierInput",
    "IdentifierSeen",
    "actions",
    "normalize",
    "queries",
]
