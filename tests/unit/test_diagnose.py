"""`site check` logic: which transport is chosen, and what the user is told to fix."""

from __future__ import annotations

import socket

import pytest
import responses

from handoff.wordpress import diagnose as diagnose_module
from handoff.wordpress.diagnose import diagnose
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.xmlrpc import XmlRpcTransport
from tests.helpers import make_key

URL = "https://client.example"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True, "time": 1_700_000_000}


@pytest.fixture(autouse=True)
def resolvable(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [("ok",)])


@pytest.fixture
def xmlrpc(monkeypatch):
    """Control what the XML-RPC transport answers: a dict, or a BridgeError to raise."""
    answer = {"value": BridgeError("xmlrpc_disabled", url=URL, detail="405")}

    def status(self):
        if isinstance(answer["value"], Exception):
            raise answer["value"]
        return answer["value"]

    monkeypatch.setattr(XmlRpcTransport, "status", status)
    return answer


def site(status=None, status_code=200, index=None):
    responses.get(URL, body="<html>home</html>", content_type="text/html")
    responses.get(f"{URL}/wp-json/", json=index or {"namespaces": ["wp/v2", "handoff/v1"]})
    responses.get(f"{URL}/wp-json/handoff/v1/status", json=status or STATUS,
                  status=status_code)


def now():
    return 1_700_000_010


@responses.activate
def test_healthy_site_uses_rest(xmlrpc):
    site()
    xmlrpc["value"] = STATUS
    diagnosis = diagnose(make_key(URL), now=now)
    assert diagnosis.transport == "rest"
    assert diagnosis.health == "ok"
    assert diagnosis.summary().startswith("All good")


@responses.activate
def test_stripped_header_falls_back_to_xmlrpc_and_says_why(xmlrpc):
    site(status={"code": "handoff_unauthenticated",
                 "data": {"status": 401, "authorization_header": False}}, status_code=401)
    xmlrpc["value"] = STATUS
    diagnosis = diagnose(make_key(URL), now=now)
    assert diagnosis.transport == "xmlrpc"
    assert diagnosis.health == "warning"
    assert "strips the Authorization header" in diagnosis.summary()


@responses.activate
def test_nothing_works_gives_the_most_telling_error(xmlrpc):
    site(status={"code": "incorrect_password", "data": {"status": 401}}, status_code=401)
    xmlrpc["value"] = BridgeError("wrong_password", url=URL, detail="403")
    diagnosis = diagnose(make_key(URL), now=now)
    assert diagnosis.transport is None and not diagnosis.ok
    assert diagnosis.blocking_error().code == "wrong_password"
    assert "No transport works" in diagnosis.summary()


@responses.activate
def test_plugin_missing_is_seen_in_the_rest_index(xmlrpc):
    site(index={"namespaces": ["wp/v2"]},
         status={"code": "rest_no_route", "data": {"status": 404}}, status_code=404)
    xmlrpc["value"] = BridgeError("plugin_missing", url=URL)
    diagnosis = diagnose(make_key(URL), now=now)
    assert diagnosis.blocking_error().code == "plugin_missing"
    assert any(f.check == "rest-index" and f.level == "warn" for f in diagnosis.findings)


@responses.activate
def test_forcing_a_transport_checks_only_that_one(xmlrpc):
    site()
    diagnosis = diagnose(make_key(URL), force="rest", now=now)
    assert diagnosis.transport == "rest"
    assert "xmlrpc" not in diagnosis.errors


@pytest.mark.parametrize("changes, check, words", [
    ({"plugin_version": "0.0.9"}, "versions", "older than this backend supports"),
    ({"wordpress_version": "5.9.3"}, "versions", "Handoff needs 6.1"),
])
@responses.activate
def test_too_old_software_fails(xmlrpc, changes, check, words):
    site(status={**STATUS, **changes})
    diagnosis = diagnose(make_key(URL), now=now)
    failed = [f for f in diagnosis.findings if f.level == "fail"]
    assert failed and failed[0].check == check and words in failed[0].message
    assert not diagnosis.ok


@responses.activate
def test_clock_skew_and_https_blindness_are_warned(xmlrpc):
    site(status={**STATUS, "time": 1_700_000_000 + 3600, "is_ssl": False})
    diagnosis = diagnose(make_key(URL), now=now)
    checks = {f.check: f.level for f in diagnosis.findings}
    assert checks["clock"] == "warn" and checks["https"] == "warn"
    assert diagnosis.health == "warning"


def test_plain_http_to_a_production_site_is_refused_before_any_request():
    with responses.RequestsMock(assert_all_requests_are_fired=False):  # any request would fail
        diagnosis = diagnose(make_key("http://client.example"))
    assert diagnosis.findings[0].check == "address"
    assert "unencrypted" in diagnosis.findings[0].message


def test_plain_http_is_fine_for_a_local_site(monkeypatch):
    calls = []
    monkeypatch.setattr(diagnose_module, "make_session",
                        lambda verify: calls.append(verify) or _Refusing())
    diagnosis = diagnose(make_key("http://client.test", env="local"))
    assert calls == [False]  # no TLS verification for a local site, and no refusal
    assert diagnosis.findings[-1].check == "connect"


class _Refusing:
    def request(self, *a, **k):
        import requests
        raise requests.exceptions.ConnectionError(ConnectionRefusedError(111, "refused"))


def test_dns_failure_stops_early(monkeypatch):
    def fail(*a, **k):
        raise socket.gaierror(-2, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", fail)
    diagnosis = diagnose(make_key("https://nowhere.invalid"))
    assert [f.check for f in diagnosis.findings] == ["dns"]
    assert "does not resolve" in diagnosis.summary()


@responses.activate
def test_waf_in_front_of_everything(xmlrpc):
    html = "<html><title>Attention Required! | Cloudflare</title></html>"
    responses.get(URL, body=html, status=403, content_type="text/html")
    responses.get(f"{URL}/wp-json/", body=html, status=403, content_type="text/html")
    responses.get(f"{URL}/wp-json/handoff/v1/status", body=html, status=403,
                  content_type="text/html")
    xmlrpc["value"] = BridgeError("waf", url=URL, detail="cloudflare")
    diagnosis = diagnose(make_key(URL), now=now)
    assert diagnosis.blocking_error().code == "waf"
    assert "firewall" in diagnosis.summary()


@responses.activate
def test_a_closed_fallback_is_information_not_a_warning(xmlrpc):
    site()
    diagnosis = diagnose(make_key(URL), now=now)  # XML-RPC answers 405 in this fixture
    assert diagnosis.health == "ok"
    assert [f.level for f in diagnosis.findings if f.check == "xmlrpc"] == ["info"]
