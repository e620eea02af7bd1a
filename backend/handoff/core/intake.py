"""The client intake: contacts, support terms and policies the handbook is written from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
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
LOGO = "developer.logo"  # a file's path: the schema checks its form, read_logo the file
MAX_LOGO_BYTES = 1024 * 1024
# Only raster images that cannot carry scripts, known by their first bytes, not their name.
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class IntakeField:
    """One answer of the intake as the schema describes it: what the form and the CLI ask."""

    path: str  # dotted, as get_path/set_path take it: "developer.email"
    label: str
    hint: str = ""
    kind: str = "text"  # text, textarea, email, url, tel, date, choice or list
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) of a choice
    max_length: int | None = None
    max_items: int | None = None
    required: bool = False


@dataclass(frozen=True)
class IntakeGroup:
    """Answers that belong together (the schema's objects; its top-level answers as one)."""

    key: str
    title: str
    description: str
    fields: tuple[IntakeField, ...]


class _DatesAsText(yaml.SafeLoader):
    """Reads 2026-12-01 as text: the intake keeps dates as written, and checks them itself."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def intake_schema() -> dict:
    """The intake's JSON Schema (backend/handoff/intake.schema.json)."""
    return _validator().schema


@cache
def intake_groups() -> tuple[IntakeGroup, ...]:
    """The intake's questions in the schema's order, grouped, with labels and hints."""
    schema = _validator().schema
    general = schema.get("x-general", {})
    groups, loose = [], []
    for key, node in schema["properties"].items():
        if node.get("type") == "object":
            required = set(node.get("required", []))
            fields = tuple(_field(f"{key}.{name}", child, name in required)
                           for name, child in node["properties"].items())
            groups.append(IntakeGroup(key, node.get("title", key),
                                      node.get("description", ""), fields))
        else:
            loose.append(_field(key, node, key in schema.get("required", [])))
    first = IntakeGroup("", general.get("title", "General"), general.get("description", ""),
                        tuple(loose))
    return (first, *groups) if loose else tuple(groups)


def intake_fields() -> list[IntakeField]:
    """Every question of the intake, in order."""
    return [field for group in intake_groups() for field in group.fields]


def _field(path: str, node: dict, required: bool) -> IntakeField:
    items = node.get("items", {})
    labels = node.get("x-labels", {})
    if "enum" in node:
        kind = "choice"
    elif node.get("type") == "array":
        kind = "list"
    else:
        kind = node.get("x-input") or {"email": "email", "uri": "url", "date": "date"}.get(
            node.get("format", ""), "text")
    return IntakeField(
        path=path, label=node.get("title", path.rsplit(".", 1)[-1]),
        hint=node.get("description", ""), kind=kind,
        choices=tuple((value, labels.get(value, value)) for value in node.get("enum", [])),
        max_length=node.get("maxLength", items.get("maxLength")),
        max_items=node.get("maxItems"), required=required)


def field_of(path: str) -> str | None:
    """The intake field an error path belongs to ("responsibilities.client.2" → its list)."""
    known = {field.path for field in intake_fields()}
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return None


def answers_from_fields(values: dict[str, object]) -> dict:
    """Answers from one value per question (lists as lists); blanks are left out.

    Values are trimmed, empty lines of lists dropped; nothing is validated here, so the
    answers keep what was entered for intake_errors() to judge.
    """
    answers: dict = {}
    for field in intake_fields():
        value = values.get(field.path)
        if field.kind == "list":
            value = [str(item).strip() for item in value or [] if str(item).strip()] \
                if isinstance(value, list | tuple) else value
        elif isinstance(value, str):
            value = value.strip()
        answers = set_path(answers, field.path, value)
    return answers


def intake_errors(answers: object) -> dict[str, str]:
    """The first problem at each place of an intake, keyed by dotted path ("" for the whole).

    Empty when the intake is valid. Messages read after the field's label: "must be an
    e-mail address".
    """
    found: dict[str, str] = {}
    for path, message in _problems(answers):
        found.setdefault(path, message)
    return found


def _problems(answers: object) -> list[tuple[str, str]]:
    errors = sorted(_validator().iter_errors(answers), key=lambda e: list(map(str, e.path)))
    found = []
    for error in errors:
        found.append((".".join(map(str, error.path)), _message(error)))
    if isinstance(answers, dict) and isinstance(answers.get("handover_date"), str):
        try:
            date.fromisoformat(answers["handover_date"])
        except ValueError:
            found.append(("handover_date",
                          f"{answers['handover_date']!r} is not a real date"))
    logo = get_path(answers, LOGO) if isinstance(answers, dict) else None
    if isinstance(logo, str) and not any(path == LOGO for path, _ in found):
        try:
            read_logo(logo)
        except ValueError as exc:
            found.append((LOGO, str(exc)))
    return found


def read_logo(path: str) -> tuple[str, bytes]:
    """The media type and bytes of a logo file; ValueError saying why it cannot be used."""
    file = Path(path).expanduser()
    try:
        if not file.is_file():
            raise ValueError(f"{path!r}: no such file on this computer")
        with file.open("rb") as stream:
            data = stream.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"{path!r} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise ValueError(f"{path!r} is larger than 1 MiB: save a smaller image "
                         "(600 pixels wide is plenty)")
    for magic, media_type in LOGO_TYPES.items():
        if data.startswith(magic):
            return media_type, data
    raise ValueError(f"{path!r} is not a PNG or JPEG image")


def _message(error) -> str:
    """The validator's complaint in words a person reads next to a field."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "x-error" in schema:
        return f"{error.instance!r} {schema['x-error']}"
    if error.validator == "maxLength":  # never repeat a long text back
        return f"is too long: at most {error.validator_value} characters"
    if error.validator == "maxItems":
        return f"has too many lines: at most {error.validator_value}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of " + ", ".join(map(str, error.validator_value))
    return error.message


def intake_problems(answers: object) -> list[str]:
    """Every problem of an intake as 'path: message'; [] when valid."""
    return [f"{path.replace('.', '/') or '(intake)'}: {message}"
            for path, message in _problems(answers)]


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
        raise InvalidInputError(_problems_text(source, problems),
                                "correct the answers and try again", code="invalid_intake")
    return answers


def _problems_text(source: str, problems: list[str]) -> str:
    """Every problem, one a line, so one reading is enough to fix them all."""
    if len(problems) == 1:
        return f"{source} has a problem: {problems[0]}."
    return f"{source} has {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)


def answer_problems(path: str, value: object) -> list[str]:
    """The problems of one answer judged alone (what the intake would say about it)."""
    alone = set_path({}, path, value)
    return [message for where, message in _problems(alone)
            if where == path or field_of(where) == path]


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
        with self.sites.audit.change("intake.save", name, f"save the intake of {name}") \
                as change:
            problems = intake_problems(answers)
            if problems:
                raise InvalidInputError(_problems_text("The intake", problems),
                                        "correct the answers and try again",
                                        code="invalid_intake")
            site = self.sites.get(name)
            with self.sites.store.session() as session:
                row = session.get(Intake, site.id) or Intake(site_id=site.id)
                row.data = json.dumps(answers, ensure_ascii=False, sort_keys=True)
                row.updated_at = datetime.now(UTC)
                session.add(row)
                change.done(f"Saved the intake of {name}.", fields=_count_fields(answers),
                            sha256=hashlib.sha256(row.data.encode()).hexdigest())
                change.save_in(session)
        return answers


def _count_fields(answers: dict) -> int:
    """How many answers an intake holds (leaves of the document)."""
    return sum(_count_fields(v) if isinstance(v, dict) else 1 for v in answers.values())
