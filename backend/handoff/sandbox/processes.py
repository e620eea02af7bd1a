"""Starting, finding and stopping the sandbox's long-running processes, and running short ones.

Every server runs in its own session (process group), so stopping it also stops its children
(PHP's server workers). A pid is only trusted while the process's command line still names
the sandbox directory: pids get reused after a reboot.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from handoff.sandbox.errors import SandboxError

# Popen objects of servers this process started, so stopping them also reaps them.
_children: dict[int, subprocess.Popen] = {}

# Debian keeps mariadbd in /usr/sbin, which is not on a normal user's PATH.
EXTRA_PATH = ("/usr/sbin", "/sbin")


def find_program(name: str, fix: str) -> str:
    """Return the full path of program `name`; raise SandboxError with `fix` if it is missing."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *EXTRA_PATH])
    found = shutil.which(name, path=search)
    if not found:
        raise SandboxError(f"{name} not found", fix)
    return found


def spawn(argv: Sequence[str], log: Path, env: Mapping[str, str] | None = None,
          cwd: Path | None = None) -> subprocess.Popen:
    """Start a server in a new session with output appended to `log`; return its Popen."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None, cwd=cwd,
            start_new_session=True)  # its own group: Ctrl-C in a terminal does not reach it
    _children[process.pid] = process
    return process


def command_line(pid: int) -> list[str]:
    """Return the argv of process `pid`, or [] if it does not exist or has exited."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def is_ours(pid: int | None, marker: str) -> bool:
    """Return whether `pid` is a live process (not a zombie) whose argv mentions `marker`."""
    if not pid or pid <= 0:
        return False
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        return False
    return any(marker in part for part in command_line(pid))


def group_members(pgid: int) -> list[int]:
    """Return the live (not zombie) processes in process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the parenthesised command name: state, ppid, pgrp, ...
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def stop_group(pid: int | None, marker: str, timeout: float = 20.0) -> None:
    """Stop the process group led by `pid` (SIGTERM, then SIGKILL) and wait until it is gone.

    Nothing happens unless a member of the group mentions `marker`: after a reboot the
    pid may belong to someone else.
    """
    if not pid or not any(is_ours(member, marker) for member in group_members(pid)):
        _reap(pid)
        return
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while group_members(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.05)
    if group_members(pid):
        _signal_group(pid, signal.SIGKILL)
        wait_until(lambda: not group_members(pid), 5.0, f"process group {pid} to exit")
    _reap(pid)


def _signal_group(pgid: int, signum: int) -> None:
    """Send `signum` to process group `pgid`, unless it has exited meanwhile."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _reap(pid: int | None) -> None:
    """Collect the exit status of `pid` if this process started it (no zombie left behind)."""
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        del _children[pid]


def wait_until(condition: Callable[[], bool], timeout: float, what: str,
               interval: float = 0.05) -> None:
    """Poll `condition` until it is true; raise SandboxError naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SandboxError(f"timed out after {timeout:.0f} s waiting for {what}",
                               "look at the logs in the sandbox directory's logs/ folder")
        time.sleep(interval)


def run(argv: Sequence[str], *, what: str, input: str | bytes | None = None,
        timeout: float = 120.0, cwd: Path | None = None,
        stdin_file: Path | None = None) -> subprocess.CompletedProcess:
    """Run a short command to completion and return it; raise SandboxError if it fails."""
    try:
        if stdin_file is not None:
            with open(stdin_file, "rb") as stdin:
                result = subprocess.run(list(argv), stdin=stdin, capture_output=True,
                                        timeout=timeout, cwd=cwd)
        else:
            data = input.encode() if isinstance(input, str) else input
            result = subprocess.run(list(argv), input=data, capture_output=True,
                                    timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired as error:
        raise SandboxError(f"{what} did not finish within {timeout:.0f} s",
                           "look at the logs in the sandbox directory's logs/ folder") from error
    if result.returncode != 0:
        raise SandboxError(f"{what} failed (exit {result.returncode}): "
                           f"{last_lines(result.stderr or result.stdout)}",
                           "look at the logs in the sandbox directory's logs/ folder")
    return result


def last_lines(output: bytes | str, count: int = 6) -> str:
    """Return the last `count` non-empty lines of `output`, joined by ' | '."""
    text = output.decode(errors="replace") if isinstance(output, bytes) else output
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-count:]) or "no output"


def tail(path: Path, count: int = 6) -> str:
    """Return the last `count` non-empty lines of the file at `path` (or a note if absent)."""
    try:
        return last_lines(path.read_bytes()[-20000:], count)
    except OSError:
        return f"{path} does not exist"
