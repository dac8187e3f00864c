"""The ``mostrador`` command: the same actions as the API, for operators and scripts.

Thin: every command builds the runtime in ``bootstrap`` and calls actions. Errors print one
line and exit with status 2.
"""

from __future__ import annotations

import signal
import sys
import threading
from datetime import timedelta
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from mostrador import __version__, migrate
from mostrador.bootstrap import Runtime, settle_heap
from mostrador.cli.assistant import assistant_app
from mostrador.cli.catalog import catalog_app
from mostrador.cli.channels import channel_app
from mostrador.cli.common import CliError, err, opened_runtime, out, validated, workspace_id
from mostrador.cli.customers import customers_app, identity_app
from mostrador.core.access import actions as access
from mostrador.core.errors import MostradorError
from mostrador.core.workspaces import actions as workspace_actions
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.core.workspaces.schemas import UserInput, WorkspaceInput

app = typer.Typer(
    name="mostrador",
    help="Mostrador: one customer, one conversation, one stock, one price.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
user_app = typer.Typer(help="People who sign in.", no_args_is_help=True)
workspace_app = typer.Typer(help="Businesses (tenants).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(workspace_app, name="workspace")
app.add_typer(customers_app, name="customers")
app.add_typer(catalog_app, name="catalog")
app.add_typer(channel_app, name="channel")
app.add_typer(assistant_app, name="assistant")
app.add_typer(identity_app, name="identity")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")


def _version(value: bool) -> None:
    if value:
        out.print(f"mostrador {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Mostrador command line."""


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations to DATABASE_URL."""
    with opened_runtime(check_schema=False) as runtime:
        migrate.upgrade(runtime.engine)
        out.print(f"database at revision {migrate.current_revision(runtime.engine)}")


def _demo_seeded(runtime: Runtime) -> bool:
    with runtime.uow.read() as session:
        try:
            workspace_queries.workspace_by_slug(session, "demo")
        except MostradorError:
            return False
        return True


def _seed(runtime: Runtime, customers: int, months: int, seed: int) -> None:
    from mostrador.demo import seed_demo

    if _demo_seeded(runtime):
        raise CliError(
            "the demo business is already seeded (workspace 'demo')", code="already_seeded"
        )

    with Progress(
        TextColumn("[bold]Sembrando clientes"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task("seed", total=customers)
        sales: TaskID | None = None

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        def sold(orders: int) -> None:
            nonlocal sales
            if sales is None:  # the history's length is known only as it is generated
                sales = progress.add_task("[bold]Historial de compras", total=None)
            progress.update(sales, completed=orders)

        report = seed_demo(
            runtime,
            customers=customers,
            months=months,
            seed=seed,
            progress=advance,
            orders_progress=sold,
        )
    out.print(
        f"seeded workspace demo: {report.customers} customers, {report.identifiers} identifiers, "
        f"{report.products} products, {report.orders} past orders, "
        f"{report.conversations} conversations, "
        f"{report.locations} locations, {report.users} users in {report.elapsed_seconds:.1f} s"
    )


@app.command()
def seed(
    customers: Annotated[
        int, typer.Option(min=1, max=2_000_000, help="How many customers.")
    ] = 2000,
    months: Annotated[int, typer.Option(min=1, max=120, help="Months of history.")] = 24,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same business.")
    ] = 42,
) -> None:
    """Create the demo business (workspace `demo`) with realistic customers and history."""
    with opened_runtime() as runtime:
        _seed(runtime, customers, months, seed)


def _print_logins() -> None:
    from mostrador.demo import DEMO_LOGINS, DEMO_PASSWORD

    for email, role in DEMO_LOGINS:
        out.print(f"  {email:<26} {role:<12} contraseña: {DEMO_PASSWORD}")


def _serve(runtime: Runtime, host: str, port: int) -> None:
    import uvicorn

    from mostrador import mail_intake
    from mostrador.web.app import create_app
    from mostrador.worker import (
        start_inbox_thread,
        start_relay_thread,
        subscribe_consumers,
        warm_assistant,
    )

    embedded = runtime.settings.bus_url.startswith("memory")
    if embedded:  # with a broker, `mostrador worker` processes run the consumers
        subscribe_consumers(runtime)
        warm_assistant()
    stop_relay = start_relay_thread(runtime) if embedded else None
    # Threading and sending run here too: a delivery is in the inbox moments after its
    # webhook was answered (workers, if any, share the work through row claims).
    stop_inbox = start_inbox_thread(runtime)
    receiver = mail_intake.start_receiver(runtime)
    application = create_app(runtime)
    settle_heap()
    try:
        # Live streams (SSE) never end on their own: give them 5 s at shutdown, then close.
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level=runtime.settings.log_level.lower(),
            timeout_graceful_shutdown=5,
        )
    finally:
        stop_inbox.set()
        if receiver is not None:
            receiver.stop()
        if stop_relay is not None:
            stop_relay.set()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port to listen on.")] = None,
) -> None:
    """Serve the UI and the API."""
    with opened_runtime() as runtime:
        _serve(runtime, host or runtime.settings.host, port or runtime.settings.port)


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port to listen on.")] = None,
    customers: Annotated[
        int, typer.Option(min=1, help="Customers to seed if the database is empty.")
    ] = 2000,
    months: Annotated[int, typer.Option(min=1, max=120)] = 24,
    seed: Annotated[int, typer.Option()] = 42,
) -> None:
    """Migrate, seed the demo business if the database is empty, and serve it."""
    with opened_runtime(check_schema=False) as runtime:
        migrate.upgrade(runtime.engine)
        if not _demo_seeded(runtime):
            _seed(runtime, customers, months, seed)
        bind_host, bind_port = host or runtime.settings.host, port or runtime.settings.port
        out.print(
            f"\n[bold]Mostrador[/bold] en http://{bind_host}:{bind_port}  (Ctrl+C para salir)"
        )
        out.print("Ingresos de demostración:")
        _print_logins()
        _serve(runtime, bind_host, bind_port)


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="One relay pass, then exit.")] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between relay passes.")] = 5.0,
) -> None:
    """Publish events left in the outbox and run the event consumers."""
    from mostrador.worker import relay_once, run_relay

    with opened_runtime() as runtime:
        if runtime.settings.bus_url.startswith("memory"):
            # Relaying into this process's own empty bus would drop events meant for `serve`.
            raise CliError(
                "the worker needs a shared bus (MOSTRADOR_BUS_URL=nats://HOST:4222); "
                "with the in-process bus, `mostrador serve` relays events itself",
                code="worker_needs_shared_bus",
            )
        if once:
            count = relay_once(runtime, min_age=timedelta(0))
            out.print(f"relayed {count} events")
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        out.print("worker running (Ctrl+C to stop)")
        from mostrador.worker import start_inbox_thread, subscribe_consumers, warm_assistant

        subscribe_consumers(runtime)
        warm_assistant()
        settle_heap()
        stop_inbox = start_inbox_thread(runtime)
        try:
            run_relay(runtime, stop, interval=interval)
        finally:
            stop_inbox.set()


@workspace_app.command("create")
def workspace_create(
    slug: Annotated[str, typer.Option(help="Short name used in URLs, e.g. casa-aurora.")],
    name: Annotated[str, typer.Option(help="The business's name.")],
    country: Annotated[str, typer.Option(help="AR, BR, CL, CO, MX, PE, UY or ES.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code, e.g. ARS.")],
    time_zone: Annotated[str, typer.Option(help="IANA zone, e.g. America/Argentina/Buenos_Aires.")],
    language: Annotated[str, typer.Option(help="es, pt or en.")] = "es",
) -> None:
    """Open a new business."""
    data = validated(
        WorkspaceInput,
        slug=slug,
        name=name,
        country=country,
        currency=currency,
        time_zone=time_zone,
        language=language,
    )
    with opened_runtime() as runtime:
        ws = workspace_actions.create_workspace(runtime.uow, data, actor="system:cli")
        out.print(f"workspace {ws.slug} created ({ws.id})")


@token_app.command("create")
def token_create(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    role: Annotated[str, typer.Option(help="owner, admin, supervisor, agent or store_staff.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    expires_days: Annotated[int | None, typer.Option(min=1, help="Days until it expires.")] = None,
) -> None:
    """Create an API token and print it (it is shown only once)."""
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        expires = timedelta(days=expires_days) if expires_days else None
        _token, plaintext = access.issue_api_token(
            runtime.uow, ws, role=role, name=name, expires_in=expires, actor="system:cli"
        )
        typer.echo(plaintext)


@user_app.command("create")
def user_create(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    email: Annotated[str, typer.Option(help="Sign-in e-mail.")],
    role: Annotated[str, typer.Option(help="owner, admin, supervisor, agent or store_staff.")],
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="MOSTRADOR_NEW_PASSWORD",
            help="Password (or set MOSTRADOR_NEW_PASSWORD; asked if absent).",
        ),
    ] = None,
) -> None:
    """Give a person a role in a workspace (creating their user if new)."""
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(
                "no password given: use --password or MOSTRADOR_NEW_PASSWORD",
                code="missing_password",
            )
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    data = validated(
        UserInput, email=email, name=name or email.split("@")[0], password=password, role=role
    )
    with opened_runtime() as runtime:
        user = workspace_actions.add_member(
            runtime.uow, workspace_id(runtime, workspace), data, actor="system:cli"
        )
        out.print(f"{user.email} is now {role} in {workspace}")


def main() -> None:
    """Entry point: one clear line and exit status 2 for every expected failure."""
    try:
        app()
    except MostradorError as exc:
        err.print(f"error: {exc.message}", markup=False, highlight=False)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
