"""The Handbook page: the client intake, a preview per language, downloads, publishing.

Views parse, call the core (app.intakes, app.handbooks) and render. The built handbook is a
full HTML document with inline CSS, so the page never embeds it: the preview is served by
its own route with a CSP of its own and shown in a sandboxed frame. The JSON API is in
handbook_api.py.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from handoff.core.handbooks import FORMATS
from handoff.core.intake import answers_from_fields, intake_errors, intake_fields
from handoff.errors import HandoffError, InvalidInputError
from handoff.handbook.templates import LANGUAGES
from handoff.web import handoff_app, wants_json
from handoff.web.api import failure, field_errors, site_or_404
from handoff.web.handbook_api import OPENAPI_PATHS, OPENAPI_SCHEMAS, api_blueprint
from handoff.web.handbook_view import (
    FIELD_OF_CODE,
    LANGUAGE_NAMES,
    PREVIEW_CSP,
    Choice,
    Previews,
    build,
    failure_status,
    file_response,
    form_errors,
    intake_form,
    missing_rows,
    parse_choice,
    status_view,
)
from handoff.web.present import error_text

blueprint = Blueprint("handbook", __name__)
__all__ = ["blueprint", "api_blueprint", "OPENAPI_PATHS", "OPENAPI_SCHEMAS"]


@blueprint.record_once
def _keep_previews(state) -> None:
    state.app.extensions["handbook_previews"] = Previews()


def _previews() -> Previews:
    return current_app.extensions["handbook_previews"]


def _render(name: str, *, choice: Choice | None = None, answers: dict | None = None,
            errors: dict | None = None, build_error: HandoffError | None = None,
            preview: dict | None = None, page_login: str = "", status: int = 200):
    """The page; `errors` maps intake paths and the page's own inputs to messages."""
    app = handoff_app()
    site = site_or_404(name)
    choice = choice or Choice()
    errors = errors or {}
    language = app.handbooks.language_for(name, choice.language)
    stored = app.intakes.get(name)
    missing, missing_error = None, ""
    try:
        missing = missing_rows(app.handbooks.missing_answers(name, language=language))
    except HandoffError as error:
        missing_error = error_text(error)
    try:
        state, status_error = status_view(app.handbooks.status(name)), ""
    except HandoffError as error:
        state, status_error = None, error_text(error)
    groups = intake_form(stored if answers is None else answers, errors, missing or [])
    return render_template(
        "handbook.html", site=site, choice=choice, language=language,
        language_name=LANGUAGE_NAMES.get(language, language),
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES], groups=groups,
        wrong=[control for group in groups for control in group["fields"] if control["error"]],
        form_problems=form_errors(errors), errors=errors, missing=missing,
        missing_error=missing_error, build_error=build_error, preview=preview, state=state,
        status_error=status_error, page_login=page_login), status


def _back(name: str, choice: Choice, anchor: str) -> str:
    return url_for("handbook.page", name=name, **choice.args()) + anchor


@blueprint.get("/sites/<name>/handbook")
def page(name: str):
    site_or_404(name)
    choice, errors = parse_choice(request.args)
    if errors:
        return _render(name, choice=choice, errors=errors, status=400)
    if not request.args.get("preview"):
        return _render(name, choice=choice)
    try:
        book = build(name, choice)
    except HandoffError as error:
        return _render(name, choice=choice, build_error=error, status=failure_status(error))
    token = _previews().put(name, book.html_document())
    preview = {"src": url_for("handbook.preview", name=name, id=token, **choice.args()),
               "open": url_for("handbook.preview", name=name, **choice.args()),
               "language": LANGUAGE_NAMES[book.language], "title": book.title,
               "chapters": len(book.chapters), "dropped": book.dropped,
               "warnings": book.warnings, "blanks": book.blanks}
    return _render(name, choice=choice, preview=preview)


@blueprint.post("/sites/<name>/handbook/intake")
def save_intake(name: str):
    site_or_404(name)
    values = {field.path: request.form.getlist(field.path) if field.kind == "list"
              else request.form.get(field.path, "") for field in intake_fields()}
    answers = answers_from_fields(values)
    try:
        handoff_app().intakes.save(name, answers)
    except InvalidInputError as error:
        errors = intake_errors(answers) or {"": error_text(error)}
        return _render(name, answers=answers, errors=errors, status=400)
    flash(f"Saved the intake of {name}.", "ok")
    return redirect(url_for("handbook.page", name=name))


