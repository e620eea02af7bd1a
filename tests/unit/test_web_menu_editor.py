"""The menu editor page, its JSON endpoints and forms, and /api/v1/sites/{name}/menu —
against a stored site whose plugin is faked at the HTTP edge (tests/fake_menu_plugin.py)."""

from __future__ import annotations

import json
import re

import pytest
import responses

from handoff.core.actor import acting_as
from handoff.web.accounts import Accounts
from tests.fake_menu_plugin import FakeMenuPlugin
from tests.web_menu_helpers import (
    BAD,
    FULL,
    INVENTORY,
    PASSWORD,
    PROFILE,
    URL,
    PageScript,
    api_auth,
    csrf_of,
    log_in,
    store_site,
)

pytestmark = pytest.mark.usefixtures("offline_edges")


@pytest.fixture
def site(app):
    return store_site(app)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def plugin(mock, site):
    return FakeMenuPlugin(mock, URL)


@pytest.fixture
def logged_in(app, client):
    return log_in(app, client)


@pytest.fixture
def token(logged_in):
    return csrf_of(logged_in.get("/profiles").get_data(as_text=True))


@pytest.fixture
def send(logged_in, token):
    return PageScript(logged_in, token)


@pytest.fixture
def auth(app):
    return api_auth(app)


def model_of(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="menu-model">(.*?)</script>', page,
                      re.S)
    return json.loads(found.group(1))


# -- the page -------------------------------------------------------------------------------

def test_the_editor_opens_a_new_profile_from_the_editor_role_when_the_site_has_none(
        logged_in, plugin):
    page = logged_in.get("/sites/client/menu")
    assert page.status_code == 200
    model = model_of(page.get_data(as_text=True))
    assert model["source"] == "new:editor" and model["version"] == 0
    assert [rule["slug"] for rule in model["profile"]["menu"]] == \
        ["index.php", "edit.php", "upload.php", "edit-comments.php", "profile.php", "tools.php"]
    # the tree is every item some role sees: Profile (editors only) sits by its position
    assert [entry["slug"] for entry in model["tree"]] == \
        ["index.php", "edit.php", "upload.php", "edit-comments.php", "plugins.php",
         "users.php", "profile.php", "tools.php"]
    assert {r["name"] for r in model["roles"]} == {"administrator", "editor"}
    assert [u["login"] for u in model["users"]] == ["admin", "client"]
    assert {"wp-logo", "comments"} <= {n["id"] for n in model["admin_bar"]}


def test_the_editor_opens_the_profile_the_site_has(logged_in, plugin):
    plugin._store(PROFILE)
    page = logged_in.get("/sites/client/menu").get_data(as_text=True)
    model = model_of(page)
    assert (model["source"], model["version"], model["profile"]) == ("site", 1, PROFILE)
    assert "Client" in page and "v1" in page


@pytest.mark.parametrize("start, source", [("preset:content-editor", "preset:content-editor"),
                                           ("library:kept", "library:kept"),
                                           ("new", "new:editor")])
def test_the_editor_starts_from_a_preset_a_saved_profile_or_the_site(
        app, logged_in, plugin, start, source):
    app.profiles.save("kept", PROFILE)
    plugin._store(PROFILE)
    model = model_of(logged_in.get(f"/sites/client/menu?start={start}").get_data(as_text=True))
    assert model["source"] == source


