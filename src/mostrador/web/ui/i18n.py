"""UI translations from Babel ``.po`` catalogs (English msgids; es is the default locale)."""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

LOCALES = ("es", "pt", "en")
DEFAULT_LOCALE = "es"
HERE = Path(__file__).parent
CATALOGS = HERE / "locales"
TEMPLATES = HERE / "templates"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> gettext.NullTranslations:
    """Compiled in memory from the ``.po`` file, so no build step is needed."""
    po = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@lru_cache(maxsize=len(LOCALES))
def environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals["locale"] = locale
    env.globals["locales"] = LOCALES
    return env


def pick_locale(
    cookie: str | None, accept_language: str | None, default: str = DEFAULT_LOCALE
) -> str:
    """The user's explicit choice, else the browser's preference among ours, else the default."""
    if cookie in LOCALES:
        return str(cookie)
    if accept_language:
        weighted: list[tuple[float, int, str]] = []
        for index, part in enumerate(accept_language.split(",")):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            language = tag.split("-")[0].lower()
            if language in LOCALES and quality > 0:
                weighted.append((-quality, index, language))
        if weighted:
            return min(weighted)[2]
    return default
