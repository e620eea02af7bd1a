"""The OpenAPI 3.1 description of /api/v1 (kept next to the views it describes)."""

from __future__ import annotations

from handoff import __version__


def ref(name: str) -> dict:
    """A reference to a schema of the document (shared or a feature's own)."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict, description: str) -> dict:
    """A JSON response or body with its schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SITE_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
               "description": "The site's short name."}
UNAUTHORIZED = {"$ref": "#/components/responses/Unauthorized"}
NOT_FOUND = {"$ref": "#/components/responses/NotFound"}
SITE_FAILED = json_content(ref("Failure"), "The backend could not reach or read the site.")

SITE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"}, "url": {"type": "string", "format": "uri"},
        "wordpress_version": {"type": "string"}, "plugin_version": {"type": "string"},
        "php_version": {"type": "string"}, "transport": {"type": "string"},
        "transport_forced": {"type": "boolean"}, "environment_type": {"type": "string"},
        "health": {"type": "string", "enum": ["ok", "warning", "error", "unknown"]},
        "health_summary": {"type": "string"},
        "last_check_at": {"type": ["string", "null"], "format": "date-time"},
        "last_sync_at": {"type": ["string", "null"], "format": "date-time"},
        "created_at": {"type": ["string", "null"], "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "menu": {"type": "object", "properties": {
            "version": {"type": "integer"}, "hash": {"type": "string"},
            "name": {"type": "string"},
            "pushed_at": {"type": ["string", "null"], "format": "date-time"},
            "drift": {"type": ["integer", "null"], "minimum": 0,
                      "description": "Menu items on the site that its profile does not "
                                     "name, as the last sync saw them; null: no profile, "
                                     "or not synced since the profile changed."}}},
        "handbook": {
            "type": "object", "required": ["published", "published_at", "how"],
            "description": "The handbook as this backend last published or unpublished it "
                           "(from the audit log; the site is not asked).",
            "properties": {
                "published": {"type": "boolean"},
                "published_at": {"type": ["string", "null"], "format": "date-time"},
                "how": {"enum": ["screen", "page", None],
                        "description": "screen: the plugin's Site Handbook screen; page: "
                                       "a private page (sites without the plugin)."}}},
        "handover": {
            "type": "object", "required": ["verdict", "checked_at", "completed_at"],
            "description": "The verdict of the newest complete handover check, with the "
                           "sign-offs and waivers made since (null: never checked).",
            "properties": {
                "verdict": {"enum": ["Ready", "Needs attention", "Blocked", None]},
                "checked_at": {"type": ["string", "null"], "format": "date-time"},
                "completed_at": {"type": ["string", "null"], "format": "date-time"}}},
    },
    "required": ["name", "url", "health", "tags", "menu", "handbook", "handover"],
}


SITE_PATHS = {
    "/sites": {
        "get": {
            "operationId": "listSites",
            "summary": "List sites, by name; filter by tag and search name and address.",
            "parameters": [
                {"name": "page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "default": 1}},
                {"name": "per_page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "default": 20},
                 "description": "Values above 100 are lowered to 100."},
                {"name": "tag", "in": "query", "schema": {"type": "string"},
                 "description": "Only sites with this tag (lower case letters, digits, "
                                "'.', '-', '_'; at most 50)."},
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200},
                 "description": "Only sites whose name or address contains this text "
                                "(any case)."}],
            "responses": {"200": json_content(ref("SitePage"), "One page of sites."),
                          "400": json_content(ref("FieldErrors"),
                                              "A bad page, per_page, tag or q."),
                          "401": UNAUTHORIZED}},
        "post": {
            "operationId": "addSite",
            "summary": "Connect a site by its connection key (stored only if it works).",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": ref("NewSite")}}},
            "responses": {"201": json_content(ref("Site"), "The site was connected."),
                          "400": json_content(ref("FieldErrors"), "Nothing was stored."),
                          "401": UNAUTHORIZED}},
    },
    "/sites/{name}": {"get": {
        "operationId": "getSite", "summary": "One site.", "parameters": [SITE_NAME],
        "responses": {"200": json_content(ref("Site"), "The site."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND}}},
    "/sites/{name}/check": {"post": {
        "operationId": "checkSite",
        "summary": "Diagnose how the backend reaches the site; remember its health.",
        "parameters": [SITE_NAME],
        "responses": {"200": json_content(ref("Diagnosis"), "The diagnosis."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND, "502": SITE_FAILED}}},
    "/sites/{name}/sync": {"post": {
        "operationId": "syncSite", "summary": "Fetch and store the site's inventory.",
        "parameters": [SITE_NAME],
        "responses": {"200": json_content(ref("SyncResult"), "What was read."),
                      "401": UNAUTHORIZED, "404": NOT_FOUND, "502": SITE_FAILED}}},
}

# Shapes every feature may refer to; a feature's own shapes live in its OPENAPI_SCHEMAS.
SCHEMAS = {
    "Site": SITE,
    "SitePage": {"type": "object", "required": ["items", "page", "per_page",
                                                "total", "pages"],
                 "properties": {"items": {"type": "array", "items": ref("Site")},
                                "page": {"type": "integer"},
                                "per_page": {"type": "integer"},
                                "total": {"type": "integer"},
                                "pages": {"type": "integer"}}},
    "NewSite": {"type": "object", "required": ["url", "key"],
                "properties": {"url": {"type": "string"},
                               "key": {"type": "string",
                                       "description": "The connection key."},
                               "name": {"type": "string"}}},
    "FieldErrors": {"type": "object", "required": ["errors"], "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        "code": {"type": "string"}}},
    "Diagnosis": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "health": {"type": "string"},
        "transport": {"type": ["string", "null"]}, "summary": {"type": "string"},
        "findings": {"type": "array", "items": {"type": "object"}}}},
    "SyncResult": {"type": "object", "properties": {
        "name": {"type": "string"},
        "counts": {"type": "object",
                   "additionalProperties": {"type": "integer"}}}},
    "Error": {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string"}, "message": {"type": "string"}}},
    "Failure": {"type": "object", "properties": {
        "error": {"type": "string"}, "message": {"type": "string"},
        "fix": {"type": "string"}}},
}

SITE_SCHEMAS = {name: SCHEMAS.pop(name) for name in
                ("Site", "SitePage", "NewSite", "Diagnosis", "SyncResult")}


def document() -> dict:
    """The OpenAPI document: the paths and schemas every feature module of web/ declares."""
    from handoff.web import feature_modules

    paths: dict = {}
    schemas = dict(SCHEMAS)
    for module in feature_modules():
        paths.update(getattr(module, "OPENAPI_PATHS", {}))
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Handoff dashboard API", "version": __version__,
                 "description": "Sites connected to this Handoff backend. Create a token "
                                "on the dashboard's API tokens page (/tokens) or with "
                                "`handoff token create NAME`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Unauthorized": json_content(ref("Error"), "No valid API token was sent."),
                "NotFound": json_content(ref("Error"), "No site (or other object) has that name."),
            },
            "schemas": schemas,
        },
    }
