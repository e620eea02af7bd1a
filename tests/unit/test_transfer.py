"""`handoff export` / `handoff import`: the whole store moves intact, or not at all."""

from __future__ import annotations

import itertools
import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import responses
from click.testing import CliRunner
from sqlalchemy import select

from handoff.app import Handoff
from handoff.cli import main
from handoff.config import Settings
from handoff.core import transfer as transfer_module
from handoff.core.actor import acting_as
from handoff.core.transfer import InvalidExportError, parse_export
from handoff.errors import HandoffError, InvalidInputError
from handoff.storage import (
    AuditEvent,
    HandoverDecision,
    HandoverRun,
    Intake,
    InventorySnapshot,
    SavedProfile,
    Site,
    SiteTag,
)
from handoff.web.accounts import Accounts
from handoff.wordpress.http import Timeouts
from tests.helpers import make_key

T0 = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=UTC)
INVENTORY = {"site": {"name": "Bäckerei 面包", "home_url": "https://shop.example"},
             "plugins": [{"name": "WooCommerce", "version": "8.2.1"}], "users": {"total": 3}}
PROFILE = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
           "menu": [{"slug": "plugins.php", "state": "denied"}]}
RESULTS = {"debug-off": {"id": "debug-off", "group": "security", "title": "Debug off",
                         "kind": "auto", "severity": "blocker", "status": "fail",
                         "detail": "WP_DEBUG is on — «fix»", "fix": "", "decision": {}}}
_numbers = itertools.count(1)


def _second_url(app: Handoff, tmp_path, request) -> Iterator[str]:
    """An empty store on the engine of `app`: another SQLite file or PostgreSQL database."""
    if app.store.engine.dialect.name != "postgresql":
        yield f"sqlite:///{tmp_path / 'second' / 'handoff.db'}"
        return
    server = request.getfixturevalue("postgres")
    name = f"handoff_import_{next(_numbers)}"
    url = server.create_database(name, template=request.getfixturevalue("postgres_template"))
    yield url
    server.drop_database(name)


@pytest.fixture
def target(app, tmp_path, request) -> Iterator[Handoff]:
    """A second, empty backend on the same engine, to import into."""
    urls = _second_url(app, tmp_path, request)
    settings = Settings(data_dir=tmp_path / "second", database_url=next(urls))
    second = Handoff(settings=settings, timeouts=Timeouts(connect=2, read=15))
    yield second
    second.store.engine.dispose()
    next(urls, None)


@pytest.fixture
def filled(app) -> Handoff:
    return fill(app)


def fill(app: Handoff) -> Handoff:
    """A store with a bit of everything: sites, tags, inventories, intake, handover, audit."""
    with app.store.session() as session:
        for name, minutes in (("shop", 0), ("bakery", 5)):
            site = Site(name=name, url=f"https://{name}.example",
                        rest_url=f"https://{name}.example/wp-json/",
                        xmlrpc_url=f"https://{name}.example/xmlrpc.php",
                        username="handoff-bridge", secret=app.vault.encrypt("p" * 24),
                        created_at=T0 + timedelta(minutes=minutes), health="warning",
                        health_summary="Works; HTTPS «missing»", wordpress_version="6.1.9",
                        last_sync_at=T0 + timedelta(hours=1))
            session.add(site)
            session.flush()
            for hours in (1, 2):
                session.add(InventorySnapshot(site_id=site.id, sha256="a" * 64,
                                              taken_at=T0 + timedelta(hours=hours),
                                              data=json.dumps({**INVENTORY, "n": hours},
                                                              sort_keys=True,
                                                              ensure_ascii=False)))
            session.add(HandoverRun(site_id=site.id, started_at=T0, finished_at=None,
                                    complete=False, error="the site did not answer"))
            session.add(HandoverRun(site_id=site.id, started_at=T0, finished_at=T0,
                                    complete=True, verdict="Blocked",
                                    results=json.dumps(RESULTS, ensure_ascii=False)))
        session.add(SavedProfile(name="client", description="For editors",
                                 profile=json.dumps(PROFILE), updated_at=T0,
                                 updated_by="cli:sam"))
    with acting_as("cli:sam"):
        app.sites.tag("shop", add=["retainer", "vip"])
        app.sites.record_menu("shop", 3, "b" * 64, "Client", pushed=True, drift_count=2)
        app.intakes.save("shop", {"client": {"name": "Bäckerei", "email": "j@shop.example"},
                                  "language": "en"})
        app.handovers.sign("shop", "training-held", by="Jane Client", note="on site")
        app.handovers.waive("bakery", "site-icon", reason="logo next week", by="Sam")
        with pytest.raises(InvalidInputError):
            app.sites.tag("shop", add=["Bad Tag"])
    return app


