"""The library of saved menu profiles: reusable profiles kept in the backend's store.

A saved profile is checked with the same rules as a push (docs/menu-profiles.md), so
anything in the library can be pushed; the checks that need a site (its roles, users,
administrators) run again on every site it is pushed to. Saving and deleting are
recorded in the audit log, with who did it (handoff.core.actor).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from handoff.core.actor import current_actor
from handoff.core.audit import Audit
from handoff.core.menu_presets import preset_names
from handoff.core.menu_profile import check, profile_hash
from handoff.errors import HandoffError, InvalidInputError, NotFoundError
from handoff.storage import SavedProfile, Store

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_DESCRIPTION = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


def normalize_name(name: str) -> str:
    """A library name as stored: lower case letters, digits, '-' and '_' (at most 64)."""
    normal = name.strip().lower() if isinstance(name, str) else ""
    if not _NAME.match(normal):
        raise InvalidInputError(f"{name!r} is not a usable profile name.",
                                "use lower-case letters, digits, '-' or '_' (at most 64, "
                                "starting with a letter or digit), e.g. client-editor",
                                code="profile_name")
    if normal in preset_names():
        raise InvalidInputError(f"{normal!r} is the name of a shipped preset.",
                                f"choose another name, e.g. {normal}-custom",
                                code="profile_name")
    return normal


def _checked_description(description: str) -> str:
    if not isinstance(description, str):
        raise InvalidInputError("The description must be text.", "send a string",
                                code="profile_description")
    text = description.strip()
    if len(text) > MAX_DESCRIPTION or "<" in text or ">" in text:
        raise InvalidInputError("The description is too long or contains < or >.",
                                f"use plain text of at most {MAX_DESCRIPTION} characters",
                                code="profile_description")
    return text


class DuplicateProfile(HandoffError):
    """A profile of that name is in the library and replacing it was not asked for."""

    exit_code = 2

    def __init__(self, name: str) -> None:
        super().__init__(f"The library already has a profile named {name!r}.",
                         "choose another name, or replace it", code="duplicate_profile")


@dataclass(frozen=True)
class LibraryProfile:
    """One saved profile as read from the library."""

    name: str
    description: str
    profile: dict
    updated_at: datetime
    updated_by: str

    @property
    def hash(self) -> str:
        return profile_hash(self.profile)

    def summary(self) -> dict:
        """What a list shows: who it targets and how many items it names in each state."""
        states = {"visible": 0, "hidden": 0, "denied": 0}
        for item in self.profile.get("menu", []):
            states[item["state"]] += 1
        return {"targets": self.profile.get("targets", {}), "states": states,
                "custom_links": len(self.profile.get("custom_links", []))}


def _view(row: SavedProfile) -> LibraryProfile:
    return LibraryProfile(row.name, row.description, json.loads(row.profile), row.updated_at,
                          row.updated_by)


class ProfileLibrary:
    """Saved menu profiles: list, get, save (validated), delete."""

    def __init__(self, store: Store, audit: Audit,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store, self.audit, self.clock = store, audit, clock

    def list(self) -> list[LibraryProfile]:
        """Every saved profile, by name."""
        with self.store.session() as session:
            return [_view(row) for row in
                    session.scalars(select(SavedProfile).order_by(SavedProfile.name))]

    def get(self, name: str) -> LibraryProfile:
        with self.store.session() as session:
            return _view(self._row(session, name))

    def save(self, name: str, profile: dict, description: str | None = None, *,
             replace: bool = False) -> tuple[LibraryProfile, bool]:
        """Keep a valid profile under `name`; return it and whether it is new.

        The description defaults to the profile's own. An existing name is refused
        (DuplicateProfile) unless `replace`; nothing is written when anything is wrong.
        """
        normal = normalize_name(name)
        if not isinstance(profile, dict):
            raise InvalidInputError("The profile must be a JSON object.",
                                    "send the menu profile", code="invalid_profile")
        check(profile, source=f"the profile {normal!r}")
        text = _checked_description(profile.get("description", "")
                                    if description is None else description)
        attempt = f"save menu profile {normal!r} in the library"
        with self.audit.change("profile.save", "", attempt, profile=normal,
                               hash=profile_hash(profile)) as change, \
                self.store.session() as session:
            row = session.scalar(select(SavedProfile).where(SavedProfile.name == normal))
            created = row is None
            if not created and not replace:
                raise DuplicateProfile(normal)
            row = row or SavedProfile(name=normal)
            row.description, row.profile = text, json.dumps(profile, ensure_ascii=False)
            row.updated_at, row.updated_by = self.clock(), current_actor()[:200]
            session.add(row)
            change.done(f"{'Saved' if created else 'Replaced'} menu profile {normal!r} in the "
                        "library.", created=created)
            change.save_in(session)
            session.flush()
            return _view(row), created

    def delete(self, name: str) -> None:
        """Remove a saved profile (sites that have it keep it)."""
        with self.audit.change("profile.delete", "", f"delete menu profile {name!r} from the "
                               "library", profile=name) as change, \
                self.store.session() as session:
            session.delete(self._row(session, name))
            change.done(f"Deleted menu profile {name!r} from the library.")
            change.save_in(session)

    def _row(self, session, name: str) -> SavedProfile:
        row = session.scalar(select(SavedProfile).where(SavedProfile.name == name))
        if row is None:
            known = session.scalars(select(SavedProfile.name).order_by(SavedProfile.name))
            raise NotFoundError(f"No saved menu profile named {name!r}.",
                                f"saved profiles: {', '.join(known) or 'none yet'}",
                                code="unknown_profile")
        return row
