"""Mostrador: one customer, one conversation, one stock, one price, one set of numbers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mostrador")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

__all__ = ["__version__"]
