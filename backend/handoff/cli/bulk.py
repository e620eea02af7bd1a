"""Bulk commands run as jobs: submit, show a live progress bar from the store, then the
per-site results. With HANDOFF_REDIS_URL the job goes to `handoff worker` processes;
without it (or with --in-process) threads of this command do the same work."""

from __future__ import annotations

import sys
import time

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from handoff.app import Handoff
from handoff.core.bulk import DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, MAX_CONCURRENCY
from handoff.core.jobs import QUEUED, JobView, default_title
from handoff.errors import HandoffError

POLL_SECONDS = 0.2

in_process_option = click.option(
    "--in-process", is_flag=True,
    help="Run the job in this command even when HANDOFF_REDIS_URL is set (e.g. Redis is "
         "down); the same as HANDOFF_JOBS_IN_PROCESS=1.")
concurrency_option = click.option(
    "--concurrency", type=click.IntRange(1, MAX_CONCURRENCY), default=DEFAULT_CONCURRENCY,
    show_default=True, help="Sites worked on at once (by each worker).")
per_host_option = click.option(
    "--per-host", type=click.IntRange(1, 16), default=DEFAULT_PER_HOST, show_default=True,
    help="At most this many sites of one server (IP address) at once, across all workers.")


def run_job(app: Handoff, kind: str, params: dict, names: list[str], *, verb: str,
            in_process: bool = False) -> JobView:
    """Submit a job over `names`, show its progress until it ends; return the final view."""
    jobs = app.jobs_here if in_process else app.jobs
    job_id = jobs.submit(kind, params, targets=names, title=default_title(kind, names))
    return watch_job(jobs, job_id, verb=verb, total=len(names))


def watch_job(jobs, job_id: str, *, verb: str, total: int) -> JobView:
    """A live progress bar from the store until the job ends; return the final view.

    The bar reads counts only (what it shows costs the same for ten sites or ten
    thousand); the outcomes are read once, at the end. A job run by this command's own
    threads stops with the command, so Ctrl-C says so.
    """
    columns = (TextColumn(verb), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
               TextColumn("{task.fields[note]}", style="dim"))
    try:
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task(verb, total=total, failed=0, note="")
            counts = jobs.counts(job_id)
            while not counts.finished:
                note = "waiting for a worker (handoff worker)" if counts.status == QUEUED \
                    else ""
                progress.update(task, completed=counts.done, failed=counts.failed, note=note)
                time.sleep(POLL_SECONDS)
                counts = jobs.counts(job_id)
            progress.update(task, completed=counts.done, failed=counts.failed, note="")
            view = jobs.get(job_id)
    except KeyboardInterrupt:
        where = ("in the workers" if jobs.runner.name != "inprocess"
                 else "nowhere: it stopped with this command")
        Console(stderr=True).print(f"Stopped watching job {job_id}; it goes on {where}. "
                                   f"See it with: handoff jobs show {job_id}", soft_wrap=True)
        sys.exit(130)
    return view


def items_table(view: JobView, result_header: str = "Result") -> Table:
    """Every site's outcome: its message, or the cause and the fix of its failure."""
    table = Table(header_style="bold")
    for column in ("Site", result_header, "Notes"):
        table.add_column(column, overflow="fold")
    for item in view.items:
        if item["ok"]:
            table.add_row(item["target"], Text(item["message"], style="green"),
                          str(item["detail"].get("notes", "")))
        else:
            fix = item["detail"].get("fix", "")
            table.add_row(item["target"], Text("failed", style="red"),
                          f"{item['message']} Fix: {fix}" if fix else item["message"])
    return table


def item_error(item: dict) -> HandoffError:
    """A failed item's error, as the work met it."""
    return HandoffError(item["message"], item["detail"].get("fix", ""),
                        code=item["detail"].get("code", "error"))


def report_job_end(console: Console, view: JobView) -> None:
    """Say why a job ended failed (interrupted, a bug) and what was not done; exit 1."""
    if view.status != "failed":
        return
    missing = [target for target in view.targets
               if target not in {item["target"] for item in view.items}]
    console.print(f"[red]Job {view.id} failed:[/] {view.error}", soft_wrap=True)
    if missing:
        console.print(f"{len(missing)} sites have no result. Start the job again for them: "
                      f"handoff jobs retry {view.id}", soft_wrap=True)
    raise SystemExit(1)