def contents(app: Handoff) -> dict[str, list[dict]]:
    """Every exported table's rows, ids replaced by site names, passwords left out."""
    tables = (Site, SiteTag, InventorySnapshot, Intake, HandoverRun, HandoverDecision,
              SavedProfile, AuditEvent)
    found = {}
    with app.store.session() as session:
        names = dict(session.execute(select(Site.id, Site.name)).all())
        for model in tables:
            rows = []
            for row in session.scalars(select(model)):
                values = {c.name: getattr(row, c.key) for c in model.__table__.columns}
                values.pop("secret", None)
                values.pop("id", None)
                if "site_id" in values:
                    values["site_id"] = names[values["site_id"]]
                rows.append(values)
            found[model.__tablename__] = sorted(rows, key=repr)
    return found


def round_trip(source: Handoff, target: Handoff) -> dict:
    text = json.dumps(source.transfer.export(), ensure_ascii=False)
    target.transfer.import_(parse_export(text.encode()))
    return json.loads(text)


# -- round trip ----------------------------------------------------------------------------

def test_export_then_import_gives_identical_data(filled, target):
    document = round_trip(filled, target)
    before, after = contents(filled), contents(target)
    imported = after["audit_events"]
    assert [e["action"] for e in imported].count("store.import") == 1
    after["audit_events"] = [e for e in imported if e["action"] != "store.import"]
    assert after == before
    assert len(before["audit_events"]) == 5 and len(before["inventory_snapshots"]) == 4
    assert document["format_version"] == 1
    assert document["schema_revision"] == filled.store.head_revision()


def test_the_export_holds_no_password_and_the_import_records_itself(filled, target):
    document = round_trip(filled, target)
    assert "secret" not in json.dumps(document)
    assert all(filled.vault.decrypt(s.secret) not in json.dumps(document)
               for s in filled.sites.list())
    last = target.audit.query(limit=1)[0]
    assert (last.action, last.result) == ("store.import", "ok")
    assert json.loads(last.data)["sites"] == 2 and json.loads(last.data)["audit_events"] == 5
    exported = target.transfer.export()
    assert exported["audit_events"][:-1] == document["audit_events"]
    assert exported["sites"] == document["sites"]


def test_imported_events_keep_their_order_and_stay_append_only(filled, target):
    round_trip(filled, target)
    original = [e.summary for e in filled.audit.query(limit=None)]
    assert [e.summary for e in target.audit.query(limit=None)][1:] == original
    with pytest.raises(Exception, match="append-only"), target.store.engine.begin() as db:
        db.exec_driver_sql("DELETE FROM audit_events")


def test_an_imported_site_needs_reconnecting_and_says_how(filled, target):
    round_trip(filled, target)
    for attempt in (lambda: target.sites.sync("shop"), lambda: target.sites.check("shop"),
                    lambda: target.menus.push("shop", PROFILE)):
        with pytest.raises(HandoffError) as caught:
            attempt()
        assert caught.value.code == "not_connected"
        assert "handoff site add https://shop.example --key KEY" in caught.value.fix
    failed = target.audit.query(limit=1)[0]
    assert (failed.action, failed.result) == ("menu.push", "failed")


@pytest.mark.usefixtures("offline_edges")
@responses.activate
def test_site_add_reconnects_an_imported_site_keeping_its_history(filled, target):
    round_trip(filled, target)
    url = "https://shop.example"
    responses.get(url, body="home", content_type="text/html")
    responses.get(f"{url}/wp-json/", json={"namespaces": ["handoff/v1"]})
    responses.get(f"{url}/wp-json/handoff/v1/status",
                  json={"plugin_version": "0.1.0", "wordpress_version": "6.1.9",
                        "php_version": "8.2", "is_ssl": True})
    result = target.sites.add(make_key(url).encode(), url)  # no --replace needed
    assert result.site.name == "shop"
    site = target.sites.get("shop")
    assert site.tags == ["retainer", "vip"] and site.menu_version == 3
    assert target.intakes.get("shop")["client"]["name"] == "Bäckerei"
    assert target.sites.key_for(site).password == "AbCdEfGhIjKlMnOpQrStUvWx"
    assert "Reconnected shop" in target.audit.query(limit=1)[0].summary
    with pytest.raises(InvalidInputError, match="already connected"):
        target.sites.add(make_key(url).encode(), url)  # now it has a password again


