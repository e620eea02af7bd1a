"""The handover checklist in the JSON API: /api/v1/sites/{name}/handover/…"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, request

from handoff.errors import HandoffError, InvalidInputError
from handoff.handover.render import NotReadyError
from handoff.web import handoff_app
from handoff.web.api import failure, field_errors, json_body, protect, site_or_404
from handoff.web.handover_view import (
    download,
    error_field,
    field_message,
    letter_errors,
    letter_options,
)
from handoff.web.jobs import start_job
from handoff.web.openapi import (
    NOT_FOUND,
    SITE_FAILED,
    SITE_NAME,
    UNAUTHORIZED,
    json_content,
    ref,
)

api_blueprint = protect(Blueprint("api_handover", __name__))
BASE = "/sites/<name>/handover"


@api_blueprint.get(BASE)
def latest(name: str):
    site_or_404(name)
    try:
        return handoff_app().handovers.latest(name).as_dict()
    except InvalidInputError as error:
        return _no_run(name, error)


@api_blueprint.post(f"{BASE}/check")
def check(name: str):
    """Start the check as a background job: 202 with the job to poll."""
    site_or_404(name)
    job_id = start_job("handover.check", {}, names=[name])
    return handoff_app().jobs.get(job_id).as_dict(), 202, {"Location": f"/api/v1/jobs/{job_id}"}


@api_blueprint.post(f"{BASE}/items/<item_id>/sign")
def sign(name: str, item_id: str):
    site_or_404(name)
    body, errors = _strings(required=("by",), optional=("note",))
    if errors:
        return field_errors(errors)
    return _decided(name, lambda: handoff_app().handovers.sign(
        name, item_id, body["by"], body.get("note", "")))


@api_blueprint.post(f"{BASE}/items/<item_id>/waive")
def waive(name: str, item_id: str):
    site_or_404(name)
    body, errors = _strings(required=("reason",), optional=("by",))
    if errors:
        return field_errors(errors)
    return _decided(name, lambda: handoff_app().handovers.waive(
        name, item_id, body["reason"], body.get("by", "")))


@api_blueprint.post(f"{BASE}/complete")
def complete(name: str):
    site_or_404(name)
    body, errors = _strings(required=("by",), optional=())
    if body is not None and not isinstance(body.get("disconnect", False), bool):
        errors["disconnect"] = "true or false."
    if errors:
        return field_errors(errors)
    try:
        report = handoff_app().handovers.complete(name, body["by"],
                                                  body.get("disconnect", False))
    except InvalidInputError as error:
        if error.code in ("blocked", "no_run"):  # the state refuses, not the input
            return {"error": error.code, "message": error.cause, "fix": error.fix}, 409
        return field_errors({error_field(error, "by"): field_message(error)}, code=error.code)
    except HandoffError as error:
        return failure(error)
    return report.as_dict()


@api_blueprint.get(f"{BASE}/report")
def report(name: str):
    site_or_404(name)
    fmt = request.args.get("format", "html")
    try:
        return download(handoff_app().handovers.report_file(
            name, fmt, language=request.args.get("lang") or None))
    except InvalidInputError as error:
        if error.code == "no_run":
            return _no_run(name, error)
        return field_errors({error_field(error, "format"): field_message(error)},
                            code=error.code)


@api_blueprint.get(f"{BASE}/letter")
def letter(name: str):
    site_or_404(name)
    options, errors = letter_options(request.args)
    if errors:
        return field_errors(errors)
    try:
        return download(handoff_app().handovers.letter_file(name, **options))
    except NotReadyError as error:  # the state refuses, not the input
        return {"error": error.code, "message": error.cause, "fix": error.fix}, 409
    except InvalidInputError as error:
        if error.code == "no_run":
            return _no_run(name, error)
        return field_errors(letter_errors(error), code=error.code)


@api_blueprint.get(f"{BASE}/history")
def history(name: str):
    site_or_404(name)
    runs, decisions = handoff_app().handovers.history(name)
    return {"runs": runs, "decisions": decisions}


# -- helpers ----------------------------------------------------------------------------

def _strings(*, required: tuple[str, ...], optional: tuple[str, ...]
             ) -> tuple[dict | None, dict[str, str]]:
    """The JSON body and errors of its text fields (emptiness is the core's to judge)."""
    body = json_body()
    if body is None:
        names = ", ".join(f'"{field}": …' for field in required)
        return None, {"body": f"Send a JSON object: {{{names}}}."}
    errors = {}
    for field in required + optional:
        if field in body and not isinstance(body[field], str):
            errors[field] = "Must be a string."
    for field in required:
        if field not in body:
            errors[field] = "Required."
    return body, errors


def _decided(name: str, decide):
    """The decided item and the verdict it leads to; a refusal as field errors."""
    try:
        item = decide()
    except InvalidInputError as error:
        if error.code == "unknown_item":
            return {"error": error.code, "message": error.cause, "fix": error.fix}, 404
        field = {"item": "item_id"}.get(error_field(error), error_field(error))
        return field_errors({field: field_message(error)}, code=error.code)
    try:
        report = handoff_app().handovers.latest(name)
    except InvalidInputError:
        report = None  # decided before the first check: no verdict yet
    return {"item": asdict(item), "verdict": report.verdict if report else None,
            "counts": report.counts() if report else {}}


def _no_run(name: str, error: InvalidInputError):
    if error.code != "no_run":
        raise error
    return {"error": "no_run", "message": error.cause,
            "fix": f"start one: POST /api/v1/sites/{name}/handover/check"}, 404


# -- OpenAPI ----------------------------------------------------------------------------

_ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "A checklist item's id, e.g. restore-tested."}
_NO_RUN = json_content(ref("Failure"), "No handover check has run for the site yet.")
_BAD = json_content(ref("FieldErrors"), "Bad input; nothing was recorded.")
_LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["en", "vi", "zh"]},
         "description": "The document's language; default: the intake's, else en."}


