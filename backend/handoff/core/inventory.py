"""The inventory document: validation against the plugin's schema, and reading it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

try:  # compiled (Rust): a valid inventory is checked in well under a millisecond
    import jsonschema_rs
except ImportError:  # pragma: no cover - then only the pure-Python validator is used
    jsonschema_rs = None

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


@cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def _compiled(name: str):
    """The compiled validator of a schema (made once), or None without jsonschema_rs."""
    if jsonschema_rs is None:
        return None
    return jsonschema_rs.Draft202012Validator(_schema(name))


def schema_errors_at(document: object, name: str = "inventory") -> list[tuple[str, str]]:
    """Every schema violation as (JSON path like 'menu/3/state', message), in path order.

    A document the compiled validator accepts has none; otherwise the pure-Python
    validator says what is wrong, in the words (and `x-error`s) users know.
    """
    compiled = _compiled(name)
    if compiled is not None and compiled.is_valid(document):
        return []
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [("/".join(map(str, e.path)), _message(e)) for e in errors]


def _message(error) -> str:
    # A pattern can carry a readable explanation (`x-error`) instead of the raw regex.
    if isinstance(error.schema, dict) and "x-error" in error.schema:
        if error.validator == "pattern":
            return f"{error.instance!r} {error.schema['x-error']}"
        if error.validator == "anyOf":
            return str(error.schema["x-error"])
    return error.message


def schema_errors(document: object, name: str = "inventory", limit: int = 5) -> list[str]:
    """Return up to `limit` readable schema violations ('path: message'), [] when valid."""
    return [f"{path or '(root)'}: {message}"
            for path, message in schema_errors_at(document, name)[:limit]]


def active_plugins(inventory: dict) -> list[dict]:
    return [p for p in inventory.get("plugins", []) if p.get("active")]


def active_theme(inventory: dict) -> dict | None:
    return next((t for t in inventory.get("themes", []) if t.get("active")), None)


def menu_titles(tree: list[dict]) -> list[str]:
    """Return 'Top' and 'Top › Sub' titles of a menu tree, in order."""
    lines = []
    for item in tree:
        lines.append(item["title"])
        lines.extend(f"{item['title']} › {child['title']}" for child in item.get("children", []))
    return lines
