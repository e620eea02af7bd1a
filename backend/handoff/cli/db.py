"""`handoff db …`: which database the store uses, and bringing its schema up to date."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from handoff.app import Handoff
from handoff.storage.db import SchemaState, Store

pass_app = click.make_pass_decorator(Handoff)

VERDICTS = {
    "current": "no: the schema is current",
    "empty": "yes: no Handoff tables yet — run `handoff db upgrade`",
    "behind": "yes: run `handoff db upgrade`",
    "ahead": "no, Handoff is older than the database: upgrade Handoff",
}


@click.group()
def db() -> None:
    """The store's database: its status and schema upgrades.

    SQLite (the default) upgrades itself. PostgreSQL, shared by a team, is upgraded only
    by `handoff db upgrade`: until then, commands refuse to use a database whose schema is
    behind. See docs/database.md.
    """


@db.command()
@pass_app
@click.pass_context
def status(ctx: click.Context, app: Handoff) -> None:
    """Show the engine, the URL (password masked) and the schema revisions.

    Exit status 0 when the schema is current, 1 when it is not (an upgrade is needed, or
    a newer Handoff upgraded the database).
    """
    store = Store(app.settings.database_url)
    state = store.schema()
    Console(highlight=False).print(_status_table(store, state))
    ctx.exit(0 if state.status == "current" else 1)


@db.command()
@pass_app
def upgrade(app: Handoff) -> None:
    """Apply this Handoff's migrations to the database and say from which revision to which.

    Safe to run again: a current database is left as it is. Run it once after installing
    a new Handoff, before the team uses it.
    """
    store = Store(app.settings.database_url)
    before, after = store.migrate()
    console = Console(highlight=False)
    if before == after:
        console.print(f"{store.display_url} is already at revision {after}; nothing to do.",
                      soft_wrap=True)
    else:
        console.print(f"Upgraded {store.display_url} from revision {before or 'none (empty)'} "
                      f"to {after}.", soft_wrap=True)


def _status_table(store: Store, state: SchemaState) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_row("Engine", store.engine_name)
    table.add_row("URL", store.display_url)
    table.add_row("Current revision", state.current or "none (empty database)")
    table.add_row("Head revision", state.head)
    table.add_row("Upgrade needed", VERDICTS[state.status])
    return table
