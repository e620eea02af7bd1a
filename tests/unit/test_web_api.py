"""The JSON API: token auth, pagination, adding with field errors, 404s, OpenAPI."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import responses
from click.testing import CliRunner

from handoff.cli import main
from handoff.storage import Site
from handoff.web.accounts import Accounts
from handoff.wordpress.diagnose import Diagnosis
from handoff.wordpress.errors import BridgeError
from tests.helpers import make_key, store_bytes, store_rows

URL = "https://client.example"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True}


pytestmark = pytest.mark.usefixtures("offline_edges")





def add_sites(app, count: int) -> None:
    with app.store.session() as session:
        for number in range(count):
            url = f"https://site{number:03}.example"
            session.add(Site(name=f"site{number:03}", url=url, rest_url=f"{url}/wp-json/",
                             xmlrpc_url=f"{url}/xmlrpc.php", username="handoff-bridge",
                             secret=app.vault.encrypt("x" * 24), created_at=datetime.now(UTC)))


def api_routes(web):
    """(method, path) of every token-protected route, placeholders as in the OpenAPI paths."""
    for rule in web.url_map.iter_rules():
        if rule.endpoint.startswith("api") and not rule.endpoint.startswith("api_docs."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, path


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer hdf_wrong", "Basic abc",
                                    "bearer "])
def test_every_api_route_needs_a_valid_token(app, web, client, auth, header):
    add_sites(app, 1)
    routes = list(api_routes(web))
    assert len(routes) >= 8
    for method, path in routes:
        path = path.replace("{name}", "site000")
        headers = {"Authorization": header} if header else {}
        response = client.open(path, method=method, headers=headers, json={})
        assert response.status_code == 401, (method, path)
        assert response.json["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_only_the_token_hash_is_stored(app):
    token = Accounts(app).create_token("ci")
    raw = store_bytes(app)
    assert token.encode() not in raw and Accounts(app).token_valid(token)
    assert store_rows(app, "select name from api_tokens") == [("ci",)]


def test_tokens_come_from_the_cli(app):
    result = CliRunner().invoke(main, ["serve", "--create-token", "monitor"], obj=app)
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert Accounts(app).token_valid(token)


def test_list_is_paginated(app, client, auth):
    add_sites(app, 25)
    first = client.get("/api/v1/sites", headers=auth).json
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 20, 25, 2)
    assert [s["name"] for s in first["items"]][:2] == ["site000", "site001"]
    second = client.get("/api/v1/sites?page=2&per_page=10", headers=auth).json
    assert [s["name"] for s in second["items"]] == [f"site{n:03}" for n in range(10, 20)]
    assert client.get("/api/v1/sites?per_page=500", headers=auth).json["per_page"] == 100
    assert client.get("/api/v1/sites?page=9", headers=auth).json["items"] == []
    for bad in ("page=0", "page=x", "per_page=-1"):
        assert client.get(f"/api/v1/sites?{bad}", headers=auth).status_code == 400


def test_get_one_site_never_shows_its_password(app, client, auth):
    add_sites(app, 1)
    site = client.get("/api/v1/sites/site000", headers=auth)
    assert site.status_code == 200 and site.json["url"] == "https://site000.example"
    assert "secret" not in site.json and "x" * 24 not in site.get_data(as_text=True)


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/sites/ghost"),
                                          ("POST", "/api/v1/sites/ghost/check"),
                                          ("POST", "/api/v1/sites/ghost/sync")])
def test_unknown_site_is_404(client, auth, method, path):
    response = client.open(path, method=method, headers=auth)
    assert response.status_code == 404 and "No site named 'ghost'." in response.json["message"]


@pytest.mark.parametrize("body, errors", [
    (None, {"body"}), ({}, {"url", "key"}), ({"url": URL, "key": 5}, {"key"}),
    ({"url": URL, "key": "garbage"}, {"key"}),
    ({"url": "https://other.example", "key": make_key(URL).encode()}, {"url"}),
])
def test_bad_input_is_400_with_field_errors_and_saves_nothing(app, client, auth, body, errors):
    response = client.post("/api/v1/sites", headers=auth, json=body)
    assert response.status_code == 400
    assert set(response.json["errors"]) == errors
    assert store_rows(app, "select count(*) from sites") == [(0,)]


def test_a_garbage_key_gets_the_core_message(client, auth):
    response = client.post("/api/v1/sites", headers=auth, json={"url": URL, "key": "garbage"})
    assert response.json["errors"]["key"].startswith("This is not a Handoff connection key")
    assert response.json["code"] == "key_malformed"


@responses.activate
def test_adding_a_working_site_is_201(app, client, auth):
    responses.get(URL, body="home", content_type="text/html")
    responses.get(f"{URL}/wp-json/", json={"namespaces": ["handoff/v1"]})
    responses.get(f"{URL}/wp-json/handoff/v1/status", json=STATUS)
    response = client.post("/api/v1/sites", headers=auth,
                           json={"url": URL, "key": make_key(URL).encode(), "name": "acme"})
    assert response.status_code == 201, response.json
    assert response.json["name"] == "acme" and response.json["wordpress_version"] == "6.1.9"
    assert response.headers["Location"] == "/api/v1/sites/acme"
    assert [s.name for s in app.sites.list()] == ["acme"]


def test_check_and_sync(app, client, auth, monkeypatch):
    add_sites(app, 1)
    diagnosis = Diagnosis(url=URL)
    diagnosis.transport = "rest"
    monkeypatch.setattr(app.sites, "check", lambda name: diagnosis)
    monkeypatch.setattr(app.sites, "sync", lambda name: {
        "plugins": [{}], "themes": [], "post_types": [{}, {}], "users": {"total": 3},
        "admin_menu": {"full": [{}] * 4}})
    checked = client.post("/api/v1/sites/site000/check", headers=auth)
    assert checked.status_code == 200 and checked.json["health"] == "ok"
    synced = client.post("/api/v1/sites/site000/sync", headers=auth)
    assert synced.json == {"name": "site000", "counts": {
        "plugins": 1, "themes": 0, "content_types": 2, "users": 3, "admin_menu_items": 4}}

    def broken(name):
        raise BridgeError("refused", url=URL)
    monkeypatch.setattr(app.sites, "sync", broken)
    failed = client.post("/api/v1/sites/site000/sync", headers=auth)
    assert failed.status_code == 502 and failed.json["error"] == "refused"


def test_api_ignores_the_dashboard_csrf_and_session(client, auth):
    # token auth, no cookies: a form-less JSON POST is fine without a CSRF token
    assert client.post("/api/v1/sites", headers=auth, json={}).status_code == 400


def test_openapi_document_describes_exactly_the_api_routes(web, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    described = {(method.upper(), "/api/v1" + path)
                 for path, operations in document["paths"].items() for method in operations}
    assert described == set(api_routes(web))
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_serve_refuses_remote_hosts_without_the_flag(app):
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"], obj=app)
    assert result.exit_code == 2 and "not a loopback address" in result.output


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True),
                                            ("::1", True), ("127.0.0.2", True),
                                            ("0.0.0.0", False), ("192.168.1.4", False),
                                            ("example.com", False)])
def test_loopback_detection(host, loopback):
    from handoff.cli.serve import is_loopback
    assert is_loopback(host) is loopback
