"""The sites page, adding a site, Check and Sync, and a site's detail page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from handoff.core.inventory import active_theme
from handoff.core.site_list import InvalidSiteQueryError, SiteQuery
from handoff.errors import HandoffError, NotFoundError
from handoff.web import handoff_app
from handoff.web.present import (
    diagnosis_dict,
    error_field,
    error_text,
    page_numbers,
    plugin_rows,
    site_row,
    summary_row,
    sync_counts,
    sync_message,
)

blueprint = Blueprint("sites", __name__)
PAGE_SIZE = 50


def list_query(default_per_page: int, max_per_page: int, per_page: str | None = None):
    """The list's query from the query string (page, tag, q), or its field errors."""
    try:
        return SiteQuery.parse(page=request.args.get("page"), per_page=per_page,
                               tag=request.args.get("tag"), q=request.args.get("q"),
                               default_per_page=default_per_page,
                               max_per_page=max_per_page), {}
    except InvalidSiteQueryError as error:
        return None, error.fields


def _index(form: dict | None = None, errors: dict | None = None, status: int = 200):
    query, filter_errors = list_query(PAGE_SIZE, PAGE_SIZE)
    filters = {"tag": request.args.get("tag", "").strip(), "q": request.args.get("q", "").strip()}
    context = {"form": form or {}, "errors": errors or {}, "filters": filters,
               "filter_errors": filter_errors, "tags": handoff_app().sites.tags_in_use(),
               "sites": [], "listing": None, "numbers": []}
    if query is not None:
        listing = handoff_app().sites.page(query)
        context.update(sites=[summary_row(item) for item in listing.items], listing=listing,
                       numbers=page_numbers(query.page, listing.pages))
    return render_template("sites.html", **context), 400 if filter_errors else status


@blueprint.get("/")
def index():
    return _index()


@blueprint.post("/sites")
def add():
    form = {field: request.form.get(field, "").strip() for field in ("url", "key", "name")}
    errors = {}
    if not form["url"]:
        errors["url"] = "Enter the site's address, e.g. https://client.example."
    if not form["key"]:
        errors["key"] = "Paste the connection key from Settings → Handoff on the site."
    if not errors:
        try:
            result = handoff_app().sites.add(form["key"], form["url"], name=form["name"] or None)
        except HandoffError as error:
            errors[error_field(error)] = error_text(error)
        else:
            flash(f"Connected {result.site.name} over {result.site.transport}. "
                  "Next: press Sync to read its inventory.", "ok")
            return redirect(url_for("sites.index"))
    form.pop("key")  # never echo a secret back into the page
    return _index(form, errors, 400)


@blueprint.post("/sites/<name>/check")
def check(name: str):
    _known(name)
    try:
        diagnosis = diagnosis_dict(handoff_app().sites.check(name))
    except HandoffError as error:
        flash(f"Check of {name} failed: {error_text(error)}", "error")
    else:
        level = {"ok": "ok", "warning": "warning"}.get(diagnosis["health"], "error")
        flash(f"Check of {name}: {diagnosis['summary']}", level)
    return redirect(_back(name))


@blueprint.post("/sites/<name>/sync")
def sync(name: str):
    _known(name)
    try:
        inventory = handoff_app().sites.sync(name)
    except HandoffError as error:
        flash(f"Sync of {name} failed: {error_text(error)}", "error")
    else:
        flash(sync_message(name, sync_counts(inventory)), "ok")
    return redirect(_back(name))


@blueprint.get("/sites/<name>")
def detail(name: str):
    site = _known(name)
    inventory = handoff_app().sites.latest_inventory(name)
    context = {"site": site_row(site), "inventory": inventory, "role": "", "roles": [],
               "menu": [], "plugins": [], "post_types": [], "theme": None}
    if inventory is not None:
        by_role = inventory["admin_menu"]["by_role"]
        role = request.args.get("role", "")
        if role and role not in by_role:
            abort(404, f"The site has no role '{role}'.")
        context.update(
            role=role, roles=sorted(by_role), plugins=plugin_rows(inventory),
            menu=by_role[role] if role else inventory["admin_menu"]["full"],
            post_types=[t for t in inventory["post_types"] if t["show_ui"]],
            theme=active_theme(inventory))
    return render_template("site.html", **context)


def _known(name: str):
    try:
        return handoff_app().sites.get(name)
    except NotFoundError as error:
        abort(404, error.cause)


def _back(name: str) -> str:
    if request.form.get("back") == "detail":
        return url_for("sites.detail", name=name)
    return url_for("sites.index")
