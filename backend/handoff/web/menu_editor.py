"""The menu editor of a site: its real menu as a tree, edited in the page, checked,
previewed, compared and pushed by the core; plus the /api/v1/sites/{name}/menu routes.

The page holds the profile being edited as JSON and edits it in its script
(static/js/menu_editor.js); every preview, diff, push and save sends the whole profile
to an endpoint below, which validates it with the core. Nothing reaches the site without
a press of Push. The library pages (/profiles) are in web/profiles.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from handoff.core.menu_editing import (
    DASHICONS,
    admin_bar_choices,
    dashboard_widget_choices,
    site_tree,
)
from handoff.core.menu_presets import preset, preset_names
from handoff.core.menu_preview import pull_profile
from handoff.core.menu_profile import BRIDGE_ROLE
from handoff.errors import HandoffError, NotFoundError
from handoff.web import handoff_app, menu_io
from handoff.web.api import protect
from handoff.web.openapi import (
    NOT_FOUND,
    SITE_FAILED,
    SITE_NAME,
    UNAUTHORIZED,
    json_content,
    ref,
)
from handoff.web.present import error_text, site_row

blueprint = Blueprint("menu_editor", __name__)
api_blueprint = protect(Blueprint("api_menu", __name__))


def _known(name: str):
    try:
        return handoff_app().sites.get(name)
    except NotFoundError as error:
        abort(404, error.cause)


def _when(unix: int) -> str:
    if not unix:
        return "never"
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- the editor page --------------------------------------------------------------------

@blueprint.get("/sites/<name>/menu")
def editor(name: str):
    return _render_editor(name)


def _render_editor(name: str, errors: dict | None = None, status_code: int = 200):
    site = _known(name)
    errors = dict(errors or {})
    inventory = handoff_app().sites.latest_inventory(name)
    context = {"site": site_row(site), "inventory": inventory, "errors": errors}
    if inventory is None:
        return render_template("menu_editor.html", **context), status_code
    on_site, read_error = _site_profile(name)
    roles = _roles(inventory)
    start, role = request.args.get("start", ""), request.args.get("role", "")
    profile, source = _starting_profile(inventory, on_site, start, role, roles, errors)
    context.update(
        on_site=on_site, read_error=read_error, roles=roles, source=source, start=start,
        role=role, library=[saved.name for saved in handoff_app().profiles.list()],
        presets=preset_names(), dashicons=DASHICONS,
        model=_model(name, inventory, profile, on_site, source))
    return render_template("menu_editor.html", **context), 400 if errors else status_code


def _site_profile(name: str):
    """The profile the site has now (one request), or the error that prevented reading it."""
    try:
        status = handoff_app().menus.status(name, fresh=False)
    except HandoffError as error:
        return None, error_text(error)
    return {"version": status.version, "hash": status.hash, "name": status.name,
            "applied_at": _when(status.applied_at), "applied_by": status.applied_by,
            "safe_mode": status.safe_mode, "changed_elsewhere": status.changed_elsewhere,
            "drift": len(status.drift), "profile": status.profile,
            "history": [{**entry, "when": _when(int(entry.get("applied_at", 0)))}
                        for entry in status.history]}, ""


def _roles(inventory: dict) -> list[str]:
    return [role for role in sorted(inventory["admin_menu"]["by_role"]) if role != BRIDGE_ROLE]


def _starting_profile(inventory: dict, on_site: dict | None, start: str, role: str,
                      roles: list[str], errors: dict) -> tuple[dict, str]:
    """What the editor opens: the site's profile, a saved one, a preset, or a fresh pull.

    A start or role that cannot be used is reported in `errors` (next to its field) and
    the default is opened instead.
    """
    if role and role not in roles:
        errors["role"] = f"The site has no role {role!r}."
        role = ""
    kind, _, chosen = start.partition(":")
    try:
        if kind == "preset":
            return preset(chosen), start
        if kind == "library":
            return handoff_app().profiles.get(chosen).profile, start
    except NotFoundError as error:
        errors["start"] = error_text(error)
    if start == "site" and not (on_site and on_site["profile"]):
        errors["start"] = "The site has no menu profile to open; start from its menu instead."
    elif kind not in ("", "site", "new", "preset", "library"):
        errors["start"] = "Choose what to start from."
    if start in ("", "site") and on_site and on_site["profile"]:
        return on_site["profile"], "site"
    role = role or _default_role(roles)
    return pull_profile(inventory, role), f"new:{role}"


def _default_role(roles: list[str]) -> str:
    if "editor" in roles:
        return "editor"
    return next((role for role in roles if role != "administrator"), "administrator")


def _model(name: str, inventory: dict, profile: dict, on_site: dict | None,
           source: str) -> dict:
    """Everything the page's script needs, as one JSON document in the page."""
    users = [{"login": user["login"], "roles": user["roles"]}
             for user in inventory.get("users", {}).get("list", [])
             if BRIDGE_ROLE not in user["roles"]]
    return {
        "site": name, "profile": profile, "source": source,
        "version": on_site["version"] if on_site else None,
        "site_hash": on_site["hash"] if on_site else "",
        "tree": [_tree_item(item) for item in site_tree(inventory)],
        "roles": [{"name": role["name"], "label": role.get("label", role["name"])}
                  for role in inventory.get("roles", []) if role["name"] != BRIDGE_ROLE],
        "users": users,
        "admin_bar": admin_bar_choices(profile),
        "widgets": dashboard_widget_choices(profile),
        "urls": {"preview": url_for("menu_editor.preview_json", name=name),
                 "diff": url_for("menu_editor.diff_json", name=name),
                 "push": url_for("menu_editor.push_json", name=name),
                 "save": url_for("menu_editor.save_json"),
                 "library": url_for("menu_editor.library")},
    }


