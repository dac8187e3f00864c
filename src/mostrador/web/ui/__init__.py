"""The agents' web UI: server-rendered pages, Spanish first (also Portuguese and English)."""
