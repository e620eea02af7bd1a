"""Menu operations as JSON, shared by the editor page's endpoints and the API.

Each operation reads a request body, calls the core and gives back plain data; every
refusal becomes one `Refusal` with its HTTP status and body, so both front ends answer
bad input the same way: 400 with field errors (paths into the profile such as
`profile.menu[3].title`), 404 for an unknown site or profile, 409 for a version
conflict, 502 when the site fails.
"""

from __future__ import annotations

from flask import request

from handoff.cli.render_menu import library_row, plan_as_dict, push_as_dict, status_as_dict
from handoff.core.menu_preview import content_menus, denied
from handoff.core.menu_profile import (
    MAX_PROFILE_BYTES,
    InvalidProfile,
    canonical_json,
    check,
    profile_hash,
)
from handoff.core.profile_library import DuplicateProfile
from handoff.errors import HandoffError, InvalidInputError, NotFoundError
from handoff.web import handoff_app
from handoff.web.api import json_body
from handoff.web.present import error_text
from handoff.wordpress.profile_api import NoSuchVersion, ProfileRejected, VersionConflict

# Which request field a core refusal of the input belongs to.
FIELD_OF_CODE = {"unknown_role": "role", "unknown_user": "user", "profile_name": "name",
                 "profile_description": "description", "duplicate_profile": "name"}


class Refusal(Exception):
    """An answer other than success: `status` and the JSON `body` to send."""

    def __init__(self, status: int, body: dict) -> None:
        super().__init__(status)
        self.status, self.body = status, body


def bad_input(errors: dict[str, str], code: str = "") -> Refusal:
    return Refusal(400, {"errors": errors, **({"code": code} if code else {})})


def field_path(path: str) -> str:
    """A profile problem's path (menu/3/children/0/state) as a field: profile.menu[3]…"""
    field = "profile"
    for part in filter(None, path.split("/")):
        field += f"[{part}]" if part.isdigit() else f".{part}"
    return field


def _readable(message: str) -> str:
    if message == "'' is too short":
        return "Required."
    return message[:1].upper() + message[1:]


def problem_errors(problems) -> dict[str, str]:
    """Problems as field errors; several at one place are joined."""
    errors: dict[str, str] = {}
    for path, message in problems:
        field = field_path(path)
        text = _readable(message)
        errors[field] = f"{errors[field]} {text}" if field in errors else text
    return errors


def refusal(error: HandoffError) -> Refusal:
    """The answer a core error deserves."""
    if isinstance(error, InvalidProfile):
        return bad_input(problem_errors((p.path, p.message) for p in error.problems),
                         error.code)
    if isinstance(error, ProfileRejected):
        return bad_input(problem_errors(error.problems), error.code)
    if isinstance(error, VersionConflict):
        return Refusal(409, {"error": error.code, "message": error.cause, "fix": error.fix,
                             "current_version": error.current})
    if isinstance(error, DuplicateProfile):
        return Refusal(409, {"errors": {"name": error_text(error)}, "code": error.code})
    if isinstance(error, NoSuchVersion):
        return bad_input({"to_version": error_text(error)}, error.code)
    if isinstance(error, NotFoundError):
        return Refusal(404, {"error": error.code, "message": error.cause})
    if isinstance(error, InvalidInputError):
        return bad_input({FIELD_OF_CODE.get(error.code, "body"): error_text(error)},
                         error.code)
    return Refusal(502, {"error": error.code, "message": error.cause, "fix": error.fix})


def call(operation, *args):
    """Run an operation; a refusal comes back as (body, status), success as its data."""
    try:
        return operation(*args)
    except Refusal as answer:
        return answer.body, answer.status
    except HandoffError as error:
        answer = refusal(error)
        return answer.body, answer.status


# -- reading the body ------------------------------------------------------------------

def body_of(body: dict | None, example: str) -> dict:
    if body is None:
        raise bad_input({"body": f"Send a JSON object: {example}."})
    return body


def profile_in(body: dict) -> dict:
    """The body's `profile`: a JSON object no larger than the plugin accepts."""
    profile = body.get("profile")
    if not isinstance(profile, dict):
        raise bad_input({"profile": "Required: the menu profile, a JSON object."})
    size = len(canonical_json(profile).encode("utf-8"))
    if size > MAX_PROFILE_BYTES:
        raise bad_input({"profile": f"It is {size:,} bytes; the limit is 64 KiB."})
    return profile


