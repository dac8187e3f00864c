"""Sign-ins and credentials: the security-relevant facts the audit trail shows."""

from __future__ import annotations

from dataclasses import dataclass

from mostrador.core.events import Event, domain_event
from mostrador.core.ids import TokenId, UserId


@domain_event("access.ApiTokenIssued")
@dataclass(frozen=True, kw_only=True)
class ApiTokenIssued(Event):
    token_id: TokenId
    name: str
    role: str


@domain_event("access.UserSignedIn")
@dataclass(frozen=True, kw_only=True)
class UserSignedIn(Event):
    user_id: UserId


@domain_event("access.UserSignedOut")
@dataclass(frozen=True, kw_only=True)
class UserSignedOut(Event):
    user_id: UserId
