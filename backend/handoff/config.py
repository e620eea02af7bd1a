"""Where Handoff keeps its data, and how it reaches its database."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from handoff.errors import InvalidInputError


@dataclass(frozen=True)
class Settings:
    """Everything that depends on the machine or the environment, passed in explicitly."""

    data_dir: Path
    database_url: str
    secret_key: str | None = None  # Fernet key; None = keep one in data_dir/secret.key
    # Bulk jobs (docs/workers.md): with a Redis URL they go to `handoff worker` processes.
    redis_url: str | None = None
    queue: str = "handoff"
    jobs_in_process: bool = False  # run jobs here even with Redis configured
    job_lease_seconds: int = 30  # a worker silent this long is taken for dead
    http_attempts: int = 3  # tries per request to a site (network failures, 429, 5xx)

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Return settings from HANDOFF_* environment variables, with per-user defaults."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("HANDOFF_HOME") or platformdirs.user_data_dir("handoff"))
    database_url = env.get("HANDOFF_DATABASE_URL") or f"sqlite:///{data_dir / 'handoff.db'}"
    return Settings(data_dir=data_dir, database_url=database_url,
                    secret_key=env.get("HANDOFF_SECRET_KEY") or None,
                    redis_url=env.get("HANDOFF_REDIS_URL") or None,
                    queue=env.get("HANDOFF_QUEUE") or "handoff",
                    jobs_in_process=env.get("HANDOFF_JOBS_IN_PROCESS", "") in ("1", "true", "yes"),
                    job_lease_seconds=_whole(env, "HANDOFF_JOB_LEASE_SECONDS", 30, 2, 3600),
                    http_attempts=_whole(env, "HANDOFF_HTTP_ATTEMPTS", 3, 1, 10))


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from the environment, within bounds; a clear error otherwise."""
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInputError(f"{name}={text!r} is not a whole number from {low} to {high}.",
                                f"set it to one, or unset it for {default}", code="settings")
    return int(text)
