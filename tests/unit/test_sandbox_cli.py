"""`handoff sandbox`: thin commands; what they say when there is nothing to act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from handoff.cli.sandbox import default_sandbox_dir, sandbox
from handoff.sandbox import releases
from handoff.sandbox.private_apt import PrivateApt
from tests.helpers import REPO
from tests.unit.test_sandbox_releases import make_fetched, make_tree


def test_default_directory_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("HANDOFF_SANDBOX_DIR", raising=False)
    assert default_sandbox_dir() == REPO / "var" / "sandbox"
    monkeypatch.setenv("HANDOFF_SANDBOX_DIR", str(tmp_path / "env"))
    assert default_sandbox_dir() == tmp_path / "env"
    assert default_sandbox_dir(str(tmp_path / "flag")) == tmp_path / "flag"


def test_status_and_stop_of_a_sandbox_never_started(tmp_path):
    directory = tmp_path / "none"
    runner = CliRunner()
    status = runner.invoke(sandbox, ["status", "--dir", str(directory)])
    assert status.exit_code == 0 and "Not installed" in status.output
    stopped = runner.invoke(sandbox, ["stop", "--dir", str(directory)])
    assert stopped.exit_code == 0 and "Not running" in stopped.output
    assert not directory.exists(), "looking must not create anything"


def test_key_of_a_stopped_sandbox_says_to_start_it(tmp_path):
    result = CliRunner().invoke(sandbox, ["key", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "not running" in result.output and "handoff sandbox start" in result.output


def test_start_rejects_a_port_that_is_not_one(tmp_path):
    result = CliRunner().invoke(sandbox, ["start", "--dir", str(tmp_path), "--port", "70000"])
    assert result.exit_code == 2 and not Path(tmp_path, "state.json").exists()


def test_start_rejects_a_server_it_does_not_run(tmp_path):
    result = CliRunner().invoke(sandbox, ["start", "--dir", str(tmp_path), "--server", "nginx"])
    assert result.exit_code == 2 and "'nginx' is not one of 'php', 'apache'" in result.output


def test_start_with_an_unknown_wordpress_release_starts_nothing(tmp_path):
    result = CliRunner().invoke(sandbox, ["start", "--dir", str(tmp_path), "--wordpress", "5.0"])
    assert result.exit_code == 1
    assert "no Debian release of WordPress 5.0" in result.output
    assert not Path(tmp_path, "state.json").exists() and not Path(tmp_path, "mysql").exists()


def test_start_with_a_locale_wordpress_does_not_ship_starts_nothing(tmp_path, monkeypatch):
    folder = make_tree(tmp_path / "wp", "6.8.12", themes=("twentytwentyfive",))
    result = CliRunner().invoke(sandbox, ["start", "--dir", str(tmp_path / "sb"), "--wordpress",
                                          str(folder), "--locale", "xx_YY"])
    assert result.exit_code == 1 and "no 'xx_YY' translation" in result.output
    assert not Path(tmp_path, "sb", "mysql").exists()


def test_status_names_the_installed_version_and_locale(tmp_path):
    make_tree(tmp_path / "wordpress", "6.8.12")
    Path(tmp_path, "installed.json").write_text('{"locale": "vi"}')
    result = CliRunner().invoke(sandbox, ["status", "--dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "Stopped (WordPress 6.8.12, vi, installed in" in result.output


def test_fetch_with_everything_fetched_downloads_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_WORDPRESS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(releases, "SYSTEM_TREE", make_tree(tmp_path / "system", "6.1.9"))
    make_fetched(tmp_path / "cache", "6.8", "6.8.12", "twentytwentyfive")
    monkeypatch.setattr(PrivateApt, "update", lambda self: pytest.fail("apt was run"))
    result = CliRunner().invoke(sandbox, ["fetch"])
    assert result.exit_code == 0, result.output
    assert f"WordPress 6.8.12 (Debian trixie): already in {tmp_path / 'cache' / '6.8'}" in \
        result.output
