"""Who may use the bridge: every route and method × every kind of caller, over real HTTP."""

from __future__ import annotations

import json
import xmlrpc.client

import pytest
import requests

from handoff.wordpress.connection_key import parse_connection_key

pytestmark = pytest.mark.integration

ROUTES = ["status", "inventory", "health", "handbook"]
CALLERS = ["anonymous", "subscriber", "editor", "administrator", "bridge"]
EXPECTED = {"anonymous": (401, "handoff_unauthenticated"),
            "subscriber": (403, "handoff_forbidden"),
            "editor": (403, "handoff_forbidden"),
            # an administrator is not the backend: the bridge is for the bridge user only
            "administrator": (403, "handoff_forbidden"),
            "bridge": (200, None)}


@pytest.fixture
def credentials(fresh_sandbox) -> dict[str, tuple[str, str] | None]:
    """An Application Password for one user of each role, and the bridge user's."""
    created = fresh_sandbox.php("""
        wp_insert_user( array( 'user_login' => 'reader', 'role' => 'subscriber',
            'user_pass' => wp_generate_password(), 'user_email' => 'reader@example.invalid' ) );
        foreach ( array( 'reader', 'client', 'admin' ) as $login ) {
            $user = get_user_by( 'login', $login );
            [ $password ] = WP_Application_Passwords::create_new_application_password(
                $user->ID, array( 'name' => 'access test' ) );
            echo $login, ' ', $password, "\\n";
        }""")
    passwords = dict(line.split() for line in created.strip().splitlines())
    key = parse_connection_key(fresh_sandbox.connection_key())
    return {"anonymous": None,
            "subscriber": ("reader", passwords["reader"]),
            "editor": ("client", passwords["client"]),
            "administrator": ("admin", passwords["admin"]),
            "bridge": (key.user, key.password)}


@pytest.mark.parametrize("route", ROUTES)
def test_rest_routes(fresh_sandbox, credentials, route):
    for caller in CALLERS:
        response = requests.get(f"{fresh_sandbox.url}/wp-json/handoff/v1/{route}",
                                auth=credentials[caller], timeout=30)
        status, code = EXPECTED[caller]
        assert response.status_code == status, (caller, response.text[:200])
        if code:
            assert response.json()["code"] == code, caller
        else:
            assert "no-cache" in response.headers["Cache-Control"]  # private to the bridge


@pytest.mark.parametrize("route", ROUTES)
def test_rest_routes_refuse_writes(fresh_sandbox, credentials, route):
    response = requests.post(f"{fresh_sandbox.url}/wp-json/handoff/v1/{route}",
                             auth=credentials["bridge"], timeout=30)
    assert response.status_code == 404 and response.json()["code"] == "rest_no_route"


@pytest.mark.parametrize("method", ["handoff.status", "handoff.inventory", "handoff.health",
                                    "handoff.handbook.status"])
def test_xmlrpc_methods(fresh_sandbox, credentials, method):
    server = xmlrpc.client.ServerProxy(f"{fresh_sandbox.url}/xmlrpc.php")
    for caller in CALLERS:
        login, password = credentials[caller] or ("", "")
        if caller == "bridge":
            assert isinstance(getattr(server, method)(login, password), dict)
            continue
        with pytest.raises(xmlrpc.client.Fault) as fault:
            getattr(server, method)(login, password)
        assert fault.value.faultCode == 403, caller
        if caller != "anonymous":
            assert fault.value.faultString.startswith("handoff_forbidden:"), caller


HANDBOOK = {"title": "Handbook", "language": "en", "hash": "0" * 64,
            "html": '<h2 id="start">Start</h2><p>Hello.</p>'}


def test_handbook_writes(fresh_sandbox, credentials):
    url = f"{fresh_sandbox.url}/wp-json/handoff/v1/handbook"
    for caller in CALLERS:
        status, code = EXPECTED[caller]
        for method, body in (("PUT", HANDBOOK), ("DELETE", None)):
            response = requests.request(method, url, json=body, auth=credentials[caller],
                                        timeout=30)
            assert response.status_code == status, (caller, method, response.text[:200])
            if code:
                assert response.json()["code"] == code, (caller, method)
    # the bridge's DELETE above removed what its PUT published
    assert requests.get(url, auth=credentials["bridge"], timeout=30).json()["published"] is False


@pytest.mark.parametrize("method", ["handoff.handbook.publish", "handoff.handbook.unpublish"])
def test_xmlrpc_handbook_writes(fresh_sandbox, credentials, method):
    server = xmlrpc.client.ServerProxy(f"{fresh_sandbox.url}/xmlrpc.php")
    more = (json.dumps(HANDBOOK),) if method == "handoff.handbook.publish" else ()
    for caller in CALLERS:
        login, password = credentials[caller] or ("", "")
        if caller == "bridge":
            assert isinstance(getattr(server, method)(login, password, *more), dict)
            continue
        with pytest.raises(xmlrpc.client.Fault) as fault:
            getattr(server, method)(login, password, *more)
        assert fault.value.faultCode == 403, caller


@pytest.mark.parametrize("params", [(), ("only-a-login",), (1, 2), (["a"], "b")])
def test_xmlrpc_bad_parameters_are_refused(fresh_sandbox, params):
    server = xmlrpc.client.ServerProxy(f"{fresh_sandbox.url}/xmlrpc.php")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        server.handoff.status(*params)
    assert fault.value.faultCode == 400


def test_admin_ajax_menu(fresh_sandbox, credentials):
    url = f"{fresh_sandbox.url}/wp-admin/admin-ajax.php?action=handoff_admin_menu"
    for caller in CALLERS:
        login, password = credentials[caller] or ("", "")
        response = requests.post(url, data={"user": login, "password": password}, timeout=30)
        status, code = EXPECTED[caller]
        assert response.status_code == status, (caller, response.text[:200])
        body = response.json()
        assert body["code"] == code if code else body["context"] == "admin", caller


def test_admin_ajax_does_not_take_application_passwords_for_other_actions(fresh_sandbox,
                                                                         credentials):
    # WordPress's own heartbeat answers differently for a signed-in user: it must not be one.
    response = requests.post(f"{fresh_sandbox.url}/wp-admin/admin-ajax.php",
                             data={"action": "heartbeat", "_nonce": "x"},
                             auth=credentials["bridge"], timeout=30)
    assert response.json().get("wp-auth-check") is False
