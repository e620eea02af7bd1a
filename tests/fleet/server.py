"""A fake fleet: thousands of WordPress sites on distinct loopback addresses.

Each address answers the bridge protocol the way the companion plugin does — the answers
in tests/fleet/answers/ were recorded from the real plugin on the sandbox and are checked
against the plugin's JSON Schemas (tests/unit/test_fleet_server.py), so they cannot drift —
after a chosen latency, with some sites faulty the way real ones are: silent, 500, 429,
connections reset, slow-loris, oversize, gzip bombs, deeply nested JSON.

One asyncio process serves every address, so the backend under test gets the machine's
other core. Run it with `python -m tests.fleet.server --hosts N [...]`; it prints one JSON
line `{"port": P, "hosts": [...]}` once every address listens. `tests.fleet.running_fleet`
starts and stops it for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import ipaddress
import json
import random
import resource
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ANSWERS = Path(__file__).resolve().parent / "answers"
PLACEHOLDER = b"http://FLEET-HOST"
FAULTS = ("timeout", "error500", "throttle", "reset", "slowloris", "oversize", "gzipbomb",
          "deepjson")
FIRST_ADDRESS = "127.16.0.1"  # clear of 127.0.0.1, where sandboxes and the dashboard live
OVERSIZE_BYTES = 200 * 1024 * 1024
BOMB_BYTES = 512 * 1024 * 1024  # what the gzip bomb inflates to
DEEP_LEVELS = 100_000
MAX_HEAD = 64 * 1024
MAX_BODY = 4 * 1024 * 1024


def fleet_addresses(count: int, first: str = FIRST_ADDRESS) -> list[str]:
    """`count` loopback addresses from `first`, skipping .0 and .255 of each /24."""
    found, address = [], ipaddress.IPv4Address(first)
    while len(found) < count:
        if str(address).rsplit(".", 1)[1] not in ("0", "255"):
            found.append(str(address))
        address += 1
        if not address.is_loopback:
            raise ValueError(f"{count} addresses do not fit in 127.0.0.0/8 from {first}")
    return found


def fault_plan(count: int, mix: dict[str, float], seed: int = 1) -> list[str]:
    """Which fault (or '') each host has: the fractions of `mix`, spread by a seeded shuffle."""
    plan: list[str] = []
    for fault, share in mix.items():
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
        plan += [fault] * round(count * share)
    if len(plan) > count:
        raise ValueError("the fault shares add up to more than every host")
    plan += [""] * (count - len(plan))
    random.Random(seed).shuffle(plan)
    return plan


@dataclass
class HostState:
    """What one fake site remembers: its menu profile and the write keys it has seen."""

    version: int = 0
    hash: str = ""
    profile: dict = field(default_factory=dict)
    keys: dict[str, bytes] = field(default_factory=dict)


class Fleet:
    """The answers every host gives, and each host's fault and state."""

    def __init__(self, hosts: list[str], port: int, latency: float, jitter: float,
                 faults: list[str]) -> None:
        self.hosts, self.port = hosts, port
        self.latency, self.jitter = latency, jitter
        self.faults = dict(zip(hosts, faults, strict=True))
        self.state = {host: HostState() for host in hosts}
        self.answers = {path.stem: path.read_bytes() for path in ANSWERS.glob("*.json")}
        self.status = json.loads(self.answers["status"])
        self.requests = 0
        self.armed = False  # faults start once armed, so that every site can be added first
        self._bomb = b""

    def bomb(self) -> bytes:
        """A small gzip body that inflates to BOMB_BYTES of JSON text (made once)."""
        if not self._bomb:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip stream
            chunk, parts = b"0" * (1024 * 1024), [packer.compress(b'{"a":"')]
            parts += [packer.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))]
            self._bomb = b"".join(parts) + packer.compress(b'"}') + packer.flush()
        return self._bomb

    async def serve_connection(self, reader: asyncio.StreamReader,
                               writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                if request[1].startswith("/__fleet/"):
                    writer.write(_response(200, _JSON, self.control(request[1])))
                    await writer.drain()
                    continue
                self.requests += 1
                delay = self.latency + random.uniform(-self.jitter, self.jitter)
                await asyncio.sleep(max(0.0, delay))
                fault = self.faults.get(host, "") if self.armed else ""
                if fault and await self.misbehave(fault, writer):
                    return
                status, headers, body = self.answer(host, *request)
                writer.write(_response(status, headers, body))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        finally:
            writer.close()

    def control(self, target: str) -> bytes:
        """The harness's own routes: arm the faults, read the request count."""
        if target == "/__fleet/arm":
            self.armed = True
        return json.dumps({"requests": self.requests, "armed": self.armed}).encode()

    async def misbehave(self, fault: str, writer: asyncio.StreamWriter) -> bool:
        """Answer as a broken site would; True when the connection is done with."""
        if fault == "timeout":
            await asyncio.sleep(3600)
            return True
        if fault == "reset":
            writer.transport.abort()
            return True
        if fault == "error500":
            writer.write(_response(500, {"Content-Type": "text/html"},
                                   b"<h1>Internal Server Error</h1>"))
            return False
        if fault == "throttle":
            writer.write(_response(429, {"Retry-After": "1", "Content-Type": "text/plain"},
                                   b"Too Many Requests"))
            return False
        if fault == "slowloris":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000000\r\n\r\n")
            for _ in range(720):  # a byte every 5 s for an hour
                writer.write(b" ")
                await writer.drain()
                await asyncio.sleep(5)
            return True
        if fault == "oversize":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         + f"Content-Length: {OVERSIZE_BYTES + 8}\r\n\r\n".encode() + b'{"a":"')
            chunk = b"x" * (1024 * 1024)
            for _ in range(OVERSIZE_BYTES // len(chunk)):
                writer.write(chunk)
                await writer.drain()
            writer.write(b'"}')
            return True
        if fault == "gzipbomb":
            body = self.bomb()
            writer.write(_response(200, {"Content-Type": "application/json",
                                         "Content-Encoding": "gzip"}, body))
            return False
        if fault == "deepjson":
            writer.write(_response(200, {"Content-Type": "application/json"},
                                   b"[" * DEEP_LEVELS + b"]" * DEEP_LEVELS))
            return False
        return False

    def answer(self, host: str, method: str, target: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        """The plugin's answer to one request (or WordPress's, for the pages around it)."""
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        route = query.get("rest_route", [""])[0] or parts.path.removeprefix("/wp-json")
        method = headers.get("x-http-method-override", method).upper()
        if route.startswith("/handoff/v1/"):
            return self.bridge(host, method, route.removeprefix("/handoff/v1/"), headers,
                               body)
        if parts.path == "/wp-admin/admin-ajax.php":
            return 200, _JSON, self.site_text(host, "admin_menu")
        if parts.path in ("/", ""):
            return 200, {"Content-Type": "text/html"}, b"<html><title>Fleet site</title></html>"
        if parts.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /wp-admin/\n"
        if parts.path == "/wp-sitemap.xml":
            return 200, {"Content-Type": "application/xml"}, b"<?xml version='1.0'?><sitemapindex/>"
        if parts.path == "/xmlrpc.php":
            return 200, {"Content-Type": "text/xml"}, XMLRPC_FAULT
        return 404, {"Content-Type": "text/html"}, b"<html><title>Page not found</title></html>"

    def bridge(self, host: str, method: str, route: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        state = self.state[host]
        if route == "status":
            status = {**self.status, "time": int(time.time())}
            text = json.dumps(status).encode()
            return 200, _JSON, text.replace(PLACEHOLDER, self.base(host))
        if route in ("inventory", "health", "handbook"):
            return 200, _JSON, self.site_text(host, route)
        if route == "menu-profile" and method == "GET":
            return 200, _JSON, json.dumps(
                {"version": state.version, "hash": state.hash, "profile": state.profile,
                 "history": [], "applied_at": 0, "applied_by": "", "safe_mode": False}).encode()
        if route == "menu-profile" and method == "PUT":
            key = headers.get("idempotency-key", "")
            if key and key in state.keys:
                return 200, _JSON, state.keys[key]
            sent = json.loads(body or b"{}")
            if sent.get("replaces_version") != state.version:
                return 409, _JSON, json.dumps({
                    "code": "handoff_version_conflict", "message": "changed since",
                    "data": {"status": 409, "current_version": state.version,
                             "replaces_version": sent.get("replaces_version")}}).encode()
            state.version += 1
            state.profile = sent.get("profile") or {}
            canonical = json.dumps(state.profile, sort_keys=True, separators=(",", ":"),
                                   ensure_ascii=False)  # as the plugin hashes it
            state.hash = hashlib.sha256(canonical.encode()).hexdigest()
            answer = json.dumps({"version": state.version, "hash": state.hash,
                                 "warnings": []}).encode()
            if key:
                state.keys[key] = answer
            return 200, _JSON, answer
        return 404, _JSON, b'{"code":"rest_no_route","message":"No route","data":{"status":404}}'

    def site_text(self, host: str, name: str) -> bytes:
        return self.answers[name].replace(PLACEHOLDER, self.base(host))

    def base(self, host: str) -> bytes:
        return f"http://{host}:{self.port}".encode()


_JSON = {"Content-Type": "application/json; charset=UTF-8"}
XMLRPC_FAULT = (b"<?xml version='1.0'?><methodResponse><fault><value><struct>"
                b"<member><name>faultCode</name><value><int>-32601</int></value></member>"
                b"<member><name>faultString</name><value><string>server error. requested "
                b"method does not exist.</string></value></member></struct></value></fault>"
                b"</methodResponse>")


async def _read_request(reader: asyncio.StreamReader
                        ) -> tuple[str, str, dict[str, str], bytes] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    if len(head) > MAX_HEAD:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    length = min(int(headers.get("content-length", "0") or 0), MAX_BODY)
    body = await reader.readexactly(length) if length else b""
    return method, target, headers, body


def _response(status: int, headers: dict[str, str], body: bytes) -> bytes:
    reason = {200: "OK", 404: "Not Found", 409: "Conflict", 429: "Too Many Requests",
              500: "Internal Server Error"}.get(status, "OK")
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}",
             "Connection: keep-alive", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def serve(fleet: Fleet) -> None:
    servers = []
    for host in fleet.hosts:
        servers.append(await asyncio.start_server(fleet.serve_connection, host, fleet.port,
                                                  reuse_address=True, backlog=256,
                                                  limit=MAX_HEAD))
    print(json.dumps({"port": fleet.port, "hosts": len(fleet.hosts),
                      "first": fleet.hosts[0]}), flush=True)
    await asyncio.Event().wait()


def _raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--first", default=FIRST_ADDRESS)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    parser.add_argument("--faults", default="", help="e.g. timeout=0.05,error500=0.05")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    mix = {name: float(share) for name, _, share in
           (item.partition("=") for item in args.faults.split(",") if item)}
    hosts = fleet_addresses(args.hosts, args.first)
    _raise_file_limit(args.hosts * 3 + 256)
    fleet = Fleet(hosts, args.port, args.latency_ms / 1000, args.jitter_ms / 1000,
                  fault_plan(len(hosts), mix, args.seed))
    try:
        asyncio.run(serve(fleet))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
