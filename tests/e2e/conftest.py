"""Browser fixtures: Debian's Chromium driven by Playwright against the sandbox WordPress.

One browser per session; every test gets a fresh context (no cookies, no storage) and a
page in it. Nothing is downloaded: Playwright's own browsers are never used.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from werkzeug.serving import make_server

from handoff.sandbox import Sandbox
from handoff.web import create_app
from handoff.web.accounts import Accounts

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 20_000
DASHBOARD_USER = "freelancer"
DASHBOARD_PASSWORD = "a long dashboard password"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    runner = sync_playwright().start()
    try:
        yield runner
    finally:
        runner.stop()


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; closed at the end of the session whatever happens."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run `make setup` (installs Debian's chromium)")
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                          args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def context(browser, fresh_sandbox) -> Iterator[BrowserContext]:
    """A fresh browser profile for one test, on a freshly reset WordPress."""
    ctx = browser.new_context(base_url=fresh_sandbox.url,
                              viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=fresh_sandbox.url)
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


def log_in(page: Page, login: str, password: str, site_url: str = "") -> None:
    """Sign in through WordPress's real login form and land on the dashboard.

    `site_url` when the page's base URL is not the site's (the dashboard's tests).
    """
    page.goto(f"{site_url}/wp-login.php")
    # wp-login.php focuses a field 200 ms after load and may empty the password then:
    # fill the form once that has happened, or it can submit an empty password.
    with contextlib.suppress(PlaywrightTimeoutError):  # autofocus off: nothing empties them
        page.wait_for_function(
            "document.activeElement && document.activeElement.id.startsWith('user_')",
            timeout=3000)
    page.get_by_label("Username or Email Address").fill(login)
    page.locator("#user_pass").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log In").click()
    if not re.search(r"/wp-admin/?$", page.url):
        error = page.locator("#login_error")
        detail = error.inner_text() if error.count() else page.url
        raise AssertionError(f"logging in as {login} failed: {detail}")


@pytest.fixture
def admin_page(page, fresh_sandbox: Sandbox) -> Page:
    """A page signed in as the site's administrator."""
    log_in(page, fresh_sandbox.admin_login, fresh_sandbox.admin_password)
    return page


@pytest.fixture
def client_page(page, fresh_sandbox: Sandbox) -> Page:
    """A page signed in as the client (an editor)."""
    log_in(page, fresh_sandbox.client_login, fresh_sandbox.client_password)
    return page


@pytest.fixture
def screenshot():
    """Save a full-page screenshot of a screen state to tests/e2e/artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return save


# -- the dashboard ---------------------------------------------------------------------

@pytest.fixture
def dashboard(app) -> Iterator[str]:
    """The dashboard on a free loopback port, served from a thread; always shut down."""
    server = make_server("127.0.0.1", 0, create_app(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def dashboard_page(browser, dashboard) -> Iterator[Page]:
    context = browser.new_context(base_url=dashboard, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def signed_in_dashboard(app, dashboard_page) -> Page:
    """A dashboard page logged in through the real form (the login created directly)."""
    Accounts(app).create_user(DASHBOARD_USER, DASHBOARD_PASSWORD, DASHBOARD_PASSWORD)
    page = dashboard_page
    page.goto("/login")
    page.get_by_label("User name").fill(DASHBOARD_USER)
    page.get_by_label("Password").fill(DASHBOARD_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Sites", exact=True)).to_be_visible()
    return page


@pytest.fixture
def synced_sandbox_site(app, fresh_sandbox) -> str:
    """The sandbox connected as site "sandbox" and synced; returns the name."""
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="sandbox")
    app.sites.sync("sandbox")
    return "sandbox"
