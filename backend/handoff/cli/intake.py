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
    answers_from_fields,
    get_path,
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
    scope are priced, backup and update policy, handover date, language. Answers are stored
    per site and can be edited by running the command again (Enter keeps an answer, '-'
    clears it). The format of --from files: docs/handbook-templates.md.
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
        if not sys.stdin.isatty():
            raise InvalidInputError("No terminal to ask the questions on.",
                                    "answer in a file and pass --from FILE", code="no_terminal")
        answers = _ask(current)
    app.intakes.save(site, answers)
    console.print(f"Saved the intake of {site} ({_count(answers)} answers). "
                  f"Next: handoff handbook build {site}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror}.", "check the file name",
                                code="unreadable_file") from None


def _ask(current: dict) -> dict:
    replies: dict[str, object] = {}
    for group in intake_groups():
        for field in group.fields:
            old = get_path(current, field.path)
            shown = "; ".join(old) if isinstance(old, list) else (old or "")
            reply = click.prompt(_question(group, field), default=shown,
                                 show_default=bool(shown)).strip()
            reply = "" if reply == "-" else reply
            replies[field.path] = reply.split(";") if field.kind == "list" else reply
    answers = answers_from_fields(replies)
    return parse_intake(yaml.safe_dump(answers, allow_unicode=True), "your answers")


def _question(group: IntakeGroup, field: IntakeField) -> str:
    question = f"{group.title}: {field.label}" if group.key else field.label
    extra = {"list": "separate with ;", "date": "YYYY-MM-DD",
             "choice": ", ".join(value for value, _ in field.choices)}.get(field.kind)
    return f"{question} ({extra})" if extra else question


def _count(answers: dict) -> int:
    return sum(_count(v) if isinstance(v, dict) else 1 for v in answers.values())
