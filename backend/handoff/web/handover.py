"""The Handover page of a site: the checklist with live results, decisions and documents.

Forms work without JavaScript (post, redirect); static/js/handover.js sends the same forms
with fetch and asks for JSON (Accept: application/json), then swaps in the fragments the
server renders from the same templates, so there is one markup for both.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)

from handoff.core.handovers import Report
from handoff.errors import HandoffError, InvalidInputError, NotFoundError
from handoff.handover.render import NotReadyError
from handoff.web import handoff_app, wants_json
from handoff.web.handover_api import OPENAPI_PATHS, OPENAPI_SCHEMAS, api_blueprint
from handoff.web.handover_view import (
    download,
    error_field,
    field_message,
    history_view,
    item_view,
    letter_errors,
    letter_options,
    report_view,
)
from handoff.web.jobs import start_job
from handoff.web.present import error_text, site_row

__all__ = ["blueprint", "api_blueprint", "OPENAPI_PATHS", "OPENAPI_SCHEMAS"]

blueprint = Blueprint("handover", __name__)
PARTS = "handover_parts.html"
CHECK_KIND = "handover.check"


# -- pages ------------------------------------------------------------------------------

@blueprint.get("/sites/<name>/handover")
def page(name: str):
    return _page(name)


@blueprint.get("/sites/<name>/handover.json")
def state(name: str):
    """The latest report and the page's regions, rendered, for the page script."""
    _known(name)
    report = latest_or_none(name)
    return {"report": report.as_dict() if report else None, "html": _regions(name, report)}


@blueprint.post("/sites/<name>/handover/check")
def run_check(name: str):
    """Start the check in the background; the page shows its progress."""
    _known(name)
    try:
        job_id = start_job(CHECK_KIND, {}, names=[name])
    except HandoffError as error:
        if wants_json():
            return {"errors": {"form": error_text(error)}, "code": error.code}, 400
        flash(error_text(error), "error")
        return redirect(url_for("handover.page", name=name))
    if wants_json():
        job = handoff_app().jobs.get(job_id).as_dict()
        card = get_template_attribute("_job.html", "job_progress")(job)
        return {"job": job, "html": {"job": str(card)}}, 202
    return redirect(url_for("handover.page", name=name, job=job_id, _anchor="run"))


@blueprint.post("/sites/<name>/handover/items/<item_id>/sign")
def sign(name: str, item_id: str):
    form = {"by": request.form.get("by", ""), "note": request.form.get("note", "")}
    return _decide(name, item_id, "sign", form, lambda: handoff_app().handovers.sign(
        name, item_id, form["by"], form["note"]))


@blueprint.post("/sites/<name>/handover/items/<item_id>/waive")
def waive(name: str, item_id: str):
    form = {"reason": request.form.get("reason", ""), "by": request.form.get("by", "")}
    return _decide(name, item_id, "waive", form, lambda: handoff_app().handovers.waive(
        name, item_id, form["reason"], form["by"]))


@blueprint.post("/sites/<name>/handover/complete")
def complete(name: str):
    """Complete the handover; with disconnect, only after a confirmation step."""
    site = _known(name)
    form = {"by": request.form.get("by", ""),
            "disconnect": request.form.get("disconnect") == "yes"}
    handovers = handoff_app().handovers
    try:
        if form["disconnect"] and request.form.get("confirm") != "yes":
            report = handovers.ready_to_complete(name, form["by"])
            return render_template("handover_confirm.html", site=site_row(site),
                                   by=form["by"].strip(), report=report_view(report))
        report = handovers.complete(name, form["by"], form["disconnect"])
    except InvalidInputError as error:
        if error.code == "no_run":  # the page has no completion form before a check
            return _page(name, status=400, errors={"page": error_text(error)})
        errors = {error_field(error, "complete"): field_message(error)}
        return _page(name, status=400, errors={"complete": errors}, values={"complete": form})
    except HandoffError as error:  # the site failed while being disconnected
        flash(f"Completing the handover of {name} failed: {error_text(error)}", "error")
        return redirect(url_for("handover.page", name=name))
    flash(f"Handover of {name} completed by {report.completed['by']} ({report.verdict})."
          + (" The backend's access to the site is revoked." if form["disconnect"] else ""),
          "ok")
    return redirect(url_for("handover.page", name=name))


@blueprint.get("/sites/<name>/handover/report.<fmt>")
def report(name: str, fmt: str):
    _known(name)
    try:
        return download(handoff_app().handovers.report_file(
            name, fmt, language=request.args.get("lang") or None))
    except InvalidInputError as error:  # an unknown format or language, or no check yet
        abort(404, error_text(error))


