"""The demo business's assistant: switched on, with its payment methods and a few answers
the shop wrote in its knowledge base (in each of its customers' languages)."""

from __future__ import annotations

from mostrador import assistant
from mostrador.bootstrap import Runtime
from mostrador.core.ids import WorkspaceId

ACTOR = "demo:seed"
KNOWLEDGE = (
    ("es", "¿Hacen envíos a todo el país?",
     "Sí: enviamos a todo el país por correo en 3 a 6 días hábiles; gratis desde $60.000."),
    ("es", "¿Tienen gift cards?",
     "Sí, hay gift cards de $10.000, $20.000 y $50.000 en los locales y en la tienda online."),
    ("es", "¿Hacen factura A?",
     "Sí: al comprar, indique su CUIT y la razón social y la factura A llega por e-mail."),
    ("pt", "Vocês enviam para o Brasil?",
     "Por enquanto enviamos só dentro da Argentina; em breve também para o Brasil."),
    ("en", "Do you ship internationally?",
     "Not yet: we ship within Argentina only (3 to 6 working days)."),
)  # fmt: skip


def seed_assistant(runtime: Runtime, workspace_id: WorkspaceId) -> int:
    """Switch the bot on and write its knowledge base; returns how many answers."""
    assistant.actions.save_settings(
        runtime.uow,
        workspace_id,
        assistant.AssistantSettingsInput(
            enabled=True,
            payment_methods=["cash", "card", "debit_card", "transfer", "mercado_pago"],
            instalments="Hasta 6 cuotas sin interés con tarjetas de crédito bancarias.",
        ),
        actor=ACTOR,
    )
    for language, question, answer in KNOWLEDGE:
        assistant.actions.add_knowledge(
            runtime.uow,
            workspace_id,
            assistant.KnowledgeInput(language=language, question=question, answer=answer),
            actor=ACTOR,
        )
    return len(KNOWLEDGE)
