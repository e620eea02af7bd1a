"""state.json: which processes serve the sandbox, on which port, with which web server.

Kept on disk so that another process (the CLI) can find and stop a sandbox.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class State:
    """The sandbox's runtime facts; pids are None when that process is not running."""

    port: int | None = None
    mariadb_pid: int | None = None
    server_pid: int | None = None  # PHP's built-in server, or Apache
    fpm_pid: int | None = None  # PHP-FPM, behind Apache
    server: str | None = None  # "php" or "apache" while running

    def stopped(self) -> State:
        """Return this state without processes (the port is kept for the next start)."""
        return State(port=self.port)


def load_state(path: Path) -> State:
    """Return the state stored at `path`, or an empty State if there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict):
        return State()
    values = {field.name: data[field.name] for field in fields(State)
              if field.name in data and _fits(data[field.name], field.name)}
    return State(**values)


def _fits(value: object, name: str) -> bool:
    """Return whether `value` has the type field `name` of State holds (None always fits)."""
    if value is None:
        return True
    if name == "server":
        return isinstance(value, str)
    return isinstance(value, int) and not isinstance(value, bool)


def save_state(path: Path, state: State) -> None:
    """Write `state` to `path` atomically, so a reader never sees half a file."""
    write_json_atomically(path, asdict(state))


def write_json_atomically(path: Path, data: object, mode: int = 0o644) -> None:
    """Write `data` as JSON to `path` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
    os.replace(temporary, path)
