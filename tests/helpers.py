"""Helpers shared by tests of every folder (import as `tests.helpers`)."""

from __future__ import annotations

from pathlib import Path

from handoff.wordpress.connection_key import ConnectionKey

REPO = Path(__file__).resolve().parent.parent


def make_key(url: str = "https://client.example", **overrides) -> ConnectionKey:
    """Return a well-formed connection key for `url`."""
    fields = {"url": url, "rest": f"{url}/wp-json/", "xmlrpc": f"{url}/xmlrpc.php",
              "user": "handoff-bridge", "password": "AbCdEfGhIjKlMnOpQrStUvWx",
              "env": "production"}
    fields.update(overrides)
    return ConnectionKey(**fields)
