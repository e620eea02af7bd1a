"""The handover report (Markdown, HTML, PDF, JSON) and the letters to the client."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import markdown
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from handoff.errors import InvalidInputError
from handoff.handbook.build import STYLE

if TYPE_CHECKING:  # core.handovers builds documents with this module: no import cycle
    from handoff.core.handovers import Report

FORMATS = ("md", "html", "pdf", "json")
LETTER_FORMATS = ("md", "html")
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
               "pdf": "application/pdf", "json": "application/json"}
# Bounds of the parting letter's free text: a letter, not a place for whole documents.
TEXT_LIMIT, NAME_LIMIT, MOST_ALTERNATIVES = 1000, 200, 10
LETTERS = Path(__file__).resolve().parent / "letters"
MARKS = {"pass": "✓ pass", "warn": "! warn", "fail": "✗ fail", "manual": "… manual",
         "signed": "✓ signed", "waived": "~ waived"}


def _cell(text: object) -> str:
    return str(escape(text)).replace("|", "\\|").replace("\n", " ")


def report_markdown(report: Report, site_name: str) -> str:
    lines = [f"# Handover report — {_cell(site_name)}", "",
             f"**Verdict: {report.verdict}** · checked {report.run_at[:16].replace('T', ' ')} UTC",
             ""]
    counts = report.counts()
    lines += [", ".join(f"{MARKS[k]}: {v}" for k, v in sorted(counts.items())), ""]
    if report.completed:
        lines += [f"Completed by {_cell(report.completed['by'])} on "
                  f"{report.completed['at'][:10]} ({_cell(report.completed['note'])}).", ""]
    for group, title in report.groups.items():
        items = [i for i in report.items if i.group == group]
        if not items:
            continue
        lines += [f"## {_cell(title)}", "", "| Item | Result | Details |", "|---|---|---|"]
        for item in items:
            detail = item.detail
            if item.decision:
                verb = "signed by" if item.status == "signed" else "waived by"
                detail = f"{verb} {item.decision['by']} on {item.decision['at'][:10]}" + (
                    f": {item.decision['note']}" if item.decision.get("note") else "")
            elif item.open and item.fix:
                detail = f"{detail} — fix: {item.fix}" if detail else f"fix: {item.fix}"
            lines.append(f"| {_cell(item.title)} ({item.severity}) | {MARKS[item.status]} | "
                         f"{_cell(detail)} |")
        lines.append("")
    return "\n".join(lines)


def to_html(text: str, title: str) -> str:
    body = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return (f'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>\n<style>\n{STYLE}\nh2 {{ break-before: auto; }}\n"
            f"</style></head>\n<body>\n{body}\n</body>\n</html>\n")


@dataclass(frozen=True)
class Document:
    """A file to hand out: its name, its media type and its bytes."""

    filename: str
    media_type: str
    body: bytes


def report_document(report: Report, site_name: str, fmt: str) -> Document:
    """The report as a file in one of FORMATS."""
    _check_format(fmt, FORMATS)
    if fmt == "json":
        body = json.dumps(report.as_dict(), indent=2, ensure_ascii=False).encode()
    else:
        text = report_markdown(report, site_name)
        if fmt == "md":
            body = text.encode()
        elif fmt == "html":
            body = to_html(text, f"Handover report — {site_name}").encode()
        else:
            from weasyprint import HTML  # loads Pango: only when a PDF is asked for

            body = HTML(string=to_html(text, "Handover report")).write_pdf()
    return Document(f"{report.site}-handover-report.{fmt}", MEDIA_TYPES[fmt], body)


def write_report(report: Report, site_name: str, fmt: str, out_dir: Path) -> Path:
    document = report_document(report, site_name, fmt)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / document.filename
    path.write_bytes(document.body)
    return path


def letter_document(report: Report, site: dict, intake: dict, *, fmt: str = "md",
                    parting: bool = False, reason: str = "", final_date: str = "",
                    refund: str = "", alternatives: list[str] | None = None) -> Document:
    """The handover or parting letter as a Markdown or HTML file."""
    _check_format(fmt, LETTER_FORMATS)
    text = letter(report, site, intake, parting=parting, reason=reason,
                  final_date=final_date, refund=refund, alternatives=alternatives)
    kind = "parting-letter" if parting else "handover-letter"
    body = to_html(text, "Letter") if fmt == "html" else text
    return Document(f"{report.site}-{kind}.{fmt}", MEDIA_TYPES[fmt], body.encode())


def _check_format(fmt: str, known: tuple[str, ...]) -> None:
    if fmt not in known:
        raise InvalidInputError(f"Unknown format {fmt!r}.", f"use one of: {', '.join(known)}",
                                code="format")


def check_letter_options(*, parting: bool, reason: str, final_date: str, refund: str,
                         alternatives: list[str]) -> None:
    """Refuse parting-letter options that are misplaced, malformed or too long."""
    given = [option for option, value in (("reason", reason), ("final date", final_date),
                                          ("refund", refund), ("recommendations", alternatives))
             if value]
    if given and not parting:
        raise InvalidInputError(f"The {' and '.join(given)} belong to the parting letter.",
                                "ask for the parting letter, or leave them out",
                                code="letter_parting")
    for option, value in (("reason", reason), ("refund", refund)):
        if len(value) > TEXT_LIMIT:
            raise InvalidInputError(f"The {option} is longer than {TEXT_LIMIT} characters.",
                                    "shorten it: the letter says the rest in person",
                                    code=f"letter_{option}")
    if final_date:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", final_date):
                raise ValueError(final_date)
            date.fromisoformat(final_date)
        except ValueError:
            raise InvalidInputError(f"{final_date!r} is not a date.",
                                    "write the final date as YYYY-MM-DD, e.g. 2027-01-31",
                                    code="letter_final_date") from None
    if len(alternatives) > MOST_ALTERNATIVES or any(
            not name.strip() or len(name) > NAME_LIMIT for name in alternatives):
        raise InvalidInputError(f"Recommend at most {MOST_ALTERNATIVES} developers, each a "
                                f"name of 1 to {NAME_LIMIT} characters.",
                                "name each developer in one short line",
                                code="letter_recommend")


def letter(report: Report, site: dict, intake: dict, *, parting: bool = False,
           reason: str = "", final_date: str = "", refund: str = "",
           alternatives: list[str] | None = None) -> str:
    """The handover letter, or the respectful "parting ways" letter, as Markdown."""
    check_letter_options(parting=parting, reason=reason, final_date=final_date,
                         refund=refund, alternatives=alternatives or [])
    environment = SandboxedEnvironment(autoescape=False, trim_blocks=True, lstrip_blocks=True)
    environment.filters["safe_text"] = lambda value: str(escape(value or ""))
    name = "parting.md.j2" if parting else "handover.md.j2"
    template = environment.from_string((LETTERS / name).read_text(encoding="utf-8"))
    done = [i for i in report.items if i.status in ("pass", "signed")]
    waived = [i for i in report.items if i.status == "waived"]
    return template.render(site=site, intake=intake, client=intake.get("client") or {},
                           developer=intake.get("developer") or {}, report=report, done=done,
                           waived=waived, reason=reason, final_date=final_date,
                           refund=refund, alternatives=alternatives or [],
                           today=datetime.now(UTC).date().isoformat())
