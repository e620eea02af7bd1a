"""The handover report (Markdown, HTML, PDF, JSON) and the letters to the client."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import markdown
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from handoff.core.handovers import Report
from handoff.errors import InvalidInputError
from handoff.handbook.build import STYLE

FORMATS = ("md", "html", "pdf", "json")
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


def write_report(report: Report, site_name: str, fmt: str, out_dir: Path) -> Path:
    if fmt not in FORMATS:
        raise InvalidInputError(f"Unknown format {fmt!r}.", f"use one of: {', '.join(FORMATS)}",
                                code="format")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{report.site}-handover-report.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False),
                        encoding="utf-8")
        return path
    text = report_markdown(report, site_name)
    if fmt == "md":
        path.write_text(text, encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(text, f"Handover report — {site_name}"), encoding="utf-8")
    else:
        from weasyprint import HTML  # loads Pango: only when a PDF is asked for

        path.write_bytes(HTML(string=to_html(text, "Handover report")).write_pdf())
    return path


def letter(report: Report, site: dict, intake: dict, *, parting: bool = False,
           reason: str = "", final_date: str = "", refund: str = "",
           alternatives: list[str] | None = None) -> str:
    """The handover letter, or the respectful "parting ways" letter, as Markdown."""
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
