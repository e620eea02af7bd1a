"""A private PostgreSQL server for one test run, built from Debian's binaries.

It lives in a temporary directory of its own (data, socket directory, log), listens on
127.0.0.1 on a free port and is stopped and deleted at the end; a test run that is killed
takes its server with it. No system cluster, port or socket is ever touched. PostgreSQL
refuses to run as root, so under root the server runs as the `postgres` user that Debian's
package creates (through runuser).
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

DEBIAN_BINDIRS = Path("/usr/lib/postgresql")  # one <major version>/bin per installed server
SERVER_USER = "postgres"  # the account the server runs as when the tests run as root
SUPERUSER = "handoff"  # the role the tests connect as (password authentication)
LOOPBACK = "127.0.0.1"
START_ATTEMPTS = 3  # another process may take the free port between choosing and binding
READY_TIMEOUT = 60  # seconds for the server to accept logins
PR_SET_PDEATHSIG = 1  # prctl(2)

# Speed over durability: the data is thrown away after the run. The time zone is not UTC on
# purpose, so a datetime that comes back in the session's zone instead of UTC shows up.
SETTINGS = {
    "listen_addresses": f"'{LOOPBACK}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "timezone": "'America/New_York'",
    "log_min_messages": "warning",
    "log_connections": "off",
}


def _terminate_with_parent() -> None:
    """In the server's launcher, before exec: SIGTERM when the test process dies, however."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class PostgresServerError(RuntimeError):
    """The private server could not be set up; the message says what to install or read."""


def default_bindir() -> Path:
    """HANDOFF_TEST_PG_BINDIR, else the newest of Debian's installed servers (15 on bookworm)."""
    if os.environ.get("HANDOFF_TEST_PG_BINDIR"):
        return Path(os.environ["HANDOFF_TEST_PG_BINDIR"])
    versions = [path for path in DEBIAN_BINDIRS.glob("*/bin") if path.parent.name.isdigit()]
    return max(versions, key=lambda path: int(path.parent.name), default=DEBIAN_BINDIRS / "15/bin")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One throwaway PostgreSQL cluster; `start()`, then `url(...)`, then `stop()`."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or default_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="handoff-pg-"))
        self.password = secrets.token_urlsafe(18)
        self.port = 0
        self._admin: psycopg.Connection | None = None
        self._process: subprocess.Popen | None = None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sockets"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres", *, password: str | None = None) -> str:
        """A URL as a user writes it (postgresql://), for HANDOFF_DATABASE_URL."""
        secret = self.password if password is None else password
        return f"postgresql://{SUPERUSER}:{secret}@{LOOPBACK}:{self.port}/{database}"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        """Create the cluster and start it; raise PostgresServerError with the log if not."""
        if not (self.bindir / "initdb").exists():
            raise PostgresServerError(f"{self.bindir}/initdb not found: run `make setup` "
                                      "(installs Debian's postgresql package)")
        self._init_cluster()
        for _attempt in range(START_ATTEMPTS):
            self.port = free_port()
            self._write_settings()
            if self._launch():
                return self
        raise PostgresServerError(f"PostgreSQL did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server (fast: open sessions are cut) and delete its directory."""
        self._shut_down()
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start the server on the same port: every open connection dies."""
        self._shut_down()
        if not self._launch():
            raise PostgresServerError(f"PostgreSQL did not restart:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    # -- databases -------------------------------------------------------------------------

    def admin(self) -> psycopg.Connection:
        """An autocommit connection to the `postgres` database, kept for the session."""
        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(host=LOOPBACK, port=self.port, user=SUPERUSER,
                                          password=self.password, dbname="postgres",
                                          autocommit=True)
        return self._admin

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create a database (a copy of `template` if given); return its URL."""
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            if self.admin().info.server_version >= 150000:
                # Copying the files beats writing a small database through the WAL (x2-4).
                statement += sql.SQL(" STRATEGY FILE_COPY")
        self.admin().execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, cutting any session still connected to it."""
        self.admin().execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                             .format(sql.Identifier(name)))

    def terminate_backend(self, pid: int) -> bool:
        """End one server process (what an administrator's pg_terminate_backend does)."""
        row = self.admin().execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()
        return bool(row and row[0])

    def backends(self, database: str) -> list[int]:
        """Process ids of the sessions connected to a database."""
        rows = self.admin().execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                                    [database]).fetchall()
        return [pid for (pid,) in rows]

    # -- helpers ---------------------------------------------------------------------------

    def _launch(self) -> bool:
        """Start the postmaster as a child of this process; return whether it accepts logins.

        Not through `pg_ctl start`, which detaches it: a test run that is killed must not
        leave its server running, so the launcher gets SIGTERM when this process dies.
        """
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(
                self._argv(self.bindir / "postgres", "-D", str(self.data_dir)), cwd=self.root,
                env=self._env(), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, preexec_fn=_terminate_with_parent)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return True
            except psycopg.OperationalError:  # still starting up
                time.sleep(0.05)
        self._shut_down()
        return False

    def _shut_down(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        self._pg_ctl("stop", "-m", "fast", "-w", "-t", "60")
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _init_cluster(self) -> None:
        self.socket_dir.mkdir()
        password_file = self.root / "password"
        password_file.write_text(self.password + "\n")
        self._hand_over(self.root)
        result = self._run(self.bindir / "initdb", "-D", str(self.data_dir), "-U", SUPERUSER,
                           f"--pwfile={password_file}", "--auth=scram-sha-256",
                           "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        password_file.unlink()
        if result.returncode != 0:
            raise PostgresServerError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def _write_settings(self) -> None:
        settings = {**SETTINGS, "port": str(self.port),
                    "unix_socket_directories": f"'{self.socket_dir}'"}
        lines = "".join(f"{key} = {value}\n" for key, value in settings.items())
        (self.data_dir / "postgresql.auto.conf").write_text(lines)
        self._hand_over(self.data_dir / "postgresql.auto.conf")

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        return self._run(self.bindir / "pg_ctl", "-D", str(self.data_dir), *args)

    def _run(self, program: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(self._argv(program, *args), cwd=self.root, env=self._env(),
                              capture_output=True, text=True, timeout=120, check=False)

    def _argv(self, program: Path, *args: str) -> list[str]:
        argv = [str(program), *args]
        return ["runuser", "-u", SERVER_USER, "--", *argv] if os.geteuid() == 0 else argv

    def _env(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
                "TZ": "UTC"}

    def _hand_over(self, path: Path) -> None:
        """Give a path (recursively) to the server's account when running as root."""
        if os.geteuid() != 0:
            return
        for entry in [path, *(path.rglob("*") if path.is_dir() else [])]:
            shutil.chown(entry, SERVER_USER, SERVER_USER)
