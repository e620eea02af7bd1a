"""One real sandbox WordPress per test session, reset before each test that asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from handoff.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Iterator[Sandbox]:
    """A started sandbox in a temporary directory; stopped at the end, whatever happened."""
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
