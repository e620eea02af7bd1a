"""The dashboard in real Chromium against the sandbox: login, add a site, sync, its menu."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from handoff.web import create_app
from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

PASSWORD = "a long dashboard password"


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


def test_add_sync_and_inspect_the_sandbox_site(dashboard_page: Page, fresh_sandbox, screenshot):
    page = dashboard_page
    blocked: list[str] = []  # anything the Content-Security-Policy refused
    page.on("console", lambda message: "Content Security Policy" in message.text
            and blocked.append(message.text))

    page.goto("/")
    expect(page.get_by_role("heading", name="Create the dashboard's login")).to_be_visible()
    page.get_by_label("User name").fill("freelancer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    screenshot(page, "dashboard-setup")
    page.get_by_role("button", name="Create login").click()

    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("User name").fill("freelancer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Sites", exact=True)).to_be_visible()
    expect(page.get_by_text("No sites yet.")).to_be_visible()

    page.get_by_label("Site address").fill(fresh_sandbox.url)
    page.get_by_label("Short name").fill("sandbox")
    page.get_by_label("Connection key").fill("handoff1.garbage")
    page.get_by_role("button", name="Add site").click()
    expect(page.locator("#key-error")).to_contain_text("connection key")
    screenshot(page, "dashboard-add-error")

    page.get_by_label("Connection key").fill(fresh_sandbox.connection_key())
    page.get_by_role("button", name="Add site").click()
    expect(page.get_by_text("Connected sandbox over")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="sandbox"))
    expect(row).to_contain_text(fresh_sandbox.url)

    page.get_by_role("button", name="Sync sandbox").click()
    expect(page.get_by_text("Synced sandbox:")).to_be_visible()
    expect(row).to_contain_text("just now")
    screenshot(page, "dashboard-sites")

    row.get_by_role("link", name="sandbox").click()
    expect(page.get_by_role("heading", name="sandbox", exact=True)).to_be_visible()
    menu = page.locator(".menu-tree")
    expect(menu).to_contain_text("Sandbox Reports")
    expect(page.get_by_role("rowheader", name="Handoff Companion")).to_be_visible()
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="as editor sees it")).to_be_visible()
    expect(menu).to_contain_text("Sandbox Reports")
    screenshot(page, "dashboard-site-detail")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert blocked == []
