"""`handoff demo`: the whole bridge on a throwaway local WordPress."""

from __future__ import annotations

import click
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
    """Start a local WordPress, connect Handoff to it and show its inventory.

    The sandbox keeps running afterwards so you can explore it; stop it with
    `handoff sandbox stop`.
    """
    console = Console(highlight=False)
    result = run_demo(app, default_sandbox_dir(directory), lambda text: console.print(text))
    site = app.sites.get(result.site_name)
    console.print(render.inventory_view(site, result.inventory, role=None))
    console.print(render.inventory_view(site, result.inventory, role="editor").renderables[-1])
    sandbox = result.sandbox
    console.print(
        f"\n[bold]Explore:[/] {sandbox.url}/wp-admin/ — developer [bold]{sandbox.admin_login}[/] "
        f"/ {sandbox.admin_password}, client [bold]{sandbox.client_login}[/] / "
        f"{sandbox.client_password}\n"
        f"Try: handoff site list · handoff site check {result.site_name} · "
        f"handoff site show {result.site_name} --role editor\n"
        "Stop the sandbox: handoff sandbox stop")
