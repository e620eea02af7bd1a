"""The client opens the Site Handbook in Chromium and searches it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.bench.handbook import INTAKE

pytestmark = pytest.mark.e2e


def test_the_client_reads_and_searches_the_handbook(client_page, fresh_sandbox, app,
                                                    screenshot):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", INTAKE)
    book = app.handbooks.build("s")
    app.handbooks.publish("s", book)

    page = client_page
    page.goto("/wp-admin/")
    page.locator("#adminmenu a", has_text="Site Handbook").first.click()
    expect(page.get_by_role("heading", name=book.chapters[0].title)).to_be_visible()
    screenshot(page, "handbook-01-client-screen")

    search = page.locator("input[type=search]").first
    search.fill("password")
    expect(page.get_by_text("password", exact=False).first).to_be_visible()
    # The search runs as the client types: wait until the matching sections replace the
    # chapters.
    shown = page.wait_for_function(
        """() => {
            const chapters = [...document.querySelectorAll('#handoff-handbook-content section')];
            const results = document.querySelectorAll('.handoff-handbook-results > li').length;
            return results > 0 && chapters.every(s => s.offsetParent === null) ? results : false;
        }""").json_value()
    assert shown > 0, "search shows the matching sections instead of the handbook"
    expect(page.locator("#handoff-handbook-status")).not_to_be_empty()
    screenshot(page, "handbook-02-search")
    assert app.handbooks.status("s")["first_view"]["user_login"] == "client"
