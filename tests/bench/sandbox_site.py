"""A benchmark's sandbox: started if needed, connected as site "bench", stopped after."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handoff.app import Handoff
from handoff.config import Settings
from handoff.sandbox import Sandbox


@contextmanager
def connected_sandbox(directory: Path | None = None) -> Iterator[tuple[Sandbox, Handoff]]:
    """The sandbox (left running if it already was) and a backend with it as "bench"."""
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = Sandbox(directory or Path(scratch) / "sandbox")
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
