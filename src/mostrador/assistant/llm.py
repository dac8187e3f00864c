"""The optional language model: an OpenAI-compatible endpoint (Ollama, vLLM, OpenAI) that
phrases the bot's answer and may look things up with the same skills, from an allow-list.

It never decides: escalation, hand-over, verification and confirmation stay with the rules
(``dialogue``, ``skills``). A tool call whose skill needs a verifying detail or a person, an
error, a timeout or an unexpected reply all mean "use the bot's own answer". Off unless the
workspace sets a base URL and a model.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from typing import Any, Final

import httpx

from mostrador.assistant.examples import Language
from mostrador.assistant.skills import SKILLS, Answer, Asked

__all__ = ["TOOLS", "phrase"]

log = logging.getLogger(__name__)

_TIMEOUT: Final = httpx.Timeout(8.0, connect=2.0)
_ROUNDS: Final = 3
_LANGUAGE_NAMES: Final[dict[Language, str]] = {"es": "Spanish", "pt": "Portuguese", "en": "English"}
_STRING = {"type": "string"}


def _tool(name: str, description: str, **properties: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties},
        },
    }


# The allow-list: read-only skills; the entity each argument fills.
TOOLS: Final[dict[str, tuple[dict[str, Any], str]]] = {
    "order_status": (
        _tool("order_status", "Status of the customer's order.", order_ref=_STRING),
        "order_status",
    ),
    "stock_check": (
        _tool("stock_check", "Stock of a product at the stores.", product=_STRING,
              size=_STRING, store=_STRING),
        "stock_check",
    ),
    "store_info": (
        _tool("store_info", "Store addresses and opening hours on a date (YYYY-MM-DD).",
              store=_STRING, date=_STRING),
        "store_info",
    ),
    "promotions": (_tool("promotions", "Prices and current promotions.", product=_STRING),
                   "promotion_info"),
    "payment_methods": (_tool("payment_methods", "Accepted payment methods."), "payment_info"),
    "return_policy": (_tool("return_policy", "The return and exchange policy."), "return_request"),
}  # fmt: skip


def _system(asked: Asked, facts: str) -> str:
    return (
        f"You are the customer-service assistant of {asked.workspace.name}. Answer in "
        f"{_LANGUAGE_NAMES[asked.language]}, briefly and kindly, using ONLY the facts below and "
        "what the tools return. Never invent orders, stock, prices or dates; never promise "
        "refunds or change anything; if the facts do not answer, say a person from the team "
        f"will help.\nFacts: {facts}"
    )


def _run_tool(asked: Asked, name: str, arguments: dict[str, Any]) -> Answer | None:
    if name not in TOOLS:
        return None
    _spec, skill = TOOLS[name]
    fields = ("order_ref", "product", "size", "store", "date")
    changes: dict[str, Any] = {k: str(v) for k, v in arguments.items() if k in fields and v}
    entities = dataclasses.replace(asked.understood.entities, **changes)
    understood = dataclasses.replace(asked.understood, entities=entities)
    answer: Answer = SKILLS[skill](dataclasses.replace(asked, understood=understood))
    return answer


def _post(client: httpx.Client, url: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = client.post(url, json=body, headers=headers)
    response.raise_for_status()
    found = response.json()
    if not isinstance(found, dict):
        raise ValueError("not a JSON object")
    return found


def phrase(
    asked: Asked,
    first: Answer,
    *,
    client_factory: Callable[[], httpx.Client] = lambda: httpx.Client(timeout=_TIMEOUT),
) -> str | None:
    """The model's wording of ``first`` (or of what its tools found), or None to keep ``first``."""
    settings = asked.settings
    if not (settings.llm_base_url and settings.llm_model) or first.pending or first.hand_over:
        return None
    url = settings.llm_base_url.rstrip("/") + "/chat/completions"
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": _system(asked, first.text)},
        {"role": "user", "content": asked.understood.text},
    ]
    tools = [spec for spec, _skill in TOOLS.values()]
    try:
        with client_factory() as client:
            for _round in range(_ROUNDS):
                body = {"model": settings.llm_model, "messages": messages, "tools": tools,
                        "temperature": 0.2}  # fmt: skip
                message = _post(client, url, settings.llm_api_key, body)["choices"][0]["message"]
                calls = message.get("tool_calls") or []
                if not calls:
                    content = str(message.get("content") or "").strip()
                    return content[:2000] or None
                messages.append(message)
                for call in calls:
                    arguments = json.loads(call["function"].get("arguments") or "{}")
                    result = _run_tool(asked, call["function"]["name"], arguments)
                    if result is None or result.pending or result.hand_over:
                        return None  # verification, confirmation or a person: the rules decide
                    messages.append(
                        {"role": "tool", "tool_call_id": call["id"], "content": result.text}
                    )
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("language model unavailable, the bot answers on its own: %s", exc)
    return None
