"""When a request to a site is tried again, and how long to wait before it.

Only what may pass on its own is retried: network failures (refused, reset), HTTP 429
(after the site's Retry-After, capped) and 5xx. A request that timed out is not: the
waiting is the expensive part, and a site silent for the read timeout seldom answers the
next try (a fleet with dead sites would pay each of them several times over). Any other
4xx is an answer — a wrong password, a refused profile, a version conflict — and sending
it again would only repeat it. A write is retried only when it carries an idempotency
key, so that the site applies it once however many times it arrives
(docs/bridge-protocol.md).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from handoff.wordpress.deadline import site_time_left

# BridgeError codes of failures on the way, where another try may get through. DNS and
# TLS failures are not among them: they do not mend in seconds; nor timeouts (above).
NETWORK_FAILURES = frozenset({"refused", "connection"})

# How a wait between tries is spent: bulk work lends its place to other sites meanwhile
# (handoff.core.bulk); elsewhere the thread just sleeps.
_pausing: ContextVar[Callable[[Callable[[], None]], None] | None] = \
    ContextVar("handoff_pausing", default=None)


@contextmanager
def pausing_with(pause: Callable[[Callable[[], None]], None]) -> Iterator[None]:
    """Waits between tries in the block run as `pause(wait)`, e.g. without a bulk slot."""
    token = _pausing.set(pause)
    try:
        yield
    finally:
        _pausing.reset(token)


@dataclass(frozen=True)
class Retries:
    """How many tries a request gets and the waits between them (exponential, jittered)."""

    attempts: int = 3  # tries in all, the first included
    backoff: float = 0.5  # seconds before the second try; doubles for each further one
    max_backoff: float = 8.0
    max_retry_after: float = 30.0  # a site asking for longer is tried again after this
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number `attempt` (1 for the first)."""
        if retry_after is not None:
            return max(0.0, min(retry_after, self.max_retry_after))
        ceiling = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # jitter: workers do not retry in step

    def wait(self, attempt: int, retry_after: float | None = None) -> None:
        """Sleep before try `attempt + 1`; never past the time left for the site's work."""
        delay = self.delay(attempt, retry_after)
        left = site_time_left()
        if left is not None:
            delay = max(0.0, min(delay, left))
        pause = _pausing.get()
        if pause is None:
            self.sleep(delay)
        else:
            pause(lambda: self.sleep(delay))


NO_RETRIES = Retries(attempts=1)


def retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def new_write_key() -> str:
    """A fresh idempotency key for one logical write (kept for all of its retries)."""
    return "w-" + uuid.uuid4().hex