def _file(media_types: dict[str, str], description: str) -> dict:
    return {"description": description,
            "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                "description": "attachment; filename=…"}},
            "content": {media: {"schema": {"type": "string", "format": kind}}
                        for media, kind in media_types.items()}}


def _decision(operation: str, summary: str, body: str) -> dict:
    return {"post": {
        "operationId": operation, "summary": summary, "parameters": [SITE_NAME, _ITEM_ID],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref(body)}}},
        "responses": {"200": json_content(ref("HandoverDecided"), "Recorded."),
                      "400": _BAD, "401": UNAUTHORIZED,
                      "404": json_content(ref("Failure"), "No such site or item.")}}}


OPENAPI_PATHS = {
    "/sites/{name}/handover": {"get": {
        "operationId": "getHandover",
        "summary": "The last handover check, with the sign-offs and waivers made since.",
        "parameters": [SITE_NAME],
        "responses": {"200": json_content(ref("HandoverReport"), "The report."),
                      "401": UNAUTHORIZED,
                      "404": json_content(ref("Failure"),
                                          "No such site, or no check yet (error no_run).")}}},
    "/sites/{name}/handover/check": {"post": {
        "operationId": "checkHandover",
        "summary": "Run every automatic check against the live site, in the background.",
        "parameters": [SITE_NAME],
        "responses": {"202": json_content(ref("Job"), "Started; poll /jobs/{id}."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND}}},
    "/sites/{name}/handover/items/{item_id}/sign": _decision(
        "signHandoverItem", "Sign off a manual item as done, by whom.", "HandoverSignOff"),
    "/sites/{name}/handover/items/{item_id}/waive": _decision(
        "waiveHandoverItem", "Waive an item: an accepted risk, with the reason.",
        "HandoverWaiver"),
    "/sites/{name}/handover/complete": {"post": {
        "operationId": "completeHandover",
        "summary": "Record the handover as complete (refused while Blocked); optionally "
                   "revoke the backend's access to the site and verify it.",
        "parameters": [SITE_NAME],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref("HandoverCompletion")}}},
        "responses": {"200": json_content(ref("HandoverReport"), "Completed."),
                      "400": _BAD, "401": UNAUTHORIZED, "404": NOT_FOUND,
                      "409": json_content(ref("Failure"),
                                          "Blocked, or never checked: nothing recorded."),
                      "502": SITE_FAILED}}},
    "/sites/{name}/handover/report": {"get": {
        "operationId": "handoverReport", "summary": "The report of the last check as a file.",
        "parameters": [SITE_NAME, {"name": "format", "in": "query", "schema": {
            "type": "string", "enum": ["html", "pdf", "md", "json"], "default": "html"}},
            _LANG],
        "responses": {"200": _file({"text/html": "html", "application/pdf": "binary",
                                    "text/markdown": "markdown",
                                    "application/json": "json"}, "The report."),
                      "400": _BAD, "401": UNAUTHORIZED, "404": _NO_RUN}}},
    "/sites/{name}/handover/letter": {"get": {
        "operationId": "handoverLetter",
        "summary": "The handover letter (Ready, or a marked draft), or the parting letter "
                   "at any stage; every sentence from the records or the options given.",
        "parameters": [SITE_NAME] + [
            {"name": "kind", "in": "query", "schema": {
                "type": "string", "enum": ["handover", "parting"], "default": "handover"}},
            {"name": "format", "in": "query", "schema": {
                "type": "string", "enum": ["md", "html", "pdf"], "default": "md"}},
            _LANG,
            {"name": "draft", "in": "query", "schema": {"type": "boolean", "default": False},
             "description": "Handover: a letter marked DRAFT, listing the open items, "
                            "while the verdict is not Ready."},
            {"name": "reason", "in": "query", "schema": {"type": "string"},
             "description": "Parting: the short reason (needed)."},
            {"name": "final_date", "in": "query", "schema": {"type": "string",
                                                             "format": "date"},
             "description": "Parting: the last day of work (needed)."},
            {"name": "refund", "in": "query", "schema": {"type": "string"},
             "description": "Parting: a refund offered, with its amount; none without it."},
            {"name": "recommend", "in": "query", "schema": {
                "type": "array", "items": {"type": "string"}}, "explode": True,
             "description": "Parting: another developer, Name or Name <email> (repeat); "
                            "none without it."},
            {"name": "allow_blanks", "in": "query",
             "schema": {"type": "boolean", "default": False},
             "description": "Parting: visible blanks for a missing reason or final date."}],
        "responses": {"200": _file({"text/markdown": "markdown", "text/html": "html",
                                    "application/pdf": "binary"}, "The letter."),
                      "400": _BAD, "401": UNAUTHORIZED,
                      "404": json_content(ref("Failure"),
                                          "The handover letter before any check (no_run)."),
                      "409": json_content(ref("Failure"),
                                          "The handover letter while not Ready, without "
                                          "draft (error not_ready).")}}},
    "/sites/{name}/handover/history": {"get": {
        "operationId": "handoverHistory",
        "summary": "Every check run and every decision, with who and when.",
        "parameters": [SITE_NAME],
        "responses": {"200": json_content(ref("HandoverHistory"), "Oldest first."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND}}},
}

