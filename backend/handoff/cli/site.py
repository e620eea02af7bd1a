"""`handoff site …`: connect, list, check, sync, show and remove client sites."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from handoff.app import Handoff
from handoff.cli import render
from handoff.cli.bulk import (
    concurrency_option,
    in_process_option,
    items_table,
    per_host_option,
    report_job_end,
    run_job,
)
from handoff.core.sites import normalize_tag
from handoff.errors import InvalidInputError
from handoff.wordpress.client import TRANSPORTS

pass_app = click.make_pass_decorator(Handoff)
TRANSPORT_CHOICE = click.Choice(["auto", *TRANSPORTS])


def _transport(value: str | None) -> str | None:
    return None if value in (None, "auto") else value


def _read_key(key: str | None) -> str:
    """Return the key from --key, stdin ('-') or a hidden prompt; never from shell history."""
    if key == "-":
        return sys.stdin.read().strip()
    if key:
        return key
    if not sys.stdin.isatty():
        raise InvalidInputError("No connection key given.", "pass --key KEY, or --key - to "
                                "read it from standard input", code="key_missing")
    return click.prompt("Connection key (from Settings → Handoff on the site)", hide_input=True)


@click.group()
def site() -> None:
    """Connect client sites and read their inventory."""


@site.command("add")
@click.argument("url", required=False)
@click.option("--key", "key", metavar="KEY", help="Connection key from the plugin's Connect "
              "screen; '-' reads it from standard input; prompted for when omitted.")
@click.option("--name", help="Short name to use in other commands (default: from the URL).")
@click.option("--transport", type=TRANSPORT_CHOICE, default="auto", show_default=True,
              help="Force REST or XML-RPC instead of choosing the one that works.")
@click.option("--replace", is_flag=True, help="Store a new key for a site already connected.")
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Tag the site for bulk commands (repeatable), e.g. --tag retainer.")
@pass_app
def add(app: Handoff, url: str | None, key: str | None, name: str | None, transport: str,
        replace: bool, tags: tuple[str, ...]) -> None:
    """Connect the site at URL with the connection key its plugin showed.

    The site is diagnosed first; nothing is stored unless the backend can reach it.
    """
    for tag in tags:  # refuse a bad tag before connecting
        normalize_tag(tag)
    result = app.sites.add(_read_key(key), url, name=name, transport=_transport(transport),
                           replace=replace)
    if tags:
        app.sites.tag(result.site.name, add=list(tags))
    console = Console(highlight=False)
    console.print(render.diagnosis_lines(result.diagnosis))
    console.print(f"Connected [bold]{result.site.name}[/] ({result.site.url}) over "
                  f"{result.site.transport}. Next: handoff site sync {result.site.name}")


@site.command("list")
@click.option("--tag", help="Only sites with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def list_(app: Handoff, tag: str | None, as_json: bool) -> None:
    """List connected sites with versions, transport, last sync, health and menu profile."""
    sites = app.sites.list(tag)
    console = Console(highlight=False)
    if as_json:
        render.print_json(console, [render.site_as_dict(s) for s in sites])
    elif not sites:
        console.print("No sites yet. Connect one: handoff site add URL --key KEY")
    else:
        console.print(render.sites_table(sites))


@site.command("check")
@click.argument("name")
@click.option("--transport", type=TRANSPORT_CHOICE, default=None,
              help="Check only this transport and keep using it from now on.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def check(app: Handoff, name: str, transport: str | None, as_json: bool) -> None:
    """Diagnose how the backend reaches a site, one line per finding, and what to fix.

    Exits with status 4 when no transport works.
    """
    diagnosis = app.sites.check(name, _transport(transport))
    console = Console(highlight=False)
    if as_json:
        render.print_json(console, render.diagnosis_as_dict(diagnosis))
    else:
        console.print(render.diagnosis_lines(diagnosis))
    if not diagnosis.ok:
        sys.exit(4)


@site.command("sync")
@click.argument("names", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every connected site.")
@click.option("--tag", help="Every site with this tag.")
@concurrency_option
@per_host_option
@in_process_option
@pass_app
def sync(app: Handoff, names: tuple[str, ...], every: bool, tag: str | None, concurrency: int,
         per_host: int, in_process: bool) -> None:
    """Fetch the inventory of sites now: plugins, themes, content types, roles, admin menu.

    NAMES, or --all / --tag. Several sites are synced as a job (queued for `handoff
    worker` when HANDOFF_REDIS_URL is set), with a progress bar and a table of results;
    exits 1 when any site failed.
    """
    chosen = app.sites.select(list(names), tag, every)
    console = Console(highlight=False)
    if len(chosen) > 1 or every or tag is not None:
        view = run_job(app, "sites.sync", {"concurrency": concurrency, "per_host": per_host},
                       [s.name for s in chosen], verb="Syncing", in_process=in_process)
        if view.items:
            console.print(items_table(view, "Inventory"))
        report_job_end(console, view)
        if view.failed:
            failed = [item["target"] for item in view.items if not item["ok"]]
            console.print(f"[red]{len(failed)} of {view.total} failed.[/] Retry them: "
                          f"handoff site sync {' '.join(failed)}", soft_wrap=True)
            raise SystemExit(1)
        return
    name = chosen[0].name
    inventory = app.sites.sync(name)
    console.print(f"Synced [bold]{name}[/]: {len(inventory['plugins'])} plugins, "
                  f"{len(inventory['themes'])} themes, {len(inventory['post_types'])} content "
                  f"types, {inventory['users']['total']} users, "
                  f"{len(inventory['admin_menu']['full'])} admin menu items.")


@site.command("show")
@click.argument("name")
@click.option("--role", help="Show the admin menu as this role sees it.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored inventory as JSON.")
@pass_app
def show(app: Handoff, name: str, role: str | None, as_json: bool) -> None:
    """Show the stored inventory of a site (run `site sync` to refresh it)."""
    site_ = app.sites.get(name)
    inventory = app.sites.latest_inventory(name)
    if inventory is None:
        raise InvalidInputError(f"'{name}' has not been synced yet.",
                                f"run: handoff site sync {name}", code="no_inventory")
    if role and role not in inventory["admin_menu"]["by_role"]:
        roles = ", ".join(sorted(inventory["admin_menu"]["by_role"]))
        raise InvalidInputError(f"The site has no role '{role}'.", f"roles: {roles}",
                                code="unknown_role")
    console = Console(highlight=False)
    if as_json:
        render.print_json(console, inventory)
    else:
        console.print(render.inventory_view(site_, inventory, role))


@site.command("tag")
@click.argument("name")
@click.argument("tags", nargs=-1)
@click.option("--remove", "removed", multiple=True, metavar="TAG",
              help="Remove this tag (repeatable).")
@pass_app
def tag(app: Handoff, name: str, tags: tuple[str, ...], removed: tuple[str, ...]) -> None:
    """Add TAGS to a site (and --remove others); bulk commands select sites by tag."""
    current = app.sites.tag(name, add=list(tags), remove=list(removed))
    Console(highlight=False).print(f"{name}: {', '.join(current) or 'no tags'}")


@site.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def remove(app: Handoff, name: str, yes: bool) -> None:
    """Forget a site and its stored inventory (the site itself is not touched).

    To revoke the backend's access, press Disconnect in Settings → Handoff on the site.
    """
    app.sites.get(name)  # unknown names fail before the question
    if not yes:
        click.confirm(f"Forget '{name}' and its stored inventory?", abort=True)
    app.sites.remove(name)
    Console(highlight=False).print(f"Removed {name}. Its bridge user still exists on the site: "
                                   "press Disconnect in Settings → Handoff to revoke it.")
