"""The assistant over HTTP: its settings, the knowledge base, a message understood, and the
bot's part in a conversation (its log; handing the conversation back to it)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from mostrador import assistant
from mostrador.core.access import Permission, Principal
from mostrador.core.errors import NotFound
from mostrador.web.deps import RuntimeDep, allowed

router = APIRouter(tags=["assistant"])

Viewer = Annotated[Principal, Depends(allowed(Permission.VIEW_INBOX))]
Worker = Annotated[Principal, Depends(allowed(Permission.WORK_INBOX))]
Manager = Annotated[Principal, Depends(allowed(Permission.MANAGE_INBOX))]


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"no such {what}", code=f"{what}_not_found") from None


@router.get("/assistant/settings")
def settings(runtime: RuntimeDep, principal: Viewer) -> dict[str, Any]:
    with runtime.uow.read() as session:
        return assistant.queries.settings_document(session, principal.workspace_id)


@router.put("/assistant/settings")
def save_settings(
    data: assistant.AssistantSettingsInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    assistant.actions.save_settings(
        runtime.uow, principal.workspace_id, data, actor=principal.actor
    )
    with runtime.uow.read() as session:
        return assistant.queries.settings_document(session, principal.workspace_id)


@router.get("/assistant/knowledge")
def knowledge(runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return assistant.queries.knowledge(session, principal.workspace_id)


@router.post("/assistant/knowledge", status_code=201)
def add_knowledge(
    data: assistant.KnowledgeInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    entry = assistant.actions.add_knowledge(
        runtime.uow, principal.workspace_id, data, actor=principal.actor
    )
    return {"id": str(entry.id), **data.model_dump()}


@router.put("/assistant/knowledge/{entry_id}")
def change_knowledge(
    entry_id: str, data: assistant.KnowledgeInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    entry = assistant.actions.change_knowledge(
        runtime.uow,
        principal.workspace_id,
        _uuid(entry_id, "knowledge_entry"),
        data,
        actor=principal.actor,
    )
    return {"id": str(entry.id), **data.model_dump()}


@router.delete("/assistant/knowledge/{entry_id}", status_code=204)
def remove_knowledge(entry_id: str, runtime: RuntimeDep, principal: Manager) -> None:
    assistant.actions.remove_knowledge(
        runtime.uow,
        principal.workspace_id,
        _uuid(entry_id, "knowledge_entry"),
        actor=principal.actor,
    )


class ClassifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000)
    previous_language: assistant.Language | None = None


@router.post("/assistant/classify")
async def classify(data: ClassifyIn, principal: Viewer) -> dict[str, Any]:
    """How the bot reads a message (for trying phrasings from the settings screen)."""
    model = await run_in_threadpool(assistant.classifier)
    understood = assistant.understand(
        model,
        data.text,
        assistant.Context(previous_language=data.previous_language),
        today=date.today(),  # noqa: DTZ011 - the server's date anchors "mañana"
    )
    return understood.as_dict()


@router.get("/conversations/{conversation_id}/bot")
def bot(conversation_id: str, runtime: RuntimeDep, principal: Viewer) -> dict[str, Any]:
    with runtime.uow.read() as session:
        return assistant.queries.bot_in_conversation(
            session, principal.workspace_id, _uuid(conversation_id, "conversation")
        )


@router.post("/conversations/{conversation_id}/bot/resume")
def resume(conversation_id: str, runtime: RuntimeDep, principal: Worker) -> dict[str, Any]:
    found = _uuid(conversation_id, "conversation")
    assistant.actions.hand_back(runtime.uow, principal.workspace_id, found, actor=principal.actor)
    with runtime.uow.read() as session:
        return assistant.queries.bot_in_conversation(session, principal.workspace_id, found)
