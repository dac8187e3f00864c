"""The inbox over HTTP: channels, conversations, messages, replies and the team's work."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mostrador.conversations import (
    AccountInput,
    ChannelAccount,
    Conversation,
    ConversationNote,
    InboxFilter,
    Message,
    ReplyInput,
    actions,
    queries,
    workspace_accounts,
)
from mostrador.core.access import Permission, Principal
from mostrador.core.errors import InvalidInput, NotFound
from mostrador.web.deps import RuntimeDep, allowed
from mostrador.web.idempotency import run_idempotent

router = APIRouter(tags=["conversations"])

Viewer = Annotated[Principal, Depends(allowed(Permission.VIEW_INBOX))]
Worker = Annotated[Principal, Depends(allowed(Permission.WORK_INBOX))]
Manager = Annotated[Principal, Depends(allowed(Permission.MANAGE_INBOX))]
ChannelManager = Annotated[Principal, Depends(allowed(Permission.MANAGE_CHANNELS))]


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"no such {what}", code=f"{what}_not_found") from None


def _user(principal: Principal) -> uuid.UUID | None:
    return principal.id if principal.kind == "user" else None


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str
    external_id: str = Field(min_length=1, max_length=320)
    name: str = Field(default="", max_length=200)
    access_token: str = Field(default="", max_length=1000)
    app_secret: str = Field(default="", max_length=500)
    verify_token: str = Field(default="", max_length=500)
    api_url: str = Field(default="", max_length=500)
    options: dict[str, str] = Field(default_factory=dict)
    main_account_id: uuid.UUID | None = None
    hub_invitation: str = Field(default="", max_length=1000)
    sends_per_second: float = 20.0


def channel_document(account: ChannelAccount) -> dict[str, Any]:
    """An account without its secrets."""
    return {
        "id": str(account.id),
        "kind": account.kind,
        "name": account.name,
        "external_id": account.external_id,
        "api_url": account.api_url,
        "main_account_id": str(account.main_account_id) if account.main_account_id else None,
        "hub_invitation": account.hub_invitation,
        "sends_per_second": account.sends_per_second,
        "status": account.status,
        "webhook_path": f"/webhooks/{account.kind}"
        if account.kind in ("whatsapp", "instagram", "messenger", "telegram")
        else None,
    }


@router.post("/channels", status_code=201)
def add_channel(data: ChannelIn, runtime: RuntimeDep, principal: ChannelManager) -> JSONResponse:
    account = actions.add_channel(
        runtime.uow,
        principal.workspace_id,
        AccountInput(**data.model_dump()),
        actor=principal.actor,
    )
    return JSONResponse(channel_document(account), 201)


@router.get("/channels")
def list_channels(runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return [channel_document(a) for a in workspace_accounts(session, principal.workspace_id)]


def conversation_document(
    c: Conversation, channels: list[str], labels: list[str]
) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "customer_id": str(c.customer_id),
        "status": c.status,
        "priority": c.priority,
        "channels": channels,
        "last_channel": c.last_channel,
        "message_count": c.message_count,
        "assignee_id": str(c.assignee_id) if c.assignee_id else None,
        "team_id": str(c.team_id) if c.team_id else None,
        "labels": labels,
        "last_message_at": c.last_message_at.isoformat(),
        "last_inbound_at": c.last_inbound_at.isoformat() if c.last_inbound_at else None,
        "last_preview": c.last_preview,
        "awaiting_reply_since": c.awaiting_reply_since.isoformat()
        if c.awaiting_reply_since
        else None,
        "first_response_at": c.first_response_at.isoformat() if c.first_response_at else None,
        "snoozed_until": c.snoozed_until.isoformat() if c.snoozed_until else None,
        "opened_at": c.opened_at.isoformat(),
        "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
        "merged_into_id": str(c.merged_into_id) if c.merged_into_id else None,
    }


def message_document(m: Message, send: tuple[int, str | None] | None = None) -> dict[str, Any]:
    return {
        "id": str(m.id),
        "conversation_id": str(m.conversation_id) if m.conversation_id else None,
        "channel": m.channel,
        "direction": m.direction,
        "kind": m.kind,
        "text": m.text,
        "subject": m.subject,
        "attachments": m.attachments,
        "provider_message_id": m.provider_message_id,
        "status": m.status,
        "status_at": m.status_at.isoformat() if m.status_at else None,
        "error": {"code": m.error_code, "reason": m.error_reason} if m.error_code else None,
        "send_attempts": send[0] if send else None,
        "last_send_error": send[1] if send else None,
        "author": m.author_kind,
        "author_id": str(m.author_id) if m.author_id else None,
        "sender_name": m.sender_name,
        "reply_to": m.reply_to,
        "sent_at": m.sent_at.isoformat(),
    }


def _one(runtime: RuntimeDep, principal: Principal, conversation_id: uuid.UUID) -> dict[str, Any]:
    with runtime.uow.read() as session:
        c = queries.conversation(session, principal.workspace_id, conversation_id)
        document = conversation_document(
            c,
            queries.channels_of(session, [c.id]).get(c.id, []),
            queries.labels_of(session, [c.id]).get(c.id, []),
        )
        document["sla"] = [
            {
                "clock": k.kind,
                "started_at": k.started_at.isoformat(),
                "due_at": k.due_at.isoformat(),
                "stopped_at": k.stopped_at.isoformat() if k.stopped_at else None,
                "warned": k.warned_at is not None,
                "breached": k.breached_at is not None,
            }
            for k in queries.sla_clocks(session, c.id)
        ]
        return document


@router.get("/conversations")
def list_conversations(
    runtime: RuntimeDep,
    principal: Viewer,
    customer_id: str | None = None,
    status: Literal["open", "pending", "snoozed", "resolved"] | None = None,
    assignee_id: str | None = None,
    unassigned: bool = False,
    team_id: str | None = None,
    label: str | None = None,
    channel: str | None = None,
    before: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """The inbox, newest activity first; filter by customer, status, agent, team, label."""
    where = InboxFilter(
        customer_id=_uuid(customer_id, "customer") if customer_id else None,
        status=status,
        assignee_id=_uuid(assignee_id, "user") if assignee_id else None,
        unassigned=unassigned,
        team_id=_uuid(team_id, "team") if team_id else None,
        label=label.strip().lower() if label else None,
        channel=channel,
        before=before,
        limit=limit,
    )
    with runtime.uow.read() as session:
        found = queries.conversations(session, principal.workspace_id, where)
        ids = [c.id for c in found]
        channels, labels = queries.channels_of(session, ids), queries.labels_of(session, ids)
        return [
            conversation_document(c, channels.get(c.id, []), labels.get(c.id, [])) for c in found
        ]


@router.get("/conversations/{conversation_id}")
def get_conversation(
    conversation_id: str, runtime: RuntimeDep, principal: Viewer
) -> dict[str, Any]:
    return _one(runtime, principal, _uuid(conversation_id, "conversation"))


@router.get("/conversations/{conversation_id}/messages")
def list_messages(
    conversation_id: str, runtime: RuntimeDep, principal: Viewer, after: AwareDatetime | None = None
) -> list[dict[str, Any]]:
    """Messages oldest first (with each queued or failed reply's send attempts and error)."""
    with runtime.uow.read() as session:
        found = queries.messages(
            session, principal.workspace_id, _uuid(conversation_id, "conversation"), after=after
        )
        sends = queries.send_errors(session, [m.id for m in found if m.direction == "outbound"])
        return [message_document(m, sends.get(m.id)) for m in found]


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", max_length=4096)
    channel: str | None = None
    template: str | None = Field(default=None, max_length=512)
    template_language: str = Field(default="es", max_length=10)
    variables: list[str] = Field(default_factory=list, max_length=20)
    attachment_url: str | None = Field(default=None, max_length=2000)
    attachment_kind: Literal["image", "audio", "video", "document"] = "image"


@router.post("/conversations/{conversation_id}/messages", status_code=201)
async def send_reply(
    conversation_id: str, data: ReplyIn, request: Request, runtime: RuntimeDep, principal: Worker
) -> JSONResponse:
    """Queue a reply on the customer's last channel (or ``channel``); 409 ``outside_window``
    when only a template may be sent."""
    target = _uuid(conversation_id, "conversation")

    def create() -> tuple[int, dict[str, Any]]:
        message = actions.reply(
            runtime.uow,
            principal.workspace_id,
            target,
            ReplyInput(
                text=data.text,
                channel=data.channel,
                template=data.template,
                template_language=data.template_language,
                variables=tuple(data.variables),
                attachment_url=data.attachment_url,
                attachment_kind=data.attachment_kind,
            ),
            author_id=_user(principal),
            actor=principal.actor,
        )
        runtime.inbox_signal.set()
        return 201, message_document(message, (0, None))

    return await run_idempotent(request, runtime, principal, create)


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "pending", "snoozed", "resolved"]
    snoozed_until: AwareDatetime | None = None


