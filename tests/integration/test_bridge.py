"""The backend against a real WordPress: connect, check, sync, show — over both transports."""

from __future__ import annotations

import json

import pytest
import requests
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.inventory import menu_titles, schema_errors
from handoff.wordpress.errors import BridgeError
from tests.helpers import admin_menu_from_html, wp_login

pytestmark = pytest.mark.integration

# The theme the sandbox activates: the default one Debian packages with each release.
DEFAULT_THEME = {"6.1": "twentytwentythree", "6.8": "twentytwentyfive"}


def branch(version: str) -> str:
    """Return the branch ("6.8") of a WordPress version ("6.8.12")."""
    return ".".join(version.split(".")[:2])


@pytest.fixture
def key(fresh_sandbox) -> str:
    return fresh_sandbox.connection_key()


@pytest.fixture
def cli(app):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), obj=app, input=input, catch_exceptions=False)
    return invoke


def test_connect_check_sync_show_remove_through_the_cli(cli, fresh_sandbox, key):
    added = cli("site", "add", fresh_sandbox.url, "--key", key, "--name", "shop")
    assert added.exit_code == 0, added.output
    assert "over rest" in added.output

    checked = cli("site", "check", "shop", "--json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert report["transport"] == "rest" and report["health"] == "ok", report
    assert {f["check"] for f in report["findings"]} >= {"dns", "connect", "rest", "xmlrpc",
                                                       "versions", "clock"}

    synced = cli("site", "sync", "shop")
    assert synced.exit_code == 0, synced.output

    listed = json.loads(cli("site", "list", "--json").output)
    assert listed[0]["wordpress_version"] == fresh_sandbox.wordpress_version
    assert listed[0]["plugin_version"] == "0.2.0" and listed[0]["last_sync_at"]

    shown = cli("site", "show", "shop", "--role", "editor")
    assert shown.exit_code == 0, shown.output
    assert "Sandbox Client Co." in shown.output and "as editor sees it" in shown.output

    assert cli("site", "remove", "shop", "--yes").exit_code == 0
    assert json.loads(cli("site", "list", "--json").output) == []


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_inventory_is_real_and_valid_over_both_transports(app, fresh_sandbox, key, transport):
    app.sites.add(key, fresh_sandbox.url, name="s", transport=transport)
    inventory = app.sites.sync("s")
    assert schema_errors(inventory) == []
    assert inventory["software"]["wordpress"] == fresh_sandbox.wordpress_version
    assert inventory["site"]["environment_type"] == "local"
    plugins = {p["file"]: p for p in inventory["plugins"]}
    assert plugins["handoff-companion/handoff-companion.php"]["active"] is True
    assert plugins["akismet/akismet.php"]["active"] is False
    theme = DEFAULT_THEME[branch(fresh_sandbox.wordpress_version)]
    assert {t["stylesheet"] for t in inventory["themes"] if t["active"]} == {theme}
    assert "portfolio" in {p["name"] for p in inventory["post_types"]}
    roles = {r["name"]: r for r in inventory["roles"]}
    assert roles["handoff_bridge"]["capabilities"] == ["handoff_bridge_access", "read"] or \
        sorted(roles["handoff_bridge"]["capabilities"]) == ["handoff_bridge_access", "read"]
    assert roles["editor"]["user_count"] == 1
    assert app.sites.get("s").transport == transport


def test_admin_menu_is_the_real_one_per_role(app, fresh_sandbox, key):
    app.sites.add(key, fresh_sandbox.url, name="s")
    menu = app.sites.sync("s")["admin_menu"]
    full = menu_titles(menu["full"])
    editor = menu_titles(menu["by_role"]["editor"])
    subscriber = menu_titles(menu["by_role"]["subscriber"])
    # core screens, a plugin's top-level page and its submenu, a custom post type
    for title in ("Dashboard", "Posts", "Pages", "Plugins", "Settings", "Sandbox Reports",
                  "Sandbox Reports › Export", "Portfolio"):
        assert title in full, (title, full)
    assert "Sandbox Reports" in editor and "Sandbox Reports › Export" not in editor
    assert "Plugins" not in editor and "Settings" not in editor
    assert "Posts" not in subscriber and "Profile" in subscriber
    # Read inside wp-admin: pages plugins register only when is_admin() are there too.
    assert menu["context"] == "admin" and menu["warnings"] == []
    assert "Settings › Handoff" in full and "Settings › Handoff" not in editor
    slugs = {item["slug"] for item in menu["full"]}
    assert {"index.php", "edit.php", "edit.php?post_type=page", "sandbox-reports"} <= slugs
    assert all("<" not in title for title in full), "titles carry no markup or counters"


# Behind Apache + PHP-FPM only WordPress's .htaccess rule passes the Authorization header on
# (docs/sandbox.md), and WordPress writes no rules for plain permalinks: there REST cannot
# authenticate without pretty permalinks, and the backend must say so or use XML-RPC.
PLAIN_PERMALINKS_KEEP_AUTHORIZATION = "PHP's server passes the Authorization header on"
PLAIN_PERMALINKS_LOSE_AUTHORIZATION = "behind Apache plain permalinks drop the Authorization header"


def test_rest_works_without_pretty_permalinks(app, fresh_sandbox):
    if fresh_sandbox.server == "apache":
        pytest.skip(PLAIN_PERMALINKS_LOSE_AUTHORIZATION)
    fresh_sandbox.set_permalinks("")
    key = fresh_sandbox.connection_key()
    app.sites.add(key, fresh_sandbox.url, name="plain", transport="rest")
    assert app.sites.sync("plain")["site"]["permalink_structure"] == ""


def test_pretty_permalinks_switched_off_after_connecting_still_work(app, fresh_sandbox, key):
    if fresh_sandbox.server == "apache":
        pytest.skip(PLAIN_PERMALINKS_LOSE_AUTHORIZATION)
    app.sites.add(key, fresh_sandbox.url, name="s", transport="rest")
    fresh_sandbox.set_permalinks("")
    assert app.sites.sync("s")["site"]["permalink_structure"] == ""


def test_plain_permalinks_behind_apache_refuse_rest_and_connect_over_xmlrpc(app, fresh_sandbox):
    if fresh_sandbox.server != "apache":
        pytest.skip(PLAIN_PERMALINKS_KEEP_AUTHORIZATION)
    fresh_sandbox.set_permalinks("")
    key = fresh_sandbox.connection_key()
    with pytest.raises(BridgeError) as refused:
        app.sites.add(key, fresh_sandbox.url, name="plain", transport="rest")
    assert refused.value.code == "header_stripped"
    app.sites.add(key, fresh_sandbox.url, name="plain")
    assert app.sites.get("plain").transport == "xmlrpc"
    assert app.sites.sync("plain")["site"]["permalink_structure"] == ""


def test_pretty_permalinks_switched_off_behind_apache_stop_rest_saying_why(app, fresh_sandbox,
                                                                          key):
    if fresh_sandbox.server != "apache":
        pytest.skip(PLAIN_PERMALINKS_KEEP_AUTHORIZATION)
    app.sites.add(key, fresh_sandbox.url, name="s", transport="rest")
    fresh_sandbox.set_permalinks("")
    with pytest.raises(BridgeError) as refused:
        app.sites.sync("s")
    assert refused.value.code == "header_stripped"


def test_unauthenticated_and_unprivileged_requests_are_refused(fresh_sandbox):
    status = f"{fresh_sandbox.url}/wp-json/handoff/v1/status"
    anonymous = requests.get(status, timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "handoff_unauthenticated"
    client = requests.get(status, timeout=10,
                          auth=(fresh_sandbox.client_login, fresh_sandbox.client_password))
    assert client.status_code == 401  # a login password is not an Application Password


def test_disconnect_revokes_the_backends_access(app, fresh_sandbox, key):
    app.sites.add(key, fresh_sandbox.url, name="s")
    fresh_sandbox.php(
        f"wp_set_current_user( get_user_by( 'login', '{fresh_sandbox.admin_login}' )->ID );"
        "(new \\Handoff\\Companion\\Bridge_Connection())->disconnect();")
    diagnosis = app.sites.check("s")
    assert not diagnosis.ok
    assert diagnosis.blocking_error().code == "wrong_password"


@pytest.mark.parametrize("role_login", ["client", "admin"])
def test_the_menu_per_role_is_what_wp_admin_shows(app, fresh_sandbox, key, role_login):
    """The snapshot for a role equals the menu wp-admin renders for a user of that role."""
    app.sites.add(key, fresh_sandbox.url, name="s")
    menu = app.sites.sync("s")["admin_menu"]
    role = "editor" if role_login == "client" else "administrator"
    password = fresh_sandbox.client_password if role_login == "client" \
        else fresh_sandbox.admin_password
    session = wp_login(fresh_sandbox.url, role_login, password)
    shown = admin_menu_from_html(session.get(f"{fresh_sandbox.url}/wp-admin/", timeout=30).text)
    expected = menu["by_role"][role] if role == "editor" else menu["full"]
    assert [i["title"] for i in shown] == [i["title"] for i in expected]
    assert [[c["title"] for c in i["children"]] for i in shown] == \
        [[c["title"] for c in i["children"]] for i in expected]