def _tree_item(item: dict) -> dict:
    return {"slug": item["slug"], "title": item["title"], "icon": item.get("icon", ""),
            "children": [{"slug": child["slug"], "title": child["title"]}
                         for child in item.get("children", [])]}


# -- the page's JSON endpoints (session login and CSRF header) ----------------------------

@blueprint.post("/sites/<name>/menu/preview.json")
def preview_json(name: str):
    return menu_io.call(menu_io.preview, name, menu_io.request_body())


@blueprint.post("/sites/<name>/menu/diff.json")
def diff_json(name: str):
    return menu_io.call(menu_io.diff, name, menu_io.request_body())


@blueprint.post("/sites/<name>/menu/push.json")
def push_json(name: str):
    return menu_io.call(menu_io.push, name, menu_io.request_body())


# -- forms of the page (work without the script) -----------------------------------------

@blueprint.post("/sites/<name>/menu/sync")
def sync(name: str):
    _known(name)
    try:
        handoff_app().sites.sync(name)
    except HandoffError as error:
        flash(f"Sync of {name} failed: {error_text(error)}", "error")
    else:
        flash(f"Synced {name}: the editor shows its current menu.", "ok")
    return redirect(url_for("menu_editor.editor", name=name))


@blueprint.post("/sites/<name>/menu/rollback")
def rollback(name: str):
    _known(name)
    raw = request.form.get("to_version", "").strip()
    if raw and not raw.isdigit():
        return _render_editor(name, {"to_version": "Choose a version from the list."}, 400)
    try:
        result = handoff_app().menus.rollback(name, int(raw or 0))
    except HandoffError as error:
        answer = menu_io.refusal(error)
        if answer.status == 400:
            return _render_editor(name, {"to_version": error_text(error)}, 400)
        flash(f"Rollback of {name} failed: {error_text(error)}", "error")
        return redirect(url_for("menu_editor.editor", name=name))
    flash(f"Rolled the menu profile of {name} back; it is now version {result.version}.",
          "ok")
    return redirect(url_for("menu_editor.editor", name=name, start="site"))


@blueprint.post("/sites/<name>/menu/remove")
def remove(name: str):
    _known(name)
    if request.form.get("confirm") != "yes":
        return _render_editor(name, {"confirm": "Tick the box to confirm the removal."}, 400)
    try:
        result = handoff_app().menus.remove(name)
    except HandoffError as error:
        flash(f"Removing the profile of {name} failed: {error_text(error)}", "error")
    else:
        flash(f"Removed the menu profile from {name} (now version {result.version}); "
              "everyone sees the full menu. Roll back to bring it back.", "ok")
    return redirect(url_for("menu_editor.editor", name=name))


