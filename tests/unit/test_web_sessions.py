"""Dashboard sessions end for good: a cookie copied before logout or a password change opens
nothing afterwards, in any browser; and the cookie is Secure when the dashboard is remote."""

from __future__ import annotations

import pytest

from handoff.web import create_app
from handoff.web.accounts import Accounts
from tests.helpers import store_rows
from tests.unit.conftest import DASHBOARD_PASSWORD as PASSWORD
from tests.unit.conftest import csrf, set_up

COOKIE = "handoff_session"
NEW_PASSWORD = "another long passphrase"


def log_in(client, password: str = PASSWORD):
    return client.post("/login", data={"csrf_token": csrf(client), "username": "me",
                                       "password": password})


def log_out(client) -> None:
    response = client.post("/logout", data={"csrf_token": csrf(client, "/tokens")})
    assert response.status_code == 302


def replay(web, cookie: str, path: str = "/tokens", **kwargs):
    """A request from another browser that only has the copied cookie."""
    thief = web.test_client()
    thief.set_cookie(COOKIE, cookie)
    return thief.get(path, **kwargs)


def test_a_cookie_copied_before_logout_no_longer_opens_the_tokens_page(web, logged_in):
    copied = logged_in.get_cookie(COOKIE).value
    assert replay(web, copied).status_code == 200
    log_out(logged_in)
    refused = replay(web, copied)
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    answer = replay(web, copied, headers={"Accept": "application/json"})
    assert answer.status_code == 401 and answer.get_json()["error"] == "unauthorized"


def test_logout_in_one_browser_ends_the_sessions_of_every_other(web, logged_in):
    other = web.test_client()
    assert log_in(other).status_code == 302
    assert other.get("/tokens").status_code == 200
    log_out(logged_in)
    assert other.get("/tokens").status_code == 302


def test_a_password_change_ends_every_session_and_only_the_new_password_works(app, web,
                                                                            logged_in):
    copied = logged_in.get_cookie(COOKIE).value
    [(user_id,)] = store_rows(app, "select id from dashboard_users")
    assert Accounts(app).change_password(user_id, PASSWORD, NEW_PASSWORD, NEW_PASSWORD) == {}
    assert replay(web, copied).status_code == 302
    assert logged_in.get("/tokens").status_code == 302
    fresh = web.test_client()
    assert log_in(fresh, PASSWORD).status_code == 401
    assert log_in(fresh, NEW_PASSWORD).status_code == 302
    assert fresh.get("/tokens").status_code == 200


@pytest.mark.parametrize("current, new, repeat, field", [
    ("wrong password!!", NEW_PASSWORD, NEW_PASSWORD, "current"),
    (PASSWORD, "short", "short", "password"),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "repeat"),
])
def test_a_refused_password_change_keeps_the_password_and_the_sessions(app, web, logged_in,
                                                                      current, new, repeat,
                                                                      field):
    [(user_id,)] = store_rows(app, "select id from dashboard_users")
    assert field in Accounts(app).change_password(user_id, current, new, repeat)
    assert logged_in.get("/tokens").status_code == 200
    assert log_in(web.test_client(), PASSWORD).status_code == 302


def test_logging_in_again_after_logout_works(logged_in):
    log_out(logged_in)
    assert logged_in.get("/tokens").status_code == 302
    assert log_in(logged_in).status_code == 302
    assert logged_in.get("/tokens").status_code == 200


def test_a_session_signed_before_the_generation_existed_is_refused(app, web, client):
    """A cookie holding only the user's id (as before sessions had a generation) is old."""
    set_up(client)
    [(user_id,)] = store_rows(app, "select id from dashboard_users")
    with client.session_transaction() as session:
        session["user_id"] = user_id
    assert client.get("/tokens").status_code == 302


# -- the cookie's flags --------------------------------------------------------------------

def login_cookie(web) -> str:
    client = web.test_client()
    set_up(client)
    return log_in(client).headers["Set-Cookie"]


def test_a_local_dashboard_sets_an_httponly_lax_cookie_without_secure(web):
    cookie = login_cookie(web)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_a_remote_dashboard_sets_a_secure_httponly_lax_cookie(app):
    cookie = login_cookie(create_app(app, testing=True, remote=True))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


# -- the password page -----------------------------------------------------------------------

def change(client, current: str, password: str, repeat: str | None = None):
    return client.post("/password", data={
        "csrf_token": csrf(client, "/password"), "current": current, "password": password,
        "repeat": password if repeat is None else repeat})


def test_the_password_page_changes_it_and_ends_every_other_session(web, logged_in):
    other = web.test_client()
    assert log_in(other).status_code == 302
    response = change(logged_in, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert other.get("/tokens").status_code == 302
    assert logged_in.get("/tokens").status_code == 302  # this browser logs in again too
    assert log_in(logged_in, NEW_PASSWORD).status_code == 302


def test_the_password_page_shows_what_to_correct_and_changes_nothing(web, logged_in):
    response = change(logged_in, "not the password", NEW_PASSWORD)
    assert response.status_code == 400
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert NEW_PASSWORD not in response.get_data(as_text=True)
    assert logged_in.get("/tokens").status_code == 200
    assert log_in(web.test_client(), PASSWORD).status_code == 302


def test_the_password_page_needs_the_login(client):
    set_up(client)
    assert client.get("/password").status_code == 302
