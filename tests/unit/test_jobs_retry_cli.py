"""`handoff jobs retry` with the default in-process runner finishes the job it restarts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

from handoff.storage import Job, Site

SITES = 40  # enough that the work is still being handed out when the command returns


def test_retrying_an_interrupted_job_in_process_runs_it_to_the_end(app):
    names = [f"s{n}" for n in range(SITES)]
    with app.store.session() as session:
        for n, name in enumerate(names):
            url = f"http://127.0.0.{n + 2}:9"  # refused at once: nothing listens on port 9
            session.add(Site(name=name, url=url, rest_url=f"{url}/wp-json/",
                             xmlrpc_url=f"{url}/xmlrpc.php", username="u",
                             secret=app.vault.encrypt("p"), created_at=datetime.now(UTC)))
        session.add(Job(id="j1", kind="sites.sync", title="Sync", params="{}",
                        targets=json.dumps(names), status="failed", runner="inprocess@gone:1",
                        actor="cli:test", error="Interrupted", created_at=datetime.now(UTC)))
    result = subprocess.run([sys.executable, "-m", "handoff", "jobs", "retry", "j1"],
                            capture_output=True, text=True, env=os.environ, timeout=120)
    assert result.returncode == 1, result.stderr  # as `jobs show`: some site failed
    view = app.jobs.get("j1")
    assert view.status == "done", view.error
    assert view.done == SITES and view.failed == SITES  # each site refused, each recorded
    assert "refused" in result.stdout
