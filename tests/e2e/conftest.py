"""Browser fixtures: Debian's Chromium driven by Playwright against the sandbox WordPress.

One browser per session; every test gets a fresh context (no cookies, no storage) and a
page in it. Nothing is downloaded: Playwright's own browsers are never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from handoff.sandbox import Sandbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 20_000


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


def log_in(page: Page, login: str, password: str) -> None:
    """Sign in through WordPress's real login form and land on the dashboard."""
    page.goto("/wp-login.php")
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
