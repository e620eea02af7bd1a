"""The sandbox against the real thing: MariaDB, PHP's server and WordPress from Debian.

On the session's WordPress: 6.1 by default, 6.8 with HANDOFF_TEST_WORDPRESS=6.8.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import requests

from handoff.sandbox import Sandbox, SandboxError
from handoff.sandbox.releases import branch_of, release

pytestmark = pytest.mark.integration

TEAPOT = """<?php
add_action( 'init', function () {
    if ( isset( $_GET['teapot'] ) ) {
        status_header( 418 );
        exit;
    }
} );
"""
STUB_COMPANION = """<?php
/**
 * Plugin Name: Handoff Companion (stand-in)
 */
namespace Handoff\\Companion;

class Bridge_Connection {
    public function connect() {
        return array( 'key' => 'handoff1.stand-in-for-' . wp_get_current_user()->user_login );
    }
}
"""


def get(url: str, **kwargs) -> requests.Response:
    """GET straight to loopback, whatever proxy the environment names."""
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=30, **kwargs)


def processes_mentioning(directory: Path) -> list[str]:
    """Return the command lines of live processes that name `directory`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if f"{directory}/" in argv:
                found.append(argv)
    return found


def test_front_page_pretty_permalinks_and_static_files(fresh_sandbox):
    home = get(fresh_sandbox.url + "/")
    assert home.status_code == 200 and "Sandbox Client Co." in home.text
    assert get(fresh_sandbox.url + "/hello-world/").status_code == 200
    assert get(fresh_sandbox.url + "/sample-page/").status_code == 200
    assert get(fresh_sandbox.url + "/no-such-page/").status_code == 404
    css = get(fresh_sandbox.url + "/wp-includes/css/dashicons.min.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/wp-json/", "/?rest_route=/"])
def test_rest_index_answers_json(fresh_sandbox, path):
    index = get(fresh_sandbox.url + path)
    assert index.status_code == 200, index.text[:300]
    assert index.json()["name"] == "Sandbox Client Co."
    assert index.json()["home"] == fresh_sandbox.url


def test_site_is_a_fresh_development_site(fresh_sandbox):
    facts = fresh_sandbox.php(
        "echo wp_json_encode( array("
        " 'version' => get_bloginfo( 'version' ), 'env' => wp_get_environment_type(),"
        " 'debug' => WP_DEBUG, 'public' => get_option( 'blog_public' ),"
        " 'theme' => get_stylesheet(), 'permalinks' => get_option( 'permalink_structure' ),"
        " 'plugins' => get_option( 'active_plugins' ), 'home' => home_url(),"
        " 'titles' => wp_list_pluck( get_posts( array( 'post_type' => 'any' ) ), 'post_title' ),"
        " 'users' => array_map( fn( $u ) => array( $u->user_login, $u->roles[0],"
        "     $u->user_email ), get_users() ) ) );")
    site = json.loads(facts)
    branch = branch_of(site["version"])
    assert branch == os.environ.get("HANDOFF_TEST_WORDPRESS", "6.1")
    assert site["env"] == "local" and site["debug"] is True
    assert site["public"] == "0" and site["theme"] == release(branch).theme
    assert site["permalinks"] == "/%postname%/" and site["home"] == fresh_sandbox.url
    assert "handoff-sandbox-extras/handoff-sandbox-extras.php" in site["plugins"]
    assert {"Hello world!", "Sample Page"} <= set(site["titles"])
    assert ["admin", "administrator", "admin@example.test"] in site["users"]
    assert ["client", "editor", "client@example.test"] in site["users"]


def test_php_returns_stdout_and_raises_on_failure(fresh_sandbox):
    assert fresh_sandbox.php("echo get_bloginfo( 'version' );") == fresh_sandbox.wordpress_version
    assert fresh_sandbox.php("<?php echo 1 + 1;") == "2"
    for broken in ("no_such_function();", "throw new Exception( 'boom' );",
                   "wp_die( 'stopped' );", "exit( 2 );"):
        with pytest.raises(SandboxError):
            fresh_sandbox.php(broken)
    with pytest.raises(SandboxError, match="boom"):
        fresh_sandbox.php("throw new Exception( 'boom' );")


