"""Hub mode: a secondary channel answers once a day per customer with an invitation to
continue on the main one (e.g. a wa.me link), while the message is threaded as usual."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from mostrador.conversations.models import ChannelAccount, Conversation, Message
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx

INVITE_EVERY = timedelta(hours=24)


def invite_if_secondary(
    tx: Tx, account: ChannelAccount, conversation: Conversation, message: Message
) -> Message | None:
    if account.main_account_id is None or not account.hub_invitation.strip():
        return None
    recent = tx.session.scalar(
        select(Message.id).where(
            Message.account_id == account.id,
            Message.address == message.address,
            Message.author_kind == "system",
            Message.extra["hub"].as_string() == "invitation",
            Message.sent_at >= tx.now - INVITE_EVERY,
        )
    )
    if recent is not None:
        return None
    from mostrador.conversations.replies import ReplyInput, queue_reply

    invitation = queue_reply(
        tx,
        WorkspaceId(account.workspace_id),
        conversation,
        ReplyInput(text=account.hub_invitation, channel=account.kind),
        author_id=None,
        author_kind="system",
    )
    invitation.extra = {"hub": "invitation"}
    return invitation
