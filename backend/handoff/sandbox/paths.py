"""Where the working tree is: the sandbox keeps its default directory and caches under var/."""

from __future__ import annotations

from pathlib import Path


def repo_root() -> Path:
    """Return the working tree this package was loaded from, or the current directory.

    The package lives in <tree>/backend/handoff/ when installed editable (`make setup`).
    """
    root = Path(__file__).resolve().parents[3]
    return root if (root / "backend" / "handoff").is_dir() else Path.cwd()
