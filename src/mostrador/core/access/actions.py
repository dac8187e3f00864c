"""Issuing and checking credentials: API tokens and browser sessions.

Secrets are shown once and stored as SHA-256 hashes; a token looks like
``mst_<prefix>_<secret>``, the prefix finding the row and the secret proving possession.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from mostrador.core.access.events import ApiTokenIssued, UserSignedIn, UserSignedOut
from mostrador.core.access.models import ApiToken, BrowserSession
from mostrador.core.access.passwords import DUMMY_HASH, verify_password
from mostrador.core.access.principal import Principal
from mostrador.core.access.roles import Role, parse_role
from mostrador.core.errors import InvalidInput, Unauthenticated
from mostrador.core.ids import TokenId, UserId, WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.core.workspaces import queries as workspace_queries

TOKEN_PATTERN = re.compile(r"^mst_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_token(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    *,
    role: str,
    name: str = "api",
    expires_in: timedelta | None = None,
    actor: str | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plaintext, which is never stored."""
    parsed = parse_role(role)
    if expires_in is not None and expires_in <= timedelta(0):
        raise InvalidInput("expiry must be in the future", code="invalid_expiry")
    prefix = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)
    token_id = TokenId(new_id())
    with uow.transaction(workspace_id, actor) as tx:
        workspace_queries.workspace_by_id(tx.session, workspace_id)
        token = ApiToken(
            id=token_id,
            workspace_id=workspace_id,
            name=name,
            role=parsed.value,
            prefix=prefix,
            secret_hash=_digest(secret),
            created_at=tx.now,
            expires_at=tx.now + expires_in if expires_in else None,
            revoked_at=None,
            last_used_at=None,
        )
        tx.session.add(token)
        tx.record(ApiTokenIssued(token_id=token_id, name=name, role=parsed.value))
    return token, f"mst_{prefix}_{secret}"


def authenticate_token(uow: UnitOfWork, presented: str) -> Principal:
    """The principal behind a bearer token, or ``Unauthenticated`` (malformed, unknown, expired)."""
    match = TOKEN_PATTERN.match(presented.strip())
    if match is None:
        raise Unauthenticated("malformed API token", code="invalid_token")
    prefix, secret = match.groups()
    now = uow.clock.now()
    with uow.read() as session:
        token = session.execute(
            select(ApiToken).where(ApiToken.prefix == prefix)
        ).scalar_one_or_none()
        expected = token.secret_hash if token else _digest("x")
        if not hmac.compare_digest(expected, _digest(secret)) or token is None:
            raise Unauthenticated("unknown API token", code="invalid_token")
        if token.revoked_at is not None:
            raise Unauthenticated("this API token was revoked", code="token_revoked")
        if token.expires_at is not None and token.expires_at <= now:
            raise Unauthenticated("this API token has expired", code="token_expired")
        return Principal(
            workspace_id=WorkspaceId(token.workspace_id),
            role=Role(token.role),
            kind="token",
            id=token.id,
        )


def sign_in(
    uow: UnitOfWork, email: str, password: str, *, session_hours: int
) -> tuple[str, Principal]:
    """Check a password and open a fresh browser session (a new id at every sign-in)."""
    email = email.strip().lower()
    with uow.read() as session:
        user = workspace_queries.user_by_email(session, email)
        ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
        if user is None or not ok or not user.is_active:
            raise Unauthenticated("wrong e-mail or password", code="invalid_credentials")
        memberships = workspace_queries.memberships_of(session, user.id)
        if not memberships:
            raise Unauthenticated("this user belongs to no workspace", code="no_workspace")
        first = memberships[0]
        user_id, workspace_id, role = user.id, WorkspaceId(first.workspace_id), Role(first.role)
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with uow.transaction(workspace_id, f"user:{user_id}") as tx:
        tx.session.add(
            BrowserSession(
                id_hash=_digest(session_id),
                user_id=user_id,
                workspace_id=workspace_id,
                csrf_token=csrf,
                created_at=tx.now,
                expires_at=tx.now + timedelta(hours=session_hours),
            )
        )
        tx.record(UserSignedIn(user_id=UserId(user_id)))
    return session_id, Principal(workspace_id, role, "user", user_id, csrf)


def authenticate_session(uow: UnitOfWork, session_id: str) -> Principal:
    """The principal behind a session cookie, or ``Unauthenticated``."""
    now: datetime = uow.clock.now()
    with uow.read() as session:
        row = session.get(BrowserSession, _digest(session_id))
        if row is None or row.expires_at <= now:
            raise Unauthenticated("please sign in", code="session_expired")
        member = workspace_queries.membership(session, WorkspaceId(row.workspace_id), row.user_id)
        if member is None:
            raise Unauthenticated("please sign in", code="session_expired")
        return Principal(
            WorkspaceId(row.workspace_id), Role(member.role), "user", row.user_id, row.csrf_token
        )


def sign_out(uow: UnitOfWork, session_id: str) -> None:
    with uow.read() as session:
        row = session.get(BrowserSession, _digest(session_id))
        if row is None:
            return
        user_id, workspace_id = row.user_id, WorkspaceId(row.workspace_id)
    with uow.transaction(workspace_id, f"user:{user_id}") as tx:
        tx.session.execute(
            delete(BrowserSession).where(BrowserSession.id_hash == _digest(session_id))
        )
        tx.record(UserSignedOut(user_id=UserId(user_id)))
