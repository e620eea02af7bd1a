"""API tokens: the page (list, create once, revoke with confirmation) and `handoff token`."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.web.accounts import Accounts
from tests.helpers import store_bytes, store_rows
from tests.unit.conftest import csrf, set_up

pytestmark = pytest.mark.usefixtures("offline_edges")



def create(client, name: str):
    return client.post("/tokens", data={"csrf_token": csrf(client, "/tokens"), "name": name})


def shown_token(html: str) -> str:
    return re.search(r'id="new-token" type="text" value="(hdf_[^"]+)"', html).group(1)


def token_rows(app) -> list[tuple]:
    return store_rows(app, "select name from api_tokens order by id")


def test_creating_shows_the_token_once_and_it_works(app, logged_in, client):
    response = create(logged_in, "  monitoring ")
    html = response.get_data(as_text=True)
    assert response.status_code == 201 and "shown only this once" in html
    token = shown_token(html)
    assert Accounts(app).token_name(token) == "monitoring"
    assert token.encode() not in store_bytes(app)  # only the hash and the first 8
    again = logged_in.get("/tokens").get_data(as_text=True)
    assert token not in again and f"<code>{token[:8]}…</code>" in again
    assert "monitoring" in again and 'data-copy="new-token"' not in again
    api = client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


@pytest.mark.parametrize("name, words", [
    ("", "needs a name of 1 to 100 characters"),
    ("   ", "needs a name of 1 to 100 characters"),
    ("x" * 101, "needs a name of 1 to 100 characters"),
    ("tab\there", "cannot hold control characters"),
    ("nul\x00", "cannot hold control characters"),
    ("CI", "named &#39;ci&#39; exists already"),
    (" ci ", "named &#39;ci&#39; exists already"),
])
def test_bad_names_are_shown_next_to_the_field_and_nothing_is_created(app, logged_in, name,
                                                                       words):
    Accounts(app).create_token("ci")
    response = create(logged_in, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'id="name-error">[^<]*{re.escape(words)}', html)
    assert 'aria-invalid="true"' in html and "hdf_" not in html.split("Tokens</h2>")[0]
    assert token_rows(app) == [("ci",)]


def test_revoking_asks_first_then_the_token_stops_working(app, logged_in, client):
    token = Accounts(app).create_token("ci")
    [(token_id,)] = store_rows(app, "select id from api_tokens")
    listing = logged_in.get("/tokens").get_data(as_text=True)
    assert f'href="/tokens/{token_id}/revoke" aria-label="Revoke ci"' in listing
    confirm = logged_in.get(f"/tokens/{token_id}/revoke").get_data(as_text=True)
    assert "Revoke the token “ci”?" in confirm and token_rows(app) == [("ci",)]
    done = logged_in.post(f"/tokens/{token_id}/revoke",
                          data={"csrf_token": csrf(logged_in, "/tokens")},
                          follow_redirects=True).get_data(as_text=True)
    assert "Revoked the API token &#39;ci&#39;" in done and token_rows(app) == []
    assert client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}) \
        .status_code == 401
    actions = store_rows(app, "select action, result from audit_events order by id")
    assert actions == [("token.create", "ok"), ("token.revoke", "ok")]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("token_id", ["999", "x", "1.0", "-1", "٣", "9" * 20])
def test_an_unknown_token_is_a_404(app, logged_in, method, token_id):
    Accounts(app).create_token("ci")
    response = logged_in.open(f"/tokens/{token_id}/revoke", method=method,
                              data={"csrf_token": csrf(logged_in, "/tokens")})
    assert response.status_code == 404 and token_rows(app) == [("ci",)]


@pytest.mark.parametrize("path", ["/tokens", "/tokens/1/revoke"])
def test_posts_need_the_csrf_token(app, logged_in, path):
    Accounts(app).create_token("ci")
    assert logged_in.post(path, data={"name": "x"}).status_code == 400
    assert logged_in.post(path, data={"name": "x", "csrf_token": "forged"}).status_code == 400
    assert token_rows(app) == [("ci",)]


@pytest.mark.parametrize("method, path", [("GET", "/tokens"), ("POST", "/tokens"),
                                          ("GET", "/tokens/1/revoke"),
                                          ("POST", "/tokens/1/revoke")])
def test_the_pages_need_the_login(app, client, method, path):
    Accounts(app).create_token("ci")
    set_up(client)
    response = client.open(path, method=method, data={"csrf_token": csrf(client),
                                                      "name": "sneaky"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert token_rows(app) == [("ci",)]


def test_the_page_lists_old_tokens_without_a_prefix(app, logged_in):
    Accounts(app).create_token("old")
    with app.store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE api_tokens SET prefix = ''")
    html = logged_in.get("/tokens").get_data(as_text=True)
    assert "old" in html and "not recorded" in html


# -- the CLI ---------------------------------------------------------------------------------

def test_cli_creates_lists_and_revokes(app):
    runner = CliRunner()
    created = runner.invoke(main, ["token", "create", "deploy"], obj=app)
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert Accounts(app).token_name(token) == "deploy"
    listed = runner.invoke(main, ["token", "list", "--json"], obj=app)
    [entry] = json.loads(listed.output)
    assert entry["name"] == "deploy" and entry["prefix"] == token[:8]
    assert token not in listed.output
    assert "deploy" in runner.invoke(main, ["token", "list"], obj=app).output
    revoked = runner.invoke(main, ["token", "revoke", "deploy"], obj=app)
    assert revoked.exit_code == 0 and "Revoked the API token 'deploy'." in revoked.output
    assert Accounts(app).token_name(token) is None
    assert "No API tokens" in runner.invoke(main, ["token", "list"], obj=app).output


@pytest.mark.parametrize("args, code, words", [
    (["token", "create", ""], 2, "needs a name"),
    (["token", "create", "x" * 101], 2, "needs a name"),
    (["token", "create", "CI"], 2, "exists already"),
    (["serve", "--create-token", "ci"], 2, "exists already"),
    (["token", "revoke", "ghost"], 3, "No API token named 'ghost'"),
    (["token", "revoke"], 2, "Missing argument"),
])
def test_cli_bad_input_changes_nothing(app, args, code, words):
    Accounts(app).create_token("ci")
    result = CliRunner().invoke(main, args, obj=app)
    assert result.exit_code == code and words in result.output, result.output
    assert token_rows(app) == [("ci",)]
