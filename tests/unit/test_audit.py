"""The audit log: every change recorded once, failures too, filtered, exported, append-only."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from handoff.core import audit as audit_module
from handoff.core import handbooks as handbooks_module
from handoff.core import sites as sites_module
from handoff.core.actor import acting_as
from handoff.core.audit import AuditFilter, InvalidFilterError, parse_moment
from handoff.core.menu_profile import profile_hash
from handoff.errors import HandoffError, InvalidInputError, NotFoundError
from handoff.handbook.build import Chapter, Handbook
from handoff.storage import AuditEvent, Site
from handoff.storage.engines import StoreError
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.profile_api import VersionConflict
from tests.helpers import make_key

MENU = [{"slug": "index.php", "title": "Dashboard", "capability": "read", "icon": "",
         "position": 2, "children": []},
        {"slug": "plugins.php", "title": "Plugins", "capability": "activate_plugins",
         "icon": "", "position": 65, "children": []}]
INVENTORY = {"site": {"name": "Shop"}, "roles": [{"name": "administrator"},
                                                {"name": "editor"}],
             "users": {"total": 1, "truncated": False,
                       "list": [{"login": "admin", "roles": ["administrator"]}]},
             "admin_menu": {"full": MENU, "by_role": {"administrator": MENU,
                                                      "editor": MENU[:1]}}}
PROFILE = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
           "menu": [{"slug": "plugins.php", "state": "denied"}]}
BOOK = Handbook(title="Shop handbook", language="en", strings={}, cover_lines=[],
                chapters=[Chapter("start", "Start here", "Log in at /wp-admin.")])


class FakePlugin:
    """The companion plugin's answers, in memory: menu profiles, handbook, disconnect."""

    def __init__(self):
        self.versions: list[dict] = []  # every stored profile, oldest first
        self.disconnected = False
        self.fail: Exception | None = None

    def _current(self) -> dict:
        return self.versions[-1] if self.versions else {"version": 0, "hash": "",
                                                        "profile": {}}

    def menu_profile(self):
        if self.fail:
            raise self.fail
        return dict(self._current())

    def put_menu_profile(self, profile, replaces_version):
        if replaces_version != self._current()["version"]:
            raise VersionConflict(self._current()["version"], replaces_version)
        self.versions.append({"version": len(self.versions) + 1, "profile": profile,
                              "hash": profile_hash(profile)})
        return {"version": len(self.versions), "hash": profile_hash(profile), "warnings": []}

    def rollback_menu_profile(self, to_version, replaces_version):
        earlier = self.versions[(to_version or len(self.versions) - 1) - 1]
        answer = self.put_menu_profile(earlier["profile"], replaces_version)
        return {**answer, "name": earlier["profile"]["name"]}

    def delete_menu_profile(self, replaces_version):
        self.versions.append({"version": len(self.versions) + 1, "profile": {}, "hash": ""})
        return {"version": len(self.versions)}

    def put_handbook(self, document):
        return {"published_at": 1700000000, "hash": document["hash"], "sections": 1}

    def delete_handbook(self):
        return {"deleted": True}

    def health(self):
        return {"facts": {}}

    def disconnect(self):
        self.disconnected = True
        return {"revoked": True}

    def status(self):
        if self.disconnected:
            raise BridgeError("wrong_password", url="https://shop.example")
        return {}


@pytest.fixture
def plugin(app, monkeypatch):
    """One stored site, 'shop', whose plugin is faked at the transport edge."""
    fake = FakePlugin()
    with app.store.session() as session:
        session.add(Site(name="shop", url="https://shop.example",
                         rest_url="https://shop.example/wp-json/",
                         xmlrpc_url="https://shop.example/xmlrpc.php", username="bridge",
                         secret=app.vault.encrypt("p" * 24), created_at=datetime.now(UTC)))
    monkeypatch.setattr(sites_module, "open_client", lambda *a, **k: fake)
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    monkeypatch.setattr(app.sites, "latest_inventory", lambda name: INVENTORY)
    return fake


def events(app, **filters) -> list[AuditEvent]:
    """Every event, oldest first."""
    return list(reversed(app.audit.query(AuditFilter(**filters), limit=None)))


