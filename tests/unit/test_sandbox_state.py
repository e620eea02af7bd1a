"""The sandbox's files: state.json (pids, port) and credentials.json (secrets)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from handoff.sandbox.credentials import (
    PASSWORD_ALPHABET,
    SALT_NAMES,
    load_or_create_credentials,
)
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.state import State, load_state, save_state


def test_state_round_trips(tmp_path):
    path = tmp_path / "state.json"
    state = State(port=8123, mariadb_pid=100, server_pid=200, fpm_pid=300, server="apache")
    save_state(path, state)
    assert load_state(path) == state
    assert json.loads(path.read_text()) == {"port": 8123, "mariadb_pid": 100,
                                            "server_pid": 200, "fpm_pid": 300,
                                            "server": "apache"}


def test_state_of_an_older_sandbox_without_server_still_loads(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"port": 8123, "mariadb_pid": 100, "server_pid": 200}')
    assert load_state(path) == State(8123, 100, 200, fpm_pid=None, server=None)


@pytest.mark.parametrize("text", ['{"server": 1}', '{"fpm_pid": "12"}', '{"server": null}'])
def test_mistyped_server_facts_are_ignored(tmp_path, text):
    path = tmp_path / "state.json"
    path.write_text(text)
    assert load_state(path) == State()


def test_missing_state_is_empty(tmp_path):
    assert load_state(tmp_path / "nope.json") == State()


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"port": "8080"}',
                                  '{"port": true}'])
def test_unreadable_or_mistyped_state_is_ignored(tmp_path, text):
    path = tmp_path / "state.json"
    path.write_text(text)
    assert load_state(path).port is None


def test_unknown_keys_are_ignored(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"port": 8123, "future": 1}')
    assert load_state(path) == State(port=8123)


def test_stopped_state_keeps_the_port_for_the_next_start():
    assert State(8123, 1, 2).stopped() == State(port=8123)
    assert State(8123, 1, 2, 3, "apache").stopped() == State(port=8123)


def test_save_leaves_no_temporary_file(tmp_path):
    save_state(tmp_path / "state.json", State(port=1))
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_credentials_are_generated_once_and_kept_private(tmp_path):
    path = tmp_path / "credentials.json"
    first = load_or_create_credentials(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_credentials(path) == first
    assert set(first.salts) == set(SALT_NAMES)
    for password in (first.admin_password, first.client_password, first.database_password):
        assert len(password) >= 16 and set(password) <= set(PASSWORD_ALPHABET)
    assert len({first.admin_password, first.client_password, first.database_password}) == 3


def test_damaged_credentials_are_a_clear_error(tmp_path):
    path = tmp_path / "credentials.json"
    path.write_text("{broken")
    with pytest.raises(SandboxError, match="damaged") as caught:
        load_or_create_credentials(path)
    assert "delete its directory" in caught.value.fix
