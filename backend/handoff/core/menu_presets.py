"""The menu profiles shipped as starting points (backend/handoff/presets/menu/*.json)."""

from __future__ import annotations

import json
from pathlib import Path

from handoff.errors import NotFoundError

PRESET_DIR = Path(__file__).resolve().parent.parent / "presets" / "menu"


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESET_DIR.glob("*.json"))


def preset(name: str) -> dict:
    """A shipped profile by name (e.g. content-editor)."""
    path = PRESET_DIR / f"{name}.json"
    if name not in preset_names():
        raise NotFoundError(f"No menu preset named {name!r}.",
                            f"choose one of: {', '.join(preset_names())}", code="unknown_preset")
    return json.loads(path.read_text(encoding="utf-8"))
