"""The assistant: understands a customer's message (language, intent, entities, escalation),
answers from live data, does simple tasks and hands over to a person with the context.

Other contexts and entry points import only what this module exports.
"""

from mostrador.assistant import actions, queries
from mostrador.assistant.bot import CONSUMER, enabled_for, respond
from mostrador.assistant.bot_control import give_to_bot, take_from_bot
from mostrador.assistant.classifier import Classifier, IntentGuess
from mostrador.assistant.entities import Entities, Vocabulary
from mostrador.assistant.escalation import Escalation
from mostrador.assistant.examples import INTENTS, LANGUAGES, Intent, Language
from mostrador.assistant.schemas import AssistantSettingsInput, KnowledgeInput
from mostrador.assistant.trained import classifier
from mostrador.assistant.understanding import Context, Understanding, understand

__all__ = [
    "CONSUMER",
    "INTENTS",
    "LANGUAGES",
    "AssistantSettingsInput",
    "Classifier",
    "Context",
    "Entities",
    "Escalation",
    "Intent",
    "IntentGuess",
    "KnowledgeInput",
    "Language",
    "Understanding",
    "Vocabulary",
    "actions",
    "classifier",
    "enabled_for",
    "give_to_bot",
    "queries",
    "respond",
    "take_from_bot",
    "understand",
]
