"""Parse and build the one-time connection key shown by the plugin's Connect screen.

Format (docs/bridge-protocol.md): ``handoff1.`` + base64url(JSON) without padding.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from handoff.errors import InvalidInputError

PREFIX = "handoff1."
FIELDS = {"v": int, "url": str, "rest": str, "xmlrpc": str, "user": str,
          "password": str, "env": str, "check": str}
_APP_PASSWORD = re.compile(r"^[A-Za-z0-9]{24}$")
_FIX = "copy the whole key again from Settings → Handoff on the site (press Connect for a new one)"


@dataclass(frozen=True)
class ConnectionKey:
    """What the backend needs to reach a site as its bridge user."""

    url: str
    rest: str
    xmlrpc: str
    user: str
    password: str
    env: str

    def __repr__(self) -> str:  # never let the password reach a log or traceback
        return f"ConnectionKey(url={self.url!r}, user={self.user!r}, env={self.env!r})"

    def encode(self) -> str:
        """Return the key as the plugin would print it."""
        payload = {"v": 1, "url": self.url, "rest": self.rest, "xmlrpc": self.xmlrpc,
                   "user": self.user, "password": self.password, "env": self.env,
                   "check": key_check(self.url, self.user, self.password)}
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def key_check(url: str, user: str, password: str) -> str:
    """Return the 8-hex-digit checksum that catches truncated or mistyped keys."""
    return hashlib.sha256(f"{url}\n{user}\n{password}".encode()).hexdigest()[:8]


def parse_connection_key(text: str) -> ConnectionKey:
    """Return the key's contents, or raise InvalidInputError saying what is wrong."""
    payload = _decode(text)
    _check_fields(payload)
    if payload["check"] != key_check(payload["url"], payload["user"], payload["password"]):
        raise InvalidInputError("The connection key's checksum does not match: it was changed "
                                "or cut while copying.", _FIX, code="key_checksum")
    key = ConnectionKey(**{name: payload[name] for name in
                           ("url", "rest", "xmlrpc", "user", "password", "env")})
    _check_values(key)
    return key


def _decode(text: str) -> dict:
    cleaned = "".join(text.split())  # keys wrapped by an e-mail client keep working
    if not cleaned.startswith(PREFIX):
        raise InvalidInputError("This is not a Handoff connection key (it should start with "
                                f"'{PREFIX}').", _FIX, code="key_malformed")
    body = cleaned[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        payload = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidInputError("The connection key is damaged (it does not decode).", _FIX,
                                code="key_malformed") from None
    if not isinstance(payload, dict):
        raise InvalidInputError("The connection key is damaged (wrong structure).", _FIX,
                                code="key_malformed")
    return payload


def _check_fields(payload: dict) -> None:
    missing = sorted(set(FIELDS) - set(payload))
    unknown = sorted(set(payload) - set(FIELDS))
    if missing or unknown:
        detail = ", ".join(filter(None, [missing and f"missing {missing}",
                                         unknown and f"unexpected {unknown}"]))
        raise InvalidInputError(f"The connection key has the wrong fields ({detail}).", _FIX,
                                code="key_malformed")
    for name, kind in FIELDS.items():
        if type(payload[name]) is not kind:
            raise InvalidInputError(f"The connection key's '{name}' should be a "
                                    f"{kind.__name__}.", _FIX, code="key_malformed")
    if payload["v"] != 1:
        raise InvalidInputError(f"This connection key has format version {payload['v']}, which "
                                "this backend does not know.",
                                "upgrade Handoff (pip install -U wp-handoff)", code="key_version")


def _check_values(key: ConnectionKey) -> None:
    for name in ("url", "rest", "xmlrpc"):
        parts = urlsplit(getattr(key, name))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInputError(f"The connection key's {name} address is not a web address.",
                                    _FIX, code="key_malformed")
    if not key.user:
        raise InvalidInputError("The connection key has no user name.", _FIX, code="key_malformed")
    if not _APP_PASSWORD.match(key.password):
        raise InvalidInputError("The connection key's password is not a WordPress Application "
                                "Password.", _FIX, code="key_malformed")