@pytest.mark.own_store  # SQLite and PostgreSQL in every run: moving between them is the point
def test_sqlite_to_postgresql_and_back(tmp_path, postgres_database):
    stores = [Handoff(settings=Settings(data_dir=tmp_path / name, database_url=url))
              for name, url in (("a", f"sqlite:///{tmp_path / 'a.db'}"),
                                ("b", postgres_database),
                                ("c", f"sqlite:///{tmp_path / 'c.db'}"))]
    try:
        original, on_postgres, back = fill(stores[0]), stores[1], stores[2]
        assert on_postgres.store.engine.dialect.name == "postgresql"
        round_trip(original, on_postgres)
        round_trip(on_postgres, back)
        before, after = contents(original), contents(back)
        imports = [e for e in after["audit_events"] if e["action"] == "store.import"]
        assert len(imports) == 2
        after["audit_events"] = [e for e in after["audit_events"] if e not in imports]
        assert after == before
        assert [e.summary for e in back.audit.query(limit=None)][2:] == \
            [e.summary for e in original.audit.query(limit=None)]
    finally:
        for store in stores:
            store.store.engine.dispose()


# -- refusals ------------------------------------------------------------------------------

def test_a_store_that_is_not_empty_is_refused(filled, target):
    document = filled.transfer.export()
    target.audit.record("site.tag", "x", "A failed attempt.", result="failed")
    with pytest.raises(InvalidInputError) as caught:
        target.transfer.import_(document)
    assert caught.value.code == "store_not_empty" and "1 audit events" in caught.value.cause
    assert target.sites.list() == [] and target.audit.count() == 1
    with pytest.raises(InvalidInputError, match="2 sites"):
        filled.transfer.import_(document)


def test_dashboard_tokens_made_before_the_import_do_not_count(filled, target):
    Accounts(target).create_token("ci")  # recorded in the audit log as token.create
    target.transfer.import_(filled.transfer.export())
    assert len(target.sites.list()) == 2


def _broken(change):
    def make(document: dict) -> dict:
        change(document)
        return document
    return make


@pytest.mark.parametrize("change, words", [
    (lambda d: d.pop("format"), "not a Handoff store export"),
    (lambda d: d.update(format_version=2), "format version 2"),
    (lambda d: d.update(format_version="1"), "format version '1'"),
    (lambda d: d.pop("audit_events"), "'audit_events' is a required property"),
    (lambda d: d["sites"][0].pop("url"), "sites/0: 'url' is a required property"),
    (lambda d: d["sites"][0].update(name="shop"), "the site name 'shop' appears twice"),
    (lambda d: d["sites"][0].update(url="https://SHOP.example/"),
     "the site URL 'https://shop.example' appears twice"),
    (lambda d: d["sites"][0].update(name="Not A Name"), "sites/0/name"),
    (lambda d: d["sites"][1]["tags"].append("Bad Tag"), "sites/1/tags/2"),
    (lambda d: d["sites"][0].update(secret="x"), "Additional properties"),
    (lambda d: d["sites"][0].update(created_at="yesterday"),
     "sites/0/created_at: 'yesterday' is not an ISO date"),
    (lambda d: d["sites"][0]["handover_decisions"][0].update(at="2026-11-20T10:00:00"),
     "has no UTC offset"),
    (lambda d: d["sites"][0]["handover_decisions"][0].update(kind="veto"),
     "handover_decisions/0/kind"),
    (lambda d: d["audit_events"][0].update(result="maybe"), "audit_events/0/result"),
    (lambda d: d["menu_profiles"].append(dict(d["menu_profiles"][0])),
     "the menu profile name 'client' appears twice"),
    (lambda d: d["sites"][0]["inventory"][0].update(data="{}"),
     "inventory/0/data: '{}' is not of type 'object'"),
])
def test_bad_documents_are_refused_and_nothing_is_imported(filled, target, change, words):
    document = json.loads(json.dumps(filled.transfer.export()))
    change(document)
    with pytest.raises(InvalidExportError) as caught:
        target.transfer.import_(parse_export(json.dumps(document).encode(), "store.json"))
    assert words in caught.value.cause, caught.value.cause
    assert caught.value.cause.startswith("store.json cannot be imported")
    assert caught.value.exit_code == 2
    assert contents(target) == {table: [] for table in contents(target)}


