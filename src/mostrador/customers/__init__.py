"""Customers: one profile per real person across every channel.

Other contexts use ``resolve_contact`` (inside their own transaction) to turn whoever wrote
or bought into a customer id, and ``queries.canonical_id`` to follow merges.
"""

from mostrador.customers import actions, queries
from mostrador.customers.consent_rules import PURPOSES
from mostrador.customers.customer_360 import person_document
from mostrador.customers.events import CustomerRegistered, IdentifierSeen
from mostrador.customers.models import Customer, CustomerIdentifier
from mostrador.customers.normalize import CHANNELS, IDENTIFIER_KINDS, normalize
from mostrador.customers.queries import canonical_id, group_ids
from mostrador.customers.resolving import Resolved, resolve_contact
from mostrador.customers.schemas import (
    ConsentInput,
    ContactInput,
    CustomerInput,
    CustomerPatch,
    IdentifierInput,
)
from mostrador.customers.search import search_customers

__all__ = [
    "CHANNELS",
    "IDENTIFIER_KINDS",
    "PURPOSES",
    "ConsentInput",
    "ContactInput",
    "Customer",
    "CustomerIdentifier",
    "CustomerInput",
    "CustomerPatch",
    "CustomerRegistered",
    "IdentifierInput",
    "IdentifierSeen",
    "Resolved",
    "actions",
    "canonical_id",
    "group_ids",
    "normalize",
    "person_document",
    "queries",
    "resolve_contact",
    "search_customers",
]
