"""`handoff token`: API tokens of the dashboard's JSON API (create, list, revoke)."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from handoff.app import Handoff

pass_app = click.make_pass_decorator(Handoff)


def _accounts(app: Handoff):
    from handoff.web.accounts import Accounts  # Flask loads only for the commands using it
    return Accounts(app)


@click.group()
def token() -> None:
    """API tokens: programs send one as `Authorization: Bearer TOKEN` to /api/v1.

    Only a token's SHA-256 and its first characters (to tell tokens apart) are stored.
    The dashboard's API tokens page does the same.
    """


@token.command("create")
@click.argument("name")
@pass_app
def create(app: Handoff, name: str) -> None:
    """Create a token called NAME and print it once (names are unique, at most 100
    characters)."""
    value = _accounts(app).create_token(name)
    console = Console(highlight=False)
    console.print(f"API token '{name.strip()}' (shown once, store it now):")
    console.print(value, soft_wrap=True)


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_app
def list_(app: Handoff, as_json: bool) -> None:
    """List the tokens: name, first characters, creation time (UTC)."""
    infos = _accounts(app).list_tokens()
    if as_json:
        click.echo(json.dumps([{"name": i.name, "prefix": i.prefix,
                                "created_at": i.created_at.isoformat()} for i in infos],
                              ensure_ascii=False, indent=2))
        return
    if not infos:
        click.echo("No API tokens. Create one with: handoff token create NAME")
        return
    table = Table(header_style="bold")
    for column in ("Name", "Token", "Created (UTC)"):
        table.add_column(column, overflow="fold")
    for info in infos:
        table.add_row(info.name, f"{info.prefix}…" if info.prefix else "—",
                      info.created_at.strftime("%Y-%m-%d %H:%M"))
    Console(highlight=False).print(table)


@token.command("revoke")
@click.argument("name")
@pass_app
def revoke(app: Handoff, name: str) -> None:
    """Revoke the token called NAME: requests sending it are refused from now on."""
    accounts = _accounts(app)
    info = accounts.revoke_token(accounts.find_token(name=name).id)
    click.echo(f"Revoked the API token '{info.name}'.")
