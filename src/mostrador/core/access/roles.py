"""Roles and what each may do: the one place where permissions are decided."""

from __future__ import annotations

from enum import StrEnum

from mostrador.core.errors import InvalidInput, PermissionDenied


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
    STORE_STAFF = "store_staff"


class Permission(StrEnum):
    VIEW_WORKSPACE = "workspace.view"
    MANAGE_WORKSPACE = "workspace.manage"
    MANAGE_USERS = "users.manage"
    MANAGE_TEAMS = "teams.manage"
    MANAGE_LOCATIONS = "locations.manage"
    VIEW_EVENTS = "events.view"
    MANAGE_TOKENS = "tokens.manage"
    VIEW_CUSTOMERS = "customers.view"
    EDIT_CUSTOMERS = "customers.edit"
    MERGE_CUSTOMERS = "customers.merge"
    EXPORT_CUSTOMER_DATA = "customers.export"
    ERASE_CUSTOMERS = "customers.erase"
    VIEW_CATALOG = "catalog.view"
    MANAGE_CATALOG = "catalog.manage"
    MANAGE_STOCK = "stock.manage"
    PLACE_ORDERS = "orders.place"
    MANAGE_ORDERS = "orders.manage"
    VIEW_INBOX = "inbox.view"
    WORK_INBOX = "inbox.work"
    MANAGE_INBOX = "inbox.manage"
    MANAGE_CHANNELS = "channels.manage"


_ALL = frozenset(Permission)
_STAFF = frozenset(
    {
        Permission.VIEW_WORKSPACE,
        Permission.VIEW_CUSTOMERS,
        Permission.EDIT_CUSTOMERS,
        Permission.VIEW_CATALOG,
        Permission.PLACE_ORDERS,
        Permission.MANAGE_ORDERS,
        Permission.VIEW_INBOX,
        Permission.WORK_INBOX,
    }
)

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: _ALL,
    Role.ADMIN: _ALL,
    Role.SUPERVISOR: _STAFF
    | {
        Permission.MANAGE_TEAMS,
        Permission.VIEW_EVENTS,
        Permission.MERGE_CUSTOMERS,
        Permission.MANAGE_INBOX,
    },
    Role.AGENT: _STAFF,
    Role.STORE_STAFF: _STAFF,
}


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"unknown role {value!r}; use one of {', '.join(r.value for r in Role)}",
            code="invalid_role",
        ) from None


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


def require(role: Role, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless ``role`` has ``permission``."""
    if not allows(role, permission):
        raise PermissionDenied(f"the {role.value} role may not {permission.value}")
