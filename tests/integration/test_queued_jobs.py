"""Bulk jobs through Redis and real `handoff worker` processes, against the sandbox.

Many site records point at the one sandbox WordPress (as the bulk benchmarks do). The fault
test kills a worker with SIGKILL in the middle of a forced push: another worker finishes
the job, every site has exactly one outcome, and the profile version on the WordPress grew
by exactly one per site record — the push the dead worker had in flight was not applied
twice (idempotency keys), and none was lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from handoff.app import Handoff
from handoff.cli import main
from handoff.core.menu_presets import preset
from handoff.errors import HandoffError
from tests.bench.bulk_push import make_records
from tests.redis_server import free_port

pytestmark = pytest.mark.integration

LEASE = 2  # seconds: a killed worker's parts are given to another soon
PROFILE = preset("content-editor")


@pytest.fixture
def queued(app, redis_url, monkeypatch) -> Handoff:
    """The test's backend with jobs queued on the test Redis; `handoff worker` processes
    started by the test find the same store, key and Redis in the environment."""
    monkeypatch.setenv("HANDOFF_REDIS_URL", redis_url)
    monkeypatch.setenv("HANDOFF_JOB_LEASE_SECONDS", str(LEASE))
    monkeypatch.setenv("HANDOFF_HTTP_ATTEMPTS", "3")
    return Handoff(settings=replace(app.settings, redis_url=redis_url, job_lease_seconds=LEASE),
                   timeouts=app.timeouts)


@pytest.fixture
def site(queued, fresh_sandbox) -> str:
    queued.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    queued.sites.sync("s")
    return "s"


@contextmanager
def worker_processes(count: int, log_dir: Path, *args: str) -> Iterator[list[subprocess.Popen]]:
    """`handoff worker` processes (their output in log_dir); stopped at the end."""
    processes = []
    try:
        for number in range(count):
            log = (log_dir / f"worker-{len(list(log_dir.glob('worker-*')))}-{number}.log")
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "handoff", "worker", *args], stdout=log.open("w"),
                stderr=subprocess.STDOUT, start_new_session=True))
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def logs(log_dir: Path) -> str:
    return "\n".join(path.read_text(errors="replace")[-3000:]
                     for path in sorted(log_dir.glob("worker-*")))


def site_version(app: Handoff, name: str) -> int:
    return int(app.sites.client(name)[1].menu_profile()["version"])


def cli(app: Handoff, *args: str):
    return CliRunner().invoke(main, list(args), obj=app)


def test_a_bulk_push_runs_in_a_worker_with_progress_and_results(queued, site, tmp_path):
    names = ["s", *make_records(queued, "s", 5)]
    with worker_processes(1, tmp_path):  # one WordPress behind every record: one at a time
        result = cli(queued, "menu", "push", "--all", "preset:content-editor", "--per-host", "1")
    assert result.exit_code == 0, result.output + logs(tmp_path)
    for name in names:
        assert name in result.output
    assert "applied" in result.output and "unchanged" in result.output
    [view], _ = queued.jobs.list()
    assert (view.kind, view.status, view.done, view.failed) == ("menu.push", "done", 6, 0)
    assert view.actor.startswith("cli:")


def test_a_worker_killed_mid_job_leaves_nothing_lost_and_nothing_applied_twice(
        queued, site, tmp_path):
    names = make_records(queued, "s", 45)  # two parts of the job
    before = site_version(queued, "s")
    job_id = queued.jobs.submit(
        "menu.push", {"profile": PROFILE, "force": True, "per_host": 1, "concurrency": 2},
        targets=names, title="Forced push")
    first_part = set(names[0::2])
    with worker_processes(1, tmp_path) as [doomed]:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            done = {item["target"] for item in queued.jobs.get(job_id).items}
            if len(done) >= 6:
                break
            time.sleep(0.02)
        os.kill(doomed.pid, signal.SIGKILL)  # in the middle of the job's first part
        doomed.wait()
    assert 6 <= len(done) < len(first_part) and done <= first_part, logs(tmp_path)

    with worker_processes(1, tmp_path):
        view = queued.jobs.wait(job_id, timeout=120, interval=0.2)
    assert view.status == "done", (view.error, logs(tmp_path))
    assert view.attempts == 2  # the dead worker's part was given to a new generation
    assert sorted(item["target"] for item in view.items) == sorted(names)  # once each
    assert all(item["ok"] for item in view.items), view.items
    assert site_version(queued, "s") == before + len(names)  # one write per site record
    versions = sorted(item["detail"]["version"] for item in view.items)
    assert versions == list(range(before + 1, before + len(names) + 1))


def test_a_burst_worker_drains_the_queue_and_exits(queued, site, tmp_path):
    names = ["s", *make_records(queued, "s", 3)]
    job_id = queued.jobs.submit("sites.sync", {}, targets=names, title="Sync")
    assert queued.jobs.get(job_id).status == "queued"
    finished = subprocess.run([sys.executable, "-m", "handoff", "worker", "--burst"],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "until the queues are empty" in finished.stderr
    view = queued.jobs.get(job_id)
    assert (view.status, view.done, view.failed) == ("done", 4, 0)
    assert "plugins" in view.items[0]["message"]


def test_sync_and_handover_check_of_several_sites_through_workers(queued, site, tmp_path):
    make_records(queued, "s", 2)
    with worker_processes(2, tmp_path):
        synced = cli(queued, "site", "sync", "--all")
        checked = cli(queued, "handover", "check", "--all")
    assert synced.exit_code == 0, synced.output + logs(tmp_path)
    assert synced.output.count("plugins") >= 3
    [job], _ = queued.jobs.list(kind="handover.check")
    verdicts = [item["detail"]["verdict"] for item in job.items]
    assert len(verdicts) == 3 and len(set(verdicts)) == 1  # one WordPress, one verdict
    expected = {"Ready": 0, "Blocked": 6}.get(verdicts[0], 1)
    assert checked.exit_code == expected, checked.output + logs(tmp_path)
    assert verdicts[0] in checked.output


def test_redis_down_is_a_clear_error_and_in_process_runs_it_here(app, site, fresh_sandbox):
    down = Handoff(settings=replace(app.settings,
                                    redis_url=f"redis://127.0.0.1:{free_port()}/0"),
                   timeouts=app.timeouts)
    make_records(down, "s", 2)
    refused = cli(down, "menu", "push", "--all", "preset:content-editor", "--per-host", "1")
    assert refused.exit_code == 7
    assert "is not reachable" in refused.output and "--in-process" in refused.output
    assert down.jobs_here.list() == ([], 0)

    here = cli(down, "menu", "push", "--all", "preset:content-editor", "--per-host", "1",
               "--in-process")
    assert here.exit_code == 0, here.output
    [view], _ = down.jobs_here.list()
    assert (view.status, view.done, view.failed) == ("done", 3, 0)
    assert view.items[0]["detail"]["version"] == site_version(down, "s")


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_one_write_sent_twice_with_its_key_is_applied_once(queued, site, transport):
    queued.sites.check("s", transport=transport)
    before = site_version(queued, "s")
    first = queued.menus.push("s", PROFILE, force=True, idempotency_key="job-test-s")
    again = queued.menus.push("s", PROFILE, force=True, idempotency_key="job-test-s")
    assert first.version == again.version == before + 1 == site_version(queued, "s")
    third = queued.menus.push("s", PROFILE, force=True)  # a new call: a new key
    assert third.version == before + 2
    with pytest.raises(HandoffError) as caught:  # the key again, with another profile
        queued.menus.push("s", {**PROFILE, "name": "Another"}, force=True,
                          idempotency_key="job-test-s")
    assert caught.value.code == "idempotency_key_reused"
    assert site_version(queued, "s") == before + 2
