"""The `handoff` command: thin click commands over the core."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from handoff import __version__
from handoff.app import Handoff
from handoff.errors import HandoffError
from handoff.storage import permissions


class HandoffGroup(click.Group):
    """Turns core errors into one clear message and a non-zero exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except HandoffError as error:
            console = Console(stderr=True, highlight=False)
            console.print(f"[bold red]Error:[/] {error.cause}", soft_wrap=True)
            if error.fix:
                console.print(f"[bold]Fix:[/] {error.fix}", soft_wrap=True)
            ctx.exit(error.exit_code)


@click.group(cls=HandoffGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handoff")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Hand finished WordPress sites over to their clients.

    Connect sites running the Handoff Companion plugin, read their inventory, push
    simplified admin menus, build and publish the client handbook, and run the handover
    checklist.

    Data lives in HANDOFF_HOME (default: the per-user data directory); set
    HANDOFF_DATABASE_URL to use another database, and HANDOFF_REDIS_URL to run bulk jobs
    in `handoff worker` processes.
    """
    _warn_exposed(ctx.ensure_object(Handoff))


def _warn_exposed(handoff: Handoff) -> None:
    """Say once, on stderr, which of Handoff's files other users may read (docs/database.md)."""
    console = Console(stderr=True, highlight=False)
    for exposure in permissions.report(handoff.settings):
        console.print(f"[bold yellow]Warning:[/] {exposure.cause}", soft_wrap=True)
        console.print(f"[bold]Fix:[/] {exposure.fix}", soft_wrap=True)


def _register() -> None:
    from handoff.cli.audit import audit
    from handoff.cli.db import db
    from handoff.cli.demo import demo
    from handoff.cli.handbook import handbook
    from handoff.cli.handover import handover
    from handoff.cli.intake import intake
    from handoff.cli.jobs import jobs
    from handoff.cli.menu import menu
    from handoff.cli.sandbox import sandbox
    from handoff.cli.serve import serve
    from handoff.cli.site import site
    from handoff.cli.token import token
    from handoff.cli.transfer import export, import_
    from handoff.cli.worker import worker

    main.add_command(site)
    main.add_command(menu)
    main.add_command(intake)
    main.add_command(handbook)
    main.add_command(handover)
    main.add_command(sandbox)
    main.add_command(demo)
    main.add_command(serve)
    main.add_command(jobs)
    main.add_command(worker)
    main.add_command(token)
    main.add_command(audit)
    main.add_command(export)
    main.add_command(import_)
    main.add_command(db)


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
