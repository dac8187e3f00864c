"""Channel adapters: one per provider, behind ``base.Adapter``. They import only ``core``."""
