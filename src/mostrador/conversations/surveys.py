"""Surveys on any channel: CSAT after a resolution, NPS and CES when asked (by a person, a
rule or a journey). A reply that reads as a score ("5", "un 9, muy rápido", "⭐⭐⭐⭐")
answers the open survey without reopening the conversation — unless it comes from a
detractor, whose conversation goes back to the people with a note: closing the loop."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from mostrador.conversations import survey_scales
from mostrador.conversations.events import CsatAnswered, CsatRequested, SurveyAnswered
from mostrador.conversations.models import Conversation, ConversationLabel, CsatSurvey, Message
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx

ANSWER_WINDOW = timedelta(days=3)
DETRACTOR_LABEL = "detractor"
_NAMES = {"csat": "CSAT", "nps": "NPS", "ces": "CES"}


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


def _scored(survey: CsatSurvey, message: Message) -> survey_scales.Scored | None:
    if message.kind != "text":
        return None
    return survey_scales.parse_reply(survey.kind, message.text)  # type: ignore[arg-type]


def is_answer(tx: Tx, conversation: Conversation, message: Message) -> bool:
    """Whether an inbound message answers the conversation's open survey."""
    survey = open_survey(tx, conversation, message)
    return survey is not None and _scored(survey, message) is not None


def record_answer(tx: Tx, conversation: Conversation, message: Message) -> None:
    survey = open_survey(tx, conversation, message)
    scored = _scored(survey, message) if survey is not None else None
    if survey is None or scored is None:
        return
    survey.score = scored.score
    survey.comment = scored.comment
    survey.reply_text = message.text[:1000]
    survey.answered_at = message.sent_at
    survey.detractor = survey_scales.is_detractor(survey.kind, scored.score)  # type: ignore[arg-type]
    if survey.kind == "csat":
        tx.record(
            CsatAnswered(
                survey_id=survey.id,
                conversation_id=conversation.id,
                customer_id=conversation.customer_id,
                channel=message.channel,
                score=scored.score,
            )
        )
    tx.record(
        SurveyAnswered(
            survey_id=survey.id,
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            channel=message.channel,
            kind=survey.kind,
            score=scored.score,
            detractor=survey.detractor,
            comment=scored.comment,
        )
    )
    if survey.detractor:
        _follow_up(tx, conversation, survey)


def _follow_up(tx: Tx, conversation: Conversation, survey: CsatSurvey) -> None:
    """A person calls or writes back: open, high priority, labelled, with the answer noted."""
    from mostrador.conversations import inbox  # inbox asks for CSAT on resolution

    workspace_id = WorkspaceId(conversation.workspace_id)
    low, high = survey_scales.SCALES[survey.kind]  # type: ignore[index]
    if conversation.status != "open":
        inbox.set_status(tx, workspace_id, conversation, "open")
    if conversation.priority in ("low", "normal"):
        inbox.set_priority(tx, conversation, "high")
    current = [label.label for label in conversation_labels(tx, conversation)]
    if DETRACTOR_LABEL not in current:
        inbox.set_labels(tx, conversation, [*current, DETRACTOR_LABEL])
    comment = f" — «{survey.comment}»" if survey.comment else ""
    inbox.add_note(
        tx,
        workspace_id,
        conversation,
        f"Encuesta {_NAMES[survey.kind]}: {survey.score} de {low}-{high}{comment}. "
        "Cliente detractor: contactar para cerrar el ciclo.",
        author_id=None,
    )


def conversation_labels(tx: Tx, conversation: Conversation) -> list[ConversationLabel]:
    return list(
        tx.session.scalars(
            select(ConversationLabel).where(ConversationLabel.conversation_id == conversation.id)
        )
    )


def ask(
    tx: Tx,
    workspace_id: WorkspaceId,
    conversation: Conversation,
    language: str,
    kind: survey_scales.Kind = "csat",
) -> CsatSurvey | None:
    """Queue the question on the customer's last channel (if it can still be sent there)."""
    from mostrador.conversations.replies import ReplyInput, queue_reply  # replies imports threads
    from mostrador.core.errors import MostradorError

    try:
        message = queue_reply(
            tx,
            workspace_id,
            conversation,
            ReplyInput(text=survey_scales.question(kind, language)),
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
        kind=kind,
        comment=None,
        detractor=False,
    )
    tx.session.add(survey)
    if kind == "csat":
        tx.record(
            CsatRequested(
                survey_id=survey.id,
                conversation_id=conversation.id,
                customer_id=conversation.customer_id,
                channel=message.channel,
            )
        )
    return survey
