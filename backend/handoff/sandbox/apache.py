"""Debian's Apache in front of PHP-FPM, as on a production host (`--server apache`).

A private configuration under DIR/apache (its own ServerRoot, config file, pid file, logs
in DIR/logs), mod_rewrite and `.htaccess` honoured (AllowOverride All), PHP through
mod_proxy_fcgi to a private PHP-FPM on a Unix socket in DIR/php-fpm. Like a host whose
PHP-FPM setup does not pass it on, Apache drops the Authorization header on the way to
PHP: only WordPress's own `.htaccess` rule (RewriteRule .* - [E=HTTP_AUTHORIZATION:...])
brings it back, and a site without that rule really loses it.
"""

from __future__ import annotations

import grp
import os
import pwd
import socket
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from handoff.sandbox import processes
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.layout import Layout
from handoff.sandbox.ports import LOOPBACK
from handoff.sandbox.server import START_TIMEOUT, WORKERS, http_answers

FIX_MISSING = ("run `make setup` (installs Debian's apache2 and php-fpm, keeping their system "
               "services stopped)")
MODULES_DIR = Path("/usr/lib/apache2/modules")
MIME_TYPES = Path("/etc/mime.types")
# What WordPress needs and nothing more; mod_log_config and mod_unixd are built in.
MODULES = ("mpm_event", "authz_core", "dir", "mime", "rewrite", "proxy", "proxy_fcgi")
# Debian's web server account; Apache will not serve pages as root.
WEB_USER = "www-data"


@dataclass(frozen=True)
class Account:
    """The user and group Apache's workers switch to when started as root."""

    user: str
    group: str
    uid: int
    gid: int


def web_account() -> Account:
    """Return Debian's www-data (else nobody/nogroup): Apache's workers run as it under root."""
    for user in (WEB_USER, "nobody"):
        try:
            entry = pwd.getpwnam(user)
        except KeyError:
            continue
        return Account(user, grp.getgrgid(entry.pw_gid).gr_name, entry.pw_uid, entry.pw_gid)
    raise SandboxError("neither www-data nor nobody exists to run Apache's workers", FIX_MISSING)


def apache_program() -> str:
    return processes.find_program("apache2", FIX_MISSING)


def fpm_program() -> str:
    """Return Debian's PHP-FPM (php-fpmX.Y in /usr/sbin; the newest if several)."""
    for folder in processes.EXTRA_PATH:
        found = sorted(Path(folder).glob("php-fpm[0-9]*"), key=lambda p: p.name)
        if found:
            return str(found[-1])
    return processes.find_program("php-fpm", FIX_MISSING)


def check_programs() -> None:
    """Raise SandboxError unless Apache, its modules and PHP-FPM are installed."""
    apache_program()
    fpm_program()
    for module in MODULES:
        if not (MODULES_DIR / f"mod_{module}.so").is_file():
            raise SandboxError(f"the Apache module {module} is missing from {MODULES_DIR}",
                               FIX_MISSING)


def render_httpd_conf(layout: Layout, port: int, account: Account | None) -> str:
    """Return the sandbox's Apache configuration; `account` when started as root."""
    wordpress = layout.wordpress
    lines = [
        "# The Handoff sandbox's Apache, written again at every start: edits here are lost.",
        f'ServerRoot "{layout.apache}"',
        f"ServerName {LOOPBACK}",
        f"Listen {LOOPBACK}:{port}",
        f'PidFile "{layout.apache_pid_file}"',
        f'DefaultRuntimeDir "{layout.apache_runtime}"',
        *(f"LoadModule {name}_module {MODULES_DIR}/mod_{name}.so" for name in MODULES),
        *([f"User {account.user}", f"Group {account.group}"] if account else []),
        f'ErrorLog "{layout.apache_error_log}"',
        "LogLevel warn",
        'LogFormat "%h %u %t \\"%r\\" %>s %b %D" sandbox',
        f'CustomLog "{layout.apache_access_log}" sandbox',
        f'TypesConfig "{MIME_TYPES if MIME_TYPES.is_file() else os.devnull}"',
        # A few workers, like PHP's server: the machine is shared.
        "StartServers 1",
        "ServerLimit 2",
        "ThreadsPerChild 8",
        "MaxRequestWorkers 16",
        "MinSpareThreads 4",
        "MaxSpareThreads 16",
        f'DocumentRoot "{wordpress}"',
        "DirectoryIndex index.php index.html",
        "AccessFileName .htaccess",
        "<Directory />",
        "    Options None",
        "    AllowOverride None",
        "    Require all denied",
        "</Directory>",
        f'<Directory "{wordpress}">',
        # The companion plugin is a symlink to the working tree.
        "    Options FollowSymLinks",
        "    AllowOverride All",
        "    Require all granted",
        "</Directory>",
        '<FilesMatch "^\\.ht">',
        "    Require all denied",
        "</FilesMatch>",
        # No SetEnvIf Authorization here (Debian's php-fpm.conf has one): the header is
        # dropped on the way to PHP unless the site's .htaccess passes it on.
        '<FilesMatch "\\.php$">',
        f'    SetHandler "proxy:unix:{layout.fpm_socket}|fcgi://localhost"',
        "</FilesMatch>",
        "",
    ]
    return "\n".join(lines)


