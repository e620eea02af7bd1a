"""The sandbox's generated secrets: WordPress passwords, database password, salts."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import asdict, dataclass, field
from pathlib import Path

from handoff.sandbox.errors import SandboxError
from handoff.sandbox.state import write_json_atomically

SALT_NAMES = ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
              "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")

# Letters and digits only: easy to copy from a terminal and to quote anywhere.
PASSWORD_ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 20) -> str:
    """Return a random password of letters and digits."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def generate_salts() -> dict[str, str]:
    """Return a fresh random value for each of WordPress's eight keys and salts."""
    return {name: secrets.token_urlsafe(48) for name in SALT_NAMES}


@dataclass(frozen=True)
class Credentials:
    """Everything secret about one sandbox; generated once, kept in DIR/credentials.json."""

    admin_password: str = field(default_factory=generate_password)
    client_password: str = field(default_factory=generate_password)
    database_password: str = field(default_factory=generate_password)
    salts: dict[str, str] = field(default_factory=generate_salts)


def load_or_create_credentials(path: Path) -> Credentials:
    """Return the credentials stored at `path`, generating and storing them the first time."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        credentials = Credentials()
        write_json_atomically(path, asdict(credentials), mode=0o600)
        return credentials
    try:
        credentials = Credentials(**json.loads(text))
    except (ValueError, TypeError) as error:
        raise SandboxError(f"{path} is damaged ({error})",
                           "stop the sandbox and delete its directory to install a new one") \
            from error
    if set(credentials.salts) != set(SALT_NAMES):
        raise SandboxError(f"{path} lacks some of WordPress's salts",
                           "stop the sandbox and delete its directory to install a new one")
    return credentials
