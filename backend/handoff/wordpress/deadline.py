"""Wall-clock limits: on each request to a site, and on all the requests of a site's work.

Connect and read timeouts bound each wait, not the whole exchange: a site that sends a
byte every few seconds never trips them. So every request also has a deadline, and a
watchdog thread shuts the socket of a request that passes it, which ends a blocked read
at once (the request then fails as a timeout). Bulk work adds a deadline for everything
done to one site (`site_deadline`); a request's own is the earlier of the two.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_site: ContextVar[float | None] = ContextVar("handoff_site_deadline", default=None)


@contextmanager
def site_deadline(seconds: float | None) -> Iterator[None]:
    """Every request in the block ends by `seconds` from now (None: no such limit)."""
    token = _site.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _site.reset(token)


def request_deadline(total: float) -> float:
    """The monotonic time a request starting now must end by."""
    own = time.monotonic() + total
    site = _site.get()
    return own if site is None else min(own, site)


def site_time_left() -> float | None:
    """Seconds left for the current site's work; None without a site deadline."""
    site = _site.get()
    return None if site is None else site - time.monotonic()


class Watchdog:
    """Shuts the sockets of requests that pass their deadline (one thread for all)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: list[tuple[float, int]] = []  # (deadline, token), a heap
        self._sockets: dict[int, socket.socket] = {}
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, sock: socket.socket, deadline: float) -> int:
        """Shut `sock` at `deadline` unless released before; return the token to release."""
        with self._changed:
            token = next(self._tokens)
            self._sockets[token] = sock
            heapq.heappush(self._due, (deadline, token))
            if len(self._due) > 64 and len(self._due) > 4 * len(self._sockets):
                self._due = [entry for entry in self._due if entry[1] in self._sockets]
                heapq.heapify(self._due)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="handoff-deadlines",
                                                daemon=True)
                self._thread.start()
            if self._due[0][1] == token:
                self._changed.notify()
        return token

    def release(self, token: int) -> None:
        with self._changed:
            self._sockets.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._changed:
                while self._due and self._due[0][1] not in self._sockets:
                    heapq.heappop(self._due)  # released already
                if not self._due:
                    self._changed.wait(30)
                    continue
                wait = self._due[0][0] - time.monotonic()
                if wait > 0:
                    self._changed.wait(wait)
                    continue
                sock = self._sockets.pop(heapq.heappop(self._due)[1])
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    # The plain socket's shutdown (also for TLS sockets, whose own would touch the TLS
    # state another thread is reading with): the blocked read returns at once.
    with suppress(OSError, ValueError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


WATCHDOG = Watchdog()
_request = threading.local()  # the deadline of the request this thread is making


@contextmanager
def watching(deadline: float) -> Iterator[None]:
    """Sockets given to `watch_socket` in the block are shut at `deadline`."""
    _request.deadline, _request.tokens = deadline, []
    try:
        yield
    finally:
        for token in _request.tokens:
            WATCHDOG.release(token)
        _request.deadline, _request.tokens = None, []


def watch_socket(sock: socket.socket | None) -> None:
    """Have the watchdog shut `sock` at the deadline of the request being made, if any."""
    deadline = getattr(_request, "deadline", None)
    if sock is not None and deadline is not None:
        _request.tokens.append(WATCHDOG.watch(sock, deadline))


class _WatchedHTTPConnection(HTTPConnection):
    def getresponse(self, *args, **kwargs):  # the request is sent: the wait starts here
        watch_socket(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self, *args, **kwargs):
        watch_socket(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections are watched while a deadline is set."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool,
                                                   "https": _WatchedHTTPSPool}
