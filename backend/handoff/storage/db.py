"""The store: one engine, sessions, and the schema kept at this code's migration.

SQLite (the embedded default) migrates itself when opened. Any other engine is shared by a
team, so opening it never changes its schema: a database behind this code asks for
`handoff db upgrade`, one ahead of it asks for a newer Handoff.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from handoff.storage import engines
from handoff.storage.engines import StoreError
from handoff.storage.limits import refuse_unstorable_text
from handoff.storage.permissions import create_private_file, private_directory

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_COMMAND = "handoff db upgrade"


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# Each SQLite connection: foreign keys (SQLite ignores them unless asked); WAL, so that
# readers never wait for the writer nor the writer for readers, with synchronous=NORMAL
# (a commit is not fsynced on its own, the WAL is at checkpoints: still never corrupt);
# and a writer that finds the lock taken waits for it (busy_timeout) instead of failing.
SQLITE_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL",
                  "PRAGMA synchronous=NORMAL", f"PRAGMA busy_timeout={60_000}")
# Bulk jobs work on many sites at once, each thread with short transactions: enough
# connections that they seldom wait for one, and a wait long enough never to fail a site.
POOL = {"pool_size": 10, "max_overflow": 60, "pool_timeout": 300}


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    _one_writer_at_a_time(engine)


def _one_writer_at_a_time(engine: Engine) -> None:
    """Writers of this process take turns on a lock of ours, from their first write to
    their commit or rollback: the span SQLite's own write lock is held.

    SQLite lets one transaction write at a time, and a writer finding the lock taken
    polls for it with growing sleeps (up to 100 ms): with dozens of threads writing,
    most of the time went to sleeping while the lock was free, and past the busy timeout
    the write failed. Queued here, each writer starts the moment the previous one ends;
    the busy timeout remains for other processes (queued workers on this machine).
    """
    lock = threading.RLock()  # a thread's nested session must not wait for itself

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(connection, _cursor, statement, *_args):
        info = connection.info
        if not info.get("writing") and statement.lstrip()[:6].upper() in _WRITES:
            lock.acquire()
            info["writing"] = True

    def _done(info) -> None:
        if info.pop("writing", False):
            with suppress(RuntimeError):  # given back by another thread (garbage collected)
                lock.release()

    event.listen(engine, "commit", lambda connection: _done(connection.info))
    event.listen(engine, "rollback", lambda connection: _done(connection.info))
    # A connection given back without either (an error while committing) lets go too.
    event.listen(engine.pool, "reset", lambda _dbapi, record, _state: _done(record.info))
    event.listen(engine.pool, "checkin", lambda _dbapi, record: _done(record.info))


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this code's migrations."""

    current: str | None  # None: no Handoff tables yet
    head: str
    known: bool  # whether this code has the current revision among its migrations

    @property
    def status(self) -> str:
        """'current', 'empty', 'behind' or 'ahead' (written by a newer Handoff)."""
        if self.current == self.head:
            return "current"
        if self.current is None:
            return "empty"
        return "behind" if self.known else "ahead"

    @property
    def needs_upgrade(self) -> bool:
        return self.status in ("empty", "behind")


