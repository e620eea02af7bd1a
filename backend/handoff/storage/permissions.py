"""HANDOFF_HOME and its files are for their user alone: made private, and checked on start.

The store holds the sites' inventories (their users' logins and e-mails) and the
dashboard's password hash; secret.key decrypts every site password. Files are created
with their final mode in the same call that creates them (never chmod-ed afterwards), so
there is no moment when another user could open them. SQLite gives its -journal, -wal
and -shm files the mode of the database file, so a private database keeps them private.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from handoff.config import Settings
from handoff.errors import HandoffError
from handoff.storage import engines

PRIVATE_DIRECTORY, PRIVATE_FILE = 0o700, 0o600
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")
KEY_FILES = ("secret.key", "dashboard.key")

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # front ends show these themselves: no stray stderr copy
_reported: set[tuple[Path, int]] = set()
_reported_lock = threading.Lock()


def private_directory(path: Path) -> None:
    """Create `path` (and missing parents) if needed; the directory itself is made 0700."""
    path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)


def create_private_file(path: Path, content: bytes = b"") -> bool:
    """Create `path` as a 0600 file holding `content`; False when it exists already."""
    private_directory(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return True


@dataclass(frozen=True)
class Exposure:
    """A directory or file of Handoff's that other users of this machine may open."""

    path: Path
    mode: int
    directory: bool

    @property
    def fix(self) -> str:
        return f"chmod {'700' if self.directory else '600'} {self.path}"

    @property
    def cause(self) -> str:
        what = "The data directory" if self.directory else "The file"
        return (f"{what} {self.path} can be opened by other users of this machine "
                f"(mode {self.mode:04o}); Handoff's data is site inventories, logins and "
                "the keys to site passwords.")

    @property
    def message(self) -> str:
        return f"{self.cause} Fix: {self.fix}"


def private_paths(settings: Settings) -> list[Path]:
    """HANDOFF_HOME, its key files and the SQLite database with its journals."""
    paths = [settings.data_dir, *(settings.data_dir / name for name in KEY_FILES)]
    database = sqlite_file(settings.database_url)
    if database is not None:
        paths += [database, *(Path(f"{database}{suffix}") for suffix in SQLITE_COMPANIONS)]
    return paths


def sqlite_file(url_text: str) -> Path | None:
    """The file of a SQLite database URL; None for other engines, memory, or a bad URL."""
    try:
        url = engines.database_url(url_text)
    except HandoffError:
        return None  # the store says what is wrong with it when it is opened
    if engines.engine_name(url) != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def exposed(settings: Settings) -> list[Exposure]:
    """Every existing path of `private_paths` that its group or others may read or enter."""
    found = []
    database = sqlite_file(settings.database_url)
    for path in dict.fromkeys(private_paths(settings)):
        if database is not None and path.name.startswith(database.name + "-") and \
                any(item.path == database for item in found):
            # SQLite makes its journals with the database's mode: the database's own
            # warning says it (the write-ahead log of WAL mode comes and goes with use).
            continue
        try:
            status = path.stat()
        except OSError:
            continue  # not created yet (or not ours to look at): nothing exposed
        if stat.S_IMODE(status.st_mode) & 0o077:
            found.append(Exposure(path, stat.S_IMODE(status.st_mode),
                                  stat.S_ISDIR(status.st_mode)))
    return found


def report(settings: Settings) -> list[Exposure]:
    """Log each exposure once per process; return those not reported before (to show)."""
    fresh = []
    with _reported_lock:
        for exposure in exposed(settings):
            if (exposure.path, exposure.mode) not in _reported:
                _reported.add((exposure.path, exposure.mode))
                fresh.append(exposure)
    for exposure in fresh:
        log.warning(exposure.message)
    return fresh
