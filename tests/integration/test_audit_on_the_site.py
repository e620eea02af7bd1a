"""The audit log against the real sandbox: what happened, in order, by whom, with what result."""

from __future__ import annotations

import json

import pytest

from handoff.core.actor import acting_as
from handoff.core.audit import AuditFilter
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.profile_api import VersionConflict
from tests.profiles import PROFILE

pytestmark = pytest.mark.integration


@pytest.fixture
def site(app, fresh_sandbox):
    with acting_as("cli:setup"):
        app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
        app.sites.sync("s")
    return "s"


def test_push_rollback_sign_and_waive_are_recorded_in_order(app, site):
    with acting_as("cli:sam"):
        pushed = app.menus.push("s", PROFILE)
        app.menus.push("s", PROFILE)  # the same profile again: nothing is written
        second = app.menus.push("s", {**PROFILE, "name": "Second"})
        with pytest.raises(VersionConflict):
            app.menus.push("s", {**PROFILE, "name": "Stale"}, expect_version=pushed.version)
    with acting_as("dashboard:alice"):
        back = app.menus.rollback("s")
        app.handovers.sign("s", "training-held", by="Jane Client", note="on site")
        app.handovers.waive("s", "site-icon", reason="logo comes next week")

    events = list(reversed(app.audit.query(AuditFilter(site="s"), limit=None)))
    assert [(e.action, e.actor, e.result) for e in events] == [
        ("site.add", "cli:setup", "ok"),
        ("menu.push", "cli:sam", "ok"),
        ("menu.push", "cli:sam", "ok"),
        ("menu.push", "cli:sam", "ok"),
        ("menu.push", "cli:sam", "failed"),
        ("menu.rollback", "dashboard:alice", "ok"),
        ("handover.sign", "dashboard:alice", "ok"),
        ("handover.waive", "dashboard:alice", "ok"),
    ]
    data = [json.loads(e.data) for e in events]
    assert data[1]["version"] == pushed.version and data[1]["stored_hash"] == pushed.hash
    assert data[2]["unchanged"] is True
    assert data[3]["version"] == second.version
    assert data[4]["error"] == "version_conflict" and "Stale" in events[4].summary
    assert data[5]["version"] == back.version and data[5]["replaces"] == second.version
    assert data[6]["item"] == "training-held" and data[6]["by"] == "Jane Client"
    assert data[7]["reason"] == "logo comes next week"
    # The site agrees with what the log says it has.
    assert app.menus.status("s").version == back.version
    assert all("AbCd" not in e.data for e in events)


def test_a_site_that_refuses_the_backend_is_a_failed_attempt(app, site):
    _, client = app.sites.client("s")
    client.disconnect()  # the site revokes the backend's password
    with pytest.raises(BridgeError) as caught:
        app.menus.push("s", PROFILE)
    (failed,) = app.audit.query(AuditFilter(site="s", result="failed"))
    assert failed.action == "menu.push"
    assert json.loads(failed.data)["error"] == caught.value.code
    assert caught.value.cause in failed.summary
