"""The handover report (Markdown, HTML, PDF, JSON) and the letters to the client."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import markdown
from markupsafe import escape

from handoff.documents.safety import as_line, sanitize_html
from handoff.errors import HandoffError, InvalidInputError
from handoff.handbook.build import STYLE
from handoff.handover.composer import READY, Facts, Letter, Recommendation, compose, missing
from handoff.handover.wording import Words, words

if TYPE_CHECKING:  # core.handovers builds documents with this module: no import cycle
    from handoff.core.handovers import Report

FORMATS = ("md", "html", "pdf", "json")
LETTER_FORMATS = ("md", "html", "pdf")
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
               "pdf": "application/pdf", "json": "application/json"}
# Bounds of the parting letter's free text: a letter, not a place for whole documents.
TEXT_LIMIT, NAME_LIMIT, MOST_ALTERNATIVES = 1000, 200, 10
# "Name <email>": a developer to recommend, with the address the client can write to.
_RECOMMENDATION = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)>$")
_ADDRESS_TRIED = re.compile(r"<[^<>]*@[^<>]*>$")
_AMOUNT = re.compile(r"\d")
# Our own markup around a draft letter: a banner no reader can miss, in print too.
BANNER_STYLE = (".draft-banner { border: 3px solid #b32d2e; color: #8a2424; background: "
                "#fcf0f1; padding: .6em 1em; font-weight: 700; margin: 0 0 1.5em; }")


class NotReadyError(HandoffError):
    """The handover letter is asked for while the handover is not Ready."""

    exit_code = 6  # the exit code of a Blocked handover (README, exit codes)


class MissingLetterFacts(InvalidInputError):
    """The parting letter lacks what only the user can say; `missing` names the options."""

    def __init__(self, missing_options: list[str]) -> None:
        names = " and ".join(f"--{name.replace('_', '-')}" for name in missing_options)
        super().__init__(f"The parting letter needs {names}: we never make them up.",
                         "give them, answer the questions on a terminal, or pass "
                         "--allow-blanks to print visible blanks to fill in by hand",
                         code="letter_missing")
        self.missing = missing_options


def _cell(text: object) -> str:
    """Site or intake text in a table cell or heading: text, on one line."""
    return str(as_line(text))


def _day(iso: str) -> date | None:
    return datetime.fromisoformat(iso).date() if iso else None


# -- the report --------------------------------------------------------------------------

def report_markdown(report: Report, site_name: str, language: str = "en") -> str:
    said = words(language)
    checked = datetime.fromisoformat(report.run_at) if report.run_at else None
    lines = [f"# {said.text('report_title').format(site=_cell(site_name))}", ""]
    verdict = said.text("report_verdict").format(verdict=said.verdict(report.verdict))
    if checked:
        verdict += " · " + said.text("report_checked", len(report.items)).format(
            date=said.date(checked.date()), time=f"{checked:%H:%M}", n=len(report.items))
    lines += [f"**{verdict}**", ""]
    marks = said.raw("marks")
    lines += [", ".join(f"{marks[k]}: {v}" for k, v in sorted(report.counts().items())), ""]
    if report.completed:
        key = "report_completed_note" if report.completed.get("note") else "report_completed"
        lines += [said.text(key).format(by=_cell(report.completed["by"]),
                                        date=said.date(_day(report.completed["at"])),
                                        note=_cell(report.completed.get("note", ""))), ""]
    columns = " | ".join(said.raw("report_columns"))
    for group, title in report.groups.items():
        items = [i for i in report.items if i.group == group]
        if items:
            lines += [f"## {_cell(title)}", "", f"| {columns} |", "|---|---|---|"]
            lines += [_report_row(item, said) for item in items] + [""]
    return "\n".join(lines)


def _report_row(item, said: Words) -> str:
    detail = _cell(item.detail)
    if item.decision:
        verb = "report_signed" if item.status == "signed" else "report_waived"
        detail = said.text(verb).format(by=_cell(item.decision["by"]),
                                        date=said.date(_day(item.decision["at"])))
        if item.decision.get("note"):
            detail += f": {_cell(item.decision['note'])}"
    elif item.open and item.fix:
        fix = said.text("report_fix").format(fix=_cell(item.fix))
        detail = f"{detail} — {fix}" if detail else fix
    severity = said.raw("severities").get(item.severity, item.severity)
    return (f"| {_cell(item.title)} ({_cell(severity)}) | {said.raw('marks')[item.status]} | "
            f"{detail} |")


def to_html(text: str, title: str, language: str = "en", banner: str = "") -> str:
    """A standalone document: our head, stylesheet and banner; a sanitized body."""
    body = sanitize_html(markdown.markdown(
        text, extensions=["tables", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}}))
    top = f'<p class="draft-banner" role="note">{escape(banner)}</p>\n' if banner else ""
    return (f'<!doctype html>\n<html lang="{escape(words(language).html_lang)}">\n<head>'
            f'<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>\n{STYLE}\nh2 {{ break-before: auto; }}\n"
            f"{BANNER_STYLE}\n</style></head>\n<body>\n{top}{body}\n</body>\n</html>\n")


@dataclass(frozen=True)
class Document:
    """A file to hand out: its name, its media type and its bytes."""

    filename: str
    media_type: str
    body: bytes


def _pdf(html: str) -> bytes:
    from handoff.documents.pdf import render_pdf  # loads Pango: only when a PDF is asked for

    return render_pdf(html)


def report_document(report: Report, site_name: str, fmt: str,
                    language: str = "en") -> Document:
    """The report as a file in one of FORMATS, its words in `language`."""
    _check_format(fmt, FORMATS)
    if fmt == "json":
        body = json.dumps(report.as_dict(), indent=2, ensure_ascii=False).encode()
    else:
        text = report_markdown(report, site_name, language)
        title = words(language).text("report_title").format(site=site_name)
        if fmt == "md":
            body = text.encode()
        elif fmt == "html":
            body = to_html(text, title, language).encode()
        else:
            body = _pdf(to_html(text, title, language))
    return Document(f"{report.site}-handover-report.{fmt}", MEDIA_TYPES[fmt], body)


def write_report(report: Report, site_name: str, fmt: str, out_dir: Path,
                 language: str = "en") -> Path:
    document = report_document(report, site_name, fmt, language)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / document.filename
    path.write_bytes(document.body)
    return path


# -- the letters -------------------------------------------------------------------------

@dataclass(frozen=True)
class LetterRequest:
    """What the user asked for: which letter, how, and the parting letter's own words."""

    parting: bool = False
    draft: bool = False
    allow_blanks: bool = False
    reason: str = ""
    final_date: str = ""
    refund: str = ""
    alternatives: tuple[str, ...] = ()


