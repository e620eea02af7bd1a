"""`handoff handover …`: the checklist at project end, checked against the live site."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

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
from handoff.core.handovers import BLOCKED, READY, Report
from handoff.errors import InvalidInputError
from handoff.handover.render import (
    FORMATS,
    LETTER_FORMATS,
    MOST_ALTERNATIVES,
    parse_final_date,
)
from handoff.handover.wording import LANGUAGES

pass_app = click.make_pass_decorator(Handoff)
STATUS_STYLE = {"pass": "green", "signed": "green", "waived": "cyan", "warn": "yellow",
                "manual": "magenta", "fail": "red"}
CHECKLIST = click.option("--checklist", type=click.Path(dir_okay=False, path_type=Path),
                         help="Your own checklist file: items added, shipped ones disabled.")


def _console() -> Console:
    return Console(highlight=False)


def report_view(report: Report) -> Group:
    parts = []
    for group, title in report.groups.items():
        items = [i for i in report.items if i.group == group]
        if not items:
            continue
        table = Table(title=title, title_justify="left", header_style="bold", expand=True)
        table.add_column("Item", ratio=3)
        table.add_column("Result", no_wrap=True)
        table.add_column("Details", ratio=4)
        for item in items:
            detail = item.detail if not item.decision else \
                f"{item.status} by {item.decision['by']}: {item.decision['note']}"
            table.add_row(Text(f"{item.title} [{item.id}]"),
                          Text(item.status, style=STATUS_STYLE[item.status]), Text(detail))
        parts.append(table)
    style = {READY: "bold green", BLOCKED: "bold red"}.get(report.verdict, "bold yellow")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts().items()))
    parts.append(Text(f"Verdict: {report.verdict}  ({counts})", style=style))
    return Group(*parts)


@click.group()
def handover() -> None:
    """The handover checklist: check, sign off, waive, report, letter, complete."""


@handover.command("check")
@click.argument("sites", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every connected site.")
@click.option("--tag", help="Every site with this tag.")
@CHECKLIST
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@concurrency_option
@per_host_option
@in_process_option
@pass_app
def check(app: Handoff, sites: tuple[str, ...], every: bool, tag: str | None,
          checklist: Path | None, as_json: bool, concurrency: int, per_host: int,
          in_process: bool) -> None:
    """Run every automatic check now; show the verdict.

    Checks SITES (or --all / --tag) against every automatic item. One site: the
    checklist grouped by area. Several: a job (queued for `handoff worker` when
    HANDOFF_REDIS_URL is set) with a progress bar, then each site's verdict.

    Exits 0 when Ready, 1 when Needs attention (or a site could not be checked), 6 when
    Blocked — for several sites, the worst of them.
    """
    chosen = app.sites.select(list(sites), tag, every)
    if len(chosen) > 1 or every or tag is not None:
        if checklist is not None:
            raise InvalidInputError("--checklist works with one site only.",
                                    "check one site with it, or leave it out",
                                    code="checklist_many")
        _check_many(app, [s.name for s in chosen], as_json, concurrency, per_host,
                    in_process)
        return
    report = app.handovers.check(chosen[0].name, checklist)
    console = _console()
    if as_json:
        render.print_json(console, report.as_dict())
    else:
        console.print(report_view(report))
    sys.exit({READY: 0, BLOCKED: 6}.get(report.verdict, 1))


def _check_many(app: Handoff, names: list[str], as_json: bool, concurrency: int,
                per_host: int, in_process: bool) -> None:
    view = run_job(app, "handover.check", {"concurrency": concurrency, "per_host": per_host},
                   names, verb="Checking", in_process=in_process)
    console = _console()
    if as_json:
        render.print_json(console, view.as_dict())
    elif view.items:
        console.print(items_table(view, "Verdict"))
    report_job_end(console, view)
    verdicts = [item["detail"].get("verdict") if item["ok"] else None for item in view.items]
    sys.exit(6 if BLOCKED in verdicts else 0 if all(v == READY for v in verdicts) else 1)


@handover.command("sign")
@click.argument("site")
@click.argument("item")
@click.option("--by", "by", required=True, help="Who signs it off (a name).")
@click.option("--note", default="", help="What was done or agreed.")
@CHECKLIST
@pass_app
def sign(app: Handoff, site: str, item: str, by: str, note: str,
         checklist: Path | None) -> None:
    """Sign off a manual ITEM of SITE as done."""
    result = app.handovers.sign(site, item, by, note, checklist)
    _console().print(f"{result.title}: signed by {by}.")


@handover.command("waive")
@click.argument("site")
@click.argument("item")
@click.option("--reason", required=True, help="Why the risk is accepted (required).")
@click.option("--by", "by", default="", help="Who accepts it.")
@CHECKLIST
@pass_app
def waive(app: Handoff, site: str, item: str, reason: str, by: str,
          checklist: Path | None) -> None:
    """Waive an item: an accepted risk, with a reason."""
    result = app.handovers.waive(site, item, reason, by, checklist)
    _console().print(f"{result.title}: waived ({reason}).")


@handover.command("report")
@click.argument("site")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="md, html, pdf or json; repeat for several (default: html).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Folder to write into.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES),
              help="The report's language (default: the intake's, else en).")
@CHECKLIST
@pass_app
def report(app: Handoff, site: str, formats: tuple[str, ...], output: Path,
           language: str | None, checklist: Path | None) -> None:
    """Write the report of the last check.

    Every item with its result, and every sign-off and waiver with who and when. The
    report's own words are in --lang; item titles and findings are as the checklist and
    the site give them.
    """
    documents = [app.handovers.report_file(site, fmt, checklist, language)
                 for fmt in formats or ("html",)]
    output.mkdir(parents=True, exist_ok=True)
    for document in documents:
        path = output / document.filename
        path.write_bytes(document.body)
        _console().print(f"Wrote {path}")


@handover.command("letter")
@click.argument("site")
@click.option("--parting", is_flag=True,
              help="The respectful \"parting ways\" letter instead of the handover letter.")
@click.option("--draft", is_flag=True,
              help="Handover letter before the verdict is Ready: marked DRAFT, with the "
                   "items still open.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES),
              help="The letter's language (default: the intake's, else en).")
@click.option("--reason", default="", help="Parting: the short reason (needed).")
@click.option("--final-date", default="",
              help="Parting: the last day of work, YYYY-MM-DD (needed).")
@click.option("--refund", default="",
              help="Parting: a refund you offer, with its amount, e.g. \"EUR 400 by 15 "
                   "January\". None without it.")
@click.option("--recommend", "alternatives", multiple=True,
              help="Parting: another developer, \"Name\" or \"Name <email>\" (repeatable). "
                   "None without it.")
@click.option("--allow-blanks", is_flag=True,
              help="Parting: print a visible blank for a missing reason or final date.")
@click.option("--format", "fmt", type=click.Choice(LETTER_FORMATS), default="md",
              show_default=True, help="Markdown, HTML or PDF.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_app
def letter_(app: Handoff, site: str, parting: bool, draft: bool, language: str | None,
            reason: str, final_date: str, refund: str, alternatives: tuple[str, ...],
            allow_blanks: bool, fmt: str, output: Path | None) -> None:
    """Write the handover letter, or with --parting the parting letter.

    Every sentence comes from the site's records or from what you type; what is not
    recorded is left out. The handover letter needs a check whose verdict is Ready:
    before that it is refused (exit 6) unless --draft, which marks it DRAFT on top and
    lists the items still open by name. It names the client's login when the check found
    that account, the simplified menu when a menu profile is applied, the Site Handbook
    when it is published, each waiver with its reason, and the intake's duties, terms and
    contacts when they were answered.

    The parting letter works at any stage, with or without a check: thanks, the decision,
    the reason and the final day, then only what you give or the records show — a refund
    only with --refund, other developers only with --recommend, the Site Handbook when it
    is published, your e-mail until the final day. Nothing is offered by default. On a
    terminal, whatever of these four you left out is asked for (an empty answer leaves a
    refund or recommendation out); elsewhere a missing reason or final date is an error
    (exit 2) unless --allow-blanks prints visible blanks to fill in by hand.
    """
    if parting and not allow_blanks and _interactive():
        reason, final_date, refund, alternatives = _ask_parting(
            reason, final_date, refund, alternatives)
    document = app.handovers.letter_file(
        site, fmt=fmt, parting=parting, draft=draft, language=language,
        allow_blanks=allow_blanks, reason=reason, final_date=final_date, refund=refund,
        alternatives=alternatives)
    if output:
        output.write_bytes(document.body)
        _console().print(f"Wrote {output}")
    else:
        sys.stdout.buffer.write(document.body)
        sys.stdout.flush()


def _interactive() -> bool:
    """Whether someone can answer questions: standard input is a terminal."""
    return sys.stdin.isatty()


def _ask_parting(reason: str, final_date: str, refund: str, alternatives: tuple[str, ...]
                 ) -> tuple[str, str, str, tuple[str, ...]]:
    """Ask for what the parting letter lacks; questions go to standard error."""
    reason = reason or click.prompt("The short reason, in one sentence", err=True)
    while not final_date:
        final_date = click.prompt("The last day of work (YYYY-MM-DD)", err=True)
        try:
            parse_final_date(final_date)
        except InvalidInputError as error:
            click.echo(str(error), err=True)
            final_date = ""
    if not alternatives:
        while len(alternatives) < MOST_ALTERNATIVES and (named := click.prompt(
                "A developer to recommend, \"Name <email>\" (empty: no more)", default="",
                show_default=False, err=True).strip()):
            alternatives += (named,)
    if not refund:
        refund = click.prompt("A refund you offer, with its amount (empty: none)",
                              default="", show_default=False, err=True)
    return reason, final_date, refund, alternatives


@handover.command("complete")
@click.argument("site")
@click.option("--by", "by", required=True, help="Who completes the handover.")
@click.option("--disconnect", is_flag=True,
              help="Also revoke the backend's own access to the site, and verify it.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def complete(app: Handoff, site: str, by: str, disconnect: bool, yes: bool) -> None:
    """Record the handover as complete.

    Refused while the verdict is Blocked.
    """
    app.handovers.ready_to_complete(site, by)  # refuse before asking, not after
    if disconnect and not yes:
        click.confirm(f"Complete the handover of {site} and remove the backend's access?",
                      abort=True)
    result = app.handovers.complete(site, by, disconnect)
    _console().print(f"{site}: handover completed by {by} ({result.verdict})."
                     + (" The backend's access is revoked." if disconnect else ""))


@handover.command("history")
@click.argument("site")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def history(app: Handoff, site: str, as_json: bool) -> None:
    """Show every run and decision, with who and when.

    Check runs (complete or not), sign-offs, waivers and the completion of SITE.
    """
    runs, decisions = app.handovers.history(site)
    console = _console()
    if as_json:
        render.print_json(console, {"runs": runs, "decisions": decisions})
        return
    for run in runs:
        state = run["verdict"] if run["complete"] else f"incomplete: {run['error']}"
        console.print(Text(f"{run['started_at'][:16]}  check  {state}"))
    for decision in decisions:
        console.print(Text(f"{decision['at'][:16]}  {decision['kind']:8} {decision['item_id']}"
                           f"  by {decision['by']}  {decision['note']}"))
