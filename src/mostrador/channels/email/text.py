"""What a person actually wrote in an email: HTML turned into plain text, and the quoted
history mail clients append below a reply cut off (the conversation already has it).

Pure functions; the patterns cover Gmail, Apple Mail, Outlook and Thunderbird in Spanish,
Portuguese and English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

_SKIPPED: Final = frozenset({"script", "style", "head", "title", "template"})
_PARAGRAPHS: Final = frozenset(
    {"p", "blockquote", "table", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_LINES: Final = frozenset({"br", "div", "li", "tr", "section", "article", "header", "footer"})


class _TextCollector(HTMLParser):
    """Collects visible text; block elements become line breaks, links ``text (url)``.

    Breaks are kept as numbers (1 line, 2 paragraph) so nested blocks do not pile up blank
    lines: adjacent block breaks merge into the strongest, only ``<br>`` adds up."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str | int] = []
        self._skipping = 0
        self._links: list[tuple[str, int]] = []  # href, index of the link's first chunk

    def _break(self, strength: int) -> None:
        if self.chunks and isinstance(self.chunks[-1], int):
            self.chunks[-1] = max(self.chunks[-1], strength)
        else:
            self.chunks.append(strength)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "br":
            last = self.chunks[-1] if self.chunks else None
            self._break(min(last + 1, 2) if isinstance(last, int) else 1)
        elif tag in _PARAGRAPHS or tag in _LINES:
            self._break(2 if tag in _PARAGRAPHS else 1)
        elif tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self.chunks)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _PARAGRAPHS or (tag in _LINES and tag != "br"):
            self._break(2 if tag in _PARAGRAPHS else 1)
        elif tag in {"td", "th"}:
            self.chunks.append(" ")  # cells of a row stay on one line, apart
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            label = " ".join("".join(c for c in self.chunks[start:] if isinstance(c, str)).split())
            target = href.removeprefix("mailto:")
            if href and not href.startswith("#") and target != label:
                self.chunks.append(f" ({target})" if label else target)

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        after_break = bool(self.chunks) and isinstance(self.chunks[-1], int)
        if self._skipping or (after_break and not text.strip()):
            return
        self.chunks.append(text)

    def text(self) -> str:
        parts = ["\n" * c if isinstance(c, int) else c for c in self.chunks]
        lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: whitespace collapsed, at most one blank line."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.text()


# "El 24 nov 2026, Ana <ana@x> escribió:" (Gmail and Apple Mail may wrap it over 2-3 lines);
# a digit is required so "El vendedor me escribió:" in the message itself survives.
_ATTRIBUTION: Final = re.compile(
    r"^(El|Em|On|Le|Am)\s.*\d.*\s(escribió|escreveu|wrote|a écrit|schrieb)\s*:$", re.IGNORECASE
)
_ATTRIBUTION_START: Final = re.compile(r"^(El|Em|On|Le|Am)\s", re.IGNORECASE)
_SEPARATOR: Final = re.compile(
    r"^-{2,}\s*(Original Message|Mensaje original|Mensagem original|Message d'origine)\s*-{2,}$",
    re.IGNORECASE,
)
_HEADER_FROM: Final = re.compile(r"^\*?(De|From)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_SENT: Final = re.compile(r"^\*?(Enviado|Enviada em|Sent|Date)\s*:", re.IGNORECASE)
_LEFTOVER: Final = re.compile(r"^(\s*|>.*|_{5,}|-{5,})$")


def _starts_history(lines: list[str], index: int) -> bool:
    line = lines[index].strip()
    if _SEPARATOR.match(line) or lines[index].rstrip() == "--":  # "-- " opens a signature
        return True
    if _ATTRIBUTION_START.match(line):
        return any(
            _ATTRIBUTION.match(" ".join(part.strip() for part in lines[index : index + n]))
            for n in (1, 2, 3)
        )
    if _HEADER_FROM.match(line):
        return any(_HEADER_SENT.match(later.strip()) for later in lines[index + 1 : index + 4])
    return False


def trim_quoted(text: str) -> str:
    """The new part of a reply: cut at the first quote header, separator or signature
    delimiter, then drop trailing ``>`` lines. If nothing is left, the text is kept whole
    (a bare forward is better shown than lost)."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    cut = next((i for i in range(len(lines)) if _starts_history(lines, i)), len(lines))
    kept = lines[:cut]
    while kept and _LEFTOVER.match(kept[-1]):
        kept.pop()
    return "\n".join(kept).strip() or text.strip()