@router.post("/conversations/{conversation_id}/status")
def change_status(
    conversation_id: str, data: StatusIn, runtime: RuntimeDep, principal: Worker
) -> dict[str, Any]:
    target = _uuid(conversation_id, "conversation")
    actions.change_status(
        runtime.uow,
        principal.workspace_id,
        target,
        data.status,
        snoozed_until=data.snoozed_until,
        actor=principal.actor,
    )
    runtime.inbox_signal.set()  # a resolution may queue the CSAT question
    return _one(runtime, principal, target)


@router.post("/conversations/{conversation_id}/resolve")
def resolve(conversation_id: str, runtime: RuntimeDep, principal: Worker) -> dict[str, Any]:
    return change_status(conversation_id, StatusIn(status="resolved"), runtime, principal)


class PriorityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    priority: Literal["low", "normal", "high", "urgent"]


@router.post("/conversations/{conversation_id}/priority")
def change_priority(
    conversation_id: str, data: PriorityIn, runtime: RuntimeDep, principal: Worker
) -> dict[str, Any]:
    target = _uuid(conversation_id, "conversation")
    actions.change_priority(
        runtime.uow, principal.workspace_id, target, data.priority, actor=principal.actor
    )
    return _one(runtime, principal, target)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    auto: bool = False


@router.post("/conversations/{conversation_id}/assign")
def assign(
    conversation_id: str, data: AssignIn, runtime: RuntimeDep, principal: Worker
) -> dict[str, Any]:
    """Assign to an agent and/or team (a team change is a recorded transfer); ``auto``
    lets the team's strategy (round robin or least busy) choose."""
    target = _uuid(conversation_id, "conversation")
    actions.assign(
        runtime.uow,
        principal.workspace_id,
        target,
        user_id=data.user_id,
        team_id=data.team_id,
        auto=data.auto,
        actor=principal.actor,
    )
    return _one(runtime, principal, target)


class LabelsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    labels: list[str] = Field(max_length=30)


@router.put("/conversations/{conversation_id}/labels")
def set_labels(
    conversation_id: str, data: LabelsIn, runtime: RuntimeDep, principal: Worker
) -> dict[str, Any]:
    labels = actions.label(
        runtime.uow,
        principal.workspace_id,
        _uuid(conversation_id, "conversation"),
        data.labels,
        actor=principal.actor,
    )
    return {"labels": labels}


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)


def note_document(n: ConversationNote) -> dict[str, Any]:
    return {
        "id": str(n.id),
        "conversation_id": str(n.conversation_id),
        "author_id": str(n.author_id) if n.author_id else None,
        "text": n.text,
        "mentions": n.mentions,
        "channel": n.channel,
        "created_at": n.created_at.isoformat(),
    }


@router.post("/conversations/{conversation_id}/notes", status_code=201)
def add_note(
    conversation_id: str, data: NoteIn, runtime: RuntimeDep, principal: Worker
) -> JSONResponse:
    note = actions.note(
        runtime.uow,
        principal.workspace_id,
        _uuid(conversation_id, "conversation"),
        data.text,
        author_id=_user(principal),
        actor=principal.actor,
    )
    return JSONResponse(note_document(note), 201)


@router.get("/conversations/{conversation_id}/notes")
def list_notes(
    conversation_id: str, runtime: RuntimeDep, principal: Viewer
) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return [
            note_document(n)
            for n in queries.notes(
                session, principal.workspace_id, _uuid(conversation_id, "conversation")
            )
        ]


