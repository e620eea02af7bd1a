"""The store holds a fleet: 1,000 sites worked on at the highest concurrency (and by several
queued workers at once) record 1,000 outcomes, none of them a store failure.

The sites are the fake fleet's (tests/fleet), a few milliseconds away, so that the store,
not the network, is what is under load. On SQLite, the embedded default, this is the test
that "database is locked" never reaches a site or a job.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest

from handoff.app import Handoff
from handoff.core.bulk import MAX_CONCURRENCY
from handoff.core.jobs import Jobs
from handoff.core.menu_presets import preset
from tests.fleet.harness import running_fleet, store_sites

SITES = 1000


class ManualRunner:
    name = "inprocess"

    def enqueue(self, jobs, job_id: str) -> None:
        pass


@pytest.fixture(scope="module")
def fleet():
    with running_fleet(SITES, latency_ms=5) as running:
        yield running


def failures(view) -> Counter:
    return Counter(item["detail"].get("code") for item in view.items if not item["ok"])


@pytest.mark.parametrize("kind, params", [
    ("sites.sync", {}),
    ("menu.push", {"profile": preset("content-editor"), "force": True}),
])
def test_a_thousand_sites_at_the_highest_concurrency_record_every_outcome(app, fleet, kind,
                                                                          params):
    names = store_sites(app, fleet)
    jobs = Jobs(app, ManualRunner())
    job_id = jobs.submit(kind, {**params, "concurrency": MAX_CONCURRENCY}, targets=names,
                         title=kind)
    assert jobs.run(job_id) == "done"
    view = jobs.get(job_id)
    assert view.done == SITES and failures(view) == Counter()


def test_several_queued_workers_share_the_store_without_a_failure(app, fleet, redis_url,
                                                                  monkeypatch):
    monkeypatch.setenv("HANDOFF_REDIS_URL", redis_url)
    queued = Handoff(settings=replace(app.settings, redis_url=redis_url))
    names = store_sites(queued, fleet)
    job_id = queued.jobs.submit("sites.sync", {}, targets=names, title="sync")
    workers = [subprocess.Popen([sys.executable, "-m", "handoff", "worker", "--burst"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(3)]
    try:
        for worker in workers:
            assert worker.wait(timeout=600) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    view = queued.jobs.get(job_id)
    assert view.status == "done", view.error
    assert view.done == SITES and failures(view) == Counter()
