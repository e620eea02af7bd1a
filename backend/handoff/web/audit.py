"""The Audit page (filters, pages, CSV/JSON downloads) and GET /api/v1/audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, render_template, request

from handoff.core import audit as audit_log
from handoff.core.audit import AuditFilter, InvalidFilterError
from handoff.web import handoff_app
from handoff.web.api import MAX_PER_PAGE, field_errors, protect
from handoff.web.openapi import UNAUTHORIZED, json_content, ref
from handoff.web.present import page_numbers

blueprint = Blueprint("audit", __name__)
api_blueprint = protect(Blueprint("api_audit", __name__))
PAGE_SIZE = 50
FILTERS = ("site", "action", "actor", "since", "until", "result")


def _filters() -> tuple[dict[str, str], AuditFilter | None, dict[str, str]]:
    """The filters as typed, as parsed (None when any is bad), and the problems by field."""
    typed = {name: request.args.get(name, "").strip() for name in FILTERS}
    try:
        return typed, AuditFilter.parse(**typed), {}
    except InvalidFilterError as error:
        return typed, None, error.fields


def _positive(name: str, default: int) -> tuple[int, str | None]:
    raw = request.args.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        return default, "must be a whole number from 1"
    return int(raw), None


def _paging(default_per_page: int, max_per_page: int) -> tuple[int, int, dict[str, str]]:
    page, page_error = _positive("page", 1)
    per_page, per_page_error = _positive("per_page", default_per_page)
    errors = {name: message for name, message in (("page", page_error),
                                                  ("per_page", per_page_error)) if message}
    return page, min(per_page, max_per_page), errors


def _event_row(event) -> dict:
    row = audit_log.event_dict(event)
    row["when"] = event.at.strftime("%Y-%m-%d %H:%M:%S")
    row["data_text"] = json.dumps(row["data"], ensure_ascii=False, indent=2, sort_keys=True) \
        if row["data"] else ""
    return row


# -- pages ------------------------------------------------------------------------------

@blueprint.get("/audit")
def index():
    typed, where, errors = _filters()
    page, _, paging_errors = _paging(PAGE_SIZE, PAGE_SIZE)
    errors.update({k: v for k, v in paging_errors.items() if k == "page"})
    actions = handoff_app().audit.actions()
    context = {"filters": typed, "errors": errors, "events": [], "total": 0, "page": page,
               "pages": 1, "numbers": [], "actions": actions,
               "action_groups": sorted({action.split(".")[0] for action in actions}),
               "keep": {name: value for name, value in typed.items() if value}}
    if not errors:
        audit = handoff_app().audit
        total = audit.count(where)
        pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
        events = audit.query(where, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        context.update(events=[_event_row(e) for e in events], total=total, pages=pages,
                       numbers=page_numbers(page, pages), first=(page - 1) * PAGE_SIZE + 1)
    return render_template("audit.html", **context), 400 if errors else 200


@blueprint.get("/audit.<fmt>")
def download(fmt: str):
    """Every event matching the filters, as a CSV or JSON file."""
    if fmt not in audit_log.FORMATS:
        abort(404, "Downloads are audit.csv and audit.json.")
    _, where, errors = _filters()
    if errors:
        abort(400, "Bad filter — " + "; ".join(f"{k}: {v}" for k, v in errors.items()) + ".")
    text = audit_log.render(handoff_app().audit.query(where, limit=None), fmt)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(text, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="handoff-audit-{stamp}.{fmt}"'})


# -- API --------------------------------------------------------------------------------

@api_blueprint.get("/audit")
def api_list():
    _, where, errors = _filters()
    page, per_page, paging_errors = _paging(20, MAX_PER_PAGE)
    errors.update(paging_errors)
    if errors:
        return field_errors(errors)
    audit = handoff_app().audit
    total = audit.count(where)
    events = audit.query(where, limit=per_page, offset=(page - 1) * per_page)
    return {"items": [audit_log.event_dict(e) for e in events], "page": page,
            "per_page": per_page, "total": total, "pages": (total + per_page - 1) // per_page}


def _query(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "description": description,
            "schema": {"type": "string", **schema}}


OPENAPI_PATHS = {"/audit": {"get": {
    "operationId": "listAuditEvents",
    "summary": "The audit log, newest first: every change made to a site, every sign-off "
               "and waiver, failed attempts included.",
    "parameters": [
        _query("site", "Only events of this site (by name; removed sites too)."),
        _query("action", "An action (menu.push) or a group of them (menu)."),
        _query("actor", "Only events by this actor, e.g. dashboard:sam, api:ci, cli:sam."),
        _query("since", "From this date (YYYY-MM-DD) or ISO time (UTC unless it has an "
                        "offset), inclusive."),
        _query("until", "Before this ISO time; a date includes that whole day."),
        _query("result", "ok or failed.", enum=["ok", "failed"]),
        {"name": "page", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "per_page", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
         "description": f"Values above {MAX_PER_PAGE} are lowered to {MAX_PER_PAGE}."}],
    "responses": {"200": json_content(ref("AuditPage"), "One page of events."),
                  "400": json_content(ref("FieldErrors"), "A filter or page is malformed."),
                  "401": UNAUTHORIZED}}}}

OPENAPI_SCHEMAS = {
    "AuditEvent": {"type": "object", "required": ["id", "at", "actor", "action", "site",
                                                  "result", "summary", "data"],
                   "properties": {"id": {"type": "integer"},
                                  "at": {"type": "string", "format": "date-time"},
                                  "actor": {"type": "string"}, "action": {"type": "string"},
                                  "site": {"type": "string"},
                                  "result": {"type": "string", "enum": ["ok", "failed"]},
                                  "summary": {"type": "string"},
                                  "data": {"type": "object", "description":
                                           "Versions, hashes, item ids, the error code of "
                                           "a failure; never a secret."}}},
    "AuditPage": {"type": "object", "required": ["items", "page", "per_page", "total",
                                                 "pages"],
                  "properties": {"items": {"type": "array", "items": ref("AuditEvent")},
                                 "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                 "total": {"type": "integer"}, "pages": {"type": "integer"}}},
}