@router.post("/customers/{customer_id}/store-notes", status_code=201)
def note_at_counter(
    customer_id: str, data: NoteIn, runtime: RuntimeDep, principal: Worker
) -> JSONResponse:
    """What happened at the store counter, into the customer's thread."""
    note = actions.note_at_counter(
        runtime.uow,
        principal.workspace_id,
        _uuid(customer_id, "customer"),
        data.text,
        author_id=_user(principal),
        actor=principal.actor,
    )
    return JSONResponse(note_document(note), 201)


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other_id: uuid.UUID


@router.post("/conversations/{conversation_id}/merge")
def merge(
    conversation_id: str, data: MergeIn, runtime: RuntimeDep, principal: Worker
) -> dict[str, Any]:
    target = _uuid(conversation_id, "conversation")
    actions.merge(runtime.uow, principal.workspace_id, target, data.other_id, actor=principal.actor)
    return _one(runtime, principal, target)


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_message_id: uuid.UUID


@router.post("/conversations/{conversation_id}/split", status_code=201)
def split(
    conversation_id: str, data: SplitIn, runtime: RuntimeDep, principal: Worker
) -> JSONResponse:
    created = actions.split(
        runtime.uow,
        principal.workspace_id,
        _uuid(conversation_id, "conversation"),
        data.from_message_id,
        actor=principal.actor,
    )
    return JSONResponse(_one(runtime, principal, created.id), 201)


@router.get("/messages/search")
def search_messages(
    runtime: RuntimeDep,
    principal: Viewer,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """Messages matching every word (accents ignored; stems in the workspace's language on
    PostgreSQL), newest first."""
    with runtime.uow.read() as session:
        return [
            message_document(m)
            for m in queries.search_messages(session, principal.workspace_id, q, limit=limit)
        ]


@router.post("/messages/{message_id}/retry", status_code=202)
def retry(message_id: str, runtime: RuntimeDep, principal: Worker) -> dict[str, str]:
    actions.retry_message(runtime.uow, principal.workspace_id, _uuid(message_id, "message"))
    runtime.inbox_signal.set()
    return {"status": "queued"}


class AgentStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    available: bool
    capacity: int | None = Field(default=None, ge=0, le=500)


@router.put("/agents/me/status")
def my_status(data: AgentStatusIn, runtime: RuntimeDep, principal: Worker) -> dict[str, Any]:
    user = _user(principal)
    if user is None:
        raise InvalidInput("only a signed-in agent has an availability", code="not_an_agent")
    actions.set_agent_status(
        runtime.uow,
        principal.workspace_id,
        user,
        available=data.available,
        capacity=data.capacity,
        actor=principal.actor,
    )
    return {"available": data.available, "capacity": data.capacity}


class RoutingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    strategy: Literal["round_robin", "least_busy"]


@router.put("/teams/{team_id}/routing")
def team_routing(
    team_id: str, data: RoutingIn, runtime: RuntimeDep, principal: Manager
) -> dict[str, str]:
    actions.set_team_routing(
        runtime.uow,
        principal.workspace_id,
        _uuid(team_id, "team"),
        data.strategy,
        actor=principal.actor,
    )
    return {"strategy": data.strategy}


class CannedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shortcut: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=4096)


@router.put("/canned-responses")
def save_canned(data: CannedIn, runtime: RuntimeDep, principal: Manager) -> dict[str, str]:
    found = actions.save_canned_response(
        runtime.uow, principal.workspace_id, data.shortcut, data.text, actor=principal.actor
    )
    return {"id": str(found.id), "shortcut": found.shortcut, "text": found.text}


