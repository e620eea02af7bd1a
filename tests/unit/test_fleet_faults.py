"""Broken sites, on real sockets (the fake fleet): each gets its outcome, every job ends.

Silent, 500, 429, reset, slow-loris (headers, then a byte every 5 s: no read timeout ever
trips), 200 MiB answers, gzip bombs and JSON nested 100,000 deep. Deadlines are short here
and the read timeout longer than the slow-loris's byte interval, so that only the request's
deadline (or the site's time limit) can end it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator

import pytest

from handoff.app import Handoff
from handoff.core.jobs import Jobs
from handoff.core.menu_presets import preset
from handoff.web import create_app
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts
from handoff.wordpress.xmlrpc import XmlRpcTransport
from tests.fleet.harness import RunningFleet, running_fleet, store_sites
from tests.fleet.server import FAULTS

EXPECTED = {"": None, "timeout": "timeout", "error500": "server_error",
            "throttle": "rate_limited", "reset": "connection", "slowloris": "timeout",
            "oversize": "bad_response", "gzipbomb": "bad_response", "deepjson": "bad_response"}
BOUND = 120  # seconds a job may take here before it counts as hung (it takes a few)


class ManualRunner:
    name = "inprocess"

    def enqueue(self, jobs, job_id: str) -> None:
        pass


@pytest.fixture(scope="module")
def faulty_fleet() -> Iterator[RunningFleet]:
    """One host with each fault, and one that works."""
    with running_fleet(len(FAULTS) + 1, faults={fault: 1 / (len(FAULTS) + 1)
                                                for fault in FAULTS}) as fleet:
        fleet.control("arm")
        # The server makes its gzip bomb on the first request for it, blocking every host
        # for seconds: have it made now, not during a test with 3 s deadlines.
        bomb = fleet.url(fleet.faults.index("gzipbomb"))
        with urllib.request.urlopen(bomb + "/", timeout=BOUND) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
        yield fleet


@pytest.fixture
def impatient(app) -> Handoff:
    """The test backend with a 3 s deadline per request and a 10 s read timeout."""
    return Handoff(settings=app.settings, timeouts=Timeouts(connect=2, read=10, total=3))


def run_bounded(jobs: Jobs, kind: str, params: dict, targets: list[str]):
    """Run a job on a thread; its view once it ended, or a failure when it did not."""
    job_id = jobs.submit(kind, params, targets=targets, title=kind)
    worker = threading.Thread(target=jobs.run, args=(job_id,), daemon=True)
    worker.start()
    worker.join(BOUND)
    assert not worker.is_alive(), f"the {kind} job did not end within {BOUND} s"
    return jobs.get(job_id)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("kind, params", [
    ("sites.sync", {}),
    ("menu.push", {"profile": preset("content-editor"), "force": True}),
    ("handover.check", {}),
])
def test_every_broken_site_gets_its_outcome_and_the_job_ends(impatient, faulty_fleet, kind,
                                                             params):
    names = store_sites(impatient, faulty_fleet)
    before = peak_rss_mib()
    view = run_bounded(Jobs(impatient, ManualRunner()), kind, params, names)
    assert view.status == "done" and view.done == len(names)
    codes = {item["target"]: None if item["ok"] else item["detail"]["code"]
             for item in view.items}
    expected = {name: EXPECTED[fault] for name, fault in zip(names, faulty_fleet.faults,
                                                             strict=True)}
    assert codes == expected
    # A 200 MiB answer and a 512 MiB gzip bomb were refused at the cap, not read.
    assert peak_rss_mib() - before < 200


def test_a_site_slower_than_its_time_limit_fails_as_a_timeout(app, faulty_fleet):
    patient = Handoff(settings=app.settings, timeouts=Timeouts(connect=2, read=10, total=300))
    loris = faulty_fleet.faults.index("slowloris")
    names = store_sites(patient, faulty_fleet)
    view = run_bounded(Jobs(patient, ManualRunner()), "sites.sync", {"site_seconds": 2},
                       [names[loris]])
    (item,) = view.items
    assert view.status == "done" and not item["ok"]
    assert item["detail"]["code"] == "timeout"
    assert "time allowed for the site's work ran out" in item["message"]


def test_a_site_waiting_on_retry_after_lends_its_place_to_other_sites(impatient):
    with running_fleet(2, faults={"throttle": 0.5}) as fleet:
        fleet.control("arm")
        names = store_sites(impatient, fleet)
        throttled = names[fleet.faults.index("throttle")]
        working = names[fleet.faults.index("")]
        view = run_bounded(Jobs(impatient, ManualRunner()), "sites.sync",
                           {"concurrency": 1}, [throttled, working])
    # One place: the working site was done while the throttled one waited for its retry.
    assert [item["target"] for item in view.items] == [working, throttled]
    assert view.items[1]["detail"]["code"] == "rate_limited" and view.items[0]["ok"]


def deep_json_site(app, fleet: RunningFleet) -> str:
    return store_sites(app, fleet)[fleet.faults.index("deepjson")]


def test_deep_json_is_exit_4_with_the_reason_in_the_cli(app, faulty_fleet):
    name = deep_json_site(app, faulty_fleet)
    result = subprocess.run([sys.executable, "-m", "handoff", "site", "sync", name],
                            capture_output=True, text=True, env=os.environ, timeout=BOUND)
    assert result.returncode == 4, result.stderr
    assert "nested too deeply" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_deep_json_is_502_with_the_reason_in_the_api(app, faulty_fleet, auth):
    name = deep_json_site(app, faulty_fleet)
    response = create_app(app, testing=True).test_client().post(
        f"/api/v1/sites/{name}/sync", headers=auth)
    assert response.status_code == 502
    assert response.json["error"] == "bad_response"
    assert "nested too deeply" in response.json["message"]


@pytest.mark.parametrize("fault, code", [("slowloris", "timeout"), ("timeout", "timeout"),
                                         ("oversize", "bad_response"),
                                         ("gzipbomb", "bad_response")])
def test_xml_rpc_has_the_same_deadline_and_caps(faulty_fleet, fault, code):
    url = faulty_fleet.url(faulty_fleet.faults.index(fault)) + "/xmlrpc.php"
    transport = XmlRpcTransport(url, "bridge", "password", verify=False,
                                timeouts=Timeouts(connect=2, read=10, total=3))
    outcome: list = []

    def call() -> None:
        try:
            transport.status()
        except BridgeError as error:
            outcome.append(error.code)
    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    caller.join(BOUND)
    assert outcome == [code]
