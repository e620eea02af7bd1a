"""The Handbook page's endpoints against the sandbox WordPress: publish, status, unpublish."""

from __future__ import annotations

import re

import pytest

from handoff.web import create_app
from handoff.web.accounts import Accounts
from tests.bench.handbook import INTAKE
from tests.helpers import wp_login
from tests.unit.test_web_dashboard import csrf, set_up

pytestmark = pytest.mark.integration

PAGE = "/sites/s/handbook"


@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.sites.sync("s")
    app.intakes.save("s", INTAKE)
    return "s"


@pytest.fixture
def dashboard(app):
    client = create_app(app, testing=True).test_client()
    set_up(client)
    client.post("/login", data={"csrf_token": csrf(client), "username": "me",
                                "password": "correct horse battery"})
    return client


def publish_card(client) -> str:
    page = client.get(PAGE).get_data(as_text=True)
    return page[page.index('id="publish"'):page.index('class="page-publish"')]


def test_publish_the_client_opens_it_then_unpublish(app, fresh_sandbox, site, dashboard):
    assert "Not published" in publish_card(dashboard)
    token = csrf(dashboard, "/")
    published = dashboard.post(f"{PAGE}/publish", data={"csrf_token": token, "lang": "vi"},
                               follow_redirects=True)
    text = published.get_data(as_text=True)
    assert re.search(r"Published the Vietnamese handbook on s: \d+ sections\.", text)
    card = publish_card(dashboard)
    assert "badge state-active" in card and "<dd>Vietnamese</dd>" in card
    assert "not yet" in card  # the client has not opened it
    state = app.handbooks.status("s")
    assert state["published"] and state["language"] == "vi"
    assert f"<code>{state['hash'][:12]}</code>" in card

    client = wp_login(fresh_sandbox.url, fresh_sandbox.client_login,
                      fresh_sandbox.client_password)
    screen = client.get(f"{fresh_sandbox.url}/wp-admin/admin.php?page=handoff-handbook",
                        timeout=30)
    assert screen.status_code == 200 and "Đăng nhập" in screen.text
    assert f"first by {fresh_sandbox.client_login}" in publish_card(dashboard)

    removed = dashboard.post(f"{PAGE}/unpublish", data={"csrf_token": token},
                             follow_redirects=True)
    assert "Took the handbook off s" in removed.get_data(as_text=True)
    assert not app.handbooks.status("s")["published"]
    assert "Not published" in publish_card(dashboard)


def test_a_private_page_from_the_page_form_and_a_wrong_password(app, fresh_sandbox, site,
                                                                dashboard):
    password = fresh_sandbox.php(
        "$user = get_user_by( 'login', 'client' );"
        "[ $password ] = WP_Application_Passwords::create_new_application_password("
        "  $user->ID, array( 'name' => 'handbook page' ) );"
        "echo $password;").strip()
    token = csrf(dashboard, "/")
    wrong = dashboard.post(f"{PAGE}/publish-page", data={
        "csrf_token": token, "login": "client", "password": "A" * 24})
    assert wrong.status_code == 400 and 'id="password-error"' in wrong.get_data(as_text=True)
    done = dashboard.post(f"{PAGE}/publish-page", data={
        "csrf_token": token, "login": "client", "password": password}, follow_redirects=True)
    page_id = int(re.search(r"as private page #(\d+)\.", done.get_data(as_text=True)).group(1))
    assert password not in done.get_data(as_text=True)
    state = fresh_sandbox.php(f"$p = get_post( {page_id} ); echo $p->post_type, ' ', "
                              "$p->post_status;").split()
    assert state == ["page", "private"]


def test_the_api_publishes_reports_and_unpublishes(app, site):
    client = create_app(app, testing=True).test_client()
    auth = {"Authorization": f"Bearer {Accounts(app).create_token('ci')}"}
    published = client.post("/api/v1/sites/s/handbook/publish", headers=auth,
                            json={"lang": "zh"})
    assert published.status_code == 200 and published.json["sections"] > 10
    status = client.get("/api/v1/sites/s/handbook/status", headers=auth).json
    assert status["published"] and status["language"] == "zh"
    assert status["hash"] == published.json["hash"]
    pdf = client.get("/api/v1/sites/s/handbook?format=pdf&lang=zh", headers=auth)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.delete("/api/v1/sites/s/handbook", headers=auth).json["removed"] is True
    assert client.get("/api/v1/sites/s/handbook/status", headers=auth).json["published"] \
        is False
