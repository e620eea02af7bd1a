"""Which WordPress the sandbox installs: the system's, a fetched release, or a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoff.sandbox.errors import SandboxError
from handoff.sandbox.releases import (
    COMPLETE_MARKER,
    TREE_IN_ROOT,
    available,
    read_version,
    resolve,
    version_key,
)
from handoff.sandbox.sandbox import Sandbox
from handoff.sandbox.wordpress import check_locale


def make_tree(path: Path, version: str, themes=("twentytwentythree",),
              locales=("vi",)) -> Path:
    """Write the files that make `path` look like an unpacked WordPress `version`."""
    (path / "wp-includes").mkdir(parents=True)
    (path / "wp-settings.php").write_text("<?php\n")
    (path / "wp-includes" / "version.php").write_text(
        f"<?php\n/**\n * @global string $wp_version\n */\n$wp_version = '{version}';\n")
    for theme in themes:
        (path / "wp-content" / "themes" / theme).mkdir(parents=True)
    languages = path / "wp-content" / "languages"
    languages.mkdir(parents=True)
    for locale in locales:
        (languages / f"{locale}.mo").write_bytes(b"")
        (languages / f"admin-{locale}.mo").write_bytes(b"")
    return path


def make_fetched(cache: Path, branch: str, version: str, theme: str,
                 complete: bool = True) -> Path:
    """Write a fetched release into `cache` as `handoff sandbox fetch` leaves it."""
    root = cache / branch
    make_tree(root / TREE_IN_ROOT, version, themes=(theme,))
    if complete:
        (root / COMPLETE_MARKER).write_text("{}")
    return root / TREE_IN_ROOT


@pytest.fixture
def machine(tmp_path):
    """A Debian 12 machine: 6.1 installed, 6.8 fetched into the cache."""
    system = make_tree(tmp_path / "usr-share-wordpress", "6.1.9")
    cache = tmp_path / "cache"
    fetched = make_fetched(cache, "6.8", "6.8.12", "twentytwentyfive")
    return system, cache, fetched


def test_version_is_read_from_version_php(tmp_path):
    assert read_version(make_tree(tmp_path / "wp", "6.8.12")) == "6.8.12"
    assert read_version(tmp_path / "nothing") is None


def test_the_newest_available_release_is_the_default(machine):
    system, cache, fetched = machine
    tree = resolve(None, system, cache)
    assert (tree.path, tree.version, tree.theme) == (fetched, "6.8.12", "twentytwentyfive")


def test_a_branch_picks_the_system_or_the_fetched_tree(machine):
    system, cache, fetched = machine
    assert resolve("6.1", system, cache).path == system
    assert resolve("6.1", system, cache).theme == "twentytwentythree"
    assert resolve("6.8", system, cache).path == fetched


def test_an_unfinished_fetch_is_not_offered(tmp_path):
    system = make_tree(tmp_path / "system", "6.1.9")
    cache = tmp_path / "cache"
    make_fetched(cache, "6.8", "6.8.12", "twentytwentyfive", complete=False)
    assert set(available(system, cache)) == {"6.1"}
    with pytest.raises(SandboxError, match="6.8 is not available") as caught:
        resolve("6.8", system, cache)
    assert "make setup" in caught.value.fix


def test_on_debian_13_the_system_is_68_and_61_comes_from_the_cache(tmp_path):
    system = make_tree(tmp_path / "system", "6.8.12", themes=("twentytwentyfive",))
    cache = tmp_path / "cache"
    fetched = make_fetched(cache, "6.1", "6.1.9", "twentytwentythree")
    assert resolve(None, system, cache).path == system
    assert resolve("6.1", system, cache).path == fetched


def test_an_unknown_branch_is_refused(machine):
    system, cache, _fetched = machine
    with pytest.raises(SandboxError, match="no Debian release of WordPress 7.0"):
        resolve("7.0", system, cache)


def test_a_folder_is_used_with_its_own_newest_theme(machine, tmp_path):
    system, cache, _fetched = machine
    folder = make_tree(tmp_path / "custom", "6.9.1", themes=("twentytwentyfour",
                                                            "twentytwentyfive"))
    tree = resolve(str(folder), system, cache)
    assert (tree.path, tree.version, tree.theme) == (folder, "6.9.1", "twentytwentyfive")


def test_a_folder_without_wordpress_is_refused(machine, tmp_path):
    system, cache, _fetched = machine
    with pytest.raises(SandboxError, match="holds no WordPress"):
        resolve(str(tmp_path), system, cache)


def test_no_wordpress_at_all_says_to_run_setup(tmp_path):
    with pytest.raises(SandboxError, match="no WordPress found") as caught:
        resolve(None, tmp_path / "none", tmp_path / "cache")
    assert "make setup" in caught.value.fix


def test_branches_sort_as_numbers():
    assert sorted(["6.10", "6.8", "6.1"], key=version_key) == ["6.1", "6.8", "6.10"]


def test_a_locale_needs_wordpress_own_translation(machine):
    system, cache, _fetched = machine
    tree = resolve("6.1", system, cache)
    check_locale(tree, "vi")
    check_locale(tree, "en_US")
    with pytest.raises(SandboxError, match="no 'xx_YY' translation") as caught:
        check_locale(tree, "xx_YY")
    assert "vi" in caught.value.fix and "admin-vi" not in caught.value.fix


def test_an_installed_sandbox_refuses_another_version_or_locale(tmp_path):
    directory = tmp_path / "sandbox"
    make_tree(directory / "wordpress", "6.1.9")
    (directory / "installed.json").write_text('{"locale": "vi"}')
    with pytest.raises(SandboxError, match="installed with WordPress 6.1.9, not WordPress 6.8"):
        Sandbox(directory, wordpress="6.8").start()
    with pytest.raises(SandboxError, match="installed with locale vi, not locale zh_CN"):
        Sandbox(directory, locale="zh_CN").start()
    assert not (directory / "state.json").exists(), "nothing was started"


def test_an_unknown_server_is_refused(tmp_path):
    with pytest.raises(SandboxError, match="'nginx' is not a web server"):
        Sandbox(tmp_path, server="nginx")