@blueprint.get("/sites/<name>/handover/letter")
def letter(name: str):
    """The letter as a download; bad or missing options come back next to their fields."""
    _known(name)
    options, errors = letter_options(request.args)
    if not options["parting"]:  # the form keeps the parting fields; only that letter uses them
        options.update(reason="", final_date="", refund="", alternatives=[],
                       allow_blanks=False)
    else:
        options.update(draft=False)  # likewise the handover letter's draft box
    if not errors:
        try:
            return download(handoff_app().handovers.letter_file(name, **options))
        except InvalidInputError as error:
            if error.code == "no_run":
                abort(404, error_text(error))
            errors.update(letter_errors(error))
        except NotReadyError as error:
            errors.update(letter_errors(error))
    return _page(name, status=400, errors={"letter": errors},
                 values={"letter": request.args.to_dict()})


# -- helpers ----------------------------------------------------------------------------

def _decide(name: str, item_id: str, action: str, form: dict, call):
    """Record a sign-off or waiver; a refusal comes back next to the field, nothing saved."""
    _known(name)
    try:
        item = call()
    except InvalidInputError as error:
        return _refused(name, item_id, action, form, error)
    verb = "signed off" if action == "sign" else "waived"
    report = latest_or_none(name)
    message = f"{item.title}: {verb}." + (f" Verdict: {report.verdict}." if report else "")
    if not wants_json():
        flash(message, "ok")
        return redirect(url_for("handover.page", name=name, _anchor=f"item-{item_id}",
                                show="open" if _shown() == "open" else None))
    view = report_view(report)
    return {"message": message, "item": item_view(item),
            "verdict": report.verdict if report else None,
            "counts": report.counts() if report else {},
            "groups": {group["id"]: group["open"] for group in view["groups"]} if view else {},
            "html": {**_regions(name, report, only=("summary", "history")),
                     "item": _item_html(name, item_view(item))}}


def _refused(name: str, item_id: str, action: str, form: dict, error: InvalidInputError):
    field = error_field(error)
    message = field_message(error)
    item = _item_or_none(name, item_id)
    if item is None:  # an unknown item has no row to show the error in: say it on top
        if wants_json():
            return {"errors": {"item": message}, "code": error.code, "html": {}}, 400
        return _page(name, status=400, errors={"page": message})
    item_state = {"item": item_id, "action": action, "values": form,
                  "errors": {field: message}}
    if wants_json():
        return {"errors": {field: message}, "code": error.code,
                "html": {"item": _item_html(name, item, item_state)}}, 400
    return _page(name, status=400, item_state=item_state)


def _page(name: str, *, status: int = 200, errors: dict | None = None,
          values: dict | None = None, item_state: dict | None = None):
    site = _known(name)
    report = latest_or_none(name)
    job = _watched_job(name)
    return render_template(
        "handover.html", site=site_row(site), report=report_view(report), job=job,
        show=_shown(),
        job_running=bool(job and job["status"] in ("queued", "running")),
        history=history_view(*handoff_app().handovers.history(name)),
        by_default=g.user or "", errors=errors or {}, values=values or {},
        item_state=item_state or {}), status


def _regions(name: str, report: Report | None,
             only: tuple[str, ...] = ("summary", "checklist", "aside", "history")) -> dict:
    """The page's regions rendered as on the page, for the script to swap in."""
    view = report_view(report)
    render = {
        "summary": lambda: get_template_attribute(PARTS, "summary")(name, view),
        "checklist": lambda: get_template_attribute(PARTS, "checklist")(
            name, view, g.user or "", {}, _shown()),
        "aside": lambda: get_template_attribute(PARTS, "aside")(name, view, g.user or "",
                                                                {}, {}),
        "history": lambda: get_template_attribute(PARTS, "history")(
            history_view(*handoff_app().handovers.history(name))),
    }
    return {region: str(render[region]()) for region in only}


def _shown() -> str:
    """Which items the checklist lists: "open" ones only, or "all" (the default)."""
    return "open" if request.values.get("show") == "open" else "all"


def _item_html(name: str, item: dict, item_state: dict | None = None) -> str:
    return str(get_template_attribute(PARTS, "item")(name, item, g.user or "",
                                                     item_state or {}, _shown()))


def _item_or_none(name: str, item_id: str) -> dict | None:
    report = latest_or_none(name)
    found = next((i for i in report.items if i.id == item_id), None) if report else None
    return item_view(found) if found else None


def _watched_job(name: str) -> dict | None:
    """The check named by ?job=, or else one still running for this site."""
    jobs = handoff_app().jobs
    wanted = request.args.get("job", "")
    if wanted:
        try:
            job = jobs.get(wanted)
        except NotFoundError:
            job = None
        if job and job.kind == CHECK_KIND and name in job.targets:
            return job.as_dict()
    views, _ = jobs.list(limit=10, kind=CHECK_KIND)
    running = next((job for job in views if not job.finished and name in job.targets), None)
    return running.as_dict() if running else None


def latest_or_none(name: str) -> Report | None:
    """The last complete check's report, or None before the first one."""
    try:
        return handoff_app().handovers.latest(name)
    except InvalidInputError as error:
        if error.code == "no_run":
            return None
        raise


def _known(name: str):
    try:
        return handoff_app().sites.get(name)
    except NotFoundError as error:
        abort(404, error.cause)
