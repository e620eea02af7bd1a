"""Menu profiles on sites: pull, plan, push (one site or many), status, rollback.

The CLI and the dashboard call these; docs/menu-profiles.md describes the profile and
the plugin's API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from handoff.core.bulk import DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, Outcome, for_each_site
from handoff.core.menu_enforcement import (
    Enforcement,
    from_answer,
    menu_titles,
    needs_rest,
    not_reported,
)
from handoff.core.menu_preview import (
    Change,
    DriftItem,
    content_menus,
    denied,
    menu_changes,
    missing,
    preview,
    pull_profile,
    site_drift,
)
from handoff.core.menu_profile import check, is_restricted, profile_hash
from handoff.core.sites import Sites
from handoff.errors import HandoffError
from handoff.storage import Site
from handoff.wordpress.errors import BridgeError


@dataclass
class RolePlan:
    """What a profile changes for one role on one site."""

    role: str
    restricted: bool
    changes: list[Change]


@dataclass
class PushPlan:
    """What pushing a profile to a site would do, from its latest inventory."""

    site: str
    roles: list[RolePlan]
    denied: list[tuple[str, str]]
    missing: list[str]
    drift: list[DriftItem]
    enforcement: Enforcement | None = None  # asked of the site only when wanted

    @property
    def warnings(self) -> list[str]:
        notes = [f"the site has no menu item {slug!r}" for slug in self.missing]
        if not any(role.restricted for role in self.roles):
            notes.append("no role of the site is restricted by this profile "
                         "(only the users it names, if any)")
        return notes


@dataclass
class PushResult:
    site: str
    version: int
    hash: str
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)
    enforcement: Enforcement | None = None  # None: nothing was written, nothing reported


@dataclass
class MenuStatus:
    """The profile a site has, what it is, and what it no longer covers."""

    site: str
    version: int
    hash: str
    name: str
    applied_at: int
    applied_by: str
    safe_mode: bool
    history: list[dict]
    drift: list[DriftItem]
    profile: dict
    changed_elsewhere: bool  # the site's hash differs from what this backend pushed


@dataclass
class SiteOutcome:
    """One site's result in a bulk push: a PushResult or the error it met."""

    site: str
    result: PushResult | None = None
    error: HandoffError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Menus:
    """Menu profiles on connected sites."""

    def __init__(self, sites: Sites) -> None:
        self.sites = sites

    def _inventory(self, name: str, fresh: bool = False) -> dict:
        inventory = None if fresh else self.sites.latest_inventory(name)
        return inventory if inventory is not None else self.sites.sync(name)

    # -- reading ---------------------------------------------------------------------------

    def pull(self, name: str, role: str = "editor", profile_name: str = "") -> dict:
        """The site's live menu for a role, as an editable profile (syncs first)."""
        return pull_profile(self.sites.sync(name), role, profile_name)

    def preview(self, name: str, profile: dict, *, role: str | None = None,
                user: str | None = None) -> tuple[list[dict], bool]:
        """The menu a role or user of the site will see with the profile."""
        return preview(profile, self._inventory(name), role=role, user=user)

    def plan(self, name: str, profile: dict, *, fresh: bool = False,
             applied: dict | None = None, enforcement: bool = False) -> PushPlan:
        """What pushing the profile to the site would change, role by role.

        Changes are counted from the menu each role has without any profile, or, given
        `applied` (the profile the site has now), from the menu that one gives them. With
        `enforcement`, the site is asked which doors the profile would close (report()).
        """
        inventory = self._inventory(name, fresh)
        check(profile, inventory, source=f"the profile (for site {name!r})")
        menu = inventory["admin_menu"]
        roles = []
        for role in sorted(menu["by_role"]):
            if role == "handoff_bridge":
                continue
            after, restricted = preview(profile, inventory, role=role)
            before = preview(applied, inventory, role=role)[0] if applied \
                else menu["by_role"][role]
            roles.append(RolePlan(role, restricted, menu_changes(before, after)))
        plan = PushPlan(name, roles, denied(profile, menu["full"], content_menus(inventory)),
                        missing(profile, menu), site_drift(profile, inventory))
        if enforcement:
            plan.enforcement = self.report(name, profile, inventory)
        return plan

    def report(self, name: str, profile: dict, inventory: dict | None = None) -> Enforcement:
        """What the profile would close on the site, door by door, computed there (nothing
        is stored). Over XML-RPC, from a plugin without the route, or when the site cannot
        be read, the report says why there is none instead of failing: it informs a diff,
        it does not decide it. A profile the site refuses is refused here too.
        """
        site, client = self.sites.client(name)
        if client.transport_name != "rest":
            return not_reported(needs_rest(name))
        try:
            answer = client.menu_profile_report(profile)
        except BridgeError as error:
            if error.code == "plugin_missing":  # the route is newer than the site's plugin
                return not_reported()
            return not_reported(f"the enforcement report could not be read: {error.cause}")
        titles = menu_titles(inventory or self.sites.latest_inventory(name))
        return from_answer(answer or {}, titles)

    def status(self, name: str, *, fresh: bool = True) -> MenuStatus:
        """The profile on the site now, with drift against its current menu.

        Syncs first, unless `fresh` is False: then drift is counted against the stored
        inventory and the site is asked only for its profile (one request).
        """
        site, client = self.sites.client(name)
        record = client.menu_profile()
        inventory = self.sites.sync(name) if fresh else self._inventory(name)
        profile = record.get("profile") or {}
        version, digest = int(record.get("version", 0)), str(record.get("hash", ""))
        self.sites.record_menu(name, version, digest, str(profile.get("name", "")),
                               pushed=False)
        return MenuStatus(
            site=name, version=version, hash=digest, name=str(profile.get("name", "")),
            applied_at=int(record.get("applied_at", 0)),
            applied_by=str(record.get("applied_by", "")),
            safe_mode=bool(record.get("safe_mode", False)),
            history=list(record.get("history", [])),
            drift=site_drift(profile, inventory) if profile else [],
            profile=profile,
            changed_elsewhere=bool(site.menu_hash) and digest != site.menu_hash)

    # -- changing --------------------------------------------------------------------------

    def push(self, name: str, profile: dict, *, expect_version: int | None = None,
             force: bool = False, site: Site | None = None,
             idempotency_key: str | None = None) -> PushResult:
        """Apply the profile to the site; nothing changes unless the site accepts all of it.

        Replaces the version the site has now (read first), or `expect_version` when given
        — a change made on the site since then is refused (VersionConflict), never lost.
        An identical profile already on the site is left alone unless `force` (nothing is
        written, so it is not checked again: a re-push to a fleet costs one read per site).
        The write carries `idempotency_key` (default: a new one per call): sent again, it
        gets the site's first answer and is not applied twice.
        """
        label = profile.get("name", "")
        with self.sites.audit.change("menu.push", name, f"push menu profile {label!r} to "
                                     f"{name}", profile=label, force=force) as change:
            site, client = self.sites.client(name, site)
            current = client.menu_profile()
            version = int(current.get("version", 0))
            digest = profile_hash(profile)
            change.data.update(replaces=version, hash=digest)
            if not force and current.get("hash") == digest and \
                    expect_version in (None, version):
                change.done(f"Menu profile {label!r} was already on {name} as version "
                            f"{version}; nothing was written.", unchanged=True, version=version)
                if (site.menu_version, site.menu_hash) != (version, digest):
                    self.sites.record_menu(name, version, digest, label, pushed=False,
                                           change=change)
                return PushResult(name, version, digest, unchanged=True)
            inventory = self._inventory(name)
            check(profile, inventory, source=f"the profile (for site {name!r})")
            warnings = push_warnings(profile, inventory)
            keyed = {"idempotency_key": idempotency_key} if idempotency_key else {}
            answer = client.put_menu_profile(
                profile, version if expect_version is None else expect_version, **keyed)
            result = PushResult(name, int(answer["version"]), str(answer["hash"]),
                                warnings=warnings + _messages(answer.get("warnings", [])),
                                enforcement=from_answer(answer, menu_titles(inventory)))
            if result.hash != digest:
                result.warnings.append("the site stored a profile whose hash differs from the "
                                       "one sent; run `handoff menu status` to compare")
            change.done(f"Pushed menu profile {label!r} to {name} as version "
                        f"{result.version}.", version=result.version, stored_hash=result.hash,
                        warnings=len(result.warnings),
                        enforcement=result.enforcement.audit_record())
            self.sites.record_menu(name, result.version, result.hash, label, pushed=True,
                                   change=change, drift_count=len(
                                       site_drift(profile, inventory)))
            return result

    def rollback(self, name: str, to_version: int = 0) -> PushResult:
        """Put an earlier version back (0: the one before the current), as a new version."""
        target = f"version {to_version}" if to_version else "the previous version"
        with self.sites.audit.change("menu.rollback", name, f"roll the menu profile of {name} "
                                     f"back to {target}", to_version=to_version) as change:
            _, client = self.sites.client(name)
            current = int(client.menu_profile().get("version", 0))
            answer = client.rollback_menu_profile(to_version, current)
            version, digest = int(answer["version"]), str(answer["hash"])
            enforcement = from_answer(answer, menu_titles(self.sites.latest_inventory(name)))
            change.done(f"Rolled the menu profile of {name} back to {target} (now version "
                        f"{version}).", replaces=current, version=version, hash=digest,
                        enforcement=enforcement.audit_record())
            self.sites.record_menu(name, version, digest, str(answer.get("name", "")),
                                   pushed=True, change=change)
            return PushResult(name, version, digest, enforcement=enforcement)

    def remove(self, name: str) -> PushResult:
        """Take the profile off the site: everyone sees the full menu again."""
        with self.sites.audit.change("menu.remove", name,
                                     f"remove the menu profile from {name}") as change:
            _, client = self.sites.client(name)
            current = int(client.menu_profile().get("version", 0))
            answer = client.delete_menu_profile(current)
            version = int(answer.get("version", current))
            change.done(f"Removed the menu profile from {name}; everyone sees the full menu.",
                        replaces=current, version=version)
            self.sites.record_menu(name, version, "", "", pushed=True, change=change)
            return PushResult(name, version, "")

    def push_many(self, names: list[str], profile: dict, *,
                  concurrency: int = DEFAULT_CONCURRENCY, per_host: int = DEFAULT_PER_HOST,
                  force: bool = False,
                  on_done: Callable[[SiteOutcome], None] | None = None) -> list[SiteOutcome]:
        """Push to many sites at once: `concurrency` in all, at most `per_host` per host.

        Every site gets its own outcome; one slow or failing site never stops the others
        (each request has its own timeouts). Results come back in the order of `names`.
        """
        wanted = set(names)
        stored = {site.name: site for site in self.sites.list() if site.name in wanted}

        def done(outcome: Outcome) -> None:
            if on_done is not None:
                on_done(_site_outcome(outcome))

        outcomes = for_each_site(
            {name: stored.get(name) for name in names},
            lambda name, site: self.push(name, profile, force=force, site=site),
            concurrency=concurrency, per_host=per_host, on_done=done)
        return [_site_outcome(outcome) for outcome in outcomes]


def _site_outcome(outcome: Outcome) -> SiteOutcome:
    return SiteOutcome(outcome.site, result=outcome.value, error=outcome.error)


def push_warnings(profile: dict, inventory: dict) -> list[str]:
    """What a user should know before a profile takes effect on a site."""
    menu = inventory["admin_menu"]
    notes = [f"the site has no menu item {slug!r}" for slug in missing(profile, menu)]
    if not any(is_restricted(profile, "", [role]) for role in menu["by_role"]):
        notes.append("no role of the site is restricted by this profile "
                     "(only the users it names, if any)")
    return notes


def _messages(warnings: list) -> list[str]:
    """The site's warnings ({path, message} or text) as text."""
    return [f"{w.get('path')}: {w.get('message')}" if isinstance(w, dict) else str(w)
            for w in warnings]


def targeted_roles(profile: dict, roles: list[str]) -> list[str]:
    """The roles (of those given) whose users the profile restricts."""
    return [role for role in roles if is_restricted(profile, "", [role])]
