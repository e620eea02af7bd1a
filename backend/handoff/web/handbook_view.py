"""What the Handbook page and its API share: the build choice, the files, the intake form,
the missing answers and the publishing status in words.

Presentation and parsing only: the questions come from the intake's JSON Schema
(core/intake.py), builds, missing answers and the status from the core (core/handbooks.py).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Response

from handoff.cli.render import when
from handoff.core.handbooks import Handbooks
from handoff.core.intake import IntakeField, field_of, get_path, intake_groups
from handoff.errors import HandoffError, InvalidInputError
from handoff.handbook.build import Handbook
from handoff.handbook.templates import LANGUAGES
from handoff.web import handoff_app

LANGUAGE_NAMES = {"en": "English", "vi": "Vietnamese", "zh": "Chinese"}
# The page's own inputs (build choice, private page): their errors sit next to them.
PAGE_INPUTS = {"lang", "blanks", "offline", "format", "login", "password"}
BLANK_ROWS = 2  # empty lines under a list, so it can grow without JavaScript
# The handbook's own documents: styles inline, nothing else, no script ever (sandbox).
PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox")
FILE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "frame-ancestors 'none'; sandbox")
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
               "md": "text/markdown; charset=utf-8"}
FLAG_WORDS = {"": False, "0": False, "false": False, "1": True, "on": True, "true": True}
# Core error codes that are about one input of the page, and that input's name.
FIELD_OF_CODE = {"language": "lang", "format": "format", "wrong_password": "password"}


@dataclass
class Choice:
    """How to build: the language (None: the intake's), blanks allowed, stored inventory."""

    language: str | None = None
    allow_blanks: bool = False
    offline: bool = False

    def args(self) -> dict:
        """The choice as query or form fields."""
        found = {"lang": self.language or ""}
        if self.allow_blanks:
            found["blanks"] = "1"
        if self.offline:
            found["offline"] = "1"
        return found


def parse_choice(fields) -> tuple[Choice, dict[str, str]]:
    """The build choice from a query string or a form, and what is wrong with it."""
    errors = {}
    language = fields.get("lang", "").strip()
    if language and language not in LANGUAGES:
        errors["lang"] = f"Choose one of: {', '.join(LANGUAGES)}."
    flags = {}
    for name in ("blanks", "offline"):
        flags[name] = FLAG_WORDS.get(fields.get(name, "").strip().lower())
        if flags[name] is None:
            errors[name] = "Tick the box or leave it empty."
    choice = Choice(language if language in LANGUAGES else None, bool(flags["blanks"]),
                    bool(flags["offline"]))
    return choice, errors


def build(name: str, choice: Choice):
    """The handbook of a site as the choice says (the core's errors go to the caller)."""
    return handoff_app().handbooks.build(name, language=choice.language,
                                         allow_blanks=choice.allow_blanks,
                                         offline=choice.offline)


def failure_status(error: HandoffError) -> int:
    """422: the handbook cannot be made from what was given; 502: the site failed."""
    return 422 if isinstance(error, InvalidInputError) else 502


def file_response(name: str, book: Handbook, fmt: str) -> Response:
    """The handbook as a download: its type, and a name with site, language and day."""
    response = Response(Handbooks.render(book, fmt), content_type=MEDIA_TYPES[fmt])
    response.headers.set("Content-Disposition", "attachment",
                         filename=Handbooks.file_name(name, book, fmt, date.today()))
    response.headers["Content-Security-Policy"] = FILE_CSP
    return response


def field_id(path: str) -> str:
    """The form control's id of an intake answer: "intake-developer-email"."""
    return "intake-" + path.replace(".", "-").replace("_", "-")


def intake_form(answers: dict, errors: dict[str, str], missing: list[dict]) -> list[dict]:
    """The schema's groups with each question's value(s), error and "still needed" mark."""
    needed = {row["path"] for row in missing if row["path"]}
    return [{"group": group,
             "fields": [_control(field, answers, errors, field.path in needed)
                        for field in group.fields]}
            for group in intake_groups()]


def _control(field: IntakeField, answers: dict, errors: dict[str, str], needed: bool) -> dict:
    value = get_path(answers, field.path)
    control = {"field": field, "id": field_id(field.path), "error": _error_of(field, errors),
               "needed": needed, "value": "", "rows": []}
    if field.kind == "list":
        rows = [str(item) for item in value] if isinstance(value, list) else []
        room = (field.max_items or len(rows) + BLANK_ROWS) - len(rows)
        control["rows"] = rows + [""] * max(0, min(BLANK_ROWS, room))
    elif value is not None:
        control["value"] = str(value)
    return control


def _error_of(field: IntakeField, errors: dict[str, str]) -> str:
    """The field's message; a list's refers to the line: "Line 3: is too long…"."""
    if field.path in errors:
        return errors[field.path]
    for path, message in errors.items():
        if path.startswith(field.path + ".") and field_of(path) == field.path:
            line = path.rsplit(".", 1)[-1]
            return f"Line {int(line) + 1}: {message}" if line.isdigit() else message
    return ""


def form_errors(errors: dict[str, str]) -> list[str]:
    """Messages that belong to no single question (shown above the form)."""
    return [message for path, message in errors.items()
            if path not in PAGE_INPUTS and field_of(path) is None]


def missing_rows(missing: list[tuple[str, str | None]] | None) -> list[dict] | None:
    """The answers the build still needs, with the question that fills each."""
    if missing is None:
        return None
    labels = {field.path: f"{group.title} › {field.label}" if group.key else field.label
              for group in intake_groups() for field in group.fields}
    return [{"what": what, "path": path if path in labels else None,
             "label": labels.get(path or "", ""), "anchor": field_id(path or "")}
            for what, path in missing]


def status_view(state: dict) -> dict:
    """The site's handbook status in words: version, when, who, first view by the client."""
    first = state.get("first_view") or {}
    language = str(state.get("language") or "")
    return {
        "published": bool(state.get("published")), "title": str(state.get("title") or ""),
        "language": LANGUAGE_NAMES.get(language, language),
        "version": str(state.get("hash") or "")[:12],
        "published_at": _moment(state.get("published_at")),
        "sections": len(state.get("sections") or []),
        "first_view": {"login": str(first.get("user_login", "")),
                       "at": _moment(first.get("at"))} if first else None,
        "views": int(state.get("views_by_client") or 0),
    }


def _moment(stamp: object) -> str:
    if not isinstance(stamp, int) or stamp <= 0:
        return ""
    moment = datetime.fromtimestamp(stamp, UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC ({when(moment)})"


class Previews:
    """Handbooks the page has just built, kept a few minutes for its preview frame.

    The page builds once (syncing the site) to show build errors in the page itself; the
    frame then shows that same build instead of syncing and building again.
    """

    def __init__(self, limit: int = 8, seconds: float = 600.0) -> None:
        self.limit, self.seconds = limit, seconds
        self._items: OrderedDict[str, tuple[str, str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, site: str, html: str) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = (site, html, time.monotonic() + self.seconds)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return token

    def get(self, site: str, token: str) -> str | None:
        """The document, if the token is this site's and has not expired."""
        with self._lock:
            found = self._items.get(token)
        if found is None or found[0] != site or found[2] < time.monotonic():
            return None
        return found[1]
