"""The OpenAPI 3.1 description of /api/v1 (kept next to the views it describes)."""

from __future__ import annotations

from handoff import __version__


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "The site's short name."}
_UNAUTHORIZED = {"$ref": "#/components/responses/Unauthorized"}
_NOT_FOUND = {"$ref": "#/components/responses/NotFound"}
_SITE_FAILED = _json(_ref("Failure"), "The backend could not reach or read the site.")

_SITE = {
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
            "pushed_at": {"type": ["string", "null"], "format": "date-time"}}},
    },
    "required": ["name", "url", "health", "tags", "menu"],
}


def document() -> dict:
    """Return the OpenAPI document describing exactly the routes of handoff.web.api."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Handoff dashboard API", "version": __version__,
                 "description": "Sites connected to this Handoff backend. Create a token "
                                "with `handoff serve --create-token NAME`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/sites": {
                "get": {
                    "operationId": "listSites", "summary": "List sites, by name.",
                    "parameters": [
                        {"name": "page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "default": 1}},
                        {"name": "per_page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                    "default": 20},
                         "description": "Values above 100 are lowered to 100."}],
                    "responses": {"200": _json(_ref("SitePage"), "One page of sites."),
                                  "400": _json(_ref("Error"), "Bad page or per_page."),
                                  "401": _UNAUTHORIZED}},
                "post": {
                    "operationId": "addSite",
                    "summary": "Connect a site by its connection key (stored only if it works).",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": _ref("NewSite")}}},
                    "responses": {"201": _json(_ref("Site"), "The site was connected."),
                                  "400": _json(_ref("FieldErrors"), "Nothing was stored."),
                                  "401": _UNAUTHORIZED}},
            },
            "/sites/{name}": {"get": {
                "operationId": "getSite", "summary": "One site.", "parameters": [_NAME],
                "responses": {"200": _json(_ref("Site"), "The site."),
                              "401": _UNAUTHORIZED, "404": _NOT_FOUND}}},
            "/sites/{name}/check": {"post": {
                "operationId": "checkSite",
                "summary": "Diagnose how the backend reaches the site; remember its health.",
                "parameters": [_NAME],
                "responses": {"200": _json(_ref("Diagnosis"), "The diagnosis."),
                              "401": _UNAUTHORIZED, "404": _NOT_FOUND, "502": _SITE_FAILED}}},
            "/sites/{name}/sync": {"post": {
                "operationId": "syncSite", "summary": "Fetch and store the site's inventory.",
                "parameters": [_NAME],
                "responses": {"200": _json(_ref("SyncResult"), "What was read."),
                              "401": _UNAUTHORIZED, "404": _NOT_FOUND, "502": _SITE_FAILED}}},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Unauthorized": _json(_ref("Error"), "No valid API token was sent."),
                "NotFound": _json(_ref("Error"), "No site has that name."),
            },
            "schemas": {
                "Site": _SITE,
                "SitePage": {"type": "object", "required": ["items", "page", "per_page",
                                                            "total", "pages"],
                             "properties": {"items": {"type": "array", "items": _ref("Site")},
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
            },
        },
    }
