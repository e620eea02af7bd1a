"""The dashboard: a small Flask app over the core (views parse, call the core, render)."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from flask import Flask, abort, g, redirect, render_template, request, session, url_for

from handoff.app import Handoff
from handoff.core.actor import reset_actor, set_actor
from handoff.storage import permissions
from handoff.web.accounts import Accounts, session_secret

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The names a dashboard on this machine answers to unless told others (any port).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::[0-9]{1,5})?")
PUBLIC_ENDPOINTS = {"auth.setup", "auth.login", "static", "api_docs.openapi"}

# Every feature is one module of this package. A module may define
#   `blueprint`      pages, mounted at "/" (login and CSRF enforced by the app),
#   `api_blueprint`  JSON routes, mounted at "/api/v1"; call `api.protect(api_blueprint)`
#                    so every route needs a Bearer token,
#   `OPENAPI_PATHS` and `OPENAPI_SCHEMAS`  its part of the OpenAPI document (web/openapi.py).
# Endpoints of API blueprints must be named "<blueprint name>" starting with "api".
FEATURES = ["auth", "sites", "api", "jobs", "handover", "menu_editor", "profiles", "handbook",
            "tokens", "audit"]

# Tabs of a site's pages: (endpoint taking `name`, label), shown when the endpoint exists.
SITE_TABS = [("sites.detail", "Overview"), ("menu_editor.editor", "Menu"),
             ("handbook.page", "Handbook"), ("handover.page", "Handover")]
# The top bar: (endpoint without arguments, label), shown when the endpoint exists.
MAIN_NAV = [("sites.index", "Sites"), ("menu_editor.library", "Profiles"),
            ("jobs.index", "Jobs"), ("audit.index", "Audit"), ("tokens.index", "API tokens")]


def create_app(handoff: Handoff, *, testing: bool = False,
               trusted_hosts: Iterable[str] = LOOPBACK_NAMES, remote: bool = False) -> Flask:
    """Return the dashboard for one backend; `testing` only turns on Flask's test mode.

    `trusted_hosts`: the host names it answers to (any port), anything else is a 400;
    `remote`: served to other machines (behind a TLS proxy), so the cookie is Secure.
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=session_secret(handoff), TESTING=testing, SESSION_COOKIE_SECURE=remote,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="handoff_session", PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=1024 * 1024, JSON_SORT_KEYS=False)
    app.extensions["handoff"] = handoff
    for exposure in permissions.report(handoff.settings):  # each once per process
        app.logger.warning(exposure.message)
    app.extensions["handoff_accounts"] = Accounts(handoff)

    for module in feature_modules():
        if hasattr(module, "blueprint"):
            app.register_blueprint(module.blueprint)
        if hasattr(module, "api_blueprint"):
            app.register_blueprint(module.api_blueprint, url_prefix="/api/v1")
    from handoff.web import api
    app.register_blueprint(api.docs_blueprint, url_prefix="/api")

    trusted = frozenset(filter(None, map(host_name, trusted_hosts)))

    @app.before_request
    def _trusted_host():  # registered first: before the login lookup and any view
        check_host(trusted)

    @app.before_request
    def _load_user():
        g.user = None
        if "user_id" in session:  # checked on every request: logout may have ended it
            g.user = app.extensions["handoff_accounts"].signed_in(
                session.get("user_id"), session.get("generation"))
            if g.user is None:
                session.clear()

    @app.before_request
    def _guard():
        endpoint = request.endpoint or ""
        if request.path.startswith("/api/") and request.routing_exception is not None:
            return None  # an unknown API path or method: a plain 404 or 405, in JSON
        if endpoint.startswith("api") or endpoint in PUBLIC_ENDPOINTS:
            return None  # the API checks its token itself; public pages need no login
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            check_csrf()
        if not g.get("user"):
            if wants_json():
                return {"error": "unauthorized", "message": "Log in again."}, 401
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        g.actor_token = set_actor(f"dashboard:{g.user}")
        return None

    @app.teardown_request
    def _forget_actor(_error=None):
        token = g.pop("actor_token", None)
        if token is not None:
            reset_actor(token)

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token  # globals reach imported macros too

    @app.context_processor
    def _template_globals():
        return {"current_user": g.get("user")}

    def site_tab_links():
        return [(endpoint, label) for endpoint, label in SITE_TABS
                if endpoint in app.view_functions]
    app.jinja_env.globals["site_tab_links"] = site_tab_links
    app.jinja_env.globals["main_nav_links"] = lambda: [
        (endpoint, label) for endpoint, label in MAIN_NAV if endpoint in app.view_functions]

    @app.errorhandler(404)
    def _not_found(error):
        if wants_json():
            return {"error": "not_found", "message": error.description}, 404
        return render_template("error.html", title="Not found",
                               message=getattr(error, "description", "")), 404

    @app.errorhandler(405)
    def _wrong_method(error):
        if wants_json():
            return {"error": "method_not_allowed", "message": error.description}, 405, \
                {"Allow": ", ".join(error.valid_methods or [])}
        return render_template("error.html", title="Not allowed",
                               message=error.description), 405

    @app.errorhandler(400)
    def _bad_request(error):
        if wants_json():
            return {"error": "bad_request", "message": error.description}, 400
        return render_template("error.html", title="Bad request",
                               message=error.description), 400

    return app


def host_name(host: str) -> str | None:
    """The name in a Host header or option ("Name.example.:8765" -> "name.example")."""
    if host.count(":") > 1 and not host.startswith("["):
        host = f"[{host}]"  # a bare IPv6 address, as written in an option
    match = _HOST.fullmatch(host.strip())
    return match["name"].strip("[]").rstrip(".").lower() if match else None


def check_host(trusted: frozenset[str]) -> None:
    """Refuse a request sent to a name this dashboard is not served under.

    A web page can point its own DNS name at 127.0.0.1 (DNS rebinding) and then call the
    dashboard as if it were its own site; the browser still sends that page's name as Host.
    Flask's TRUSTED_HOSTS (3.1+) would only be checked when a view builds a URL.
    """
    sent = request.environ.get("HTTP_HOST", "")
    if host_name(sent) not in trusted:
        shown = sent[:100] or "(none)"
        abort(400, f"This dashboard does not answer to the host name {shown}: a page of "
                   "another site may be trying to reach it under its own name. If you opened "
                   "it by this name on purpose, start it with `handoff serve --host-name "
                   "NAME`.")


def wants_json() -> bool:
    """API routes, the pages' JSON endpoints and scripts asking for JSON get JSON errors."""
    return (request.path.startswith("/api/") or request.path.endswith(".json")
            or request.is_json or request.accept_mimetypes.best == "application/json")


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Forms send the token as a field; the pages' scripts send it as X-CSRF-Token."""
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        abort(400, "The form expired or did not come from this dashboard. Reload and retry.")


def feature_modules() -> list:
    import importlib
    return [importlib.import_module(f"handoff.web.{name}") for name in FEATURES]


def handoff_app() -> Handoff:
    from flask import current_app
    return current_app.extensions["handoff"]


def accounts() -> Accounts:
    from flask import current_app
    return current_app.extensions["handoff_accounts"]
