"""The menu snapshot runs other plugins' menu code: the bridge cannot make it change the site.

A must-use plugin written the unsafe way (tests/php/fixtures/unsafe-settings-plugin.php)
saves `default_role` and `users_can_register` from whatever the request carries while it
adds its menu, behind current_user_can('manage_options'), and also writes an option, runs an
UPDATE, calls out over HTTP, sends mail and redirects. The bridge user, with the connection
key's Application Password, sends the takeover to the three doors that run the snapshot —
admin-ajax `handoff_admin_menu`, REST GET /inventory and XML-RPC `handoff.inventory` — over
real HTTP: every hostile request is refused before any plugin code runs, the clean ones
still get the menu with the fixture's item, and nothing on the site changes either way.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import requests

from handoff.wordpress.admin_menu import ACTION, fetch_admin_menu
from handoff.wordpress.client import open_client
from handoff.wordpress.connection_key import ConnectionKey, parse_connection_key
from handoff.wordpress.rest import route_url
from tests.helpers import QuietHTTPServer

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parents[1] / "php" / "fixtures" / "unsafe-settings-plugin.php"
ATTACK = {"default_role": "administrator", "users_can_register": "1"}
FIXTURE_PAGE = "handoff-unsafe-settings"
TIMEOUT = 60


class Probe:
    """A loopback HTTP server counting the requests that reach it (the fixture calls it)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        probe = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                probe.hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/phone-home"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Probe:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class Site:
    """The sandbox with the unsafe plugin, seen from outside and from inside."""

    def __init__(self, sandbox, key: ConnectionKey, probe: Probe) -> None:
        self.sandbox, self.key, self.probe = sandbox, key, probe
        self.wp_content = Path(sandbox.wordpress_dir) / "wp-content"
        self.ajax_url = key.url.rstrip("/") + "/wp-admin/admin-ajax.php"

    def connector_id(self) -> int:
        """The ID of the administrator who connected the site (the sandbox's admin)."""
        return int(self.sandbox.php(
            "echo get_option( 'handoff_companion_connection' )['connected_by'];"))

    def settings(self) -> dict:
        """What the attack aims at, and what the fixture writes, read inside WordPress."""
        return json.loads(self.sandbox.php(
            "wp_cache_flush();\n"
            "echo wp_json_encode( array(\n"
            "\t'default_role' => get_option( 'default_role' ),\n"
            "\t'users_can_register' => (string) get_option( 'users_can_register' ),\n"
            "\t'marker' => get_option( 'handoff_unsafe_settings_marker', 'absent' ),\n"
            "\t'administrators' => count( get_users( array( 'role' => 'administrator' ) ) ),\n"
            ") );"))

    def report(self) -> dict:
        """What the fixture saw and got, by hook; {} when none of its code ran."""
        path = self.wp_content / "uploads" / "handoff-unsafe-settings.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def forget_report(self) -> None:
        (self.wp_content / "uploads" / "handoff-unsafe-settings.json").unlink(missing_ok=True)

    def mail_log(self) -> str:
        path = self.wp_content / "sandbox-mail.log"
        return path.read_text() if path.exists() else ""

    @property
    def auth(self) -> tuple[str, str]:
        return (self.key.user, self.key.password)


@pytest.fixture
def site(fresh_sandbox):
    with Probe() as probe:
        fresh_sandbox.php(f"update_option( 'handoff_unsafe_settings_probe', '{probe.url}' );")
        fresh_sandbox.add_mu_plugin("handoff-test-unsafe-settings", FIXTURE.read_text())
        key = parse_connection_key(fresh_sandbox.connection_key())
        site = Site(fresh_sandbox, key, probe)
        before = (site.settings(), site.mail_log())
        assert before[0]["default_role"] == "subscriber"
        assert before[0]["users_can_register"] == "0"
        yield site
        # Whatever the test sent, the site is as it was and nothing left it.
        assert (site.settings(), site.mail_log()) == before
        assert probe.hits == []


