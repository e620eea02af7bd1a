"""Refusing repeated password guessing on the dashboard's login form.

After `limit` failed logins within `window` for one user name, or from one client address,
further attempts for it are refused (even with the right password) until the oldest of those
failures is older than the window; a successful login clears the failures of its user name
and address. Failures are kept in the store (table login_failures, migration 0009), so every
process and thread of the dashboard counts the same attempts and a restart forgives nothing.

Flask-Limiter was considered: it counts requests per key in its own storage (per process
unless Redis or Memcached is set up) and has no "a success resets" — this needs both.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, or_, select

from handoff.storage import Store
from handoff.storage.models import UTCDateTime

LIMIT = 5
WINDOW = timedelta(minutes=15)

_metadata = MetaData()
failures = Table("login_failures", _metadata,
                 Column("id", Integer, primary_key=True),
                 Column("username", String(100)),
                 Column("address", String(64)),
                 Column("at", UTCDateTime))


def utcnow() -> datetime:
    return datetime.now(UTC)


def _user_key(username: str) -> str:
    """User names are compared as the login form compares them: stripped; any case."""
    return username.strip().casefold()[:100]


class LoginThrottle:
    """Counts failed logins per user name and per client address, in the store."""

    def __init__(self, store: Store, *, limit: int = LIMIT, window: timedelta = WINDOW,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store, self.limit, self.window, self.clock = store, limit, window, clock

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until this user name and address may try again; 0 when they may now."""
        now = self.clock()
        waits = [self._wait(failures.c.username == _user_key(username), now),
                 self._wait(failures.c.address == address[:64], now)]
        return max(waits)

    def failed(self, username: str, address: str) -> None:
        """Remember a failed login; failures older than the window are dropped."""
        now = self.clock()
        with self.store.session() as session:
            session.execute(delete(failures).where(failures.c.at <= now - self.window))
            session.execute(failures.insert().values(username=_user_key(username),
                                                     address=address[:64], at=now))

    def succeeded(self, username: str, address: str) -> None:
        """A login worked: forget the failures of its user name and of its address."""
        with self.store.session() as session:
            session.execute(delete(failures).where(or_(
                failures.c.username == _user_key(username), failures.c.address == address[:64])))

    def _wait(self, condition, now: datetime) -> int:
        """Seconds until fewer than `limit` failures matching `condition` are recent."""
        with self.store.session() as session:
            recent = list(session.scalars(
                select(failures.c.at).where(condition, failures.c.at > now - self.window)
                .order_by(failures.c.at.desc()).limit(self.limit)))
        if len(recent) < self.limit:
            return 0
        # The block lifts when the limit-th newest failure leaves the window.
        lifts = recent[-1] + self.window
        return max(1, math.ceil((lifts - now).total_seconds()))