def letter_document(site: str, facts: Facts, *, fmt: str = "md", language: str = "en",
                    parting: bool = False) -> Document:
    """The handover or parting letter as a file; the handover letter only when Ready,
    or as a visible draft."""
    _check_format(fmt, LETTER_FORMATS)
    if not parting and facts.verdict != READY and not facts.draft:
        raise NotReadyError(f"The handover of {site!r} is not Ready (verdict: {facts.verdict}"
                            f"; {len(facts.pending)} open): the letter would say what is not "
                            "true yet.", "settle the open items and run the check again, or "
                            "pass --draft for a marked draft that lists them",
                            code="not_ready")
    if parting and missing(facts) and not facts.allow_blanks:
        raise MissingLetterFacts(missing(facts))
    letter = compose(facts, words(language), parting=parting)
    kind = "parting-letter" if parting else "handover-letter"
    return Document(f"{site}-{kind}.{fmt}", MEDIA_TYPES[fmt], _letter_body(letter, fmt,
                                                                           language))


def _letter_body(letter: Letter, fmt: str, language: str) -> bytes:
    if fmt == "md":
        return letter.markdown().encode()
    html = to_html(letter.body, letter.title, language, letter.banner)
    return html.encode() if fmt == "html" else _pdf(html)


def _check_format(fmt: str, known: tuple[str, ...]) -> None:
    if fmt not in known:
        raise InvalidInputError(f"Unknown format {fmt!r}.", f"use one of: {', '.join(known)}",
                                code="format")


def typed_facts(request: LetterRequest) -> dict:
    """The parting letter's options as facts; refused when misplaced, malformed or too long."""
    given = [option for option, value in (
        ("reason", request.reason), ("final date", request.final_date),
        ("refund", request.refund), ("recommendations", request.alternatives),
        ("blanks", request.allow_blanks)) if value]
    if given and not request.parting:
        raise InvalidInputError(f"The {' and '.join(given)} belong to the parting letter.",
                                "ask for the parting letter, or leave them out",
                                code="letter_parting")
    if request.draft and request.parting:
        raise InvalidInputError("The parting letter has no draft: it can be written at any "
                                "stage.", "leave the draft out", code="letter_draft")
    for option, value in (("reason", request.reason), ("refund", request.refund)):
        if len(value) > TEXT_LIMIT:
            raise InvalidInputError(f"The {option} is longer than {TEXT_LIMIT} characters.",
                                    "shorten it: the letter says the rest in person",
                                    code=f"letter_{option}")
    if request.refund.strip() and not _AMOUNT.search(request.refund):
        raise InvalidInputError("The refund names no amount.", "say how much, e.g. "
                                "\"EUR 400 for the unused hours, by 15 January\"",
                                code="letter_refund")
    return {"reason": request.reason.strip(), "refund": request.refund.strip(),
            "final_date": parse_final_date(request.final_date),
            "recommendations": parse_recommendations(request.alternatives),
            "draft": request.draft, "allow_blanks": request.allow_blanks}


def parse_final_date(text: str) -> date | None:
    """YYYY-MM-DD as a date; None when not given."""
    text = text.strip()
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a date.",
                                "write the final date as YYYY-MM-DD, e.g. 2027-01-31",
                                code="letter_final_date") from None


def parse_recommendations(values: tuple[str, ...] | list[str]) -> tuple[Recommendation, ...]:
    """Developers to recommend: "Name <email>", or anything else as a name (text)."""
    if len(values) > MOST_ALTERNATIVES or any(
            not value.strip() or len(value) > NAME_LIMIT for value in values):
        raise InvalidInputError(f"Recommend at most {MOST_ALTERNATIVES} developers, each a "
                                f"name of 1 to {NAME_LIMIT} characters.",
                                "name each developer in one short line, e.g. "
                                "\"Another Studio <hello@another.example>\"",
                                code="letter_recommend")
    found = []
    for value in values:
        value = value.strip()
        match = _RECOMMENDATION.match(value)
        if match and match["name"]:
            found.append(Recommendation(match["name"], match["email"]))
        elif _ADDRESS_TRIED.search(value):
            raise InvalidInputError(f"{value!r} is not a name with an e-mail address.",
                                    "write it as \"Name <name@example.com>\", or the name "
                                    "alone", code="letter_recommend")
        else:
            found.append(Recommendation(value))
    return tuple(found)
