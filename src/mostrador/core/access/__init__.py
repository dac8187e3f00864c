"""Authentication and authorization: passwords, API tokens, browser sessions, roles."""

from mostrador.core.access import actions
from mostrador.core.access.models import ApiToken, BrowserSession
from mostrador.core.access.principal import Principal
from mostrador.core.access.roles import Permission, Role, parse_role

__all__ = ["ApiToken", "BrowserSession", "Permission", "Principal", "Role", "actions", "parse_role"]