def refused(response: requests.Response) -> list[str]:
    """The names a 400 `handoff_unexpected_input` answer lists."""
    assert response.status_code == 400, response.text[:500]
    body = response.json()
    assert body["code"] == "handoff_unexpected_input", body
    return body["data"]["unexpected"]


def xmlrpc_call(user: str, password: str, extra: str = "") -> str:
    """handoff.inventory as XML, with `extra` as a third string parameter."""
    params = "".join(f"<param><value><string>{value}</string></value></param>"
                     for value in (escape(user), escape(password), extra) if value)
    return ('<?xml version="1.0"?><methodCall><methodName>handoff.inventory</methodName>'
            f"<params>{params}</params></methodCall>")


# -- admin-ajax.php?action=handoff_admin_menu ------------------------------------------------

def test_admin_ajax_refuses_the_takeover_in_the_query_and_the_form(site):
    response = requests.post(site.ajax_url, params={"action": ACTION, **ATTACK},
                             data={"user": site.key.user, "password": site.key.password,
                                   **ATTACK}, timeout=TIMEOUT)
    assert refused(response) == ["GET default_role", "GET users_can_register",
                                 "POST default_role", "POST users_can_register"]
    assert site.report() == {}, "no plugin's admin_init or menu code saw the request"


def test_admin_ajax_refuses_a_json_body_and_an_upload(site):
    json_body = requests.post(site.ajax_url, params={"action": ACTION}, json=ATTACK,
                              auth=site.auth, timeout=TIMEOUT)
    assert refused(json_body) == ["body"]
    upload = requests.post(site.ajax_url, params={"action": ACTION},
                           data={"user": site.key.user, "password": site.key.password},
                           files={"import": ("settings.txt", b"default_role=administrator")},
                           timeout=TIMEOUT)
    assert refused(upload) == ["FILES import"]
    assert site.report() == {}


def test_admin_ajax_with_the_takeover_in_cookies_changes_nothing(site):
    # Cookies are not refused (hosts and proxies add their own): they are emptied while the
    # menu is built, and what filter_input(INPUT_COOKIE) still shows cannot be written.
    response = requests.post(site.ajax_url, params={"action": ACTION},
                             data={"user": site.key.user, "password": site.key.password},
                             cookies=ATTACK, timeout=TIMEOUT)
    assert response.status_code == 200, response.text[:500]
    assert FIXTURE_PAGE in children(response.json(), "options-general.php")
    seen = site.report()["admin_menu"]
    assert seen["can_manage_options"] is True
    assert seen["input"]["cookie"] == [] and seen["input"]["post"] == []
    assert sorted(seen["cookie_via_filter"]) == sorted(ATTACK)
    assert {tuple(entry) for entry in seen["saved"]} == {
        ("filter_input_cookie", "default_role", False),
        ("filter_input_cookie", "users_can_register", False)}


# -- REST GET /handoff/v1/inventory -----------------------------------------------------------

def test_rest_inventory_refuses_the_takeover_in_the_query(site):
    url = route_url(site.key.rest, "handoff/v1/inventory")
    pretty = requests.get(url, params=ATTACK, auth=site.auth, timeout=TIMEOUT)
    assert refused(pretty) == ["GET default_role", "GET users_can_register"]
    plain = requests.get(site.key.url.rstrip("/") + "/",
                         params={"rest_route": "/handoff/v1/inventory", **ATTACK},
                         auth=site.auth, timeout=TIMEOUT)
    assert refused(plain) == ["GET default_role", "GET users_can_register"]
    assert site.report() == {}


