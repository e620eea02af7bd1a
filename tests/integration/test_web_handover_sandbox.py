"""The dashboard's Handover page and API against the real sandbox WordPress."""

from __future__ import annotations

import re

import pytest

from handoff.web import create_app
from handoff.web.accounts import Accounts
from handoff.wordpress.errors import BridgeError
from tests.bench.handbook import INTAKE

pytestmark = pytest.mark.integration

PASSWORD = "a long dashboard password"
JSON = {"Accept": "application/json"}
PAGE = "/sites/s/handover"


@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", INTAKE)
    return "s"


@pytest.fixture
def browser(app):
    """A logged-in session of the dashboard (Flask's test client)."""
    Accounts(app).create_user("sam", PASSWORD, PASSWORD)
    client = create_app(app, testing=True).test_client()
    response = client.post("/login", data={"csrf_token": token(client, "/login"),
                                           "username": "sam", "password": PASSWORD})
    assert response.status_code == 302
    return client


def token(client, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def decisions(app) -> list[dict]:
    return app.handovers.history("s")[1]


def run_check(app, browser) -> dict:
    started = browser.post(f"{PAGE}/check", data={"csrf_token": token(browser)}, headers=JSON)
    assert started.status_code == 202
    job = app.jobs.wait(started.json["job"]["id"])
    assert job.status == "done" and job.failed == 0, job.items
    return browser.get(f"{PAGE}.json", headers=JSON).json


def test_check_sign_waive_and_complete_refused_while_blocked(app, site, browser):
    state = run_check(app, browser)
    report = state["report"]
    assert report["verdict"] == "Blocked"
    statuses = {item["id"]: item["status"] for item in report["items"]}
    assert statuses["debug-off"] == "fail" and statuses["restore-tested"] == "manual"
    assert 'id="item-debug-off"' in state["html"]["checklist"]

    refused = browser.post(f"{PAGE}/complete", data={"csrf_token": token(browser),
                                                     "by": "Sam"})
    assert refused.status_code == 400
    assert "is Blocked by: " in refused.get_data(as_text=True)
    empty = browser.post(f"{PAGE}/items/debug-off/waive", data={
        "csrf_token": token(browser), "reason": " "})
    assert empty.status_code == 400 and decisions(app) == []

    waived = browser.post(f"{PAGE}/items/debug-off/waive", data={
        "csrf_token": token(browser), "reason": "a development copy", "by": ""})
    assert waived.status_code == 302
    signed = browser.post(f"{PAGE}/items/restore-tested/sign", headers=JSON, data={
        "csrf_token": token(browser), "by": "Jane Client", "note": "restored to staging"})
    assert signed.status_code == 200 and signed.json["item"]["status"] == "signed"
    assert [(d["kind"], d["item_id"], d["by"]) for d in decisions(app)] == [
        ("waive", "debug-off", "the developer"), ("sign", "restore-tested", "Jane Client")]

    pdf = browser.get(f"{PAGE}/report.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF")
    letter = browser.get(f"{PAGE}/letter?kind=handover&format=md&draft=yes").get_data(
        as_text=True)  # still Blocked: a draft
    assert "Sandbox" in letter and "a development copy" in letter


def test_the_api_runs_the_check_as_a_job(app, site):
    auth = {"Authorization": f"Bearer {Accounts(app).create_token('ci')}"}
    client = create_app(app, testing=True).test_client()
    started = client.post("/api/v1/sites/s/handover/check", headers=auth)
    assert started.status_code == 202
    app.jobs.wait(started.json["id"])
    job = client.get(started.headers["Location"], headers=auth).json
    assert job["status"] == "done" and job["items"][0]["detail"]["verdict"] == "Blocked"
    report = client.get("/api/v1/sites/s/handover", headers=auth).json
    assert report["verdict"] == "Blocked" and report["site"] == "s"
    blocked = client.post("/api/v1/sites/s/handover/complete", headers=auth,
                          json={"by": "Sam", "disconnect": True})
    assert blocked.status_code == 409 and blocked.json["error"] == "blocked"
    app.sites.sync("s")  # still connected: nothing was disconnected


def test_completing_with_disconnect_through_the_page_revokes_access(app, site, browser):
    state = run_check(app, browser)
    for item in state["report"]["items"]:
        if item["status"] in ("fail", "warn", "manual"):
            app.handovers.waive("s", item["id"], reason="sandbox", by="test")
    confirm = browser.post(f"{PAGE}/complete", data={
        "csrf_token": token(browser), "by": "Sam", "disconnect": "yes"})
    assert "Complete the handover and disconnect?" in confirm.get_data(as_text=True)
    app.sites.sync("s")  # not yet: the confirmation comes first
    done = browser.post(f"{PAGE}/complete", follow_redirects=True, data={
        "csrf_token": token(browser), "by": "Sam", "disconnect": "yes", "confirm": "yes"})
    assert "The backend&#39;s access to the site is revoked." in done.get_data(as_text=True)
    with pytest.raises(BridgeError) as caught:
        app.sites.sync("s")
    assert caught.value.code == "wrong_password"
