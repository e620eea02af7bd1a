"""`make demo` run again: what the user entered for the demo site is never overwritten."""

from __future__ import annotations

import pytest

from handoff.demo import DEMO_INTAKE, DEMO_SITE, run_demo
from handoff.storage import Site

pytestmark = pytest.mark.integration

MINE = {**DEMO_INTAKE, "client": {"name": "My Real Client"},
        "developer": {"name": "My Studio", "email": "me@studio.example"}}


def test_running_the_demo_again_keeps_the_intake_the_user_entered(app, fresh_sandbox):
    first = run_demo(app, fresh_sandbox.directory, say=lambda _: None)
    assert app.intakes.get(DEMO_SITE) == DEMO_INTAKE and first.handbook_chapters > 3
    app.intakes.save(DEMO_SITE, MINE)
    run_demo(app, fresh_sandbox.directory, say=lambda _: None)
    assert app.intakes.get(DEMO_SITE) == MINE


def test_a_demo_site_at_another_address_is_replaced_and_its_intake_kept(app, fresh_sandbox):
    run_demo(app, fresh_sandbox.directory, say=lambda _: None)
    app.intakes.save(DEMO_SITE, MINE)
    with app.store.session() as session:  # as if the last demo's sandbox had another port
        session.query(Site).filter_by(name=DEMO_SITE).update(
            {"url": "http://127.0.0.1:9", "rest_url": "http://127.0.0.1:9/wp-json/"})
    result = run_demo(app, fresh_sandbox.directory, say=lambda _: None)
    assert app.sites.get(DEMO_SITE).url.rstrip("/") == result.sandbox.url.rstrip("/")
    assert app.intakes.get(DEMO_SITE) == MINE
