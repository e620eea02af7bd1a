"""Background jobs: the Jobs pages, a job's live progress, and the /api/v1/jobs routes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from handoff.core.jobs import QueueError, kinds
from handoff.errors import HandoffError, NotFoundError
from handoff.web import handoff_app
from handoff.web.api import failure, field_errors, json_body, page_args, protect
from handoff.web.openapi import NOT_FOUND, UNAUTHORIZED, json_content, ref
from handoff.web.present import error_text

blueprint = Blueprint("jobs", __name__)
api_blueprint = protect(Blueprint("api_jobs", __name__))
PAGE_SIZE = 25


def start_job(kind: str, params: dict, *, names: list[str] | None = None,
              tag: str | None = None, every: bool = False, title: str = "") -> str:
    """Choose the sites (names, a tag or all) and submit the job; return its id.

    Raises the core's errors (no sites, unknown site, bad parameters) for the caller to
    show next to the right field.
    """
    sites = [site.name for site in handoff_app().sites.select(names or None, tag, every)]
    kind_title = kinds()[kind].describe if kind in kinds() else kind
    scope = (f"{len(sites)} sites" if len(sites) != 1 else sites[0])
    return handoff_app().jobs.submit(kind, params, targets=sites,
                                     title=title or f"{kind_title}: {scope}")


def _job_or_404(job_id: str):
    try:
        return handoff_app().jobs.get(job_id)
    except NotFoundError as error:
        abort(404, error.cause)


# -- pages ------------------------------------------------------------------------------

@blueprint.get("/jobs")
def index():
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    views, total = handoff_app().jobs.list(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("jobs.html", jobs=[view.as_dict() for view in views], page=page,
                           pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE), total=total)


@blueprint.get("/jobs/<job_id>")
def detail(job_id: str):
    return render_template("job.html", job=_job_or_404(job_id).as_dict())


@blueprint.get("/jobs/<job_id>.json")
def detail_json(job_id: str):
    return _job_or_404(job_id).as_dict()


@blueprint.post("/sites/sync-all")
def sync_all():
    """Sync every site (or one tag's) in the background, then watch it on the job page."""
    tag = request.form.get("tag", "").strip() or None
    try:
        job_id = start_job("sites.sync", {}, tag=tag, every=tag is None)
    except HandoffError as error:
        flash(error_text(error), "error")
        return redirect(url_for("sites.index"))
    return redirect(url_for("jobs.detail", job_id=job_id))


# -- API --------------------------------------------------------------------------------

@api_blueprint.get("/jobs")
def api_list():
    page, per_page = page_args()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in kinds():
        abort(400, f"Unknown job kind {kind!r}; one of {', '.join(sorted(kinds()))}.")
    views, total = handoff_app().jobs.list(limit=per_page, offset=(page - 1) * per_page,
                                           kind=kind)
    return {"items": [view.as_dict() for view in views], "page": page, "per_page": per_page,
            "total": total, "pages": (total + per_page - 1) // per_page}


@api_blueprint.get("/jobs/<job_id>")
def api_get(job_id: str):
    return _job_or_404(job_id).as_dict()


@api_blueprint.post("/jobs")
def api_submit():
    body = json_body()
    if body is None:
        return field_errors({"body": 'Send a JSON object: {"kind": …, "sites": […]}.'})
    errors = _submit_errors(body)
    if errors:
        return field_errors(errors)
    try:
        job_id = start_job(body["kind"], body.get("params") or {}, names=body.get("sites"),
                           tag=body.get("tag"), every=bool(body.get("all")))
    except QueueError as error:  # Redis down: nothing was stored, try again later
        return failure(error, 503)
    except HandoffError as error:
        field = "sites" if error.code in ("no_sites", "unknown_site") else "params"
        return field_errors({field: error_text(error)}, code=error.code)
    job = handoff_app().jobs.get(job_id)
    return job.as_dict(), 202, {"Location": f"/api/v1/jobs/{job_id}"}


def _submit_errors(body: dict) -> dict[str, str]:
    errors = {}
    kind = body.get("kind")
    if not isinstance(kind, str) or kind not in kinds():
        errors["kind"] = f"Required: one of {', '.join(sorted(kinds()))}."
    sites, tag, every = body.get("sites"), body.get("tag"), body.get("all")
    if sites is not None and (not isinstance(sites, list)
                              or not all(isinstance(s, str) and s for s in sites)):
        errors["sites"] = "A list of site names."
    if tag is not None and (not isinstance(tag, str) or not tag.strip()):
        errors["tag"] = "A tag name."
    if every is not None and not isinstance(every, bool):
        errors["all"] = "true or false."
    if not errors and not sites and tag is None and not every:
        errors["sites"] = "Choose sites: a list of names, a tag, or all: true."
    params = body.get("params")
    if params is not None and not isinstance(params, dict):
        errors["params"] = "A JSON object."
    elif kind == "menu.push" and not isinstance((params or {}).get("profile"),
                                                              dict):
        errors["params"] = "menu.push needs params.profile: the menu profile to push."
    return errors


_JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
OPENAPI_PATHS = {
    "/jobs": {
        "get": {"operationId": "listJobs", "summary": "Background jobs, newest first.",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer",
                                                               "minimum": 1}},
                    {"name": "per_page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "kind", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": json_content(ref("JobPage"), "One page of jobs."),
                              "400": json_content(ref("Error"), "Bad page or kind."),
                              "401": UNAUTHORIZED}},
        "post": {"operationId": "submitJob",
                 "summary": "Start a job over sites (by names, a tag, or all).",
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": ref("NewJob")}}},
                 "responses": {"202": json_content(ref("Job"), "Queued; poll its URL."),
                               "400": json_content(ref("FieldErrors"), "Nothing started."),
                               "401": UNAUTHORIZED,
                               "503": json_content(ref("Failure"), "The job queue (Redis) "
                                                   "is not reachable; nothing started.")}},
    },
    "/jobs/{job_id}": {"get": {
        "operationId": "getJob", "summary": "A job's state and every site's outcome so far.",
        "parameters": [_JOB_ID],
        "responses": {"200": json_content(ref("Job"), "The job."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND}}},
}
OPENAPI_SCHEMAS = {
    "Job": {"type": "object", "required": ["id", "kind", "status", "total", "done", "items"],
            "properties": {
                "id": {"type": "string"}, "kind": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
                "actor": {"type": "string"}, "total": {"type": "integer"},
                "done": {"type": "integer"}, "ok": {"type": "integer"},
                "failed": {"type": "integer"}, "error": {"type": "string"},
                "attempts": {"type": "integer"},
                "created_at": {"type": ["string", "null"]},
                "started_at": {"type": ["string", "null"]},
                "finished_at": {"type": ["string", "null"]},
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "target": {"type": "string"}, "ok": {"type": "boolean"},
                    "message": {"type": "string"}, "detail": {"type": "object"},
                    "finished_at": {"type": ["string", "null"]}}}}}},
    "JobPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": ref("Job")}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "total": {"type": "integer"},
        "pages": {"type": "integer"}}},
    "NewJob": {"type": "object", "required": ["kind"], "properties": {
        "kind": {"type": "string", "enum": ["menu.push", "sites.sync", "handover.check"]},
        "sites": {"type": "array", "items": {"type": "string"}},
        "tag": {"type": "string"}, "all": {"type": "boolean"},
        "params": {"type": "object", "description":
                   "menu.push: {profile, force?}; every kind: concurrency?, per_host?"}}},
}
