"""First-run setup, login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from handoff.web import accounts, check_csrf

blueprint = Blueprint("auth", __name__)


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


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if not accounts().has_user():
        return redirect(url_for("auth.setup"))
    error, username = "", ""
    if request.method == "POST":
        check_csrf()
        username = request.form.get("username", "")
        user_id = accounts().verify(username, request.form.get("password", ""))
        if user_id is not None:
            target = _safe_next(request.args.get("next"))
            session.clear()
            session["user_id"] = user_id
            session.permanent = True
            return redirect(target)
        error = "Wrong user name or password."
    if g.get("user") and request.method == "GET":
        return redirect(url_for("sites.index"))
    return render_template("login.html", error=error, username=username), \
        401 if error else 200


@blueprint.route("/logout", methods=["POST"])
def logout():
    session.clear()
    flash("Logged out.", "ok")
    return redirect(url_for("auth.login"))
