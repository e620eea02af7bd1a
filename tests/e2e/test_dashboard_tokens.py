"""API tokens in real Chromium: create one (shown once, copied), use it, revoke it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from handoff.web.accounts import Accounts
from tests.e2e.conftest import DASHBOARD_PASSWORD, DASHBOARD_USER, TIMEOUT_MS

pytestmark = pytest.mark.e2e


@pytest.fixture
def tokens_page(app, browser, dashboard) -> Iterator[Page]:
    """A logged-in dashboard page allowed to use the clipboard."""
    context = browser.new_context(base_url=dashboard, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dashboard)
    context.set_default_timeout(TIMEOUT_MS)
    Accounts(app).create_user(DASHBOARD_USER, DASHBOARD_PASSWORD, DASHBOARD_PASSWORD)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("User name").fill(DASHBOARD_USER)
    page.get_by_label("Password").fill(DASHBOARD_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Sites", exact=True)).to_be_visible()
    try:
        yield page
    finally:
        context.close()


def api_status(dashboard: str, token: str) -> int:
    return requests.get(f"{dashboard}/api/v1/sites", timeout=10,
                        headers={"Authorization": f"Bearer {token}"}).status_code


def test_create_copy_use_and_revoke_a_token(tokens_page: Page, dashboard, screenshot):
    page = tokens_page
    blocked: list[str] = []  # anything the Content-Security-Policy refused
    page.on("console", lambda message: "Content Security Policy" in message.text
            and blocked.append(message.text))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", exact=True)).to_be_visible()
    expect(page.get_by_text("No API tokens yet.")).to_be_visible()

    page.get_by_role("button", name="Create token").click()  # no name
    expect(page.locator("#name-error")).to_contain_text("needs a name")
    expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Name", exact=True).fill("monitoring")
    page.get_by_label("Name", exact=True).press("Enter")
    token_field = page.get_by_label("The new token")
    expect(token_field).to_be_focused()  # ready to copy with the keyboard
    token = token_field.input_value()
    assert token.startswith("hdf_") and len(token) > 40
    # The Copy button is hidden until tokens.js (deferred) has run, and the field is focused
    # before that: a Tab pressed earlier (a loaded machine) would skip it. Wait for the state.
    copy = page.locator('button[data-copy="new-token"]')
    expect(copy).to_be_visible()
    expect(token_field).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Copy")).to_be_focused()
    page.keyboard.press("Enter")
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == token
    expect(page.locator("#live-region")).to_have_text("The token is copied to the clipboard.")
    screenshot(page, "dashboard-token-created")
    assert api_status(dashboard, token) == 200

    page.goto("/tokens")  # shown once: never again
    assert token not in page.content()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="monitoring"))
    expect(row).to_contain_text(token[:8] + "…")

    row.get_by_role("link", name="Revoke monitoring").click()
    expect(page.get_by_role("heading", name="Revoke the token “monitoring”?")).to_be_visible()
    screenshot(page, "dashboard-token-revoke")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("Revoked the API token 'monitoring'")).to_be_visible()
    expect(page.get_by_text("No API tokens yet.")).to_be_visible()
    assert api_status(dashboard, token) == 401
    assert blocked == []


def test_cancel_keeps_the_token(app, tokens_page: Page, dashboard):
    token = Accounts(app).create_token("ci")
    page = tokens_page
    page.goto("/tokens")
    page.get_by_role("link", name="Revoke ci").click()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("rowheader", name="ci")).to_be_visible()
    assert api_status(dashboard, token) == 200
