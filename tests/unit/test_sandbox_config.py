"""What the sandbox writes: wp-config.php, MariaDB's option file, the PHP server's command."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.sandbox.credentials import SALT_NAMES, generate_salts
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.layout import Layout
from handoff.sandbox.mariadb import render_my_cnf
from handoff.sandbox.server import WORKERS, server_command, server_environment
from handoff.sandbox.wpconfig import WpConfig, php_string, render_wp_config

SOCKET = "/tmp/sb/mysql/mysqld.sock"


def config(**overrides) -> WpConfig:
    values = {"url": "http://127.0.0.1:8123", "db_name": "wordpress", "db_user": "wordpress",
              "db_password": "pa'ss\\word", "db_socket": SOCKET, "salts": generate_salts()}
    return WpConfig(**{**values, **overrides})


@pytest.mark.parametrize("value, literal", [
    ("plain", "'plain'"), ("it's", "'it\\'s'"), ("back\\slash", "'back\\\\slash'"), ("", "''"),
    ("$no_interpolation", "'$no_interpolation'"),
])
def test_php_string(value, literal):
    assert php_string(value) == literal


def test_wp_config_defines_a_fresh_local_development_site():
    text = render_wp_config(config())
    for line in ("define( 'WP_ENVIRONMENT_TYPE', 'local' );", "define( 'WP_DEBUG', true );",
                 "define( 'WP_DEBUG_LOG', true );", "define( 'WP_DEBUG_DISPLAY', false );",
                 "define( 'FS_METHOD', 'direct' );", "define( 'DISABLE_WP_CRON', true );",
                 "define( 'AUTOMATIC_UPDATER_DISABLED', true );",
                 "define( 'WP_HTTP_BLOCK_EXTERNAL', true );",
                 "define( 'WP_HOME', 'http://127.0.0.1:8123' );",
                 "define( 'WP_SITEURL', 'http://127.0.0.1:8123' );",
                 f"define( 'DB_HOST', 'localhost:{SOCKET}' );",
                 "define( 'DB_PASSWORD', 'pa\\'ss\\\\word' );",
                 "$table_prefix = 'wp_';"):
        assert line in text, line
    assert "WP_ACCESSIBLE_HOSTS" not in text
    assert text.rstrip().endswith("require_once ABSPATH . 'wp-settings.php';")


def test_wp_config_has_every_salt_and_they_are_random():
    salts = generate_salts()
    text = render_wp_config(config(salts=salts))
    assert set(salts) == set(SALT_NAMES)
    for name, value in salts.items():
        assert f"define( '{name}', '{value}' );" in text
        assert len(value) >= 64
    assert generate_salts() != salts


@pytest.mark.skipif(not shutil.which("php"), reason="php-cli is not installed")
def test_wp_config_is_valid_php(tmp_path):
    path = tmp_path / "wp-config.php"
    path.write_text(render_wp_config(config()))
    result = subprocess.run(["php", "-l", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_my_cnf_keeps_mariadb_private(tmp_path):
    layout = Layout.at(tmp_path)
    text = render_my_cnf(layout, "secret", run_as_root=False)
    server, client = text.split("[client]")
    assert server.startswith("[mariadbd]")
    assert f"datadir = {layout.datadir}" in server
    assert f"socket = {layout.socket}" in server and f"socket = {layout.socket}" in client
    assert "skip-networking" in server and "port" not in text
    assert "user = root" not in server
    assert "user = wordpress" in client and "password = secret" in client


def test_my_cnf_lets_root_run_mariadbd(tmp_path):
    text = render_my_cnf(Layout.at(tmp_path), "secret", run_as_root=True)
    assert "user = root" in text.split("[client]")[0]


def test_server_listens_on_loopback_only_with_the_router_last():
    argv = server_command("/usr/bin/php", 8123, "/sb/wordpress", "/pkg/router.php")
    assert argv[0] == "/usr/bin/php"
    assert argv[argv.index("-S") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("-t") + 1] == "/sb/wordpress"
    assert argv[-1] == "/pkg/router.php"
    assert "opcache.revalidate_freq=0" in argv  # edited mu-plugins take effect at once


def test_server_runs_several_workers():
    assert server_environment()["PHP_CLI_SERVER_WORKERS"] == str(WORKERS)
    assert WORKERS > 1


def test_layout_is_absolute_and_under_the_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    layout = Layout.at("relative/sandbox")
    assert layout.directory == tmp_path / "relative" / "sandbox"
    for path in (layout.socket, layout.wordpress, layout.state_file, layout.snapshot_file,
                 layout.mu_plugins, layout.my_cnf):
        assert path.is_absolute() and layout.directory in path.parents


def test_too_long_socket_path_is_a_clear_error():
    layout = Layout(Path("/tmp/" + "d" * 120))
    with pytest.raises(SandboxError, match="too deep") as caught:
        layout.check_socket_path()
    assert "shorter --dir" in caught.value.fix
    Layout(Path("/tmp/short")).check_socket_path()
