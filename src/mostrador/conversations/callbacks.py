"""Missed calls become callback items on the customer's thread."""

from __future__ import annotations

from sqlalchemy import select

from mostrador.conversations.events import CallbackRequested
from mostrador.conversations.models import CallbackTask, Conversation, Message
from mostrador.core.ids import new_id
from mostrador.core.unit_of_work import Tx


def on_call(tx: Tx, conversation: Conversation, message: Message) -> CallbackTask | None:
    """A missed call event creates one callback item (a redelivered event none)."""
    if message.kind != "call" or message.extra.get("event") != "missed":
        return None
    call_id = str(message.extra.get("call_id") or message.provider_message_id)
    exists = tx.session.scalar(select(CallbackTask.id).where(CallbackTask.call_id == call_id))
    if exists is not None:
        return None
    task = CallbackTask(
        id=new_id(),
        workspace_id=conversation.workspace_id,
        customer_id=conversation.customer_id,
        conversation_id=conversation.id,
        phone=message.address,
        call_id=call_id,
        created_at=tx.now,
        done_at=None,
        done_by=None,
    )
    tx.session.add(task)
    tx.record(
        CallbackRequested(
            task_id=task.id, customer_id=conversation.customer_id, phone=message.address
        )
    )
    return task
