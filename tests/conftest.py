"""Fixtures shared by every test folder."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from handoff.app import Handoff
from handoff.config import Settings
from handoff.sandbox import Sandbox
from handoff.storage import Store
from handoff.wordpress.http import Timeouts
from tests.postgres_server import PostgresServer
from tests.redis_server import RedisServer

# The engine every store of this run uses: `HANDOFF_TEST_DATABASE=postgresql make test-unit`
# runs the same tests against a private PostgreSQL server (tests/postgres_server.py).
ENGINES = ("sqlite", "postgresql")
TEST_ENGINE = os.environ.get("HANDOFF_TEST_DATABASE", "sqlite")
TEMPLATE_DATABASE = "handoff_template"
_database_numbers = itertools.count(1)
# The sandbox of the integration, e2e and PHPUnit legs: `HANDOFF_TEST_WORDPRESS=6.8 make
# test-integration` runs them on WordPress 6.8; `HANDOFF_TEST_SERVER=apache` behind Apache.
TEST_WORDPRESS = os.environ.get("HANDOFF_TEST_WORDPRESS", "6.1")
TEST_SERVER = os.environ.get("HANDOFF_TEST_SERVER", "php")


def pytest_configure(config) -> None:
    if TEST_ENGINE not in ENGINES:
        raise pytest.UsageError(f"HANDOFF_TEST_DATABASE={TEST_ENGINE!r}: use one of "
                                f"{', '.join(ENGINES)}")


def pytest_report_header(config) -> list[str]:
    return [f"store engine: {TEST_ENGINE} (HANDOFF_TEST_DATABASE)",
            f"sandbox: WordPress {TEST_WORDPRESS} (HANDOFF_TEST_WORDPRESS) on {TEST_SERVER} "
            "(HANDOFF_TEST_SERVER)"]


# -- the store's database ----------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the session, on loopback; always stopped."""
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres) -> str:
    """A database migrated once per session; each test gets a copy of it."""
    postgres.create_database(TEMPLATE_DATABASE)
    store = Store(postgres.url(TEMPLATE_DATABASE))
    store.migrate()
    store.engine.dispose()  # a template must have no open sessions to be copied
    return TEMPLATE_DATABASE


@pytest.fixture
def postgres_database(postgres, postgres_template) -> Iterator[str]:
    """The URL of a fresh, migrated PostgreSQL database of this test's own; dropped after."""
    name = f"handoff_test_{next(_database_numbers)}"
    url = postgres.create_database(name, template=postgres_template)
    try:
        yield url
    finally:
        postgres.drop_database(name)


@pytest.fixture
def empty_postgres_database(postgres) -> Iterator[str]:
    """The URL of a PostgreSQL database without any table; dropped after."""
    name = f"handoff_empty_{next(_database_numbers)}"
    url = postgres.create_database(name)
    try:
        yield url
    finally:
        postgres.drop_database(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite store migrated once per session; each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "handoff.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path, request) -> str:
    """The store of one test on this run's engine: SQLite in its HANDOFF_HOME, or PostgreSQL.

    Both start from a copy of a store migrated once per session (migrating each test's
    store from scratch costs more than the test itself).
    """
    if TEST_ENGINE == "postgresql":
        return request.getfixturevalue("postgres_database")
    path = tmp_path / "handoff-home" / "handoff.db"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, as Handoff makes it
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _only_the_run_engine(request) -> Iterator[None]:
    """In a PostgreSQL run, fail a test that quietly built a SQLite store of its own."""
    if TEST_ENGINE == "sqlite" or request.node.get_closest_marker("own_store"):
        yield
        return
    opened: list[str] = []

    def on_connect(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            opened.append("sqlite")

    event.listen(Pool, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Pool, "connect", on_connect)
    if opened:
        pytest.fail("This test opened a SQLite store in a PostgreSQL run: build stores from "
                    "the `app` or `database_url` fixture, or mark it own_store (with why).")


# -- the backend -------------------------------------------------------------------------


@pytest.fixture
def handoff_home(tmp_path, monkeypatch, database_url) -> Path:
    """A private HANDOFF_HOME so no test touches a real user's data directory.

    The environment points at this test's store too, so the CLI without `obj`, and any
    `handoff` subprocess, use it: SQLite's default file in HANDOFF_HOME, or PostgreSQL.
    """
    home = tmp_path / "handoff-home"
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    if TEST_ENGINE == "sqlite":
        monkeypatch.delenv("HANDOFF_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("HANDOFF_DATABASE_URL", database_url)
    monkeypatch.delenv("HANDOFF_SECRET_KEY", raising=False)
    for queue_setting in ("HANDOFF_REDIS_URL", "HANDOFF_JOBS_IN_PROCESS", "HANDOFF_QUEUE",
                          "HANDOFF_JOB_LEASE_SECONDS"):
        monkeypatch.delenv(queue_setting, raising=False)  # jobs run in process unless asked
    return home


@pytest.fixture
def app(handoff_home, database_url) -> Iterator[Handoff]:
    """A backend with its own store (see `database_url`) and short timeouts."""
    settings = Settings(data_dir=handoff_home, database_url=database_url)
    handoff = Handoff(settings=settings, timeouts=Timeouts(connect=2, read=15))
    yield handoff
    if "store" in handoff.__dict__:  # close pooled connections before the database goes
        handoff.store.engine.dispose()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A private Redis for the session (tests/redis_server.py), on loopback; always stopped."""
    server = RedisServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The session's Redis, emptied for this test."""
    redis_server.client().flushall()
    return redis_server.url


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Iterator[Sandbox]:
    """One real WordPress per test session, in a temporary directory; always stopped.

    `HANDOFF_TEST_WORDPRESS=6.8` runs the session on WordPress 6.8 (default 6.1), and
    `HANDOFF_TEST_SERVER=apache` behind Apache and PHP-FPM (default PHP's server).
    """
    if TEST_SERVER == "apache":
        # Apache's workers (www-data under root) cannot enter pytest's private temp folders.
        directory = Path(tempfile.mkdtemp(prefix="handoff-sandbox-"))
    else:
        directory = tmp_path_factory.mktemp("sandbox")
    box = Sandbox(directory, wordpress=TEST_WORDPRESS, server=TEST_SERVER)
    try:
        box.start()
        yield box
    finally:
        box.stop()
        if TEST_SERVER == "apache":
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def fresh_sandbox(sandbox) -> Sandbox:
    """The session's sandbox, back in its freshly installed state (about 0.1 s)."""
    sandbox.reset()
    return sandbox
