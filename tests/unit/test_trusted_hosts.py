"""The dashboard answers only to the names it is served under: a page that rebinds its own
DNS name to 127.0.0.1 reaches it with a foreign Host, and gets 400 before any view runs."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.cli import serve as serve_command
from handoff.web import create_app
from tests.helpers import store_rows
from tests.unit.conftest import DASHBOARD_PASSWORD as PASSWORD
from tests.unit.conftest import csrf

FOREIGN = "rebound.example:8765"
KEY = "eyJ1cmwiOiJodHRwczovL2NsaWVudC5leGFtcGxlIn0"


def counts(app) -> tuple:
    return (store_rows(app, "select count(*) from dashboard_users")[0][0],
            store_rows(app, "select count(*) from sites")[0][0])


@pytest.mark.parametrize("method, path, form", [
    ("GET", "/setup", None),
    ("POST", "/setup", {"username": "attacker", "password": PASSWORD, "repeat": PASSWORD}),
    ("GET", "/login", None),
    ("POST", "/login", {"username": "attacker", "password": PASSWORD}),
    ("GET", "/api/v1/sites", None),
    ("POST", "/api/v1/sites", None),
    ("GET", "/static/dashboard.css", None),
    ("GET", "/no/such/page", None),
])
def test_a_foreign_host_is_refused_before_any_view_and_nothing_is_created(app, client, method,
                                                                         path, form):
    data = dict(form, csrf_token=csrf(client, "/setup")) if form else None
    json = {"url": "https://client.example", "key": KEY} if path == "/api/v1/sites" \
        and method == "POST" else None
    response = client.open(path, method=method, data=data, json=json,
                           headers={"Host": FOREIGN})
    assert response.status_code == 400
    assert "rebound.example" in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


@pytest.mark.parametrize("host", ["localhost", "localhost:8765", "127.0.0.1:8765",
                                  "[::1]:8765", "LOCALHOST:8765"])
def test_loopback_names_are_served_by_default(client, host):
    assert client.get("/setup", headers={"Host": host}).status_code == 200


def test_setup_through_a_trusted_host_still_works(app, client):
    page = client.get("/setup", base_url="http://127.0.0.1:8765").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/setup", base_url="http://127.0.0.1:8765", data={
        "csrf_token": token, "username": "me", "password": PASSWORD, "repeat": PASSWORD})
    assert response.status_code == 302 and counts(app) == (1, 0)


def test_a_json_client_gets_a_json_refusal(client):
    response = client.get("/api/v1/sites", headers={"Host": FOREIGN})
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_named_hosts_are_served_and_others_refused(app):
    client = create_app(app, testing=True,
                        trusted_hosts=["handoff.agency.example"]).test_client()
    assert client.get("/setup", headers={"Host": "handoff.agency.example"}).status_code == 200
    assert client.get("/setup", headers={"Host": "localhost"}).status_code == 400
    assert client.get("/setup",
                      headers={"Host": "evil.handoff.agency.example"}).status_code == 400


@pytest.mark.parametrize("host, names, expected", [
    ("127.0.0.1", (), {"127.0.0.1", "localhost"}),
    ("localhost", (), {"localhost", "127.0.0.1", "::1"}),
    ("::1", (), {"::1", "localhost"}),
    ("0.0.0.0", ("handoff.agency.example",),
     {"localhost", "127.0.0.1", "::1", "handoff.agency.example"}),
    ("192.0.2.10", ("Handoff.Agency.Example.",), {"192.0.2.10", "handoff.agency.example"}),
])
def test_the_served_names_are_the_listening_address_and_the_given_names(host, names, expected):
    assert set(serve_command.trusted_hosts(host, names)) == expected


@pytest.fixture
def served(monkeypatch) -> dict:
    """What `handoff serve` would run, instead of running it."""
    seen: dict = {}

    def run_simple(host, port, application, **_kwargs):
        seen.update(host=host, port=port, app=application)
    monkeypatch.setattr("werkzeug.serving.run_simple", run_simple)
    return seen


def test_serve_on_loopback_trusts_loopback_names_and_keeps_cookies_plain(app, served):
    result = CliRunner().invoke(main, ["serve"], obj=app)
    assert result.exit_code == 0, result.output
    web = served["app"]
    assert web.test_client().get("/setup", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert web.test_client().get("/setup", headers={"Host": FOREIGN}).status_code == 400
    assert web.config["SESSION_COOKIE_SECURE"] is False


def test_serve_remote_trusts_the_host_names_given_and_sends_secure_cookies(app, served):
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--allow-remote",
                                       "--host-name", "handoff.agency.example",
                                       "--host-name", "dash.agency.example"], obj=app)
    assert result.exit_code == 0, result.output
    web = served["app"]
    for name in ("handoff.agency.example", "dash.agency.example", "localhost:8765"):
        assert web.test_client().get("/setup", headers={"Host": name}).status_code == 200
    assert web.test_client().get("/setup", headers={"Host": FOREIGN}).status_code == 400
    assert web.config["SESSION_COOKIE_SECURE"] is True
    assert "handoff.agency.example" in result.output


def test_serve_refuses_a_host_name_that_is_not_one(app, served):
    result = CliRunner().invoke(main, ["serve", "--host-name", "https://x.example/"], obj=app)
    assert result.exit_code == 2 and "--host-name" in result.output
    assert served == {}
