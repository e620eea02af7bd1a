"""The client intake: answers read from YAML or asked, validated, stored per site."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.intake import parse_intake, set_path
from handoff.errors import InvalidInputError
from handoff.storage import Site
from tests.unit.test_intake_questions import scripted_prompts

GOOD = """
language: vi
handover_date: 2026-12-01
client: {name: Client Co, login: client, email: jane@client.example}
developer: {name: Agency, email: help@agency.example, phone: "+1 555 0100",
            website: "https://agency.example"}
support: {hours: "Mon–Fri 9–17", response_time: one working day}
responsibilities: {client: [Writing content], developer: [Updates, Backups]}
"""


@pytest.fixture
def site(app):
    with app.store.session() as session:
        session.add(Site(name="shop", url="https://shop.example", rest_url="x", xmlrpc_url="x",
                         username="u", secret=app.vault.encrypt("p"),
                         created_at=datetime.now(UTC)))
    return "shop"


@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), obj=app, input=input, catch_exceptions=False)
    return invoke


def test_good_answers_are_read_with_dates_as_text():
    answers = parse_intake(GOOD)
    assert answers["handover_date"] == "2026-12-01" and answers["language"] == "vi"


@pytest.mark.parametrize("text, words", [
    ("client: [unclosed", "not valid YAML at line 1"),
    ("language: fr", "language: 'fr' is not one of"),
    ("developer: {email: nope}", "developer/email: 'nope' must be an e-mail address"),
    ("developer: {website: 'javascript:alert(1)'}", "must be an http:// or https:// address"),
    ("handover_date: 2026-02-30", "handover_date"),
    ("favourite_colour: blue", "'favourite_colour' was unexpected"),
    ("support: {hours: " + "x" * 300 + "}", "is too long"),
    ("- a list", "is not of type 'object'"),
])
def test_bad_answers_are_refused_with_their_place(text, words):
    with pytest.raises(InvalidInputError) as caught:
        parse_intake(text)
    assert words in caught.value.cause


def test_oversized_answers_are_refused():
    with pytest.raises(InvalidInputError) as caught:
        parse_intake("x: " + "y" * 70_000)
    assert caught.value.code == "intake_too_large"


def test_set_path_adds_and_clears_fields():
    answers = set_path({}, "developer.email", "a@b.example")
    assert answers == {"developer": {"email": "a@b.example"}}
    assert set_path(answers, "developer.email", "") == {}


def test_the_cli_stores_shows_and_refuses(run, app, site, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(GOOD, encoding="utf-8")
    saved = run("intake", site, "--from", str(path))
    assert saved.exit_code == 0 and "Saved the intake of shop" in saved.output
    shown = yaml.safe_load(run("intake", site, "--show").output)
    assert shown["developer"]["email"] == "help@agency.example"
    as_json = json.loads(run("intake", site, "--show", "--json").output)
    assert as_json["client"]["login"] == "client"

    bad = run("intake", site, "--from", "-", input="developer: {email: nope}")
    assert bad.exit_code == 2 and "must be an e-mail address" in bad.output
    assert app.intakes.get(site) == shown, "a refused intake changes nothing"
    assert run("intake", "ghost", "--from", str(path)).exit_code == 3
    assert run("intake", site, "--from", str(tmp_path / "none.yaml")).exit_code == 2


def test_asking_needs_a_terminal(run, site):
    result = run("intake", site, input="")
    assert result.exit_code == 2 and "--from FILE" in result.output


@pytest.mark.parametrize("args, code, words", [
    (["handbook", "build", "ghost"], 3, "No site named 'ghost'"),
    (["handbook", "build", "shop", "--lang", "fr"], 2, "Invalid value for '--lang'"),
    (["handbook", "build", "shop", "--format", "docx"], 2, "Invalid value for '--format'"),
    (["handbook", "build", "shop", "--offline"], 2, "has not been synced yet"),
    (["handbook", "build", "shop", "--offline", "--templates", "/no/such/dir"], 2,
     "has not been synced yet"),
    (["handbook", "status", "ghost"], 3, "No site named 'ghost'"),
    (["handbook", "unpublish", "ghost", "--yes"], 3, "No site named 'ghost'"),
])
def test_handbook_commands_refuse_bad_input(run, site, args, code, words):
    result = run(*args, input="")
    assert result.exit_code == code, result.output
    assert words in result.output


def test_interrupting_the_intake_keeps_every_valid_answer(monkeypatch, run, app, site):
    scripted_prompts(monkeypatch, {
        "Client: Organisation name": ["New Client Co"],
        "Developer: Support e-mail": ["help@agency.example"],
        "Support: Support hours": ["^C"]})
    monkeypatch.setattr("handoff.cli.intake._has_terminal", lambda: True)
    app.intakes.save(site, {"updates": {"policy": "Weekly"}, "client": {"name": "Old Co"}})
    result = run("intake", site)
    assert result.exit_code == 1
    assert "Interrupted" in result.output and "kept" in result.output
    assert app.intakes.get(site) == {"updates": {"policy": "Weekly"},
                                     "client": {"name": "New Client Co"},
                                     "developer": {"email": "help@agency.example"}}
