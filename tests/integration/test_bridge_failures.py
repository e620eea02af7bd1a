"""Every way a connection fails, produced for real on the sandbox: a clear cause, no change.

Hosts that strip headers, security plugins closing REST or XML-RPC, firewall pages, wrong
passwords, the wrong account, a missing plugin, old versions, and servers that are not
WordPress at all.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from handoff.errors import HandoffError
from handoff.wordpress.connection_key import ConnectionKey, key_check, parse_connection_key
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts
from tests.helpers import QuietHTTPServer

pytestmark = pytest.mark.integration

STRIP_AUTHORIZATION = """<?php
// Behaves like a CGI/FastCGI host that drops the Authorization header.
unset( $_SERVER['HTTP_AUTHORIZATION'], $_SERVER['REDIRECT_HTTP_AUTHORIZATION'],
       $_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW'] );
"""
CLOSE_REST = """<?php
// Behaves like security plugins that close the REST API.
add_filter( 'rest_authentication_errors', function () {
    return new WP_Error( 'rest_disabled', 'The REST API is disabled on this site.',
        array( 'status' => 403 ) );
}, 99 );
"""
CLOSE_XMLRPC = """<?php
add_filter( 'xmlrpc_enabled', '__return_false' );
"""
FIREWALL_PAGE = """<?php
// Behaves like a WAF challenge in front of every web request.
if ( PHP_SAPI !== 'cli' ) {
    http_response_code( 403 );
    header( 'Content-Type: text/html' );
    echo '<html><head><title>Attention Required! | Cloudflare</title></head>';
    echo '<body>cf-chl</body></html>';
    exit;
}
"""


def old_version(field: str, version: str) -> str:
    return f"""<?php
add_filter( 'rest_post_dispatch', function ( $response, $server, $request ) {{
    if ( '/handoff/v1/status' === $request->get_route() ) {{
        $data = $response->get_data();
        $data['{field}'] = '{version}';
        $response->set_data( $data );
    }}
    return $response;
}}, 10, 3 );
"""


def store_is_empty(app) -> bool:
    return app.sites.list() == []


def add_error(app, key: str, url: str, transport: str | None = None) -> BridgeError:
    with pytest.raises(HandoffError) as caught:
        app.sites.add(key, url, name="s", transport=transport)
    assert store_is_empty(app)
    return caught.value


def with_password(key_text: str, password: str, user: str | None = None) -> str:
    key = parse_connection_key(key_text)
    fields = {**key.__dict__, "password": password, "user": user or key.user}
    return ConnectionKey(**fields).encode()


def test_stripped_authorization_header_falls_back_to_xmlrpc(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("strip-authorization", STRIP_AUTHORIZATION)
    key = fresh_sandbox.connection_key()
    assert add_error(app, key, fresh_sandbox.url, transport="rest").code == "header_stripped"
    result = app.sites.add(key, fresh_sandbox.url, name="s")
    assert result.site.transport == "xmlrpc" and result.site.health == "warning"
    assert "strips the Authorization header" in result.diagnosis.summary()
    inventory = app.sites.sync("s")
    assert inventory["software"]["plugin"] == "0.2.0"
    # The menu is still read inside wp-admin: admin-ajax.php takes the password in the body.
    assert inventory["admin_menu"]["context"] == "admin"


def test_rest_closed_by_a_security_plugin_falls_back_to_xmlrpc(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("close-rest", CLOSE_REST)
    key = fresh_sandbox.connection_key()
    assert add_error(app, key, fresh_sandbox.url, transport="rest").code == "rest_disabled"
    assert app.sites.add(key, fresh_sandbox.url, name="s").site.transport == "xmlrpc"


def test_xmlrpc_closed_is_fine_while_rest_works(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("close-xmlrpc", CLOSE_XMLRPC)
    key = fresh_sandbox.connection_key()
    assert add_error(app, key, fresh_sandbox.url, transport="xmlrpc").code == "xmlrpc_disabled"
    result = app.sites.add(key, fresh_sandbox.url, name="s")
    assert result.site.transport == "rest" and result.site.health == "ok"


def test_both_closed_is_an_error_naming_rest(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("close-rest", CLOSE_REST)
    fresh_sandbox.add_mu_plugin("close-xmlrpc", CLOSE_XMLRPC)
    error = add_error(app, fresh_sandbox.connection_key(), fresh_sandbox.url)
    assert error.code == "rest_disabled"


CLOSE_WP_ADMIN = """<?php
// Behaves like a firewall rule that guards /wp-admin/ from everything but browsers.
if ( wp_doing_ajax() ) {
    http_response_code( 403 );
    header( 'Content-Type: text/html' );
    echo '<html><body>Access to wp-admin is restricted.</body></html>';
    exit;
}
"""


def test_wp_admin_closed_keeps_the_menu_read_through_the_api(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("close-wp-admin", CLOSE_WP_ADMIN)
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    menu = app.sites.sync("s")["admin_menu"]
    assert menu["context"] == "api"
    assert "Sandbox Reports" in {item["title"] for item in menu["full"]}
    assert any("outside wp-admin" in warning for warning in menu["warnings"]), menu["warnings"]


def test_firewall_page_is_named(app, fresh_sandbox):
    key = fresh_sandbox.connection_key()
    fresh_sandbox.add_mu_plugin("firewall", FIREWALL_PAGE)
    error = add_error(app, key, fresh_sandbox.url)
    assert error.code == "waf" and "cloudflare" in error.cause


def test_wrong_password(app, fresh_sandbox):
    key = with_password(fresh_sandbox.connection_key(), "A" * 24)
    error = add_error(app, key, fresh_sandbox.url)
    assert error.code == "wrong_password"


def test_another_accounts_application_password_is_forbidden(app, fresh_sandbox):
    password = fresh_sandbox.php(
        "$user = get_user_by( 'login', 'client' );"
        "[ $password ] = WP_Application_Passwords::create_new_application_password("
        "  $user->ID, array( 'name' => 'not the bridge' ) );"
        "echo $password;").strip()
    key = with_password(fresh_sandbox.connection_key(), password, user="client")
    assert add_error(app, key, fresh_sandbox.url).code == "forbidden"


def test_plugin_inactive(app, fresh_sandbox):
    key = fresh_sandbox.connection_key()
    fresh_sandbox.php("deactivate_plugins( 'handoff-companion/handoff-companion.php' );")
    assert add_error(app, key, fresh_sandbox.url).code == "plugin_missing"


@pytest.mark.parametrize("field, version, words", [
    ("plugin_version", "0.0.1", "older than this backend supports"),
    ("wordpress_version", "5.9.3", "needs 6.1"),
])
def test_too_old(app, fresh_sandbox, field, version, words):
    fresh_sandbox.add_mu_plugin("old", old_version(field, version))
    error = add_error(app, fresh_sandbox.connection_key(), fresh_sandbox.url, transport="rest")
    assert words in error.cause


def test_existing_site_keeps_its_data_when_a_check_fails(app, fresh_sandbox):
    key = fresh_sandbox.connection_key()
    app.sites.add(key, fresh_sandbox.url, name="s")
    app.sites.sync("s")
    fresh_sandbox.add_mu_plugin("firewall", FIREWALL_PAGE)
    with pytest.raises(BridgeError):
        app.sites.sync("s")
    assert app.sites.latest_inventory("s") is not None
    assert app.sites.check("s").health == "error"
    assert app.sites.get("s").health == "error"


class _NotWordPress(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body>It works!</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def local_key(url: str) -> str:
    password = "AbCdEfGhIjKlMnOpQrStUvWx"
    key = ConnectionKey(url=url, rest=f"{url}/wp-json/", xmlrpc=f"{url}/xmlrpc.php",
                        user="handoff-bridge", password=password, env="local")
    assert key_check(url, key.user, password)
    return key.encode()


def test_a_server_that_is_not_wordpress(app):
    server = QuietHTTPServer(("127.0.0.1", 0), _NotWordPress)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert add_error(app, local_key(url), url).code == "not_wordpress"
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_listening(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    assert add_error(app, local_key(url), url).code == "refused"


def test_a_server_that_never_answers_times_out(app):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections (kernel backlog) but never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    app.timeouts = Timeouts(connect=1, read=1)
    app.__dict__.pop("sites", None)
    try:
        assert add_error(app, local_key(url), url).code == "timeout"
    finally:
        listener.close()
