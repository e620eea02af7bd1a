"""Reading the admin menu inside wp-admin, and falling back when wp-admin is closed."""

from urllib.parse import parse_qs

import pytest
import responses

from handoff.wordpress.admin_menu import fetch_admin_menu, with_admin_menu
from handoff.wordpress.client import WordPressClient
from handoff.wordpress.connection_key import ConnectionKey
from handoff.wordpress.errors import BridgeError

AJAX = "https://client.example/wp-admin/admin-ajax.php"
MENU = {"context": "admin", "full": [{"slug": "index.php"}], "by_role": {}, "warnings": []}
API_MENU = {"context": "api", "full": [], "by_role": {}, "warnings": []}
PASSWORD = "AbCdEfGhIjKlMnOpQrStUvWx"


@responses.activate
def test_credentials_travel_in_the_body_not_the_url():
    responses.post(AJAX, json=MENU)
    assert fetch_admin_menu(AJAX, "handoff-bridge", PASSWORD) == MENU
    request = responses.calls[0].request
    assert request.url == AJAX + "?action=handoff_admin_menu"
    assert parse_qs(request.body) == {"user": ["handoff-bridge"], "password": [PASSWORD]}
    assert "Authorization" not in request.headers


@pytest.mark.parametrize("status, body, content_type, code", [
    (401, '{"code":"handoff_unauthenticated","data":{"status":401}}', "application/json",
     "wrong_password"),
    (403, '{"code":"handoff_forbidden","data":{"status":403}}', "application/json", "forbidden"),
    (403, "<title>Attention Required! | Cloudflare</title>", "text/html", "waf"),
    (200, "0", "text/html", "bad_response"),  # admin-ajax.php's answer to an unknown action
    (200, '{"unexpected": true}', "application/json", "bad_response"),
    (500, "<html>Fatal error</html>", "text/html", "server_error"),
])
@responses.activate
def test_each_refusal_is_named(status, body, content_type, code):
    responses.post(AJAX, body=body, status=status, content_type=content_type)
    with pytest.raises(BridgeError) as caught:
        fetch_admin_menu(AJAX, "handoff-bridge", PASSWORD)
    assert caught.value.code == code


def test_the_menu_read_in_wp_admin_replaces_the_api_one():
    inventory = {"schema_version": 1, "admin_menu": API_MENU}
    assert with_admin_menu(inventory, lambda: MENU)["admin_menu"] == MENU
    assert inventory["admin_menu"] == API_MENU, "the input is not changed"


def test_when_wp_admin_is_closed_the_api_menu_stays_with_a_warning():
    def refuse():
        raise BridgeError("waf", url=AJAX, detail="Cloudflare")
    menu = with_admin_menu({"admin_menu": API_MENU}, refuse)["admin_menu"]
    assert menu["context"] == "api" and menu["full"] == []
    assert len(menu["warnings"]) == 1 and "outside wp-admin" in menu["warnings"][0]


class _Transport:
    name = "rest"

    def status(self):
        return {}

    def inventory(self):
        return {"admin_menu": API_MENU}


def _client(xmlrpc: str = "https://client.example/xmlrpc.php") -> WordPressClient:
    key = ConnectionKey(url="https://client.example", rest="https://client.example/wp-json/",
                        xmlrpc=xmlrpc, user="handoff-bridge", password=PASSWORD,
                        env="production")
    return WordPressClient(_Transport(), key.url, key)


@responses.activate
def test_the_client_reads_the_menu_at_the_ajax_url_the_site_names():
    responses.post(AJAX, json=MENU)
    inventory = _client().inventory({"admin_ajax_url": AJAX})
    assert inventory["admin_menu"] == MENU


@responses.activate
def test_the_password_is_never_sent_to_another_host():
    elsewhere = "https://attacker.example/wp-admin/admin-ajax.php"
    responses.post(elsewhere, json=MENU)
    inventory = _client().inventory({"admin_ajax_url": elsewhere})
    assert len(responses.calls) == 0
    assert inventory["admin_menu"]["context"] == "api"
    assert "outside wp-admin" in inventory["admin_menu"]["warnings"][0]


@responses.activate
def test_the_password_is_never_sent_over_plain_http_to_a_public_site():
    plain = "http://client.example/wp-admin/admin-ajax.php"
    responses.post(plain, json=MENU)
    inventory = _client().inventory({"admin_ajax_url": plain})
    assert len(responses.calls) == 0
    assert inventory["admin_menu"]["context"] == "api"


def test_without_a_status_the_api_menu_is_used_as_is():
    assert _client().inventory()["admin_menu"] == API_MENU
