"""Menu profiles on a real WordPress: what the client sees and can open, and nobody locked out.

The client (role editor) logs in with real session cookies; the menu is read from the
wp-admin HTML and screens are opened by URL.
"""

from __future__ import annotations

import json

import pytest
import requests

from handoff.core.menu_preview import preview
from handoff.core.menu_profile import InvalidProfile
from handoff.wordpress.profile_api import ProfileRejected, VersionConflict
from tests.helpers import admin_menu_from_html, wp_login
from tests.profiles import EXPECTED_TOP, PROFILE

pytestmark = pytest.mark.integration

DENIED = ["admin.php?page=sandbox-reports", "edit.php?post_type=portfolio",
          "post-new.php?post_type=portfolio", "tools.php", "edit-tags.php?taxonomy=category"]
VISIBLE = ["index.php", "edit.php", "post-new.php", "edit.php?post_type=page", "upload.php",
           "profile.php", "edit-comments.php"]  # hidden is not denied: it still opens


@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.sites.sync("s")
    return "s"


def client_session(sandbox):
    return wp_login(sandbox.url, sandbox.client_login, sandbox.client_password)


def admin_session(sandbox):
    return wp_login(sandbox.url, sandbox.admin_login, sandbox.admin_password)


def menu_of(session, sandbox, path="index.php"):
    return admin_menu_from_html(session.get(f"{sandbox.url}/wp-admin/{path}", timeout=30).text)


def status(session, sandbox, path):
    return session.get(f"{sandbox.url}/wp-admin/{path}", timeout=30,
                       allow_redirects=False).status_code


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_the_client_sees_exactly_the_profile(app, fresh_sandbox, site, transport):
    if transport == "xmlrpc":
        app.sites.check("s", transport="xmlrpc")
    result = app.menus.push("s", PROFILE)
    assert result.version == 1 and not result.unchanged

    menu = menu_of(client_session(fresh_sandbox), fresh_sandbox)
    assert [item["title"] for item in menu] == EXPECTED_TOP
    news = next(item for item in menu if item["title"] == "News")
    assert [child["title"] for child in news["children"]] == ["Write news", "All Posts"]
    link = next(item for item in menu if item["title"] == "Get help")
    assert link["href"] == "https://agency.example/help"

    # The backend's preview is what wp-admin shows.
    previewed, applies = preview(PROFILE, app.sites.latest_inventory("s"), role="editor")
    assert applies and [item["title"] for item in previewed] == EXPECTED_TOP