# -- API --------------------------------------------------------------------------------

@api_blueprint.get("/sites/<name>/menu")
def api_status(name: str):
    return menu_io.call(menu_io.status, name)


@api_blueprint.post("/sites/<name>/menu/preview")
def api_preview(name: str):
    return menu_io.call(menu_io.preview, name, menu_io.request_body())


@api_blueprint.post("/sites/<name>/menu/diff")
def api_diff(name: str):
    return menu_io.call(menu_io.diff, name, menu_io.request_body())


@api_blueprint.put("/sites/<name>/menu")
def api_push(name: str):
    return menu_io.call(menu_io.push, name, menu_io.request_body())


@api_blueprint.post("/sites/<name>/menu/rollback")
def api_rollback(name: str):
    return menu_io.call(menu_io.rollback, name, menu_io.request_body(optional=True))


@api_blueprint.delete("/sites/<name>/menu")
def api_remove(name: str):
    return menu_io.call(menu_io.remove, name)


_PROFILE_BODY = {"type": "object", "description": "A menu profile "
                 "(wp-plugin/handoff-companion/schema/menu-profile.schema.json)."}
_BAD_PROFILE = json_content(ref("FieldErrors"), "Bad input; field names are paths into the "
                            "body, e.g. profile.menu[3].title. Nothing was sent.")
_MENU_TREE = {"type": "array", "items": {"type": "object", "properties": {
    "slug": {"type": "string"}, "title": {"type": "string"}, "icon": {"type": "string"},
    "custom": {"type": "boolean"}, "children": {"type": "array", "items": {"type": "object"}}}}}


_DOOR = {"type": "object", "required": ["status", "reason"], "properties": {
    "status": {"enum": ["closed", "open", "unknown"]}, "reason": {"type": "string"}}}
_ENFORCEMENT = {
    "type": "object", "required": ["reported", "note", "summary", "items"],
    "description": "What \"denied\" closes on the site, per denied item, targeted role or "
                   "login, and door (docs/bridge-protocol.md); reported false: the site "
                   "sent none (note says why: an older plugin, XML-RPC).",
    "properties": {
        "reported": {"type": "boolean"}, "note": {"type": "string"},
        "summary": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "slug": {"type": "string"}, "parent": {"type": "string"},
            "title": {"type": "string"},
            "targets": {"type": "array", "items": {"type": "object", "properties": {
                "target": {"type": "string"}, "opens_without_profile": {"type": "boolean"},
                "withheld": {"type": "array", "items": {"type": "string"}},
                "doors": {"type": "object", "properties": {
                    door: _DOOR for door in ("screen", "rest", "admin_ajax", "admin_post",
                                             "xmlrpc")}}}}}}}}}}


def _op(operation_id: str, summary: str, ok: dict, *, body: str | None = None,
        extra: dict | None = None) -> dict:
    operation = {"operationId": operation_id, "summary": summary, "parameters": [SITE_NAME],
                 "responses": {"200": ok, "401": UNAUTHORIZED, "404": NOT_FOUND,
                               "502": SITE_FAILED, **(extra or {})}}
    if body:
        operation["requestBody"] = {"required": body != "MenuRollback", "content": {
            "application/json": {"schema": ref(body)}}}
    return operation


OPENAPI_PATHS = {
    "/sites/{name}/menu": {
        "get": _op("getMenuStatus", "The profile the site has: version, hash, profile, "
                   "history and drift (syncs the site first).",
                   json_content(ref("MenuStatus"), "The site's menu profile.")),
        "put": _op("pushMenuProfile", "Apply a profile to the site, replacing "
                   "expect_version when given.",
                   json_content(ref("MenuPushResult"), "Stored (or already there)."),
                   body="MenuPush", extra={
                       "400": _BAD_PROFILE,
                       "409": json_content(ref("VersionConflict"),
                                           "The site's profile changed since expect_version; "
                                           "nothing was written.")}),
        "delete": _op("removeMenuProfile", "Take the profile off the site (kept in history).",
                      json_content(ref("MenuPushResult"), "Removed.")),
    },
    "/sites/{name}/menu/preview": {"post": _op(
        "previewMenu", "The menu a role (or user) will see with the profile.",
        json_content(ref("MenuPreview"), "The simplified menu and the denied screens."),
        body="MenuPreviewRequest", extra={"400": _BAD_PROFILE})},
    "/sites/{name}/menu/diff": {"post": _op(
        "diffMenu", "What a push would change, role by role, from the profile the site "
        "has now.", json_content(ref("MenuDiff"), "The changes."),
        body="MenuProfileBody", extra={"400": _BAD_PROFILE})},
    "/sites/{name}/menu/rollback": {"post": _op(
        "rollbackMenu", "Store an earlier version again as a new version.",
        json_content(ref("MenuPushResult"), "Rolled back."), body="MenuRollback",
        extra={"400": json_content(ref("FieldErrors"), "No such version kept.")})},
}

