"""A benchmark's sandbox: started if needed, connected as site "bench", stopped after."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handoff.app import Handoff
from handoff.config import Settings
from handoff.sandbox import Sandbox


def bench_sandbox(scratch: Path, directory: Path | None = None, wordpress: str | None = None,
                  server: str | None = None) -> Sandbox:
    """Return the sandbox in `directory` (default SCRATCH/sandbox) for one benchmark leg.

    `wordpress` ("6.1", "6.8") and `server` ("php", "apache") as for `handoff sandbox start`.
    Behind Apache started as root, its workers (www-data) must pass through the scratch
    folder, which tempfile makes private (0700): it is opened to passing through only.
    """
    if server == "apache" and directory is None and os.geteuid() == 0:
        scratch.chmod(scratch.stat().st_mode | stat.S_IXGRP | stat.S_IXOTH)
    return Sandbox(directory or scratch / "sandbox", wordpress=wordpress, server=server)


def load_average() -> str:
    """Return the machine's 1/5/15-minute load averages, to print beside timings."""
    return "/".join(f"{load:.2f}" for load in os.getloadavg())


@contextmanager
def connected_sandbox(directory: Path | None = None, wordpress: str | None = None,
                      server: str | None = None) -> Iterator[tuple[Sandbox, Handoff]]:
    """The sandbox (left running if it already was) and a backend with it as "bench"."""
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = bench_sandbox(Path(scratch), directory, wordpress, server)
        was_running = sandbox.is_running()
        sandbox.start()
        try:
            home = Path(scratch) / "home"
            app = Handoff(settings=Settings(data_dir=home,
                                            database_url=f"sqlite:///{home}/h.db"))
            app.sites.add(sandbox.connection_key(), sandbox.url, name="bench")
            yield sandbox, app
        finally:
            if not was_running:
                sandbox.stop()
