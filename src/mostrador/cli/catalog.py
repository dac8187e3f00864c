"""``mostrador catalog``: the catalog as CSV, in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mostrador.cli.common import CliError, opened_runtime, out, workspace_id
from mostrador.commerce import catalog_export, catalog_import, read_catalog
from mostrador.core.workspaces import queries as workspace_queries

catalog_app = typer.Typer(help="The catalog: products, variants and list prices as CSV.")

Workspace = Annotated[str, typer.Option("--workspace", help="The workspace's slug.")]
ACTOR = "cli:catalog"


@catalog_app.command("import")
def import_catalog(
    input_csv: Annotated[
        Path, typer.Argument(help="Columns product, sku, price[, barcode, category, ...].")
    ],
    workspace: Workspace,
) -> None:
    """Create products and variants; SKUs already there take the file's price."""
    try:
        text = input_csv.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {input_csv}: {exc}", code="unreadable_file") from None
    lines, rejected = read_catalog(text)
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        with runtime.uow.read() as session:
            currency = workspace_queries.workspace_by_id(session, ws).currency
        report = catalog_import(runtime.uow, ws, lines, currency, actor=ACTOR)
    for line, reason in rejected:
        out.print(f"line {line}: {reason}")
    out.print(
        f"{report.created_products} products and {report.created_variants} variants created, "
        f"{report.updated_prices} prices changed, {report.unchanged} unchanged, "
        f"{len(rejected)} lines rejected"
    )


@catalog_app.command("export")
def export_catalog(
    workspace: Workspace,
    output: Annotated[Path | None, typer.Option(help="Write here instead of printing.")] = None,
) -> None:
    """Every variant with its current list price, in the import's columns."""
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        with runtime.uow.read() as session:
            currency = workspace_queries.workspace_by_id(session, ws).currency
            text = catalog_export(session, ws, currency)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
