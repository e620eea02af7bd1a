"""Every operation of the API's own OpenAPI document, fuzzed through WSGI by schemathesis.

The document is read from /api/openapi.json of a live app, so routes added later are
covered without touching this file. Requests carry a real API token; path parameters
called `name` are often a stored site's name (else the 404 path is all that runs). The
stored sites point at a loopback port where nothing listens, so whatever calls a site
fails fast (502, or a failed job). Every answer must be documented (status, content type,
body schema), and no answer may be a 500.
"""

from __future__ import annotations

import json
import socket
from collections import defaultdict
from datetime import UTC, datetime

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks
from schemathesis.specs.openapi import checks as openapi_checks
from werkzeug.wrappers import Response

from handoff.storage import Site, SiteTag
from handoff.web import create_app
from handoff.web.accounts import Accounts
from handoff.web.openapi import document

SITES = ("alpha", "beta")
MAX_EXAMPLES = 8
CHECKS = [st_checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance,
          openapi_checks.response_schema_conformance,
          openapi_checks.response_headers_conformance, openapi_checks.ignored_auth]


def dead_loopback_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def api_token(app) -> str:
    return Accounts(app).create_token("schemathesis")


@pytest.fixture
def seen() -> dict[str, set[int]]:
    """Statuses answered per operation (printed when the test ends, for the record)."""
    statuses: dict[str, set[int]] = defaultdict(set)
    yield statuses
    for label in sorted(statuses):
        print(f"{label}: {sorted(statuses[label])}")


class CurrentDashboard:
    """The WSGI app schemathesis calls: the running test's dashboard.

    Before a test sets one (when the module is collected), it serves only the document.
    """

    def __init__(self) -> None:
        self.app = None

    def __call__(self, environ, start_response):
        if self.app is None:
            return Response(json.dumps(document()), mimetype="application/json")(
                environ, start_response)
        return self.app(environ, start_response)


CURRENT = CurrentDashboard()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", CURRENT)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
# 502 is the API's documented answer when a site cannot be reached (status_code_conformance
# still refuses it where an operation does not document it); any other 5xx is a bug.
schema.config.checks.not_a_server_error.expected_statuses = ["2xx", "3xx", "4xx", "502"]


@pytest.fixture
def web(app):
    """The dashboard over a store with two sites whose addresses answer nothing."""
    url = f"http://127.0.0.1:{dead_loopback_port()}"
    with app.store.session() as session:
        for name in SITES:
            site = Site(name=name, url=f"{url}/{name}", rest_url=f"{url}/{name}/wp-json/",
                        xmlrpc_url=f"{url}/{name}/xmlrpc.php", username="handoff-bridge",
                        secret=app.vault.encrypt("x" * 24), created_at=datetime.now(UTC),
                        environment_type="local")
            site.tag_rows.append(SiteTag(tag="fleet"))
            session.add(site)
    CURRENT.app = create_app(app, testing=True)
    yield CURRENT.app
    CURRENT.app = None


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters or "name" not in path_parameters:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.sampled_from(SITES).map(
        lambda name: {**path_parameters, "name": name}))


def test_the_document_is_the_one_the_app_serves(web):
    assert web.test_client().get("/api/openapi.json").json == document()


@schema.parametrize()
# One store per operation, shared by its examples on purpose: what one example stores (a
# site's intake, a job) is there for the next, as with a real client.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])
def test_every_operation_answers_as_documented(case, web, api_token, seen):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"},
                                      checks=CHECKS)
    seen[f"{case.method} {case.path}"].add(response.status_code)
