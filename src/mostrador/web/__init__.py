"""The web entry point: REST API, webhooks, the agents' UI. Thin: no business rules here."""
