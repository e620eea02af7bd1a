"""`handoff export` and `handoff import`: the whole store as one JSON file, to move it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from handoff.app import Handoff
from handoff.cli.output import to_stdout, write_output
from handoff.core.transfer import parse_export
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)


@click.command("export")
@click.option("-o", "--output", metavar="FILE", required=True,
              help="Write the export to FILE (created readable by you only); '-' for "
                   "standard output.")
@pass_app
def export(app: Handoff, output: str) -> None:
    """Export the whole store to one JSON file, to move it.

    Sites (without their passwords), inventories, intakes, handover runs and decisions,
    saved menu profiles and the audit log. Dashboard logins, API tokens and background
    jobs are not exported. Import the file into an empty store with `handoff import FILE`,
    e.g. to move from SQLite to PostgreSQL. See docs/export-import.md.
    """
    document = app.transfer.export()
    # Compact: indenting would take Python's slow encoder, several times longer for a fleet.
    write_output(output, json.dumps(document, ensure_ascii=False) + "\n", private=True)
    if not to_stdout(output):
        Console(stderr=True, highlight=False).print(
            f"Exported {len(document['sites'])} sites, {len(document['menu_profiles'])} menu "
            f"profiles and {len(document['audit_events'])} audit events to {output}.")


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise InvalidInputError(f"Cannot read {source}: {error.strerror or error}.",
                                "name a file written by `handoff export`",
                                code="import_file") from None


@click.command("import")
@click.argument("file", metavar="FILE")
@pass_app
def import_(app: Handoff, file: str) -> None:
    """Import a file of `handoff export` into this empty store.

    The whole file is checked first and written in one transaction: all of it or nothing.
    Imported sites have no password: reconnect each with `handoff site add URL --key KEY`
    before using it. FILE '-' reads standard input. See docs/export-import.md.
    """
    source = "standard input" if file == "-" else file
    result = app.transfer.import_(parse_export(_read(file), source))
    console = Console(highlight=False)
    console.print(f"Imported {result.sites} sites ({result.snapshots} inventory snapshots, "
                  f"{result.intakes} intakes, {result.handover_runs} handover runs, "
                  f"{result.handover_decisions} decisions), {result.menu_profiles} menu "
                  f"profiles and {result.audit_events} audit events.")
    if result.sites:
        console.print("Sites have no connection password yet: reconnect each with "
                      "`handoff site add URL --key KEY` (a new key from Settings → Handoff "
                      "→ Connect on the site).")