def data(event: AuditEvent) -> dict:
    return json.loads(event.data)


# -- what is recorded ----------------------------------------------------------------------

def test_menu_push_unchanged_repush_rollback_and_remove_are_recorded(app, plugin):
    with acting_as("cli:sam"):
        app.menus.push("shop", PROFILE)
        app.menus.push("shop", PROFILE)
        app.menus.push("shop", {**PROFILE, "name": "Second"})
        app.menus.rollback("shop")
        app.menus.remove("shop")
    found = events(app)
    assert [e.action for e in found] == ["menu.push"] * 3 + ["menu.rollback", "menu.remove"]
    assert {e.actor for e in found} == {"cli:sam"} and {e.site for e in found} == {"shop"}
    assert {e.result for e in found} == {"ok"}
    first, unchanged, second, rollback, removed = found
    assert data(first)["version"] == 1 and data(first)["hash"] == profile_hash(PROFILE)
    assert data(first)["replaces"] == 0 and "as version 1" in first.summary
    assert data(unchanged)["unchanged"] is True and "nothing was written" in unchanged.summary
    assert data(second)["version"] == 2 and data(second)["profile"] == "Second"
    assert data(rollback)["version"] == 3 and data(rollback)["replaces"] == 2
    assert data(removed) == {"replaces": 3, "version": 4}


def test_a_refused_push_is_recorded_as_failed_with_its_code(app, plugin):
    app.menus.push("shop", PROFILE)
    with pytest.raises(VersionConflict):
        app.menus.push("shop", {**PROFILE, "name": "Stale"}, expect_version=0)
    failed = events(app, result="failed")
    assert len(failed) == 1 and failed[0].action == "menu.push"
    assert data(failed[0])["error"] == "version_conflict"
    assert failed[0].summary.startswith("Could not push menu profile 'Stale' to shop")


def test_an_unreachable_site_and_an_unknown_site_are_failed_attempts(app, plugin):
    plugin.fail = BridgeError("timeout", url="https://shop.example", detail="15 s")
    with pytest.raises(BridgeError):
        app.menus.rollback("shop")
    with pytest.raises(NotFoundError):
        app.menus.remove("nowhere")
    rollback, remove = events(app)
    assert (rollback.action, rollback.result, data(rollback)["error"]) == \
        ("menu.rollback", "failed", "timeout")
    assert (remove.site, remove.result, data(remove)["error"]) == \
        ("nowhere", "failed", "unknown_site")


def test_handbook_publish_unpublish_and_private_page_are_recorded(app, plugin, monkeypatch):
    sent = {}

    def fake_page(url, login, password, title, html, page_id, **kwargs):
        sent.update(login=login, password=password)
        return 42
    monkeypatch.setattr(handbooks_module, "publish_private_page", fake_page)
    app.handbooks.publish("shop", BOOK)
    app.handbooks.unpublish("shop")
    app.handbooks.publish_as_page("shop", BOOK, "editor", "secret-app-password")
    publish, unpublish, page = events(app)
    assert (publish.action, unpublish.action, page.action) == \
        ("handbook.publish", "handbook.unpublish", "handbook.publish_page")
    assert data(publish)["hash"] == BOOK.hash() and data(publish)["sections"] == 1
    assert data(page)["page_id"] == 42 and app.sites.get("shop").handbook_page_id == 42
    assert sent["password"] == "secret-app-password"
    assert all("secret-app-password" not in e.data + e.summary for e in events(app))


def test_sign_offs_waivers_and_completion_with_disconnect_are_recorded(app, plugin):
    app.handovers.sign("shop", "training-held", by="Jane Client", note="on site")
    app.handovers.waive("shop", "site-icon", reason="logo comes next week", by="Sam")
    with pytest.raises(InvalidInputError):
        app.handovers.waive("shop", "site-icon", reason=" ")
    with pytest.raises(InvalidInputError):
        app.handovers.sign("shop", "debug-off", by="Sam")  # checked automatically
    sign, waive, bad_waive, bad_sign = events(app)
    assert (sign.action, sign.result, data(sign)["item"], data(sign)["by"]) == \
        ("handover.sign", "ok", "training-held", "Jane Client")
    assert "Jane Client signed off training-held" in sign.summary
    assert data(waive)["reason"] == "logo comes next week" and waive.result == "ok"
    assert (bad_waive.result, data(bad_waive)["error"]) == ("failed", "missing_reason")
    assert (bad_sign.result, data(bad_sign)["error"]) == ("failed", "not_manual")