def whole_number(body: dict, key: str) -> int | None:
    """An optional whole number ≥ 0 (booleans are not numbers here)."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise bad_input({key: "Must be a whole number, 0 or more."})
    return value


def flag(body: dict, key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise bad_input({key: "Must be true or false."})
    return value


def optional_text(body: dict, key: str) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad_input({key: "Must be text."})
    return value


def site_inventory(name: str) -> dict:
    """The site's stored inventory (synced now when there is none yet)."""
    sites = handoff_app().sites
    sites.get(name)  # NotFoundError before anything else
    return sites.latest_inventory(name) or sites.sync(name)


# -- operations ------------------------------------------------------------------------

def preview(name: str, body: dict | None) -> dict:
    """The menu a role (or a user) of the site will see with the profile."""
    body = body_of(body, '{"profile": {…}, "role": "editor"}')
    profile = profile_in(body)
    role, user = optional_text(body, "role"), optional_text(body, "user")
    if role and user:
        raise bad_input({"user": "Give a role or a user, not both."})
    inventory = site_inventory(name)
    check(profile, inventory, source=f"the profile (for site {name!r})")
    menu, applies = handoff_app().menus.preview(name, profile, role=role, user=user)
    full = inventory["admin_menu"]["full"]
    return {"who": f"user {user}" if user else f"role {role or 'editor'}",
            "applies": applies, "menu": menu,
            "denied": _titled(denied(profile, full, content_menus(inventory)), full)
            if applies else []}


def _titled(pairs: list[tuple[str, str]], full: list[dict]) -> list[dict]:
    titles = {("", item["slug"]): item["title"] for item in full}
    titles.update({(item["slug"], child["slug"]): f"{item['title']} › {child['title']}"
                   for item in full for child in item.get("children", [])})
    return [{"parent": parent, "slug": slug, "title": titles.get((parent, slug), slug)}
            for parent, slug in pairs]


def diff(name: str, body: dict | None) -> dict:
    """What pushing the profile changes, role by role, from the profile the site has now,
    with the site's enforcement report (which doors each denied item would close)."""
    body = body_of(body, '{"profile": {…}}')
    profile = profile_in(body)
    site_inventory(name)
    menus = handoff_app().menus
    status = menus.status(name, fresh=False)
    plan = menus.plan(name, profile, applied=status.profile or None, enforcement=True)
    digest = profile_hash(profile)
    return {**plan_as_dict(plan), "hash": digest,
            "site_profile": {"version": status.version, "hash": status.hash,
                             "name": status.name},
            "same_as_site": digest == status.hash}


def push(name: str, body: dict | None) -> dict:
    """Apply the profile to the site, replacing `expect_version` when given."""
    body = body_of(body, '{"profile": {…}, "expect_version": 3}')
    profile = profile_in(body)
    expect_version, force = whole_number(body, "expect_version"), flag(body, "force")
    handoff_app().sites.get(name)
    check(profile, source=f"the profile (for site {name!r})")
    result = handoff_app().menus.push(name, profile, expect_version=expect_version,
                                      force=force)
    return push_as_dict(result)


def rollback(name: str, body: dict | None) -> dict:
    """Put an earlier version back (`to_version`, or the previous one)."""
    body = body_of(body, '{"to_version": 3}')
    to_version = whole_number(body, "to_version") or 0
    handoff_app().sites.get(name)
    return push_as_dict(handoff_app().menus.rollback(name, to_version))


def remove(name: str) -> dict:
    handoff_app().sites.get(name)
    result = handoff_app().menus.remove(name)
    return {"site": name, "version": result.version, "hash": result.hash}


def status(name: str, *, fresh: bool = True) -> dict:
    handoff_app().sites.get(name)
    return status_as_dict(handoff_app().menus.status(name, fresh=fresh))


# -- the library -----------------------------------------------------------------------

def save(name: str | None, body: dict | None) -> tuple[dict, int]:
    """Keep the body's profile in the library under `name` (or the body's `name`).

    Without a `description`, the profile's own is kept. Answers 201 when the name is new,
    200 when it replaced a profile (only with `replace`).
    """
    body = body_of(body, '{"profile": {…}, "description": "…"}')
    name = name if name is not None else optional_text(body, "name")
    if not name:
        raise bad_input({"name": "Required: a name for the saved profile."})
    profile = profile_in(body)
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        raise bad_input({"description": "Must be text."})
    saved, created = handoff_app().profiles.save(name, profile, description,
                                                 replace=flag(body, "replace"))
    return library_entry(saved, with_profile=True), 201 if created else 200


def library_entry(saved, *, with_profile: bool = False) -> dict:
    """A saved profile as the API and the pages show it."""
    entry = library_row(saved)
    if with_profile:
        entry["profile"] = saved.profile
    return entry


def request_body(*, optional: bool = False) -> dict | None:
    """The request's JSON object; {} for an empty body when the body is optional."""
    if optional and not request.get_data():
        return {}
    return json_body()