@blueprint.get("/sites/<name>/handbook/preview")
def preview(name: str):
    """The built handbook alone, for the page's sandboxed frame (or a tab of its own)."""
    site_or_404(name)
    html, status = _previews().get(name, request.args.get("id", "")), 200
    if html is None:
        choice, errors = parse_choice(request.args)
        try:
            if errors:
                raise InvalidInputError(" ".join(errors.values()), "choose again on the page",
                                        code="choice")
            html = build(name, choice).html_document()
        except HandoffError as error:
            status = failure_status(error)
            html = render_template("handbook_preview_error.html", error=error)
    response = Response(html, status, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # the page's frame, nobody else's
    return response


@blueprint.get("/sites/<name>/handbook/download")
def download(name: str):
    site_or_404(name)
    choice, errors = parse_choice(request.args)
    fmt = request.args.get("format", "")
    if fmt not in FORMATS:
        errors["format"] = f"Choose one of: {', '.join(FORMATS)}."
    if errors:
        if wants_json():  # the page's script: it shows the message itself
            return field_errors(errors)
        return _render(name, choice=choice, errors=errors, status=400)
    try:
        return file_response(name, build(name, choice), fmt)
    except HandoffError as error:
        if wants_json():
            return failure(error, failure_status(error))
        return _render(name, choice=choice, build_error=error, status=failure_status(error))


@blueprint.post("/sites/<name>/handbook/publish")
def publish(name: str):
    site_or_404(name)
    choice, errors = parse_choice(request.form)
    if errors:
        return _render(name, choice=choice, errors=errors, status=400)
    try:
        book = build(name, choice)
        result = handoff_app().handbooks.publish(name, book)
    except HandoffError as error:
        return _render(name, choice=choice, build_error=error, status=failure_status(error))
    flash(f"Published the {LANGUAGE_NAMES[book.language]} handbook on {name}: "
          f"{result.sections} sections.", "ok")
    return redirect(_back(name, choice, "#publish"))


@blueprint.post("/sites/<name>/handbook/publish-page")
def publish_page(name: str):
    """Without the plugin: a private page, with an editor's Application Password."""
    site_or_404(name)
    choice, errors = parse_choice(request.form)
    login = request.form.get("login", "").strip()
    password = request.form.get("password", "")  # used once, never stored or shown
    errors.update(_page_login_errors(login, password))
    if errors:
        return _render(name, choice=choice, errors=errors, page_login=login, status=400)
    try:
        book = build(name, choice)
        page_id = handoff_app().handbooks.publish_as_page(name, book, login, password)
    except HandoffError as error:
        if FIELD_OF_CODE.get(error.code) == "password":
            return _render(name, choice=choice, errors={"password": error_text(error)},
                           page_login=login, status=400)
        return _render(name, choice=choice, build_error=error, page_login=login,
                       status=failure_status(error))
    flash(f"Published the {LANGUAGE_NAMES[book.language]} handbook on {name} as private "
          f"page #{page_id}.", "ok")
    return redirect(_back(name, choice, "#publish"))


def _page_login_errors(login: str, password: str) -> dict[str, str]:
    errors = {}
    if not login:
        errors["login"] = "Enter the WordPress login of the user the page is for."
    elif len(login) > 60:
        errors["login"] = "A WordPress login has at most 60 characters."
    if not password.strip():
        errors["password"] = ("Paste an Application Password of that user (Users → Profile → "
                              "Application Passwords on the site).")
    return errors


@blueprint.post("/sites/<name>/handbook/unpublish")
def unpublish(name: str):
    site_or_404(name)
    try:
        handoff_app().handbooks.unpublish(name)
    except HandoffError as error:
        flash(f"Unpublishing the handbook of {name} failed: {error_text(error)}", "error")
    else:
        flash(f"Took the handbook off {name}: its Site Handbook screen is gone.", "ok")
    return redirect(url_for("handbook.page", name=name) + "#publish")
