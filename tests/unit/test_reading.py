"""The streamed reader of a site's answers: capped, inflated with a bound, deep JSON refused."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
import zlib

import pytest

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.reading import MiB, parse_json, read_capped

URL = "https://client.example/wp-json/handoff/v1/inventory"


class Source:
    """A body given out in the pieces a socket would; counts what was read of it."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    def read(self, amount: int) -> bytes:
        return self.stream.read(amount)

    @property
    def consumed(self) -> int:
        return self.stream.tell()


def zeros_gzip(size: int) -> bytes:
    """A gzip body inflating to `size` bytes of '0' (made in pieces, as a bomb is)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"0" * MiB
    parts = [packer.compress(chunk) for _ in range(size // MiB)]
    return b"".join(parts) + packer.flush()


def test_an_answer_within_the_cap_is_read_whole():
    body = json.dumps({"plugins": ["x" * 1000] * 50}).encode()
    assert read_capped(Source(body).read, "", 1 * MiB, url=URL) == body


@pytest.mark.parametrize("declared", [None, 3 * MiB])
def test_an_answer_past_the_cap_is_refused_without_reading_it_all(declared):
    source = Source(b"x" * (3 * MiB))
    with pytest.raises(BridgeError) as caught:
        read_capped(source.read, "", 1 * MiB, url=URL, declared=declared)
    assert caught.value.code == "bad_response" and "larger than 1 MiB" in caught.value.cause
    assert source.consumed <= 1 * MiB + 64 * 1024  # stopped at the cap, not at the end


def test_a_gzip_bomb_stops_at_the_cap_counted_inflated():
    bomb = zeros_gzip(64 * MiB)
    assert len(bomb) < 128 * 1024  # small on the wire...
    tracemalloc.start()
    try:
        with pytest.raises(BridgeError) as caught:
            read_capped(Source(bomb).read, "gzip", 2 * MiB, url=URL)  # ...refused at 2 MiB
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "bad_response" and "larger than 2 MiB" in caught.value.cause
    assert peak < 8 * MiB  # never inflated whole (64 MiB)


@pytest.mark.parametrize("encoding, packed", [
    ("gzip", gzip.compress(b'{"a": 1}')),
    ("deflate", zlib.compress(b'{"a": 1}')),
    ("deflate", zlib.compress(b'{"a": 1}')[2:-4]),  # raw deflate, as some servers send
    ("identity", b'{"a": 1}'),
])
def test_compressed_answers_within_the_cap_are_inflated(encoding, packed):
    assert read_capped(Source(packed).read, encoding, MiB, url=URL) == b'{"a": 1}'


def test_an_encoding_the_backend_did_not_ask_for_is_refused():
    with pytest.raises(BridgeError, match="compressed as 'br'") as caught:
        read_capped(Source(b"...").read, "br", MiB, url=URL)
    assert caught.value.code == "bad_response"


def test_a_corrupt_gzip_answer_is_a_bad_response():
    with pytest.raises(BridgeError, match="corrupt") as caught:
        read_capped(Source(b"\x1f\x8b\x08\x00garbage-not-gzip").read, "gzip", MiB, url=URL)
    assert caught.value.code == "bad_response"


def test_deeply_nested_json_is_a_bad_response_with_its_reason():
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(BridgeError) as caught:
        parse_json(deep, URL)
    assert caught.value.code == "bad_response"
    assert "nested too deeply" in caught.value.cause and caught.value.exit_code == 4


def test_text_that_is_not_json_stays_a_value_error():
    with pytest.raises(ValueError):
        parse_json(b"<html>", URL)
    assert parse_json(b'{"ok": [1, {"b": null}]}', URL) == {"ok": [1, {"b": None}]}
