"""The demo business: a made-up Argentine clothing and home-goods retailer with its customers.

``seed_demo`` creates it through the normal actions (``mostrador seed`` and ``make demo``
call it); the same seed always gives the same people, identifiers and dates.
"""

from mostrador.demo.business import DEMO_BUSINESS, DEMO_LOGINS, DEMO_PASSWORD
from mostrador.demo.seed import SeedReport, seed_demo

__all__ = ["DEMO_BUSINESS", "DEMO_LOGINS", "DEMO_PASSWORD", "SeedReport", "seed_demo"]