@pytest.mark.parametrize("raw, words", [
    (b"\xff\xfe not text", "not UTF-8 text"),
    (b"{\"format\": ", "it is not JSON (Expecting value at line 1, column 12)"),
    (b"[]", "not a Handoff store export"),
    (b"", "it is not JSON"),
])
def test_files_that_are_not_exports_are_refused(raw, words):
    with pytest.raises(InvalidExportError, match="cannot be imported") as caught:
        parse_export(raw)
    assert words in caught.value.cause


def test_every_problem_is_listed(filled):
    document = filled.transfer.export()
    for site in document["sites"]:
        site.pop("url")
        site["health"] = 7
    with pytest.raises(InvalidExportError) as caught:
        parse_export(json.dumps(document).encode())
    assert len(caught.value.problems) == 4 and "(and" not in caught.value.cause


def test_a_failure_while_writing_leaves_the_store_empty(filled, target, monkeypatch):
    document = parse_export(json.dumps(filled.transfer.export()).encode())
    real_children, calls = transfer_module._children, []

    def fail_on_the_second_site(site_id, data):
        calls.append(data["name"])
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real_children(site_id, data)
    monkeypatch.setattr(transfer_module, "_children", fail_on_the_second_site)
    with pytest.raises(RuntimeError):
        target.transfer.import_(document)
    assert contents(target) == {table: [] for table in contents(target)}


# -- the commands --------------------------------------------------------------------------

def test_cli_export_to_a_private_file_and_import_it(filled, target, tmp_path):
    out = tmp_path / "store.json"
    runner = CliRunner()
    result = runner.invoke(main, ["export", "-o", str(out)], obj=filled)
    assert result.exit_code == 0 and "Exported 2 sites, 1 menu profiles" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    result = runner.invoke(main, ["import", str(out)], obj=target)
    assert result.exit_code == 0, result.output
    assert "Imported 2 sites (4 inventory snapshots" in result.output
    assert "handoff site add URL --key KEY" in " ".join(result.output.split())
    again = runner.invoke(main, ["import", str(out)], obj=target)
    assert again.exit_code == 2 and "The store is not empty" in again.output


def test_cli_export_to_standard_output_and_import_from_it(filled, target):
    runner = CliRunner()
    exported = runner.invoke(main, ["export", "-o", "-"], obj=filled)
    assert json.loads(exported.output)["format"] == "handoff-store"
    result = runner.invoke(main, ["import", "-"], obj=target, input=exported.output)
    assert result.exit_code == 0 and len(target.sites.list()) == 2


@pytest.mark.parametrize("args, code, words", [
    (["import", "missing.json"], 2, "Cannot read missing.json"),
    (["import", "bad.json"], 2, "bad.json cannot be imported: it is not JSON"),
    (["import"], 2, "Missing argument 'FILE'"),
    (["export"], 2, "Missing option '-o'"),
    (["export", "-o", "no/such/dir/store.json"], 1, "Cannot write no/such/dir/store.json"),
])
def test_cli_bad_input(target, tmp_path, monkeypatch, args, code, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text("{nope")
    result = CliRunner().invoke(main, args, obj=target)
    assert result.exit_code == code and words in result.output, result.output
    assert target.sites.list() == [] and target.audit.count() == 0


def test_every_column_of_an_exported_table_travels(filled):
    """A column added to these tables later must be added to the export (or left out here)."""
    document = filled.transfer.export()
    site = document["sites"][1]
    exported = {
        Site: set(site) | {f"menu_{key}" for key in site["menu"]} | {"secret", "id"},
        InventorySnapshot: set(site["inventory"][0]) | {"id", "site_id"},
        Intake: set(site["intake"]) | {"site_id"},
        HandoverRun: set(site["handover_runs"][0]) | {"id", "site_id"},
        HandoverDecision: set(site["handover_decisions"][0]) | {"id", "site_id"},
        SavedProfile: set(document["menu_profiles"][0]) | {"id"},
        AuditEvent: set(document["audit_events"][0]) | {"id"},
    }
    for model, keys in exported.items():
        columns = {column.name for column in model.__table__.columns}
        assert columns - keys == set(), model.__tablename__
