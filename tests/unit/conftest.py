"""Fixtures of the offline unit tests."""

from __future__ import annotations

import socket

import pytest

from handoff.web import create_app
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