class Store:
    """The database behind the backend."""

    def __init__(self, url: str | URL) -> None:
        self.url = engines.database_url(url) if isinstance(url, str) else url
        self.engine_name = engines.engine_name(self.url)
        # pre_ping: a pooled connection the server dropped (restart, idle timeout,
        # administrator) is replaced before use instead of failing the next operation.
        in_memory = self._sqlite_file() is None and self.engine_name == "sqlite"
        self.engine = create_engine(self.url, pool_pre_ping=self.engine_name != "sqlite",
                                    connect_args=engines.connect_args(self.url),
                                    **({} if in_memory else POOL))
        if self.engine_name == "sqlite":
            _configure_sqlite(self.engine)
            event.listen(self.engine, "do_connect", self._create_private_sqlite_file)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", refuse_unstorable_text)

    @property
    def display_url(self) -> str:
        """The URL with its password masked."""
        return engines.display(self.url)

    # -- schema ----------------------------------------------------------------------------

    def head_revision(self) -> str:
        return self._scripts.get_current_head()

    def current_revision(self) -> str | None:
        if self._sqlite_file() and not self._sqlite_file().exists():
            return None  # asking would create the file
        with self._connection() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def schema(self) -> SchemaState:
        """The database's revision against this code's newest migration."""
        current = self.current_revision()
        known = current is None or current in {s.revision for s in self._scripts.walk_revisions()}
        return SchemaState(current=current, head=self.head_revision(), known=known)

    def migrate(self) -> tuple[str | None, str]:
        """Bring the schema to the newest migration; return (from, to) revisions."""
        state = self.schema()
        if state.status == "ahead":
            raise self._ahead_error(state)
        if state.needs_upgrade:
            self._make_sqlite_directory()
            with self._translated():
                command.upgrade(_alembic_config(self.engine), "head")
        return state.current, state.head

    def open(self) -> Store:
        """Make sure the schema fits this code: SQLite migrates itself, others must be current."""
        self._check_engine()
        state = self.schema()
        if state.status == "ahead":
            raise self._ahead_error(state)
        if state.needs_upgrade:
            if self.engine_name != "sqlite":
                raise self._behind_error(state)
            self.migrate()
        return self

    # -- sessions --------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on any error."""
        session = self._sessions()
        try:
            with self._translated():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    # -- helpers ---------------------------------------------------------------------------

    def _create_private_sqlite_file(self, *_connect_arguments) -> None:
        """Before SQLite creates the database (0644), create it empty and 0600 ourselves.

        An empty file is an empty SQLite database; SQLite then gives its journal, WAL and
        shared-memory files the same mode.
        """
        path = self._sqlite_file()
        if path is not None and not path.exists():
            self._make_sqlite_directory()
            create_private_file(path)

    def _make_sqlite_directory(self) -> None:
        path = self._sqlite_file()
        if path is None:
            return
        try:
            private_directory(path.parent)
        except OSError as error:
            raise StoreError(f"Cannot create the directory of the SQLite database {path}: "
                             f"{error.strerror}.", "set HANDOFF_HOME (or HANDOFF_DATABASE_URL) "
                             "to a place this user can write", code="database_unreachable") \
                from error

    def _sqlite_file(self) -> Path | None:
        if self.engine_name != "sqlite" or self.url.database in (None, "", ":memory:"):
            return None
        return Path(self.url.database)

    @cached_property
    def _scripts(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(_alembic_config(self.engine))

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Turn the driver's connection failures into a StoreError with a fix."""
        try:
            yield
        except (OperationalError, InterfaceError) as error:
            raise self._failure(error) from error

    def _failure(self, error: DBAPIError) -> StoreError:
        if error.statement is None:  # failed while connecting: nothing was sent
            return engines.unreachable(error, self.url)
        return engines.lost(error, self.url)

    def _check_engine(self) -> None:
        if self.engine_name != "postgresql":
            return
        with self._connection() as connection:
            encoding = connection.execute(text("SHOW server_encoding")).scalar()
        if encoding != "UTF8":
            raise StoreError(f"The PostgreSQL database {self.display_url} uses the {encoding} "
                             "encoding; handbooks and intakes hold text in many languages.",
                             "create the database with ENCODING 'UTF8' (docs/database.md)",
                             code="database_encoding")

    def _behind_error(self, state: SchemaState) -> StoreError:
        where = "has no Handoff tables yet" if state.current is None else \
            f"is at schema revision {state.current}"
        return StoreError(f"The database {self.display_url} {where}; this Handoff needs "
                          f"revision {state.head}.",
                          f"run `{UPGRADE_COMMAND}` once (it migrates the shared database "
                          "for everyone using it)", code="schema_behind")

    def _ahead_error(self, state: SchemaState) -> StoreError:
        return StoreError(f"The database {self.display_url} is at schema revision "
                          f"{state.current}, written by a newer Handoff than this one "
                          f"(which knows up to {state.head}).",
                          "upgrade Handoff on this machine to the version the database "
                          "was upgraded with", code="schema_ahead")
