"""Finding and reading handbook templates: shipped, overridden by the user, per language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handoff.errors import InvalidInputError

SHIPPED = Path(__file__).resolve().parent.parent / "handbook_templates"
LANGUAGES = ("en", "vi", "zh")
FALLBACK = "en"


class TemplateError(InvalidInputError):
    """A template that cannot be used; the message names the file (and line)."""

    def __init__(self, cause: str, fix: str = "correct the template and build again") -> None:
        super().__init__(cause, fix, code="template")


@dataclass
class TemplateFile:
    """One chapter or snippet: its front matter and the Markdown + Jinja body."""

    path: Path
    meta: dict
    body: str
    body_line: int  # line of the file where the body starts, for error messages
    language: str

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.path.stem))


@dataclass
class TemplateSet:
    """The templates of one language, with the user's folder in front of the shipped one."""

    language: str
    user_dir: Path | None = None
    fallbacks: list[str] = field(default_factory=list)  # snippets read from English

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise InvalidInputError(f"No handbook templates for language {self.language!r}.",
                                    f"use one of: {', '.join(LANGUAGES)}", code="language")
        if self.user_dir is not None and not self.user_dir.is_dir():
            raise InvalidInputError(f"Template folder {self.user_dir} does not exist.",
                                    "check the --templates path", code="templates_dir")

    def _roots(self, language: str) -> list[Path]:
        roots = [self.user_dir / language] if self.user_dir else []
        return roots + [SHIPPED / language]

    def strings(self) -> dict:
        merged: dict = {}
        for language in dict.fromkeys([FALLBACK, self.language]):
            for root in reversed(self._roots(language)):
                path = root / "strings.yaml"
                if path.is_file():
                    merged.update(_load_yaml(path))
        return merged

    def chapters(self) -> list[TemplateFile]:
        """The chapters in file-name order; a user file replaces the shipped one."""
        files: dict[str, Path] = {}
        for root in reversed(self._roots(self.language)):
            for path in sorted((root / "chapters").glob("*.md.j2")):
                files[path.name] = path
        if not files:
            raise TemplateError(f"No chapters found for language {self.language!r}.",
                                "check the template folders")
        return [read_template(files[name], self.language) for name in sorted(files)]

    def snippet(self, folder: str) -> TemplateFile | None:
        """The snippet of a plugin folder in this language, else in English (noted)."""
        for language in dict.fromkeys([self.language, FALLBACK]):
            for root in self._roots(language):
                path = root / "plugins" / f"{folder}.md.j2"
                if path.is_file():
                    if language != self.language:
                        self.fallbacks.append(folder)
                    return read_template(path, language)
        return None


def _load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{path} must hold a YAML mapping.")
    return data


def read_template(path: Path, language: str) -> TemplateFile:
    """Split a template into its front matter and body."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"Cannot read {path}: {exc}") from None
    if not text.startswith("---\n"):
        return TemplateFile(path, {}, text, 1, language)
    end = text.find("\n---\n", 4)
    if end < 0:
        raise TemplateError(f"{path}:1: the front matter opened by '---' is never closed.")
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise TemplateError(f"{path}:{line}: the front matter is not valid YAML.") from None
    if not isinstance(meta, dict):
        raise TemplateError(f"{path}:2: the front matter must be a YAML mapping.")
    if meta.get("on_missing", "drop") not in ("drop", "fail"):
        raise TemplateError(f"{path}: on_missing must be 'drop' or 'fail'.")
    body_line = text[:end + 5].count("\n") + 1
    return TemplateFile(path, meta, text[end + 5:], body_line, language)
