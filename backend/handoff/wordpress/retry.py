"""When a request to a site is tried again, and how long to wait before it.

Only what may pass on its own is retried: network failures (refused, reset, timed out),
HTTP 429 (after the site's Retry-After, capped) and 5xx. Any other 4xx is an answer — a
wrong password, a refused profile, a version conflict — and sending it again would only
repeat it. A write is retried only when it carries an idempotency key, so that the site
applies it once however many times it arrives (docs/bridge-protocol.md).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# BridgeError codes of failures on the way, where another try may get through. DNS and
# TLS failures are not among them: they do not mend in seconds.
NETWORK_FAILURES = frozenset({"refused", "timeout", "connection"})


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
        self.sleep(self.delay(attempt, retry_after))


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