OPENAPI_SCHEMAS = {
    "MenuProfileBody": {"type": "object", "required": ["profile"],
                        "properties": {"profile": _PROFILE_BODY}},
    "MenuPush": {"type": "object", "required": ["profile"], "properties": {
        "profile": _PROFILE_BODY,
        "expect_version": {"type": "integer", "minimum": 0, "description":
                           "Refuse (409) unless the site still has this version."},
        "force": {"type": "boolean", "description": "Store it even where the site has it."}}},
    "MenuPreviewRequest": {"type": "object", "required": ["profile"], "properties": {
        "profile": _PROFILE_BODY,
        "role": {"type": "string", "description": "Default: editor."},
        "user": {"type": "string", "description": "A login; instead of role."}}},
    "MenuRollback": {"type": "object", "properties": {
        "to_version": {"type": "integer", "minimum": 0,
                       "description": "0 or missing: the version before the current one."}}},
    "MenuPushResult": {"type": "object", "required": ["site", "version", "hash"],
                       "properties": {
                           "site": {"type": "string"}, "version": {"type": "integer"},
                           "hash": {"type": "string"}, "unchanged": {"type": "boolean"},
                           "warnings": {"type": "array", "items": {"type": "string"}},
                           "enforcement": {"anyOf": [ref("MenuEnforcement"), {"type": "null"}],
                                           "description": "The site's enforcement report "
                                           "of what it stored; null when nothing was written "
                                           "(the site had the profile, or it was removed)."}}},
    "MenuEnforcement": _ENFORCEMENT,
    "VersionConflict": {"type": "object", "properties": {
        "error": {"type": "string"}, "message": {"type": "string"},
        "fix": {"type": "string"}, "current_version": {"type": "integer"}}},
    "MenuPreview": {"type": "object", "properties": {
        "who": {"type": "string"}, "applies": {"type": "boolean"}, "menu": _MENU_TREE,
        "denied": {"type": "array", "items": {"type": "object", "properties": {
            "parent": {"type": "string"}, "slug": {"type": "string"},
            "title": {"type": "string"}}}}}},
    "MenuDiff": {"type": "object", "properties": {
        "site": {"type": "string"},
        "roles": {"type": "array", "items": {"type": "object", "properties": {
            "role": {"type": "string"}, "restricted": {"type": "boolean"},
            "changes": {"type": "array", "items": {"type": "object", "properties": {
                "kind": {"type": "string",
                         "enum": ["removed", "added", "renamed", "moved"]},
                "path": {"type": "string"}, "detail": {"type": "string"}}}}}}},
        "denied": {"type": "array", "items": {"type": "object"}},
        "missing": {"type": "array", "items": {"type": "string"}},
        "drift": {"type": "array", "items": {"type": "object"}},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "enforcement": ref("MenuEnforcement"),
        "hash": {"type": "string"}, "same_as_site": {"type": "boolean"},
        "site_profile": {"type": "object", "properties": {
            "version": {"type": "integer"}, "hash": {"type": "string"},
            "name": {"type": "string"}}}}},
    "MenuStatus": {"type": "object", "properties": {
        "site": {"type": "string"}, "version": {"type": "integer"},
        "hash": {"type": "string"}, "name": {"type": "string"},
        "applied_at": {"type": "integer"}, "applied_by": {"type": "string"},
        "safe_mode": {"type": "boolean"}, "changed_elsewhere": {"type": "boolean"},
        "profile": {"type": "object"},
        "history": {"type": "array", "items": {"type": "object"}},
        "drift": {"type": "array", "items": {"type": "object"}}}},
}
