"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoff.app import Handoff
from handoff.config import Settings
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