def login(sandbox: Sandbox, user: str, password: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.cookies.set("wordpress_test_cookie", "WP Cookie check")
    response = session.post(f"{sandbox.url}/wp-login.php", timeout=30, data={
        "log": user, "pwd": password, "testcookie": "1",
        "redirect_to": f"{sandbox.url}/wp-admin/"})
    assert response.status_code == 200 and "wp-admin-bar" in response.text, response.url
    return session


def test_wp_admin_login_and_the_plugin_added_menu(fresh_sandbox):
    page = get(fresh_sandbox.url + "/wp-login.php")
    assert page.status_code == 200 and 'name="log"' in page.text
    assert get(fresh_sandbox.url + "/wp-admin", allow_redirects=False).status_code == 301

    admin = login(fresh_sandbox, fresh_sandbox.admin_login, fresh_sandbox.admin_password)
    dashboard = admin.get(f"{fresh_sandbox.url}/wp-admin/", timeout=30).text
    assert "Sandbox Reports" in dashboard and "sandbox-reports-export" in dashboard
    assert "edit.php?post_type=portfolio" in dashboard

    client = login(fresh_sandbox, fresh_sandbox.client_login, fresh_sandbox.client_password)
    dashboard = client.get(f"{fresh_sandbox.url}/wp-admin/", timeout=30).text
    assert "Sandbox Reports" in dashboard and "sandbox-reports-export" not in dashboard
    assert "plugins.php" not in dashboard


def test_mu_plugin_takes_effect_and_can_be_removed(fresh_sandbox):
    fresh_sandbox.add_mu_plugin("teapot", TEAPOT)
    assert get(fresh_sandbox.url + "/?teapot=1").status_code == 418
    fresh_sandbox.remove_mu_plugin("teapot")
    assert get(fresh_sandbox.url + "/?teapot=1").status_code == 200
    with pytest.raises(SandboxError, match="must-use plugin name"):
        fresh_sandbox.add_mu_plugin("../escape", "<?php")


def test_authorization_header_reaches_php(fresh_sandbox):
    fresh_sandbox.add_mu_plugin("whoami", "add_action( 'init', function () {\n"
                                "\tif ( isset( $_GET['auth'] ) ) {\n"
                                "\t\techo $_SERVER['PHP_AUTH_USER'] ?? '-'; exit;\n"
                                "\t}\n} );")
    assert get(fresh_sandbox.url + "/?auth=1", auth=("someone", "secret")).text == "someone"


def test_reset_restores_the_installed_site(fresh_sandbox):
    post_id = fresh_sandbox.php(
        "echo wp_insert_post( array( 'post_title' => 'Temporary', 'post_status' => 'publish',"
        " 'post_name' => 'temporary' ) );")
    fresh_sandbox.php("update_option( 'blogname', 'Renamed' );")
    fresh_sandbox.add_mu_plugin("leftover", "<?php // a test's leftover")
    fresh_sandbox.php("global $wpdb; $wpdb->query( 'CREATE TABLE wp_leftover ( id INT )' );")
    assert get(fresh_sandbox.url + "/temporary/").status_code == 200

    fresh_sandbox.reset()

    assert fresh_sandbox.php(f"echo get_post( {int(post_id)} ) ? 'still there' : 'gone';") == "gone"
    assert fresh_sandbox.php("echo get_option( 'blogname' );") == "Sandbox Client Co."
    assert not list(fresh_sandbox.wordpress_dir.glob("wp-content/mu-plugins/*.php"))
    assert fresh_sandbox.php("global $wpdb; echo $wpdb->get_var( \"SHOW TABLES LIKE "
                             "'wp_leftover'\" ) ?? 'none';") == "none"
    assert get(fresh_sandbox.url + "/temporary/").status_code == 404


def test_plain_permalinks_leave_rest_only_at_rest_route(fresh_sandbox):
    fresh_sandbox.set_permalinks("")
    # WordPress adds index.php itself (nginx answers a redirect from / with 405 to POSTs).
    assert fresh_sandbox.php("echo rest_url();") == f"{fresh_sandbox.url}/index.php?rest_route=/"
    for path in ("/?rest_route=/", "/index.php?rest_route=/"):
        assert get(fresh_sandbox.url + path).json()["name"] == "Sandbox Client Co."
    assert "application/json" not in get(fresh_sandbox.url + "/wp-json/").headers["content-type"]
    assert get(fresh_sandbox.url + "/?p=1").status_code == 200
    fresh_sandbox.set_permalinks("/%postname%/")
    assert fresh_sandbox.php("echo rest_url();") == f"{fresh_sandbox.url}/wp-json/"
    rules = fresh_sandbox.php("echo implode( ' ', array_keys( get_option( 'rewrite_rules' ) ) );")
    assert "portfolio/?$" in rules.split()


def test_start_is_idempotent_and_state_is_shared(sandbox):
    sandbox.start()
    other = Sandbox(sandbox.directory)  # e.g. the CLI in another process
    assert other.is_running() and other.url == sandbox.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sandbox.url)
    with pytest.raises(SandboxError, match="already running"):
        Sandbox(sandbox.directory, port=1).start()
    assert oct(os.stat(sandbox.directory / "credentials.json").st_mode & 0o777) == "0o600"


