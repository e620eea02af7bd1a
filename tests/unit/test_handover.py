"""The handover checklist offline: checks, definitions, verdicts, decisions, history."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.core import handovers as handovers_module
from handoff.core import sites as sites_module
from handoff.errors import InvalidInputError
from handoff.handover.checklist import ChecklistError, load_checklist
from handoff.handover.checks import CHECKS, Context
from handoff.handover.probes import robots_blocks_everything
from handoff.handover.render import report_markdown
from handoff.storage import Site
from handoff.wordpress.errors import BridgeError

CLEAN = {
    "site_health": [{"test": "php", "status": "good", "label": "PHP is fine"}],
    "updates": {"core": "", "plugins": [], "themes": []},
    "inactive_plugins": [], "inactive_themes": [],
    "debug": {"wp_debug": False, "display": False, "log": False, "log_file": "",
              "log_file_bytes": 0},
    "disallow_file_edit": True, "salts": {"placeholder": [], "duplicates": [], "empty": []},
    "users": [{"login": "owner", "email_domain": "client.example", "roles": ["administrator"]},
              {"login": "client", "email_domain": "client.example", "roles": ["editor"]}],
    "application_passwords": [], "registration": {"open": False, "default_role": "subscriber"},
    "search_engines": {"discouraged": False, "environment_type": "production"},
    "permalinks": "/%postname%/", "title": "Client", "tagline": "Fresh bread daily",
    "site_icon": True,
    "sample_content": {"hello_world": False, "sample_page": False, "default_comment": False,
                       "lorem_ipsum": []},
    "privacy_policy": {"page_id": 3, "published": True},
    "timezone": {"string": "Europe/Paris", "offset": 1},
    "admin_email": "office@client.example",
    "local_urls": {"home": "https://client.example", "site": "https://client.example",
                   "in_content": [], "in_options": []},
    "menu_profile": {"version": 2, "hash": "abc", "safe_mode": False},
    "handbook": {"published": True, "first_view": {"user_login": "client", "at": 1}},
    "backup_plugins": [{"file": "updraftplus/updraftplus.php", "name": "UpdraftPlus",
                        "active": True}],
}
INTAKE = {"client": {"login": "client", "email": "jane@client.example"},
          "developer": {"email": "help@agency.example", "website": "https://agency.example"}}
INVENTORY = {"site": {"name": "Client", "home_url": "https://client.example",
                      "environment_type": "production"},
             "plugins": [{"file": "gravityforms/gravityforms.php", "name": "Gravity Forms"}],
             "admin_menu": {"full": [], "by_role": {}}, "users": {"list": []}}
PASSING_PROBES = {name: ("pass", "ok") for name in
                  ("https", "https_redirect", "robots", "sitemap", "not_found")}


def context(**facts) -> Context:
    return Context({**CLEAN, **facts}, INVENTORY, INTAKE, PASSING_PROBES)


def test_a_clean_site_passes_every_automatic_check():
    failing = {name: CHECKS[name](context()) for name in CHECKS
               if CHECKS[name](context())[0] not in ("pass", "info")}
    assert failing == {}


@pytest.mark.parametrize("facts, check, status, words", [
    ({"debug": {"wp_debug": True, "display": False, "log_file_bytes": 0}}, "debug", "fail",
     "WP_DEBUG is on"),
    ({"debug": {"log_file": "wp-content/debug.log", "log_file_bytes": 2048}}, "debug_log",
     "fail", "2,048 bytes"),
    ({"salts": {"placeholder": ["AUTH_KEY"], "duplicates": [], "empty": []}}, "salts", "fail",
     "AUTH_KEY"),
    ({"users": [{"login": "admin", "email_domain": "x", "roles": ["administrator"]}]},
     "admin_username", "fail", "admin"),
    ({"users": [{"login": "sam", "email_domain": "agency.example",
                 "roles": ["administrator"]}]}, "developer_accounts", "fail", "sam"),
    ({"admin_email": "help@agency.example"}, "admin_email", "fail", "developer's address"),
    ({"registration": {"open": True, "default_role": "editor"}}, "registration", "fail",
     "becomes editor"),
    ({"search_engines": {"discouraged": True, "environment_type": "production"}},
     "search_visibility", "fail", "not to index"),
    ({"search_engines": {"discouraged": True, "environment_type": "local"}},
     "search_visibility", "warn", "local copy"),
    ({"sample_content": {"hello_world": True, "lorem_ipsum": [{"id": 4, "title": "About"}]}},
     "sample_content", "fail", "lorem ipsum in About"),
    ({"local_urls": {"home": "https://client.example", "in_content": [
        {"id": 5, "title": "Contact", "url": "http://localhost:8888/x"}], "in_options": []}},
     "local_urls", "fail", "in Contact"),
    ({"application_passwords": [{"login": "owner", "name": "build"}]},
     "application_passwords", "fail", "owner: build"),
    ({"handbook": {"published": True, "first_view": {}}}, "handbook", "warn", "not opened"),
    ({"menu_profile": {"version": 2, "hash": "x", "safe_mode": True}}, "menu_profile", "fail",
     "SAFE_MODE"),
    ({"backup_plugins": []}, "backup_plugin", "fail", "no known backup plugin"),
    ({"updates": {"core": "6.4.2", "plugins": [{"name": "Akismet"}], "themes": []}},
     "updates_plugins", "fail", "Akismet"),
    ({"site_health": [{"status": "critical", "label": "Loopback fails"}]}, "site_health",
     "fail", "Loopback fails"),
])
def test_each_check_fails_for_the_right_reason(facts, check, status, words):
    got_status, detail = CHECKS[check](context(**facts))
    assert got_status == status and words in detail, detail


@pytest.mark.parametrize("text, blocked", [
    ("User-agent: *\nDisallow: /\n", True),
    ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n", False),
    ("User-agent: BadBot\nDisallow: /\n\nUser-agent: *\nDisallow:\n", False),
    ("# comment\nuser-agent: *\ndisallow: / # all\n", True),
])
def test_robots_txt(text, blocked):
    assert robots_blocks_everything(text) is blocked


def test_the_shipped_checklist_has_about_forty_items_in_groups():
    checklist = load_checklist()
    assert 38 <= len(checklist.items) <= 50
    assert {i.group for i in checklist.items} == set(checklist.groups)
    assert len({i.id for i in checklist.items}) == len(checklist.items)


@pytest.mark.parametrize("text, words", [
    ("items:\n  - {id: x, group: nope, title: T, kind: manual, severity: major}\n",
     ":2: unknown group 'nope'"),
    ("items:\n  - {id: x, group: legal, title: T, kind: auto, severity: major, check: zz}\n",
     ":2: unknown check 'zz'"),
    ("items:\n  - {id: x, group: legal, title: T, kind: sometimes, severity: major}\n",
     ":2: kind must be auto or manual"),
    ("items:\n  - id: x\n    group: legal\n", ":2: 'title' is missing"),
    ("items:\n  - {id: debug-off, group: legal, title: T, kind: manual, severity: minor}\n",
     ":2: item id 'debug-off' exists already"),
    ("disable: [no-such-item]\n", ":1: cannot disable unknown item"),
    ("items: [\n", "not valid YAML"),
])
def test_a_checklist_file_with_errors_names_file_and_line(tmp_path, text, words):
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert str(path) in caught.value.cause and words in caught.value.cause


def test_a_checklist_file_adds_and_disables_items(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("groups: {extra: Our extras}\nitems:\n"
                    "  - {id: cookie-banner, group: extra, title: Cookie banner, "
                    "kind: manual, severity: major}\ndisable: [site-icon, timezone]\n")
    ids = [item.id for item in load_checklist(path).items]
    assert "cookie-banner" in ids and "site-icon" not in ids and "timezone" not in ids


class FakeSite:
    def __init__(self):
        self.facts = json.loads(json.dumps(CLEAN))
        self.fail = None
        self.disconnected = False

    def health(self):
        if self.fail:
            raise self.fail
        return {"facts": self.facts}

    def menu_profile(self):
        return {"version": 0, "hash": "", "profile": {}}

    def disconnect(self):
        self.disconnected = True
        return {"revoked": True}

    def status(self):
        if self.disconnected:
            raise BridgeError("wrong_password", url="https://client.example")
        return {}


@pytest.fixture
def site(app, monkeypatch):
    fake = FakeSite()
    with app.store.session() as session:
        session.add(Site(name="shop", url="https://client.example", rest_url="x",
                         xmlrpc_url="https://client.example/xmlrpc.php", username="u",
                         secret=app.vault.encrypt("p"), environment_type="production",
                         created_at=datetime.now(UTC)))
    monkeypatch.setattr(sites_module, "open_client", lambda *a, **k: fake)
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    monkeypatch.setattr(handovers_module, "run_probes", lambda *a, **k: PASSING_PROBES)
    app.intakes.save("shop", INTAKE)
    return fake


def test_manual_blockers_block_until_signed_and_waivers_need_a_reason(app, site):
    report = app.handovers.check("shop")
    assert report.verdict == "Blocked"
    manual_blockers = [i.id for i in report.items if i.severity == "blocker"
                       and i.status == "manual"]
    for item in manual_blockers:
        app.handovers.sign("shop", item, by="Jane Client", note="done together")
    assert app.handovers.latest("shop").verdict == "Needs attention"
    with pytest.raises(InvalidInputError):
        app.handovers.waive("shop", "invoice-paid", reason="  ")
    with pytest.raises(InvalidInputError):
        app.handovers.sign("shop", "invoice-paid", by="")
    with pytest.raises(InvalidInputError) as caught:
        app.handovers.sign("shop", "debug-off", by="Sam")
    assert caught.value.code == "not_manual"
    with pytest.raises(InvalidInputError) as caught:
        app.handovers.sign("shop", "no-such-item", by="Sam")
    assert caught.value.code == "unknown_item"
    for item in [i.id for i in app.handovers.latest("shop").items if i.open]:
        app.handovers.waive("shop", item, reason="agreed in the kickoff", by="Sam")
    final = app.handovers.latest("shop")
    assert final.verdict == "Ready"
    waived = next(i for i in final.items if i.id == "invoice-paid")
    assert waived.status == "waived" and waived.decision["note"] == "agreed in the kickoff"


def test_complete_is_refused_while_blocked_then_disconnects_and_verifies(app, site):
    app.handovers.check("shop")
    with pytest.raises(InvalidInputError) as caught:
        app.handovers.complete("shop", by="Sam")
    assert caught.value.code == "blocked" and "domain-owner" in caught.value.cause
    for item in [i.id for i in app.handovers.latest("shop").items if i.status == "manual"]:
        app.handovers.sign("shop", item, by="Sam")
    done = app.handovers.complete("shop", by="Sam", disconnect=True)
    assert site.disconnected
    assert done.completed["by"] == "Sam" and "verified refused" in done.completed["note"]


def test_an_unreachable_site_records_an_incomplete_run_and_keeps_decisions(app, site):
    app.handovers.check("shop")
    app.handovers.sign("shop", "training-held", by="Sam")
    site.fail = BridgeError("timeout", url="https://client.example", detail="15 s")
    with pytest.raises(BridgeError):
        app.handovers.check("shop")
    runs, decisions = app.handovers.history("shop")
    assert [r["complete"] for r in runs] == [True, False] and "did not answer" in runs[1]["error"]
    assert decisions[0]["item_id"] == "training-held"
    assert app.handovers.latest("shop").verdict == "Blocked"  # the last complete run


def test_report_and_letters_neutralize_html(app, site):
    app.intakes.save("shop", {**INTAKE, "client": {**INTAKE["client"],
                                                   "name": "<script>x</script>"}})
    report = app.handovers.check("shop")
    markdown = report_markdown(report, "<b>Client</b>")
    assert "<b>" not in markdown and "Verdict: Blocked" in markdown
    text = app.handovers.letter_file("shop", draft=True).body.decode()
    assert "<script>" not in text and "&lt;script&gt;x" in text
    parting = app.handovers.letter_file(
        "shop", parting=True, reason="we are closing our WordPress practice",
        final_date="2027-01-31", alternatives=["Another Studio"]).body.decode()
    assert "31 January 2027" in parting and "Another Studio" in parting
    assert "Thank you" in parting


def test_cli_exit_codes_and_refusals(app, site, tmp_path):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), obj=app, catch_exceptions=False)

    assert run("handover", "check", "shop").exit_code == 6
    assert run("handover", "waive", "shop", "timezone").exit_code == 2  # --reason missing
    assert run("handover", "sign", "shop", "training-held").exit_code == 2  # --by missing
    assert run("handover", "sign", "shop", "nope", "--by", "x").exit_code == 2
    assert run("handover", "complete", "shop", "--by", "x").exit_code == 2
    assert run("handover", "check", "ghost").exit_code == 3
    assert run("handover", "report", "shop", "--format", "json", "-o",
               str(tmp_path)).exit_code == 0
    saved = json.loads((tmp_path / "shop-handover-report.json").read_text())
    assert saved["verdict"] == "Blocked" and len(saved["items"]) >= 38
    history = json.loads(run("handover", "history", "shop", "--json").output)
    assert len(history["runs"]) == 1


@pytest.mark.parametrize("environment, expected", [("production", "fail"), ("local", "warn")])
def test_probes_on_a_plain_http_site(environment, expected):
    import responses as fake

    from handoff.handover.probes import run_probes

    with fake.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get("http://shop.example/robots.txt", body="User-agent: *\nDisallow: /\n")
        mock.get("http://shop.example/wp-sitemap.xml", body="<xml/>",
                 content_type="application/xml")
        mock.get(re.compile(r"http://shop\.example/handoff-check-.*"), body="home", status=200)
        probes = run_probes("http://shop.example", environment)
    assert probes["https"][0] == expected and probes["https_redirect"][0] == expected
    assert probes["robots"] == ("fail", "robots.txt says Disallow: / to every crawler")
    assert probes["sitemap"] == ("pass", "/wp-sitemap.xml")
    assert probes["not_found"][0] == "fail" and "soft 404" in probes["not_found"][1]


def test_probes_when_the_site_does_not_answer():
    import responses as fake

    from handoff.handover.probes import run_probes

    with fake.RequestsMock(assert_all_requests_are_fired=False):
        probes = run_probes("http://down.example", "local")
    assert probes["robots"][0] == "warn" and probes["not_found"][0] == "warn"
