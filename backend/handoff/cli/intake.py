"""`handoff intake SITE`: the client questionnaire the handbook is written from."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml
from rich.console import Console

from handoff.app import Handoff
from handoff.cli import render
from handoff.core.intake import (
    IntakeField,
    IntakeGroup,
    answer_problems,
    answers_from_fields,
    get_path,
    intake_fields,
    intake_groups,
    parse_intake,
)
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)


@click.command()
@click.argument("site")
@click.option("--from", "source", metavar="FILE",
              help="Read the answers from a YAML file ('-': standard input) instead of asking.")
@click.option("--show", is_flag=True, help="Print the stored answers as YAML and change nothing.")
@click.option("--json", "as_json", is_flag=True, help="With --show: print JSON.")
@pass_app
def intake(app: Handoff, site: str, source: str | None, show: bool, as_json: bool) -> None:
    """Ask (or read) the client questionnaire of a site.

    Contacts, support hours and response times, who does what, how changes outside the
    scope are priced, backup and update policy, handover date, language. Each answer is
    checked as it is typed and asked again when wrong; Ctrl-C keeps the answers given so
    far. Answers are stored per site and can be edited by running the command again (Enter
    keeps an answer, '-' clears it). A --from file is checked whole and every problem is
    listed. The format of --from files: docs/handbook-templates.md.
    """
    current = app.intakes.get(site)
    console = Console(highlight=False)
    if show:
        if as_json:
            render.print_json(console, current)
        else:
            sys.stdout.write(yaml.safe_dump(current, allow_unicode=True, sort_keys=False)
                             or "{}\n")
        return
    if source:
        text = sys.stdin.buffer.read() if source == "-" else _read(Path(source))
        answers = parse_intake(text, "standard input" if source == "-" else source)
    else:
        if not _has_terminal():
            raise InvalidInputError("No terminal to ask the questions on.",
                                    "answer in a file and pass --from FILE", code="no_terminal")
        try:
            answers = _ask(current)
        except _Interrupted as stop:
            app.intakes.save(site, stop.answers)
            console.print(f"Interrupted: kept {_count(stop.answers)} answers of {site}. "
                          "Run the command again to go on (Enter keeps an answer).")
            raise SystemExit(1) from None
    app.intakes.save(site, answers)
    console.print(f"Saved the intake of {site} ({_count(answers)} answers). "
                  f"Next: handoff handbook build {site}")


def _has_terminal() -> bool:
    return sys.stdin.isatty()


class _Interrupted(Exception):
    """Ctrl-C or Ctrl-D during the questions; carries every answer given so far."""

    def __init__(self, answers: dict) -> None:
        super().__init__("interrupted")
        self.answers = answers


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror}.", "check the file name",
                                code="unreadable_file") from None


def _ask(current: dict) -> dict:
    """Every question in turn, each answer checked as it is given and asked again if wrong.

    Interrupted, it raises _Interrupted with the stored answers updated by every answer
    given so far (each of them valid), so nothing typed is lost.
    """
    replies = {field.path: get_path(current, field.path) for field in intake_fields()}
    try:
        for group in intake_groups():
            for field in group.fields:
                replies[field.path] = _ask_one(group, field, replies[field.path])
    except click.Abort:
        raise _Interrupted(answers_from_fields(replies)) from None
    answers = answers_from_fields(replies)
    return parse_intake(yaml.safe_dump(answers, allow_unicode=True), "your answers")


def _ask_one(group: IntakeGroup, field: IntakeField, old: object) -> object:
    """One answer, asked until it is valid ('-' clears it, Enter keeps the old one)."""
    shown = "; ".join(old) if isinstance(old, list) else (old or "")
    while True:
        reply = click.prompt(_question(group, field), default=shown,
                             show_default=bool(shown)).strip()
        reply = "" if reply == "-" else reply
        value = [part.strip() for part in reply.split(";") if part.strip()] \
            if field.kind == "list" else reply
        problems = answer_problems(field.path, value)
        if not problems:
            return value
        for problem in problems:
            click.echo(f"  {field.label} {problem}. Try again ('-' leaves it blank).",
                       err=True)


def _question(group: IntakeGroup, field: IntakeField) -> str:
    question = f"{group.title}: {field.label}" if group.key else field.label
    extra = {"list": "separate with ;", "date": "YYYY-MM-DD",
             "choice": ", ".join(value for value, _ in field.choices)}.get(field.kind)
    return f"{question} ({extra})" if extra else question


def _count(answers: dict) -> int:
    return sum(_count(v) if isinstance(v, dict) else 1 for v in answers.values())
