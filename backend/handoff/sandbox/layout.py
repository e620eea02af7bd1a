"""Where everything of one sandbox lives inside its directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handoff.sandbox.errors import SandboxError

# sun_path of a Unix socket holds 108 bytes including the final NUL.
MAX_SOCKET_PATH = 107


@dataclass(frozen=True)
class Layout:
    """The paths of one sandbox; `directory` is absolute."""

    directory: Path

    @classmethod
    def at(cls, directory: Path | str) -> Layout:
        """Return the layout of the sandbox in `directory` (made absolute, not created)."""
        return cls(Path(directory).expanduser().resolve())

    # -- bookkeeping
    @property
    def state_file(self) -> Path:
        return self.directory / "state.json"

    @property
    def credentials_file(self) -> Path:
        return self.directory / "credentials.json"

    @property
    def installed_file(self) -> Path:
        return self.directory / "installed.json"

    @property
    def snapshot_file(self) -> Path:
        return self.directory / "snapshot.sql"

    @property
    def lock_file(self) -> Path:
        return self.directory / ".lock"

    @property
    def logs(self) -> Path:
        return self.directory / "logs"

    # -- MariaDB
    @property
    def mysql(self) -> Path:
        return self.directory / "mysql"

    @property
    def datadir(self) -> Path:
        return self.mysql / "data"

    @property
    def my_cnf(self) -> Path:
        return self.mysql / "my.cnf"

    @property
    def socket(self) -> Path:
        return self.mysql / "mysqld.sock"

    @property
    def mysql_pid_file(self) -> Path:
        return self.mysql / "mysqld.pid"

    @property
    def mysql_log(self) -> Path:
        return self.logs / "mariadb.log"

    # -- WordPress
    @property
    def wordpress(self) -> Path:
        return self.directory / "wordpress"

    @property
    def wp_content(self) -> Path:
        return self.wordpress / "wp-content"

    @property
    def plugins(self) -> Path:
        return self.wp_content / "plugins"

    @property
    def mu_plugins(self) -> Path:
        return self.wp_content / "mu-plugins"

    @property
    def uploads(self) -> Path:
        return self.wp_content / "uploads"

    @property
    def debug_log(self) -> Path:
        return self.wp_content / "debug.log"

    @property
    def htaccess(self) -> Path:
        return self.wordpress / ".htaccess"

    @property
    def snapshot_htaccess(self) -> Path:
        return self.directory / "snapshot.htaccess"

    @property
    def server_log(self) -> Path:
        return self.logs / "php-server.log"

    # -- Apache and PHP-FPM (`--server apache`)
    @property
    def apache(self) -> Path:
        return self.directory / "apache"

    @property
    def httpd_conf(self) -> Path:
        return self.apache / "httpd.conf"

    @property
    def apache_pid_file(self) -> Path:
        return self.apache / "httpd.pid"

    @property
    def apache_runtime(self) -> Path:
        return self.apache / "run"

    @property
    def apache_error_log(self) -> Path:
        return self.logs / "apache-error.log"

    @property
    def apache_access_log(self) -> Path:
        return self.logs / "apache-access.log"

    @property
    def php_fpm(self) -> Path:
        return self.directory / "php-fpm"

    @property
    def fpm_conf(self) -> Path:
        return self.php_fpm / "php-fpm.conf"

    @property
    def fpm_pid_file(self) -> Path:
        return self.php_fpm / "php-fpm.pid"

    @property
    def fpm_socket(self) -> Path:
        return self.php_fpm / "php-fpm.sock"

    @property
    def fpm_log(self) -> Path:
        return self.logs / "php-fpm.log"

    def check_socket_path(self) -> None:
        """Raise SandboxError if a socket path (MariaDB's, PHP-FPM's) is too long for Unix."""
        length = max(len(str(path).encode()) for path in (self.socket, self.fpm_socket))
        if length > MAX_SOCKET_PATH:
            raise SandboxError(
                f"the sandbox directory {self.directory} is too deep for its Unix sockets "
                f"({length} > {MAX_SOCKET_PATH} bytes)",
                "choose a shorter --dir (or HANDOFF_SANDBOX_DIR)")
