"""`handoff menu …` offline: presets, validate, and every bad input refused before sending."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.menu_presets import preset
from handoff.wordpress.profile_api import (
    NoSuchVersion,
    ProfileRejected,
    VersionConflict,
    fault_refusal,
    profile_refusal,
)


@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), obj=app, input=input, catch_exceptions=False)
    return invoke


def test_presets_list_and_print(run):
    listed = json.loads(run("menu", "presets", "--json").output)
    assert {row["name"] for row in listed} >= {"content-editor", "shop-manager"}
    printed = run("menu", "presets", "blogger")
    assert json.loads(printed.output) == preset("blogger")


def test_validate_accepts_a_good_profile_from_a_file_and_stdin(run, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(preset("content-editor")))
    assert run("menu", "validate", str(path)).exit_code == 0
    piped = run("menu", "validate", "-", input=json.dumps(preset("blogger")))
    assert piped.exit_code == 0 and "valid menu profile" in piped.output


def test_validate_lists_every_problem_and_exits_2(run, tmp_path):
    bad = {**preset("content-editor"), "name": "<b>", "combine": "whatever"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = run("menu", "validate", str(path))
    assert result.exit_code == 2
    assert "2 problems" in result.output and "name" in result.output
    assert "combine" in result.output


@pytest.mark.parametrize("args, code, words", [
    (["menu", "validate", "missing.json"], 2, "Cannot read missing.json"),
    (["menu", "validate", "preset:nope"], 3, "No menu preset named 'nope'"),
    (["menu", "push", "preset:content-editor"], 2, "No sites chosen"),
    (["menu", "push", "ghost", "preset:content-editor"], 3, "No site named 'ghost'"),
    (["menu", "push", "--tag", "retainer", "preset:content-editor"], 3,
     "No site has the tag 'retainer'"),
    (["menu", "push", "--all", "preset:content-editor", "--concurrency", "0"], 2,
     "Invalid value"),
    (["menu", "preview", "ghost", "preset:blogger", "--role", "a", "--user", "b"], 2,
     "not both"),
    (["menu", "status", "ghost"], 3, "No site named 'ghost'"),
    (["menu", "rollback", "ghost", "--to", "0"], 2, "Invalid value"),
    (["menu", "pull", "ghost"], 3, "No site named 'ghost'"),
])
def test_bad_input_is_refused_clearly(run, args, code, words):
    result = run(*args, input="")
    assert result.exit_code == code, result.output
    assert words in result.output


def test_a_malformed_profile_is_refused_before_any_site_is_contacted(run):
    result = run("menu", "push", "--all", "-", input='{"schema_version": 1,')
    assert result.exit_code == 2 and "invalid JSON at line 1" in result.output


def test_refusals_from_the_rest_api_are_named():
    rejected = profile_refusal("handoff_invalid_profile", "Invalid profile.",
                               {"errors": [{"path": "menu/0/state", "message": "bad"},
                                           {"path": "name", "message": "empty"}]}, "site")
    assert isinstance(rejected, ProfileRejected)
    assert rejected.problems == [("menu/0/state", "bad"), ("name", "empty")]
    assert "(and 1 more)" in rejected.cause
    conflict = profile_refusal("handoff_version_conflict", "",
                               {"current_version": 7, "replaces_version": 5}, "site")
    assert isinstance(conflict, VersionConflict) and conflict.current == 7
    assert isinstance(profile_refusal("handoff_no_such_version", "", {"version": 3}, "s"),
                      NoSuchVersion)
    assert profile_refusal("rest_no_route", "", {}, "s") is None


def test_refusals_from_xmlrpc_faults_are_named():
    rejected = fault_refusal("handoff_invalid_profile: menu/0/state: bad; name: empty", "s")
    assert rejected.problems == [("menu/0/state", "bad"), ("name", "empty")]
    conflict = fault_refusal("handoff_version_conflict: current version 7, not 5.", "s")
    assert conflict.current == 7
    assert fault_refusal("something else: x", "s") is None
