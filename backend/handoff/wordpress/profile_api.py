"""The plugin's menu-profile API, as both transports see it: answers and refusals.

See docs/menu-profiles.md. The refusals are the user's to act on (the profile, or a
concurrent change), so they become HandoffErrors with their own codes rather than
connection failures.
"""

from __future__ import annotations

import re

from handoff.errors import HandoffError, InvalidInputError, NotFoundError


class ProfileRejected(InvalidInputError):
    """The site refused the profile; `problems` lists (path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]], *, site: str = "") -> None:
        first = f"{problems[0][0] or '(profile)'}: {problems[0][1]}" if problems else ""
        where = f"{site} refused the profile" if site else "The profile was refused"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{where}: {first}{more}.",
                         "fix the profile (`handoff menu validate` lists every problem) "
                         "and push again", code="profile_rejected")
        self.problems = problems


class VersionConflict(HandoffError):
    """Someone changed the site's profile since the version this write replaces."""

    exit_code = 5

    def __init__(self, current: int, expected: int, *, site: str = "") -> None:
        super().__init__(
            f"{site or 'The site'} has menu profile version {current}, not {expected}: "
            "it was changed since.",
            "run `handoff menu status` to see it, then push again (the push replaces the "
            "version it reads first)", code="version_conflict")
        self.current = current


class NoSuchVersion(NotFoundError):
    def __init__(self, version: int, *, site: str = "") -> None:
        super().__init__(f"{site or 'The site'} keeps no menu profile version {version}.",
                         "`handoff menu status` lists the versions it keeps",
                         code="no_such_version")


class HandbookRejected(InvalidInputError):
    """The site refused the handbook (too large, or content it does not accept)."""

    def __init__(self, problems: list[tuple[str, str]], *, site: str = "") -> None:
        first = f"{problems[0][0] or '(handbook)'}: {problems[0][1]}" if problems else ""
        super().__init__(f"{site or 'The site'} refused the handbook: {first}.",
                         "check the templates and the intake, then publish again",
                         code="handbook_rejected")
        self.problems = problems


def key_refusal(code: str, message: str, site: str) -> HandoffError | None:
    """A refused idempotency key: a bug of the sender, never the user's input."""
    if code == "handoff_idempotency_key_reused":
        return HandoffError(f"{site or 'The site'} refused the write: its idempotency key was "
                            f"used before for another write ({message}).",
                            "nothing was changed; send the write again (a new call gets a new "
                            "key)", code="idempotency_key_reused")
    if code == "handoff_invalid_idempotency_key":
        return HandoffError(f"{site or 'The site'} refused the write's idempotency key "
                            f"({message}).", "update the Handoff backend and the plugin to "
                            "matching versions", code="invalid_idempotency_key")
    return None


def profile_refusal(code: str, message: str, data: dict, site: str) -> HandoffError | None:
    """The error a refusal from the plugin's profile or handbook API means, or None."""
    if code in ("handoff_idempotency_key_reused", "handoff_invalid_idempotency_key"):
        return key_refusal(code, message, site)
    if code in ("handoff_invalid_handbook", "handoff_handbook_too_large"):
        errors = data.get("errors") if isinstance(data.get("errors"), list) else []
        return HandbookRejected([(str(e.get("path", "")), str(e.get("message", "")))
                                 for e in errors if isinstance(e, dict)] or [("", message)],
                                site=site)
    if code == "handoff_invalid_profile":
        errors = data.get("errors") if isinstance(data.get("errors"), list) else []
        problems = [(str(e.get("path", "")), str(e.get("message", ""))) for e in errors
                    if isinstance(e, dict)] or [("", message)]
        return ProfileRejected(problems, site=site)
    if code == "handoff_profile_too_large":
        return ProfileRejected([("", message or "the profile is larger than 64 KiB")],
                               site=site)
    if code == "handoff_version_conflict":
        return VersionConflict(int(data.get("current_version", -1)),
                               int(data.get("replaces_version", -1)), site=site)
    if code == "handoff_no_such_version":
        return NoSuchVersion(int(data.get("version", 0)), site=site)
    return None


def fault_refusal(fault_string: str, site: str) -> HandoffError | None:
    """The same, from an XML-RPC fault string `code: message` (data cannot travel there)."""
    code, _, message = fault_string.partition(":")
    message = message.strip()
    if code == "handoff_invalid_profile":
        # "handoff_invalid_profile: path: message; path: message"
        problems = []
        for part in filter(None, (p.strip() for p in message.split("; "))):
            path, sep, text = part.partition(": ")
            problems.append((path, text) if sep else ("", part))
        return ProfileRejected(problems or [("", message)], site=site)
    if code == "handoff_version_conflict":
        digits = [int(number) for number in re.findall(r"\d+", message)]
        return VersionConflict(digits[0] if digits else -1, digits[1] if len(digits) > 1 else -1,
                               site=site)
    if code in ("handoff_profile_too_large", "handoff_no_such_version",
                "handoff_invalid_handbook", "handoff_handbook_too_large",
                "handoff_idempotency_key_reused", "handoff_invalid_idempotency_key"):
        return profile_refusal(code, message, {}, site)
    return None
