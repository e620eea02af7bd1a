"""The profile library pages (/profiles) and /api/v1/profiles: list, add, open in an
editor, push to many sites as a background job, delete — and bad input on each."""

from __future__ import annotations

import json
import re

import pytest
import responses

from tests.fake_menu_plugin import FakeMenuPlugin
from tests.web_menu_helpers import BAD, PROFILE, URL, api_auth, csrf_of, log_in, store_site

pytestmark = pytest.mark.usefixtures("offline_edges")


@pytest.fixture
def logged_in(app, client):
    return log_in(app, client)


@pytest.fixture
def token(logged_in):
    return csrf_of(logged_in.get("/profiles").get_data(as_text=True))


@pytest.fixture
def auth(app):
    return api_auth(app)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def two_sites(app, mock):
    """Two stored sites with their fake plugins."""
    store_site(app, "client", URL)
    store_site(app, "other", "https://other.example")
    return {"client": FakeMenuPlugin(mock, URL),
            "other": FakeMenuPlugin(mock, "https://other.example")}


def field_error(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]*)<', html)
    return found.group(1) if found else ""


# -- pages ------------------------------------------------------------------------------

def test_the_library_lists_saved_profiles_and_the_presets(app, logged_in, two_sites):
    app.profiles.save("client-editor", PROFILE, "For the client's editors")
    html = logged_in.get("/profiles").get_data(as_text=True)
    assert "client-editor" in html and "For the client&#39;s editors" in html
    assert "3 visible" in html and "1 hidden" in html and "1 denied" in html
    assert "content-editor" in html and "shop-manager" in html  # presets
    assert 'value="library:client-editor"' in html and 'value="preset:blogger"' in html
    assert html.count('<option value="other">') >= 1


def test_an_empty_library_says_how_to_fill_it(logged_in):
    assert "No saved profiles yet" in logged_in.get("/profiles").get_data(as_text=True)


