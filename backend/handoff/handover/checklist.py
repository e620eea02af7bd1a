"""Checklist definitions: the shipped YAML, plus the user's own items and disabled ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handoff.errors import InvalidInputError
from handoff.handover.checks import CHECKS

SHIPPED = Path(__file__).resolve().parent / "checklist.yaml"
KINDS = ("auto", "manual")
SEVERITIES = ("blocker", "major", "minor")


@dataclass(frozen=True)
class Item:
    id: str
    group: str
    title: str
    kind: str
    severity: str
    check: str = ""
    fix: str = ""


@dataclass
class Checklist:
    groups: dict[str, str]
    items: list[Item]

    def get(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        known = ", ".join(item.id for item in self.items[:8])
        raise InvalidInputError(f"No checklist item {item_id!r}.",
                                f"use an id from `handoff handover check` (e.g. {known}, …)",
                                code="unknown_item")


class ChecklistError(InvalidInputError):
    def __init__(self, path: Path, line: int, what: str) -> None:
        super().__init__(f"{path}:{line}: {what}", "correct the checklist file",
                         code="checklist")


def load_checklist(extra: Path | None = None) -> Checklist:
    """The shipped checklist, with the items of `extra` added and its `disable` list applied."""
    groups, items = _read(SHIPPED)
    if extra is not None:
        more_groups, more_items, disabled = _read(extra, user=True, known=groups)
        groups.update(more_groups)
        ids = {item.id for item, _ in items}
        for item, line in more_items:
            if item.id in ids:
                raise ChecklistError(extra, line, f"item id {item.id!r} exists already")
            ids.add(item.id)
        unknown = [(name, line) for name, line in disabled if name not in ids]
        if unknown:
            raise ChecklistError(extra, unknown[0][1], f"cannot disable unknown item "
                                                       f"{unknown[0][0]!r}")
        off = {name for name, _ in disabled}
        items = [(i, n) for i, n in items + more_items if i.id not in off]
    return Checklist(groups, [item for item, _ in items])


def _read(path: Path, user: bool = False, known: dict | None = None):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc}", "check the file name",
                                code="checklist") from None
    try:
        document = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ChecklistError(path, mark.line + 1 if mark else 1,
                             f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ChecklistError(path, 1, "expected a mapping with groups, items and disable")
    lines = _item_lines(document)
    groups = data.get("groups") or {}
    if not isinstance(groups, dict):
        raise ChecklistError(path, 1, "groups must map an id to a title")
    items = []
    for index, raw in enumerate(data.get("items") or []):
        line = lines[index] if index < len(lines) else 1
        items.append((_item(raw, path, line, {**(known or {}), **groups}), line))
    disabled = [(str(name), 1) for name in (data.get("disable") or [])]
    if user:
        return groups, items, disabled
    return groups, items


def _item_lines(document) -> list[int]:
    if document is None or not hasattr(document, "value"):
        return []
    for key, value in document.value:
        if getattr(key, "value", None) == "items" and hasattr(value, "value"):
            return [node.start_mark.line + 1 for node in value.value]
    return []


def _item(raw: object, path: Path, line: int, groups: dict) -> Item:
    if not isinstance(raw, dict):
        raise ChecklistError(path, line, "an item must be a mapping")
    unknown = set(raw) - {"id", "group", "title", "kind", "severity", "check", "fix"}
    if unknown:
        raise ChecklistError(path, line, f"unknown key {sorted(unknown)[0]!r}")
    for key in ("id", "group", "title", "kind", "severity"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ChecklistError(path, line, f"{key!r} is missing")
    if raw["kind"] not in KINDS:
        raise ChecklistError(path, line, f"kind must be auto or manual, not {raw['kind']!r}")
    if raw["severity"] not in SEVERITIES:
        raise ChecklistError(path, line, f"severity must be one of {', '.join(SEVERITIES)}")
    if raw["group"] not in groups:
        raise ChecklistError(path, line, f"unknown group {raw['group']!r}")
    check = str(raw.get("check", ""))
    if raw["kind"] == "auto" and check not in CHECKS:
        raise ChecklistError(path, line, f"unknown check {check!r} "
                                         f"(known: {', '.join(sorted(CHECKS)[:6])}, …)")
    return Item(raw["id"], raw["group"], raw["title"], raw["kind"], raw["severity"], check,
                str(raw.get("fix", "")))
