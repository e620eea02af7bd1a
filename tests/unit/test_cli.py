"""The CLI: thin, every command documented, every bad input a clear error and no change."""

from __future__ import annotations

import json
import socket

import click
import pytest
import responses
from click.testing import CliRunner

from handoff.cli import main
from handoff.cli.docs import reference
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.xmlrpc import XmlRpcTransport
from tests.helpers import REPO, make_key

URL = "https://client.example"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True}


def all_commands(command=main, path=("handoff",)):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from all_commands(sub, (*path, name))


@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), obj=app, input=input, catch_exceptions=False)
    return invoke


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [("ok",)])

    def no_xmlrpc(self):
        raise BridgeError("xmlrpc_disabled", url=self.url, detail="405")
    monkeypatch.setattr(XmlRpcTransport, "status", no_xmlrpc)
    responses.start()
    responses.get(URL, body="home", content_type="text/html")
    responses.get(f"{URL}/wp-json/", json={"namespaces": ["handoff/v1"]})
    responses.get(f"{URL}/wp-json/handoff/v1/status", json=STATUS)
    yield
    responses.stop()
    responses.reset()


@pytest.mark.parametrize("path, command", list(all_commands()), ids=lambda v: " ".join(v)
                         if isinstance(v, tuple) else "")
def test_every_command_has_help_text(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    for parameter in command.params:
        if isinstance(parameter, click.Option) and parameter.name not in ("help", "version"):
            assert parameter.help, f"{' '.join(path)} {parameter.opts} has no help"


def test_docs_cli_md_is_current():
    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(main), "run: python -m handoff.cli.docs > docs/cli.md"


def test_add_list_and_json_never_print_the_password(run, offline):
    result = run("site", "add", URL, "--key", make_key(URL).encode())
    assert result.exit_code == 0, result.output
    assert "Connected client" in result.output
    listed = run("site", "list", "--json")
    [site] = json.loads(listed.output)
    assert site["name"] == "client" and site["transport"] == "rest"
    assert "AbCdEf" not in listed.output + result.output + run("site", "list").output


def test_key_from_standard_input(run, offline):
    result = run("site", "add", "--key", "-", input=make_key(URL).encode() + "\n")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, code, words", [
    (["site", "add", URL, "--key", "garbage"], 2, "not a Handoff connection key"),
    (["site", "add", URL], 2, "No connection key given"),
    (["site", "add", URL, "--key", "x", "--transport", "ftp"], 2, "Invalid value"),
    (["site", "add", "https://other.example", "--key", make_key(URL).encode()], 4,
     "belongs to"),
    (["site", "check", "nope"], 3, "No site named 'nope'"),
    (["site", "sync", "nope"], 3, "No site named 'nope'"),
    (["site", "show", "nope"], 3, "No site named 'nope'"),
    (["site", "remove", "nope", "--yes"], 3, "No site named 'nope'"),
    (["site", "bogus"], 2, "No such command"),
])
def test_bad_input_is_a_clear_error_and_changes_nothing(run, args, code, words):
    result = run(*args, input="")
    assert result.exit_code == code, result.output
    assert words in result.output
    assert json.loads(run("site", "list", "--json").output) == []


def test_show_before_sync_says_to_sync(run, offline):
    run("site", "add", URL, "--key", make_key(URL).encode())
    result = run("site", "show", "client")
    assert result.exit_code == 2 and "handoff site sync client" in result.output


def test_remove_asks_and_can_be_declined(run, offline):
    run("site", "add", URL, "--key", make_key(URL).encode())
    declined = run("site", "remove", "client", input="n\n")
    assert declined.exit_code == 1
    assert len(json.loads(run("site", "list", "--json").output)) == 1
    assert run("site", "remove", "client", input="y\n").exit_code == 0
    assert json.loads(run("site", "list", "--json").output) == []
