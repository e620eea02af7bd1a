"""`handoff audit`: filters, formats, files, and every bad input refused with exit 2."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.actor import acting_as


@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args), obj=app, catch_exceptions=False)
    return invoke


@pytest.fixture
def logged(app):
    """Three events on 2026-11-20, -21 and -22 at noon UTC."""
    start = datetime(2026, 11, 20, 12, tzinfo=UTC)
    for day, (action, site, result) in enumerate([("menu.push", "shop", "ok"),
                                                  ("menu.push", "bakery", "failed"),
                                                  ("handover.sign", "shop", "ok")]):
        app.audit.clock = lambda day=day: start + timedelta(days=day)
        with acting_as("cli:sam" if day < 2 else "dashboard:alice"):
            app.audit.record(action, site, f"{action} on {site}", result=result, day=day)


def test_the_table_shows_newest_first_with_a_count(run, logged):
    result = run("audit")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    sign, push = (next(i for i, line in enumerate(lines) if word in line)
                  for word in ("handover.sign", "menu.push"))
    assert sign < push and "3 of 3 events" in result.output
    assert "2026-11-22 12:00" in lines[sign] and "dashboard:" in lines[sign]


def test_filters_and_json_on_standard_output(run, logged):
    result = run("audit", "--site", "shop", "--action", "menu", "--format", "json")
    assert [e["summary"] for e in json.loads(result.output)] == ["menu.push on shop"]
    result = run("audit", "--since", "2026-11-21", "--until", "2026-11-21", "--result",
                 "failed", "--actor", "cli:sam", "--format", "json")
    assert [e["site"] for e in json.loads(result.output)] == ["bakery"]


def test_an_unknown_site_is_simply_no_events(run, logged):
    result = run("audit", "--site", "nowhere")
    assert result.exit_code == 0 and "No audit events match" in result.output
    assert json.loads(run("audit", "--site", "nowhere", "--format", "json").output) == []


def test_the_format_follows_the_file_name(run, logged, tmp_path):
    result = run("audit", "-o", str(tmp_path / "log.csv"), "--limit", "2")
    assert result.exit_code == 0 and "Wrote 2 events" in result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "log.csv").read_text())))
    assert [r["action"] for r in rows] == ["handover.sign", "menu.push"]
    run("audit", "-o", str(tmp_path / "all.json"), "--limit", "0")
    assert len(json.loads((tmp_path / "all.json").read_text())) == 3


@pytest.mark.parametrize("args, words", [
    (["--since", "2026-02-30"], "since: '2026-02-30' is not a date"),
    (["--until", "next week"], "until: 'next week' is not a date or time"),
    (["--since", "2026-11-22", "--until", "2026-11-21"], "until: must be later than since"),
    (["--result", "maybe"], "result: 'maybe' is not a result"),
    (["--action", "DROP TABLE"], "action: 'DROP TABLE' is not an action"),
    (["--format", "xml"], "'xml' is not one of"),
    (["--limit", "-1"], "-1 is not in the range"),
    (["--limit", "many"], "'many' is not a valid integer"),
    (["-o", "log.txt"], "Cannot tell the format of 'log.txt'"),
    (["-o", "log.csv", "--format", "table"], "A table is for reading on screen"),
])
def test_bad_input_is_refused_with_exit_2(run, logged, args, words, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    result = run("audit", *args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert list(out.iterdir()) == []  # no file written


def test_an_unwritable_output_is_a_clear_error(run, logged, tmp_path):
    result = run("audit", "-o", str(tmp_path / "missing" / "log.json"))
    assert result.exit_code == 1 and "Cannot write" in result.output
