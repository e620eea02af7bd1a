"""The words of the handover report and the letters, per language: texts, plurals, dates.

The texts are data (wording.LANG.yaml beside this module); this module picks a text, its
plural form for a count, and writes dates the way each language does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from handoff.errors import InvalidInputError

LANGUAGES = ("en", "vi", "zh")
HERE = Path(__file__).resolve().parent
# The lang attribute of an HTML document: zh is written in Simplified characters.
HTML_LANG = {"zh": "zh-CN"}


def check_language(language: str) -> str:
    """The language when we have its texts; else the refusal, naming the ones we have."""
    if language not in LANGUAGES:
        raise InvalidInputError(f"No texts for language {language!r}.",
                                f"use one of: {', '.join(LANGUAGES)}", code="language")
    return language


def plural_form(language: str, count: int) -> str:
    """The CLDR plural category of `count`: English has one and other; vi and zh only other."""
    if language == "en" and count == 1:
        return "one"
    return "other"


@cache
def _texts(language: str) -> dict:
    path = HERE / f"wording.{check_language(language)}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Words:
    """The texts of one language, looked up by key."""

    language: str

    def raw(self, key: str):
        return _texts(self.language)[key]

    def text(self, key: str, count: int | None = None) -> str:
        """The text of `key`; for a text with plural forms, the form `count` takes."""
        found = self.raw(key)
        if isinstance(found, dict):
            return found[plural_form(self.language, count or 0)]
        return found

    def date(self, day: date) -> str:
        """31 January 2027 / 31 tháng 1 năm 2027 / 2027年1月31日."""
        months = self.raw("months")
        return self.raw("date").format(day=day.day, month=months[day.month - 1],
                                       month_number=day.month, year=day.year)

    def verdict(self, verdict: str) -> str:
        return self.raw("verdicts").get(verdict, verdict)

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.language, self.language)


def words(language: str) -> Words:
    return Words(check_language(language))
