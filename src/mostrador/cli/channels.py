"""``mostrador channel``: connect the business's channel accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from mostrador.cli.common import CliError, opened_runtime, out, workspace_id
from mostrador.conversations import AccountInput, actions, workspace_accounts

channel_app = typer.Typer(
    help="Channels: WhatsApp, Instagram, Messenger, Telegram, email, web chat."
)

KINDS = ("whatsapp", "instagram", "messenger", "telegram", "email", "webchat", "voice")
Opt = typer.Option


def _first(*values: str | None) -> str:
    return next((v for v in values if v), "")


@channel_app.command("add")
def add(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    workspace: Annotated[str, Opt("--workspace", help="The workspace's slug.")],
    phone_number_id: Annotated[str | None, Opt(help="WhatsApp: the phone number id.")] = None,
    page_id: Annotated[str | None, Opt(help="Messenger: the Page id.")] = None,
    account_id: Annotated[
        str | None,
        Opt("--account-id", "--instagram-account-id", help="Instagram: the account id."),
    ] = None,
    address: Annotated[str | None, Opt(help="Email: the mailbox address.")] = None,
    access_token: Annotated[
        str | None, Opt(help="Meta: the access token; Telegram: the bot token.")
    ] = None,
    bot_token: Annotated[str | None, Opt(help="Telegram: the bot token.")] = None,
    app_secret: Annotated[str | None, Opt(help="Meta: the app secret that signs webhooks.")] = None,
    verify_token: Annotated[str | None, Opt(help="Meta: the webhook verify token.")] = None,
    secret_token: Annotated[str | None, Opt(help="Telegram: the webhook secret token.")] = None,
    identity_secret: Annotated[
        str | None, Opt(help="Web chat: the secret that signs visitor ids.")
    ] = None,
    graph_url: Annotated[
        str | None, Opt(help="Send to this base URL instead of the provider's.")
    ] = None,
    api_url: Annotated[str | None, Opt(help="Same as --graph-url.")] = None,
    smtp_host: Annotated[str | None, Opt(help="Email: SMTP server for replies.")] = None,
    smtp_port: Annotated[int, Opt(help="Email: SMTP port.")] = 587,
    smtp_user: Annotated[str | None, Opt(help="Email: SMTP user.")] = None,
    smtp_password: Annotated[str | None, Opt(help="Email: SMTP password.")] = None,
    smtp_starttls: Annotated[bool, Opt(help="Email: STARTTLS before login.")] = True,
    imap_host: Annotated[str | None, Opt(help="Email: IMAP server to poll.")] = None,
    imap_port: Annotated[int, Opt(help="Email: IMAP port (SSL).")] = 993,
    imap_user: Annotated[str | None, Opt(help="Email: IMAP user.")] = None,
    imap_password: Annotated[str | None, Opt(help="Email: IMAP password.")] = None,
    name: Annotated[str, Opt(help="A name the team recognises.")] = "",
    key: Annotated[str | None, Opt(help="Web chat: the public key the widget uses.")] = None,
) -> None:
    """Connect an account; prints its id and, for webhook channels, the path to register."""
    if kind not in KINDS:
        raise CliError(
            f"unknown channel {kind!r}; use one of {', '.join(KINDS)}", code="unknown_channel"
        )
    options: dict[str, str] = {}
    if kind == "email":
        options = {
            k: v
            for k, v in {
                "smtp_host": smtp_host or "",
                "smtp_port": str(smtp_port),
                "smtp_user": smtp_user or "",
                "smtp_password": smtp_password or "",
                "smtp_starttls": "true" if smtp_starttls else "false",
                "imap_host": imap_host or "",
                "imap_port": str(imap_port),
                "imap_user": imap_user or "",
                "imap_password": imap_password or "",
                "from_address": address or "",
                "from_name": name,
            }.items()
            if v
        }
    external = _first(phone_number_id, page_id, account_id, address, key)
    if kind == "telegram" and not external:
        token = _first(bot_token, access_token)
        external = token.split(":", 1)[0] if ":" in token else ""
    data = AccountInput(
        kind=kind,
        external_id=external,
        name=name,
        access_token=_first(access_token, bot_token),
        app_secret=_first(app_secret, identity_secret),
        verify_token=_first(verify_token, secret_token),
        api_url=_first(graph_url, api_url),
        options=options,
    )
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        account = actions.add_channel(runtime.uow, ws, data, actor="cli:channel")
    out.print(f"connected {account.kind} {account.external_id} as {account.id}")
    if kind in ("whatsapp", "instagram", "messenger", "telegram"):
        out.print(f"webhook: /webhooks/{kind}")


@channel_app.command("list")
def list_channels(
    workspace: Annotated[str, Opt("--workspace", help="The workspace's slug.")],
) -> None:
    """The workspace's connected accounts (secrets are not shown)."""
    with opened_runtime() as runtime:
        ws = workspace_id(runtime, workspace)
        with runtime.uow.read() as session:
            accounts = list(workspace_accounts(session, ws))
    for account in accounts:
        out.print(f"{account.id}  {account.kind:<10} {account.external_id:<24} {account.name}")
