"""The profile library: saved menu profiles (and the shipped presets), opened in a site's
editor or pushed to many sites as a background job; plus /api/v1/profiles.

The pages belong to the menu editor's blueprint (endpoint `menu_editor.library`).
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from handoff.cli.render import when
from handoff.core.menu_presets import preset, preset_names
from handoff.core.menu_profile import InvalidProfile, parse_profile
from handoff.errors import HandoffError, NotFoundError
from handoff.web import handoff_app, menu_editor, menu_io
from handoff.web.api import page_args, paginate, protect
from handoff.web.jobs import start_job
from handoff.web.openapi import NOT_FOUND, UNAUTHORIZED, json_content, ref
from handoff.web.present import error_text

pages = menu_editor.blueprint
api_blueprint = protect(Blueprint("api_profiles", __name__))


def _saved_or_404(profile_name: str):
    try:
        return handoff_app().profiles.get(profile_name)
    except NotFoundError as error:
        abort(404, error.cause)


# -- pages ------------------------------------------------------------------------------

@pages.get("/profiles")
def library():
    return _render_library()


def _render_library(form: dict | None = None, errors: dict | None = None, status: int = 200):
    saved = [{**menu_io.library_entry(entry), "updated": when(entry.updated_at)}
             for entry in handoff_app().profiles.list()]
    presets = [{"name": name, "description": preset(name).get("description", ""),
                "targets": preset(name)["targets"]} for name in preset_names()]
    return render_template("profiles.html", saved=saved, presets=presets,
                           sites=[site.name for site in handoff_app().sites.list()],
                           form=form or {}, errors=errors or {}), status


@pages.post("/profiles")
def add():
    """Keep a profile pasted as JSON; problems are shown next to the fields."""
    form = {field: request.form.get(field, "") for field in ("name", "description", "json")}
    errors = {}
    if not form["name"].strip():
        errors["name"] = "Give the profile a name, e.g. client-editor."
    if not form["json"].strip():
        errors["json"] = "Paste the profile's JSON (handoff menu pull writes one)."
    if errors:
        return _render_library(form, errors, 400)
    try:
        profile = parse_profile(form["json"], "the pasted JSON")
        saved, _ = handoff_app().profiles.save(form["name"], profile,
                                               form["description"] or None,
                                               replace=request.form.get("replace") == "yes")
    except InvalidProfile as error:
        errors["json"] = "; ".join(str(problem) for problem in error.problems[:8])
    except HandoffError as error:
        errors[menu_io.FIELD_OF_CODE.get(error.code, "json")] = error_text(error)
    if errors:
        return _render_library(form, errors, 400)
    flash(f"Saved {saved.name!r} in the library.", "ok")
    return redirect(url_for("menu_editor.library_profile", profile_name=saved.name))


@pages.get("/profiles/open")
def open_in_editor():
    """Open a saved profile or a preset in the editor of the chosen site."""
    site, start = request.args.get("site", ""), request.args.get("profile", "")
    known = {entry.name for entry in handoff_app().sites.list()}
    if site not in known:
        flash("Choose a connected site to open the profile in.", "error")
        return redirect(request.referrer if _same_site(request.referrer) else
                        url_for("menu_editor.library"))
    return redirect(url_for("menu_editor.editor", name=site, start=start))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@pages.get("/profiles/<profile_name>")
def library_profile(profile_name: str):
    return _render_profile(profile_name)


def _render_profile(profile_name: str, form: dict | None = None, errors: dict | None = None,
                    status: int = 200):
    saved = _saved_or_404(profile_name)
    job = None
    job_id = request.args.get("job", "")
    if job_id:
        try:
            job = handoff_app().jobs.get(job_id).as_dict()
        except NotFoundError:
            job = None
    sites = handoff_app().sites.list()
    tags = sorted({tag for site in sites for tag in site.tags})
    return render_template(
        "profiles_detail.html", profile=saved.profile,
        saved={**menu_io.library_entry(saved), "updated": when(saved.updated_at)},
        text=json.dumps(saved.profile, indent=2, ensure_ascii=False),
        sites=[site.name for site in sites], tags=tags, job=job, form=form or {},
        errors=errors or {}), status


@pages.post("/profiles/<profile_name>/push")
def push(profile_name: str):
    """Push a saved profile to the chosen sites in the background; show its progress."""
    saved = _saved_or_404(profile_name)
    names = [name for name in request.form.getlist("sites") if name]
    tag = request.form.get("tag", "").strip() or None
    every = request.form.get("all") == "yes"
    form = {"sites": names, "tag": tag or "", "all": every,
            "force": request.form.get("force") == "yes"}
    if not (names or tag or every):
        return _render_profile(profile_name, form, {"sites": "Choose sites, a tag, or all "
                                                             "sites."}, 400)
    try:
        job_id = start_job("menu.push", {"profile": saved.profile, "force": form["force"]},
                           names=names, tag=tag, every=every,
                           title=f"Push menu profile {saved.name!r}")
    except HandoffError as error:
        return _render_profile(profile_name, form, {"sites": error_text(error)}, 400)
    return redirect(url_for("menu_editor.library_profile", profile_name=saved.name,
                            job=job_id))


@pages.post("/profiles/<profile_name>/delete")
def delete(profile_name: str):
    _saved_or_404(profile_name)
    handoff_app().profiles.delete(profile_name)
    flash(f"Deleted {profile_name!r} from the library. Sites that have it keep it.", "ok")
    return redirect(url_for("menu_editor.library"))


@pages.post("/profiles/save.json")
def save_json():
    """The editor's "Save as reusable profile": 201 new, 200 replaced, 409 taken."""
    return _saved_answer(None, menu_io.request_body())


