"""Menu profiles: reading, validating and fingerprinting them (docs/menu-profiles.md).

The same rules run in the plugin before a profile is stored; running them here first
gives field-level errors before anything is sent, and checks a profile against the
inventory of each site it is pushed to.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from handoff.core.inventory import schema_errors_at
from handoff.errors import InvalidInputError

MAX_PROFILE_BYTES = 64 * 1024
UNDENIABLE = {"index.php": "the dashboard is where WordPress sends users after login",
              "profile.php": "users need their profile screen to change their password"}
BRIDGE_ROLE = "handoff_bridge"


@dataclass(frozen=True)
class Problem:
    """One reason a profile is refused: where (a JSON path like menu/3/state) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(profile)'}: {self.message}"


class InvalidProfile(InvalidInputError):
    """A profile with problems; nothing was sent to any site."""

    def __init__(self, problems: list[Problem], source: str = "the profile") -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{source} is not a valid menu profile: {problems[0]}{more}.",
                         "run `handoff menu validate` to list every problem",
                         code="invalid_profile")
        self.problems = problems


def parse_profile(text: str | bytes, source: str = "the profile") -> dict:
    """Decode a profile's JSON, refusing oversized or malformed text with its position."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_PROFILE_BYTES:
        raise InvalidProfile([Problem("", f"it is {len(raw):,} bytes; the limit is "
                                          f"{MAX_PROFILE_BYTES:,} (64 KiB)")], source)
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidProfile([Problem("", f"it is not UTF-8 text ({exc.reason})")],
                             source) from None
    except json.JSONDecodeError as exc:
        raise InvalidProfile([Problem("", f"invalid JSON at line {exc.lineno}, column "
                                          f"{exc.colno}: {exc.msg}")], source) from None
    if not isinstance(document, dict):
        raise InvalidProfile([Problem("", "expected a JSON object")], source)
    return document


def load_profile(path: Path) -> dict:
    """Read and decode a profile file (`-` is not handled here)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror}.",
                                "check the file name", code="unreadable_file") from None
    return parse_profile(data, str(path))


def problems(profile: dict, inventory: dict | None = None) -> list[Problem]:
    """Every reason the profile would be refused; with a site's inventory, for that site."""
    found = list(_schema_problems(canonical_json(profile)))
    if found:  # the rules below assume the shapes the schema guarantees
        return found
    found += _duplicates(profile)
    found += _undeniable(profile)
    if inventory is not None:
        found += _unknown_targets(profile, inventory)
        found += _bridge_targeted(profile, inventory)
        found += _lockout(profile, inventory)
    elif "administrator" in profile["targets"].get("roles", []) \
            and not profile.get("exempt_users"):
        found.append(Problem("exempt_users", "the profile targets administrators and exempts "
                                             "nobody: it could lock every administrator out"))
    return found


@lru_cache(maxsize=64)
def _schema_problems(canonical: str) -> tuple[Problem, ...]:
    # Keyed by the canonical JSON: a bulk push validates the same profile once, not per site.
    return tuple(Problem(path, message)
                 for path, message in schema_errors_at(json.loads(canonical), "menu-profile"))


def check(profile: dict, inventory: dict | None = None, source: str = "the profile") -> None:
    """Raise InvalidProfile unless the profile is valid (for the site, given its inventory)."""
    found = problems(profile, inventory)
    if found:
        raise InvalidProfile(found, source)


def canonical_json(profile: dict) -> str:
    """The profile as the hash sees it: keys sorted, no spaces, UTF-8 and slashes as is."""
    return json.dumps(profile, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def profile_hash(profile: dict) -> str:
    """SHA-256 of the canonical JSON; the plugin computes the same (docs/menu-profiles.md)."""
    return hashlib.sha256(canonical_json(profile).encode("utf-8")).hexdigest()


def is_restricted(profile: dict, login: str, roles: list[str]) -> bool:
    """Whether a user with this login and these roles gets the simplified menu."""
    if login in profile.get("exempt_users", []) or BRIDGE_ROLE in roles:
        return False
    targets = profile["targets"]
    if login in targets.get("users", []):
        return True
    targeted = set(targets.get("roles", []))
    if not roles:
        return False
    if profile.get("combine", "all_roles") == "any_role":
        return any(role in targeted for role in roles)
    return all(role in targeted for role in roles)


# -- the rules beyond the schema ----------------------------------------------------------

def _duplicates(profile: dict) -> list[Problem]:
    found, seen_top = [], set()
    for index, item in enumerate(profile["menu"]):
        if item["slug"] in seen_top:
            found.append(Problem(f"menu/{index}/slug",
                                 f"{item['slug']!r} appears twice in the menu"))
        seen_top.add(item["slug"])
        seen_children = set()
        for child_index, child in enumerate(item.get("children", [])):
            if child["slug"] in seen_children:
                found.append(Problem(f"menu/{index}/children/{child_index}/slug",
                                     f"{child['slug']!r} appears twice under {item['slug']!r}"))
            seen_children.add(child["slug"])
    return found


def _undeniable(profile: dict) -> list[Problem]:
    found = []
    for index, item in enumerate(profile["menu"]):
        entries = [(f"menu/{index}", item)] + [
            (f"menu/{index}/children/{n}", child) for n, child in
            enumerate(item.get("children", []))]
        for path, entry in entries:
            if entry["state"] == "denied" and entry["slug"] in UNDENIABLE:
                found.append(Problem(f"{path}/state", f"{entry['slug']} cannot be denied: "
                                     f"{UNDENIABLE[entry['slug']]} (it can be hidden)"))
    return found


def _site_users(inventory: dict) -> list[dict]:
    return inventory.get("users", {}).get("list", [])


def _unknown_targets(profile: dict, inventory: dict) -> list[Problem]:
    roles = {role["name"] for role in inventory.get("roles", [])}
    logins = {user["login"] for user in _site_users(inventory)}
    complete = not inventory.get("users", {}).get("truncated", False)
    found = []
    for index, role in enumerate(profile["targets"].get("roles", [])):
        if role not in roles:
            found.append(Problem(f"targets/roles/{index}", f"the site has no role {role!r} "
                                 f"(it has: {', '.join(sorted(roles))})"))
    for key in ("targets/users", "exempt_users"):
        values = profile["targets"].get("users", []) if key == "targets/users" \
            else profile.get("exempt_users", [])
        for index, login in enumerate(values):
            if complete and login not in logins:
                found.append(Problem(f"{key}/{index}", f"the site has no user {login!r}"))
    return found


def _bridge_targeted(profile: dict, inventory: dict) -> list[Problem]:
    bridge = {user["login"] for user in _site_users(inventory) if BRIDGE_ROLE in user["roles"]}
    found = []
    if BRIDGE_ROLE in profile["targets"].get("roles", []):
        found.append(Problem("targets/roles", "the Handoff bridge role cannot be targeted"))
    for index, login in enumerate(profile["targets"].get("users", [])):
        if login in bridge:
            found.append(Problem(f"targets/users/{index}",
                                 f"{login!r} is the Handoff bridge user; it cannot be targeted"))
    return found


def _lockout(profile: dict, inventory: dict) -> list[Problem]:
    admins = [user for user in _site_users(inventory) if "administrator" in user["roles"]]
    if admins and all(is_restricted(profile, u["login"], u["roles"]) for u in admins):
        names = ", ".join(sorted(u["login"] for u in admins))
        return [Problem("exempt_users", f"the profile would restrict every administrator "
                                        f"({names}); exempt at least one, e.g. your own account")]
    return []