@pytest.mark.parametrize("query, field, message", [
    ("start=preset:nope", "start", "No menu preset named"),
    ("start=library:nope", "start", "No saved menu profile named"),
    ("start=site", "start", "has no menu profile to open"),
    ("start=somewhere", "start", "Choose what to start from"),
    ("start=new&role=ghost", "role", "has no role"),
])
def test_a_start_that_cannot_be_used_is_reported_next_to_its_field(logged_in, plugin, query,
                                                                   field, message):
    page = logged_in.get(f"/sites/client/menu?{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert model_of(html)["source"] == "new:editor"  # the editor still opens


def test_a_site_never_synced_asks_for_a_sync(app, logged_in):
    store_site(app, "fresh", "https://fresh.example", inventory=None)
    html = logged_in.get("/sites/fresh/menu").get_data(as_text=True)
    assert "Sync the site first" in html and "menu-model" not in html


def test_an_unreachable_site_still_opens_the_editor_without_push(logged_in, site, mock):
    mock.get(f"{URL}/wp-json/handoff/v1/menu-profile", status=500, body="oops")
    html = logged_in.get("/sites/client/menu").get_data(as_text=True)
    assert "Could not read the site" in html
    assert model_of(html)["version"] is None  # the script disables Push


def test_the_page_runs_no_inline_script_or_style(logged_in, plugin):
    html = logged_in.get("/sites/client/menu").get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", html):
        assert re.search(r' src="/static/[^"]+"', tag) or 'type="application/json"' in tag
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "</script><script" not in model_json_text(html)  # tojson escapes < and >


def model_json_text(html: str) -> str:
    return re.search(r'id="menu-model">(.*?)</script>', html, re.S).group(1)


def test_titles_with_markup_cannot_break_out_of_the_json_block(app, logged_in, mock):
    sneaky = json.loads(json.dumps(INVENTORY))
    sneaky["admin_menu"]["full"][1]["title"] = "</script><script>alert(1)</script>"
    store_site(app, "sneaky", "https://sneaky.example", inventory=sneaky)
    FakeMenuPlugin(mock, "https://sneaky.example")
    html = logged_in.get("/sites/sneaky/menu").get_data(as_text=True)
    assert "<script>alert" not in html
    assert model_of(html)["tree"][1]["title"] == "</script><script>alert(1)</script>"


def test_unknown_site_is_a_404(logged_in):
    assert logged_in.get("/sites/nowhere/menu").status_code == 404


# -- preview, diff, push from the page ------------------------------------------------------

def test_preview_shows_the_role_menu_and_the_denied_screens(send, plugin):
    answer = send("/sites/client/menu/preview.json", {"profile": PROFILE, "role": "editor"})
    assert answer.status_code == 200, answer.json
    assert [i["title"] for i in answer.json["menu"]] == ["Dashboard", "News", "Media"]
    assert answer.json["applies"] and answer.json["who"] == "role editor"
    assert {d["title"] for d in answer.json["denied"]} == {"Tools", "Tools › Import"}
    assert plugin.writes == 0


def test_preview_as_a_user_and_for_a_role_it_does_not_apply_to(send, plugin):
    as_client = send("/sites/client/menu/preview.json", {"profile": PROFILE, "user": "client"})
    assert as_client.json["who"] == "user client" and as_client.json["applies"]
    admin = send("/sites/client/menu/preview.json", {"profile": PROFILE,
                                                     "role": "administrator"})
    assert not admin.json["applies"] and admin.json["denied"] == []
    assert len(admin.json["menu"]) == len(FULL)


def test_diff_counts_changes_from_the_profile_the_site_has(send, plugin):
    fresh = send("/sites/client/menu/diff.json", {"profile": PROFILE}).json
    editor = next(role for role in fresh["roles"] if role["role"] == "editor")
    assert {c["kind"] for c in editor["changes"]} == {"removed", "renamed"}
    assert fresh["site_profile"]["version"] == 0 and not fresh["same_as_site"]
    plugin._store(PROFILE)
    same = send("/sites/client/menu/diff.json", {"profile": PROFILE}).json
    assert same["same_as_site"]
    assert all(not role["changes"] for role in same["roles"])  # nothing changes for anyone
    renamed = send("/sites/client/menu/diff.json", {"profile": {**PROFILE, "menu": [
        {**rule, "title": "Stories"} if rule["slug"] == "edit.php" else rule
        for rule in PROFILE["menu"]]}}).json
    editor = next(role for role in renamed["roles"] if role["role"] == "editor")
    assert [(c["kind"], c["path"], c["detail"]) for c in editor["changes"]] == \
        [("renamed", "News", "now 'Stories'")]


def test_push_applies_the_profile_as_the_next_version(app, send, plugin):
    answer = send("/sites/client/menu/push.json", {"profile": PROFILE, "expect_version": 0})
    assert answer.status_code == 200, answer.json
    assert (answer.json["version"], answer.json["unchanged"]) == (1, False)
    assert plugin.profile == PROFILE and answer.json["hash"] == plugin.hash
    assert app.sites.get("client").menu_name == "Client"
    again = send("/sites/client/menu/push.json", {"profile": PROFILE, "expect_version": 1})
    assert again.json["unchanged"] and plugin.writes == 1
    forced = send("/sites/client/menu/push.json", {"profile": PROFILE, "expect_version": 1,
                                                   "force": True})
    assert forced.json["version"] == 2


def test_a_push_over_a_version_changed_elsewhere_is_a_409_and_changes_nothing(send, plugin):
    plugin._store({**PROFILE, "name": "Someone else's"})
    answer = send("/sites/client/menu/push.json", {"profile": PROFILE, "expect_version": 0})
    assert answer.status_code == 409
    assert answer.json["error"] == "version_conflict" and answer.json["current_version"] == 1
    assert "not 0" in answer.json["message"]
    assert plugin.profile["name"] == "Someone else's" and plugin.writes == 1


def test_a_site_that_fails_is_a_502(send, site, mock):
    mock.get(f"{URL}/wp-json/handoff/v1/menu-profile", status=500, body="<html>boom</html>")
    answer = send("/sites/client/menu/push.json", {"profile": PROFILE})
    assert answer.status_code == 502 and answer.json["message"]


def test_the_site_refusing_the_profile_is_shown_as_field_errors(send, site, mock):
    mock.get(f"{URL}/wp-json/handoff/v1/menu-profile",
             json={"version": 0, "hash": "", "profile": {}, "history": []})
    mock.post(f"{URL}/wp-json/handoff/v1/menu-profile", status=400, json={
        "code": "handoff_invalid_profile", "message": "Invalid.",
        "data": {"status": 400, "errors": [{"path": "menu/1/title", "message": "too odd"}]}})
    answer = send("/sites/client/menu/push.json", {"profile": PROFILE})
    assert answer.status_code == 400
    assert answer.json == {"errors": {"profile.menu[1].title": "Too odd"},
                           "code": "profile_rejected"}


PAGE_ROUTES = ["/sites/client/menu/preview.json", "/sites/client/menu/diff.json",
               "/sites/client/menu/push.json"]


@pytest.mark.parametrize("body, field, text", [
    (None, "body", "Send a JSON object"),
    ([1, 2], "body", "Send a JSON object"),
    ({}, "profile", "Required"),
    ({"profile": "{}"}, "profile", "Required"),
    ({"profile": BAD}, "profile.menu[0].state", "is not one of"),
    ({"profile": BAD}, "profile.menu[1].title", "without < or >"),
    ({"profile": {**PROFILE, "targets": {}}}, "profile.targets", "at least one role or user"),
    ({"profile": {**PROFILE, "menu": [{"slug": "index.php", "state": "denied"}]}},
     "profile.menu[0].state", "cannot be denied"),
    ({"profile": {**PROFILE, "name": "x" * 70_000}}, "profile", "the limit is 64 KiB"),
])
def test_bad_input_is_a_400_with_field_errors_and_nothing_is_sent(send, plugin, mock, body,
                                                                  field, text):
    for path in PAGE_ROUTES:
        answer = send(path, body) if body is not None else send.text(path, "not json")
        assert answer.status_code == 400, (path, answer.get_data(as_text=True))
        assert text in answer.json["errors"][field], path
    assert plugin.writes == 0
    assert not any(call.request.method == "POST" for call in mock.calls)


@pytest.mark.parametrize("body, field, text", [
    ({"role": "ghost"}, "role", "The site has no role 'ghost'"),
    ({"user": "ghost"}, "user", "no user 'ghost'"),
    ({"role": "editor", "user": "client"}, "user", "not both"),
    ({"role": 3}, "role", "Must be text"),
])
def test_preview_refuses_an_unknown_role_or_user(send, plugin, body, field, text):
    answer = send("/sites/client/menu/preview.json", {"profile": PROFILE, **body})
    assert answer.status_code == 400 and text in answer.json["errors"][field]


@pytest.mark.parametrize("body, field", [
    ({"expect_version": "1"}, "expect_version"), ({"expect_version": -1}, "expect_version"),
    ({"expect_version": True}, "expect_version"), ({"expect_version": 1.5}, "expect_version"),
    ({"force": "yes"}, "force"),
])
def test_push_refuses_a_bad_version_or_force_before_asking_the_site(send, plugin, mock, body,
                                                                    field):
    answer = send("/sites/client/menu/push.json", {"profile": PROFILE, **body})
    assert answer.status_code == 400 and field in answer.json["errors"]
    assert plugin.calls(mock) == 0


@pytest.mark.parametrize("path", PAGE_ROUTES + ["/profiles/save.json"])
def test_the_page_endpoints_need_the_csrf_header(logged_in, plugin, path):
    body = {"profile": PROFILE, "name": "kept"}
    assert logged_in.post(path, json=body).status_code == 400
    assert logged_in.post(path, json=body, headers={"X-CSRF-Token": "forged"}).status_code == 400
    assert plugin.writes == 0


@pytest.mark.parametrize("path", PAGE_ROUTES + ["/profiles/save.json"])
def test_the_page_endpoints_answer_401_when_not_logged_in(app, client, plugin, path):
    Accounts(app).create_user("me", PASSWORD, PASSWORD)
    page = client.get("/login")  # a session with a CSRF token, but no login
    token = csrf_of(page.get_data(as_text=True))
    answer = client.post(path, json={"profile": PROFILE, "name": "kept"},
                         headers={"X-CSRF-Token": token})
    assert answer.status_code == 401 and answer.json["error"] == "unauthorized"
    assert plugin.writes == 0 and app.profiles.list() == []


@pytest.mark.parametrize("path", [p.replace("client", "nowhere") for p in PAGE_ROUTES])
def test_the_page_endpoints_answer_404_for_an_unknown_site(send, path):
    answer = send(path, {"profile": PROFILE})
    assert answer.status_code == 404 and "nowhere" in answer.json["message"]


# -- save as a reusable profile --------------------------------------------------------------

def test_save_keeps_the_profile_in_the_library_with_who_saved_it(app, send):
    answer = send("/profiles/save.json", {"name": "Client-Editor", "description": "For Ann",
                                          "profile": PROFILE})
    assert answer.status_code == 201, answer.json
    assert answer.json["name"] == "client-editor" and answer.json["profile"] == PROFILE
    saved = app.profiles.get("client-editor")
    assert (saved.description, saved.updated_by) == ("For Ann", "dashboard:me")
    taken = send("/profiles/save.json", {"name": "client-editor", "profile": PROFILE})
    assert taken.status_code == 409 and "already has a profile" in taken.json["errors"]["name"]
    replaced = send("/profiles/save.json", {"name": "client-editor", "replace": True,
                                            "profile": {**PROFILE, "name": "Two"}})
    assert replaced.status_code == 200 and app.profiles.get("client-editor").profile["name"] \
        == "Two"


@pytest.mark.parametrize("body, field", [
    ({"profile": PROFILE}, "name"),
    ({"name": "", "profile": PROFILE}, "name"),
    ({"name": "no spaces please", "profile": PROFILE}, "name"),
    ({"name": "content-editor", "profile": PROFILE}, "name"),
    ({"name": "x" * 65, "profile": PROFILE}, "name"),
    ({"name": "ok", "profile": BAD}, "profile.menu[0].state"),
    ({"name": "ok"}, "profile"),
    ({"name": "ok", "profile": PROFILE, "description": "<script>"}, "description"),
    ({"name": "ok", "profile": PROFILE, "description": 5}, "description"),
    ({"name": "ok", "profile": PROFILE, "replace": "yes"}, "replace"),
])
def test_save_refuses_bad_input_and_stores_nothing(app, send, body, field):
    answer = send("/profiles/save.json", body)
    assert answer.status_code == 400 and field in answer.json["errors"], answer.json
    assert app.profiles.list() == []


# -- the forms: sync, rollback, remove -------------------------------------------------------

def test_sync_form_reads_the_inventory_and_returns_to_the_editor(app, logged_in, token, site,
                                                                 monkeypatch):
    synced = []
    monkeypatch.setattr(app.sites, "sync", lambda name: synced.append(name) or INVENTORY)
    answer = logged_in.post("/sites/client/menu/sync", data={"csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"] == "/sites/client/menu"
    assert synced == ["client"]


def test_rollback_puts_an_earlier_version_back(logged_in, token, plugin):
    plugin._store(PROFILE)
    plugin._store({**PROFILE, "name": "Second"})
    answer = logged_in.post("/sites/client/menu/rollback",
                            data={"csrf_token": token, "to_version": "1"})
    assert answer.status_code == 302 and "start=site" in answer.headers["Location"]
    assert (plugin.version, plugin.profile["name"]) == (3, "Client")
    page = logged_in.get(answer.headers["Location"]).get_data(as_text=True)
    assert "now version 3" in page


@pytest.mark.parametrize("value, message", [("abc", "Choose a version from the list"),
                                            ("-1", "Choose a version from the list"),
                                            ("9", "keeps no menu profile version 9")])
def test_rollback_to_a_bad_version_is_shown_next_to_the_field(logged_in, token, plugin, value,
                                                              message):
    plugin._store(PROFILE)
    plugin._store({**PROFILE, "name": "Second"})
    answer = logged_in.post("/sites/client/menu/rollback",
                            data={"csrf_token": token, "to_version": value})
    assert answer.status_code == 400
    error = re.search(r'id="to_version-error">([^<]*)<', answer.get_data(as_text=True))
    assert error and message in error.group(1)
    assert plugin.version == 2


def test_remove_needs_the_confirmation(logged_in, token, plugin):
    plugin._store(PROFILE)
    refused = logged_in.post("/sites/client/menu/remove", data={"csrf_token": token})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    assert plugin.profile == PROFILE
    done = logged_in.post("/sites/client/menu/remove", data={"csrf_token": token,
                                                             "confirm": "yes"})
    assert done.status_code == 302 and plugin.profile == {} and plugin.version == 2


@pytest.mark.parametrize("path", ["/sites/client/menu/sync", "/sites/client/menu/rollback",
                                  "/sites/client/menu/remove"])
def test_the_forms_need_the_csrf_token(logged_in, plugin, path):
    plugin._store(PROFILE)
    assert logged_in.post(path, data={"confirm": "yes"}).status_code == 400
    assert plugin.version == 1


@pytest.mark.parametrize("path", ["/sites/nowhere/menu/sync", "/sites/nowhere/menu/rollback",
                                  "/sites/nowhere/menu/remove"])
def test_the_forms_answer_404_for_an_unknown_site(logged_in, token, path):
    assert logged_in.post(path, data={"csrf_token": token, "confirm": "yes"}).status_code \
        == 404


# -- the API ----------------------------------------------------------------------------------

def test_api_status_preview_diff_push_rollback_remove(app, client, auth, plugin, monkeypatch):
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    empty = client.get("/api/v1/sites/client/menu", headers=auth)
    assert empty.status_code == 200 and (empty.json["version"], empty.json["profile"]) == (0, {})
    preview = client.post("/api/v1/sites/client/menu/preview", headers=auth,
                          json={"profile": PROFILE})
    assert [i["title"] for i in preview.json["menu"]] == ["Dashboard", "News", "Media"]
    diff = client.post("/api/v1/sites/client/menu/diff", headers=auth, json={"profile": PROFILE})
    assert diff.status_code == 200 and diff.json["denied"][0] == {"parent": "",
                                                                   "slug": "tools.php"}
    pushed = client.put("/api/v1/sites/client/menu", headers=auth,
                        json={"profile": PROFILE, "expect_version": 0})
    assert pushed.status_code == 200 and pushed.json["version"] == 1
    with acting_as("api:someone-else"):
        app.menus.push("client", {**PROFILE, "name": "Other"})
    status = client.get("/api/v1/sites/client/menu", headers=auth).json
    assert (status["version"], status["name"]) == (2, "Other")
    assert [entry["version"] for entry in status["history"]] == [1]
    assert [d["slug"] for d in status["drift"]] == ["profile.php"]
    conflict = client.put("/api/v1/sites/client/menu", headers=auth,
                          json={"profile": PROFILE, "expect_version": 1})
    assert conflict.status_code == 409 and conflict.json["current_version"] == 2
    back = client.post("/api/v1/sites/client/menu/rollback", headers=auth)
    assert back.status_code == 200 and back.json["version"] == 3
    assert plugin.profile["name"] == "Client"
    removed = client.delete("/api/v1/sites/client/menu", headers=auth)
    assert removed.status_code == 200 and removed.json == {"site": "client", "version": 4,
                                                           "hash": ""}


@pytest.mark.parametrize("method, path, body, field", [
    ("POST", "/api/v1/sites/client/menu/preview", {"profile": BAD}, "profile.menu[0].state"),
    ("POST", "/api/v1/sites/client/menu/preview", {"profile": PROFILE, "role": "ghost"}, "role"),
    ("POST", "/api/v1/sites/client/menu/diff", {}, "profile"),
    ("PUT", "/api/v1/sites/client/menu", {"profile": BAD}, "profile.menu[1].title"),
    ("PUT", "/api/v1/sites/client/menu", {"profile": PROFILE, "expect_version": "x"},
     "expect_version"),
    ("PUT", "/api/v1/sites/client/menu", "not json", "body"),
    ("POST", "/api/v1/sites/client/menu/rollback", {"to_version": -2}, "to_version"),
    ("POST", "/api/v1/sites/client/menu/rollback", {"to_version": 7}, "to_version"),
    ("POST", "/api/v1/sites/client/menu/rollback", "[]", "body"),
])
def test_api_bad_input_is_400_and_changes_nothing(client, auth, plugin, method, path, body,
                                                  field):
    plugin._store(PROFILE)
    if isinstance(body, str):
        answer = client.open(path, method=method, headers=auth, data=body,
                             content_type="application/json")
    else:
        answer = client.open(path, method=method, headers=auth, json=body)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert field in answer.json["errors"]
    assert (plugin.version, plugin.profile) == (1, PROFILE)


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/sites/nowhere/menu"), ("PUT", "/api/v1/sites/nowhere/menu"),
    ("DELETE", "/api/v1/sites/nowhere/menu"), ("POST", "/api/v1/sites/nowhere/menu/preview"),
    ("POST", "/api/v1/sites/nowhere/menu/diff"), ("POST", "/api/v1/sites/nowhere/menu/rollback"),
])
def test_api_unknown_site_is_404(client, auth, method, path):
    answer = client.open(path, method=method, headers=auth, json={"profile": PROFILE})
    assert answer.status_code == 404 and answer.json["error"] in ("unknown_site", "not_found")


def test_api_site_failure_is_502(client, auth, site, mock):
    mock.get(f"{URL}/wp-json/handoff/v1/menu-profile", status=503, body="down")
    answer = client.delete("/api/v1/sites/client/menu", headers=auth)
    assert answer.status_code == 502 and set(answer.json) == {"error", "message", "fix"}
