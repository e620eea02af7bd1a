"""`handoff demo`: the whole bridge on a throwaway local WordPress."""

from __future__ import annotations

import click
from rich.columns import Columns
from rich.console import Console

from handoff.app import Handoff
from handoff.cli import render
from handoff.cli.sandbox import default_sandbox_dir
from handoff.demo import run_demo

pass_app = click.make_pass_decorator(Handoff)


@click.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Where the sandbox lives (default: var/sandbox in the working tree).")
@pass_app
def demo(app: Handoff, directory: str | None) -> None:
    """Start a local WordPress, connect it, show its inventory and simplify its menu.

    The sandbox keeps running afterwards so you can explore it; stop it with
    `handoff sandbox stop`.
    """
    console = Console(highlight=False)
    result = run_demo(app, default_sandbox_dir(directory), lambda text: console.print(text))
    site = app.sites.get(result.site_name)
    console.print(render.inventory_view(site, result.inventory, role=None))
    console.print(Columns([
        render.menu_tree(result.menu_before, "The client's menu before (editor)"),
        render.menu_tree(result.menu_after,
                         f"…and with the menu profile (v{result.pushed.version})"),
    ], padding=(0, 4)))
    console.print(f"Handbook: {result.handbook_chapters} "
                  f"chapters in {result.handbook_file}, and published as \"Site Handbook\" "
                  "in the client's wp-admin.")
    findings = [item for item in result.handover.items if item.status == "fail"]
    console.print(f"Handover check: [bold]{result.handover.verdict}[/] — "
                  f"{len(findings)} failing checks on this fresh site, e.g. "
                  + "; ".join(f"{item.id} ({item.detail})" for item in findings[:3])
                  + f". See them all: handoff handover check {result.site_name}")
    sandbox = result.sandbox
    console.print(
        f"\n[bold]Explore:[/] {sandbox.url}/wp-admin/ — developer [bold]{sandbox.admin_login}[/] "
        f"/ {sandbox.admin_password}, client [bold]{sandbox.client_login}[/] / "
        f"{sandbox.client_password}\n"
        f"Log in as the client to see the simplified menu; Tools or Settings by URL answer 403.\n"
        f"Try: handoff site list · handoff menu status {result.site_name} · "
        f"handoff handbook build {result.site_name} --format pdf · "
        f"handoff handover report {result.site_name} --format pdf · "
        f"handoff menu diff {result.site_name} preset:blogger · "
        f"handoff menu rollback {result.site_name} · "
        f"handoff serve (the dashboard, with the same sites)\n"
        "Stop the sandbox: handoff sandbox stop")
