"""The REST transport against faked HTTP answers: every failure gets its own cause."""

import pytest
import requests
import responses

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.rest import RestTransport, route_url

ROOT = "https://client.example/wp-json/"
STATUS_URL = "https://client.example/wp-json/handoff/v1/status"
PLAIN_STATUS_URL = "https://client.example/?rest_route=/handoff/v1/status"


def transport(**kwargs) -> RestTransport:
    return RestTransport(ROOT, "handoff-bridge", "AbCdEfGhIjKlMnOpQrStUvWx",
                         home_url="https://client.example", **kwargs)


@pytest.mark.parametrize("root, expected", [
    ("https://a.example/wp-json/", "https://a.example/wp-json/handoff/v1/status"),
    ("https://a.example/wp-json", "https://a.example/wp-json/handoff/v1/status"),
    ("https://a.example/?rest_route=/", "https://a.example/?rest_route=/handoff/v1/status"),
    ("https://a.example/blog/index.php?rest_route=/",
     "https://a.example/blog/index.php?rest_route=/handoff/v1/status"),
])
def test_route_url_handles_pretty_and_plain_permalinks(root, expected):
    assert route_url(root, "handoff/v1/status") == expected


@responses.activate
def test_status_sends_basic_auth_and_returns_the_json():
    responses.get(STATUS_URL, json={"plugin_version": "0.1.0"})
    assert transport().status() == {"plugin_version": "0.1.0"}
    assert responses.calls[0].request.headers["Authorization"].startswith("Basic ")


@responses.activate
def test_falls_back_to_rest_route_when_pretty_permalinks_are_off():
    responses.get(STATUS_URL, body="<html>Not found</html>", status=404,
                  content_type="text/html")
    responses.get(PLAIN_STATUS_URL, json={"ok": True})
    client = transport()
    assert client.status() == {"ok": True}
    assert client.rest_root == "https://client.example/?rest_route=/"


def _error(status: int, code: str, data: dict | None = None) -> dict:
    return {"code": code, "message": "…", "data": {"status": status, **(data or {})}}


@pytest.mark.parametrize("status, body, expected", [
    (401, _error(401, "incorrect_password"), "wrong_password"),
    (401, _error(401, "invalid_username"), "wrong_password"),
    (401, _error(401, "application_passwords_disabled"), "app_passwords_disabled"),
    (401, _error(401, "handoff_unauthenticated", {"authorization_header": False}),
     "header_stripped"),
    (401, _error(401, "handoff_unauthenticated", {"authorization_header": True}),
     "wrong_password"),
    (403, _error(403, "handoff_forbidden"), "forbidden"),
    (404, _error(404, "rest_no_route"), "plugin_missing"),
    (401, _error(401, "rest_cannot_access"), "rest_disabled"),
    (403, _error(403, "rest_login_required"), "rest_disabled"),
    (500, _error(500, "internal_server_error"), "server_error"),
    (418, _error(418, "teapot"), "bad_response"),
])
@responses.activate
def test_json_errors_are_classified(status, body, expected):
    responses.get(STATUS_URL, json=body, status=status)
    with pytest.raises(BridgeError) as caught:
        transport().status()
    assert caught.value.code == expected
    assert caught.value.fix


@pytest.mark.parametrize("status, html, expected", [
    (403, "<html><title>Attention Required! | Cloudflare</title></html>", "waf"),
    (200, "<html><form id='wsidchk'>Imunify360</form></html>", "waf"),
    (406, "<html>Not Acceptable! mod_security</html>", "waf"),
    (200, "<html><body>Welcome to nginx!</body></html>", "not_wordpress"),
    (502, "<html>Bad gateway</html>", "server_error"),
])
@responses.activate
def test_html_answers_are_recognised(status, html, expected):
    responses.get(STATUS_URL, body=html, status=status, content_type="text/html")
    responses.get(PLAIN_STATUS_URL, body=html, status=status, content_type="text/html")
    with pytest.raises(BridgeError) as caught:
        transport().status()
    assert caught.value.code == expected


@responses.activate
def test_a_json_list_is_a_bad_response():
    responses.get(STATUS_URL, json=[1, 2])
    with pytest.raises(BridgeError, match="cannot read"):
        transport().status()


@pytest.mark.parametrize("exception, expected", [
    (requests.exceptions.ConnectTimeout("timed out"), "timeout"),
    (requests.exceptions.ReadTimeout("timed out"), "timeout"),
    (requests.exceptions.SSLError("certificate verify failed"), "tls"),
    (requests.exceptions.ConnectionError(ConnectionRefusedError(111, "refused")), "refused"),
    (requests.exceptions.ConnectionError("boom"), "connection"),
])
@responses.activate
def test_network_failures_are_classified(exception, expected):
    responses.get(STATUS_URL, body=exception)
    with pytest.raises(BridgeError) as caught:
        transport().status()
    assert caught.value.code == expected
