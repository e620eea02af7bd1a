"""`handoff jobs …`: bulk jobs, wherever they run — list, show (and wait), retry."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from handoff.app import Handoff
from handoff.cli import render
from handoff.cli.bulk import items_table, watch_job
from handoff.core.jobs import JobView, kinds
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)
STATUS_STYLE = {"queued": "cyan", "running": "yellow", "done": "green", "failed": "red"}


def _console() -> Console:
    return Console(highlight=False)


def jobs_table(views: list[JobView]) -> Table:
    table = Table(header_style="bold")
    for column in ("Job", "Title", "Status", "Done", "Failed", "By", "Created"):
        table.add_column(column, overflow="fold")
    for view in views:
        table.add_row(view.id, view.title, Text(view.status, style=STATUS_STYLE[view.status]),
                      f"{view.done}/{view.total}", str(view.failed), view.actor,
                      render.when(view.created_at))
    return table


@click.group()
def jobs() -> None:
    """Bulk jobs (menu push, sync, handover check of many sites): progress and results.

    With HANDOFF_REDIS_URL set, jobs run in `handoff worker` processes; see
    docs/workers.md.
    """


@jobs.command("list")
@click.option("--kind", help="Only jobs of this kind (menu.push, sites.sync, handover.check).")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True,
              help="How many of the newest jobs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def list_(app: Handoff, kind: str | None, limit: int, as_json: bool) -> None:
    """List the newest jobs and how far each got."""
    if kind is not None and kind not in kinds():
        raise InvalidInputError(f"There is no job kind {kind!r}.",
                                f"use one of: {', '.join(sorted(kinds()))}", code="job_kind")
    views, total = app.jobs.list(limit=limit, kind=kind)
    console = _console()
    if as_json:
        render.print_json(console, {"total": total, "jobs": [v.as_dict() for v in views]})
        return
    if not views:
        console.print("No jobs yet.")
        return
    console.print(jobs_table(views))


@jobs.command("show")
@click.argument("job_id")
@click.option("--wait", is_flag=True, help="Wait until the job has finished.")
@click.option("--timeout", type=click.IntRange(1), default=3600, show_default=True,
              help="With --wait: give up waiting after this many seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def show(app: Handoff, job_id: str, wait: bool, timeout: int, as_json: bool) -> None:
    """Show a job: its state and every site's outcome so far.

    Exits 1 when the job failed or any site failed.
    """
    view = app.jobs.wait(job_id, timeout=timeout, interval=0.5) if wait else app.jobs.get(job_id)
    console = _console()
    if as_json:
        render.print_json(console, view.as_dict(with_params=False))
        if view.status == "failed" or view.failed:
            raise SystemExit(1)
        return
    _print_view(console, view)


def _print_view(console: Console, view: JobView) -> None:
    """A job's state and each site's outcome; exit 1 when the job or any site failed."""
    attempts = f", attempt {view.attempts}" if view.attempts > 1 else ""
    console.print(Text(f"{view.title} — {view.status}{attempts}, {view.done}/{view.total} "
                       f"done, {view.failed} failed", style="bold"))
    if view.error:
        console.print(view.error, soft_wrap=True)
    if view.items:
        console.print(items_table(view))
    if view.status == "failed" or view.failed:
        raise SystemExit(1)


@jobs.command("retry")
@click.argument("job_id")
@pass_app
def retry(app: Handoff, job_id: str) -> None:
    """Start a failed job again, for its sites without a result.

    Sites that were done keep their result; a finished job's failed sites are retried
    with a new job instead (the command its results name). Without Redis the job runs in
    this command, with a progress bar, and its results are printed as by `jobs show`
    (exit 1 when any site failed); with workers it is queued for them.
    """
    view = app.jobs.retry(job_id)
    left = view.total - view.done
    if app.jobs.runner.name != "inprocess":
        _console().print(f"Job {view.id} queued again for {left} sites. "
                         f"Follow it: handoff jobs show {view.id} --wait", soft_wrap=True)
        return
    # Run here: this command's threads do the work, so it stays until the job ends.
    _print_view(_console(), watch_job(app.jobs, view.id, verb="Retrying",
                                      total=view.total))
