"""The handover checklist as the dashboard shows it, and the inputs its forms send.

Shared by the Handover page (web/handover.py) and its API (web/handover_api.py); no site
logic lives here: only presentation, parsing and which field a core error belongs to.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask import Response

from handoff.cli.render import when
from handoff.core.handovers import BLOCKED, READY, Report
from handoff.errors import HandoffError
from handoff.handover.render import LETTER_FORMATS, Document, MissingLetterFacts, NotReadyError
from handoff.web.present import error_text

STATUS_LABELS = {"fail": "Fail", "warn": "Warning", "manual": "Needs sign-off",
                 "pass": "Pass", "signed": "Signed off", "waived": "Waived"}
COUNT_ORDER = ("fail", "warn", "manual", "pass", "signed", "waived")
VERDICT_CLASS = {READY: "ready", BLOCKED: "blocked"}
LETTER_KINDS = ("handover", "parting")
HISTORY_SHOWN = 30

# Which form field a core error belongs next to.
FIELD_OF_CODE = {
    "missing_by": "by", "too_long_by": "by", "missing_reason": "reason",
    "too_long_reason": "reason", "too_long_note": "note", "unknown_item": "item",
    "not_manual": "item", "format": "format", "letter_parting": "kind",
    "letter_reason": "reason", "letter_refund": "refund", "letter_final_date": "final_date",
    "letter_recommend": "recommend", "blocked": "complete", "no_run": "complete",
    "letter_draft": "draft", "not_ready": "draft", "language": "lang",
}
TRUE = ("1", "true", "yes", "on")


def error_field(error: HandoffError, default: str = "form") -> str:
    return FIELD_OF_CODE.get(error.code, default)


def field_message(error: HandoffError) -> str:
    """The core's words for the field: the cause alone where the fix names a CLI option."""
    if error.code.startswith(("missing_", "too_long_")):
        return error.cause
    return error_text(error)


def moment(iso: str) -> str:
    """'2026-11-26 10:00 UTC (3 h ago)' for a stored ISO time; '' for none."""
    if not iso:
        return ""
    at = datetime.fromisoformat(iso)
    return f"{at:%Y-%m-%d %H:%M} UTC ({when(at)})"


def report_view(report: Report | None) -> dict | None:
    """The report for the page: verdict, counts in a calm order, groups of items."""
    if report is None:
        return None
    counts = report.counts()
    groups = []
    for group, title in report.groups.items():
        items = [item_view(item) for item in report.items if item.group == group]
        if items:
            groups.append({"id": group, "title": title, "items": items,
                           "open": sum(1 for item in items if item["open"])})
    return {"site": report.site, "verdict": report.verdict,
            "verdict_class": VERDICT_CLASS.get(report.verdict, "attention"),
            "run_at": moment(report.run_at),
            "counts": [(status, STATUS_LABELS[status], counts[status])
                       for status in COUNT_ORDER if counts.get(status)],
            "blockers": [{"id": item.id, "title": item.title} for item in report.blockers()],
            "completed": {**report.completed, "when": moment(report.completed.get("at", ""))}
            if report.completed else {},
            "groups": groups, "total": len(report.items)}


def item_view(item) -> dict:
    """One item: its result, a label, and whether it can still be signed off."""
    data = asdict(item)
    data.update(open=item.open, label=STATUS_LABELS[item.status],
                can_sign=item.kind == "manual" and item.status == "manual",
                decided=moment(item.decision.get("at", "")) if item.decision else "")
    return data


def history_view(runs: list[dict], decisions: list[dict]) -> dict:
    """Runs and decisions as one timeline, newest first."""
    events = [{"at": run["started_at"], "what": "Check",
               "detail": run["verdict"] if run["complete"]
               else f"incomplete: {run['error']}", "by": "", "ok": run["complete"]}
              for run in runs]
    words = {"sign": "Signed off", "waive": "Waived", "complete": "Completed"}
    events += [{"at": d["at"], "what": words.get(d["kind"], d["kind"]),
                "item": d["item_id"], "detail": d["note"], "by": d["by"], "ok": True}
               for d in decisions]
    events.sort(key=lambda event: event["at"], reverse=True)
    for event in events:
        event["when"] = moment(event["at"])
    return {"events": events[:HISTORY_SHOWN], "total": len(events)}


def recommendations(values: list[str]) -> list[str]:
    """Names of other developers: one per line of each value (a textarea or repeated args)."""
    return [line.strip() for value in values for line in value.splitlines() if line.strip()]


def letter_options(args) -> tuple[dict, dict[str, str]]:
    """The letter's options from query arguments, and errors of the ones not understood.

    `args` is a MultiDict (request.args). The parting letter's options go to the core as
    given; the core refuses them for the handover letter.
    """
    errors = {}
    kind = args.get("kind", "handover")
    fmt = args.get("format", "md")
    if kind not in LETTER_KINDS:
        errors["kind"] = "Choose the handover letter or the parting letter."
    if fmt not in LETTER_FORMATS:
        errors["format"] = "Choose Markdown (md), HTML (html) or PDF (pdf)."
    options = {"fmt": fmt, "parting": kind == "parting",
               "draft": args.get("draft", "").lower() in TRUE,
               "language": args.get("lang", "").strip() or None,
               "allow_blanks": args.get("allow_blanks", "").lower() in TRUE,
               "reason": args.get("reason", "").strip(),
               "final_date": args.get("final_date", "").strip(),
               "refund": args.get("refund", "").strip(),
               "alternatives": recommendations(args.getlist("recommend"))}
    return options, errors


def letter_errors(error: HandoffError) -> dict[str, str]:
    """A refused letter as errors next to its fields: each missing one by name."""
    if isinstance(error, MissingLetterFacts):
        return {field: "Needed for the parting letter: it is never made up."
                for field in error.missing}
    if isinstance(error, NotReadyError):
        return {"draft": f"{error.cause} Tick Draft for a marked draft that lists the open "
                         "items."}
    return {error_field(error): field_message(error)}


def download(document: Document) -> Response:
    """A document as an attachment: never shown inline under the dashboard's origin."""
    # Site names are [a-z0-9._-], so the file name needs no quoting beyond the quotes.
    return Response(document.body, content_type=document.media_type, headers={
        "Content-Disposition": f'attachment; filename="{document.filename}"'})
