"""`handoff serve`: the web dashboard and JSON API on this machine."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterable

import click
from rich.console import Console

from handoff.app import Handoff
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)


WILDCARDS = ("0.0.0.0", "::", "")  # every address of the machine, loopback included
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def trusted_hosts(host: str, names: Iterable[str] = ()) -> list[str]:
    """The host names the dashboard answers to: how its address is written, and `names`."""
    address = host.strip("[]").lower()
    if address in WILDCARDS or address == "localhost":
        served = list(LOOPBACK_NAMES)
    elif is_loopback(address):
        served = [address, "localhost"]
    else:
        served = [address]
    return list(dict.fromkeys([*served, *(n.strip().rstrip(".").lower() for n in names)]))


def _host_names(_ctx, _param, values: tuple[str, ...]) -> tuple[str, ...]:
    """Each --host-name as a browser sends it: lower case, IDNA, no trailing dot."""
    names = []
    for value in values:
        name = value.strip().rstrip(".").lower()
        with contextlib.suppress(UnicodeError):  # a name IDNA refuses is refused just below
            name = name.encode("idna").decode("ascii")
        if not (_NAME.fullmatch(name) or _is_address(name)):
            raise click.BadParameter(f"{value!r} is not a host name: give the name alone, "
                                     "as in --host-name handoff.example.com (no https://, "
                                     "path or port).")
        names.append(name)
    return tuple(names)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


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
                   "a TLS proxy before exposing it. The login cookie is then sent over HTTPS "
                   "only (Secure).")
@click.option("--host-name", "host_names", metavar="NAME", multiple=True,
              callback=_host_names,
              help="Also answer to requests for NAME (repeatable), e.g. the public name of "
                   "the TLS proxy in front of it. Requests for any other name are refused "
                   "with 400 (they may come from another site's page, by DNS rebinding); "
                   "the address of --host (with localhost for loopback and 0.0.0.0) is "
                   "always served.")
@click.option("--create-token", "token_name", metavar="NAME",
              help="Create an API token called NAME, print it once, and exit (only its hash "
                   "is stored); the same as `handoff token create NAME`.")
@pass_app
def serve(app: Handoff, host: str, port: int, allow_remote: bool, host_names: tuple[str, ...],
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

    names = trusted_hosts(host, host_names)
    web = create_app(app, trusted_hosts=names, remote=allow_remote)
    console.print(f"Handoff dashboard on http://{host}:{port}/ (Ctrl+C stops it)")
    console.print(f"Answers to: {', '.join(names)} (others: --host-name NAME)", soft_wrap=True)
    if allow_remote:
        console.print("The login cookie is Secure: open the dashboard through its HTTPS "
                      "proxy.")
    run_simple(host, port, web, threaded=True, use_reloader=False)