def _saved_answer(profile_name: str | None, body: dict | None, *, replace: bool = False):
    if replace and isinstance(body, dict):
        body = {**body, "replace": True}
    return menu_io.call(menu_io.save, profile_name, body)


# -- API --------------------------------------------------------------------------------

@api_blueprint.get("/profiles")
def api_list():
    page, per_page = page_args()
    return paginate(handoff_app().profiles.list(), page, per_page, menu_io.library_entry)


@api_blueprint.get("/profiles/<profile_name>")
def api_get(profile_name: str):
    return menu_io.library_entry(_saved_or_404(profile_name), with_profile=True)


@api_blueprint.put("/profiles/<profile_name>")
def api_put(profile_name: str):
    return _saved_answer(profile_name, menu_io.request_body(), replace=True)


@api_blueprint.delete("/profiles/<profile_name>")
def api_delete(profile_name: str):
    _saved_or_404(profile_name)
    handoff_app().profiles.delete(profile_name)
    return {"name": profile_name, "deleted": True}


_PROFILE_NAME = {"name": "profile_name", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"},
                 "description": "The saved profile's name."}
OPENAPI_PATHS = {
    "/profiles": {"get": {
        "operationId": "listProfiles", "summary": "Saved menu profiles, by name.",
        "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer",
                                                                  "minimum": 1}},
                       {"name": "per_page", "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
        "responses": {"200": json_content(ref("SavedProfilePage"), "One page."),
                      "400": json_content(ref("Error"), "Bad page or per_page."),
                      "401": UNAUTHORIZED}}},
    "/profiles/{profile_name}": {
        "get": {"operationId": "getProfile", "summary": "One saved profile, with the profile.",
                "parameters": [_PROFILE_NAME],
                "responses": {"200": json_content(ref("SavedProfile"), "The profile."),
                              "401": UNAUTHORIZED, "404": NOT_FOUND}},
        "put": {"operationId": "saveProfile",
                "summary": "Save (or replace) a profile in the library; validated as a push.",
                "parameters": [_PROFILE_NAME],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("NewSavedProfile")}}},
                "responses": {"200": json_content(ref("SavedProfile"), "Replaced."),
                              "201": json_content(ref("SavedProfile"), "Saved."),
                              "400": json_content(ref("FieldErrors"),
                                                  "Bad name or profile; nothing saved."),
                              "401": UNAUTHORIZED}},
        "delete": {"operationId": "deleteProfile",
                   "summary": "Delete a saved profile (sites that have it keep it).",
                   "parameters": [_PROFILE_NAME],
                   "responses": {"200": json_content(
                       {"type": "object", "properties": {"name": {"type": "string"},
                                                         "deleted": {"type": "boolean"}}},
                       "Deleted."), "401": UNAUTHORIZED, "404": NOT_FOUND}},
    },
}
_SAVED_PROPERTIES = {
    "name": {"type": "string"}, "description": {"type": "string"},
    "updated_at": {"type": "string", "format": "date-time"},
    "updated_by": {"type": "string"}, "hash": {"type": "string"},
    "targets": {"type": "object"},
    "states": {"type": "object", "additionalProperties": {"type": "integer"},
               "description": "How many top-level items are visible, hidden, denied."},
    "custom_links": {"type": "integer"}}
OPENAPI_SCHEMAS = {
    "SavedProfile": {"type": "object", "required": ["name", "hash"], "properties": {
        **_SAVED_PROPERTIES, "profile": {"type": "object"}}},
    "SavedProfilePage": {"type": "object", "properties": {
        "items": {"type": "array", "items": {"type": "object",
                                             "properties": _SAVED_PROPERTIES}},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "total": {"type": "integer"}, "pages": {"type": "integer"}}},
    "NewSavedProfile": {"type": "object", "required": ["profile"], "properties": {
        "profile": {"type": "object", "description": "A menu profile."},
        "description": {"type": "string", "maxLength": 500,
                        "description": "Default: the profile's own description."}}},
}
