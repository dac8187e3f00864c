"""The assistant's writers for entry points: one transaction each, events after commit."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador import conversations
from mostrador.assistant.events import BotResumed
from mostrador.assistant.models import AssistantSettings, BotSession, KnowledgeEntry
from mostrador.assistant.schemas import AssistantSettingsInput, KnowledgeInput
from mostrador.core.errors import Conflict, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork

__all__ = [
    "add_knowledge",
    "change_knowledge",
    "hand_back",
    "remove_knowledge",
    "save_settings",
]


def save_settings(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: AssistantSettingsInput, *, actor: str
) -> AssistantSettings:
    with uow.transaction(workspace_id, actor=actor) as tx:
        found = tx.session.get(AssistantSettings, workspace_id)
        if found is None:
            found = AssistantSettings(workspace_id=workspace_id, updated_at=tx.now)
            tx.session.add(found)
        found.enabled = data.enabled
        found.channels = list(data.channels)
        found.payment_methods = list(data.payment_methods)
        found.instalments = data.instalments
        found.llm_base_url = str(data.llm_base_url) if data.llm_base_url else ""
        found.llm_model = data.llm_model
        found.llm_api_key = data.llm_api_key
        found.updated_at = tx.now
        return found


def add_knowledge(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: KnowledgeInput, *, actor: str
) -> KnowledgeEntry:
    with uow.transaction(workspace_id, actor=actor) as tx:
        entry = KnowledgeEntry(
            id=new_id(),
            workspace_id=workspace_id,
            language=data.language,
            question=data.question,
            answer=data.answer,
            created_at=tx.now,
            updated_at=tx.now,
        )
        tx.session.add(entry)
        return entry


def _entry(session: Session, workspace_id: WorkspaceId, entry_id: uuid.UUID) -> KnowledgeEntry:
    found = session.get(KnowledgeEntry, entry_id)
    if not isinstance(found, KnowledgeEntry) or found.workspace_id != workspace_id:
        raise NotFound("no such knowledge entry", code="knowledge_entry_not_found")
    return found


def change_knowledge(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    entry_id: uuid.UUID,
    data: KnowledgeInput,
    *,
    actor: str,
) -> KnowledgeEntry:
    with uow.transaction(workspace_id, actor=actor) as tx:
        entry = _entry(tx.session, workspace_id, entry_id)
        entry.language, entry.question, entry.answer = data.language, data.question, data.answer
        entry.updated_at = tx.now
        return entry


def remove_knowledge(
    uow: UnitOfWork, workspace_id: WorkspaceId, entry_id: uuid.UUID, *, actor: str
) -> None:
    with uow.transaction(workspace_id, actor=actor) as tx:
        tx.session.delete(_entry(tx.session, workspace_id, entry_id))


def hand_back(
    uow: UnitOfWork, workspace_id: WorkspaceId, conversation_id: uuid.UUID, *, actor: str
) -> BotSession:
    """An agent gives the conversation back to the bot: it may answer the next message."""
    with uow.transaction(workspace_id, actor=actor) as tx:
        found = tx.session.execute(
            select(BotSession).where(
                BotSession.conversation_id == conversation_id,
                BotSession.workspace_id == workspace_id,
            )
        ).scalar_one_or_none()
        if found is None:
            raise NotFound("the bot never took part in this conversation", code="no_bot_session")
        if found.state == "bot":
            raise Conflict("the bot already has this conversation", code="bot_already_active")
        conversation = tx.session.get(conversations.Conversation, conversation_id)
        if conversation is None:
            raise NotFound("no such conversation", code="conversation_not_found")
        if conversation.assignee_id is not None:
            raise Conflict(
                "unassign the conversation before handing it back to the bot",
                code="conversation_assigned",
            )
        found.state = "bot"
        found.active_since = tx.now
        found.unclear = 0
        found.pending = {}
        found.updated_at = tx.now
        tx.record(
            BotResumed(
                conversation_id=conversation_id, customer_id=conversation.customer_id, by=actor
            )
        )
        return found
