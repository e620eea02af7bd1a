"""Fixtures of the offline unit tests."""

from __future__ import annotations

import re
import socket

import pytest

from handoff.web import create_app
from handoff.web.accounts import Accounts
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.xmlrpc import XmlRpcTransport


@pytest.fixture
def offline_edges(monkeypatch):
    """Names resolve, and XML-RPC is closed: only the faked REST answers matter."""
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [("ok",)])

    def no_xmlrpc(self):
        raise BridgeError("xmlrpc_disabled", url=self.url, detail="405")
    monkeypatch.setattr(XmlRpcTransport, "status", no_xmlrpc)


@pytest.fixture
def web(app):
    """The dashboard app over the test backend."""
    return create_app(app, testing=True)


@pytest.fixture
def client(web):
    return web.test_client()


# -- the dashboard's login and the API's token ---------------------------------------------

DASHBOARD_PASSWORD = "correct horse battery"


def csrf(client, path="/login") -> str:
    """The CSRF token of a page's first form."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def set_up(client, password: str = DASHBOARD_PASSWORD) -> None:
    """Create the dashboard's login "me" through the first-run form."""
    response = client.post("/setup", data={"csrf_token": csrf(client, "/setup"),
                                           "username": "me", "password": password,
                                           "repeat": password})
    assert response.status_code == 302


@pytest.fixture
def logged_in(client):
    """A client logged in to the dashboard as "me" (the login made through the forms)."""
    set_up(client)
    response = client.post("/login", data={"csrf_token": csrf(client), "username": "me",
                                           "password": DASHBOARD_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def auth(app) -> dict:
    """The Authorization header of a valid API token named "tests"."""
    return {"Authorization": f"Bearer {Accounts(app).create_token('tests')}"}
