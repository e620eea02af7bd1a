"""The menu service against a fake site: push, conflicts, unchanged, bulk, status, tags."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from handoff.core import sites as sites_module
from handoff.core.menu_profile import InvalidProfile, profile_hash
from handoff.errors import InvalidInputError, NotFoundError
from handoff.storage import Site
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.profile_api import VersionConflict

MENU = [{"slug": "index.php", "title": "Dashboard", "capability": "read", "icon": "",
         "position": 2, "children": []},
        {"slug": "edit.php", "title": "Posts", "capability": "edit_posts", "icon": "",
         "position": 5, "children": []},
        {"slug": "plugins.php", "title": "Plugins", "capability": "activate_plugins",
         "icon": "", "position": 65, "children": []}]
INVENTORY = {"site": {"name": "Client"}, "roles": [{"name": "administrator"},
                                                  {"name": "editor"}],
             "users": {"total": 2, "truncated": False,
                       "list": [{"login": "admin", "roles": ["administrator"]},
                                {"login": "client", "roles": ["editor"]}]},
             "admin_menu": {"full": MENU, "by_role": {"administrator": MENU,
                                                      "editor": MENU[:2]}}}
PROFILE = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
           "menu": [{"slug": "edit.php", "state": "visible", "title": "News"},
                    {"slug": "plugins.php", "state": "denied"}]}


class FakeSite:
    """What the plugin's profile API does, in memory."""

    def __init__(self, fail: Exception | None = None, delay: float = 0.0):
        self.version, self.hash, self.profile, self.history = 0, "", {}, []
        self.fail, self.delay, self.puts = fail, delay, 0
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def _enter(self):
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(self.delay)
        with self.lock:
            self.active -= 1
        if self.fail:
            raise self.fail

    def menu_profile(self):
        self._enter()
        return {"version": self.version, "hash": self.hash, "profile": self.profile,
                "applied_at": 0, "applied_by": "", "safe_mode": False,
                "history": self.history}

    def put_menu_profile(self, profile, replaces_version):
        self._enter()
        if replaces_version != self.version:
            raise VersionConflict(self.version, replaces_version)
        self.history.insert(0, {"version": self.version, "name": self.profile.get("name", "")})
        self.version += 1
        self.profile, self.hash = profile, profile_hash(profile)
        self.puts += 1
        return {"version": self.version, "hash": self.hash, "warnings": []}


@pytest.fixture
def sites(app, monkeypatch):
    """Three stored sites on two hosts, each with its fake plugin."""
    fakes = {"a": FakeSite(), "b": FakeSite(), "c": FakeSite()}
    with app.store.session() as session:
        for name, host in (("a", "one.example"), ("b", "one.example"), ("c", "two.example")):
            session.add(Site(name=name, url=f"https://{host}/{name}",
                             rest_url=f"https://{host}/{name}/wp-json/",
                             xmlrpc_url=f"https://{host}/{name}/xmlrpc.php",
                             username="handoff-bridge", secret=app.vault.encrypt("x" * 24),
                             created_at=datetime.now(UTC)))
    monkeypatch.setattr(sites_module, "open_client",
                        lambda key, transport, timeouts, session=None, retries=None:
                        fakes[key.url.rsplit("/", 1)[1]])
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    monkeypatch.setattr(app.sites, "latest_inventory", lambda name: INVENTORY)
    return fakes


def test_push_replaces_the_version_it_read_and_records_it(app, sites):
    result = app.menus.push("a", PROFILE)
    assert (result.version, result.unchanged) == (1, False)
    assert result.hash == profile_hash(PROFILE)
    site = app.sites.get("a")
    assert (site.menu_version, site.menu_hash, site.menu_name) == (1, result.hash, "Client")
    assert site.menu_pushed_at is not None


def test_the_same_profile_again_sends_nothing_unless_forced(app, sites):
    app.menus.push("a", PROFILE)
    again = app.menus.push("a", PROFILE)
    assert again.unchanged and sites["a"].puts == 1
    assert app.menus.push("a", PROFILE, force=True).version == 2


def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(app, sites):
    app.menus.push("a", PROFILE)
    with pytest.raises(VersionConflict) as caught:
        app.menus.push("a", {**PROFILE, "name": "Other"}, expect_version=0)
    assert caught.value.current == 1 and caught.value.exit_code == 5
    assert sites["a"].profile["name"] == "Client"


def test_a_profile_that_would_lock_out_every_administrator_is_not_sent(app, sites):
    with pytest.raises(InvalidProfile) as caught:
        app.menus.push("a", {**PROFILE, "targets": {"roles": ["administrator"]}})
    assert "every administrator" in caught.value.cause
    assert sites["a"].puts == 0


def test_plan_lists_changes_and_denied_screens(app, sites):
    plan = app.menus.plan("a", PROFILE)
    editor = next(role for role in plan.roles if role.role == "editor")
    assert editor.restricted and [c.kind for c in editor.changes] == ["removed", "renamed"]
    assert plan.denied == [("", "plugins.php")]
    assert [d.slug for d in plan.drift] == ["index.php"]


def test_bulk_push_bounds_requests_per_host_and_reports_each_site(app, sites):
    for fake in sites.values():
        fake.delay = 0.05
    sites["c"].fail = BridgeError("timeout", url="https://two.example/c", detail="15 s")
    seen = []
    outcomes = app.menus.push_many(["a", "b", "c"], PROFILE, concurrency=8, per_host=1,
                                   on_done=seen.append)
    assert [o.site for o in outcomes] == ["a", "b", "c"] and len(seen) == 3
    assert [o.ok for o in outcomes] == [True, True, False]
    assert outcomes[2].error.code == "timeout"
    # a and b share one.example: with per_host=1 they never overlapped
    assert sites["a"].peak == 1 and sites["b"].peak == 1


def test_status_reports_drift_and_a_change_made_elsewhere(app, sites):
    app.menus.push("a", PROFILE)
    sites["a"].hash = "0" * 64  # someone else pushed since
    status = app.menus.status("a")
    assert status.changed_elsewhere
    assert [item.slug for item in status.drift] == ["index.php"]


def test_selecting_sites_by_name_tag_or_all(app, sites):
    assert app.sites.tag("a", add=["Retainer", "vip"]) == ["retainer", "vip"]
    app.sites.tag("c", add=["retainer"])
    assert [s.name for s in app.sites.select(tag="retainer")] == ["a", "c"]
    assert [s.name for s in app.sites.select(every=True)] == ["a", "b", "c"]
    assert [s.name for s in app.sites.select(["b"], tag="vip")] == ["a", "b"]
    assert app.sites.tag("a", remove=["vip"]) == ["retainer"]
    with pytest.raises(InvalidInputError):
        app.sites.select()
    with pytest.raises(NotFoundError):
        app.sites.select(tag="nobody")
    with pytest.raises(NotFoundError):
        app.sites.select(["a", "zzz"])
    with pytest.raises(InvalidInputError):
        app.sites.tag("a", add=["not a tag!"])
    assert app.sites.get("a").tags == ["retainer"]
