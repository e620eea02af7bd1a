"""The client intake: contacts, support terms and policies the handbook is written from."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from sqlalchemy import select

from handoff.core.sites import Sites
from handoff.errors import InvalidInputError
from handoff.storage import Intake

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "intake.schema.json"
MAX_INTAKE_BYTES = 64 * 1024

# The questions `handoff intake` asks, in order: (path, question).
QUESTIONS: list[tuple[str, str]] = [
    ("language", "Handbook language (en, vi, zh)"),
    ("handover_date", "Handover date (YYYY-MM-DD)"),
    ("client.name", "Client: organisation name"),
    ("client.contact", "Client: contact person"),
    ("client.email", "Client: e-mail"),
    ("client.login", "Client: their WordPress login (the handbook follows their menu)"),
    ("developer.name", "Developer: your business name"),
    ("developer.contact", "Developer: contact person"),
    ("developer.email", "Developer: support e-mail"),
    ("developer.phone", "Developer: phone"),
    ("developer.website", "Developer: website"),
    ("support.hours", "Support hours (e.g. Mon–Fri 9:00–17:00)"),
    ("support.response_time", "Response time (e.g. one working day)"),
    ("support.channel", "How the client asks for help (e.g. e-mail)"),
    ("responsibilities.client", "What the client does (separate with ;)"),
    ("responsibilities.developer", "What the developer does (separate with ;)"),
    ("changes.out_of_scope", "How changes outside the agreed scope are priced"),
    ("changes.hourly_rate", "Hourly rate"),
    ("backups.frequency", "Backups: how often"),
    ("backups.retention", "Backups: kept for"),
    ("backups.where", "Backups: stored where"),
    ("updates.policy", "Update policy"),
]
LIST_FIELDS = {"responsibilities.client", "responsibilities.developer"}


class _DatesAsText(yaml.SafeLoader):
    """Reads 2026-12-01 as text: the intake keeps dates as written, and checks them itself."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def intake_problems(answers: object) -> list[str]:
    """Every problem of an intake as 'path: message'; [] when valid."""
    errors = sorted(_validator().iter_errors(answers), key=lambda e: list(map(str, e.path)))
    found = []
    for error in errors:
        path = "/".join(map(str, error.path)) or "(intake)"
        message = error.message
        if isinstance(error.schema, dict) and "x-error" in error.schema:
            message = f"{error.instance!r} {error.schema['x-error']}"
        found.append(f"{path}: {message}")
    if isinstance(answers, dict) and isinstance(answers.get("handover_date"), str):
        try:
            date.fromisoformat(answers["handover_date"])
        except ValueError:
            found.append(f"handover_date: {answers['handover_date']!r} is not a real date")
    return found


def parse_intake(text: str | bytes, source: str = "the intake") -> dict:
    """Read YAML (or JSON) answers, refusing malformed or invalid ones with their place."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_INTAKE_BYTES:
        raise InvalidInputError(f"{source} is larger than 64 KiB.", "shorten the answers",
                                code="intake_too_large")
    try:
        answers = yaml.load(raw.decode("utf-8"), Loader=_DatesAsText) or {}  # noqa: S506
    except UnicodeDecodeError:
        raise InvalidInputError(f"{source} is not UTF-8 text.", "save it as UTF-8",
                                code="invalid_intake") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidInputError(f"{source} is not valid YAML{where}.",
                                "fix the indentation or quoting there",
                                code="invalid_intake") from None
    problems = intake_problems(answers)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidInputError(f"{source} has a problem: {problems[0]}{more}.",
                                "correct the answer and try again", code="invalid_intake")
    return answers


def get_path(answers: dict, path: str) -> object:
    node: object = answers
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def set_path(answers: dict, path: str, value: object) -> dict:
    """A copy of the answers with one field set (an empty value removes it)."""
    copy = json.loads(json.dumps(answers))
    parts = path.split(".")
    node = copy
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value in (None, "", []):
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    return _prune(copy)


def _prune(node: dict) -> dict:
    return {key: _prune(value) if isinstance(value, dict) else value
            for key, value in node.items() if value not in ({}, None)}


class Intakes:
    """Stored intake answers, one document per site."""

    def __init__(self, sites: Sites) -> None:
        self.sites = sites

    def get(self, name: str) -> dict:
        """The site's answers ({} before the first intake)."""
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            row = session.scalars(select(Intake).where(Intake.site_id == site.id)).first()
            return json.loads(row.data) if row else {}

    def save(self, name: str, answers: dict) -> dict:
        """Replace the site's answers after validating them; nothing changes if invalid."""
        problems = intake_problems(answers)
        if problems:
            raise InvalidInputError(f"The intake has a problem: {problems[0]}.",
                                    "correct the answer and try again", code="invalid_intake")
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            row = session.get(Intake, site.id) or Intake(site_id=site.id)
            row.data = json.dumps(answers, ensure_ascii=False, sort_keys=True)
            row.updated_at = datetime.now(UTC)
            session.add(row)
        return answers
