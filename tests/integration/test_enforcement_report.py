"""The enforcement report end to end: `handoff menu diff` and `menu push` on the real
sandbox print, per denied item and targeted role, what each door does and why — a plugin
page with a capability of its own (closed everywhere: its capability is withheld), and a
custom post type and a plugin page sharing `edit_posts` with Posts, which the profile shows
(the reason names the capability and what keeps it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.menu_enforcement import DOOR_NAMES
from tests.profiles import PROFILE

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent / "fixtures" / "denied-doors-fixture.php"
PORTFOLIO = "edit.php?post_type=portfolio"
REPORT_PROFILE = {**PROFILE, "menu": PROFILE["menu"] + [{"slug": "fixture-reports",
                                                         "state": "denied"}]}


@pytest.fixture
def run(app, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    runner = CliRunner()

    def invoke(*args):
        result = runner.invoke(main, list(args), obj=app, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output
    return invoke


@pytest.fixture
def profile_file(app, fresh_sandbox, tmp_path):
    fresh_sandbox.add_mu_plugin("denied-doors-fixture", FIXTURE.read_text())
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(REPORT_PROFILE))
    return str(path)


def row(report: dict, slug: str, target: str = "role:editor") -> dict:
    item = next(item for item in report["items"] if item["slug"] == slug)
    return next(t for t in item["targets"] if t["target"] == target)


def test_menu_diff_reports_every_door_with_the_site_s_reasons(run, profile_file):
    report = json.loads(run("menu", "diff", "s", profile_file, "--json"))["enforcement"]

    assert report["reported"] is True
    own = row(report, "fixture-reports")
    assert own["withheld"] == ["fixture_manage_reports"]
    assert {door["status"] for door in own["doors"].values()} == {"closed"}
    portfolio = row(report, PORTFOLIO)
    assert portfolio["doors"]["screen"]["status"] == "closed"
    assert "edit_posts" not in portfolio["withheld"]  # Posts keeps it
    shared = row(report, "sandbox-reports")
    opened = {name: door for name, door in shared["doors"].items() if door["status"] != "closed"}
    assert opened and all("edit_posts" in door["reason"] for door in opened.values())

    printed = run("menu", "diff", "s", profile_file)
    assert "Enforcement:" in printed and "door" in printed
    reports_line = next(line for line in printed.splitlines()
                        if "(fixture-reports)" in line and "│" in line)
    assert [cell.strip() for cell in reports_line.split("│")[3:8]] == ["✔"] * 5
    flat = " ".join(printed.split())  # a long reason wraps
    for name, door in opened.items():
        reason = " ".join(door["reason"].split())
        assert f"(sandbox-reports), role:editor, {DOOR_NAMES[name]}: {reason}" in flat


def test_menu_push_prints_the_same_report_and_the_audit_keeps_the_open_doors(
        app, run, profile_file):
    printed = run("menu", "push", "s", profile_file)

    assert "applied as version 1" in printed and "Enforcement:" in printed
    assert "(fixture-reports)" in printed and "(sandbox-reports)" in printed
    record = json.loads(app.audit.query()[0].data)["enforcement"]
    assert any("sandbox-reports" in entry["item"] for entry in record["not_closed"])
    assert not any("fixture-reports" in entry["item"] for entry in record["not_closed"])