def test_complete_records_the_disconnect_and_the_completion(app, plugin, monkeypatch):
    from handoff.core import handovers as handovers_module
    monkeypatch.setattr(handovers_module, "run_probes", lambda *a, **k: {})
    app.handovers.check("shop")
    for item in [i.id for i in app.handovers.latest("shop").items
                 if i.severity == "blocker" and i.status in ("fail", "manual")]:
        app.handovers.waive("shop", item, reason="accepted", by="Sam")
    app.handovers.complete("shop", by="Sam", disconnect=True)
    disconnect, complete = events(app)[-2:]
    assert (disconnect.action, disconnect.result) == ("site.disconnect", "ok")
    assert data(disconnect)["verified"] is True
    assert (complete.action, complete.result, data(complete)["by"]) == \
        ("handover.complete", "ok", "Sam")
    assert "disconnected" in complete.summary


def test_a_blocked_completion_is_a_failed_attempt_and_nothing_is_disconnected(app, plugin,
                                                                             monkeypatch):
    from handoff.core import handovers as handovers_module
    monkeypatch.setattr(handovers_module, "run_probes", lambda *a, **k: {})
    app.handovers.check("shop")
    with pytest.raises(InvalidInputError):
        app.handovers.complete("shop", by="Sam", disconnect=True)
    assert not plugin.disconnected
    (complete,) = events(app)
    assert (complete.action, complete.result, data(complete)["error"]) == \
        ("handover.complete", "failed", "blocked")


def test_intake_saves_and_refusals_are_recorded_without_the_answers(app, plugin):
    app.intakes.save("shop", {"client": {"name": "Shop Ltd", "email": "jane@shop.example"}})
    with pytest.raises(InvalidInputError):
        app.intakes.save("shop", {"language": "klingon"})
    saved, refused = events(app)
    assert (saved.action, saved.result, data(saved)["fields"]) == ("intake.save", "ok", 2)
    assert "jane@shop.example" not in saved.data
    assert (refused.result, data(refused)["error"]) == ("failed", "invalid_intake")
    assert app.intakes.get("shop")["client"]["name"] == "Shop Ltd"


@pytest.mark.usefixtures("offline_edges")
@responses.activate
def test_site_add_tag_and_remove_are_recorded_without_the_key(app):
    url = "https://client.example"
    responses.get(url, body="home", content_type="text/html")
    responses.get(f"{url}/wp-json/", json={"namespaces": ["handoff/v1"]})
    responses.get(f"{url}/wp-json/handoff/v1/status",
                  json={"plugin_version": "0.1.0", "wordpress_version": "6.1.9",
                        "php_version": "8.2", "is_ssl": True})
    key = make_key(url).encode()
    app.sites.add(key, url)
    with pytest.raises(InvalidInputError):
        app.sites.add(key, url)  # already connected
    app.sites.tag("client", add=["retainer"])
    with pytest.raises(InvalidInputError):
        app.sites.tag("client", add=["Not A Tag"])
    app.sites.remove("client")
    found = events(app)
    assert [(e.action, e.result) for e in found] == [
        ("site.add", "ok"), ("site.add", "failed"), ("site.tag", "ok"), ("site.tag", "failed"),
        ("site.remove", "ok")]
    assert found[0].site == "client" and data(found[0])["url"] == url
    assert data(found[1])["error"] == "duplicate_site"
    assert data(found[2])["tags"] == ["retainer"]
    assert "Removed client (https://client.example)" in found[4].summary
    assert all("AbCdEfGhIjKlMnOpQrStUvWx" not in e.data + e.summary for e in found)
    assert [e.id for e in events(app, site="client")] == [e.id for e in found]  # outlives it


