"""The Handover page in real Chromium against the sandbox: run the check, waive, sign, download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

CHECK_TIMEOUT_MS = 90_000  # the check syncs, reads the site's health and probes its URLs


def downloaded(page: Page, click) -> tuple[str, bytes]:
    """The suggested file name and the bytes of the download a click starts."""
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_run_the_handover_check_and_waive_an_item(signed_in_dashboard: Page,
                                                  synced_sandbox_site, screenshot):
    page = signed_in_dashboard
    blocked: list[str] = []  # anything the Content-Security-Policy refused
    page.on("console", lambda message: "Content Security Policy" in message.text
            and blocked.append(message.text))

    page.goto(f"/sites/{synced_sandbox_site}")
    page.get_by_role("navigation", name=synced_sandbox_site).get_by_role(
        "link", name="Handover").click()
    expect(page.get_by_role("heading", name="Not checked yet")).to_be_visible()

    # The check runs in the background: progress first, then the results in place.
    url_before = page.url
    page.get_by_role("button", name="Run check").click()
    expect(page.locator(".card.job")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    verdict = page.locator("#verdict-heading")
    expect(verdict).to_have_text("Blocked", timeout=CHECK_TIMEOUT_MS)
    expect(verdict).to_be_focused()
    assert page.url == url_before  # no reload
    expect(page.locator(".card.job")).to_have_count(0)  # done: the results replace it
    debug = page.locator("#item-debug-off")
    expect(debug.locator(".hstatus")).to_have_text("Fail")
    expect(debug).to_contain_text("WP_DEBUG")
    expect(debug.locator(".sev")).to_have_text("blocker")
    expect(page.get_by_role("heading", name="Ownership and credentials")).to_be_visible()
    screenshot(page, "dashboard-handover-checklist")

    # Waive: an empty reason is refused next to the field, nothing saved.
    debug.locator("summary", has_text="Waive").click()
    debug.get_by_role("button", name="Waive", exact=True).click()
    error = page.locator("#waive-reason-debug-off-error")
    expect(error).to_have_text("Say why it is waived.")
    reason = page.locator("#waive-reason-debug-off")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    screenshot(page, "dashboard-handover-error")

    reason.fill("A development copy: the live site runs with WP_DEBUG off.")
    page.locator("#item-debug-off").get_by_role("button", name="Waive", exact=True).click()
    debug = page.locator("#item-debug-off")
    expect(debug.locator(".hstatus")).to_have_text("Waived")
    expect(debug).to_contain_text("Waived by freelancer")
    expect(page.locator("#title-debug-off")).to_be_focused()
    expect(page.locator(".count-waived")).to_have_text(re.compile(r"1\s+Waived"))
    expect(page.locator("#live-region")).to_contain_text("Debug mode is off: waived.")

    # Sign off a manual item, by the dashboard user (prefilled).
    restore = page.locator("#item-restore-tested")
    restore.locator("summary", has_text="Sign off").click()
    expect(page.locator("#sign-by-restore-tested")).to_have_value("freelancer")
    page.locator("#sign-note-restore-tested").fill("Restored to staging on Monday")
    restore.get_by_role("button", name="Sign off", exact=True).click()
    restore = page.locator("#item-restore-tested")
    expect(restore.locator(".hstatus")).to_have_text("Signed off")
    expect(page.locator(".count-signed")).to_have_text(re.compile(r"1\s+Signed off"))
    expect(verdict).to_have_text("Blocked")  # other blockers are still open
    expect(page.locator(".blockers")).not_to_contain_text("A restore from backup")
    history = page.locator("table.history")
    expect(history).to_contain_text("Restored to staging on Monday")
    expect(history).to_contain_text("A development copy")
    page.locator("#item-debug-off").scroll_into_view_if_needed()
    screenshot(page, "dashboard-handover-after-waiver")

    # Complete is refused while Blocked, with the core's message next to the form.
    page.get_by_role("button", name="Complete handover").click()
    expect(page.locator("#complete-error")).to_contain_text("is Blocked by:")

    # Open only: what is left to deal with.
    page.get_by_role("link", name=re.compile(r"^Open only")).click()
    expect(page.locator("#item-debug-log")).to_be_visible()
    expect(page.locator("#item-debug-off")).to_have_count(0)  # waived: no longer open
    screenshot(page, "dashboard-handover-open-only")

    # Downloads: the report as PDF, and the parting letter with its options.
    name, body = downloaded(page, lambda: page.get_by_role("link", name="PDF report").click())
    assert name == "sandbox-handover-report.pdf" and body.startswith(b"%PDF")
    page.get_by_label("Parting letter").check()
    page.get_by_label("Short reason").fill("we are closing our practice")
    page.get_by_label("Final day of work").fill("2027-01-31")
    page.get_by_label("Recommend").fill("Another Studio")
    page.get_by_label("Format").select_option("html")
    name, body = downloaded(page, lambda: page.get_by_role(
        "button", name="Download letter").click())
    assert name == "sandbox-parting-letter.html"
    assert b"31 January 2027" in body and b"Another Studio" in body
    assert blocked == []
