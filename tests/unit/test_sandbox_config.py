"""What the sandbox writes: wp-config.php, MariaDB's option file, the PHP server's command."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from handoff.sandbox.apache import (
    MODULES_DIR,
    Account,
    apache_command,
    blocked_folder,
    fpm_command,
    fpm_program,
    render_fpm_conf,
    render_httpd_conf,
)
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


# -- Apache and PHP-FPM (`--server apache`)

WWW = Account("www-data", "www-data", 33, 33)


def test_apache_serves_wordpress_on_loopback_with_htaccess_and_rewrite(tmp_path):
    layout = Layout.at(tmp_path)
    text = render_httpd_conf(layout, 8123, account=None)
    lines = text.splitlines()
    assert "Listen 127.0.0.1:8123" in lines
    assert f'ServerRoot "{layout.apache}"' in lines
    assert f'PidFile "{layout.apache_pid_file}"' in lines
    assert f'DocumentRoot "{layout.wordpress}"' in lines
    wordpress_section = text.split(f'<Directory "{layout.wordpress}">')[1].split("</Directory>")[0]
    assert "AllowOverride All" in wordpress_section
    assert f"LoadModule rewrite_module {MODULES_DIR}/mod_rewrite.so" in lines
    assert f"LoadModule proxy_fcgi_module {MODULES_DIR}/mod_proxy_fcgi.so" in lines
    assert f'    SetHandler "proxy:unix:{layout.fpm_socket}|fcgi://localhost"' in lines
    assert not any(line.startswith(("User", "Group", "Include")) for line in lines)
    assert "/etc/apache2" not in text, "nothing of the system's Apache configuration is read"


def test_apache_drops_the_authorization_header_like_a_plain_fastcgi_host(tmp_path):
    text = render_httpd_conf(Layout.at(tmp_path), 8123, account=None)
    assert "Authorization" not in text.replace("# No SetEnvIf Authorization", "")
    assert "CGIPassAuth" not in text


def test_apache_workers_switch_to_the_web_user_under_root(tmp_path):
    lines = render_httpd_conf(Layout.at(tmp_path), 8123, account=WWW).splitlines()
    assert "User www-data" in lines and "Group www-data" in lines


def test_php_fpm_listens_on_the_sandbox_socket_in_the_foreground(tmp_path):
    layout = Layout.at(tmp_path)
    text = render_fpm_conf(layout, account=None)
    lines = text.splitlines()
    assert f"listen = {layout.fpm_socket}" in lines and "daemonize = no" in lines
    assert f"pid = {layout.fpm_pid_file}" in lines
    assert "php_admin_value[opcache.revalidate_freq] = 0" in lines
    assert "user = root" not in lines and "listen.owner" not in text
    assert "--allow-to-run-as-root" not in fpm_command("/usr/sbin/php-fpm8.2", layout, False)


def test_php_fpm_under_root_hands_its_socket_to_apaches_user(tmp_path):
    layout = Layout.at(tmp_path)
    lines = render_fpm_conf(layout, account=WWW).splitlines()
    assert {"user = root", "listen.owner = www-data", "listen.group = www-data",
            "listen.mode = 0660"} <= set(lines)
    assert fpm_command("/usr/sbin/php-fpm8.2", layout, True)[-1] == "--allow-to-run-as-root"


def test_apache_command_reads_only_the_sandbox_config(tmp_path):
    layout = Layout.at(tmp_path)
    assert apache_command("/usr/sbin/apache2", layout) == [
        "/usr/sbin/apache2", "-f", str(layout.httpd_conf), "-DFOREGROUND"]


@pytest.mark.skipif(not shutil.which("apache2", path="/usr/sbin:" + os.environ["PATH"]),
                    reason="apache2 is not installed")
def test_apache_accepts_the_config(tmp_path):
    layout = Layout.at(tmp_path)
    for folder in (layout.wordpress, layout.apache_runtime, layout.logs):
        folder.mkdir(parents=True)
    layout.httpd_conf.write_text(render_httpd_conf(layout, 8123, account=None))
    result = subprocess.run(["/usr/sbin/apache2", "-t", "-f", str(layout.httpd_conf)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Syntax OK" in result.stderr


@pytest.mark.skipif(not list(Path("/usr/sbin").glob("php-fpm*")), reason="php-fpm is missing")
def test_php_fpm_accepts_the_config(tmp_path):
    layout = Layout.at(tmp_path)
    for folder in (layout.php_fpm, layout.logs):
        folder.mkdir(parents=True)
    layout.fpm_conf.write_text(render_fpm_conf(layout, account=None))
    as_root = os.geteuid() == 0
    if as_root:
        layout.fpm_conf.write_text(render_fpm_conf(layout, account=WWW))
    argv = [*fpm_command(fpm_program(), layout, as_root), "--test"]
    result = subprocess.run(argv, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_folder_apaches_user_may_not_enter_is_named():
    # Under /tmp, not pytest's own temporary folder: that one is private to its owner.
    base = Path(tempfile.mkdtemp(prefix="handoff-blocked-"))
    try:
        private = base / "private"
        site = private / "sandbox" / "wordpress"
        site.mkdir(parents=True)
        base.chmod(0o755)
        private.chmod(0o700)
        stranger = Account("nobody", "nogroup", 65534, 65534)
        assert blocked_folder(site, stranger) == private
        private.chmod(0o711)
        assert blocked_folder(site, stranger) is None
        owner = Account("me", "us", os.getuid(), os.getgid())
        private.chmod(0o600)  # not even its owner may enter without x
        assert blocked_folder(site, owner) == private
    finally:
        private.chmod(0o700)
        shutil.rmtree(base)


def test_fpm_socket_path_counts_for_the_socket_length_check():
    layout = Layout(Path("/tmp/" + "d" * 83))  # short enough for mysql/, not for php-fpm/
    assert len(str(layout.socket)) <= 107 < len(str(layout.fpm_socket))
    with pytest.raises(SandboxError, match="too deep"):
        layout.check_socket_path()
