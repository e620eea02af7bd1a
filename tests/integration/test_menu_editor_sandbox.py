"""The menu editor's endpoints, the menu API and the profile library against the real
sandbox WordPress: what the editor pushes is what the client gets, rollbacks, and a
change made elsewhere is a conflict, never an overwrite."""

from __future__ import annotations

import json
import re

import pytest

from handoff.web import create_app
from tests.helpers import admin_menu_from_html, wp_login
from tests.profiles import EXPECTED_TOP, PROFILE
from tests.web_menu_helpers import PageScript, api_auth, csrf_of, log_in

pytestmark = pytest.mark.integration


@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.sites.sync("s")
    return "s"


@pytest.fixture
def web(app):
    return create_app(app, testing=True).test_client()


@pytest.fixture
def page(app, web):
    """The editor's script: a logged-in session sending the CSRF header."""
    log_in(app, web)
    return PageScript(web, csrf_of(web.get("/profiles").get_data(as_text=True)))


def client_menu(sandbox) -> list[str]:
    session = wp_login(sandbox.url, sandbox.client_login, sandbox.client_password)
    html = session.get(f"{sandbox.url}/wp-admin/index.php", timeout=30).text
    return [item["title"] for item in admin_menu_from_html(html)]


def editor_model(web, name: str) -> dict:
    html = web.get(f"/sites/{name}/menu").get_data(as_text=True)
    return json.loads(re.search(r'id="menu-model">(.*?)</script>', html, re.S).group(1))


def test_the_editor_pushes_what_its_preview_shows(app, fresh_sandbox, site, page):
    model = editor_model(page.client, site)
    assert model["version"] == 0 and model["source"] == "new:editor"
    assert "sandbox-reports" in {item["slug"] for item in model["tree"]}

    preview = page("/sites/s/menu/preview.json", {"profile": PROFILE, "role": "editor"})
    assert preview.status_code == 200, preview.json
    assert [item["title"] for item in preview.json["menu"]] == EXPECTED_TOP
    diff = page("/sites/s/menu/diff.json", {"profile": PROFILE}).json
    editor = next(role for role in diff["roles"] if role["role"] == "editor")
    assert ("renamed", "Posts", "now 'News'") in \
        {(c["kind"], c["path"], c["detail"]) for c in editor["changes"]}

    pushed = page("/sites/s/menu/push.json", {"profile": PROFILE, "expect_version": 0})
    assert pushed.status_code == 200 and pushed.json["version"] == 1
    assert client_menu(fresh_sandbox) == EXPECTED_TOP == \
        [item["title"] for item in preview.json["menu"]]

    reopened = editor_model(page.client, site)
    assert (reopened["source"], reopened["version"], reopened["profile"]) == ("site", 1, PROFILE)


def test_a_change_made_elsewhere_is_a_conflict_and_the_site_keeps_it(app, fresh_sandbox, site,
                                                                     page):
    loaded = editor_model(page.client, site)["version"]
    app.menus.push("s", PROFILE)  # someone else, from the CLI, meanwhile
    mine = {**PROFILE, "name": "Mine", "menu": PROFILE["menu"][:3]}
    refused = page("/sites/s/menu/push.json", {"profile": mine, "expect_version": loaded})
    assert refused.status_code == 409 and refused.json["current_version"] == 1
    assert app.menus.status("s", fresh=False).name == PROFILE["name"]
    assert client_menu(fresh_sandbox) == EXPECTED_TOP


def test_rollback_and_remove_from_the_editor_forms(app, fresh_sandbox, site, page):
    app.menus.push("s", PROFILE)
    app.menus.push("s", {**PROFILE, "name": "Second", "menu": [
        {**rule, "title": "Stories"} if rule["slug"] == "edit.php" else rule
        for rule in PROFILE["menu"]]})
    assert "Stories" in client_menu(fresh_sandbox)
    back = page.client.post("/sites/s/menu/rollback",
                            data={"csrf_token": page.token, "to_version": "1"})
    assert back.status_code == 302
    status = app.menus.status("s", fresh=False)
    assert (status.version, status.name) == (3, PROFILE["name"])
    assert client_menu(fresh_sandbox) == EXPECTED_TOP
    gone = page.client.post("/sites/s/menu/remove", data={"csrf_token": page.token,
                                                          "confirm": "yes"})
    assert gone.status_code == 302
    assert {"Posts", "Tools", "Comments"} <= set(client_menu(fresh_sandbox))


def test_the_api_pushes_and_rolls_back(app, fresh_sandbox, site, web):
    auth = api_auth(app)
    pushed = web.put("/api/v1/sites/s/menu", headers=auth, json={"profile": PROFILE})
    assert pushed.status_code == 200 and pushed.json["version"] == 1
    status = web.get("/api/v1/sites/s/menu", headers=auth).json
    assert (status["version"], status["profile"]) == (1, PROFILE)
    assert status["hash"] == pushed.json["hash"]
    refused = web.put("/api/v1/sites/s/menu", headers=auth,
                      json={"profile": {**PROFILE, "targets": {"roles": ["ghost"]}}})
    assert refused.status_code == 400
    assert "no role 'ghost'" in refused.json["errors"]["profile.targets.roles[0]"]
    removed = web.delete("/api/v1/sites/s/menu", headers=auth)
    assert removed.json["version"] == 2
    back = web.post("/api/v1/sites/s/menu/rollback", headers=auth, json={})
    assert back.status_code == 200 and back.json["version"] == 3
    assert client_menu(fresh_sandbox) == EXPECTED_TOP


def test_a_saved_profile_pushed_from_the_library_reaches_the_site(app, fresh_sandbox, site,
                                                                  page):
    saved = page("/profiles/save.json", {"name": "client-editor", "profile": PROFILE})
    assert saved.status_code == 201
    answer = page.client.post("/profiles/client-editor/push",
                              data={"csrf_token": page.token, "sites": "s"})
    job_id = re.search(r"job=([0-9a-f]+)", answer.headers["Location"]).group(1)
    job = app.jobs.wait(job_id)
    assert job.status == "done" and job.items[0]["ok"], job.items
    assert client_menu(fresh_sandbox) == EXPECTED_TOP
