"""Queued jobs on a real Redis (tests/redis_server.py), no WordPress: parts, leases, dead
workers re-queued then failed, the per-host bound across processes, Redis down."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

import pytest
import redis
from click.testing import CliRunner
from rq import Queue
from sqlalchemy import update

from handoff.app import Handoff
from handoff.cli import main
from handoff.config import load_settings
from handoff.core import bulk
from handoff.core.jobs import (
    KINDS,
    MAX_ATTEMPTS,
    InProcessRunner,
    JobLost,
    Jobs,
    Progress,
    job_kind,
)
from handoff.core.workers import QueueError, RedisHostLimits, RqRunner, serve, use_backend
from handoff.errors import InvalidInputError
from handoff.storage import Job
from tests.redis_server import free_port

QUEUE = "test"


@pytest.fixture
def echo_kind():
    """A job kind that records every target it gets; the calls, one list per part."""
    calls: list[list[str]] = []

    @job_kind("test.echo", "Echo")
    def echo(handoff, params, progress: Progress) -> None:
        pending = progress.pending()
        calls.append(pending)
        for target in pending:
            progress.check()
            progress.record(target, True, f"saw {target}")
    yield calls
    KINDS.pop("test.echo", None)


@pytest.fixture
def runner(redis_url) -> RqRunner:
    return RqRunner(redis_url, QUEUE, lease_seconds=2)


@pytest.fixture
def jobs(app, runner) -> Jobs:
    return Jobs(app, runner)


@pytest.fixture
def down_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def queued_parts(runner: RqRunner) -> list:
    return Queue(QUEUE, connection=runner.redis).get_jobs()


def test_the_settings_choose_where_jobs_run(app, redis_url):
    queued = Handoff(settings=replace(app.settings, redis_url=redis_url))
    assert isinstance(queued.jobs.runner, RqRunner)
    assert isinstance(queued.jobs_here.runner, InProcessRunner)
    here = Handoff(settings=replace(app.settings, redis_url=redis_url, jobs_in_process=True))
    assert isinstance(here.jobs.runner, InProcessRunner)
    settings = load_settings({"HANDOFF_HOME": "/tmp/x", "HANDOFF_REDIS_URL": redis_url,
                              "HANDOFF_QUEUE": "bulk", "HANDOFF_JOB_LEASE_SECONDS": "9"})
    assert (settings.redis_url, settings.queue, settings.job_lease_seconds) == \
        (redis_url, "bulk", 9)


@pytest.mark.parametrize(("env", "code"), [
    ({"HANDOFF_JOB_LEASE_SECONDS": "1"}, "settings"),
    ({"HANDOFF_JOB_LEASE_SECONDS": "soon"}, "settings"),
    ({"HANDOFF_HTTP_ATTEMPTS": "0"}, "settings"),
])
def test_bad_settings_are_refused_clearly(env, code):
    with pytest.raises(InvalidInputError) as caught:
        load_settings({"HANDOFF_HOME": "/tmp/x", **env})
    assert caught.value.code == code and caught.value.fix


def test_a_redis_url_that_is_not_one_is_refused(app):
    broken = Handoff(settings=replace(app.settings, redis_url="http://127.0.0.1:6379"))
    with pytest.raises(InvalidInputError) as caught:
        _ = broken.jobs
    assert caught.value.code == "redis_url" and "redis://" in caught.value.fix


def test_redis_down_at_submit_is_a_clear_error_and_nothing_is_kept(app, down_url, echo_kind):
    jobs = Jobs(app, RqRunner(down_url, QUEUE))
    with pytest.raises(QueueError) as caught:
        jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    assert "is not reachable" in caught.value.cause and down_url in caught.value.cause
    assert "--in-process" in caught.value.fix and caught.value.exit_code == 7
    assert jobs.list() == ([], 0)


def test_a_job_is_split_into_parts_that_each_work_on_their_share(jobs, runner, echo_kind):
    targets = [f"s{n:02}" for n in range(60)]
    job_id = jobs.submit("test.echo", {}, targets=targets, title="Echo")
    parts = queued_parts(runner)
    assert [part.args[2:] for part in parts] == [(0, 3), (1, 3), (2, 3)]
    marker = parts[0].args[1]
    assert jobs.get(job_id).status == "queued"

    assert jobs.run_part(job_id, marker, 1, 3) == "running"  # the others are not done yet
    assert jobs.run_part(job_id, marker, 0, 3) == "running"
    assert jobs.run_part(job_id, marker, 2, 3) == "done"
    assert echo_kind == [targets[1::3], targets[0::3], targets[2::3]]
    view = jobs.get(job_id)
    assert (view.done, view.attempts) == (60, 1)
    assert jobs.run_part(job_id, marker, 0, 3) == "done" and len(echo_kind) == 3  # never again


def test_a_part_of_another_generation_does_not_run(jobs, runner, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a", "b"], title="Echo")
    assert jobs.run_part(job_id, "rq:stale0000000:1", 0, 1) == "queued"
    assert echo_kind == []


def test_a_burst_worker_runs_the_queued_jobs(app, redis_url, echo_kind):
    settings = replace(app.settings, redis_url=redis_url, queue=QUEUE, job_lease_seconds=2)
    queued = Handoff(settings=settings)
    first = queued.jobs.submit("test.echo", {}, targets=["a", "b"], title="One")
    second = queued.jobs.submit("test.echo", {}, targets=[f"t{n}" for n in range(30)],
                                title="Two")
    try:
        assert serve(queued, [QUEUE], burst=True) is True
    finally:
        use_backend(None)
    assert queued.jobs.get(first).status == queued.jobs.get(second).status == "done"
    assert queued.jobs.get(second).done == 30


def claim_as_a_worker_that_dies(jobs: Jobs, runner: RqRunner, job_id: str) -> None:
    """What a worker killed mid-part leaves: the job running under its generation, the
    parts taken off the queue, and no lease (the dead process no longer renews it)."""
    marker = queued_parts(runner)[0].args[1]
    Queue(QUEUE, connection=runner.redis).empty()
    assert jobs._claim(job_id, marker) == marker


def test_a_job_whose_worker_died_is_queued_again_then_failed(jobs, runner, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a", "b", "c"], title="Echo")
    Progress(jobs.store, job_id, ["a"]).record("a", True, "done before the worker died")
    for attempt in range(1, MAX_ATTEMPTS):
        claim_as_a_worker_that_dies(jobs, runner, job_id)
        view = jobs.get(job_id)  # any reader looks, and sees the worker is gone
        assert (view.status, view.attempts) == ("queued", attempt)
        assert "The worker running this job stopped" in view.error
        assert f"attempt {attempt + 1} of {MAX_ATTEMPTS}" in view.error
        assert len(queued_parts(runner)) == 1  # two pending sites: one part
    claim_as_a_worker_that_dies(jobs, runner, job_id)
    view = jobs.get(job_id)
    assert view.status == "failed" and view.error.startswith("Interrupted: the worker")
    assert [item["target"] for item in view.items] == ["a"]
    assert echo_kind == []

    retried = jobs.retry(job_id)
    assert (retried.status, retried.attempts) == ("queued", 0)
    part = queued_parts(runner)[0]
    assert jobs.run_part(job_id, *part.args[1:]) == "done"
    assert echo_kind == [["b", "c"]]  # only the sites without a result


def test_a_part_holding_its_lease_keeps_the_job(jobs, runner, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    marker = queued_parts(runner)[0].args[1]
    Queue(QUEUE, connection=runner.redis).empty()
    lease = runner.lease(job_id, 0)
    assert lease.take()
    try:
        jobs._claim(job_id, marker)
        time.sleep(2.5)  # longer than the lease: renewed meanwhile
        assert jobs.get(job_id).status == "running" and not lease.lost()
    finally:
        lease.release()
    assert jobs.get(job_id).status == "queued"  # released without finishing: given again


def test_a_job_every_site_of_which_is_done_is_closed(jobs, runner, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    claim_as_a_worker_that_dies(jobs, runner, job_id)
    Progress(jobs.store, job_id, ["a"]).record("a", True, "recorded just before the end")
    assert jobs.get(job_id).status == "done"


def test_parts_lost_from_the_queue_are_queued_again(jobs, runner, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    runner.redis.flushall()  # Redis restarted without persistence
    view = jobs.get(job_id)
    assert view.status == "queued" and "lost this job's parts" in view.error
    assert len(queued_parts(runner)) == 1


def test_a_lease_is_held_by_one_and_lost_when_taken_away(runner):
    first, second = runner.lease("job", 0), runner.lease("job", 0)
    assert first.take() and not second.take()
    runner.redis.set("handoff:lease:job:0", "someone else")
    deadline = time.monotonic() + 3
    while not first.lost() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.lost()
    first.release()
    assert runner.redis.get("handoff:lease:job:0") == b"someone else"  # not its to delete

    progress = Progress(None, "job", [], lost=first.lost)
    with pytest.raises(JobLost):
        progress.check()


def test_the_per_host_bound_holds_across_processes(redis_url):
    client = redis.Redis.from_url(redis_url)
    workers = [RedisHostLimits(client, seconds=5), RedisHostLimits(client, seconds=5)]
    busy, peak, lock = {"10.0.0.1": 0}, {"10.0.0.1": 0}, threading.Lock()

    def work(limits: RedisHostLimits) -> None:
        with limits.hold("10.0.0.1", 2):
            with lock:
                busy["10.0.0.1"] += 1
                peak["10.0.0.1"] = max(peak["10.0.0.1"], busy["10.0.0.1"])
            time.sleep(0.03)
            with lock:
                busy["10.0.0.1"] -= 1

    threads = [threading.Thread(target=work, args=(workers[n % 2],)) for n in range(12)]
    for thread in threads:
        thread.start()
    with workers[0].hold("10.0.0.2", 1):  # another server is not held up meanwhile
        pass
    for thread in threads:
        thread.join()
    assert peak["10.0.0.1"] == 2
    assert client.zcard("handoff:host:10.0.0.1") == 0  # every place given back


def test_a_dead_holders_place_expires(redis_url):
    client = redis.Redis.from_url(redis_url)
    limits = RedisHostLimits(client, seconds=1)
    client.eval(RedisHostLimits.ACQUIRE, 1, "handoff:host:10.0.0.3", 1000, 1, "dead-process")
    started = time.monotonic()
    with limits.hold("10.0.0.3", 1):
        waited = time.monotonic() - started
    assert 0.5 < waited < 3


def test_sites_on_one_ip_address_share_the_bound(monkeypatch):
    bulk.forget_addresses()
    addresses = {"a.example": "192.0.2.7", "b.example": "192.0.2.7", "c.example": "192.0.2.8"}
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kw: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (addresses[host], port))])

    class Record:
        def __init__(self, url):
            self.url = url
    keys = {name: bulk.host_key(Record(f"https://{name}/"), name) for name in addresses}
    bulk.forget_addresses()
    assert keys == {"a.example": "192.0.2.7", "b.example": "192.0.2.7",
                    "c.example": "192.0.2.8"}
    assert bulk.host_key(None, "ghost") == "ghost"


# -- the commands -------------------------------------------------------------------------

def cli(app, *args):
    return CliRunner().invoke(main, list(args), obj=app)


def test_worker_without_a_queue_says_how_to_configure_one(app):
    result = cli(app, "worker", "--burst")
    assert result.exit_code == 7
    assert "HANDOFF_REDIS_URL is not set" in result.output and "docs/workers.md" in result.output


def test_worker_with_redis_down_says_so(app, down_url):
    result = cli(Handoff(settings=replace(app.settings, redis_url=down_url)), "worker")
    assert result.exit_code == 7 and "is not reachable" in result.output


def test_bulk_commands_with_redis_down_fail_clearly_and_keep_nothing(app, down_url):
    from tests.unit.test_web_api import add_sites
    add_sites(app, 2)
    down = Handoff(settings=replace(app.settings, redis_url=down_url))
    for args in (("menu", "push", "--all", "preset:content-editor"), ("site", "sync", "--all"),
                 ("handover", "check", "--all")):
        result = cli(down, *args)
        assert result.exit_code == 7, (args, result.output)
        assert "is not reachable" in result.output and "--in-process" in result.output
    assert down.jobs_here.list() == ([], 0)


@pytest.mark.parametrize(("args", "code", "text"), [
    (("jobs", "show", "nope"), 3, "There is no job"),
    (("jobs", "retry", "nope"), 3, "There is no job"),
    (("jobs", "list", "--kind", "nope"), 2, "no job kind"),
    (("jobs", "list", "--limit", "0"), 2, "--limit"),
    (("worker", "--queue"), 2, "--queue"),
    (("handover", "check", "a", "b", "--checklist", "x.yaml"), 2, "one site only"),
    (("site", "sync"), 2, "No sites chosen"),
    (("site", "sync", "--per-host", "0", "--all"), 2, "--per-host"),
])
def test_job_commands_refuse_bad_input(app, args, code, text):
    from tests.unit.test_web_api import add_sites
    add_sites(app, 1)
    with app.store.session() as session:  # 'a' and 'b' for the checklist case
        from datetime import UTC, datetime

        from handoff.storage import Site
        for name in ("a", "b"):
            session.add(Site(name=name, url=f"https://{name}.example", rest_url="",
                             xmlrpc_url="", username="u", secret=b"",
                             created_at=datetime.now(UTC)))
    result = cli(app, *args)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert app.jobs.list() == ([], 0)


def test_jobs_list_and_show(app, echo_kind):
    job_id = app.jobs.submit("test.echo", {}, targets=["x", "y"], title="Echo two")
    app.jobs.wait(job_id, timeout=10)
    listed = cli(app, "jobs", "list")
    assert listed.exit_code == 0 and "Echo two" in listed.output and "2/2" in listed.output
    shown = cli(app, "jobs", "show", job_id, "--wait")
    assert shown.exit_code == 0 and "saw y" in shown.output
    retry = cli(app, "jobs", "retry", job_id)
    assert retry.exit_code == 2 and "only a failed job" in retry.output
    with app.store.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(status="failed"))
    assert cli(app, "jobs", "show", job_id).exit_code == 1


def test_the_api_answers_503_when_the_queue_is_down(app, down_url):
    from handoff.web import create_app
    from handoff.web.accounts import Accounts
    from tests.unit.test_web_api import add_sites
    add_sites(app, 1)
    down = Handoff(settings=replace(app.settings, redis_url=down_url))
    client = create_app(down, testing=True).test_client()
    token = Accounts(down).create_token("tests")
    answer = client.post("/api/v1/jobs", headers={"Authorization": f"Bearer {token}"},
                         json={"kind": "sites.sync", "all": True})
    assert answer.status_code == 503 and answer.json["error"] == "redis_down"
    assert "HANDOFF_JOBS_IN_PROCESS" in answer.json["fix"]
    assert down.jobs_here.list() == ([], 0)


def test_a_part_that_fails_before_starting_fails_the_job_with_the_reason(
        app, redis_url, monkeypatch, echo_kind):
    settings = replace(app.settings, redis_url=redis_url, queue=QUEUE, job_lease_seconds=2)
    queued = Handoff(settings=settings)
    job_id = queued.jobs.submit("test.echo", {}, targets=["a"], title="Echo")

    def broken():
        raise RuntimeError("the worker has no store")
    monkeypatch.setattr("handoff.core.workers.backend", broken)
    try:
        serve(queued, [QUEUE], burst=True)
    finally:
        use_backend(None)
    view = queued.jobs.get(job_id)
    assert view.status == "failed" and view.error.startswith("Not started: a worker failed")
    assert "RuntimeError: the worker has no store" in view.error
    assert f"handoff jobs retry {job_id}" in view.error and echo_kind == []
