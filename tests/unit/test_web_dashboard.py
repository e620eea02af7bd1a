"""The dashboard's pages: first-run login, login required, CSRF, headers, sites, detail."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import responses

from handoff.storage import Site
from handoff.wordpress.diagnose import Diagnosis
from handoff.wordpress.errors import BridgeError
from tests.helpers import make_key, store_rows
from tests.unit.conftest import DASHBOARD_PASSWORD as PASSWORD
from tests.unit.conftest import csrf, set_up

URL = "https://client.example"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True}
MENU = [{"slug": "index.php", "title": "Dashboard", "children": []},
        {"slug": "reports", "title": "Client Reports", "children": [
            {"slug": "reports-monthly", "title": "Monthly <b>figures</b>"}]}]
INVENTORY = {
    "site": {"name": "Client", "home_url": URL},
    "software": {"wordpress": "6.1.9", "php": "8.2", "database": "MariaDB", "plugin": "0.1.0"},
    "themes": [{"name": "Twenty", "version": "1.0", "active": True, "stylesheet": "twenty"}],
    "plugins": [{"name": "Forms Pro", "version": "2.0", "active": True, "must_use": False,
                 "dropin": False, "update_available": "2.1"}],
    "post_types": [{"name": "page", "label": "Pages", "count": 4, "builtin": True,
                    "show_ui": True}],
    "users": {"total": 2},
    "admin_menu": {"full": MENU, "by_role": {"administrator": MENU, "editor": MENU[:1]}},
}


pytestmark = pytest.mark.usefixtures("offline_edges")







@pytest.fixture
def stored_site(app):
    with app.store.session() as session:
        session.add(Site(name="client", url=URL, rest_url=f"{URL}/wp-json/",
                         xmlrpc_url=f"{URL}/xmlrpc.php", username="handoff-bridge",
                         secret=app.vault.encrypt("x" * 24), created_at=datetime.now(UTC),
                         wordpress_version="6.1.9", plugin_version="0.1.0", health="ok"))
    return "client"


def site_rows(app):
    return store_rows(app, "select name from sites")


# -- first run and login ---------------------------------------------------------------------

def test_first_run_asks_to_create_the_login(client):
    response = client.get("/", follow_redirects=True)
    assert "Create the dashboard's login" in response.get_data(as_text=True)
    assert client.get("/login").headers["Location"].endswith("/setup")


def test_setup_refuses_short_or_different_passwords_and_stores_a_hash(app, client):
    token = csrf(client, "/setup")
    short = client.post("/setup", data={"csrf_token": token, "username": "me",
                                        "password": "short", "repeat": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    differ = client.post("/setup", data={"csrf_token": token, "username": "me",
                                         "password": PASSWORD, "repeat": PASSWORD + "x"})
    assert "The two passwords differ." in differ.get_data(as_text=True)
    set_up(client)
    [(stored,)] = store_rows(app, "select password_hash from dashboard_users")
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    assert client.get("/setup").status_code == 302  # only once


def test_login_with_a_wrong_password_fails(client):
    set_up(client)
    response = client.post("/login", data={"csrf_token": csrf(client), "username": "me",
                                           "password": "wrong password!"})
    assert response.status_code == 401
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_lax(client):
    set_up(client)
    response = client.post("/login", data={"csrf_token": csrf(client), "username": "me",
                                           "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_never_redirects_to_another_host(client):
    set_up(client)
    response = client.post("/login?next=//evil.example/", data={
        "csrf_token": csrf(client), "username": "me", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(logged_in):
    page = logged_in.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert logged_in.post("/logout", data={"csrf_token": token}).status_code == 302
    assert logged_in.get("/").status_code == 302


def page_urls(web):
    urls = []
    for rule in web.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.setup", "auth.login") or \
                rule.endpoint.startswith("api"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>",
                      lambda m: "client" if m.group(1) == "name" else "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, path))
    return urls


def test_every_page_requires_login(app, web, client, stored_site):
    set_up(client)
    urls = page_urls(web)
    assert ("GET", "/") in urls and ("POST", "/sites/client/sync") in urls
    for method, path in urls:
        token = csrf(client)  # a valid token: the login check must still refuse
        response = client.open(path, method=method, data={"csrf_token": token})
        if path.endswith(".json"):  # the pages' JSON endpoints answer their scripts
            assert response.status_code == 401, (method, path)
            continue
        assert response.status_code == 302, (method, path)
        assert "/login" in response.headers["Location"], (method, path)


@pytest.mark.parametrize("path", ["/sites", "/sites/client/check", "/sites/client/sync",
                                  "/logout"])
def test_a_post_without_a_valid_csrf_token_is_refused(logged_in, stored_site, path):
    assert logged_in.post(path, data={}).status_code == 400
    assert logged_in.post(path, data={"csrf_token": "forged"}).status_code == 400


def test_login_and_setup_forms_need_the_csrf_token(client):
    assert client.post("/setup", data={"username": "me", "password": PASSWORD,
                                       "repeat": PASSWORD}).status_code == 400
    set_up(client)
    assert client.post("/login", data={"username": "me", "password": PASSWORD}) \
        .status_code == 400


@pytest.mark.parametrize("path", ["/", "/login", "/setup", "/nowhere", "/api/v1/sites",
                                  "/api/openapi.json", "/static/dashboard.css"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_use_no_inline_scripts_or_styles(logged_in, stored_site):
    for path in ("/", "/sites/client", "/jobs"):
        page = logged_in.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>", page)
        assert scripts and all(re.search(r' src="/static/[^"]+"', tag) for tag in scripts)
        assert "<style" not in page and " style=" not in page
        assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers


# -- sites -----------------------------------------------------------------------------------

def test_sites_page_lists_sites(logged_in, stored_site):
    page = logged_in.get("/").get_data(as_text=True)
    assert ">client</a>" in page and URL in page and "6.1.9" in page and "0.1.0" in page
    assert 'for="url"' in page and 'for="key"' in page and 'for="name"' in page


def test_a_garbage_key_shows_the_core_message_next_to_the_field_and_saves_nothing(
        app, logged_in):
    page = logged_in.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = logged_in.post("/sites", data={"csrf_token": token, "url": URL,
                                              "key": "garbage", "name": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="key-error">This is not a Handoff connection key',
                     html)
    assert 'aria-invalid="true" aria-describedby="key-hint key-error"' in html
    assert site_rows(app) == []


def test_empty_fields_are_reported_per_field(app, logged_in):
    token = csrf(logged_in, "/")
    html = logged_in.post("/sites", data={"csrf_token": token}).get_data(as_text=True)
    assert 'id="url-error"' in html and 'id="key-error"' in html
    assert site_rows(app) == []


def test_a_key_for_another_site_is_reported_next_to_the_url(app, logged_in):
    token = csrf(logged_in, "/")
    html = logged_in.post("/sites", data={"csrf_token": token, "url": "https://other.example",
                                          "key": make_key(URL).encode()}).get_data(as_text=True)
    assert re.search(r'id="url-error">The key belongs to https://client.example', html)
    assert make_key(URL).encode() not in html  # the secret is not echoed
    assert site_rows(app) == []


@responses.activate
def test_adding_a_working_site_stores_it(app, logged_in):
    responses.get(URL, body="home", content_type="text/html")
    responses.get(f"{URL}/wp-json/", json={"namespaces": ["handoff/v1"]})
    responses.get(f"{URL}/wp-json/handoff/v1/status", json=STATUS)
    token = csrf(logged_in, "/")
    response = logged_in.post("/sites", data={"csrf_token": token, "url": URL,
                                              "key": make_key(URL).encode(), "name": "acme"},
                              follow_redirects=True)
    assert "Connected acme over rest." in response.get_data(as_text=True)
    assert site_rows(app) == [("acme",)]


def test_check_and_sync_show_their_result(app, logged_in, stored_site, monkeypatch):
    diagnosis = Diagnosis(url=URL)
    diagnosis.transport = "rest"
    monkeypatch.setattr(app.sites, "check", lambda name: diagnosis)
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    token = csrf(logged_in, "/")
    checked = logged_in.post("/sites/client/check", data={"csrf_token": token},
                             follow_redirects=True).get_data(as_text=True)
    assert "Check of client: All good: the backend reaches the site over rest." in checked
    synced = logged_in.post("/sites/client/sync", data={"csrf_token": token, "back": "detail"},
                            follow_redirects=True).get_data(as_text=True)
    assert "Synced client: 1 plugins, 1 themes, 1 content types, 2 users" in synced


def test_a_failing_sync_is_a_flash_not_a_crash(app, logged_in, stored_site, monkeypatch):
    def broken(name):
        raise BridgeError("refused", url=URL)
    monkeypatch.setattr(app.sites, "sync", broken)
    html = logged_in.post("/sites/client/sync", data={"csrf_token": csrf(logged_in, "/")},
                          follow_redirects=True).get_data(as_text=True)
    assert "Sync of client failed:" in html and "flash-error" in html


def test_detail_page_shows_plugins_types_and_the_menu_per_role(app, logged_in, stored_site,
                                                               monkeypatch):
    monkeypatch.setattr(app.sites, "latest_inventory", lambda name: INVENTORY)
    html = logged_in.get("/sites/client").get_data(as_text=True)
    assert "Forms Pro" in html and "Pages" in html and "Client Reports" in html
    assert "<td>2.1</td>" in html and "built-in method" not in html  # the available update
    assert "Monthly &lt;b&gt;figures&lt;/b&gt;" in html  # site text is escaped
    assert '<label for="role">Role</label>' in html
    editor = logged_in.get("/sites/client?role=editor").get_data(as_text=True)
    assert "as editor sees it" in editor and "Client Reports" not in editor
    assert logged_in.get("/sites/client?role=nobody").status_code == 404


def test_detail_before_the_first_sync(logged_in, stored_site):
    assert "Not synced yet" in logged_in.get("/sites/client").get_data(as_text=True)


@pytest.mark.parametrize("method, path", [("GET", "/sites/ghost"),
                                          ("POST", "/sites/ghost/check"),
                                          ("POST", "/sites/ghost/sync")])
def test_unknown_site_is_a_404_page(logged_in, method, path):
    response = logged_in.open(path, method=method, data={"csrf_token": csrf(logged_in, "/")})
    assert response.status_code == 404
    assert "No site named &#39;ghost&#39;." in response.get_data(as_text=True)


def test_session_key_lives_in_a_private_file_or_derives_from_the_secret_key(app):
    from dataclasses import replace

    from handoff.app import Handoff
    from handoff.web.accounts import session_secret

    first = session_secret(app)
    path = app.settings.data_dir / "dashboard.key"
    assert path.stat().st_mode & 0o777 == 0o600 and session_secret(app) == first
    derived = Handoff(settings=replace(app.settings, secret_key="k" * 44))
    assert session_secret(derived) == session_secret(derived) != first
