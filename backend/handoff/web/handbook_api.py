"""The handbook in the JSON API: /api/v1/sites/{name}/intake and …/handbook."""

from __future__ import annotations

from flask import Blueprint, request

from handoff.core.handbooks import FORMATS
from handoff.core.intake import intake_errors, intake_schema
from handoff.errors import HandoffError, InvalidInputError
from handoff.handbook.templates import LANGUAGES
from handoff.web import handoff_app
from handoff.web.api import failure, field_errors, json_body, protect, site_or_404
from handoff.web.handbook_view import (
    FIELD_OF_CODE,
    MEDIA_TYPES,
    Choice,
    build,
    failure_status,
    file_response,
    parse_choice,
)
from handoff.web.openapi import NOT_FOUND, SITE_FAILED, SITE_NAME, UNAUTHORIZED, json_content, ref
from handoff.web.present import error_text

api_blueprint = protect(Blueprint("api_handbook", __name__))


def _api_errors(errors: dict[str, str]) -> dict[str, str]:
    """Intake errors keyed by dotted path; problems of the whole document under "body"."""
    return {path or "body": message for path, message in errors.items()}


def _build_failure(error: HandoffError):
    field = FIELD_OF_CODE.get(error.code)
    if field in ("lang", "format"):
        return field_errors({field: error_text(error)}, code=error.code)
    return failure(error, failure_status(error))


@api_blueprint.get("/sites/<name>/intake")
def api_intake(name: str):
    site_or_404(name)
    return handoff_app().intakes.get(name)


@api_blueprint.put("/sites/<name>/intake")
def api_save_intake(name: str):
    site_or_404(name)
    body = json_body()
    if body is None:
        return field_errors({"body": "Send the answers as a JSON object (docs/handbook-"
                                     "templates.md shows its fields)."})
    try:
        handoff_app().intakes.save(name, body)
    except InvalidInputError as error:
        return field_errors(_api_errors(intake_errors(body)) or {"body": error_text(error)},
                            code=error.code)
    return handoff_app().intakes.get(name)


@api_blueprint.get("/sites/<name>/handbook")
def api_handbook(name: str):
    site_or_404(name)
    choice, errors = parse_choice({"lang": request.args.get("lang", ""),
                                   "blanks": request.args.get("allow_blanks", ""),
                                   "offline": request.args.get("offline", "")})
    errors = {"allow_blanks" if key == "blanks" else key: value  # the API's own names
              for key, value in errors.items()}
    fmt = request.args.get("format", "html")
    if fmt not in FORMATS:
        errors["format"] = f"One of: {', '.join(FORMATS)}."
    if errors:
        return field_errors(errors)
    try:
        return file_response(name, build(name, choice), fmt)
    except HandoffError as error:
        return _build_failure(error)


@api_blueprint.post("/sites/<name>/handbook/publish")
def api_publish(name: str):
    site_or_404(name)
    body = json_body() if request.get_data() else {}  # no body: the defaults
    if body is None:
        return field_errors({"body": 'Send a JSON object, e.g. {"lang": "vi"}, or nothing.'})
    choice, errors = _publish_body(body)
    if errors:
        return field_errors(errors)
    page = body.get("page")
    try:
        book = build(name, choice)
        if page:
            page_id = handoff_app().handbooks.publish_as_page(name, book, page["login"],
                                                              page["password"])
            result = {"site": name, "page_id": page_id}
        else:
            published = handoff_app().handbooks.publish(name, book)
            result = {"site": name, "published_at": published.published_at,
                      "hash": published.hash, "sections": published.sections}
    except HandoffError as error:
        if page and error.code == "wrong_password":
            return field_errors({"page.password": error_text(error)}, code=error.code)
        return _build_failure(error)
    return {**result, "language": book.language, "title": book.title,
            "warnings": book.warnings, "blanks": book.blanks,
            "dropped": [{"title": title, "reason": reason} for title, reason in book.dropped]}


def _publish_body(body: dict) -> tuple[Choice, dict[str, str]]:
    errors = {}
    language = body.get("lang")
    if language is not None and language not in LANGUAGES:
        errors["lang"] = f"One of: {', '.join(LANGUAGES)}."
    for key in ("allow_blanks", "offline"):
        if not isinstance(body.get(key, False), bool):
            errors[key] = "true or false."
    page = body.get("page")
    if page is not None:
        if not isinstance(page, dict):
            errors["page"] = 'An object: {"login": …, "password": …}.'
        else:
            for key in ("login", "password"):
                if not isinstance(page.get(key), str) or not page[key].strip():
                    errors[f"page.{key}"] = "Required: a non-empty string."
            if isinstance(page.get("login"), str) and len(page["login"]) > 60:
                errors["page.login"] = "At most 60 characters."
    choice = Choice(language if language in LANGUAGES else None,
                    body.get("allow_blanks") is True, body.get("offline") is True)
    return choice, errors


@api_blueprint.delete("/sites/<name>/handbook")
def api_unpublish(name: str):
    site_or_404(name)
    try:
        return handoff_app().handbooks.unpublish(name)
    except HandoffError as error:
        return failure(error)


@api_blueprint.get("/sites/<name>/handbook/status")
def api_status(name: str):
    site_or_404(name)
    try:
        return handoff_app().handbooks.status(name)
    except HandoffError as error:
        return failure(error)


# -- OpenAPI ----------------------------------------------------------------------------

def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "schema": schema, "description": description}


