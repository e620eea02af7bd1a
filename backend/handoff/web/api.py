"""The JSON API under /api/v1 (Bearer token), and its OpenAPI document at /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, abort, request

from handoff.errors import HandoffError, NotFoundError
from handoff.web import accounts, handoff_app
from handoff.web.openapi import document
from handoff.web.present import (
    diagnosis_dict,
    error_field,
    error_text,
    site_row,
    sync_counts,
)

blueprint = Blueprint("api", __name__)
docs_blueprint = Blueprint("api_docs", __name__)
MAX_PER_PAGE = 100
_HIDDEN = ("last_sync", "menu_label")  # dashboard-only presentation fields


def _site_json(site) -> dict:
    data = site_row(site)
    for key in _HIDDEN:
        data.pop(key)
    return data


@blueprint.before_request
def _require_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not accounts().token_valid(token.strip()):
        return ({"error": "unauthorized",
                 "message": "Send a valid API token: Authorization: Bearer <token>. "
                            "Create one with `handoff serve --create-token NAME`."},
                401, {"WWW-Authenticate": 'Bearer realm="handoff"'})
    return None


def _site_or_404(name: str):
    try:
        return handoff_app().sites.get(name)
    except NotFoundError as error:
        abort(404, error.cause)


def _page_arg(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or int(raw) < 1:
        abort(400, f"'{name}' must be a positive whole number.")
    return min(int(raw), maximum) if maximum else int(raw)


@blueprint.get("/sites")
def list_sites():
    page = _page_arg("page", 1)
    per_page = _page_arg("per_page", 20, MAX_PER_PAGE)
    sites = handoff_app().sites.list()
    start = (page - 1) * per_page
    return {"items": [_site_json(s) for s in sites[start:start + per_page]],
            "page": page, "per_page": per_page, "total": len(sites),
            "pages": (len(sites) + per_page - 1) // per_page}


@blueprint.get("/sites/<name>")
def get_site(name: str):
    return _site_json(_site_or_404(name))


@blueprint.post("/sites")
def add_site():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return {"errors": {"body": "Send a JSON object: {\"url\": …, \"key\": …}."}}, 400
    errors = {}
    fields = {}
    for field in ("url", "key", "name"):
        value = body.get(field)
        if value is not None and not isinstance(value, str):
            errors[field] = "Must be a string."
        fields[field] = (value or "").strip() if isinstance(value, str) else ""
    for field in ("url", "key"):
        if field not in errors and not fields[field]:
            errors[field] = "Required."
    if errors:
        return {"errors": errors}, 400
    try:
        result = handoff_app().sites.add(fields["key"], fields["url"],
                                         name=fields["name"] or None)
    except HandoffError as error:
        return {"errors": {error_field(error): error_text(error)}, "code": error.code}, 400
    site = handoff_app().sites.get(result.site.name)  # with its tags loaded
    return _site_json(site), 201, {"Location": f"/api/v1/sites/{site.name}"}


@blueprint.post("/sites/<name>/check")
def check_site(name: str):
    _site_or_404(name)
    try:
        return diagnosis_dict(handoff_app().sites.check(name))
    except HandoffError as error:
        return _failure(error)


@blueprint.post("/sites/<name>/sync")
def sync_site(name: str):
    _site_or_404(name)
    try:
        inventory = handoff_app().sites.sync(name)
    except HandoffError as error:
        return _failure(error)
    return {"name": name, "counts": sync_counts(inventory)}


def _failure(error: HandoffError):
    return {"error": error.code, "message": error.cause, "fix": error.fix}, 502


@docs_blueprint.get("/openapi.json")
def openapi():
    return document()
