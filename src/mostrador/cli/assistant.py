"""``mostrador assistant``: the bot's understanding, from the command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from mostrador import assistant
from mostrador.cli.common import CliError, err

assistant_app = typer.Typer(help="The assistant: what a customer's message asks for.")


def _message(line: str) -> tuple[str, dict[str, Any]]:
    """The text of one input line and its optional context (JSON lines may carry both)."""
    stripped = line.strip()
    if not stripped.startswith("{"):
        return stripped, {}
    try:
        found = json.loads(stripped)
    except json.JSONDecodeError:
        return stripped, {}  # a message that merely starts with "{"
    if not isinstance(found, dict) or not isinstance(found.get("text"), str):
        raise CliError('a JSON line needs a string "text"', code="invalid_input")
    return found["text"], found


def _context(
    fields: dict[str, Any], sticky: dict[str, assistant.Language], default: assistant.Language
) -> assistant.Context:
    conversation = str(fields.get("conversation", ""))
    previous = fields.get("previous_language") or sticky.get(conversation)
    if previous not in assistant.LANGUAGES:
        previous = None
    unanswered = fields.get("unanswered_messages", 0)
    return assistant.Context(
        previous_language=previous,
        default_language=default,
        unanswered_messages=unanswered if isinstance(unanswered, int) else 0,
        valuable_at_risk=fields.get("valuable_at_risk") is True,
    )


@assistant_app.command("classify")
def classify(
    default_language: Annotated[
        str, typer.Option(help="Language of messages too short to tell (es, pt, en).")
    ] = "es",
    today: Annotated[
        str | None, typer.Option(help="The date 'mañana' is counted from (YYYY-MM-DD).")
    ] = None,
    model_cache: Annotated[
        Path | None, typer.Option(help="Where the trained model is kept.")
    ] = None,
) -> None:
    """Read one message per line on stdin (text, or JSON with "text"); print one JSON line each.

    A JSON line may also carry "conversation" (messages of one conversation keep its
    language), "previous_language", "unanswered_messages" and "valuable_at_risk".
    """
    if default_language not in assistant.LANGUAGES:
        raise CliError("--default-language must be es, pt or en", code="invalid_input")
    try:
        anchor = date.fromisoformat(today) if today else date.today()  # noqa: DTZ011
    except ValueError:
        raise CliError("--today must be YYYY-MM-DD", code="invalid_input") from None
    model = assistant.classifier(model_cache)
    sticky: dict[str, assistant.Language] = {}
    failed = False
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            text, fields = _message(line)
        except CliError as exc:
            failed = True
            err.print(f"error: {exc.message}", markup=False, highlight=False)
            print(json.dumps({"error": {"code": exc.code, "message": str(exc)}}), flush=True)
            continue
        context = _context(fields, sticky, default_language)
        understood = assistant.understand(model, text, context, today=anchor)
        if "conversation" in fields:
            sticky[str(fields["conversation"])] = understood.language
        print(json.dumps(understood.as_dict(), ensure_ascii=False), flush=True)
    if failed:
        raise typer.Exit(2)
