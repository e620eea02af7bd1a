"""Dashboard logins, API tokens and the session-signing key; only hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from werkzeug.security import check_password_hash, generate_password_hash

from handoff.app import Handoff
from handoff.errors import InvalidInputError, NotFoundError
from handoff.storage.models import UTCDateTime
from handoff.storage.permissions import create_private_file

MIN_PASSWORD = 12
TOKEN_PREFIX = "hdf_"
MAX_TOKEN_NAME = 100
# Shown to tell tokens apart: "hdf_" and 4 of its 43 random characters (24 of 256 bits).
SHOWN_PREFIX = len(TOKEN_PREFIX) + 4

_metadata = MetaData()
users = Table("dashboard_users", _metadata,
              Column("id", Integer, primary_key=True),
              Column("username", String(100)),
              Column("password_hash", String(255)),
              Column("created_at", UTCDateTime),
              # migration 0010: in every session cookie; +1 ends all the user's sessions
              Column("session_generation", Integer))
tokens = Table("api_tokens", _metadata,
               Column("id", Integer, primary_key=True),
               Column("name", String(100)),
               Column("token_sha256", String(64)),
               Column("prefix", String(16)),  # migration 0009; "" for older tokens
               Column("created_at", UTCDateTime))


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of an API token: never the token, only its first characters."""

    id: int
    name: str
    prefix: str
    created_at: datetime


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Accounts:
    """Who may use the dashboard and the API."""

    def __init__(self, handoff: Handoff) -> None:
        self.store = handoff.store
        self.audit = handoff.audit

    def has_user(self) -> bool:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(users)) > 0

    def create_user(self, username: str, password: str, repeat: str) -> dict[str, str]:
        """Create the first login; return field errors (empty when it was created)."""
        errors: dict[str, str] = {}
        username = username.strip()
        if not username or len(username) > 100:
            errors["username"] = "Enter a user name (at most 100 characters)."
        errors.update(_password_errors(password, repeat))
        if not errors and self.has_user():
            errors["username"] = "The dashboard's login exists already."
        if not errors:
            with self.store.session() as session:
                session.execute(insert(users).values(
                    username=username, password_hash=generate_password_hash(password),
                    created_at=datetime.now(UTC), session_generation=0))
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

    def session_generation(self, user_id: int) -> int | None:
        """The generation a new session of this user carries (None: no such user)."""
        with self.store.session() as session:
            return session.scalar(select(users.c.session_generation)
                                  .where(users.c.id == user_id))

    def signed_in(self, user_id: object, generation: object) -> str | None:
        """The user name of a session, if its user exists and it was not ended since."""
        if not isinstance(user_id, int) or not isinstance(generation, int):
            return None  # also a cookie signed before sessions had a generation
        with self.store.session() as session:
            return session.scalar(select(users.c.username).where(
                users.c.id == user_id, users.c.session_generation == generation))

    def end_sessions(self, user_id: int) -> None:
        """End every session of the user, in every browser (logout does this)."""
        with self.store.session() as session:
            session.execute(update(users).where(users.c.id == user_id).values(
                session_generation=users.c.session_generation + 1))

    def change_password(self, user_id: int, current: str, password: str,
                        repeat: str) -> dict[str, str]:
        """Set a new password and end every session; return field errors (nothing changed)."""
        with self.store.session() as session:
            stored = session.scalar(select(users.c.password_hash).where(users.c.id == user_id))
        if stored is None or not check_password_hash(stored, current):
            return {"current": "The current password is wrong."}
        errors = _password_errors(password, repeat)
        if not errors:
            with self.store.session() as session:
                session.execute(update(users).where(users.c.id == user_id).values(
                    password_hash=generate_password_hash(password),
                    session_generation=users.c.session_generation + 1))
        return errors

    def create_token(self, name: str) -> str:
        """Return a new API token; only its SHA-256 is kept, so show it once."""
        with self.audit.change("token.create", "", f"create the API token {name!r}") \
                as change:
            name = _token_name(name)
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            with self.store.session() as session:
                taken = session.scalar(select(tokens.c.name).where(
                    func.lower(tokens.c.name) == name.lower()))
                if taken is not None:
                    raise InvalidInputError(f"An API token named {taken!r} exists already.",
                                            "choose another name, or revoke that token "
                                            "first", code="duplicate_token")
                session.execute(insert(tokens).values(
                    name=name, token_sha256=_sha256(token), prefix=token[:SHOWN_PREFIX],
                    created_at=datetime.now(UTC)))
                change.done(f"Created the API token {name!r} ({token[:SHOWN_PREFIX]}…).",
                            name=name, prefix=token[:SHOWN_PREFIX])
                change.save_in(session)
        return token

    def list_tokens(self) -> list[TokenInfo]:
        """Every API token, oldest first."""
        with self.store.session() as session:
            rows = session.execute(select(tokens.c.id, tokens.c.name, tokens.c.prefix,
                                          tokens.c.created_at).order_by(tokens.c.id))
            return [TokenInfo(row.id, row.name, row.prefix or "", row.created_at)
                    for row in rows]

    def find_token(self, *, token_id: int | None = None, name: str | None = None) -> TokenInfo:
        """The token with this id or name (NotFoundError otherwise)."""
        found = next((info for info in self.list_tokens()
                      if info.id == token_id or (name is not None and info.name == name)),
                     None)
        if found is None:
            what = f"named {name!r}" if name is not None else f"with id {token_id}"
            known = ", ".join(repr(info.name) for info in self.list_tokens()) or "none"
            raise NotFoundError(f"No API token {what}.", f"known tokens: {known}",
                                code="unknown_token")
        return found

    def revoke_token(self, token_id: int) -> TokenInfo:
        """Delete a token: requests sending it are refused from now on."""
        info = self.find_token(token_id=token_id)
        with self.audit.change("token.revoke", "", f"revoke the API token {info.name!r}",
                               name=info.name, prefix=info.prefix) as change, \
                self.store.session() as session:
            session.execute(delete(tokens).where(tokens.c.id == token_id))
            change.done(f"Revoked the API token {info.name!r}.")
            change.save_in(session)
        return info

    def token_name(self, token: str) -> str | None:
        """The name of a valid token, None for anything else."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = _sha256(token)
        with self.store.session() as session:
            row = session.execute(select(tokens.c.token_sha256, tokens.c.name)
                                  .where(tokens.c.token_sha256 == digest)).first()
        if row is None or not hmac.compare_digest(row.token_sha256, digest):
            return None
        return row.name

    def token_valid(self, token: str) -> bool:
        return self.token_name(token) is not None


def _password_errors(password: str, repeat: str) -> dict[str, str]:
    if len(password) < MIN_PASSWORD:
        return {"password": f"Use at least {MIN_PASSWORD} characters."}
    if password != repeat:
        return {"repeat": "The two passwords differ."}
    return {}


def _token_name(name: str) -> str:
    """A token's name, stripped; refused when empty, too long or not printable text."""
    name = name.strip()
    if not name or len(name) > MAX_TOKEN_NAME:
        raise InvalidInputError(f"An API token needs a name of 1 to {MAX_TOKEN_NAME} "
                                "characters.", "e.g. monitoring or ci-deploy",
                                code="token_name")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise InvalidInputError("An API token's name cannot hold control characters.",
                                "use letters, digits, spaces and punctuation",
                                code="token_name")
    return name


def session_secret(handoff: Handoff) -> bytes:
    """The key signing session cookies: derived from HANDOFF_SECRET_KEY, or a 0600 file."""
    settings = handoff.settings
    if settings.secret_key:
        return hmac.new(settings.secret_key.encode(), b"handoff-dashboard-session",
                        hashlib.sha256).digest()
    path = settings.data_dir / "dashboard.key"
    if not path.exists():  # its directory (HANDOFF_HOME) is made 0700 too
        create_private_file(path, secrets.token_hex(32).encode())
    return bytes.fromhex(path.read_text().strip())
