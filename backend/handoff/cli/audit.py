"""`handoff audit`: the append-only record of every change, filtered, as a table, JSON or CSV."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from handoff.app import Handoff
from handoff.cli.output import to_stdout, write_output
from handoff.core import audit as audit_log
from handoff.core.audit import AuditFilter
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)
RESULT_STYLE = {"ok": "green", "failed": "red"}


def _format(fmt: str | None, output: str | None) -> str:
    """The output format: as asked, else from the file's extension, else a table."""
    if fmt:
        return fmt
    if to_stdout(output):
        return "table"
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix not in audit_log.FORMATS:
        raise InvalidInputError(f"Cannot tell the format of {output!r} from its name.",
                                "add --format json or --format csv", code="format")
    return suffix


def events_table(events, total: int) -> Table:
    table = Table(header_style="bold", caption=f"{len(events)} of {total} events, newest "
                  "first (times in UTC)", caption_justify="left")
    for column in ("When", "Actor", "Action", "Site", "Result"):
        table.add_column(column, overflow="fold", no_wrap=column != "Actor")
    table.add_column("Summary", overflow="fold", ratio=1, min_width=24)
    for event in events:
        table.add_row(event.at.strftime("%Y-%m-%d %H:%M"), Text(event.actor),
                      event.action, Text(event.site),
                      Text(event.result, style=RESULT_STYLE.get(event.result, "")),
                      Text(event.summary))
    return table


@click.command("audit")
@click.option("--site", help="Only events of this site (by name; removed sites too).")
@click.option("--action", help="Only this action (e.g. menu.push), or a group (e.g. menu).")
@click.option("--actor", help="Only events by this actor (e.g. cli:sam, dashboard:admin).")
@click.option("--since", metavar="WHEN", help="From this date or time (YYYY-MM-DD or ISO "
              "time; UTC unless an offset is given).")
@click.option("--until", metavar="WHEN", help="Before this time; a date includes that whole "
              "day.")
@click.option("--result", help="Only ok or failed events.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Show at most this many events, newest first; 0 for all.")
@click.option("--format", "fmt", type=click.Choice(["table", *audit_log.FORMATS]),
              help="table (default), json or csv; from the extension of -o when omitted.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE ('-' for standard output).")
@pass_app
def audit(app: Handoff, site: str | None, action: str | None, actor: str | None,
          since: str | None, until: str | None, result: str | None, limit: int,
          fmt: str | None, output: str | None) -> None:
    """Show the audit log: who changed what, when, with what result.

    Every change the backend made to a site, and every sign-off and waiver, failed
    attempts included. The log is append-only: the database refuses to change or delete
    its rows. See docs/audit.md.
    """
    where = AuditFilter.parse(site=site, action=action, actor=actor, since=since,
                              until=until, result=result)
    fmt = _format(fmt, output)
    if fmt == "table" and not to_stdout(output):
        raise InvalidInputError("A table is for reading on screen.",
                                "use --format json or --format csv with -o", code="format")
    events = app.audit.query(where, limit=limit or None)
    if fmt == "table":
        console = Console(highlight=False)
        if not events:
            console.print("No audit events match.")
        else:
            console.print(events_table(events, app.audit.count(where)))
        return
    write_output(output, audit_log.render(events, fmt))
    if not to_stdout(output):
        Console(stderr=True, highlight=False).print(f"Wrote {len(events)} events to {output}.")
