"""HANDOFF_HOME and the files in it are private to their user: created so, and checked on start.

The store holds the sites' inventories (logins and e-mails of their users) and the
dashboard's password hash; secret.key decrypts every site password.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from handoff.app import Handoff
from handoff.cli import main
from handoff.config import Settings
from handoff.storage import permissions
from handoff.web import create_app
from handoff.web.accounts import session_secret

# These tests are about the SQLite file in HANDOFF_HOME, whatever engine the run uses.
pytestmark = pytest.mark.own_store


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: whatever is private is so because Handoff made it so."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "not-yet" / "handoff-home"


def backend(home: Path) -> Handoff:
    return Handoff(settings=Settings(data_dir=home, database_url=f"sqlite:///{home}/handoff.db"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def made(home: Path) -> Handoff:
    """A backend whose store, secret key and dashboard key exist."""
    handoff = backend(home)
    handoff.vault.encrypt("x")
    handoff.store.engine.dispose()
    session_secret(handoff)
    return handoff


@pytest.mark.usefixtures("open_umask")
def test_a_new_home_its_database_and_keys_are_private(home):
    made(home)
    assert oct(mode(home)) == oct(0o700)
    for name in ("handoff.db", "secret.key", "dashboard.key"):
        assert oct(mode(home / name)) == oct(0o600), name


@pytest.mark.usefixtures("open_umask")
def test_the_wal_and_shared_memory_files_are_private_too(home):
    made(home)
    connection = sqlite3.connect(home / "handoff.db")
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("create table scratch (x)")
        connection.commit()
        for suffix in ("-wal", "-shm"):
            assert oct(mode(home / f"handoff.db{suffix}")) == oct(0o600), suffix
    finally:
        connection.close()


@pytest.mark.usefixtures("open_umask")
def test_the_journal_is_private(home):
    made(home)
    seen: list[int] = []
    connection = sqlite3.connect(home / "handoff.db", isolation_level=None)
    try:
        connection.execute("begin immediate")
        connection.execute("create table scratch (x)")
        connection.execute("insert into scratch values (1)")
        # The write-ahead log (the store runs in WAL mode), or a rollback journal.
        journal = next(home / f"handoff.db{end}" for end in ("-wal", "-journal")
                       if (home / f"handoff.db{end}").exists())
        seen.append(mode(journal))
        connection.execute("commit")
    finally:
        connection.close()
    assert [oct(m) for m in seen] == [oct(0o600)]


def test_a_private_home_gives_no_warning(home):
    handoff = made(home)
    assert permissions.exposed(handoff.settings) == []


def loosen(home: Path) -> None:
    home.chmod(0o755)
    (home / "handoff.db").chmod(0o644)
    (home / "secret.key").chmod(0o640)


def test_a_readable_home_and_files_are_named_with_the_chmod_that_fixes_each(home):
    handoff = made(home)
    loosen(home)
    found = {item.path: item for item in permissions.exposed(handoff.settings)}
    assert set(found) == {home, home / "handoff.db", home / "secret.key"}
    assert found[home].fix == f"chmod 700 {home}"
    assert found[home / "handoff.db"].fix == f"chmod 600 {home / 'handoff.db'}"
    assert "0640" in found[home / "secret.key"].message
    assert "other users" in found[home].message


def test_the_cli_shows_each_warning_once_and_logs_it(home, caplog):
    handoff = made(home)
    loosen(home)
    caplog.set_level(logging.WARNING, logger="handoff")
    result = CliRunner().invoke(main, ["site", "list"], obj=handoff)
    assert result.exit_code == 0, result.output
    assert result.output.count(f"chmod 700 {home}") == 1
    assert result.output.count(f"chmod 600 {home / 'handoff.db'}") == 1
    assert result.output.count(f"chmod 600 {home / 'secret.key'}") == 1
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("handoff")]
    assert sum(f"chmod 700 {home}" in text for text in logged) == 1
    again = CliRunner().invoke(main, ["site", "list"], obj=handoff)
    assert "chmod" not in again.output  # once per process


def test_the_dashboard_logs_the_warnings_when_it_starts(home, caplog):
    handoff = made(home)
    loosen(home)
    caplog.set_level(logging.WARNING)
    create_app(handoff, testing=True)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert f"chmod 700 {home}" in logged and f"chmod 600 {home / 'handoff.db'}" in logged


def test_a_private_home_prints_nothing_on_the_command_line(home):
    handoff = made(home)
    result = CliRunner().invoke(main, ["site", "list"], obj=handoff)
    assert result.exit_code == 0 and "chmod" not in result.output
