"""`handoff handbook …`: the client handbook, built from the real site."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console

from handoff.app import Handoff
from handoff.cli import render
from handoff.core.handbooks import FORMATS
from handoff.handbook.templates import LANGUAGES

pass_app = click.make_pass_decorator(Handoff)


def _console() -> Console:
    return Console(highlight=False)


@click.group()
def handbook() -> None:
    """The client handbook: build it as HTML, PDF or Markdown, publish it into wp-admin."""


def _build_options(function):
    options = [
        click.option("--lang", type=click.Choice(LANGUAGES), default=None,
                     help="Language (default: the intake's, else en)."),
        click.option("--templates", type=click.Path(file_okay=False, path_type=Path),
                     help="A folder of your own templates; its files replace shipped ones."),
        click.option("--allow-blanks", is_flag=True,
                     help="Build even when intake answers are missing (visible blanks)."),
        click.option("--offline", is_flag=True,
                     help="Use the stored inventory; do not contact the site."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _report(console: Console, book) -> None:
    # Titles, reasons and warnings carry the site's labels: printed as text, never markup.
    for title, reason in book.dropped:
        console.print(f"  left out {title!r}: {reason}", markup=False)
    for warning in book.warnings:
        console.print(f"⚠ {warning}", style="yellow", markup=False)
    if book.blanks:
        console.print(f"[yellow]⚠ blanks left for: {', '.join(book.blanks)}[/]")


@handbook.command("build")
@click.argument("site")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="html, pdf or md; repeat for several (default: html).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Folder to write into.")
@click.option("--check", is_flag=True,
              help="Instead of writing files, log in to SITE as the client (login and "
                   "password asked for, never stored) and check in Chromium that every label "
                   "the handbook names is on its screen; exit 1 if one is missing.")
@_build_options
@pass_app
def build(app: Handoff, site: str, formats: tuple[str, ...], output: Path, lang: str | None,
          templates: Path | None, allow_blanks: bool, offline: bool, check: bool) -> None:
    """Build the handbook of SITE from its real inventory, menu and intake.

    Chapters that would send the client to a screen their menu does not offer are left
    out (or stop the build, as the template says).
    """
    book = app.handbooks.build(site, language=lang, templates_dir=templates,
                               allow_blanks=allow_blanks, offline=offline)
    console = _console()
    if check:
        _check_labels(app, site, book, console)
        return
    for fmt in formats or ("html",):
        path = app.handbooks.write(book, site, fmt, output)
        console.print(f"Wrote {path} ({len(book.chapters)} chapters).")
    _report(console, book)


def _check_labels(app: Handoff, site: str, book, console: Console) -> None:
    """Verify the book's labels on SITE as the client; exit 1 when one is missing."""
    from handoff.handbook.verify import report_lines, verify_labels  # loads Playwright

    default_login = (app.intakes.get(site).get("client") or {}).get("login")
    login = click.prompt("Client's login", default=default_login)
    password = click.prompt(f"Password of {login}", hide_input=True)
    results = verify_labels(book.labels, app.sites.get(site).url, login, password)
    for line, result in zip(report_lines(results), results, strict=True):
        console.print(line, style=None if result.found else "red", markup=False, soft_wrap=True)
    missing = sum(not result.found for result in results)
    console.print(f"{len(results) - missing} of {len(results)} labels found on {site}.")
    if missing:
        click.get_current_context().exit(1)


@handbook.command("publish")
@click.argument("site")
@_build_options
@click.option("--as-page", "page_login", metavar="LOGIN",
              help="Without the plugin: publish as a private page with this editor's "
                   "Application Password (asked for, or read from HANDOFF_PAGE_PASSWORD).")
@pass_app
def publish(app: Handoff, site: str, lang: str | None, templates: Path | None,
            allow_blanks: bool, offline: bool, page_login: str | None) -> None:
    """Build the handbook and publish it to SITE's "Site Handbook" screen in wp-admin.

    With --as-page, it becomes a private page instead (for sites where the companion
    plugin cannot be used); publishing again updates the same page.
    """
    book = app.handbooks.build(site, language=lang, templates_dir=templates,
                               allow_blanks=allow_blanks, offline=offline)
    console = _console()
    if page_login:
        password = os.environ.get("HANDOFF_PAGE_PASSWORD") or click.prompt(
            f"Application Password of {page_login}", hide_input=True)
        page_id = app.handbooks.publish_as_page(site, book, page_login, password)
        console.print(f"Published to {site} as private page #{page_id}.")
    else:
        result = app.handbooks.publish(site, book)
        console.print(f"Published to {site}: {result.sections} sections ({result.hash[:12]}).")
    _report(console, book)


@handbook.command("status")
@click.argument("site")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def status(app: Handoff, site: str, as_json: bool) -> None:
    """Whether the handbook is published on SITE, when, and if the client has opened it."""
    state = app.handbooks.status(site)
    console = _console()
    if as_json:
        render.print_json(console, state)
        return
    if not state.get("published"):
        console.print(f"{site}: no handbook published. Run: handoff handbook publish {site}")
        return
    when = datetime.fromtimestamp(int(state.get("published_at", 0)), UTC)
    console.print(f"{site}: {state.get('title')!r} ({state.get('language')}), published "
                  f"{when:%Y-%m-%d %H:%M} UTC.")
    first = state.get("first_view") or {}
    if first:
        seen = datetime.fromtimestamp(int(first.get("at", 0)), UTC)
        console.print(f"First opened by {first.get('user_login')} on {seen:%Y-%m-%d %H:%M} UTC"
                      f"; {state.get('views_by_client', 0)} visits by the client since.")
    else:
        console.print("The client has not opened it yet.")


@handbook.command("unpublish")
@click.argument("site")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def unpublish(app: Handoff, site: str, yes: bool) -> None:
    """Take the handbook off SITE (the Site Handbook screen disappears)."""
    app.sites.get(site)
    if not yes:
        click.confirm(f"Remove the handbook from {site}?", abort=True)
    app.handbooks.unpublish(site)
    _console().print(f"{site}: handbook removed.")