_DECISION = {"type": "object", "properties": {
    "item_id": {"type": "string"}, "kind": {"type": "string",
                                            "enum": ["sign", "waive", "complete"]},
    "by": {"type": "string"}, "note": {"type": "string"},
    "at": {"type": "string", "format": "date-time"}}}
_STATUSES = ["pass", "warn", "fail", "manual", "signed", "waived"]
OPENAPI_SCHEMAS = {
    "HandoverItem": {"type": "object", "required": ["id", "group", "title", "status"],
                     "properties": {
                         "id": {"type": "string"}, "group": {"type": "string"},
                         "title": {"type": "string"},
                         "kind": {"type": "string", "enum": ["auto", "manual"]},
                         "severity": {"type": "string",
                                      "enum": ["blocker", "major", "minor"]},
                         "status": {"type": "string", "enum": _STATUSES},
                         "detail": {"type": "string"}, "fix": {"type": "string"},
                         "decision": _DECISION}},
    "HandoverReport": {"type": "object", "required": ["site", "verdict", "items"],
                       "properties": {
                           "site": {"type": "string"},
                           "run_at": {"type": "string", "format": "date-time"},
                           "verdict": {"type": "string",
                                       "enum": ["Ready", "Needs attention", "Blocked"]},
                           "counts": {"type": "object",
                                      "additionalProperties": {"type": "integer"}},
                           "completed": _DECISION,
                           "items": {"type": "array", "items": ref("HandoverItem")}}},
    "HandoverDecided": {"type": "object", "properties": {
        "item": ref("HandoverItem"),
        "verdict": {"type": ["string", "null"], "description": "null before the first check"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}},
    "HandoverSignOff": {"type": "object", "required": ["by"], "properties": {
        "by": {"type": "string", "maxLength": 200}, "note": {"type": "string",
                                                             "maxLength": 2000}}},
    "HandoverWaiver": {"type": "object", "required": ["reason"], "properties": {
        "reason": {"type": "string", "maxLength": 2000},
        "by": {"type": "string", "maxLength": 200}}},
    "HandoverCompletion": {"type": "object", "required": ["by"], "properties": {
        "by": {"type": "string", "maxLength": 200},
        "disconnect": {"type": "boolean", "default": False,
                       "description": "Revoke the backend's password on the site and "
                                      "verify the site refuses it."}}},
    "HandoverHistory": {"type": "object", "properties": {
        "runs": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "started_at": {"type": "string"},
            "finished_at": {"type": "string"}, "complete": {"type": "boolean"},
            "verdict": {"type": "string"}, "error": {"type": "string"}}}},
        "decisions": {"type": "array", "items": _DECISION}}},
}
