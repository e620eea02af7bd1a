"""The enforcement report from the site to the user: `menu push`, `menu diff`, bulk jobs,
the audit log and the dashboard — against the plugin's routes faked at the HTTP edge
(tests/fake_menu_plugin.py, the fleet's recorded status and inventory answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.audit import AuditFilter
from handoff.core.menu_enforcement import NOT_REPORTED, from_answer
from handoff.storage import Site
from tests.fake_menu_plugin import FakeMenuPlugin
from tests.web_menu_helpers import PageScript, csrf_of, log_in, store_site

pytestmark = pytest.mark.usefixtures("offline_edges")

ANSWERS = Path(__file__).parents[1] / "fleet" / "answers"
PORTFOLIO = "edit.php?post_type=portfolio"
PROFILE = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
           "unknown_items": "show",
           "menu": [{"slug": "edit.php", "state": "visible"},
                    {"slug": PORTFOLIO, "state": "denied"},
                    {"slug": "sandbox-reports", "state": "denied"}]}
SHARED = "`edit_posts` also opens edit.php (not denied by this profile)"


def door(status: str, reason: str) -> dict:
    return {"status": status, "reason": reason}


def target(name: str, **doors: dict) -> dict:
    closed = door("closed", "the capability is withheld")
    return {"target": name, "opens_without_profile": True, "withheld": [],
            "shared": [{"capability": "edit_posts", "kept_by": ["edit.php"]}],
            "doors": {"screen": door("closed", "the screen guard refuses it"),
                      **{d: doors.get(d, closed)
                         for d in ("rest", "admin_ajax", "admin_post", "xmlrpc")}}}


REPORT = {"items": [
    {"slug": PORTFOLIO, "parent": "", "targets": [
        target("role:editor", rest=door("closed", "core routes of the type refuse writes"),
               admin_ajax=door("open", SHARED), admin_post=door("open", SHARED))]},
    {"slug": "sandbox-reports", "parent": "", "targets": [
        target("role:editor", rest=door("unknown", "its permission callback failed without "
                                                   "arguments"))]}]}


def fleet_answer(name: str, url: str) -> dict:
    return json.loads((ANSWERS / f"{name}.json").read_text(encoding="utf-8")
                      .replace("http://FLEET-HOST", url))


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def fake_site(app, mock, name: str, url: str, enforcement: dict | None) -> FakeMenuPlugin:
    """A stored site whose plugin answers status, inventory and the profile routes."""
    inventory = fleet_answer("inventory", url)
    store_site(app, name, url, inventory=inventory)
    status = {key: value for key, value in fleet_answer("status", url).items()
              if key != "admin_ajax_url"}  # the menu comes with the inventory here
    mock.get(f"{url}/wp-json/handoff/v1/status", json=status)
    mock.get(f"{url}/wp-json/handoff/v1/inventory", json=inventory)
    return FakeMenuPlugin(mock, url, enforcement=enforcement)


@pytest.fixture
def site(app, mock):
    return fake_site(app, mock, "client", "https://client.example", REPORT)


@pytest.fixture
def old_site(app, mock):
    return fake_site(app, mock, "old", "https://old.example", None)


@pytest.fixture
def profile_file(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILE))
    return str(path)


@pytest.fixture
def run(app, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line, one reason per line
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args), obj=app, catch_exceptions=False,
                             terminal_width=200)
    return invoke


def test_push_prints_every_door_of_each_denied_item_and_why_one_is_not_closed(
        run, site, profile_file):
    result = run("menu", "push", "client", profile_file)

    assert result.exit_code == 0, result.output
    assert "applied as version 1" in result.output
    assert "Enforcement: 2 doors open, 1 door unknown." in result.output
    portfolio = next(line for line in result.output.splitlines()
                     if "Portfolio" in line and "role:editor" in line and "│" in line)
    assert [cell.strip() for cell in portfolio.split("│")[3:8]] == ["✔", "✔", "✘", "✘", "✔"]
    assert f"✘ Portfolio ({PORTFOLIO}), role:editor, admin-ajax: {SHARED}" in result.output
    assert "? Sandbox Reports (sandbox-reports), role:editor, REST: its permission callback " \
           "failed without arguments" in result.output


def test_the_audit_record_of_a_push_keeps_the_open_doors_and_their_reasons(app, site):
    app.menus.push("client", PROFILE)

    event = app.audit.query(AuditFilter(action="menu.push"))[0]
    record = json.loads(event.data)["enforcement"]
    assert record["summary"] == "2 doors open, 1 door unknown"
    assert record["not_closed"] == [
        {"item": f"Portfolio ({PORTFOLIO})", "target": "role:editor",
         "doors": {"admin-ajax": f"open: {SHARED}", "admin-post": f"open: {SHARED}"}},
        {"item": "Sandbox Reports (sandbox-reports)", "target": "role:editor",
         "doors": {"REST": "unknown: its permission callback failed without arguments"}}]


def test_diff_asks_the_site_and_prints_the_same_table(run, site, mock, profile_file):
    result = run("menu", "diff", "client", profile_file)

    assert result.exit_code == 0, result.output
    assert "Enforcement: 2 doors open, 1 door unknown." in result.output
    assert f"admin-post: {SHARED}" in result.output
    assert site.writes == 0  # the preview stores nothing
    sent = [call for call in mock.calls if call.request.url.endswith("/menu-profile/report")]
    assert len(sent) == 1 and json.loads(sent[0].request.body) == {"profile": PROFILE}


def test_diff_json_carries_the_report(run, site, profile_file):
    plan = json.loads(run("menu", "diff", "client", profile_file, "--json").output)

    report = plan["enforcement"]
    assert report["reported"] is True and report["summary"] == "2 doors open, 1 door unknown"
    portfolio = report["items"][0]
    assert (portfolio["slug"], portfolio["title"]) == (PORTFOLIO, "Portfolio")
    assert portfolio["targets"][0]["doors"]["admin_ajax"] == {"status": "open",
                                                              "reason": SHARED}


@pytest.mark.parametrize("command", ["push", "diff"])
def test_a_plugin_without_the_report_is_said_so_and_nothing_fails(run, old_site, profile_file,
                                                                  command):
    result = run("menu", command, "old", profile_file)

    assert result.exit_code == 0, result.output
    assert f"Enforcement: {NOT_REPORTED}." in result.output


def test_over_xml_rpc_the_report_needs_rest_and_the_site_is_not_asked(app, site, mock):
    with app.store.session() as session:
        session.query(Site).filter_by(name="client").update({"transport": "xmlrpc"})
    before = len(mock.calls)

    report = app.menus.report("client", PROFILE)

    assert not report.reported and "needs REST" in report.note and "XML-RPC" in report.note
    assert len(mock.calls) == before


def test_a_bulk_push_keeps_the_report_in_each_item_and_jobs_show_summarises_it(
        app, run, mock, site, old_site, profile_file):
    pushed = run("menu", "push", "client", "old", profile_file)
    assert pushed.exit_code == 0, pushed.output
    assert "2 doors open, 1 door unknown" in pushed.output

    job = app.jobs.list(limit=1)[0][0]
    items = {item["target"]: item["detail"] for item in app.jobs.get(job.id).items}
    assert items["client"]["notes"] == "2 doors open, 1 door unknown"
    assert items["client"]["enforcement"]["not_closed"][0]["doors"]["admin-ajax"] == \
        f"open: {SHARED}"
    assert items["old"]["notes"] == NOT_REPORTED
    shown = run("jobs", "show", job.id)
    assert "2 doors open, 1 door unknown" in shown.output and NOT_REPORTED in shown.output


def test_rollback_carries_the_report_of_what_it_restored(app, site):
    app.menus.push("client", PROFILE)
    app.menus.push("client", {**PROFILE, "name": "Other"})

    restored = app.menus.rollback("client", 1)

    assert restored.enforcement.summary() == "2 doors open, 1 door unknown"


@pytest.mark.parametrize("answer", [
    {}, {"enforcement": None}, {"enforcement": {"items": "all"}}, {"enforcement": []}])
def test_an_answer_without_a_readable_report_is_not_reported(answer):
    report = from_answer(answer)
    assert not report.reported and report.summary() == NOT_REPORTED and report.items == []


def test_a_report_of_unexpected_shape_is_read_defensively():
    report = from_answer({"enforcement": {"items": [
        "junk", {"slug": "x.php", "parent": 7, "targets": [
            {"target": "role:editor", "doors": {"screen": {"status": "shut"},
                                               "rest": "closed"}}, "junk"]}]}})

    (item,) = report.items
    assert (item.slug, item.parent) == ("x.php", "")
    doors = item.targets[0].doors
    assert {name: d.status for name, d in doors.items()} == dict.fromkeys(
        ("screen", "rest", "admin_ajax", "admin_post", "xmlrpc"), "unknown")
    assert report.summary() == "5 doors unknown"


# -- the dashboard --------------------------------------------------------------------------

@pytest.fixture
def send(app, client):
    logged_in = log_in(app, client)
    return PageScript(logged_in, csrf_of(logged_in.get("/profiles").get_data(as_text=True)))


def test_the_editor_s_diff_and_push_answers_carry_the_report(send, site):
    diff = send("/sites/client/menu/diff.json", {"profile": PROFILE})
    assert diff.status_code == 200, diff.get_data(as_text=True)
    assert diff.json["enforcement"]["summary"] == "2 doors open, 1 door unknown"

    pushed = send("/sites/client/menu/push.json", {"profile": PROFILE})
    assert pushed.status_code == 200
    report = pushed.json["enforcement"]
    assert report["reported"] and report["items"][1]["targets"][0]["doors"]["rest"] == \
        {"status": "unknown", "reason": "its permission callback failed without arguments"}

    again = send("/sites/client/menu/push.json", {"profile": PROFILE})
    assert again.json["unchanged"] is True and again.json["enforcement"] is None


def test_the_editor_s_diff_says_when_the_plugin_sends_no_report(send, old_site):
    diff = send("/sites/old/menu/diff.json", {"profile": PROFILE})
    assert diff.status_code == 200
    assert diff.json["enforcement"] == {"reported": False, "note": NOT_REPORTED,
                                        "summary": NOT_REPORTED, "items": []}
