"""Background jobs: submit, run once, per-site outcomes, interrupted jobs, the pages and API."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import update

from handoff.core.actor import acting_as
from handoff.core.jobs import KINDS, Jobs, Progress, job_kind, kinds, owner
from handoff.errors import InvalidInputError, NotFoundError
from handoff.storage import Job
from handoff.wordpress.errors import BridgeError
from tests.unit.test_web_api import add_sites

pytestmark = pytest.mark.usefixtures("offline_edges")


class ManualRunner:
    """Keeps enqueued jobs so a test decides when they run."""

    name = "inprocess"

    def __init__(self) -> None:
        self.queued: list[str] = []

    def enqueue(self, jobs, job_id: str) -> None:
        self.queued.append(job_id)


@pytest.fixture
def runner() -> ManualRunner:
    return ManualRunner()


@pytest.fixture
def jobs(app, runner) -> Jobs:
    return Jobs(app, runner)


@pytest.fixture
def echo_kind():
    """A job kind that records each pending target; targets named 'bad…' fail."""
    calls: list[list[str]] = []

    @job_kind("test.echo", "Echo")
    def echo(handoff, params, progress: Progress) -> None:
        pending = progress.pending()
        calls.append(pending)
        for target in pending:
            if params.get("explode"):
                raise RuntimeError("boom")
            progress.record(target, not target.startswith("bad"), f"saw {target}",
                            {"n": len(target)})
    yield calls
    KINDS.pop("test.echo", None)


def test_a_job_records_one_outcome_per_site_and_finishes(jobs, runner, echo_kind):
    with acting_as("dashboard:me"):
        job_id = jobs.submit("test.echo", {}, targets=["a", "bad1", "a", "c"], title="Echo")
    view = jobs.get(job_id)
    assert (view.status, view.total, view.done, view.actor) == ("queued", 3, 0, "dashboard:me")
    assert runner.queued == [job_id]

    assert jobs.run(job_id) == "done"
    view = jobs.get(job_id)
    assert view.status == "done" and view.finished_at is not None and view.attempts == 1
    assert [(i["target"], i["ok"], i["message"]) for i in view.items] == [
        ("a", True, "saw a"), ("bad1", False, "saw bad1"), ("c", True, "saw c")]
    assert (view.done, view.failed, view.as_dict()["ok"]) == (3, 1, 2)


def test_a_finished_job_never_runs_again(jobs, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    jobs.run(job_id)
    assert jobs.run(job_id) == "done"
    assert echo_kind == [["a"]]  # the work ran once


def test_two_runners_claiming_at_once_run_it_once(jobs, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a", "b"], title="Echo")
    threads = [threading.Thread(target=jobs.run, args=(job_id,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(echo_kind) == 1 and jobs.get(job_id).done == 2


def test_a_recorded_target_is_never_worked_or_recorded_twice(app, jobs, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a", "b", "c"], title="Echo")
    progress = Progress(app.store, job_id, ["a", "b", "c"])
    assert progress.record("b", True, "done before") is True
    assert progress.record("b", False, "again") is False
    jobs.run(job_id)
    assert echo_kind == [["a", "c"]]
    assert [i["message"] for i in jobs.get(job_id).items] == ["done before", "saw a", "saw c"]


def test_a_crashing_job_ends_failed_with_the_error(jobs, echo_kind):
    job_id = jobs.submit("test.echo", {"explode": True}, targets=["a"], title="Echo")
    assert jobs.run(job_id) == "failed"
    assert jobs.get(job_id).error == "RuntimeError: boom"


def test_a_job_whose_process_died_is_reported_interrupted(app, jobs, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    with app.store.session() as session:  # as if a process that no longer exists ran it
        session.execute(update(Job).where(Job.id == job_id).values(
            status="running", runner=owner("inprocess").rsplit(":", 1)[0] + ":999999999"))
    view = jobs.get(job_id)
    assert view.status == "failed" and view.error.startswith("Interrupted")
    assert jobs.run(job_id) == "failed" and echo_kind == []


def test_a_queued_job_of_a_living_process_stays_queued(jobs, echo_kind):
    job_id = jobs.submit("test.echo", {}, targets=["a"], title="Echo")
    assert jobs.get(job_id).status == "queued"


@pytest.mark.parametrize(("kind", "targets", "code"), [
    ("no.such.kind", ["a"], "job_kind"),
    ("sites.sync", [], "job_targets"),
    ("sites.sync", ["a", ""], "job_targets"),
    ("sites.sync", [None], "job_targets"),
])
def test_bad_submissions_are_refused_and_nothing_is_stored(jobs, kind, targets, code):
    with pytest.raises(InvalidInputError) as caught:
        jobs.submit(kind, {}, targets=targets, title="x")
    assert caught.value.code == code
    assert jobs.list() == ([], 0)


def test_unknown_job_is_not_found(jobs):
    with pytest.raises(NotFoundError):
        jobs.get("nope")


def test_list_is_newest_first_and_paginated(jobs, echo_kind):
    ids = [jobs.submit("test.echo", {}, targets=["a"], title=f"Echo {n}") for n in range(3)]
    views, total = jobs.list(limit=2)
    assert total == 3 and len(views) == 2
    assert {v.id for v in views} | {jobs.list(limit=2, offset=2)[0][0].id} == set(ids)
    assert jobs.list(kind="sites.sync") == ([], 0)


def test_kinds_are_registered():
    assert {"menu.push", "sites.sync", "handover.check"} <= set(kinds())


@pytest.fixture
def unreachable(app, monkeypatch):
    """Every stored site refuses the connection, as a site that is down does."""
    def refuse(name, site=None):
        app.sites.get(name)
        raise BridgeError("refused", url=f"https://{name}.example")
    monkeypatch.setattr(app.sites, "sync", refuse)


def test_menu_push_job_refuses_bad_bounds_and_records_site_errors(app, jobs, unreachable):
    add_sites(app, 2)
    job_id = jobs.submit("menu.push", {"profile": {"name": "x"}, "per_host": 0},
                         targets=["site000"], title="Push")
    assert jobs.run(job_id) == "failed"
    assert "per_host" in jobs.get(job_id).error

    job_id = jobs.submit("sites.sync", {}, targets=["site000", "ghost"], title="Sync")
    assert jobs.run(job_id) == "done"  # each site fails on its own; the job completes
    items = {i["target"]: i for i in jobs.get(job_id).items}
    assert set(items) == {"site000", "ghost"} and not any(i["ok"] for i in items.values())
    assert items["ghost"]["detail"]["code"] == "unknown_site"


def test_the_in_process_runner_runs_a_submitted_job(app, echo_kind):
    job_id = app.jobs.submit("test.echo", {}, targets=["x", "y"], title="Echo")
    view = app.jobs.wait(job_id, timeout=10)
    assert view.status == "done" and view.done == 2


# -- pages and API ---------------------------------------------------------------------




def csrf_of(client) -> str:
    return client.get("/jobs").get_data(as_text=True).split(
        'name="csrf-token" content="')[1].split('"')[0]



def test_sync_all_starts_a_job_and_shows_its_page(app, logged_in, unreachable):
    add_sites(app, 3)
    answer = logged_in.post("/sites/sync-all", data={"csrf_token": csrf_of(logged_in)})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job_id = answer.headers["Location"].rsplit("/", 1)[1]
    view = app.jobs.wait(job_id, timeout=30)
    assert view.kind == "sites.sync" and view.total == 3 and view.actor == "dashboard:me"
    page = logged_in.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Read the inventory of sites: 3 sites" in page and 'role="progressbar"' in page
    data = logged_in.get(f"/jobs/{job_id}.json").json
    assert data["done"] == 3 and data["status"] == "done"
    assert "Read the inventory" in logged_in.get("/jobs").get_data(as_text=True)


def test_sync_all_with_no_sites_says_so(logged_in):
    answer = logged_in.post("/sites/sync-all", data={"csrf_token": csrf_of(logged_in)},
                            follow_redirects=True)
    assert "No sites yet." in answer.get_data(as_text=True)


def test_unknown_job_pages_are_404(logged_in, client, auth):
    assert logged_in.get("/jobs/nope").status_code == 404
    assert logged_in.get("/jobs/nope.json").json["error"] == "not_found"
    assert client.get("/api/v1/jobs/nope", headers=auth).status_code == 404


def test_job_json_needs_the_session(client):
    assert client.get("/jobs/x.json", headers={"Accept": "application/json"}).status_code == 401


def test_api_submits_lists_and_reads_jobs(app, client, auth, unreachable):
    add_sites(app, 2)
    answer = client.post("/api/v1/jobs", headers=auth,
                         json={"kind": "sites.sync", "sites": ["site001"]})
    assert answer.status_code == 202 and answer.headers["Location"].startswith("/api/v1/jobs/")
    job_id = answer.json["id"]
    app.jobs.wait(job_id, timeout=30)
    got = client.get(f"/api/v1/jobs/{job_id}", headers=auth).json
    assert got["status"] == "done" and got["items"][0]["target"] == "site001"
    assert got["actor"] == "api:tests"
    listed = client.get("/api/v1/jobs?kind=sites.sync", headers=auth).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == job_id


@pytest.mark.parametrize(("body", "field"), [
    (None, "body"), ([], "body"), ({}, "kind"), ({"kind": "nope", "all": True}, "kind"),
    ({"kind": {"a": 1}, "all": True}, "kind"), ({"kind": ["sites.sync"], "all": True}, "kind"),
    ({"kind": "sites.sync"}, "sites"), ({"kind": "sites.sync", "sites": "site000"}, "sites"),
    ({"kind": "sites.sync", "sites": [1]}, "sites"), ({"kind": "sites.sync", "tag": ""}, "tag"),
    ({"kind": "sites.sync", "all": "yes"}, "all"),
    ({"kind": "sites.sync", "all": True, "params": []}, "params"),
    ({"kind": "menu.push", "all": True}, "params"),
    ({"kind": "sites.sync", "sites": ["ghost"]}, "sites"),
    ({"kind": "sites.sync", "tag": "nobody"}, "sites"),
])
def test_api_refuses_bad_jobs_and_starts_nothing(app, client, auth, body, field):
    add_sites(app, 1)
    answer = client.post("/api/v1/jobs", headers=auth, data=json.dumps(body),
                         content_type="application/json")
    assert answer.status_code == 400 and field in answer.json["errors"]
    assert app.jobs.list() == ([], 0)


@pytest.mark.parametrize("query", ["page=0", "per_page=x", "kind=nope"])
def test_api_list_refuses_bad_queries(client, auth, query):
    assert client.get(f"/api/v1/jobs?{query}", headers=auth).status_code == 400


def test_a_site_error_in_a_job_carries_its_fix(app, jobs, unreachable):
    add_sites(app, 1)
    job_id = jobs.submit("sites.sync", {}, targets=["site000"], title="Sync")
    jobs.run(job_id)
    item = jobs.get(job_id).items[0]
    assert not item["ok"] and item["detail"]["code"] == "refused" and item["detail"]["fix"]


@pytest.mark.parametrize(("method", "path", "status"), [
    ("DELETE", "/api/v1/jobs", 405), ("PATCH", "/api/v1/sites", 405),
    ("GET", "/api/v1/no-such-thing", 404)])
def test_api_wrong_method_or_path_is_405_or_404_in_json(client, method, path, status):
    answer = client.open(path, method=method)
    assert answer.status_code == status and answer.json["error"]