def test_stop_leaves_nothing_running_and_start_brings_it_back(sandbox):
    url = sandbox.url
    sandbox.stop()
    assert not sandbox.is_running()
    assert processes_mentioning(sandbox.directory) == []
    with pytest.raises(requests.ConnectionError):
        get(url + "/")
    with pytest.raises(SandboxError, match="not running"):
        sandbox.php("echo 1;")
    sandbox.start()
    assert sandbox.url == url, "the previous port is reused when free"
    assert get(url + "/").status_code == 200


def test_companion_plugin_is_linked_from_the_working_tree(sandbox):
    link = sandbox.wordpress_dir / "wp-content" / "plugins" / "handoff-companion"
    assert link.is_symlink()
    assert link.resolve() == (Path(__file__).resolve().parents[2] / "wp-plugin" /
                              "handoff-companion")


def test_companion_plugin_is_activated_once_it_exists(tmp_path, monkeypatch):
    source = tmp_path / "plugin" / "handoff-companion"
    source.mkdir(parents=True)
    monkeypatch.setenv("HANDOFF_PLUGIN_SOURCE", str(source))
    box = Sandbox(tmp_path / "sandbox")
    try:
        box.start()
        assert any("does not exist yet" in warning for warning in box.warnings)
        with pytest.raises(SandboxError, match="companion plugin is missing"):
            box.connection_key()

        (source / "handoff-companion.php").write_text(STUB_COMPANION)
        box.start()  # already running: only activates the plugin and re-snapshots
        assert box.connection_key() == "handoff1.stand-in-for-admin"
        box.reset()
        assert "handoff-companion/handoff-companion.php" in box.php(
            "echo implode( ',', get_option( 'active_plugins' ) );")
    finally:
        box.stop()
    assert processes_mentioning(box.directory) == []


def test_a_failed_start_leaves_nothing_running(sandbox, monkeypatch):
    def server_fails(*_args, **_kwargs):
        raise SandboxError("PHP's web server exited while starting", "see the log")

    sandbox.stop()
    monkeypatch.setattr("handoff.sandbox.sandbox.start_server", server_fails)
    # Behind Apache (HANDOFF_TEST_SERVER=apache), PHP-FPM is already running by then.
    monkeypatch.setattr("handoff.sandbox.apache.start_apache", server_fails)
    with pytest.raises(SandboxError, match="exited while starting"):
        sandbox.start()
    assert processes_mentioning(sandbox.directory) == [], "MariaDB (and PHP-FPM) stopped again"
    monkeypatch.undo()
    sandbox.start()
    assert sandbox.is_running()
