"""Retries against a tiny loopback server: 503, 429 and reset connections are tried again
(with the same idempotency key), other 4xx never, and never more than the attempts."""

from __future__ import annotations

import json
import socket
import struct
import threading
import xmlrpc.client
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.profile_api import VersionConflict
from handoff.wordpress.rest import RestTransport
from handoff.wordpress.retry import Retries, retry_after_seconds
from handoff.wordpress.xmlrpc import XmlRpcTransport

RESET = "reset"
STATUS = {"plugin_version": "0.1.0"}


class ScriptedServer(ThreadingHTTPServer):
    """Answers each request with the next scripted answer: (status, headers, body) or RESET."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list = []
        self.seen: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append({"method": self.command, "path": self.path,
                                 "headers": dict(self.headers), "body": body})
        answer = self.server.script.pop(0)
        if answer == RESET:  # close with a TCP reset, as a crashing proxy does
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        status, headers, payload = answer
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    thread = threading.Thread(target=scripted.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield scripted
    scripted.shutdown()
    scripted.server_close()


@pytest.fixture
def waits() -> list[float]:
    return []


def rest(server: ScriptedServer, waits: list[float], attempts: int = 4) -> RestTransport:
    return RestTransport(f"{server.url}/wp-json/", "bridge", "password", verify=False,
                         retries=Retries(attempts=attempts, sleep=waits.append))


def error_body(status: int, code: str, **data) -> tuple:
    return (status, {}, {"code": code, "message": "…", "data": {"status": status, **data}})


def test_503_429_and_a_reset_connection_are_tried_again(server, waits):
    server.script = [(503, {}, {"code": "down"}), (429, {"Retry-After": "2"}, {}), RESET,
                     (200, {}, STATUS)]
    assert rest(server, waits).status() == STATUS
    assert len(server.seen) == 4
    assert waits[1] == 2.0  # the site's Retry-After
    assert 0.25 <= waits[0] <= 0.5 and 1.0 <= waits[2] <= 2.0  # backoff doubles, jittered


def test_retry_after_is_capped_and_read_as_a_date_too(server, waits):
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    server.script = [(429, {"Retry-After": "3600"}, {}), (429, {"Retry-After": later}, {}),
                     (200, {}, STATUS)]
    transport = rest(server, waits)
    transport.retries = Retries(attempts=3, max_retry_after=30, sleep=waits.append)
    assert transport.status() == STATUS
    assert waits == [30.0, 30.0]
    assert 85 <= retry_after_seconds(later) <= 90
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


@pytest.mark.parametrize(("answer", "expected"), [
    ((400, {}, {"code": "rest_invalid_param", "message": "…", "data": {"status": 400}}),
     "bad_response"),
    (error_body(403, "handoff_forbidden"), "forbidden"),
    (error_body(409, "handoff_version_conflict", current_version=3, replaces_version=2),
     "version_conflict"),
])
def test_other_4xx_are_answers_and_never_tried_again(server, waits, answer, expected):
    server.script = [answer, (200, {}, {"version": 9, "hash": "h", "warnings": []})]
    with pytest.raises((BridgeError, VersionConflict)) as caught:
        rest(server, waits).put_menu_profile({"name": "x"}, 2)
    assert caught.value.code == expected
    assert len(server.seen) == 1 and waits == []


def test_attempts_are_bounded_and_the_last_failure_is_reported(server, waits):
    server.script = [(503, {}, {"code": "down"})] * 5
    with pytest.raises(BridgeError) as caught:
        rest(server, waits, attempts=3).status()
    assert caught.value.code == "server_error" and len(server.seen) == 3 and len(waits) == 2


def test_a_write_keeps_its_idempotency_key_on_every_try(server, waits):
    server.script = [RESET, (502, {}, {"code": "bad gateway"}),
                     (200, {}, {"version": 4, "hash": "h", "warnings": []})]
    answer = rest(server, waits).put_menu_profile({"name": "x"}, 3, idempotency_key="job-abc")
    assert answer["version"] == 4
    assert [seen["headers"]["Idempotency-Key"] for seen in server.seen] == ["job-abc"] * 3
    assert {seen["headers"]["X-HTTP-Method-Override"] for seen in server.seen} == {"PUT"}
    assert json.loads(server.seen[2]["body"]) == {"profile": {"name": "x"},
                                                  "replaces_version": 3}


def test_each_write_without_a_key_gets_its_own_for_all_its_tries(server, waits):
    server.script = [(503, {}, {}), (200, {}, {"version": 1}), (200, {}, {"version": 2})]
    transport = rest(server, waits)
    transport.delete_menu_profile(0)
    transport.delete_menu_profile(1)
    keys = [seen["headers"]["Idempotency-Key"] for seen in server.seen]
    assert keys[0] == keys[1] != keys[2] and keys[0].startswith("w-")


def test_a_write_without_a_key_is_sent_once(server, waits):
    server.script = [(503, {}, {"code": "down"}), (200, {}, {"revoked": True})]
    with pytest.raises(BridgeError) as caught:
        rest(server, waits).disconnect()  # revoking access is not retried blindly
    assert caught.value.code == "server_error" and len(server.seen) == 1


def test_a_site_that_keeps_answering_429_says_so(server, waits):
    server.script = [(429, {}, {"code": "slow_down"})] * 2
    with pytest.raises(BridgeError) as caught:
        rest(server, waits, attempts=2).status()
    assert caught.value.code == "rate_limited" and "--per-host" in caught.value.fix


def test_without_a_policy_nothing_is_tried_again(server):
    server.script = [(503, {}, {"code": "down"}), (200, {}, STATUS)]
    transport = RestTransport(f"{server.url}/wp-json/", "bridge", "password", verify=False)
    with pytest.raises(BridgeError):
        transport.status()
    assert len(server.seen) == 1


# -- XML-RPC -----------------------------------------------------------------------------

def xml_answer(value) -> tuple:
    return (200, {"Content-Type": "text/xml"},
            xmlrpc.client.dumps((value,), methodresponse=True).encode())


METHODS = xml_answer(["handoff.status", "handoff.menuProfile.put", "handoff.disconnect"])


def xmlrpc_transport(server, waits, attempts: int = 4) -> XmlRpcTransport:
    return XmlRpcTransport(f"{server.url}/xmlrpc.php", "bridge", "password", verify=False,
                           retries=Retries(attempts=attempts, sleep=waits.append))


def test_xmlrpc_retries_503_429_and_resets_with_the_same_key(server, waits):
    server.script = [METHODS, (503, {}, b"down"), (429, {"Retry-After": "1"}, b"slow"), RESET,
                     xml_answer({"version": 2, "hash": "h", "warnings": []})]
    answer = xmlrpc_transport(server, waits).put_menu_profile({"name": "x"}, 1,
                                                             idempotency_key="job-k")
    assert answer["version"] == 2 and waits[1] == 1.0
    calls = [xmlrpc.client.loads(seen["body"]) for seen in server.seen[1:]]
    puts = [params for params, method in calls if method == "handoff.menuProfile.put"]
    assert len(puts) == 4 and {params[-1] for params in puts} == {"job-k"}


def test_xmlrpc_other_4xx_and_unkeyed_writes_are_sent_once(server, waits):
    server.script = [METHODS, (403, {}, b"forbidden")]
    with pytest.raises(BridgeError):
        xmlrpc_transport(server, waits).status()
    assert len(server.seen) == 2 and waits == []

    server.script = [METHODS, (503, {}, b"down"), xml_answer({"revoked": True})]
    server.seen.clear()
    with pytest.raises(BridgeError) as caught:
        xmlrpc_transport(server, waits).disconnect()
    assert caught.value.code == "server_error" and len(server.seen) == 2
