"""Where Handoff keeps its data, and how it reaches its database."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Settings:
    """Everything that depends on the machine or the environment, passed in explicitly."""

    data_dir: Path
    database_url: str
    secret_key: str | None = None  # Fernet key; None = keep one in data_dir/secret.key

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Return settings from HANDOFF_* environment variables, with per-user defaults."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("HANDOFF_HOME") or platformdirs.user_data_dir("handoff"))
    database_url = env.get("HANDOFF_DATABASE_URL") or f"sqlite:///{data_dir / 'handoff.db'}"
    return Settings(data_dir=data_dir, database_url=database_url,
                    secret_key=env.get("HANDOFF_SECRET_KEY") or None)