def test_rest_inventory_refuses_the_takeover_in_a_body(site):
    url = route_url(site.key.rest, "handoff/v1/inventory")
    as_form = requests.post(url, data=ATTACK, headers={"X-HTTP-Method-Override": "GET"},
                            auth=site.auth, timeout=TIMEOUT)
    assert refused(as_form) == ["POST default_role", "POST users_can_register", "body"]
    in_a_get = requests.get(url, data="default_role=administrator", auth=site.auth,
                            headers={"Content-Type": "text/plain"}, timeout=TIMEOUT)
    assert refused(in_a_get) == ["body"]
    assert site.report() == {}


# -- XML-RPC handoff.inventory ----------------------------------------------------------------

def test_xmlrpc_inventory_refuses_a_form_encoded_call_smuggling_the_takeover(site):
    # Sent as a form, the XML is also parsed into $_POST: the CDATA section carries fields.
    body = xmlrpc_call(site.key.user, site.key.password,
                       "<![CDATA[&default_role=administrator&users_can_register=1&]]>")
    response = requests.post(site.key.xmlrpc, data=body.encode(), timeout=TIMEOUT,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert "<int>400</int>" in response.text and "handoff_unexpected_input" in response.text
    assert "POST default_role" in response.text
    assert site.report() == {}


def test_xmlrpc_inventory_refuses_a_query_string(site):
    response = requests.post(site.key.xmlrpc, params=ATTACK, timeout=TIMEOUT,
                             data=xmlrpc_call(site.key.user, site.key.password).encode(),
                             headers={"Content-Type": "text/xml"})
    assert "handoff_unexpected_input" in response.text and "GET default_role" in response.text
    assert site.report() == {}


# -- clean requests: the backend's own ------------------------------------------------------

def children(menu: dict, slug: str) -> list[str]:
    for item in menu["full"]:
        if item["slug"] == slug:
            return [child["slug"] for child in item["children"]]
    return []


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_the_backend_s_own_requests_get_the_menu_and_change_nothing(site, transport):
    client = open_client(site.key, transport)
    menu = client.transport.inventory()["admin_menu"]
    assert menu["context"] == "api"
    assert FIXTURE_PAGE in children(menu, "options-general.php")
    assert "Sandbox Reports" in {item["title"] for item in menu["full"]}
    assert "A database write was blocked while the menu was built (UPDATE)." in menu["warnings"]
    assert "An email was blocked while the menu was built." in menu["warnings"]
    assert "An outgoing HTTP request was blocked while the menu was built (127.0.0.1)." \
        in menu["warnings"]
    seen = site.report()["admin_menu"]
    # Built as wp-admin builds it for the administrator who connected the site (a real
    # account: plugins add items for is_super_admin() or a user ID); input still hidden.
    assert seen["can_manage_options"] is True and seen["user_id"] == site.connector_id()
    assert seen["request_method"] == "GET"
    assert all(keys == [] for keys in seen["input"].values()), seen["input"]
    assert (seen["update_option"], seen["query"], seen["mail"], seen["redirect"]) == \
        (False, False, False, False)
    assert seen["http"] == "error: handoff_capture_blocked"


def test_the_backend_s_admin_ajax_request_gets_the_menu_and_changes_nothing(site):
    menu = fetch_admin_menu(site.ajax_url, site.key.user, site.key.password)
    assert menu["context"] == "admin"
    assert FIXTURE_PAGE in children(menu, "options-general.php")
    assert "A database write was blocked while the menu was built (UPDATE)." in menu["warnings"]
    report = site.report()
    # Other plugins' admin_init handlers see the backend's own request, as the bridge user.
    assert sorted(report["admin_init"]["input"]) == ["action", "password", "user"]
    seen = report["admin_menu"]
    assert seen["can_manage_options"] is True and seen["saved"] == []
    # Only what PHP keeps for filter_input() remains, and the door let nothing else in.
    assert sorted(seen["input"]["filter_input_get"]) == ["action"]
    assert sorted(seen["input"]["filter_input_post"]) == ["password", "user"]
    emptied = {source: keys for source, keys in seen["input"].items()
               if not source.startswith("filter_input")}
    assert all(keys == [] for keys in emptied.values()), emptied
