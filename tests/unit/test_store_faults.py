"""PostgreSQL going away under the store: nothing half-written, and the next operation works.

The session's private server is real, so are the failures: a backend ended with
pg_terminate_backend between two writes, every idle connection cut, a server restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from handoff.app import Handoff
from handoff.config import Settings
from handoff.storage import Site
from handoff.storage.engines import StoreError
from tests.helpers import store_rows

pytestmark = pytest.mark.own_store
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def pg_app(postgres_database, tmp_path) -> Iterator[Handoff]:
    """A backend on PostgreSQL, whatever engine the rest of this run uses."""
    handoff = Handoff(settings=Settings(data_dir=tmp_path, database_url=postgres_database))
    yield handoff
    handoff.store.engine.dispose()


@pytest.fixture
def tagged_site(pg_app) -> str:
    with pg_app.store.session() as session:
        session.add(Site(name="client", url="https://client.example", rest_url="r",
                         xmlrpc_url="x", username="bridge", secret="s",
                         created_at=datetime.now(UTC)))
    pg_app.sites.tag("client", add=["old"])
    return "client"


@contextmanager
def connection_cut_before_write(app: Handoff, postgres, number: int) -> Iterator[list[str]]:
    """End the server process of the store's connection right before its n-th write.

    Yields the write statements seen, so a test can show the operation really wrote twice.
    """
    writes: list[str] = []

    def before_cursor_execute(connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in WRITES:
            writes.append(statement)
            if len(writes) == number:
                pid = connection.connection.driver_connection.info.backend_pid
                assert postgres.terminate_backend(pid)

    event.listen(app.store.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield writes
    finally:
        event.remove(app.store.engine, "before_cursor_execute", before_cursor_execute)


def tags(app: Handoff) -> list[str]:
    return [tag for (tag,) in store_rows(app, "select tag from site_tags order by tag")]


def test_a_connection_lost_between_two_writes_rolls_the_operation_back(pg_app, postgres,
                                                                       tagged_site):
    with connection_cut_before_write(pg_app, postgres, 2) as writes, \
            pytest.raises(StoreError) as caught:
        pg_app.sites.tag(tagged_site, add=["new"], remove=["old"])  # a DELETE and an INSERT
    assert all("site_tags" in statement for statement in writes[:2])  # it did write twice
    assert caught.value.code == "database_failed" and "rolled back" in caught.value.cause
    assert tags(pg_app) == ["old"]  # neither the delete nor the insert stayed
    assert pg_app.sites.tag(tagged_site, add=["new"], remove=["old"]) == ["new"]
    assert tags(pg_app) == ["new"]


def test_the_error_through_the_cli_is_a_message_not_a_traceback(pg_app, postgres,
                                                                 tagged_site):
    from click.testing import CliRunner

    from handoff.cli import main

    with connection_cut_before_write(pg_app, postgres, 2):
        result = CliRunner().invoke(main, ["site", "tag", tagged_site, "new", "--remove",
                                           "old"], obj=pg_app)
    assert result.exit_code == 1, result.output
    assert "Error: The postgresql database failed during the operation" in result.output
    assert "Fix: run the command again" in result.output and "Traceback" not in result.output
    assert tags(pg_app) == ["old"]


def test_idle_connections_cut_by_the_server_are_replaced(pg_app, postgres, tagged_site):
    database = pg_app.store.url.database
    assert pg_app.sites.get(tagged_site).tags == ["old"]  # a connection now waits in the pool
    cut = postgres.backends(database)
    assert cut and all(postgres.terminate_backend(pid) for pid in cut)
    assert pg_app.sites.get(tagged_site).tags == ["old"]  # pre-ping found and replaced it
    assert not set(postgres.backends(database)) & set(cut)


def test_the_store_works_again_after_a_server_restart(pg_app, postgres, tagged_site):
    assert pg_app.sites.tag(tagged_site, add=["before"]) == ["before", "old"]
    postgres.restart()
    assert pg_app.sites.tag(tagged_site, add=["after"]) == ["after", "before", "old"]
