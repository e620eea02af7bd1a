"""WordPress 6.8 beside 6.1 and sites in the client's language, from Debian's packages."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from handoff.cli.sandbox import sandbox as sandbox_cli
from handoff.sandbox import Sandbox
from handoff.sandbox.debian_wordpress import dangling_links
from handoff.sandbox.releases import RELEASES, SYSTEM_TREE, available

pytestmark = pytest.mark.integration

SEEDED = (
    "echo wp_json_encode( array("
    " 'blogname' => get_option( 'blogname' ), 'public' => get_option( 'blog_public' ),"
    " 'permalinks' => get_option( 'permalink_structure' ),"
    " 'plugins' => get_option( 'active_plugins' ),"
    " 'posts' => wp_list_pluck( get_posts( array( 'post_type' => 'any',"
    "     'orderby' => 'ID', 'order' => 'ASC' ) ), 'post_name' ),"
    " 'users' => array_map( fn( $u ) => array( $u->user_login, $u->roles[0], $u->user_email,"
    "     $u->display_name ), get_users( array( 'orderby' => 'login' ) ) ) ) );")


def get(url: str, **kwargs) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=30, **kwargs)


def login(box: Sandbox) -> requests.Session:
    """Return a session logged in to wp-admin as the developer."""
    session = requests.Session()
    session.trust_env = False
    session.cookies.set("wordpress_test_cookie", "WP Cookie check")
    response = session.post(f"{box.url}/wp-login.php", timeout=30, data={
        "log": box.admin_login, "pwd": box.admin_password, "testcookie": "1",
        "redirect_to": f"{box.url}/wp-admin/"})
    assert response.status_code == 200 and "wp-admin-bar" in response.text, response.url
    return session


def started(directory: Path, **options) -> Iterator[Sandbox]:
    box = Sandbox(directory, **options)
    try:
        box.start()
        assert box.warnings == []
        yield box
    finally:
        box.stop()


@pytest.fixture(scope="module")
def sandbox_68(tmp_path_factory) -> Iterator[Sandbox]:
    yield from started(tmp_path_factory.mktemp("wp68"), wordpress="6.8")


@pytest.fixture(scope="module")
def sandbox_61(sandbox, tmp_path_factory) -> Iterator[Sandbox]:
    """A 6.1 sandbox: the session's unless that one runs 6.8 (HANDOFF_TEST_WORDPRESS)."""
    if (sandbox.wordpress_version or "").startswith("6.1."):
        yield sandbox
    else:
        yield from started(tmp_path_factory.mktemp("wp61"), wordpress="6.1")


def walk_links(tree: Path) -> list[Path]:
    """Return every symlink under `tree` (symlinked folders not entered)."""
    return [Path(folder) / name for folder, folders, files in os.walk(tree)
            for name in folders + files if (Path(folder) / name).is_symlink()]


def test_every_release_is_available_and_fetched_trees_have_no_dangling_link():
    trees = available()
    assert set(trees) == {known.branch for known in RELEASES}, "run `make setup`"
    fetched = [tree for tree in trees.values() if tree.path != SYSTEM_TREE]
    assert fetched, "the release the system lacks comes from the cache"
    for tree in fetched:
        root = tree.path.parents[2]  # var/wordpress/BRANCH, as dpkg would lay out /
        links = walk_links(tree.path)
        assert any("javascript" in os.readlink(link) for link in links), \
            "Debian's tree links libraries to other packages"
        assert dangling_links(root) == {}
        for link in links:
            if not os.path.isabs(os.readlink(link)):
                assert link.exists() and root in link.resolve().parents, link


def test_68_runs_twenty_twenty_five_as_a_block_theme(sandbox_68):
    facts = json.loads(sandbox_68.php(
        "echo wp_json_encode( array( 'version' => get_bloginfo( 'version' ),"
        " 'theme' => get_stylesheet(), 'block' => wp_is_block_theme() ) );"))
    assert facts["version"].startswith("6.8.") and facts["version"] == sandbox_68.wordpress_version
    assert facts["theme"] == "twentytwentyfive" and facts["block"] is True
    assert "twentytwentyfive" in get(sandbox_68.url + "/").text
    assert get(sandbox_68.url + "/hello-world/").status_code == 200
    assert get(sandbox_68.url + "/wp-json/").json()["name"] == "Sandbox Client Co."
    # Debian's links to getID3 and underscore were copied as files, and work.
    getid3 = sandbox_68.wordpress_dir / "wp-includes/ID3/getid3.php"
    assert getid3.is_file() and not getid3.is_symlink()
    assert sandbox_68.php("require_once ABSPATH . WPINC . '/ID3/getid3.php';"
                          " echo ( new getID3() )->version();").startswith("1.9.")
    underscore = get(sandbox_68.url + "/wp-includes/js/underscore.min.js")
    assert underscore.status_code == 200 and "_" in underscore.text


def test_both_versions_are_seeded_with_the_same_users_and_content(sandbox_61, sandbox_68):
    on_61 = json.loads(sandbox_61.php(SEEDED))
    on_68 = json.loads(sandbox_68.php(SEEDED))
    assert on_61 == on_68
    assert ["client", "editor", "client@example.test", "Client"] in on_68["users"]
    assert {"hello-world", "sample-page"} <= set(on_68["posts"])
    assert "handoff-companion/handoff-companion.php" in on_68["plugins"]


def test_68_admin_shows_the_plugin_added_menu_and_the_companion_connects(sandbox_68):
    dashboard = login(sandbox_68).get(f"{sandbox_68.url}/wp-admin/", timeout=30).text
    assert "Sandbox Reports" in dashboard and "edit.php?post_type=portfolio" in dashboard
    assert sandbox_68.connection_key().startswith("handoff1.")


def test_status_names_the_version_and_server(sandbox_68):
    result = CliRunner().invoke(sandbox_cli, ["status", "--dir", str(sandbox_68.directory)])
    assert result.exit_code == 0
    assert f"WordPress {sandbox_68.wordpress_version}, en_US, on php" in result.output


def test_a_vietnamese_68_site_uses_wordpress_own_translation(tmp_path):
    for box in started(tmp_path / "vi", wordpress="6.8", locale="vi"):
        facts = json.loads(box.php(
            "echo wp_json_encode( array( 'locale' => get_locale(), 'wplang' =>"
            " get_option( 'WPLANG' ), 'hello' => get_post( 1 )->post_title,"
            " 'translated' => __( 'Hello world!' ) ) );"))
        assert facts["locale"] == "vi" and facts["wplang"] == "vi"
        assert facts["hello"] == facts["translated"] != "Hello world!"
        assert box.locale == "vi"
        assert '<html lang="vi"' in get(box.url + "/").text
        assert json.loads(box.php(SEEDED))["users"][1][0] == "client"


def test_a_chinese_61_site_has_a_chinese_wp_admin(tmp_path):
    for box in started(tmp_path / "zh", wordpress="6.1", locale="zh_CN"):
        dashboard_label = box.php(
            "load_textdomain( 'default', WP_LANG_DIR . '/admin-zh_CN.mo' );"
            " echo __( 'Dashboard' );")
        assert dashboard_label != "Dashboard"
        page = login(box).get(f"{box.url}/wp-admin/", timeout=30).text
        assert 'lang="zh-CN"' in page and dashboard_label in page