def test_denied_screens_refuse_to_open_and_visible_ones_open(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    client = client_session(fresh_sandbox)
    for path in DENIED:
        response = client.get(f"{fresh_sandbox.url}/wp-admin/{path}", timeout=30)
        assert response.status_code == 403, path
        assert "not part of your site" in response.text and "Agency &amp; Co" in \
            response.text, path
    for path in VISIBLE:
        assert status(client, fresh_sandbox, path) == 200, path


def test_editing_an_item_of_a_denied_type_is_refused_too(app, fresh_sandbox, site):
    project = fresh_sandbox.php("echo wp_insert_post( array( 'post_type' => 'portfolio', "
                                "'post_title' => 'Case study', 'post_status' => 'publish' ) );")
    app.menus.push("s", PROFILE)
    client = client_session(fresh_sandbox)
    assert status(client, fresh_sandbox, f"post.php?post={project}&action=edit") == 403


def test_the_administrator_and_the_bridge_are_never_restricted(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    admin = admin_session(fresh_sandbox)
    titles = [item["title"] for item in menu_of(admin, fresh_sandbox)]
    assert {"Plugins", "Settings", "Sandbox Reports", "Tools"} <= set(titles)
    for path in DENIED + ["plugins.php", "options-general.php?page=handoff-companion"]:
        assert status(admin, fresh_sandbox, path) == 200, path
    assert app.sites.sync("s")["admin_menu"]["by_role"]["editor"], "the bridge still reads"


def test_admin_bar_dashboard_and_start_here(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    html = client_session(fresh_sandbox).get(f"{fresh_sandbox.url}/wp-admin/",
                                             timeout=30).text
    assert 'id="wp-admin-bar-wp-logo"' not in html
    assert 'id="wp-admin-bar-comments"' not in html
    assert 'id="dashboard_primary"' not in html
    assert "Edit your pages under Our pages." in html
    assert "Agency &amp; Co" in html


def test_safe_mode_and_deactivation_restore_everything(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    client = client_session(fresh_sandbox)
    before = [item["title"] for item in menu_of(client, fresh_sandbox)]
    assert before == EXPECTED_TOP

    fresh_sandbox.add_mu_plugin("safe-mode", "define( 'HANDOFF_SAFE_MODE', true );")
    assert "Sandbox Reports" in [item["title"] for item in menu_of(client, fresh_sandbox)]
    assert status(client, fresh_sandbox, "tools.php") == 200
    assert app.menus.status("s").safe_mode
    fresh_sandbox.remove_mu_plugin("safe-mode")
    assert status(client, fresh_sandbox, "tools.php") == 403

    fresh_sandbox.php("deactivate_plugins( 'handoff-companion/handoff-companion.php' );")
    assert "Sandbox Reports" in [item["title"] for item in menu_of(client, fresh_sandbox)]
    assert status(client, fresh_sandbox, "tools.php") == 200


def test_rollback_and_remove(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    second = {**PROFILE, "name": "Second", "menu": [
        {"slug": "index.php", "state": "visible"}, {"slug": "upload.php", "state": "visible"}]}
    assert app.menus.push("s", second).version == 2
    client = client_session(fresh_sandbox)
    assert [item["title"] for item in menu_of(client, fresh_sandbox)] == \
        ["Dashboard", "Media", "Get help"]

    rolled = app.menus.rollback("s")
    assert rolled.version == 3
    assert [item["title"] for item in menu_of(client, fresh_sandbox)] == EXPECTED_TOP
    state = app.menus.status("s")
    assert state.name == "Client editor" and [h["version"] for h in state.history][:2] == [2, 1]

    app.menus.remove("s")
    assert "Sandbox Reports" in [item["title"] for item in menu_of(client, fresh_sandbox)]
    assert app.menus.rollback("s", 1).version == 5


def test_drift_after_a_plugin_adds_a_menu(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    fresh_sandbox.add_mu_plugin("late-menu", """
        add_action( 'admin_menu', function () {
            add_menu_page( 'Newsletter', 'Newsletter', 'edit_posts', 'newsletter',
                '__return_null', 'dashicons-email' );
        } );""")
    state = app.menus.status("s")
    drifted = [item.label for item in state.drift]
    # the new page, and the submenu item the profile's exhaustive list for News leaves out;
    # nothing the client could not open anyway (Plugins, Settings…)
    assert drifted == ["edit.php › edit-tags.php?taxonomy=post_tag", "newsletter"]
    # unknown_items is "hide": not in the menu, but the screen opens (not denied)
    client = client_session(fresh_sandbox)
    assert "Newsletter" not in [item["title"] for item in menu_of(client, fresh_sandbox)]


def test_unknown_items_deny_refuses_a_plugin_page_added_later(app, fresh_sandbox, site):
    app.menus.push("s", {**PROFILE, "unknown_items": "deny"})
    fresh_sandbox.add_mu_plugin("late-menu", """
        add_action( 'admin_menu', function () {
            add_menu_page( 'Newsletter', 'Newsletter', 'edit_posts', 'newsletter',
                '__return_null' );
        } );""")
    client = client_session(fresh_sandbox)
    assert status(client, fresh_sandbox, "admin.php?page=newsletter") == 403


def test_a_stale_version_is_refused_and_changes_nothing(app, fresh_sandbox, site):
    app.menus.push("s", PROFILE)
    with pytest.raises(VersionConflict) as caught:
        app.menus.push("s", {**PROFILE, "name": "Late"}, expect_version=0)
    assert caught.value.current == 1
    assert app.menus.status("s").name == "Client editor"


def test_the_site_refuses_what_the_backend_would_refuse(app, fresh_sandbox, site):
    """Sent past the backend's own checks: the plugin still refuses, and keeps what it had."""
    app.menus.push("s", PROFILE)
    _, client = app.sites.client("s")
    bad_profiles = [
        {**PROFILE, "targets": {"roles": ["no_such_role"]}},
        {**PROFILE, "targets": {"users": ["handoff-bridge"]}},
        {**PROFILE, "targets": {"roles": ["administrator", "editor"]}, "exempt_users": []},
        {**PROFILE, "menu": [{"slug": "index.php", "state": "denied"}]},
        {**PROFILE, "custom_links": [{"label": "x", "url": "javascript:alert(1)"}]},
        {**PROFILE, "name": "<script>alert(1)</script>"},
        {**PROFILE, "unexpected": 1},
        {**PROFILE, "menu": PROFILE["menu"] + [PROFILE["menu"][0]]},
    ]
    for bad in bad_profiles:
        with pytest.raises(ProfileRejected):
            client.put_menu_profile(bad, 1)
    record = client.menu_profile()
    assert record["version"] == 1 and record["profile"]["name"] == "Client editor"


def test_the_backend_refuses_a_lockout_before_sending(app, fresh_sandbox, site):
    with pytest.raises(InvalidProfile) as caught:
        app.menus.push("s", {**PROFILE, "targets": {"roles": ["administrator"]},
                             "exempt_users": []})
    assert "every administrator" in caught.value.cause
    _, client = app.sites.client("s")
    assert client.menu_profile()["version"] == 0


def test_bulk_push_reports_each_site(app, fresh_sandbox, site):
    outcomes = app.menus.push_many(["s"], PROFILE, concurrency=4, per_host=2)
    assert [o.ok for o in outcomes] == [True]
    again = app.menus.push_many(["s"], PROFILE)
    assert again[0].result.unchanged


MALFORMED = [
    ("not json", "{", 400),
    ("a list", "[]", 400),
    ("no profile", '{"replaces_version": 0}', 400),
    ("profile is a string", '{"profile": "x", "replaces_version": 0}', 400),
    ("profile is a list", '{"profile": [], "replaces_version": 0}', 400),
    ("no version", '{"profile": {"schema_version": 1}}', 400),
    ("version is text", '{"profile": {}, "replaces_version": "one"}', 400),
    ("empty profile", '{"profile": {}, "replaces_version": 0}', 400),
    ("nested nonsense", '{"profile": {"schema_version": 1, "name": "x", "targets": '
                        '{"roles": [[]]}, "menu": [{"slug": {}, "state": []}]}, '
                        '"replaces_version": 0}', 400),
    ("too large", '{"profile": {"schema_version": 1, "name": "' + "x" * 70000 + '"}, '
                  '"replaces_version": 0}', 413),
]


def test_malformed_payloads_to_the_real_plugin(app, fresh_sandbox, site):
    """No 500, no PHP warning, and the stored profile unchanged, whatever is sent."""
    app.menus.push("s", PROFILE)
    key = app.sites.key_for(app.sites.get("s"))
    url = f"{key.rest}handoff/v1/menu-profile"
    log = fresh_sandbox.wordpress_dir / "wp-content" / "debug.log"
    log_size = log.stat().st_size if log.exists() else 0
    for label, body, expected in MALFORMED:
        response = requests.post(url, data=body.encode(), auth=(key.user, key.password),
                                 headers={"Content-Type": "application/json",
                                          "X-HTTP-Method-Override": "PUT"}, timeout=30)
        assert response.status_code == expected, (label, response.text[:300])
        assert response.json()["code"].startswith(("handoff_", "rest_")), label
    for label, params in [("rollback to text", {"to_version": "x", "replaces_version": 1}),
                          ("rollback to a missing version", {"to_version": 99,
                                                             "replaces_version": 1})]:
        response = requests.post(f"{url}/rollback", json=params, timeout=30,
                                 auth=(key.user, key.password))
        assert response.status_code in (400, 404), (label, response.text[:300])
    new_log = log.read_text(errors="replace")[log_size:] if log.exists() else ""
    assert "PHP Warning" not in new_log and "PHP Notice" not in new_log \
        and "Fatal" not in new_log, new_log[-2000:]
    record = app.menus.status("s")
    assert record.version == 1 and record.name == "Client editor"


def test_the_menu_commands_end_to_end(app, fresh_sandbox, site, tmp_path):
    from click.testing import CliRunner

    from handoff.cli import main

    runner = CliRunner()

    def cli(*args, input=None):
        return runner.invoke(main, list(args), obj=app, input=input, catch_exceptions=False)

    pulled = tmp_path / "profile.json"
    assert cli("menu", "pull", "s", "--role", "editor", "-o", str(pulled)).exit_code == 0
    assert cli("menu", "validate", str(pulled), "--site", "s").exit_code == 0
    diff = cli("menu", "diff", "s", "preset:content-editor")
    assert diff.exit_code == 0 and "Screens that will refuse to open" in diff.output
    pushed = cli("menu", "push", "s", "preset:content-editor")
    assert pushed.exit_code == 0 and "applied as version 1" in pushed.output
    again = cli("menu", "push", "--all", "preset:content-editor")
    assert again.exit_code == 0 and "unchanged" in again.output
    status = json.loads(cli("menu", "status", "s", "--json").output)
    assert status["version"] == 1 and status["name"] == "Content editor"
    assert cli("menu", "push", "s", "preset:blogger").exit_code == 0
    assert "now version 3" in cli("menu", "rollback", "s").output
    stale = cli("menu", "push", "s", "preset:blogger", "--expect-version", "1")
    assert stale.exit_code == 5 and "changed since" in stale.output
    listed = json.loads(cli("site", "list", "--json").output)
    assert listed[0]["menu"]["version"] == 3 and listed[0]["menu"]["name"] == "Content editor"