def test_the_actor_follows_the_caller_into_bulk_push_threads(app, plugin):
    with acting_as("dashboard:alice"):
        app.menus.push_many(["shop", "missing"], PROFILE, concurrency=2)
    assert {(e.site, e.actor, e.result) for e in events(app)} == {
        ("shop", "dashboard:alice", "ok"), ("missing", "dashboard:alice", "failed")}


# -- one transaction -----------------------------------------------------------------------

def test_a_change_whose_record_cannot_be_written_is_not_stored(app, plugin, monkeypatch):
    real_row = audit_module._row

    def broken_row(*args, **kwargs):
        row = real_row(*args, **kwargs)
        row.summary = None  # NOT NULL: the insert fails
        return row
    monkeypatch.setattr(audit_module, "_row", broken_row)
    with pytest.raises(DBAPIError):
        app.sites.tag("shop", add=["retainer"])
    monkeypatch.setattr(audit_module, "_row", real_row)
    assert app.sites.get("shop").tags == []
    assert events(app) == []


@pytest.mark.parametrize("failure", [
    DBAPIError("insert", {}, Exception("disk full")),
    StoreError("The database cannot be reached.", "start it", code="database_unreachable"),
])
def test_a_remote_change_whose_record_fails_says_so(app, plugin, monkeypatch, failure):
    def refuse(*args, **kwargs):
        raise failure
    monkeypatch.setattr(app.audit, "record_in", refuse)
    with pytest.raises(HandoffError) as caught:
        app.handbooks.unpublish("shop")
    assert caught.value.code == "audit_unrecorded"
    assert "Unpublished the handbook on shop" in caught.value.cause


def test_a_failed_change_whose_record_fails_keeps_its_own_error(app, plugin, monkeypatch):
    def unreachable(*args, **kwargs):
        raise StoreError("The database cannot be reached.", code="database_unreachable")
    plugin.fail = BridgeError("timeout", url="https://shop.example", detail="15 s")
    monkeypatch.setattr(app.audit, "record_in", unreachable)
    with pytest.raises(BridgeError):
        app.menus.rollback("shop")


# -- append-only ---------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET result = 'ok'",
    "UPDATE audit_events SET summary = 'rewritten' WHERE id = 1",
    "DELETE FROM audit_events",
    "DELETE FROM audit_events WHERE id = 1",
])
def test_the_database_refuses_to_change_or_delete_events(app, statement):
    app.audit.record("site.tag", "shop", "Tags of shop: none.", result="failed")
    with pytest.raises(DBAPIError, match="append-only"), app.store.engine.begin() as db:
        db.execute(text(statement))
    (event,) = events(app)
    assert (event.result, event.summary) == ("failed", "Tags of shop: none.")


def test_the_orm_cannot_edit_an_event_either(app):
    app.audit.record("site.tag", "shop", "Tags of shop: none.")
    with pytest.raises(DBAPIError, match="append-only"), app.store.session() as session:
        event = session.get(AuditEvent, 1)
        event.actor = "someone else"
    assert events(app)[0].actor != "someone else"


def test_removing_a_site_keeps_its_events(app, plugin):
    app.menus.push("shop", PROFILE)
    app.sites.remove("shop")
    assert [e.action for e in events(app, site="shop")] == ["menu.push", "site.remove"]


# -- reading -------------------------------------------------------------------------------

@pytest.fixture
def history(app):
    """Six events a day apart, from 2026-11-20 10:00 UTC, by two actors."""
    start = datetime(2026, 11, 20, 10, tzinfo=UTC)
    rows = [("menu.push", "shop", "ok", "cli:sam"), ("menu.rollback", "shop", "ok", "cli:sam"),
            ("handover.sign", "shop", "ok", "dashboard:alice"),
            ("menu.push", "bakery", "failed", "api:ci"),
            ("site.tag", "bakery", "ok", "cli:sam"), ("menu.remove", "bakery", "ok", "cli:sam")]
    for day, (action, site, result, actor) in enumerate(rows):
        app.audit.clock = lambda day=day: start + timedelta(days=day)
        with acting_as(actor):
            app.audit.record(action, site, f"{action} on {site}", result=result)
    return start


