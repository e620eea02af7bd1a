"""Requests to a site follow its redirects only within the site: same scheme, host and port,
or http:// to https:// on the same host. A redirect anywhere else is not followed (nothing
is sent there, credentials or not) and is reported with where the site tried to send us."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import responses

from handoff.handover.probes import run_probes
from handoff.wordpress.diagnose import diagnose
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.rest import RestTransport
from handoff.wordpress.xmlrpc import XmlRpcTransport
from tests.helpers import make_key

URL = "https://client.example"
ROOT = f"{URL}/wp-json/"
STATUS_URL = f"{URL}/wp-json/handoff/v1/status"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True}


def transport(root: str = ROOT) -> RestTransport:
    return RestTransport(root, "handoff-bridge", "AbCdEfGhIjKlMnOpQrStUvWx")


def moved(url: str, location: str, status: int = 301) -> None:
    responses.get(url, status=status, headers={"Location": location})


# -- refused ---------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "https://elsewhere.example/wp-json/handoff/v1/status",   # another host
    "https://www.client.example/wp-json/handoff/v1/status",  # another name of the same site
    "https://client.example:8443/wp-json/handoff/v1/status",  # another port
    "http://client.example/wp-json/handoff/v1/status",        # down to plain HTTP
    "//elsewhere.example/wp-json/handoff/v1/status",          # scheme-relative
    "http://169.254.169.254/latest/meta-data/",               # a cloud metadata service
])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@responses.activate
def test_a_redirect_off_the_site_is_not_followed_and_names_the_target(target, status):
    moved(STATUS_URL, target, status)
    absolute = f"https:{target}" if target.startswith("//") else target
    elsewhere = responses.get(absolute, json=STATUS)
    with pytest.raises(BridgeError) as caught:
        transport().status()
    assert caught.value.code == "redirected"
    assert absolute in caught.value.cause and STATUS_URL in caught.value.cause
    assert "set the site URL to" in caught.value.fix and "remove the redirect" in caught.value.fix
    assert elsewhere.call_count == 0
    assert len(responses.calls) == 1  # never tried again either


@responses.activate
def test_a_chain_that_leaves_the_site_at_its_second_step_is_stopped_there():
    moved(STATUS_URL, "/wp-json/handoff/v1/status/", 302)
    moved(f"{STATUS_URL}/", "https://elsewhere.example/collect", 302)
    elsewhere = responses.get("https://elsewhere.example/collect", json=STATUS)
    with pytest.raises(BridgeError, match="https://elsewhere.example/collect"):
        transport().status()
    assert elsewhere.call_count == 0


# -- followed --------------------------------------------------------------------------------

@pytest.mark.parametrize("location", ["/wp-json/handoff/v1/status/",
                                      f"{URL}/wp-json/handoff/v1/status/",
                                      "https://CLIENT.example/wp-json/handoff/v1/status/"])
@responses.activate
def test_a_redirect_within_the_site_is_followed_with_the_credentials(location):
    moved(STATUS_URL, location)
    responses.get(f"{STATUS_URL}/", json=STATUS)
    assert transport().status() == STATUS
    assert responses.calls[1].request.headers["Authorization"].startswith("Basic ")


@responses.activate
def test_an_upgrade_from_http_to_https_on_the_same_host_is_followed():
    moved("http://client.example/wp-json/handoff/v1/status", STATUS_URL)
    responses.get(STATUS_URL, json=STATUS)
    assert transport("http://client.example/wp-json/").status() == STATUS
    assert responses.calls[1].request.url == STATUS_URL


@responses.activate
def test_endless_redirects_within_the_site_end_in_an_error():
    moved(STATUS_URL, STATUS_URL)
    with pytest.raises(BridgeError):
        transport().status()
    assert len(responses.calls) <= 11


@responses.activate
def test_writes_are_never_redirected():
    responses.post(f"{URL}/wp-json/handoff/v1/menu-profile", status=307,
                   headers={"Location": "https://elsewhere.example/x"})
    elsewhere = responses.post("https://elsewhere.example/x", json={})
    with pytest.raises(BridgeError):
        transport().put_menu_profile({}, 0)
    assert elsewhere.call_count == 0


# -- site check ------------------------------------------------------------------------------

@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [("ok",)])

    def no_xmlrpc(self):
        raise BridgeError("xmlrpc_disabled", url=self.url, detail="405")
    monkeypatch.setattr(XmlRpcTransport, "status", no_xmlrpc)


@pytest.mark.usefixtures("offline")
@responses.activate
def test_site_check_reports_a_home_page_sent_elsewhere_with_the_fix():
    moved(URL, "https://www.client.example/")
    elsewhere = responses.get("https://www.client.example/", body="home")
    responses.get(ROOT, json={"namespaces": ["handoff/v1"]})
    responses.get(STATUS_URL, json=STATUS)
    diagnosis = diagnose(make_key(URL))
    [finding] = [f for f in diagnosis.findings if f.check == "redirect"]
    assert finding.level == "warn"
    assert "https://www.client.example/" in finding.message
    assert finding.fix.startswith("set the site URL to https://www.client.example")
    assert elsewhere.call_count == 0
    assert diagnosis.transport == "rest" and diagnosis.health == "warning"


@pytest.mark.usefixtures("offline")
@responses.activate
def test_site_check_says_in_one_sentence_that_the_whole_site_is_sent_elsewhere():
    for url in (URL, ROOT, STATUS_URL):
        moved(url, url.replace("client.example", "new-client.example"))
    diagnosis = diagnose(make_key(URL))
    assert diagnosis.transport is None and diagnosis.health == "error"
    summary = diagnosis.summary()
    assert "https://new-client.example/wp-json/handoff/v1/status" in summary
    assert "Fix: set the site URL to https://new-client.example" in summary
    assert all("new-client.example" not in call.request.url for call in responses.calls)


# -- two real servers on loopback ------------------------------------------------------------

class _Recorder(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.seen.append(self.path)
        location = self.server.redirect_to
        if location:
            self.send_response(302)
            self.send_header("Location", location + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b'{"plugin_version": "0.1.0"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815


def _server(address: str, redirect_to: str = "") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((address, 0), _Recorder)
    server.daemon_threads = True
    server.seen, server.redirect_to = [], redirect_to
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    return server


@pytest.fixture
def two_servers() -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """A site on 127.0.0.1 that redirects everything to a server on 127.0.0.2."""
    target = _server("127.0.0.2")
    site = _server("127.0.0.1", f"http://127.0.0.2:{target.server_address[1]}")
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}", target
    finally:
        for server in (site, target):
            server.shutdown()
            server.server_close()


def test_a_real_site_that_redirects_to_another_address_reaches_nothing_there(two_servers):
    site_url, target = two_servers
    with pytest.raises(BridgeError) as caught:
        transport(f"{site_url}/wp-json/").status()
    assert caught.value.code == "redirected" and "127.0.0.2" in caught.value.cause
    diagnosis = diagnose(make_key(site_url, env="local"))
    assert any(f.check == "redirect" for f in diagnosis.findings)
    with pytest.raises(BridgeError):
        XmlRpcTransport(f"{site_url}/xmlrpc.php", "bridge", "password").status()
    assert target.seen == []


def test_the_handover_probes_follow_no_redirect_to_another_address(two_servers):
    site_url, target = two_servers
    results = run_probes(site_url, "local")
    assert set(results) == {"https", "https_redirect", "robots", "sitemap", "not_found"}
    assert target.seen == []
