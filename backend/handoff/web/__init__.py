"""The dashboard: a small Flask app over the core (views parse, call the core, render)."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask import Flask, abort, g, redirect, render_template, request, session, url_for

from handoff.app import Handoff
from handoff.web.accounts import Accounts, session_secret

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
PUBLIC_ENDPOINTS = {"auth.setup", "auth.login", "static", "api_docs.openapi"}


def create_app(handoff: Handoff, *, testing: bool = False) -> Flask:
    """Return the dashboard for one backend; `testing` only turns on Flask's test mode."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=session_secret(handoff), TESTING=testing,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="handoff_session", PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=1024 * 1024, JSON_SORT_KEYS=False)
    app.extensions["handoff"] = handoff
    app.extensions["handoff_accounts"] = Accounts(handoff)

    from handoff.web import api, auth, sites
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(sites.blueprint)
    app.register_blueprint(api.blueprint, url_prefix="/api/v1")
    app.register_blueprint(api.docs_blueprint, url_prefix="/api")

    @app.before_request
    def _load_user():
        user_id = session.get("user_id")
        g.user = app.extensions["handoff_accounts"].username(user_id) if user_id else None

    @app.before_request
    def _guard():
        endpoint = request.endpoint or ""
        if endpoint.startswith("api.") or endpoint in PUBLIC_ENDPOINTS:
            return None  # the API checks its token itself; public pages need no login
        if request.method == "POST":
            check_csrf()
        if not g.get("user"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None

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

    @app.errorhandler(404)
    def _not_found(error):
        if request.path.startswith("/api/"):
            return {"error": "not_found", "message": error.description}, 404
        return render_template("error.html", title="Not found",
                               message=getattr(error, "description", "")), 404

    @app.errorhandler(400)
    def _bad_request(error):
        if request.path.startswith("/api/"):
            return {"error": "bad_request", "message": error.description}, 400
        return render_template("error.html", title="Bad request",
                               message=error.description), 400

    return app


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        abort(400, "The form expired or did not come from this dashboard. Reload and retry.")


def handoff_app() -> Handoff:
    from flask import current_app
    return current_app.extensions["handoff"]


def accounts() -> Accounts:
    from flask import current_app
    return current_app.extensions["handoff_accounts"]