@pytest.mark.parametrize("filters, expected", [
    ({}, 6),
    ({"site": "shop"}, 3),
    ({"site": "nowhere"}, 0),
    ({"action": "menu"}, 4),
    ({"action": "menu.push"}, 2),
    ({"action": "men"}, 0),
    ({"actor": "cli:sam"}, 4),
    ({"result": "failed"}, 1),
    ({"since": "2026-11-22"}, 4),
    ({"until": "2026-11-22"}, 3),  # a date as upper bound includes that day
    ({"since": "2026-11-21T10:00:00Z", "until": "2026-11-23T09:59"}, 2),
    ({"since": "2026-11-21T12:00:00+02:00"}, 5),
    ({"site": "bakery", "action": "menu", "result": "ok"}, 1),
])
def test_filters(app, history, filters, expected):
    where = AuditFilter.parse(**filters)
    assert app.audit.count(where) == expected
    assert len(app.audit.query(where)) == expected


def test_newest_first_with_limit_and_offset(app, history):
    newest = app.audit.query(limit=2)
    assert [e.action for e in newest] == ["menu.remove", "site.tag"]
    assert [e.action for e in app.audit.query(limit=2, offset=4)] == \
        ["menu.rollback", "menu.push"]


@pytest.mark.parametrize("filters, fields", [
    ({"since": "2026-13-01"}, {"since"}),
    ({"until": "yesterday"}, {"until"}),
    ({"result": "maybe"}, {"result"}),
    ({"action": "Menu Push!"}, {"action"}),
    ({"since": "2026-11-23", "until": "2026-11-22"}, {"until"}),
    ({"since": "x", "result": "y", "action": "?"}, {"since", "result", "action"}),
])
def test_bad_filters_name_every_field(filters, fields):
    with pytest.raises(InvalidFilterError) as caught:
        AuditFilter.parse(**filters)
    assert set(caught.value.fields) == fields and caught.value.exit_code == 2


def test_times_without_an_offset_are_utc():
    assert parse_moment("2026-11-26T14:00") == datetime(2026, 11, 26, 14, tzinfo=UTC)
    assert parse_moment("2026-11-26", end_of_day=True) == datetime(2026, 11, 27, tzinfo=UTC)
    assert parse_moment("  ") is None


# -- export --------------------------------------------------------------------------------

def test_json_and_csv_exports_carry_every_column(app, history):
    found = app.audit.query(AuditFilter(site="shop"))
    exported = json.loads(audit_module.render(found, "json"))
    assert [e["action"] for e in exported] == ["handover.sign", "menu.rollback", "menu.push"]
    assert exported[0]["at"] == "2026-11-22T10:00:00+00:00" and exported[0]["data"] == {}
    rows = list(csv.DictReader(io.StringIO(audit_module.render(found, "csv"))))
    assert list(rows[0]) == list(audit_module.COLUMNS)
    assert rows[0]["actor"] == "dashboard:alice" and rows[0]["data"] == "{}"


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(app):
    app.audit.record("handover.waive", "shop", "=HYPERLINK(\"http://x\")", reason="@SUM(1)")
    (row,) = csv.DictReader(io.StringIO(audit_module.render(app.audit.query(), "csv")))
    assert row["summary"].startswith("'=HYPERLINK")
    assert json.loads(row["data"]) == {"reason": "@SUM(1)"}  # inside JSON: not a formula


def test_an_unknown_export_format_is_refused(app):
    with pytest.raises(InvalidInputError, match="Unknown format"):
        audit_module.render([], "xml")


def test_the_migration_goes_down_and_up_again_with_its_triggers(app):
    from alembic import command
    from sqlalchemy import inspect as inspect_schema

    from handoff.storage.db import _alembic_config

    app.store  # noqa: B018 - open (and migrate) the store
    command.downgrade(_alembic_config(app.store.engine), "0007")
    assert "audit_events" not in inspect_schema(app.store.engine).get_table_names()
    command.upgrade(_alembic_config(app.store.engine), "head")
    app.audit.record("site.tag", "shop", "Tags of shop: none.")
    with pytest.raises(DBAPIError, match="append-only"), app.store.engine.begin() as db:
        db.execute(text("DELETE FROM audit_events"))
