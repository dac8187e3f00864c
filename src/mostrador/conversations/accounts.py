"""Connected channel accounts: adding one, and finding the one a delivery or a reply is for."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mostrador.channels.base import CHANNEL_KINDS, AccountSettings
from mostrador.conversations.events import ChannelConnected
from mostrador.conversations.models import ChannelAccount
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx

# What each kind needs before it can receive or send (the CLI and the API check it).
REQUIRED: dict[str, tuple[str, ...]] = {
    "whatsapp": ("external_id", "access_token", "app_secret", "verify_token"),
    "instagram": ("external_id", "access_token", "app_secret", "verify_token"),
    "messenger": ("external_id", "access_token", "app_secret", "verify_token"),
    "telegram": ("external_id", "access_token", "verify_token"),
    "email": ("external_id",),
    "webchat": ("external_id", "app_secret"),
    "voice": ("external_id",),
    "store": ("external_id",),
}


@dataclass(frozen=True)
class AccountInput:
    """A channel account to connect. ``external_id`` is the provider's id of the business
    account (phone number id, Instagram account id, Page id, bot id, mailbox address, the
    web chat's public key). Secrets: ``app_secret`` signs webhooks (web chat: signs visitor
    ids), ``verify_token`` answers Meta's handshake (Telegram: the secret token header)."""

    kind: str
    external_id: str
    name: str = ""
    access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_url: str = ""
    options: dict[str, str] = field(default_factory=dict)
    main_account_id: uuid.UUID | None = None
    hub_invitation: str = ""
    sends_per_second: float = 20.0


def _check(data: AccountInput) -> None:
    if data.kind not in CHANNEL_KINDS:
        raise InvalidInput(
            f"unknown channel {data.kind!r}; use one of {', '.join(CHANNEL_KINDS)}",
            code="unknown_channel",
        )
    missing = [name for name in REQUIRED[data.kind] if not getattr(data, name).strip()]
    if missing:
        raise InvalidInput(
            f"a {data.kind} channel needs {', '.join(missing)}",
            code="missing_channel_settings",
            details={"missing": missing},
        )
    if data.api_url and not data.api_url.startswith(("http://", "https://")):
        raise InvalidInput("the API URL must start with http:// or https://", code="invalid_url")
    if not 0 < data.sends_per_second <= 1000:
        raise InvalidInput("sends per second must be between 0 and 1000", code="invalid_rate")


def connect_channel(tx: Tx, workspace_id: WorkspaceId, data: AccountInput) -> ChannelAccount:
    """Add a channel account; the same provider account cannot be connected twice."""
    _check(data)
    if data.main_account_id is not None:
        account_in(tx.session, workspace_id, data.main_account_id)
    account = ChannelAccount(
        id=new_id(),
        workspace_id=workspace_id,
        kind=data.kind,
        name=data.name.strip() or f"{data.kind} {data.external_id}",
        external_id=data.external_id.strip(),
        access_token=data.access_token,
        app_secret=data.app_secret,
        verify_token=data.verify_token,
        api_url=data.api_url.rstrip("/"),
        options=dict(data.options),
        main_account_id=data.main_account_id,
        hub_invitation=data.hub_invitation,
        sends_per_second=data.sends_per_second,
        status="active",
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(account)
    try:
        with tx.session.begin_nested():
            tx.session.flush()
    except IntegrityError:
        raise Conflict(
            f"{data.kind} account {data.external_id} is already connected",
            code="channel_already_connected",
        ) from None
    tx.record(
        ChannelConnected(account_id=account.id, kind=account.kind, external_id=account.external_id)
    )
    return account


def account_in(
    session: Session, workspace_id: WorkspaceId, account_id: uuid.UUID
) -> ChannelAccount:
    account = session.get(ChannelAccount, account_id)
    if account is None or account.workspace_id != workspace_id:
        raise NotFound("no such channel account", code="channel_not_found")
    return account


def accounts_of_kind(session: Session, kind: str) -> Sequence[ChannelAccount]:
    """Every active account of a provider, across workspaces (webhooks name the account)."""
    return session.scalars(
        select(ChannelAccount).where(ChannelAccount.kind == kind, ChannelAccount.status == "active")
    ).all()


def workspace_accounts(session: Session, workspace_id: WorkspaceId) -> Sequence[ChannelAccount]:
    return session.scalars(
        select(ChannelAccount)
        .where(ChannelAccount.workspace_id == workspace_id)
        .order_by(ChannelAccount.created_at)
    ).all()


def settings_of(account: ChannelAccount) -> AccountSettings:
    """What the adapter needs to send for this account."""
    return AccountSettings(
        account=account.external_id,
        access_token=account.access_token,
        app_secret=account.app_secret,
        verify_token=account.verify_token,
        api_url=account.api_url,
        options={str(k): str(v) for k, v in account.options.items()},
    )
