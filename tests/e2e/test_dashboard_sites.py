"""The dashboard in real Chromium against the sandbox: login, add a site, sync, its menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DASHBOARD_PASSWORD as PASSWORD

pytestmark = pytest.mark.e2e


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


def test_the_sites_list_shows_drift_and_filters(app, signed_in_dashboard: Page,
                                                synced_sandbox_site, screenshot):
    page = signed_in_dashboard
    profile = app.menus.pull(synced_sandbox_site, role="editor", profile_name="Client")
    left_out = profile["menu"].pop()["slug"]  # a menu item the profile will not name
    app.menus.push(synced_sandbox_site, profile)
    app.sites.tag(synced_sandbox_site, add=["retainer"])

    page.goto("/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="sandbox",
                                                              exact=True))
    expect(row).to_contain_text("Client")
    page.get_by_role("button", name="Sync sandbox").click()  # the sync counts the drift
    expect(page.get_by_text("Synced sandbox:")).to_be_visible()
    drift = app.sites.get(synced_sandbox_site).menu_drift
    assert drift >= 1 and left_out in [item.slug for item in
                                       app.menus.status(synced_sandbox_site).drift]
    expect(row).to_contain_text(f"drift {drift}")
    expect(row).to_contain_text("Not published")
    expect(row).to_contain_text("Not checked")

    page.get_by_label("Tag", exact=True).select_option("retainer")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("table")).to_contain_text("1 site tagged retainer")
    page.get_by_label("Search").fill("nothing-like-this")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("No site matches “nothing-like-this”")).to_be_visible()
    page.get_by_role("link", name="Clear filters").click()
    expect(row).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one card per site
    expect(row.locator('td[data-label="Handover"]')).to_be_visible()
    screenshot(page, "dashboard-sites-narrow")
