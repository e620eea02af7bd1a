"""The sandbox's private MariaDB: own datadir and Unix socket, no TCP port."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess

from handoff.sandbox import processes
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.layout import Layout

DATABASE = "wordpress"
DATABASE_USER = "wordpress"
FIX_MISSING = "run `make setup` (installs Debian's mariadb-server and mariadb-client)"
START_TIMEOUT = 60.0


def render_my_cnf(layout: Layout, database_password: str, run_as_root: bool) -> str:
    """Return the option file that every MariaDB program of this sandbox reads (and only it)."""
    server = [
        "[mariadbd]",
        f"datadir = {layout.datadir}",
        f"socket = {layout.socket}",
        f"pid-file = {layout.mysql_pid_file}",
        f"log-error = {layout.mysql_log}",
        "skip-networking",  # the socket only: never a TCP port
        "skip-log-bin",
        "skip-name-resolve",
        "character-set-server = utf8mb4",
        "collation-server = utf8mb4_unicode_ci",
        # Throwaway data: trade durability for speed (install, reset).
        "innodb-buffer-pool-size = 64M",
        "innodb-log-file-size = 16M",
        "innodb-flush-log-at-trx-commit = 0",
        "innodb-doublewrite = 0",
    ]
    if run_as_root:
        server.append("user = root")  # mariadbd refuses to run as root unless told so
    # Read by mariadb and mariadb-dump: `mariadb --defaults-file=DIR/mysql/my.cnf wordpress`
    # opens a shell on the sandbox's database.
    client = ["[client]", f"socket = {layout.socket}", f"user = {DATABASE_USER}",
              f"password = {database_password}"]
    return "\n".join([*server, "", *client, ""])


class MariaDB:
    """Installs, starts, stops, dumps and restores the sandbox's database server."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def program(self, name: str) -> str:
        """Return the path of MariaDB program `name`, or raise SandboxError saying how to get it."""
        return processes.find_program(name, FIX_MISSING)

    def check_programs(self) -> None:
        """Raise SandboxError unless every MariaDB program the sandbox uses is installed."""
        for name in ("mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump"):
            self.program(name)

    def write_config(self, database_password: str) -> None:
        """Write DIR/mysql/my.cnf (private: it holds the database password)."""
        self.layout.mysql.mkdir(parents=True, exist_ok=True)
        text = render_my_cnf(self.layout, database_password, os.geteuid() == 0)
        fd = os.open(self.layout.my_cnf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)

    def _defaults(self) -> str:
        # Must come first on every command line: ignore /etc/mysql entirely.
        return f"--defaults-file={self.layout.my_cnf}"

    def install(self) -> None:
        """Create an empty data directory (system tables only)."""
        self.layout.check_socket_path()
        shutil.rmtree(self.layout.datadir, ignore_errors=True)
        self.layout.logs.mkdir(parents=True, exist_ok=True)
        processes.run([self.program("mariadb-install-db"), self._defaults(), "--skip-test-db",
                       "--auth-root-authentication-method=socket"],
                      what="mariadb-install-db", timeout=180)

    def start(self) -> subprocess.Popen:
        """Start mariadbd and return its process once it accepts connections on the socket."""
        self.layout.check_socket_path()
        self.layout.socket.unlink(missing_ok=True)  # a stale socket would look ready
        process = processes.spawn([self.program("mariadbd"), self._defaults()],
                                  log=self.layout.logs / "mariadbd.out")
        self._wait_ready(process)
        return process

    def _wait_ready(self, process: subprocess.Popen) -> None:
        """Return once the server greets clients on its socket; raise if it died or hangs."""
        def ready() -> bool:
            if process.poll() is not None:
                raise SandboxError(
                    f"MariaDB exited while starting (exit {process.returncode}): "
                    f"{processes.tail(self.layout.mysql_log)}",
                    f"see {self.layout.mysql_log}")
            return socket_greets(str(self.layout.socket))
        processes.wait_until(ready, START_TIMEOUT, "MariaDB to accept connections")

    def create_database(self, database_password: str) -> None:
        """Create the WordPress database and its user, as the server's administrator."""
        sql = (f"CREATE DATABASE IF NOT EXISTS `{DATABASE}` "
               "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
               f"CREATE USER IF NOT EXISTS '{DATABASE_USER}'@'localhost' "
               f"IDENTIFIED BY '{database_password}';\n"
               f"GRANT ALL PRIVILEGES ON `{DATABASE}`.* TO '{DATABASE_USER}'@'localhost';\n")
        # The install made an administrator account for this OS user, authenticated by the
        # socket's peer credentials: no password needed.
        processes.run([self.program("mariadb"), self._defaults(), f"--user={getpass.getuser()}",
                       "--database=mysql"], input=sql, what="creating the WordPress database")

    def dump(self) -> None:
        """Write the WordPress database to DIR/snapshot.sql (DROP + CREATE DATABASE included)."""
        target = self.layout.snapshot_file
        partial = target.with_suffix(".partial")
        processes.run([self.program("mariadb-dump"), self._defaults(), "--databases", DATABASE,
                       "--add-drop-database", "--single-transaction", "--skip-dump-date",
                       f"--result-file={partial}"], what="mariadb-dump")
        os.replace(partial, target)

    def restore(self) -> None:
        """Replace the WordPress database with DIR/snapshot.sql."""
        if not self.layout.snapshot_file.exists():
            raise SandboxError(f"{self.layout.snapshot_file} is missing, so reset has nothing "
                               "to restore", "stop the sandbox and delete its directory to "
                               "install a new one")
        processes.run([self.program("mariadb"), self._defaults()],
                      stdin_file=self.layout.snapshot_file, what="restoring the snapshot")

    def stop(self, pid: int | None) -> None:
        """Stop mariadbd (SIGTERM: a clean shutdown) and wait until it has exited."""
        processes.stop_group(pid, f"{self.layout.directory}/", timeout=60.0)

    def pid_from_file(self) -> int | None:
        """Return the pid mariadbd wrote to its pid file, if any (for stopping a lost server)."""
        try:
            return int(self.layout.mysql_pid_file.read_text().strip())
        except (OSError, ValueError):
            return None


def socket_greets(path: str) -> bool:
    """Return whether a server on Unix socket `path` sends its greeting (MariaDB is ready)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(1.0)
        try:
            client.connect(path)
            return bool(client.recv(1))
        except OSError:
            return False
