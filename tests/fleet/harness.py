"""Starting the fake fleet (tests/fleet/server.py) for a test or a benchmark."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.fleet.server import FIRST_ADDRESS, fault_plan, fleet_addresses

BRIDGE_USER, BRIDGE_PASSWORD = "handoff-bridge", "AbcdEFGH1234mnopQRST5678"


@dataclass
class RunningFleet:
    port: int
    hosts: list[str]
    faults: list[str]
    process: subprocess.Popen

    def control(self, action: str) -> dict:
        """Ask the fleet server: 'arm' (faults start now) or 'stats' (requests so far)."""
        with urllib.request.urlopen(f"{self.url(0)}/__fleet/{action}", timeout=10) as answer:
            return json.loads(answer.read())

    def url(self, index: int) -> str:
        return f"http://{self.hosts[index]}:{self.port}"

    def key(self, index: int) -> str:
        """A connection key for host `index`, as the plugin's Connect screen would give."""
        url = self.url(index)
        payload = {"v": 1, "url": url, "rest": f"{url}/wp-json/",
                   "xmlrpc": f"{url}/xmlrpc.php", "user": BRIDGE_USER,
                   "password": BRIDGE_PASSWORD, "env": "local",
                   "check": hashlib.sha256(f"{url}\n{BRIDGE_USER}\n{BRIDGE_PASSWORD}"
                                           .encode()).hexdigest()[:8]}
        text = json.dumps(payload, separators=(",", ":")).encode()
        return "handoff1." + base64.urlsafe_b64encode(text).decode().rstrip("=")


def store_sites(app, fleet: RunningFleet, count: int | None = None,
                prefix: str = "site") -> list[str]:
    """Store fleet hosts as connected sites (as `site add` would, without its requests):
    names `site00000`…, in host order."""
    from datetime import UTC, datetime

    from handoff.storage import Site

    names = []
    with app.store.session() as session:
        for index in range(len(fleet.hosts) if count is None else count):
            url, name = fleet.url(index), f"{prefix}{index:05d}"
            session.add(Site(name=name, url=url, rest_url=f"{url}/wp-json/",
                             xmlrpc_url=f"{url}/xmlrpc.php", username=BRIDGE_USER,
                             secret=app.vault.encrypt(BRIDGE_PASSWORD),
                             environment_type="local", transport="rest",
                             created_at=datetime.now(UTC)))
            names.append(name)
    return names


def free_port(address: str = FIRST_ADDRESS) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


@contextmanager
def running_fleet(hosts: int, *, latency_ms: float = 0.0, jitter_ms: float = 0.0,
                  faults: dict[str, float] | None = None, seed: int = 1
                  ) -> Iterator[RunningFleet]:
    """A fleet server process for the block; always stopped after."""
    faults = faults or {}
    port = free_port()
    command = [sys.executable, "-m", "tests.fleet.server", "--hosts", str(hosts),
               "--port", str(port), "--latency-ms", str(latency_ms),
               "--jitter-ms", str(jitter_ms), "--seed", str(seed),
               "--faults", ",".join(f"{k}={v}" for k, v in faults.items())]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        ready = process.stdout.readline()
        if not ready:
            raise RuntimeError(f"the fleet server did not start (exit {process.wait()})")
        json.loads(ready)
        yield RunningFleet(port, fleet_addresses(hosts), fault_plan(hosts, faults, seed),
                           process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
