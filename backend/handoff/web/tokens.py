"""The API tokens page: list, create (the token is shown once) and revoke tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from handoff.cli.render import when
from handoff.errors import InvalidInputError, NotFoundError
from handoff.web import accounts
from handoff.web.accounts import MAX_TOKEN_NAME, TokenInfo
from handoff.web.present import error_text

blueprint = Blueprint("tokens", __name__)


def _rows() -> list[dict]:
    return [{"id": info.id, "name": info.name, "prefix": info.prefix,
             "created": info.created_at.strftime("%Y-%m-%d %H:%M UTC"),
             "created_iso": info.created_at.isoformat(),
             "created_ago": when(info.created_at)} for info in accounts().list_tokens()]


def _page(status: int = 200, **context):
    context = {"tokens": _rows(), "errors": {}, "form": {}, "new_token": None,
               "max_name": MAX_TOKEN_NAME, **context}
    return render_template("tokens.html", **context), status


def _token_or_404(token_id: str) -> TokenInfo:
    if not token_id.isascii() or not token_id.isdecimal() or len(token_id) > 9:
        abort(404, "No API token has that id.")
    try:
        return accounts().find_token(token_id=int(token_id))
    except NotFoundError as error:
        abort(404, error.cause)


@blueprint.get("/tokens")
def index():
    return _page()


@blueprint.post("/tokens")
def create():
    name = request.form.get("name", "")
    try:
        token = accounts().create_token(name)
    except InvalidInputError as error:
        return _page(400, errors={"name": error_text(error)}, form={"name": name.strip()})
    return _page(201, new_token={"name": name.strip(), "token": token})


@blueprint.get("/tokens/<token_id>/revoke")
def confirm_revoke(token_id: str):
    return render_template("token_revoke.html", token=_token_or_404(token_id))


@blueprint.post("/tokens/<token_id>/revoke")
def revoke(token_id: str):
    info = accounts().revoke_token(_token_or_404(token_id).id)
    flash(f"Revoked the API token {info.name!r}: requests sending it are refused now.", "ok")
    return redirect(url_for("tokens.index"))
