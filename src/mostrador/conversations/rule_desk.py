"""What an automation rule may do in a conversation, inside the rule's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from mostrador import customers
from mostrador.conversations import inbox, surveys
from mostrador.conversations.models import Conversation, CsatSurvey
from mostrador.conversations.queries import labels_of
from mostrador.conversations.replies import ReplyInput, queue_reply
from mostrador.core.errors import Conflict
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx

__all__ = [
    "add_labels",
    "assign_to",
    "latest_of_customer",
    "rule_conversation",
    "rule_note",
    "rule_reply",
    "send_in_or_out_of_window",
    "send_survey",
    "set_priority",
]


def rule_conversation(
    tx: Tx, workspace_id: WorkspaceId, conversation_id: uuid.UUID
) -> Conversation | None:
    found = inbox.conversation_in(tx, workspace_id, conversation_id, lock=True)
    return None if found.merged_into_id is not None else found


def latest_of_customer(
    tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID
) -> Conversation | None:
    return tx.session.execute(
        select(Conversation)
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.customer_id == customer_id,
            Conversation.merged_into_id.is_(None),
        )
        .order_by(Conversation.last_message_at.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()


def add_labels(tx: Tx, conversation: Conversation, labels: Sequence[str]) -> list[str]:
    current = labels_of(tx.session, [conversation.id]).get(conversation.id, [])
    return inbox.set_labels(tx, conversation, [*current, *labels])


def set_priority(tx: Tx, conversation: Conversation, priority: str) -> None:
    inbox.set_priority(tx, conversation, priority)


def assign_to(
    tx: Tx,
    workspace_id: WorkspaceId,
    conversation: Conversation,
    *,
    user_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    auto: bool,
) -> uuid.UUID | None:
    if auto and team_id is not None:
        return inbox.auto_assign(tx, workspace_id, conversation, team_id)
    inbox.assign(tx, workspace_id, conversation, user_id=user_id, team_id=team_id, how="rule")
    return user_id


def rule_reply(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, text: str
) -> uuid.UUID:
    message = queue_reply(
        tx, workspace_id, conversation, ReplyInput(text=text), author_id=None, author_kind="system"
    )
    return message.id


def send_survey(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, kind: str
) -> CsatSurvey | None:
    """Ask the survey in the customer's language; None when no channel can carry it now."""
    person = tx.session.get(customers.Customer, conversation.customer_id)
    language = person.language if person is not None else "es"
    return surveys.ask(tx, workspace_id, conversation, language, kind)  # type: ignore[arg-type]


def send_in_or_out_of_window(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, text: str, template: str | None
) -> str:
    """Free text while the channel's reply window is open, else the approved template;
    raises ``Conflict(outside_window)`` when it is closed and there is no template."""
    try:
        queue_reply(
            tx,
            workspace_id,
            conversation,
            ReplyInput(text=text),
            author_id=None,
            author_kind="system",
        )
    except Conflict as exc:
        if exc.code != "outside_window" or not template:
            raise
        person = tx.session.get(customers.Customer, conversation.customer_id)
        queue_reply(
            tx,
            workspace_id,
            conversation,
            ReplyInput(
                text=text,
                template=template,
                template_language=person.language if person is not None else "es",
            ),
            author_id=None,
            author_kind="system",
        )
        return f"sent template {template}"
    return "sent"


def rule_note(tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, text: str) -> None:
    inbox.add_note(tx, workspace_id, conversation, text, author_id=None)