def render_fpm_conf(layout: Layout, account: Account | None) -> str:
    """Return PHP-FPM's configuration; under root its pool runs as root, its socket is Apache's."""
    lines = [
        "; The Handoff sandbox's PHP-FPM, written again at every start.",
        "[global]",
        f"pid = {layout.fpm_pid_file}",
        f"error_log = {layout.fpm_log}",
        "daemonize = no",
        "",
        "[sandbox]",
        f"listen = {layout.fpm_socket}",
        "listen.mode = 0660",
    ]
    if account:
        # The sandbox's files belong to root (as with PHP's server); Apache's workers
        # (www-data) only need the socket.
        lines += ["user = root", "group = root", f"listen.owner = {account.user}",
                  f"listen.group = {account.group}"]
    lines += [
        "pm = static",
        f"pm.max_children = {WORKERS}",
        "catch_workers_output = yes",
        "decorate_workers_output = no",
        # Edited plugins and mu-plugins take effect on the next request.
        "php_admin_value[opcache.validate_timestamps] = 1",
        "php_admin_value[opcache.revalidate_freq] = 0",
        "",
    ]
    return "\n".join(lines)


def fpm_command(fpm: str, layout: Layout, as_root: bool) -> list[str]:
    """Return PHP-FPM's argv: in the foreground, with the sandbox's config (root allowed)."""
    return [fpm, "--nodaemonize", "--fpm-config", str(layout.fpm_conf),
            *(["--allow-to-run-as-root"] if as_root else [])]


def apache_command(apache: str, layout: Layout) -> list[str]:
    """Return Apache's argv: in the foreground, the sandbox's config file only."""
    return [apache, "-f", str(layout.httpd_conf), "-DFOREGROUND"]


def blocked_folder(path: Path, account: Account) -> Path | None:
    """Return the first folder from / to `path` that `account` may not enter, or None."""
    for folder in [*reversed(path.parents), path]:
        mode = folder.stat()
        if mode.st_uid == account.uid:
            allowed = mode.st_mode & stat.S_IXUSR
        elif mode.st_gid == account.gid:
            allowed = mode.st_mode & stat.S_IXGRP
        else:
            allowed = mode.st_mode & stat.S_IXOTH
        if not allowed:
            return folder
    return None


def prepare(layout: Layout, port: int) -> Account | None:
    """Write both configurations; under root, make sure Apache's workers can reach the site."""
    account = web_account() if os.geteuid() == 0 else None
    for folder in (layout.apache, layout.apache_runtime, layout.php_fpm, layout.logs):
        folder.mkdir(parents=True, exist_ok=True)
    if account:
        # The sandbox's own folders: others may pass through (its secrets are files of mode 600).
        for folder in (layout.directory, layout.php_fpm):
            folder.chmod(folder.stat().st_mode | stat.S_IXGRP | stat.S_IXOTH)
        blocked = blocked_folder(layout.wordpress, account)
        if blocked:
            raise SandboxError(f"Apache's workers run as {account.user}, who may not enter "
                               f"{blocked}", "choose a --dir whose parent folders others may "
                               "enter (e.g. under /tmp or /srv), or run as a normal user")
    layout.httpd_conf.write_text(render_httpd_conf(layout, port, account), encoding="utf-8")
    layout.fpm_conf.write_text(render_fpm_conf(layout, account), encoding="utf-8")
    return account


def start_fpm(layout: Layout, as_root: bool) -> subprocess.Popen:
    """Start PHP-FPM and return it once its socket accepts connections."""
    layout.check_socket_path()
    layout.fpm_socket.unlink(missing_ok=True)  # a stale socket would look ready
    process = processes.spawn(fpm_command(fpm_program(), layout, as_root), log=layout.fpm_log)

    def ready() -> bool:
        if process.poll() is not None:
            raise SandboxError(f"PHP-FPM exited while starting (exit {process.returncode}): "
                               f"{processes.tail(layout.fpm_log)}", f"see {layout.fpm_log}")
        return socket_accepts(layout.fpm_socket)
    processes.wait_until(ready, START_TIMEOUT, "PHP-FPM to accept connections")
    return process


def start_apache(layout: Layout, port: int) -> subprocess.Popen:
    """Start Apache on 127.0.0.1:`port` and return it once WordPress answers over HTTP."""
    layout.apache_pid_file.unlink(missing_ok=True)  # Apache refuses to start over a stale one
    process = processes.spawn(apache_command(apache_program(), layout),
                              log=layout.logs / "apache.out")

    def answers() -> bool:
        if process.poll() is not None:
            raise SandboxError(f"Apache exited while starting (exit {process.returncode}): "
                               f"{processes.tail(layout.logs / 'apache.out')} "
                               f"{processes.tail(layout.apache_error_log)}",
                               f"see {layout.apache_error_log}")
        return http_answers(f"http://{LOOPBACK}:{port}/")
    processes.wait_until(answers, START_TIMEOUT, f"WordPress to answer on port {port}")
    return process


def socket_accepts(path: Path) -> bool:
    """Return whether something accepts connections on Unix socket `path`."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(1.0)
        try:
            client.connect(str(path))
        except OSError:
            return False
    return True
