"""Docs that cannot rot: every error cause is documented with its fix."""

import pytest

from handoff.wordpress.errors import MESSAGES
from tests.helpers import REPO

TROUBLESHOOTING = (REPO / "docs" / "troubleshooting.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_bridge_error_is_in_the_troubleshooting_guide(code):
    assert f"| `{code}` |" in TROUBLESHOOTING
