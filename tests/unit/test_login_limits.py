"""Failed dashboard logins: 5 in 15 minutes for a user name or an address pause its logins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handoff.web.login_limits import LoginThrottle
from tests.helpers import store_rows
from tests.unit.conftest import DASHBOARD_PASSWORD as PASSWORD
from tests.unit.conftest import csrf, set_up

pytestmark = pytest.mark.usefixtures("offline_edges")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(web, app) -> Clock:
    """The dashboard's throttle on a clock the test moves."""
    clock = Clock()
    web.extensions["handoff_login_throttle"] = LoginThrottle(app.store, clock=clock)
    return clock


@pytest.fixture
def account(client):
    set_up(client)
    return client


def attempt(client, password: str, username: str = "me", address: str = "127.0.0.1"):
    return client.post("/login", data={"csrf_token": csrf(client), "username": username,
                                       "password": password},
                       environ_base={"REMOTE_ADDR": address})


def fail(client, times: int, **where) -> list[int]:
    return [attempt(client, "wrong password!", **where).status_code for _ in range(times)]


# -- the login form ------------------------------------------------------------------------

def test_the_fifth_failure_pauses_logins_with_429_and_retry_after(account, clock):
    assert "After 5 failed attempts within 15 minutes" in account.get("/login") \
        .get_data(as_text=True)
    assert fail(account, 4) == [401] * 4
    fifth = attempt(account, "wrong password!")
    html = fifth.get_data(as_text=True)
    assert fifth.status_code == 429 and fifth.headers["Retry-After"] == "900"
    assert "Wrong user name or password. Too many failed logins" in html
    assert "Try again in 15 minutes." in html and 'role="alert"' in html
    clock.advance(minutes=5)
    right = attempt(account, PASSWORD)  # even the right password waits
    assert right.status_code == 429 and right.headers["Retry-After"] == "600"
    assert "Try again in 10 minutes." in right.get_data(as_text=True)
    assert account.get("/").status_code == 302  # not logged in


def test_the_pause_ends_when_the_failures_leave_the_window(account, clock):
    fail(account, 3)
    clock.advance(minutes=10)
    fail(account, 2)  # 5 within 15 minutes
    clock.advance(minutes=5, seconds=1)  # the first 3 are older than 15 minutes now
    assert attempt(account, "wrong password!").status_code == 401  # 3 recent: allowed
    assert attempt(account, PASSWORD).status_code == 302


def test_a_success_forgets_the_failures(app, account, clock):
    fail(account, 4)
    assert attempt(account, PASSWORD).status_code == 302
    assert store_rows(app, "select count(*) from login_failures") == [(0,)]
    account.post("/logout", data={"csrf_token": csrf(account, "/")})
    assert fail(account, 4) == [401] * 4


def test_one_address_guessing_many_user_names_is_paused(account, clock):
    for name in ("admin", "root", "me2", "test", "owner"):
        attempt(account, "guess", username=name, address="10.9.8.7")
    assert attempt(account, PASSWORD, address="10.9.8.7").status_code == 429
    assert attempt(account, PASSWORD, address="10.9.8.8").status_code == 302


def test_one_user_name_from_many_addresses_is_paused(account, clock):
    for number in range(5):
        attempt(account, "guess", username=" ME ", address=f"10.0.0.{number}")
    assert attempt(account, PASSWORD, address="10.0.0.99").status_code == 429


@pytest.mark.parametrize("form", [{"username": "me"}, {"password": PASSWORD}, {}])
def test_missing_fields_count_as_failures_and_change_nothing_else(app, account, clock, form):
    for _ in range(5):
        response = account.post("/login", data={"csrf_token": csrf(account), **form})
        assert response.status_code in (401, 429)
    assert response.status_code == 429
    assert store_rows(app, "select count(*) from dashboard_users") == [(1,)]


def test_a_request_without_csrf_is_refused_before_counting(app, account, clock):
    for _ in range(6):
        assert account.post("/login", data={"username": "me", "password": "x"}) \
            .status_code == 400
    assert store_rows(app, "select count(*) from login_failures") == [(0,)]


# -- the throttle itself ---------------------------------------------------------------------

def test_retry_after_counts_from_the_limit_th_newest_failure(app):
    clock = Clock()
    throttle = LoginThrottle(app.store, limit=3, window=timedelta(minutes=10), clock=clock)
    for minutes in (0, 2, 4, 6):
        clock.now = datetime(2026, 11, 27, 9, minutes, tzinfo=UTC)
        throttle.failed("me", "1.2.3.4")
    # newest three: 9:02, 9:04, 9:06 -> free again once 9:02 is 10 minutes old
    assert throttle.retry_after("me", "5.6.7.8") == 6 * 60
    assert throttle.retry_after("someone", "1.2.3.4") == 6 * 60
    assert throttle.retry_after("someone", "5.6.7.8") == 0
    clock.now = datetime(2026, 11, 27, 9, 12, 0, 1, tzinfo=UTC)
    assert throttle.retry_after("me", "1.2.3.4") == 0


def test_old_failures_are_dropped_and_long_names_fit(app):
    clock = Clock()
    throttle = LoginThrottle(app.store, clock=clock)
    throttle.failed("x" * 5000, "::ffff:" + "1" * 100)
    clock.advance(minutes=16)
    throttle.failed("me", "1.2.3.4")
    assert store_rows(app, "select username from login_failures") == [("me",)]
