"""The engines the store runs on: URLs as users write them, and failures as users read them.

SQLite is the embedded default; PostgreSQL is reached through psycopg (3). A URL written
`postgresql://…` (or `postgres://…`) gets its driver here and nowhere else.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from handoff.errors import HandoffError, InvalidInputError

POSTGRESQL_DRIVER = "postgresql+psycopg"
CONNECT_TIMEOUT = 10  # seconds; a server that does not answer should not hang a command
URL_FORMS = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:////PATH/TO/handoff.db"
_PASSWORD_IN_TEXT = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


class StoreError(HandoffError):
    """The database cannot be reached or used as it is; nothing was changed."""


def database_url(text: str) -> URL:
    """Return the SQLAlchemy URL of a HANDOFF_DATABASE_URL; refuse what Handoff cannot use."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):  # not echoed: it may hold a password in any shape
        raise InvalidInputError("The database URL (HANDOFF_DATABASE_URL) cannot be read.",
                                f"write it as {URL_FORMS}", code="database_url") from None
    if url.get_backend_name() in ("postgresql", "postgres"):
        return _postgresql_url(url)
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url
    raise InvalidInputError(f"Handoff cannot store its data in {url.drivername}:// databases.",
                            f"use PostgreSQL or SQLite: {URL_FORMS}", code="database_engine")


def _postgresql_url(url: URL) -> URL:
    if "+" in url.drivername and url.drivername != POSTGRESQL_DRIVER:
        raise InvalidInputError(f"{url.drivername}:// asks for a PostgreSQL driver Handoff "
                                "does not use.", "write the URL as postgresql://… (Handoff "
                                "connects through psycopg)", code="database_driver")
    if not url.database:
        raise InvalidInputError(f"The database URL {display(url)} names no database.",
                                f"end it with /DATABASE: {URL_FORMS}", code="database_url")
    return url.set(drivername=POSTGRESQL_DRIVER)


def engine_name(url: URL) -> str:
    """'sqlite' or 'postgresql'."""
    return url.get_backend_name()


def display(url: URL) -> str:
    """The URL as users write it, password masked: safe for messages and logs."""
    shown = url.set(drivername=engine_name(url))
    if "password" in shown.query:
        shown = shown.update_query_dict({"password": "***"})
    return shown.render_as_string(hide_password=True)


def mask(text: str) -> str:
    """A URL-like text with any password replaced by ***, for input that did not parse."""
    return _PASSWORD_IN_TEXT.sub(r"\1***@", text.strip())


def connect_args(url: URL) -> dict:
    return {"connect_timeout": CONNECT_TIMEOUT} if engine_name(url) == "postgresql" else {}


# What the server or libpq says (all of these, in lower case) -> what to do about it.
_POSTGRESQL_FIXES = (
    (("password authentication failed",), "check the user name and password in "
     "HANDOFF_DATABASE_URL (docs/database.md shows how to create the role)"),
    (("database", "does not exist"), "create the database (docs/database.md), or correct its "
     "name in HANDOFF_DATABASE_URL"),
    (("role", "does not exist"), "create the role (docs/database.md), or correct the user in "
     "HANDOFF_DATABASE_URL"),
    (("connection refused",), "start the PostgreSQL server, or correct the host and port in "
     "HANDOFF_DATABASE_URL"),
    (("timeout",), "check that the PostgreSQL server is running and reachable from here"),
    (("resolve host",), "correct the host name in HANDOFF_DATABASE_URL"),
    (("translate host",), "correct the host name in HANDOFF_DATABASE_URL"),
    (("starting up",), "wait until the PostgreSQL server has started, then try again"),
    (("shutting down",), "start the PostgreSQL server again, then try again"),
)


def unreachable(error: DBAPIError, url: URL) -> StoreError:
    """The error for a database that cannot be opened: what the server said, and a fix."""
    reason = _reason(error)
    if engine_name(url) == "sqlite":
        return StoreError(f"Cannot open the SQLite database {url.database}: {reason}.",
                          "check that the file's directory exists and is writable "
                          "(HANDOFF_HOME), or set HANDOFF_DATABASE_URL",
                          code="database_unreachable")
    lowered = reason.lower()
    fix = next((fix for needles, fix in _POSTGRESQL_FIXES
                if all(needle in lowered for needle in needles)),
               "check that the PostgreSQL server is running and HANDOFF_DATABASE_URL is right")
    return StoreError(f"Cannot connect to the PostgreSQL database {display(url)}: {reason}.",
                      fix, code="database_unreachable")


def lost(error: DBAPIError, url: URL) -> StoreError:
    """The error for a database that failed in the middle of an operation (rolled back)."""
    return StoreError(f"The {engine_name(url)} database failed during the operation, which was "
                      f"rolled back: {_reason(error)}.",
                      "run the command again; if it keeps failing, check the database server",
                      code="database_failed")


def _reason(error: DBAPIError) -> str:
    """The driver's first line, without SQLAlchemy's wrapping, the address, or passwords."""
    text = str(getattr(error, "orig", None) or error).strip() or type(error).__name__
    text = text.splitlines()[0].removeprefix("connection failed: ")
    text = re.sub(r"connection to server at \S+, port \d+ failed: ", "", text)
    return mask(text.replace("FATAL:  ", "").strip()).rstrip(".")
