"""Reading a site's answer as an untrusted party's: streamed, capped, decoded with care.

A site can answer with 200 MiB, with a small gzip body that inflates to gigabytes, or
with JSON nested a hundred thousand levels deep. The body is read in chunks and inflated
by us, counting what comes out, so it stops at the cap of the route whatever the
compression; JSON that Python cannot even parse is a `bad_response` with the reason.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable
from urllib.parse import urlsplit

from handoff.wordpress.errors import BridgeError

MiB = 1024 * 1024
ANSWER_LIMIT = 4 * MiB  # any answer of the plugin or a page of the site
INVENTORY_LIMIT = 16 * MiB  # the inventory and the admin menu: big sites have big menus
CHUNK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"  # only what we inflate ourselves, with a cap


def read_capped(read: Callable[[int], bytes], encoding: str, limit: int, *, url: str,
                deadline: float | None = None, declared: int | None = None) -> bytes:
    """The whole body, inflated, from `read(n)` (raw bytes); BridgeError past `limit`.

    `encoding` is the Content-Encoding header; `declared` the Content-Length, which lets
    an oversized plain answer be refused before it is read.
    """
    inflater = _Inflater(encoding.strip().lower(), url)
    if declared is not None and not inflater.active and declared > limit:
        raise too_large(url, limit)
    parts, size = [], 0
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise BridgeError("timeout", url=url, host=_host(url),
                              detail="the answer did not arrive in time")
        chunk = read(CHUNK)
        if not chunk:
            break
        for data in inflater.feed(chunk, limit - size + 1):
            size += len(data)
            if size > limit:
                raise too_large(url, limit)
            parts.append(data)
    for data in inflater.finish(limit - size + 1):
        size += len(data)
        if size > limit:
            raise too_large(url, limit)
        parts.append(data)
    return b"".join(parts)


def too_large(url: str, limit: int) -> BridgeError:
    return BridgeError("bad_response", url=url,
                       detail=f"the answer is larger than {limit // MiB} MiB, the most the "
                              "backend reads")


def parse_json(content: bytes | str, url: str) -> object:
    """The JSON value of `content`; ValueError when it is not JSON at all, BridgeError when
    it is nested too deeply to read."""
    try:
        return json.loads(content)
    except RecursionError:
        raise BridgeError("bad_response", url=url,
                          detail="the JSON answer is nested too deeply to read") from None


class _Inflater:
    """gzip or deflate undone with an output bound per call; identity passes through."""

    def __init__(self, encoding: str, url: str) -> None:
        self.url = url
        if encoding in ("", "identity"):
            self._inflate = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise BridgeError("bad_response", url=url,
                              detail=f"the answer is compressed as {encoding!r}, which the "
                                     "backend did not ask for")
        self._first = encoding == "deflate"

    @property
    def active(self) -> bool:
        return self._inflate is not None

    def feed(self, chunk: bytes, room: int):
        """Yield the inflated pieces of `chunk`, each at most `room` bytes at a time."""
        if self._inflate is None:
            yield chunk
            return
        data = self._step(chunk, room)
        while True:
            yield data
            if not self._inflate.unconsumed_tail or not data:
                return
            data = self._step(self._inflate.unconsumed_tail, room)

    def finish(self, room: int):
        if self._inflate is not None:
            yield from self.feed(b"", room)
            yield self._inflate.flush(max(1, room))

    def _step(self, data: bytes, room: int) -> bytes:
        try:
            out = self._inflate.decompress(data, max(1, room))
        except zlib.error:
            if not self._first:
                raise BridgeError("bad_response", url=self.url,
                                  detail="the compressed answer is corrupt") from None
            # "deflate" is sometimes sent without its zlib header.
            self._inflate, self._first = zlib.decompressobj(-zlib.MAX_WBITS), False
            return self._step(data, room)
        self._first = False
        return out


def _host(url: str) -> str:
    return urlsplit(url).hostname or url
