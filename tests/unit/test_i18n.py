"""Every UI string has Spanish and Portuguese translations."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from mostrador.web.ui.i18n import CATALOGS, pick_locale

ROOT = Path(__file__).resolve().parents[2]


def extracted_messages() -> set[str]:
    method_map = [
        ("src/mostrador/web/ui/templates/**.html", "jinja2"),
        ("src/mostrador/web/ui/**.py", "python"),
    ]
    options = {"src/mostrador/web/ui/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        ROOT, method_map, options_map=options, keywords={"_": None, "N_": None, "gettext": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_message_is_translated_to_spanish_and_portuguese() -> None:
    messages = extracted_messages()
    assert "Sign in" in messages
    assert "Store staff" in messages
    for locale in ("es", "pt"):
        with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh)
        translated = {m.id for m in catalog if m.id and m.string}
        assert sorted(messages - translated) == [], locale


def test_locale_choice() -> None:
    assert pick_locale(None, None) == "es"
    assert pick_locale("pt", "en") == "pt"
    assert pick_locale("fr", "en-US,en;q=0.9") == "en"
    assert pick_locale(None, "fr-FR, pt;q=0.4, en;q=0.3") == "pt"
    assert pick_locale(None, "de, fr") == "es"
    assert pick_locale(None, "en;q=0, pt;q=0.1") == "pt"
