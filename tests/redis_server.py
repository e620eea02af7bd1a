"""A private Redis server for one test run (or one benchmark), from Debian's redis-server.

It listens on 127.0.0.1 on a free port, keeps nothing on disk (no RDB, no AOF), lives in a
temporary directory of its own and is stopped at the end: the machine's own Redis, if
any, is never touched.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis

LOOPBACK = "127.0.0.1"
START_ATTEMPTS = 3  # another process may take the free port between choosing and binding


class RedisServerError(RuntimeError):
    """The private server could not be started; the message says what to install or read."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class RedisServer:
    """One throwaway redis-server; `start()`, then `url`, then `stop()`."""

    def __init__(self, program: str = "redis-server") -> None:
        self.program = shutil.which(program) or program
        self.root = Path(tempfile.mkdtemp(prefix="handoff-redis-"))
        self.port = 0
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    @property
    def log_file(self) -> Path:
        return self.root / "redis.log"

    def start(self) -> RedisServer:
        if not Path(self.program).exists():
            raise RedisServerError(f"{self.program} not found: run `make setup` (installs "
                                   "Debian's redis-server package)")
        for _attempt in range(START_ATTEMPTS):
            self.port = free_port()
            self._process = subprocess.Popen(
                [self.program, "--bind", LOOPBACK, "--port", str(self.port), "--save", "",
                 "--appendonly", "no", "--dir", str(self.root), "--logfile",
                 str(self.log_file), "--daemonize", "no", "--protected-mode", "yes"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._wait_until_up():
                return self
            self._end()
        raise RedisServerError(f"redis-server did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        self._end()
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def _wait_until_up(self, seconds: float = 10.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                if redis.Redis(host=LOOPBACK, port=self.port, socket_timeout=1).ping():
                    return True
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        return False

    def _end(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
