"""The XML-RPC transport against a small XML-RPC server on loopback (the edge, faked)."""

from __future__ import annotations

import socket
import threading
import time
import xmlrpc.client
from http.server import BaseHTTPRequestHandler
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts
from handoff.wordpress.xmlrpc import XmlRpcTransport
from tests.helpers import QuietHTTPServer

USER, PASSWORD = "handoff-bridge", "AbCdEfGhIjKlMnOpQrStUvWx"


def _serve(server) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/xmlrpc.php"


@pytest.fixture
def xmlrpc_site():
    """Start a WordPress-like XML-RPC server; yields a function to set method behaviour."""
    behaviour = {"handoff.status": lambda u, p: {"plugin_version": "0.1.0", "user": u}}

    class Handler(SimpleXMLRPCRequestHandler):
        rpc_paths = ("/xmlrpc.php",)

        def log_message(self, *args):
            pass

    server = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Handler, allow_none=False,
                                logRequests=False)
    server.register_function(lambda: sorted(behaviour), "mt.supportedMethods")

    def dispatch(method, params):
        if method == "mt.supportedMethods":
            return sorted(behaviour)
        return behaviour[method](*params)

    server._dispatch = dispatch
    url = _serve(server)
    yield url, behaviour
    server.shutdown()
    server.server_close()


def _fault(code, text):
    def method(*_):
        raise xmlrpc.client.Fault(code, text)
    return method


def test_status_passes_username_and_password_in_the_body(xmlrpc_site):
    url, _ = xmlrpc_site
    assert XmlRpcTransport(url, USER, PASSWORD).status() == {"plugin_version": "0.1.0",
                                                            "user": USER}


@pytest.mark.parametrize("fault, expected", [
    ((403, "Incorrect username or password."), "wrong_password"),
    ((403, "handoff_forbidden: this account may not use the bridge"), "forbidden"),
    ((405, "XML-RPC services are disabled on this site."), "xmlrpc_disabled"),
    ((500, "boom"), "bad_response"),
])
def test_faults_are_classified(xmlrpc_site, fault, expected):
    url, behaviour = xmlrpc_site
    behaviour["handoff.status"] = _fault(*fault)
    with pytest.raises(BridgeError) as caught:
        XmlRpcTransport(url, USER, PASSWORD).status()
    assert caught.value.code == expected


def test_missing_method_means_the_plugin_is_missing(xmlrpc_site):
    url, behaviour = xmlrpc_site
    behaviour.pop("handoff.status")
    behaviour["wp.getUsersBlogs"] = lambda *a: []
    with pytest.raises(BridgeError) as caught:
        XmlRpcTransport(url, USER, PASSWORD).status()
    assert caught.value.code == "plugin_missing"


def test_a_list_result_is_refused_without_tripping_the_library(xmlrpc_site):
    url, behaviour = xmlrpc_site
    behaviour["handoff.status"] = lambda *a: [{"a": 1}]
    with pytest.raises(BridgeError, match="expected a struct"):
        XmlRpcTransport(url, USER, PASSWORD).status()


class _HtmlHandler(BaseHTTPRequestHandler):
    status = 200
    delay = 0.0

    def do_POST(self):
        time.sleep(self.delay)
        body = b"<html><body>Forbidden by host</body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("status, expected", [(403, "xmlrpc_disabled"),
                                              (200, "not_wordpress")])
def test_blocked_or_html_xmlrpc_endpoint(status, expected):
    handler = type("H", (_HtmlHandler,), {"status": status})
    server = QuietHTTPServer(("127.0.0.1", 0), handler)
    server.block_on_close = False
    url = _serve(server)
    try:
        with pytest.raises(BridgeError) as caught:
            XmlRpcTransport(url, USER, PASSWORD).status()
        assert caught.value.code == expected
    finally:
        server.shutdown()
        server.server_close()


def test_a_silent_server_times_out():
    handler = type("H", (_HtmlHandler,), {"delay": 3.0})
    server = QuietHTTPServer(("127.0.0.1", 0), handler)
    server.block_on_close = False
    url = _serve(server)
    try:
        started = time.monotonic()
        with pytest.raises(BridgeError) as caught:
            XmlRpcTransport(url, USER, PASSWORD, timeouts=Timeouts(0.5, 0.5)).status()
        assert caught.value.code == "timeout"
        assert time.monotonic() - started < 2.5
    finally:
        server.shutdown()
        server.server_close()


def test_a_closed_port_is_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(BridgeError) as caught:
        XmlRpcTransport(f"http://127.0.0.1:{port}/xmlrpc.php", USER, PASSWORD).status()
    assert caught.value.code == "refused"
