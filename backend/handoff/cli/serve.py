"""`handoff serve`: the web dashboard and JSON API on this machine."""

from __future__ import annotations

import ipaddress

import click
from rich.console import Console

from handoff.app import Handoff
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; only loopback addresses unless --allow-remote.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a non-loopback --host. The server speaks plain HTTP: put it behind "
                   "a TLS proxy before exposing it.")
@click.option("--create-token", "token_name", metavar="NAME",
              help="Create an API token called NAME, print it once, and exit (only its hash "
                   "is stored); the same as `handoff token create NAME`.")
@pass_app
def serve(app: Handoff, host: str, port: int, allow_remote: bool,
          token_name: str | None) -> None:
    """Run the dashboard (sites, check, sync, inventory) and the JSON API at /api/v1.

    Uses werkzeug's development server, fine for a local tool: it listens on
    127.0.0.1:8765 by default. On first visit the dashboard asks to create its login.
    API clients send `Authorization: Bearer TOKEN`; create, list and revoke tokens with
    `handoff token` or on the dashboard's API tokens page.
    The API is described at /api/openapi.json.
    """
    from handoff.web import create_app
    from handoff.web.accounts import Accounts

    console = Console(highlight=False)
    if token_name is not None:
        token = Accounts(app).create_token(token_name)
        console.print(f"API token '{token_name}' (shown once, store it now):")
        console.print(token, soft_wrap=True)
        return
    if not is_loopback(host) and not allow_remote:
        raise InvalidInputError(f"{host} is not a loopback address: the dashboard would be "
                                "reachable from other machines.", "use --host 127.0.0.1, or "
                                "add --allow-remote behind a TLS proxy", code="remote_host")
    from werkzeug.serving import run_simple

    console.print(f"Handoff dashboard on http://{host}:{port}/ (Ctrl+C stops it)")
    run_simple(host, port, create_app(app), threaded=True, use_reloader=False)
