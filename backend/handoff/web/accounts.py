"""Dashboard logins, API tokens and the session-signing key; only hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import UTC, datetime

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from werkzeug.security import check_password_hash, generate_password_hash

from handoff.app import Handoff
from handoff.errors import InvalidInputError
from handoff.storage.models import UTCDateTime

MIN_PASSWORD = 12
TOKEN_PREFIX = "hdf_"

_metadata = MetaData()
users = Table("dashboard_users", _metadata,
              Column("id", Integer, primary_key=True),
              Column("username", String(100)),
              Column("password_hash", String(255)),
              Column("created_at", UTCDateTime))
tokens = Table("api_tokens", _metadata,
               Column("id", Integer, primary_key=True),
               Column("name", String(100)),
               Column("token_sha256", String(64)),
               Column("created_at", UTCDateTime))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Accounts:
    """Who may use the dashboard and the API."""

    def __init__(self, handoff: Handoff) -> None:
        self.store = handoff.store

    def has_user(self) -> bool:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(users)) > 0

    def create_user(self, username: str, password: str, repeat: str) -> dict[str, str]:
        """Create the first login; return field errors (empty when it was created)."""
        errors: dict[str, str] = {}
        username = username.strip()
        if not username or len(username) > 100:
            errors["username"] = "Enter a user name (at most 100 characters)."
        if len(password) < MIN_PASSWORD:
            errors["password"] = f"Use at least {MIN_PASSWORD} characters."
        elif password != repeat:
            errors["repeat"] = "The two passwords differ."
        if not errors and self.has_user():
            errors["username"] = "The dashboard's login exists already."
        if not errors:
            with self.store.session() as session:
                session.execute(insert(users).values(
                    username=username, password_hash=generate_password_hash(password),
                    created_at=datetime.now(UTC)))
        return errors

    def verify(self, username: str, password: str) -> int | None:
        """Return the user's id when the password matches, else None."""
        with self.store.session() as session:
            row = session.execute(select(users).where(users.c.username == username.strip())) \
                .first()
        if row is None:
            check_password_hash(generate_password_hash("x"), password)  # same work either way
            return None
        return row.id if check_password_hash(row.password_hash, password) else None

    def username(self, user_id: int) -> str | None:
        with self.store.session() as session:
            return session.scalar(select(users.c.username).where(users.c.id == user_id))

    def create_token(self, name: str) -> str:
        """Return a new API token; only its SHA-256 is kept, so show it once."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInputError("An API token needs a name (at most 100 characters).",
                                    "e.g. --create-token monitoring", code="token_name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.store.session() as session:
            session.execute(insert(tokens).values(name=name, token_sha256=_sha256(token),
                                                  created_at=datetime.now(UTC)))
        return token

    def token_valid(self, token: str) -> bool:
        if not token.startswith(TOKEN_PREFIX):
            return False
        digest = _sha256(token)
        with self.store.session() as session:
            stored = session.scalar(select(tokens.c.token_sha256)
                                    .where(tokens.c.token_sha256 == digest))
        return stored is not None and hmac.compare_digest(stored, digest)


def session_secret(handoff: Handoff) -> bytes:
    """The key signing session cookies: derived from HANDOFF_SECRET_KEY, or a 0600 file."""
    settings = handoff.settings
    if settings.secret_key:
        return hmac.new(settings.secret_key.encode(), b"handoff-dashboard-session",
                        hashlib.sha256).digest()
    path = settings.data_dir / "dashboard.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())
