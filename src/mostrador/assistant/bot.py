"""The bot at work: one customer message in, at most one answer out, in the transaction
that records the message as read (``core.consumers.apply_once``), so a redelivered event
never answers twice.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from datetime import timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador import commerce, conversations
from mostrador.assistant import dialogue, llm, trained
from mostrador.assistant.entities import Vocabulary
from mostrador.assistant.events import BotAnswered, ConversationHandedOver
from mostrador.assistant.examples import LANGUAGES, Language
from mostrador.assistant.handover import closed_until, summary
from mostrador.assistant.models import AssistantSettings, BotSession, BotTurn
from mostrador.assistant.skills import Answer, Asked, run_skill
from mostrador.assistant.understanding import Context, Understanding, understand
from mostrador.assistant.wording import say
from mostrador.core.errors import MostradorError
from mostrador.core.events import Envelope
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location, Workspace, hours

__all__ = ["CONSUMER", "enabled_for", "respond"]

CONSUMER: Final = "assistant"
_VOCABULARY_TTL: Final = 60.0  # seconds a workspace's product and store names are reused
_vocabularies: dict[uuid.UUID, tuple[float, Vocabulary]] = {}
_vocabulary_lock = threading.Lock()


def _vocabulary(tx: Tx, workspace_id: uuid.UUID) -> Vocabulary:
    with _vocabulary_lock:
        cached = _vocabularies.get(workspace_id)
        if cached is not None and time.monotonic() - cached[0] < _VOCABULARY_TTL:
            return cached[1]
    products = tx.session.scalars(
        select(commerce.Product.name).where(
            commerce.Product.workspace_id == workspace_id, commerce.Product.status == "active"
        )
    ).all()
    stores = tx.session.scalars(
        select(Location.name).where(Location.workspace_id == workspace_id, Location.kind == "store")
    ).all()
    found = Vocabulary(products=tuple(products), stores=tuple(stores))
    with _vocabulary_lock:
        _vocabularies[workspace_id] = (time.monotonic(), found)
    return found


def _session(tx: Tx, workspace_id: uuid.UUID, conversation_id: uuid.UUID) -> BotSession:
    found = tx.session.get(BotSession, conversation_id)
    if found is None:
        found = BotSession(
            conversation_id=conversation_id,
            workspace_id=workspace_id,
            state="bot",
            language=None,
            unclear=0,
            pending={},
            handed_over_at=None,
            handover_reason=None,
            active_since=tx.now - timedelta(days=3650),
            updated_at=tx.now,
        )
        tx.session.add(found)
    return found


def _turn(tx: Tx, envelope: Envelope, understood: Understanding | None, outcome: str) -> BotTurn:
    event = envelope.event
    turn = BotTurn(
        message_id=event.message_id,  # type: ignore[attr-defined]
        workspace_id=envelope.workspace_id,
        conversation_id=event.conversation_id,  # type: ignore[attr-defined]
        language=understood.language if understood else "es",
        intent=understood.intent if understood else "other",
        confidence=understood.guess.confidence if understood else 0.0,
        entities=understood.entities.as_dict() if understood else {},
        escalate=understood.escalation.escalate if understood else False,
        reasons=list(understood.escalation.reasons) if understood else [],
        outcome=outcome,
        skill=None,
        reply_id=None,
        created_at=tx.now,
    )
    tx.session.add(turn)
    return turn


def respond(tx: Tx, envelope: Envelope) -> None:
    """Read one ``MessageReceived`` and answer, ask, hand over or keep quiet."""
    event = envelope.event
    if not isinstance(event, conversations.MessageReceived) or envelope.workspace_id is None:
        return
    workspace_id = envelope.workspace_id
    settings = tx.session.get(AssistantSettings, workspace_id)
    if settings is None or not settings.enabled or not event.text.strip() or event.answers_survey:
        return
    if settings.channels and event.channel not in settings.channels:
        return
    state = _session(tx, workspace_id, event.conversation_id)
    view = conversations.bot_view(
        tx, WorkspaceId(workspace_id), event.conversation_id, since=state.active_since
    )
    if view is None:
        return
    workspace = tx.session.get(Workspace, workspace_id)
    if workspace is None:
        return
    if view.person_handling or state.state == "person":
        state.state = "person"
        _turn(tx, envelope, None, "silent")
        return
    default: Language = workspace.language[:2] if workspace.language[:2] in LANGUAGES else "es"  # type: ignore[assignment]
    understood = understand(
        trained.classifier(),
        event.text,
        Context(
            previous_language=state.language,  # type: ignore[arg-type]
            default_language=default,
            unanswered_messages=view.unanswered,
            vocabulary=_vocabulary(tx, workspace_id),
            region=workspace.country,
        ),
        today=tx.now.astimezone(hours.zone(workspace.time_zone)).date(),
    )
    state.language = understood.language
    step = dialogue.plan(
        understood, person_handling=False, unclear_before=state.unclear, pending=state.pending
    )
    _act(tx, workspace, state, view, envelope, understood, step, settings)
    state.updated_at = tx.now


def _act(
    tx: Tx,
    workspace: Workspace,
    state: BotSession,
    view: conversations.BotView,
    envelope: Envelope,
    understood: Understanding,
    step: dialogue.Plan,
    settings: AssistantSettings,
) -> None:
    language: Language = understood.language
    conversation = view.conversation
    if step.step == "hand_over":
        _hand_over(tx, workspace, state, view, envelope, understood, step.reason or "asked")
        return
    if step.step == "ask_again":
        state.unclear += 1
        turn = _turn(tx, envelope, understood, "asked")
        turn.reply_id = conversations.bot_reply(
            tx, WorkspaceId(workspace.id), conversation, say("ask_again", language)
        ).id
        return
    state.unclear = 0
    if step.step == "decline":
        state.pending = {}
        turn = _turn(tx, envelope, understood, "answered")
        turn.reply_id = conversations.bot_reply(
            tx, WorkspaceId(workspace.id), conversation, say("cancelled", language)
        ).id
        return
    if step.step == "confirm":
        pending, state.pending = dict(state.pending), {}
        if pending.get("action") == "book_pickup":
            _book_pickup(tx, workspace, state, view, envelope, understood, pending)
            return
        # Changes about money (a return, a refund) are finished by a person, with the context.
        _hand_over(tx, workspace, state, view, envelope, understood, "confirmed_return")
        return
    answer = _answer(tx, workspace, state, understood, settings)
    if answer.hand_over:
        _hand_over(tx, workspace, state, view, envelope, understood, answer.hand_over)
        return
    state.pending = {**answer.pending, "skill": answer.skill} if answer.pending else {}
    turn = _turn(tx, envelope, understood, "answered")
    turn.skill = answer.skill
    reply = conversations.bot_reply(tx, WorkspaceId(workspace.id), conversation, answer.text)
    turn.reply_id = reply.id
    tx.record(
        BotAnswered(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            message_id=reply.id,
            intent=understood.intent,
            skill=answer.skill,
        )
    )


def _answer(
    tx: Tx,
    workspace: Workspace,
    state: BotSession,
    understood: Understanding,
    settings: AssistantSettings,
) -> Answer:
    asked = Asked(
        session=tx.session,
        workspace=workspace,
        customer_id=_customer_of(tx, state),
        understood=understood,
        language=understood.language,
        pending=state.pending,
        settings=settings,
        now=tx.now,
    )
    try:
        answer = run_skill(asked)
    except Exception:  # a skill that fails must not leave the customer unanswered
        return Answer("", "failed", hand_over="skill_failed")
    worded = llm.phrase(asked, answer)
    return dataclasses.replace(answer, text=worded) if worded else answer


def _book_pickup(
    tx: Tx,
    workspace: Workspace,
    state: BotSession,
    view: conversations.BotView,
    envelope: Envelope,
    understood: Understanding,
    pending: dict[str, Any],
) -> None:
    """The customer said yes: a pickup order at the store (stock reserved, paid at pickup)."""
    conversation = view.conversation
    channel = (
        conversation.last_channel if conversation.last_channel in commerce.ORDER_CHANNELS else "web"
    )
    order = commerce.OrderInput.model_validate(
        {
            "channel": channel,
            "customer": {"id": str(conversation.customer_id)},
            "lines": [{"sku": pending["sku"], "quantity": 1}],
            "fulfillment": {"type": "pickup", "location": pending["location"]},
            # The message that confirmed: a redelivered confirmation finds this order again.
            "external_id": f"bot:{envelope.event.message_id}",  # type: ignore[attr-defined]
        }
    )
    try:
        with tx.session.begin_nested():
            placed = commerce.place_order_in(tx, WorkspaceId(workspace.id), order)
    except MostradorError:
        _hand_over(tx, workspace, state, view, envelope, understood, "skill_failed")
        return
    text = say(
        "pickup_booked",
        understood.language,
        product=pending["product"],
        store=pending["store"],
        code=placed.order.pickup_code or "",
    )
    turn = _turn(tx, envelope, understood, "answered")
    turn.skill = "book_pickup"
    reply = conversations.bot_reply(tx, WorkspaceId(workspace.id), conversation, text)
    turn.reply_id = reply.id
    tx.record(
        BotAnswered(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            message_id=reply.id,
            intent=understood.intent,
            skill="book_pickup",
        )
    )


def _customer_of(tx: Tx, state: BotSession) -> uuid.UUID:
    conversation = tx.session.get(conversations.Conversation, state.conversation_id)
    if conversation is None:
        raise LookupError("the conversation disappeared")  # a skill failure: hands over
    return conversation.customer_id


def _hand_over(
    tx: Tx,
    workspace: Workspace,
    state: BotSession,
    view: conversations.BotView,
    envelope: Envelope,
    understood: Understanding,
    reason: str,
) -> None:
    conversation = view.conversation
    pending: dict[str, Any] = dict(state.pending)
    note = summary(understood, reason, view.recent, pending)
    state.state = "person"
    state.handed_over_at = tx.now
    state.handover_reason = reason
    state.pending = {}
    state.unclear = 0
    when = closed_until(tx.session, workspace, tx.now, understood.language)
    text = (
        say("handover_closed", understood.language, when=when)
        if when
        else say("handover", understood.language)
    )
    turn = _turn(tx, envelope, understood, "handed_over")
    turn.skill = reason
    # The customer is told first; then the conversation goes back to the people's queue.
    turn.reply_id = conversations.bot_reply(tx, WorkspaceId(workspace.id), conversation, text).id
    conversations.hand_to_person(
        tx, WorkspaceId(workspace.id), conversation, note, urgent=understood.escalation.escalate
    )
    tx.record(
        ConversationHandedOver(
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            reason=reason,
            intent=understood.intent,
            summary=note,
        )
    )


def enabled_for(session: Session, workspace_id: uuid.UUID) -> bool:
    """Whether the workspace's bot is on (a cheap read before the once-only transaction)."""
    found = session.get(AssistantSettings, workspace_id)
    return found is not None and found.enabled
