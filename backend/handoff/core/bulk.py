"""Doing one thing to many sites at once, politely: a bound in all and a bound per host.

Menu pushes, syncs and handover checks of many sites all go through `for_each_site`, so
every bulk operation shares the same rules: one slow or failing site never stops the
others (each request has its timeouts and a deadline, and a site's whole work a time
limit), and no server gets more than `per_host` sites worked on at a time however many of
its sites are in the batch. "Server" means the IP address a site's name resolves to, so
several sites on one shared host share the bound. A site waiting to try a request again
(a 429's Retry-After, a 5xx) lends its place among the `concurrency` to another site.

The bound holds within this process (`LocalHostLimits`), or across every process and
machine using one Redis (`handoff.core.workers.RedisHostLimits`): the queued workers.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from handoff.core.actor import acting_as, current_actor
from handoff.errors import HandoffError
from handoff.storage import Site
from handoff.wordpress.deadline import site_deadline
from handoff.wordpress.retry import pausing_with

RESOLVED_FOR = 300.0  # seconds a name's address is remembered
DEFAULT_CONCURRENCY = 64  # sites worked on at once (docs/workers.md: how it was chosen)
MAX_CONCURRENCY = 256
DEFAULT_PER_HOST = 2
SITE_SECONDS = 180.0  # the most one site's work in a bulk operation may take


@dataclass
class Outcome:
    """One site's result: what the work returned, or the error it met."""

    site: str
    value: Any = None
    error: HandoffError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class HostLimits(Protocol):
    """Lets at most `limit` holders work on one host at a time."""

    def hold(self, host: str, limit: int) -> Any:
        """A context manager: entered once the host has room, leaving frees the place."""


class LocalHostLimits:
    """The per-host bound among the threads of this process.

    One instance may serve several bulk operations at once (jobs of one dashboard): each
    waits until fewer than its own `limit` are working on the host, counting everyone's.
    """

    def __init__(self) -> None:
        self._busy: dict[str, int] = {}
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, host: str, limit: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self._busy.get(host, 0) < max(1, limit))
            self._busy[host] = self._busy.get(host, 0) + 1
        try:
            yield
        finally:
            with self._changed:
                self._busy[host] -= 1
                if not self._busy[host]:
                    del self._busy[host]
                self._changed.notify_all()


_addresses: dict[tuple[str, int], tuple[str, float]] = {}
_addresses_lock = threading.Lock()


def host_key(site: Site | None, name: str) -> str:
    """What the per-host bound counts by: the site's IP address (its host name if that
    does not resolve; the site's name when there is no record)."""
    if site is None:
        return name
    parts = urlsplit(site.url)
    host = parts.hostname or site.url
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return host
    return resolve(host, port)


def resolve(host: str, port: int) -> str:
    """The first address a host name resolves to (remembered a while), or the name."""
    now = time.monotonic()
    with _addresses_lock:
        known = _addresses.get((host, port))
    if known and now - known[1] < RESOLVED_FOR:
        return known[0]
    try:
        address = str(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0])
    except (OSError, UnicodeError, IndexError, TypeError):
        address = host  # the work itself reports the name that does not resolve
    with _addresses_lock:
        _addresses[(host, port)] = (address, now)
    return address


def forget_addresses() -> None:
    """Resolve every name afresh (tests; a long-running process re-resolves on its own)."""
    with _addresses_lock:
        _addresses.clear()


def for_each_site(sites: dict[str, Site | None], work: Callable[[str, Site | None], Any], *,
                  concurrency: int = DEFAULT_CONCURRENCY, per_host: int = DEFAULT_PER_HOST,
                  on_done: Callable[[Outcome], None] | None = None,
                  limits: HostLimits | None = None,
                  site_seconds: float | None = SITE_SECONDS) -> list[Outcome]:
    """Run `work(name, site)` for every site; outcomes come back in the order given.

    `sites` maps names to their stored records (None when the caller has none: the work
    then meets the NotFoundError itself). `limits` shares the per-host bound with other
    operations (default: this call's own). Each site's work ends within `site_seconds`
    (its requests fail as timeouts after). Only HandoffError is caught: anything else is
    a bug and propagates.
    """
    limits = limits or LocalHostLimits()
    actor = current_actor()  # pool threads do not inherit the caller's context
    slots = threading.Semaphore(max(1, concurrency))

    def pause(wait: Callable[[], None]) -> None:  # waiting to try again: lend the place
        slots.release()
        try:
            wait()
        finally:
            slots.acquire()

    def one(name: str) -> Outcome:
        site = sites[name]
        try:
            with acting_as(actor), limits.hold(host_key(site, name), per_host), \
                    slots, site_deadline(site_seconds), pausing_with(pause):
                outcome = Outcome(name, value=work(name, site))
        except HandoffError as error:
            outcome = Outcome(name, error=error)
        if on_done is not None:
            on_done(outcome)
        return outcome

    # Twice the threads of the places: those waiting to try again do not stall the rest.
    with ThreadPoolExecutor(max_workers=2 * max(1, concurrency),
                            thread_name_prefix="handoff-bulk") as pool:
        return list(pool.map(one, list(sites)))
