"""The JSON API under /api/v1 (Bearer token), and its OpenAPI document at /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, abort, g, request

from handoff.core.actor import set_actor
from handoff.errors import HandoffError, NotFoundError
from handoff.web import accounts, handoff_app
from handoff.web.openapi import SITE_PATHS, SITE_SCHEMAS, document
from handoff.web.present import (
    diagnosis_dict,
    error_field,
    error_text,
    summary_dict,
    sync_counts,
)

api_blueprint = Blueprint("api", __name__)
docs_blueprint = Blueprint("api_docs", __name__)
MAX_PER_PAGE = 100
OPENAPI_PATHS = SITE_PATHS
OPENAPI_SCHEMAS = SITE_SCHEMAS


def _site_json(name: str) -> dict:
    """The site as the list shows it (404 when unknown)."""
    try:
        return summary_dict(handoff_app().sites.summary(name))
    except NotFoundError as error:
        abort(404, error.cause)


def require_token():
    """Every API route needs a valid Bearer token; what it does is done as `api:<name>`."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    name = accounts().token_name(token.strip()) if scheme.lower() == "bearer" else None
    if name is None:
        return ({"error": "unauthorized",
                 "message": "Send a valid API token: Authorization: Bearer <token>. "
                            "Create one on the dashboard's API tokens page or with "
                            "`handoff token create NAME`."},
                401, {"WWW-Authenticate": 'Bearer realm="handoff"'})
    g.actor_token = set_actor(f"api:{name}")
    return None


def protect(blueprint: Blueprint) -> Blueprint:
    """Make every route of an API blueprint require the token (call once per blueprint)."""
    blueprint.before_request(require_token)
    return blueprint


protect(api_blueprint)


def page_args(default_per_page: int = 20) -> tuple[int, int]:
    """`page` and `per_page` from the query string (400 when not positive whole numbers)."""
    return _page_arg("page", 1), _page_arg("per_page", default_per_page, MAX_PER_PAGE)


def paginate(rows: list, page: int, per_page: int, shape=lambda row: row) -> dict:
    """One page of `rows` in the API's list shape."""
    start = (page - 1) * per_page
    return {"items": [shape(row) for row in rows[start:start + per_page]],
            "page": page, "per_page": per_page, "total": len(rows),
            "pages": (len(rows) + per_page - 1) // per_page}


def field_errors(errors: dict[str, str], status: int = 400, **extra):
    """The API's answer to bad input: {"errors": {field: message}}."""
    return {"errors": errors, **extra}, status


def json_body() -> dict | None:
    """The request's JSON object, or None when the body is not one."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def site_or_404(name: str):
    try:
        return handoff_app().sites.get(name)
    except NotFoundError as error:
        abort(404, error.cause)


def failure(error: HandoffError, status: int = 502):
    """A site could not be reached or refused: {error, message, fix}."""
    return {"error": error.code, "message": error.cause, "fix": error.fix}, status


def _page_arg(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or int(raw) < 1:
        abort(400, f"'{name}' must be a positive whole number.")
    return min(int(raw), maximum) if maximum else int(raw)


@api_blueprint.get("/sites")
def list_sites():
    from handoff.web.sites import list_query  # the Sites page reads the same parameters

    query, errors = list_query(20, MAX_PER_PAGE, request.args.get("per_page"))
    if errors:
        return field_errors(errors)
    listing = handoff_app().sites.page(query)
    return {"items": [summary_dict(item) for item in listing.items], "page": query.page,
            "per_page": query.per_page, "total": listing.total, "pages": listing.pages}


@api_blueprint.get("/sites/<name>")
def get_site(name: str):
    return _site_json(name)


@api_blueprint.post("/sites")
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
    name = result.site.name
    return _site_json(name), 201, {"Location": f"/api/v1/sites/{name}"}


@api_blueprint.post("/sites/<name>/check")
def check_site(name: str):
    site_or_404(name)
    try:
        return diagnosis_dict(handoff_app().sites.check(name))
    except HandoffError as error:
        return failure(error)


@api_blueprint.post("/sites/<name>/sync")
def sync_site(name: str):
    site_or_404(name)
    try:
        inventory = handoff_app().sites.sync(name)
    except HandoffError as error:
        return failure(error)
    return {"name": name, "counts": sync_counts(inventory)}


@docs_blueprint.get("/openapi.json")
def openapi():
    return document()
