"""CSAT: after a resolution the customer is asked on the channel they used; a reply that
reads as a score ("5", "muy bien", "⭐⭐⭐⭐") answers the survey without reopening."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from mostrador.conversations.csat import csat_question, parse_csat_reply
from mostrador.conversations.events import CsatAnswered, CsatRequested
from mostrador.conversations.models import Conversation, CsatSurvey, Message
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx

ANSWER_WINDOW = timedelta(days=3)


def open_survey(tx: Tx, conversation: Conversation, at_or_after: Message) -> CsatSurvey | None:
    return tx.session.scalars(
        select(CsatSurvey)
        .where(
            CsatSurvey.conversation_id == conversation.id,
            CsatSurvey.answered_at.is_(None),
            CsatSurvey.sent_at >= at_or_after.sent_at - ANSWER_WINDOW,
        )
        .order_by(CsatSurvey.sent_at.desc())
        .limit(1)
    ).first()


def is_answer(tx: Tx, conversation: Conversation, message: Message) -> bool:
    """Whether an inbound message on a resolved conversation answers its open survey."""
    if message.kind != "text" or parse_csat_reply(message.text) is None:
        return False
    return open_survey(tx, conversation, message) is not None


def record_answer(tx: Tx, conversation: Conversation, message: Message) -> None:
    survey = open_survey(tx, conversation, message)
    score = parse_csat_reply(message.text)
    if survey is None or score is None:
        return
    survey.score = score
    survey.reply_text = message.text[:1000]
    survey.answered_at = message.sent_at
    tx.record(
        CsatAnswered(
            survey_id=survey.id,
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            channel=message.channel,
            score=score,
        )
    )


def ask(
    tx: Tx, workspace_id: WorkspaceId, conversation: Conversation, language: str
) -> CsatSurvey | None:
    """Queue the question on the customer's last channel (if it can still be sent there)."""
    from mostrador.conversations.replies import ReplyInput, queue_reply  # replies imports threads
    from mostrador.core.errors import MostradorError

    try:
        message = queue_reply(
            tx,
            workspace_id,
            conversation,
            ReplyInput(text=csat_question(language)),
            author_id=None,
            author_kind="system",
        )
    except MostradorError:
        return None  # no channel to ask on, or its window is closed: no survey
    survey = CsatSurvey(
        id=new_id(),
        workspace_id=workspace_id,
        conversation_id=conversation.id,
        customer_id=conversation.customer_id,
        channel=message.channel,
        sent_at=tx.now,
        score=None,
        reply_text=None,
        answered_at=None,
    )
    tx.session.add(survey)
    tx.record(
        CsatRequested(
            survey_id=survey.id,
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            channel=message.channel,
        )
    )
    return survey
