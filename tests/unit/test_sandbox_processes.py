"""Starting, recognising and stopping the sandbox's server processes."""

from __future__ import annotations

import sys
import time

import pytest

from handoff.sandbox import processes
from handoff.sandbox.errors import SandboxError

# A parent that forks a child, like PHP's server with its workers; both name the marker.
SERVER = """
import os, sys, time
if os.fork() == 0:
    time.sleep(60)
time.sleep(60)
"""


@pytest.fixture
def server(tmp_path):
    marker = f"{tmp_path}/"
    process = processes.spawn([sys.executable, "-c", SERVER, marker], log=tmp_path / "log")
    processes.wait_until(lambda: len(processes.group_members(process.pid)) == 2, 10, "fork")
    yield process, marker
    processes.stop_group(process.pid, marker, timeout=5)


def test_a_spawned_server_leads_its_own_group(server):
    process, marker = server
    assert processes.is_ours(process.pid, marker)
    assert len(processes.group_members(process.pid)) == 2


def test_another_marker_is_not_ours(server, tmp_path):
    process, _ = server
    assert not processes.is_ours(process.pid, f"{tmp_path}-other/")
    assert not processes.is_ours(None, "x") and not processes.is_ours(0, "x")


def test_stopping_ends_the_whole_group_and_reaps_it(server):
    process, marker = server
    processes.stop_group(process.pid, marker, timeout=5)
    assert processes.group_members(process.pid) == []
    assert not processes.is_ours(process.pid, marker)
    assert process.poll() is not None, "no zombie left behind"


def test_a_group_that_is_not_ours_is_left_alone(server, tmp_path):
    process, _ = server
    processes.stop_group(process.pid, f"{tmp_path}-other/", timeout=1)
    assert len(processes.group_members(process.pid)) == 2


def test_missing_program_says_how_to_install_it():
    with pytest.raises(SandboxError, match="no-such-program-here not found") as caught:
        processes.find_program("no-such-program-here", "run `make setup`")
    assert caught.value.fix == "run `make setup`"
    assert str(caught.value) == "no-such-program-here not found: run `make setup`"


def test_failed_command_reports_its_stderr():
    with pytest.raises(SandboxError, match=r"listing failed \(exit 2\): .*nope"):
        processes.run(["ls", "/nope"], what="listing")


def test_wait_until_times_out_naming_what_it_waited_for():
    began = time.monotonic()
    with pytest.raises(SandboxError, match="waiting for Godot"):
        processes.wait_until(lambda: False, 0.2, "Godot")
    assert time.monotonic() - began < 2
