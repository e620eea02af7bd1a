"""Helpers shared by tests of every folder (import as `tests.helpers`)."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import text

from handoff.wordpress.connection_key import ConnectionKey
from tests.postgres_server import default_bindir

REPO = Path(__file__).resolve().parent.parent


def make_key(url: str = "https://client.example", **overrides) -> ConnectionKey:
    """Return a well-formed connection key for `url`."""
    fields = {"url": url, "rest": f"{url}/wp-json/", "xmlrpc": f"{url}/xmlrpc.php",
              "user": "handoff-bridge", "password": "AbCdEfGhIjKlMnOpQrStUvWx",
              "env": "production"}
    fields.update(overrides)
    return ConnectionKey(**fields)


class _AdminMenuParser(HTMLParser):
    """Reads wp-admin's #adminmenu: top-level names and their submenu link texts."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []
        self._depth = 0          # <ul>/<li> nesting inside #adminmenu
        self._in_menu = False
        self._capture: str | None = None  # "name" or "sub"
        self._text = ""
        self._href = ""
        self._spans = 0  # counters and screen-reader texts are spans: not part of titles

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "ul" and attributes.get("id") == "adminmenu":
            self._in_menu, self._depth = True, 0
            return
        if not self._in_menu:
            return
        if tag == "span":
            self._spans += 1
        if tag in ("ul", "li"):
            self._depth += 1
        classes = (attributes.get("class") or "").split()
        if tag == "a" and self._depth == 1:
            self._href = attributes.get("href") or ""
        if tag == "div" and "wp-menu-name" in classes:
            self._capture, self._text = "name", ""
        elif tag == "a" and self._depth == 3 and self.items:
            self._capture, self._text, self._href = "sub", "", attributes.get("href") or ""

    def handle_endtag(self, tag):
        if not self._in_menu:
            return
        if tag == "span":
            self._spans -= 1
        if tag == "div" and self._capture == "name":
            self.items.append({"title": self._text.strip(), "href": self._href, "children": []})
            self._capture = None
        elif tag == "a" and self._capture == "sub":
            self.items[-1]["children"].append({"title": self._text.strip(), "href": self._href})
            self._capture = None
        if tag in ("ul", "li"):
            self._depth -= 1
            if self._depth < 0:
                self._in_menu = False

    def handle_data(self, data):
        if self._capture and not self._spans:
            self._text += data


def admin_menu_from_html(html: str) -> list[dict]:
    """The admin menu a wp-admin page shows: [{title, href, children: [{title, href}]}].

    Counters and screen-reader texts inside titles (spans) are left out.
    """
    parser = _AdminMenuParser()
    parser.feed(html)
    return parser.items


def wp_login(base_url: str, login: str, password: str):
    """A requests.Session logged in to wp-admin through the real login form."""
    import requests

    session = requests.Session()
    session.cookies.set("wordpress_test_cookie", "WP Cookie check")
    session.post(f"{base_url}/wp-login.php", timeout=30, data={
        "log": login, "pwd": password, "testcookie": "1",
        "redirect_to": f"{base_url}/wp-admin/"})
    if not any(c.name.startswith("wordpress_logged_in") for c in session.cookies):
        raise RuntimeError(f"could not log in to {base_url} as {login}")
    return session


class QuietHTTPServer(ThreadingHTTPServer):
    """A loopback test server whose late handler errors stay silent.

    A handler still writing after the client gave up (a timeout test) would print a
    BrokenPipe traceback to stderr, seconds later, into whatever test runs then.
    """

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:
        pass


def store_rows(app, query: str, **params) -> list[tuple]:
    """Rows of a raw SQL query on the app's store, read past the backend's own code."""
    with app.store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query), params)]


def store_bytes(app) -> bytes:
    """Everything the store keeps, as the engine keeps it: the SQLite file or a pg_dump."""
    store = app.store
    if store.engine_name == "sqlite":  # the file and its write-ahead log (WAL mode)
        path = Path(store.url.database)
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    libpq_url = store.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run([str(default_bindir() / "pg_dump"), f"--dbname={libpq_url}"],
                          capture_output=True, check=True, timeout=60).stdout
