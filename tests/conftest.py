"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from handoff.app import Handoff
from handoff.config import Settings
from handoff.sandbox import Sandbox
from handoff.wordpress.http import Timeouts


@pytest.fixture
def handoff_home(tmp_path, monkeypatch) -> Path:
    """A private HANDOFF_HOME so no test touches a real user's data directory."""
    home = tmp_path / "handoff-home"
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    monkeypatch.delenv("HANDOFF_DATABASE_URL", raising=False)
    monkeypatch.delenv("HANDOFF_SECRET_KEY", raising=False)
    return home


@pytest.fixture
def app(handoff_home) -> Handoff:
    """A backend with its own store in a temporary directory and short timeouts."""
    settings = Settings(data_dir=handoff_home,
                        database_url=f"sqlite:///{handoff_home / 'handoff.db'}")
    return Handoff(settings=settings, timeouts=Timeouts(connect=2, read=15))


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Iterator[Sandbox]:
    """One real WordPress per test session, in a temporary directory; always stopped."""
    box = Sandbox(tmp_path_factory.mktemp("sandbox"))
    try:
        box.start()
        yield box
    finally:
        box.stop()


@pytest.fixture
def fresh_sandbox(sandbox) -> Sandbox:
    """The session's sandbox, back in its freshly installed state (about 0.1 s)."""
    sandbox.reset()
    return sandbox
