"""Who is acting: the person or token behind a change, for the audit trail and job records.

The CLI acts as the operating-system user (or HANDOFF_ACTOR when set, e.g. in CI); the
dashboard sets its logged-in user or API token for the length of a request; background
jobs carry the actor of whoever started them.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

_actor: ContextVar[str | None] = ContextVar("handoff_actor", default=None)


def default_actor() -> str:
    """The actor outside any request or job: HANDOFF_ACTOR, else cli:<login>."""
    explicit = os.environ.get("HANDOFF_ACTOR", "").strip()
    if explicit:
        return explicit
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        login = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"cli:{login}"


def current_actor() -> str:
    return _actor.get() or default_actor()


def set_actor(actor: str) -> Token:
    """Attribute what follows to `actor` until reset_actor(token) (for request hooks)."""
    return _actor.set(actor)


def reset_actor(token: Token) -> None:
    _actor.reset(token)


@contextmanager
def acting_as(actor: str) -> Iterator[str]:
    """Attribute everything done inside the block to `actor`."""
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)
