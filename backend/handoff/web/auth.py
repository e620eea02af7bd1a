"""First-run setup, login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from handoff.web import accounts, check_csrf, handoff_app
from handoff.web.login_limits import LoginThrottle

blueprint = Blueprint("auth", __name__)
WRONG = "Wrong user name or password."


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another host after login."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("sites.index")


@blueprint.route("/setup", methods=["GET", "POST"])
def setup():
    if accounts().has_user():
        return redirect(url_for("auth.login"))
    errors, username = {}, ""
    if request.method == "POST":
        check_csrf()
        username = request.form.get("username", "")
        errors = accounts().create_user(username, request.form.get("password", ""),
                                        request.form.get("repeat", ""))
        if not errors:
            flash("The dashboard's login is ready. Log in with it.", "ok")
            return redirect(url_for("auth.login"))
    return render_template("setup.html", errors=errors, username=username), \
        400 if errors else 200


def throttle() -> LoginThrottle:
    """The app's login throttle (tests put one with their own clock in its place)."""
    return current_app.extensions.setdefault("handoff_login_throttle",
                                             LoginThrottle(handoff_app().store))


def _wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _form(error: str = "", username: str = "") -> str:
    limits = throttle()
    return render_template("login.html", error=error, username=username, limit=limits.limit,
                           window=_wait_text(int(limits.window.total_seconds())))


def _refused(username: str, wait: int, prefix: str = ""):
    error = (f"{prefix}Too many failed logins for this user name or from this address. "
             f"Try again in {_wait_text(wait)}.")
    return _form(error, username), 429, {"Retry-After": str(wait)}


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if not accounts().has_user():
        return redirect(url_for("auth.setup"))
    if request.method == "POST":
        check_csrf()
        return _attempt(request.form.get("username", ""), request.form.get("password", ""),
                        request.remote_addr or "")
    if g.get("user"):
        return redirect(url_for("sites.index"))
    return _form()


def _attempt(username: str, password: str, address: str):
    """Log in, unless this user name or address failed too often lately."""
    wait = throttle().retry_after(username, address)
    if wait:
        return _refused(username, wait)  # not even checked: guessing gains nothing
    user_id = accounts().verify(username, password)
    if user_id is None:
        throttle().failed(username, address)
        wait = throttle().retry_after(username, address)
        if wait:
            return _refused(username, wait, prefix=f"{WRONG} ")
        return _form(WRONG, username), 401
    throttle().succeeded(username, address)
    target = _safe_next(request.args.get("next"))
    session.clear()
    session["user_id"] = user_id
    # Logout and a password change raise the user's generation: this cookie then opens nothing.
    session["generation"] = accounts().session_generation(user_id)
    session.permanent = True
    return redirect(target)


@blueprint.route("/logout", methods=["POST"])
def logout():
    """End every session of this user, not only this browser's (a copied cookie dies too)."""
    accounts().end_sessions(session["user_id"])
    session.clear()
    flash("Logged out.", "ok")
    return redirect(url_for("auth.login"))


@blueprint.route("/password", methods=["GET", "POST"])
def password():
    """Change the login's password; every session of the user ends, this browser's too."""
    errors: dict[str, str] = {}
    if request.method == "POST":  # the app checked the CSRF token and the login
        errors = accounts().change_password(session["user_id"], request.form.get("current", ""),
                                            request.form.get("password", ""),
                                            request.form.get("repeat", ""))
        if not errors:
            session.clear()
            flash("The password was changed and every session ended. Log in with the new "
                  "password.", "ok")
            return redirect(url_for("auth.login"))
    return render_template("password.html", errors=errors), 400 if errors else 200
