"""``mostrador customers ...`` and ``mostrador identity ...``: the customer 360 for operators."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from mostrador.cli.common import CliError, err, opened_runtime, out, workspace_id
from mostrador.core.db import refresh_statistics
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import actions, batch, search_customers
from mostrador.customers.profiles import contact_from_record

customers_app = typer.Typer(
    help="Customer profiles: find, merge, consent, export, erase.", no_args_is_help=True
)
identity_app = typer.Typer(help="Identity resolution on files.", no_args_is_help=True)

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
ACTOR = "system:cli"


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CliError(f"{value!r} is not a {what} id", code="invalid_id") from None


@customers_app.command("find")
def find(
    workspace: Workspace,
    query: Annotated[str, typer.Argument(help="Phone, e-mail, document, @handle or name.")],
) -> None:
    """Find people by anything staff would type."""
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        with runtime.uow.read() as session:
            country = workspace_queries.workspace_by_id(session, ws).country
            for person in search_customers(session, ws, query, country=country):
                typer.echo(f"{person.id}\t{person.display_name}\t{person.city}")


@customers_app.command("merge")
def merge(
    workspace: Workspace,
    survivor: Annotated[str, typer.Argument(help="The profile that stays.")],
    other: Annotated[str, typer.Argument(help="The profile folded into it.")],
) -> None:
    """Merge two profiles of one person (undo with `customers unmerge`)."""
    with opened_runtime() as runtime:
        record = actions.merge_customers(
            runtime.uow,
            workspace_id(runtime, workspace),
            _uuid(survivor, "customer"),
            _uuid(other, "customer"),
            actor=ACTOR,
        )
        out.print(f"merged {record.merged_id} into {record.survivor_id} (merge {record.id})")


@customers_app.command("unmerge")
def unmerge(
    workspace: Workspace, merge_id: Annotated[str, typer.Argument(help="The merge to undo.")]
) -> None:
    """Undo a merge: both profiles exactly as they were."""
    with opened_runtime() as runtime:
        record = actions.unmerge_customers(
            runtime.uow, workspace_id(runtime, workspace), _uuid(merge_id, "merge"), actor=ACTOR
        )
        out.print(f"restored {record.merged_id} (merge {record.id} undone)")


@customers_app.command("suggestions")
def suggestions(workspace: Workspace) -> None:
    """Open merge suggestions, best first."""
    from mostrador.customers import queries

    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        with runtime.uow.read() as session:
            for row in queries.suggestions(session, ws, status="open"):
                typer.echo(f"{row.id}\t{row.customer_a_id}\t{row.customer_b_id}\t{row.score:.2f}")


@customers_app.command("accept")
def accept(workspace: Workspace, suggestion_id: str) -> None:
    """Accept a merge suggestion."""
    with opened_runtime() as runtime:
        record = actions.accept_suggestion(
            runtime.uow,
            workspace_id(runtime, workspace),
            _uuid(suggestion_id, "suggestion"),
            actor=ACTOR,
        )
        out.print(f"merged {record.merged_id} into {record.survivor_id} (merge {record.id})")


@customers_app.command("reject")
def reject(workspace: Workspace, suggestion_id: str) -> None:
    """Reject a merge suggestion: never suggested again."""
    with opened_runtime() as runtime:
        actions.reject_suggestion(
            runtime.uow,
            workspace_id(runtime, workspace),
            _uuid(suggestion_id, "suggestion"),
            actor=ACTOR,
        )
        out.print("rejected")


@customers_app.command("consent")
def consent(
    workspace: Workspace,
    customer_id: str,
    purpose: Annotated[str, typer.Option(help="service, marketing or analytics.")],
    grant: Annotated[bool, typer.Option("--grant/--withdraw", help="Grant or withdraw.")],
    source: Annotated[str, typer.Option(help="Where it came from (e.g. 'mostrador', 'whatsapp').")],
    channel: Annotated[str, typer.Option(help="A channel, or 'all'.")] = "all",
    evidence: Annotated[str, typer.Option(help="What proves it (a message, a form).")] = "",
) -> None:
    """Record a consent grant or withdrawal."""
    with opened_runtime() as runtime:
        row = actions.record_consent(
            runtime.uow,
            workspace_id(runtime, workspace),
            _uuid(customer_id, "customer"),
            purpose=purpose,
            channel=channel,
            granted=grant,
            source=source,
            evidence=evidence,
            actor=ACTOR,
        )
        out.print(f"{row.purpose} on {row.channel}: {'granted' if row.granted else 'withdrawn'}")


@customers_app.command("export")
def export(
    workspace: Workspace,
    customer_id: str,
    output: Annotated[
        Path | None, typer.Option(help="Write the JSON here instead of stdout.")
    ] = None,
) -> None:
    """Everything stored about a person, as JSON (audited)."""
    with opened_runtime() as runtime:
        document = actions.export_customer(
            runtime.uow,
            workspace_id(runtime, workspace),
            _uuid(customer_id, "customer"),
            actor=ACTOR,
        )
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        out.print(f"wrote {output}")


@customers_app.command("erase")
def erase(
    workspace: Workspace,
    customer_id: str,
    retention_days: Annotated[
        int, typer.Option(min=0, max=3650, help="Days until the data is purged.")
    ] = 30,
) -> None:
    """Block a person now and purge their personal data after the retention period."""
    with opened_runtime() as runtime:
        blocked = actions.request_erasure(
            runtime.uow,
            workspace_id(runtime, workspace),
            _uuid(customer_id, "customer"),
            retention=timedelta(days=retention_days),
            actor=ACTOR,
        )
        out.print(
            f"{blocked.id} blocked; purge after "
            f"{blocked.purge_after.isoformat() if blocked.purge_after else '-'}"
        )


@customers_app.command("purge-due")
def purge(workspace: Workspace) -> None:
    """Purge the people whose erasure retention has passed."""
    with opened_runtime() as runtime:
        count = actions.purge_due(runtime.uow, workspace_id(runtime, workspace), actor=ACTOR)
        out.print(f"purged {count} people")


def _report_rejected(rejected: list[tuple[int, str]]) -> None:
    for line, reason in rejected:
        err.print(f"line {line}: {reason}", markup=False, highlight=False)


@identity_app.command("resolve")
def resolve(
    input_csv: Annotated[
        Path,
        typer.Argument(
            help="Records: record_id, source, name, phone, email, handle, document, city, "
            "country[, address, postcode, birth_date]."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", help="Writes record_id, customer_id.")],
    suggestions_csv: Annotated[
        Path | None, typer.Option("--suggestions", help="Writes record_id_a, record_id_b, score.")
    ] = None,
    default_country: Annotated[
        str, typer.Option("--default-country", help="Country for numbers without a prefix.")
    ] = "AR",
) -> None:
    """Decide which records are the same person (no database needed)."""
    report = batch.resolve_file(input_csv, output, suggestions_csv, default_country.upper())
    _report_rejected(report.rejected)
    out.print(report.summary())


@identity_app.command("import")
def import_file(
    input_csv: Annotated[Path, typer.Argument(help="Same columns as `identity resolve`.")],
    workspace: Workspace,
) -> None:
    """Load customers (e.g. a POS export) into a workspace through identity resolution."""
    records, rejected = batch.read_input(input_csv)
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        with runtime.uow.read() as session:
            country = workspace_queries.workspace_by_id(session, ws).country
        contacts = [(line, contact_from_record(raw, country)) for line, raw in records]
        with Progress(
            TextColumn("[bold]Importando"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress:
            task = progress.add_task("import", total=len(contacts))
            report = actions.import_contacts(
                runtime.uow, ws, contacts, actor=ACTOR, progress=lambda n: progress.advance(task, n)
            )
        refresh_statistics(runtime.engine)
    _report_rejected(sorted([*rejected, *report.rejected]))
    out.print(
        f"{report.created} created, {report.attached} attached to existing customers, "
        f"{report.suggested} with merge suggestions, "
        f"{len(rejected) + len(report.rejected)} lines rejected"
    )