@router.get("/canned-responses")
def list_canned(
    runtime: RuntimeDep, principal: Viewer, conversation_id: str | None = None
) -> list[dict[str, str]]:
    """The team's saved replies; with ``conversation_id`` their variables are filled
    ({nombre}, {agente}...)."""
    with runtime.uow.read() as session:
        found = queries.canned_responses(session, principal.workspace_id)
        values = (
            queries.reply_variables(
                session,
                principal.workspace_id,
                _uuid(conversation_id, "conversation"),
                _user(principal),
            )
            if conversation_id
            else None
        )
        return [
            {
                "id": str(c.id),
                "shortcut": c.shortcut,
                "text": queries.fill_variables(c.text, values) if values else c.text,
            }
            for c in found
        ]


class SlaPolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    first_response_minutes: int | None = Field(default=None, gt=0)
    next_response_minutes: int | None = Field(default=None, gt=0)
    resolution_minutes: int | None = Field(default=None, gt=0)
    channels: list[str] = Field(default_factory=list)
    priorities: list[Literal["low", "normal", "high", "urgent"]] = Field(default_factory=list)
    segments: list[str] = Field(default_factory=list)
    location_id: uuid.UUID | None = None
    warn_ratio: float = Field(default=0.8, gt=0, lt=1)


@router.put("/sla-policies")
def save_sla_policy(data: SlaPolicyIn, runtime: RuntimeDep, principal: Manager) -> dict[str, Any]:
    """A named policy (created or replaced): targets in business minutes of the location."""

    def seconds(minutes: int | None) -> int | None:
        return minutes * 60 if minutes is not None else None

    policy = actions.save_sla_policy(
        runtime.uow,
        principal.workspace_id,
        name=data.name,
        first_response_seconds=seconds(data.first_response_minutes),
        next_response_seconds=seconds(data.next_response_minutes),
        resolution_seconds=seconds(data.resolution_minutes),
        channels=data.channels,
        priorities=data.priorities,
        segments=data.segments,
        location_id=data.location_id,
        warn_ratio=data.warn_ratio,
        actor=principal.actor,
    )
    return {"id": str(policy.id), "name": policy.name}


class InboxSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reopen_window_hours: int = Field(ge=0, le=2160)
    csat_enabled: bool = True
    auto_assign: bool = False
    default_team_id: uuid.UUID | None = None


@router.put("/inbox/settings")
def save_settings(data: InboxSettingsIn, runtime: RuntimeDep, principal: Manager) -> dict[str, Any]:
    actions.save_inbox_settings(
        runtime.uow,
        principal.workspace_id,
        reopen_window_hours=data.reopen_window_hours,
        csat_enabled=data.csat_enabled,
        auto_assign=data.auto_assign,
        default_team_id=data.default_team_id,
        actor=principal.actor,
    )
    return data.model_dump(mode="json")


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["csat", "nps", "ces"]


@router.post("/conversations/{conversation_id}/surveys", status_code=201)
def send_survey(
    conversation_id: str, data: SurveyIn, runtime: RuntimeDep, principal: Worker
) -> dict[str, Any]:
    found = _uuid(conversation_id, "conversation")
    survey = actions.send_survey(
        runtime.uow, principal.workspace_id, found, data.kind, actor=principal.actor
    )
    with runtime.uow.read() as session:
        listed = queries.surveys_of(session, principal.workspace_id, found)
    return next(item for item in listed if item["id"] == str(survey.id))


