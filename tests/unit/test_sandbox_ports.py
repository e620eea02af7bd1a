"""Choosing the sandbox's loopback port."""

from __future__ import annotations

import socket

import pytest

from handoff.sandbox.errors import SandboxError
from handoff.sandbox.ports import LOOPBACK, choose_port, free_port, port_is_free


@pytest.fixture
def busy_port():
    """A port someone is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_free_port_is_free():
    assert port_is_free(free_port())


def test_a_listening_port_is_not_free(busy_port):
    assert not port_is_free(busy_port)


def test_requested_port_is_used_when_free():
    port = free_port()
    assert choose_port(port, previous=None) == port


def test_requested_port_in_use_is_a_clear_error(busy_port):
    with pytest.raises(SandboxError, match=f"port {busy_port} .* in use") as caught:
        choose_port(busy_port, previous=None)
    assert "--port" in caught.value.fix


@pytest.mark.parametrize("port", [0, -1, 65536])
def test_requested_port_must_be_a_tcp_port(port):
    with pytest.raises(SandboxError, match="not a TCP port"):
        choose_port(port, previous=None)


def test_previous_port_is_reused_so_the_url_stays_the_same():
    previous = free_port()
    assert choose_port(None, previous=previous) == previous


def test_busy_previous_port_gives_way_to_another(busy_port):
    chosen = choose_port(None, previous=busy_port)
    assert chosen != busy_port and port_is_free(chosen)


def test_requested_port_wins_over_previous():
    requested, previous = free_port(), free_port()
    assert choose_port(requested, previous=previous) == requested
