"""Encrypts site credentials at rest (Fernet: AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from handoff.errors import HandoffError
from handoff.storage.permissions import create_private_file


class Vault:
    """Encrypts and decrypts secrets with one key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_file(cls, path: Path) -> Vault:
        """Return a vault whose key lives in `path`, creating it (mode 0600) on first use."""
        if not path.exists():  # its directory (HANDOFF_HOME) is made 0700 too
            create_private_file(path, Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise HandoffError("A stored site password cannot be decrypted: the secret key "
                               "changed.", "restore the old secret.key (or HANDOFF_SECRET_KEY), "
                               "or add the site again with a new connection key",
                               code="vault") from None