@router.get("/conversations/{conversation_id}/surveys")
def surveys(conversation_id: str, runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    found = _uuid(conversation_id, "conversation")
    with runtime.uow.read() as session:
        queries.conversation(session, principal.workspace_id, found)  # 404 if not ours
        return queries.surveys_of(session, principal.workspace_id, found)


class CallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    call_id: str = Field(min_length=1, max_length=180)
    event: Literal["ringing", "answered", "missed", "ended"]
    from_: str = Field(alias="from", min_length=3, max_length=40)
    to: str = Field(min_length=3, max_length=40)
    at: AwareDatetime
    direction: Literal["inbound", "outbound"] = "inbound"
    duration_seconds: int | None = Field(default=None, ge=0)
    recording_url: str | None = Field(default=None, max_length=2000)


@router.post("/calls", status_code=202)
async def call_event(
    data: CallIn, request: Request, runtime: RuntimeDep, principal: Worker
) -> JSONResponse:
    """A telephony provider's call event (ringing, answered, missed, ended); a missed call
    creates a callback item. The same call event twice is stored once."""
    body = await request.body()
    payload = data.model_dump(mode="json", by_alias=True, exclude_none=True)

    def record() -> tuple[int, dict[str, Any]]:
        stored = actions.record_call(
            runtime.uow, principal.workspace_id, payload, body, actor=principal.actor
        )
        runtime.inbox_signal.set()
        return 202, {"received": stored.new_messages, "duplicates": stored.duplicates}

    status, answer = await run_in_threadpool(record)
    return JSONResponse(answer, status)


@router.get("/callbacks")
def list_callbacks(runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return [
            {
                "id": str(t.id),
                "customer_id": str(t.customer_id),
                "conversation_id": str(t.conversation_id) if t.conversation_id else None,
                "phone": t.phone,
                "created_at": t.created_at.isoformat(),
            }
            for t in queries.callbacks(session, principal.workspace_id)
        ]


@router.post("/callbacks/{task_id}/done")
def callback_done(task_id: str, runtime: RuntimeDep, principal: Worker) -> dict[str, str]:
    task = actions.complete_callback(
        runtime.uow,
        principal.workspace_id,
        _uuid(task_id, "callback"),
        user_id=_user(principal),
        actor=principal.actor,
    )
    return {"id": str(task.id), "done_at": task.done_at.isoformat() if task.done_at else ""}


@router.post("/conversations/{conversation_id}/typing")
def typing(conversation_id: str, runtime: RuntimeDep, principal: Worker) -> dict[str, Any]:
    """The agent is typing here; ``others`` lists who else is (answer with care)."""
    user = _user(principal)
    if user is None:
        raise InvalidInput("only a signed-in agent types", code="not_an_agent")
    others = actions.typing(
        runtime.uow, principal.workspace_id, _uuid(conversation_id, "conversation"), user
    )
    return {"others": [str(o) for o in others], "collision": bool(others)}


LIVE_POLL = 1.0  # seconds between looks for new inbox events on an open stream
LIVE_LIFETIME = 600.0  # seconds before a stream ends (EventSource reconnects with Last-Event-ID)


@router.get("/inbox/stream")
async def inbox_stream(
    request: Request, runtime: RuntimeDep, principal: Viewer
) -> StreamingResponse:
    """Live inbox updates as Server-Sent Events: every conversations event of the
    workspace (new messages, assignments, statuses, SLA warnings), resumable from
    ``Last-Event-ID``. Read from the event log, so every server process sees them all."""
    last = request.headers.get("last-event-id")
    after = _uuid(last, "event") if last else None

    connected_at = runtime.clock.now()

    async def events() -> AsyncIterator[str]:
        seen = after
        waited = 0.0
        yield ": connected\n\n"
        while waited < LIVE_LIFETIME and not await request.is_disconnected():
            found = await run_in_threadpool(_inbox_events, runtime, principal, seen, connected_at)
            for event_id, kind, payload in found:
                seen = event_id
                yield f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(payload)}\n\n"
            await asyncio.sleep(LIVE_POLL)
            waited += LIVE_POLL

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


def _inbox_events(
    runtime: RuntimeDep, principal: Principal, after: uuid.UUID | None, start: datetime
) -> list[tuple[uuid.UUID, str, dict[str, Any]]]:
    """Events after the last one sent, or since the stream was opened."""
    with runtime.uow.read() as session:
        return queries.inbox_events(session, principal.workspace_id, after, start=start)