_BUILD_QUERY = [
    _query("lang", {"type": "string", "enum": list(LANGUAGES)},
           "Language (default: the intake's, else en)."),
    _query("allow_blanks", {"type": "boolean", "default": False},
           "Build even when intake answers are missing (visible blanks)."),
    _query("offline", {"type": "boolean", "default": False},
           "Use the stored inventory; do not contact the site."),
]
_CANNOT_BUILD = json_content(ref("Failure"), "The handbook cannot be built from what is "
                             "known (missing intake answers, a template error, a chapter "
                             "needing a screen the client cannot open); message and fix say "
                             "what to do.")
OPENAPI_PATHS = {
    "/sites/{name}/intake": {
        "get": {"operationId": "getIntake", "summary": "The site's intake answers ({} before "
                "the first).", "parameters": [SITE_NAME],
                "responses": {"200": json_content(ref("Intake"), "The answers."),
                              "401": UNAUTHORIZED, "404": NOT_FOUND}},
        "put": {"operationId": "saveIntake",
                "summary": "Replace the intake answers (validated; nothing saved on error).",
                "parameters": [SITE_NAME],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("Intake")}}},
                "responses": {"200": json_content(ref("Intake"), "The stored answers."),
                              "400": json_content(ref("FieldErrors"), "Errors keyed by the "
                                                  "answer's dotted path (developer.email); "
                                                  "problems of the whole under body."),
                              "401": UNAUTHORIZED, "404": NOT_FOUND}},
    },
    "/sites/{name}/handbook": {
        "get": {"operationId": "getHandbook",
                "summary": "Build the handbook and answer with the file.",
                "parameters": [SITE_NAME, *_BUILD_QUERY,
                               _query("format", {"type": "string", "enum": list(FORMATS),
                                                 "default": "html"}, "The file's format.")],
                "responses": {
                    "200": {"description": "The file, as an attachment named "
                                           "SITE-handbook-LANG-DATE.FORMAT.",
                            "content": {MEDIA_TYPES["html"]: {"schema": {"type": "string"}},
                                        MEDIA_TYPES["md"]: {"schema": {"type": "string"}},
                                        MEDIA_TYPES["pdf"]: {"schema": {
                                            "type": "string", "format": "binary"}}}},
                    "400": json_content(ref("FieldErrors"), "Bad lang, format or flag."),
                    "401": UNAUTHORIZED, "404": NOT_FOUND, "422": _CANNOT_BUILD,
                    "502": SITE_FAILED}},
        "delete": {"operationId": "unpublishHandbook",
                   "summary": "Take the handbook off the site's Site Handbook screen.",
                   "parameters": [SITE_NAME],
                   "responses": {"200": json_content(ref("Unpublished"), "Done."),
                                 "401": UNAUTHORIZED, "404": NOT_FOUND, "502": SITE_FAILED}},
    },
    "/sites/{name}/handbook/publish": {"post": {
        "operationId": "publishHandbook",
        "summary": "Build the handbook and publish it to the site's Site Handbook screen "
                   "(or, with page, as a private page).",
        "parameters": [SITE_NAME],
        "requestBody": {"required": False, "content": {"application/json": {
            "schema": ref("PublishHandbook")}}},
        "responses": {"200": json_content(ref("Published"), "Published."),
                      "400": json_content(ref("FieldErrors"), "Bad input; nothing sent."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND, "422": _CANNOT_BUILD,
                      "502": SITE_FAILED}}},
    "/sites/{name}/handbook/status": {"get": {
        "operationId": "handbookStatus",
        "summary": "Whether the handbook is published, when, and whether the client has "
                   "opened it.", "parameters": [SITE_NAME],
        "responses": {"200": json_content(ref("HandbookStatus"), "The site's answer."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND, "502": SITE_FAILED}}},
}


OPENAPI_SCHEMAS = {
    "Intake": {key: value for key, value in intake_schema().items() if key != "$schema"},
    "PublishHandbook": {"type": "object", "properties": {
        "lang": {"type": "string", "enum": list(LANGUAGES)},
        "allow_blanks": {"type": "boolean"}, "offline": {"type": "boolean"},
        "page": {"type": "object", "required": ["login", "password"],
                 "description": "Publish as a private page with this user's Application "
                                "Password (never stored).",
                 "properties": {"login": {"type": "string"},
                                "password": {"type": "string"}}}}},
    "Published": {"type": "object", "properties": {
        "site": {"type": "string"}, "language": {"type": "string"},
        "title": {"type": "string"}, "published_at": {"type": "integer"},
        "hash": {"type": "string"}, "sections": {"type": "integer"},
        "page_id": {"type": "integer"},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "blanks": {"type": "array", "items": {"type": "string"}},
        "dropped": {"type": "array", "items": {"type": "object", "properties": {
            "title": {"type": "string"}, "reason": {"type": "string"}}}}}},
    "Unpublished": {"type": "object", "properties": {
        "published": {"type": "boolean"}, "removed": {"type": "boolean"}}},
    "HandbookStatus": {"type": "object", "properties": {
        "published": {"type": "boolean"}, "title": {"type": "string"},
        "language": {"type": "string"}, "hash": {"type": "string"},
        "published_at": {"type": "integer", "description": "Unix time; 0 when unpublished."},
        "published_by": {"type": "string"},
        "sections": {"type": "array", "items": {"type": "object"}},
        "first_view": {"type": "object", "description": "Empty until the client opens it.",
                       "properties": {"user_login": {"type": "string"},
                                      "at": {"type": "integer"}}},
        "views_by_client": {"type": "integer"}}},
}
