"""Choosing the loopback port the sandbox serves on."""

from __future__ import annotations

import socket

from handoff.sandbox.errors import SandboxError

LOOPBACK = "127.0.0.1"


def port_is_free(port: int, host: str = LOOPBACK) -> bool:
    """Return whether a server could listen on host:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # PHP's server sets SO_REUSEADDR too, so a port in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = LOOPBACK) -> int:
    """Return a port the kernel considers free on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def choose_port(requested: int | None, previous: int | None) -> int:
    """Return the port to serve on: the requested one, else the previous one if free, else any.

    Reusing the previous port keeps the sandbox's URL (and connected sites) stable.
    """
    if requested is not None:
        if not 0 < requested < 65536:
            raise SandboxError(f"port {requested} is not a TCP port", "pass a port in 1–65535")
        if not port_is_free(requested):
            raise SandboxError(f"port {requested} on {LOOPBACK} is already in use",
                               "pass another --port, or omit it to pick a free one")
        return requested
    if previous and port_is_free(previous):
        return previous
    return free_port()
