"""``mostrador assistant classify`` as acceptance checks call it: lines in, JSON lines out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mostrador.assistant.trained import default_cache_dir

LINES = "\n".join(
    [
        "hola, dónde está mi pedido #88412?",
        json.dumps({"text": "oi, vcs tem a jaqueta preta tamanho G?"}),
        "SON UNOS INÚTILES, VOY A IR A DEFENSA DEL CONSUMIDOR",
        "can I pay in installments with paypal?",
        "",
        "están buscando personal? les dejo mi cv",
    ]
)


def classify(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"XDG_CACHE_HOME": str(default_cache_dir().parent)}
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "mostrador.cli", "assistant", "classify", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_each_line_gets_one_json_line_with_intent_language_entities_and_escalation() -> None:
    result = classify(LINES, "--today", "2026-11-24")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["intent"], r["language"], r["escalate"]) for r in rows] == [
        ("order_status", "es", False),
        ("stock_check", "pt", False),
        ("complaint", "es", True),
        ("payment_info", "en", False),
        ("other", "es", False),
    ]
    assert rows[0]["entities"] == {
        "order_ref": "88412",
        "product": None,
        "store": None,
        "email": None,
        "phone": None,
        "date": None,
        "size": None,
    }
    assert (rows[1]["entities"]["product"], rows[1]["entities"]["size"]) == ("jaqueta", "G")
    assert rows[2]["escalation_reasons"] == ["regulator", "insult", "shouting"]
    assert all(0.0 < r["confidence"] <= 1.0 for r in rows)


def test_a_conversation_keeps_its_language_for_short_messages() -> None:
    lines = [
        {"text": "Olá, quero saber do meu pedido 4455, ainda não chegou", "conversation": "c1"},
        {"text": "ok", "conversation": "c1"},
        {"text": "👍"},  # nothing to tell a language by: the default
    ]
    result = classify("\n".join(json.dumps(line) for line in lines))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["language"] for line in result.stdout.splitlines()] == [
        "pt",
        "pt",
        "es",
    ]


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        ('{"texto": "hola"}\nhola\n', (), 'error: a JSON line needs a string "text"'),
        ("hola\n", ("--default-language", "fr"), "error: --default-language must be es, pt or en"),
        ("hola\n", ("--today", "ayer"), "error: --today must be YYYY-MM-DD"),
    ],
)
def test_bad_input_is_reported_with_exit_status_2(
    stdin: str, args: tuple[str, ...], message: str
) -> None:
    result = classify(stdin, *args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[0] == message


def test_a_bad_line_does_not_stop_the_others(tmp_path: Path) -> None:
    result = classify('{"texto": 1}\nbuenas tardes\n', "--model-cache", str(default_cache_dir()))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {
        "error": {"code": "invalid_input", "message": 'a JSON line needs a string "text"'}
    }
    assert lines[1]["intent"] == "greeting"
    assert result.returncode == 2