def test_a_profile_pasted_as_json_is_kept(app, logged_in, token):
    answer = logged_in.post("/profiles", data={"csrf_token": token, "name": "pasted",
                                               "description": "", "json": json.dumps(PROFILE)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/profiles/pasted"
    saved = app.profiles.get("pasted")
    assert saved.profile == PROFILE and saved.updated_by == "dashboard:me"
    detail = logged_in.get("/profiles/pasted").get_data(as_text=True)
    assert "tools.php" in detail and "News" in detail


@pytest.mark.parametrize("form, field, message", [
    ({"name": "", "json": json.dumps(PROFILE)}, "name", "Give the profile a name"),
    ({"name": "Bad Name!", "json": json.dumps(PROFILE)}, "name", "not a usable profile name"),
    ({"name": "blogger", "json": json.dumps(PROFILE)}, "name", "name of a shipped preset"),
    ({"name": "ok", "json": ""}, "json", "Paste the profile"),
    ({"name": "ok", "json": "{not json"}, "json", "invalid JSON at line 1"),
    ({"name": "ok", "json": "[1]"}, "json", "expected a JSON object"),
    ({"name": "ok", "json": json.dumps(BAD)}, "json", "menu/0/state"),
    ({"name": "ok", "json": json.dumps(PROFILE), "description": "<b>x</b>"}, "description",
     "contains &lt; or &gt;"),
])
def test_a_pasted_profile_with_problems_is_shown_next_to_the_field(app, logged_in, token, form,
                                                                   field, message):
    answer = logged_in.post("/profiles", data={"csrf_token": token, **form})
    assert answer.status_code == 400
    assert message in field_error(answer.get_data(as_text=True), field)
    assert app.profiles.list() == []


def test_pasting_over_a_saved_name_needs_replace(app, logged_in, token):
    app.profiles.save("kept", PROFILE)
    other = json.dumps({**PROFILE, "name": "Other"})
    taken = logged_in.post("/profiles", data={"csrf_token": token, "name": "kept", "json": other})
    assert taken.status_code == 400 and "already has a profile" in \
        field_error(taken.get_data(as_text=True), "name")
    assert app.profiles.get("kept").profile["name"] == "Client"
    logged_in.post("/profiles", data={"csrf_token": token, "name": "kept", "json": other,
                                      "replace": "yes"})
    assert app.profiles.get("kept").profile["name"] == "Other"


def test_open_in_editor_goes_to_the_site_editor(app, logged_in, two_sites):
    app.profiles.save("kept", PROFILE)
    answer = logged_in.get("/profiles/open?site=other&profile=library:kept")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/sites/other/menu?start=library:kept"
    unknown = logged_in.get("/profiles/open?site=nowhere&profile=library:kept",
                            follow_redirects=True)
    assert "Choose a connected site" in unknown.get_data(as_text=True)


def test_pushing_a_saved_profile_runs_a_job_over_the_chosen_sites(app, logged_in, token,
                                                                  two_sites):
    app.profiles.save("kept", PROFILE)
    answer = logged_in.post("/profiles/kept/push", data={"csrf_token": token,
                                                         "sites": ["client", "other"]})
    assert answer.status_code == 302
    job_id = re.search(r"job=([0-9a-f]+)", answer.headers["Location"]).group(1)
    job = app.jobs.wait(job_id)
    assert (job.status, job.total) == ("done", 2)
    assert all(plugin.profile == PROFILE for plugin in two_sites.values())
    page = logged_in.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'data-job-url="/jobs/' in page and "js/job.js" in page
    assert "Push menu profile &#39;kept&#39;" in page


def test_pushing_to_a_tag_or_every_site(app, logged_in, token, two_sites):
    app.profiles.save("kept", PROFILE)
    app.sites.tag("other", add=["retainer"])
    by_tag = logged_in.post("/profiles/kept/push", data={"csrf_token": token, "tag": "retainer"})
    job_id = re.search(r"job=([0-9a-f]+)", by_tag.headers["Location"]).group(1)
    assert [item["target"] for item in app.jobs.wait(job_id).items] == ["other"]
    every = logged_in.post("/profiles/kept/push", data={"csrf_token": token, "all": "yes"})
    job_id = re.search(r"job=([0-9a-f]+)", every.headers["Location"]).group(1)
    assert app.jobs.wait(job_id).total == 2


@pytest.mark.parametrize("form, message", [
    ({}, "Choose sites, a tag, or all sites"),
    ({"sites": ["nowhere"]}, "No site named &#39;nowhere&#39;"),
    ({"tag": "nobody"}, "No site has the tag"),
])
def test_a_push_without_usable_sites_is_refused_next_to_the_field(app, logged_in, token,
                                                                  two_sites, form, message):
    app.profiles.save("kept", PROFILE)
    answer = logged_in.post("/profiles/kept/push", data={"csrf_token": token, **form})
    assert answer.status_code == 400
    assert message in field_error(answer.get_data(as_text=True), "sites")
    assert app.jobs.list()[1] == 0
    assert all(plugin.writes == 0 for plugin in two_sites.values())


def test_delete_removes_only_the_library_copy(app, logged_in, token):
    app.profiles.save("kept", PROFILE)
    answer = logged_in.post("/profiles/kept/delete", data={"csrf_token": token})
    assert answer.status_code == 302 and app.profiles.list() == []


@pytest.mark.parametrize("method, path", [("GET", "/profiles/nowhere"),
                                          ("POST", "/profiles/nowhere/delete"),
                                          ("POST", "/profiles/nowhere/push")])
def test_unknown_saved_profile_is_a_404(logged_in, token, method, path):
    assert logged_in.open(path, method=method, data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("path", ["/profiles", "/profiles/kept/delete", "/profiles/kept/push"])
def test_library_forms_need_the_csrf_token(app, logged_in, two_sites, path):
    app.profiles.save("kept", PROFILE)
    answer = logged_in.post(path, data={"name": "x", "json": json.dumps(PROFILE),
                                        "all": "yes"})
    assert answer.status_code == 400
    assert [entry.name for entry in app.profiles.list()] == ["kept"]
    assert app.jobs.list()[1] == 0


def test_library_pages_run_no_inline_script_or_style(app, logged_in, token, two_sites):
    app.profiles.save("kept", PROFILE)
    pushed = logged_in.post("/profiles/kept/push", data={"csrf_token": token, "all": "yes"})
    for path in ("/profiles", "/profiles/kept", pushed.headers["Location"]):
        html = logged_in.get(path).get_data(as_text=True)
        assert all(re.search(r' src="/static/[^"]+"', tag)
                   for tag in re.findall(r"<script[^>]*>", html))
        assert "<style" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)


# -- API --------------------------------------------------------------------------------

def test_api_put_get_list_delete(app, client, auth):
    created = client.put("/api/v1/profiles/kept", headers=auth,
                         json={"profile": PROFILE, "description": "Kept"})
    assert created.status_code == 201 and created.json["updated_by"] == "api:tests"
    replaced = client.put("/api/v1/profiles/kept", headers=auth, json={"profile": PROFILE})
    assert replaced.status_code == 200
    assert replaced.json["description"] == "", "no description: the profile's own (none)"
    one = client.get("/api/v1/profiles/kept", headers=auth).json
    assert one["profile"] == PROFILE and one["states"] == {"visible": 3, "hidden": 1,
                                                          "denied": 1}
    listed = client.get("/api/v1/profiles?per_page=1", headers=auth).json
    assert listed["total"] == 1 and "profile" not in listed["items"][0]
    assert client.delete("/api/v1/profiles/kept", headers=auth).json == {"name": "kept",
                                                                         "deleted": True}
    assert client.get("/api/v1/profiles/kept", headers=auth).status_code == 404


@pytest.mark.parametrize("name, body, field", [
    ("Bad%20Name", {"profile": PROFILE}, "name"),
    ("blogger", {"profile": PROFILE}, "name"),
    ("ok", {}, "profile"),
    ("ok", {"profile": BAD}, "profile.menu[0].state"),
    ("ok", {"profile": PROFILE, "description": ["x"]}, "description"),
    ("ok", None, "body"),
])
def test_api_put_refuses_bad_input_and_stores_nothing(app, client, auth, name, body, field):
    if body is None:
        answer = client.put(f"/api/v1/profiles/{name}", headers=auth, data="nope",
                            content_type="application/json")
    else:
        answer = client.put(f"/api/v1/profiles/{name}", headers=auth, json=body)
    assert answer.status_code == 400 and field in answer.json["errors"], answer.json
    assert app.profiles.list() == []


def test_api_bulk_push_of_a_saved_profile_goes_through_the_jobs_route(app, client, auth,
                                                                     two_sites):
    app.profiles.save("kept", PROFILE)
    profile = client.get("/api/v1/profiles/kept", headers=auth).json["profile"]
    answer = client.post("/api/v1/jobs", headers=auth, json={
        "kind": "menu.push", "all": True, "params": {"profile": profile}})
    assert answer.status_code == 202
    assert app.jobs.wait(answer.json["id"]).as_dict()["ok"] == 2
    assert two_sites["other"].profile == PROFILE


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_api_unknown_profile_is_404(client, auth, method):
    answer = client.open("/api/v1/profiles/nowhere", method=method, headers=auth)
    assert answer.status_code == 404 and "nowhere" in answer.json["message"]
