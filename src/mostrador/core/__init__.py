"""Shared kernel: ids, money, clock, errors, database, events and the event log, tenancy."""
