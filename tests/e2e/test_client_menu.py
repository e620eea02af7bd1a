"""The client's wp-admin in Chromium before and after a menu profile is pushed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.profiles import EXPECTED_TOP, PROFILE

pytestmark = pytest.mark.e2e


def menu_names(page) -> list[str]:
    names = page.locator("#adminmenu > li.menu-top .wp-menu-name")
    return [text.strip() for text in names.evaluate_all(
        "nodes => nodes.map(n => n.firstChild ? n.firstChild.textContent : '')")]


def test_the_client_dashboard_before_and_after(client_page, fresh_sandbox, app, screenshot):
    page = client_page
    page.goto("/wp-admin/")
    before = menu_names(page)
    assert {"Tools", "Sandbox Reports", "Portfolio"} <= set(before)
    screenshot(page, "menu-01-client-before")

    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.sites.sync("s")
    app.menus.push("s", PROFILE)

    page.goto("/wp-admin/")
    assert menu_names(page) == EXPECTED_TOP
    expect(page.locator("#wpadminbar #wp-admin-bar-wp-logo")).to_have_count(0)
    expect(page.get_by_text("Edit your pages under Our pages.")).to_be_visible()
    help_link = page.locator("#adminmenu a", has_text="Get help")
    expect(help_link).to_have_attribute("target", "_blank")
    expect(help_link).to_have_attribute("rel", "noopener noreferrer")
    screenshot(page, "menu-02-client-after")

    response = page.goto("/wp-admin/admin.php?page=sandbox-reports")
    assert response.status == 403
    expect(page.get_by_text("not part of your site")).to_be_visible()
    expect(page.get_by_role("link", name="help@agency.example")).to_be_visible()
    screenshot(page, "menu-03-denied-screen")

    # Keyboard: the renamed items are reachable and open their screens.
    page.goto("/wp-admin/")
    page.locator("#adminmenu a", has_text="Our pages").first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{fresh_sandbox.url}/wp-admin/edit.php?post_type=page")
