"""What every command shares: the runtime, one-line errors, input validation, consoles."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from rich.console import Console

from mostrador import migrate
from mostrador.bootstrap import Runtime, bootstrap
from mostrador.core.errors import MostradorError
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.settings import load_settings

ModelT = TypeVar("ModelT", bound=BaseModel)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class CliError(MostradorError):
    """A problem with how the command was called."""

    default_code = "usage"


@contextmanager
def opened_runtime(*, check_schema: bool = True) -> Iterator[Runtime]:
    runtime = bootstrap(load_settings())
    try:
        runtime.check_database()
        if check_schema and migrate.current_revision(runtime.engine) != migrate.head_revision():
            raise CliError(
                "the database schema is not up to date; run `mostrador db upgrade`",
                code="schema_outdated",
            )
        yield runtime
    finally:
        runtime.close()


def validated(model: type[ModelT], **values: object) -> ModelT:
    """Validate CLI input with the same schema as the API; one readable line on failure."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "input"
        raise CliError(f"{field}: {first['msg']}", code="invalid_input") from None


def workspace_id(runtime: Runtime, slug: str) -> WorkspaceId:
    with runtime.uow.read() as session:
        return WorkspaceId(workspace_queries.workspace_by_slug(session, slug).id)
