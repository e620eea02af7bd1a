"""`handoff db status|upgrade`, and what opening a database behind or ahead of Handoff does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.storage import Store
from tests.postgres_server import LOOPBACK, free_port


@pytest.fixture
def handoff(handoff_home, monkeypatch):
    """Run `handoff` as a user would: settings from the environment, on HANDOFF_DATABASE_URL."""
    def run(*args: str, url: str | None = None):
        if url is not None:
            monkeypatch.setenv("HANDOFF_DATABASE_URL", url)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    return run


def head() -> str:
    return Store("sqlite://").head_revision()


def stamp(url: str, revision: str) -> None:
    store = Store(url)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{revision}'")
    store.engine.dispose()


# -- this run's engine -------------------------------------------------------------------

def test_status_of_a_current_store_exits_0(app, handoff, database_url):
    app.sites.list()  # opens (SQLite: creates) the store
    result = handoff("db", "status", url=database_url)
    assert result.exit_code == 0, result.output
    assert f"Head revision     {head()}" in result.output
    assert f"Current revision  {head()}" in result.output
    assert "no: the schema is current" in result.output


def test_upgrading_a_current_store_changes_nothing(app, handoff, database_url):
    app.sites.list()
    result = handoff("db", "upgrade", url=database_url)
    assert result.exit_code == 0
    assert f"is already at revision {head()}; nothing to do." in result.output


# -- PostgreSQL: upgraded on request only -------------------------------------------------

@pytest.mark.own_store
def test_an_empty_postgresql_database_is_upgraded_only_on_request(handoff, postgres,
                                                                  empty_postgres_database):
    url = empty_postgres_database
    refused = handoff("site", "list", url=url)
    assert refused.exit_code == 1
    assert "has no Handoff tables yet; this Handoff needs revision" in refused.output
    assert "Fix: run `handoff db upgrade` once" in refused.output
    assert store_tables(url) == []  # opening it created nothing

    status = handoff("db", "status", url=url)
    assert status.exit_code == 1
    assert "Engine            postgresql" in status.output
    assert "none (empty database)" in status.output and "run `handoff db upgrade`" in status.output

    upgraded = handoff("db", "upgrade", url=url)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"from revision none (empty) to {head()}." in upgraded.output
    assert handoff("db", "status", url=url).exit_code == 0
    assert handoff("site", "list", url=url).exit_code == 0


@pytest.mark.own_store
def test_a_postgresql_database_behind_asks_for_an_upgrade(handoff, postgres_database):
    stamp(postgres_database, "0001")
    refused = handoff("site", "list", url=postgres_database)
    assert refused.exit_code == 1
    assert f"is at schema revision 0001; this Handoff needs revision {head()}" in refused.output
    status = handoff("db", "status", url=postgres_database)
    assert status.exit_code == 1 and "yes: run `handoff db upgrade`" in status.output


@pytest.mark.own_store
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_database_ahead_of_this_handoff_asks_to_upgrade_handoff(handoff, request, tmp_path,
                                                                  engine):
    url = request.getfixturevalue("postgres_database") if engine == "postgresql" else \
        f"sqlite:///{tmp_path / 'ahead.db'}"
    Store(url).migrate()
    stamp(url, "9999")
    for args in (("site", "list"), ("db", "upgrade")):
        result = handoff(*args, url=url)
        assert result.exit_code == 1
        assert "is at schema revision 9999, written by a newer Handoff" in result.output
        assert "Fix: upgrade Handoff on this machine" in result.output
    status = handoff("db", "status", url=url)
    assert status.exit_code == 1 and "upgrade Handoff" in status.output
    assert Store(url).current_revision() == "9999"  # nothing was changed


# -- SQLite: the embedded default upgrades itself -------------------------------------------

@pytest.mark.own_store
def test_sqlite_status_before_first_use_creates_nothing(handoff, tmp_path):
    path = tmp_path / "new" / "handoff.db"
    result = handoff("db", "status", url=f"sqlite:///{path}")
    assert result.exit_code == 1 and "none (empty database)" in result.output
    assert not path.exists() and not path.parent.exists()
    assert handoff("site", "list", url=f"sqlite:///{path}").exit_code == 0  # migrates itself
    assert handoff("db", "status", url=f"sqlite:///{path}").exit_code == 0


# -- bad input ---------------------------------------------------------------------------

@pytest.mark.own_store
@pytest.mark.parametrize("url, message", [
    ("mysql://user:s3cret-pw@localhost/handoff", "cannot store its data in mysql://"),
    ("postgresql+psycopg2://user:s3cret-pw@localhost/handoff", "a PostgreSQL driver Handoff "
                                                               "does not use"),
    ("postgresql://user:s3cret-pw@localhost", "names no database"),
    ("postgresql://user:s3cret-pw@localhost:port/db", "cannot be read"),
    ("not a url s3cret-pw", "cannot be read"),
])
@pytest.mark.parametrize("command", [("db", "status"), ("db", "upgrade"), ("site", "list")])
def test_bad_urls_are_refused_before_connecting(handoff, url, message, command):
    result = handoff(*command, url=url)
    assert result.exit_code == 2
    assert message in result.output and "Fix:" in result.output
    assert "s3cret-pw" not in result.output


@pytest.mark.own_store
@pytest.mark.parametrize("command", [("db", "status"), ("db", "upgrade"), ("site", "list")])
def test_a_server_that_is_not_running_is_an_error_with_a_fix(handoff, command):
    url = f"postgresql://handoff:s3cret-pw@{LOOPBACK}:{free_port()}/handoff"
    result = handoff(*command, url=url)
    assert result.exit_code == 1
    assert f"Cannot connect to the PostgreSQL database postgresql://handoff:***@{LOOPBACK}" \
        in result.output
    assert "Connection refused" in result.output
    assert "Fix: start the PostgreSQL server, or correct the host and port" in result.output
    assert "s3cret-pw" not in result.output and "Traceback" not in result.output


@pytest.mark.own_store
def test_a_wrong_password_is_an_error_with_a_fix(handoff, postgres, postgres_database):
    url = postgres_database.replace(postgres.password, "s3cret-pw")
    result = handoff("db", "status", url=url)
    assert result.exit_code == 1
    assert 'password authentication failed for user "handoff"' in result.output
    assert "Fix: check the user name and password" in result.output
    assert "s3cret-pw" not in result.output and postgres.password not in result.output


@pytest.mark.own_store
def test_an_unknown_database_is_an_error_with_a_fix(handoff, postgres):
    result = handoff("site", "list", url=postgres.url("no_such_database"))
    assert result.exit_code == 1
    assert 'database "no_such_database" does not exist' in result.output
    assert "Fix: create the database (docs/database.md)" in result.output
    assert postgres.password not in result.output


@pytest.mark.own_store
def test_a_database_that_is_not_utf8_is_refused(handoff, postgres):
    postgres.admin().execute("CREATE DATABASE handoff_latin1 TEMPLATE template0 "
                             "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        result = handoff("site", "list", url=postgres.url("handoff_latin1"))
    finally:
        postgres.drop_database("handoff_latin1")
    assert result.exit_code == 1
    assert "uses the LATIN1 encoding" in result.output and "ENCODING 'UTF8'" in result.output


def store_tables(url: str) -> list[str]:
    store = Store(url)
    try:
        with store.engine.connect() as connection:
            return [name for (name,) in connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    finally:
        store.engine.dispose()



@pytest.mark.own_store
def test_two_upgrades_at_once_both_succeed(handoff_home, empty_postgres_database):
    env = {**os.environ, "HANDOFF_DATABASE_URL": empty_postgres_database}
    upgrades = [subprocess.Popen([sys.executable, "-m", "handoff", "db", "upgrade"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for _ in range(2)]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]
    assert [process.returncode for process in upgrades] == [0, 0], outputs
    assert any(f"from revision none (empty) to {head()}" in output for output in outputs)
    assert Store(empty_postgres_database).schema().status == "current"
