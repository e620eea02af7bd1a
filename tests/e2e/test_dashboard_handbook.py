"""The Handbook page in real Chromium against the sandbox: intake, preview, PDF, publish."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_build_and_download_the_handbook_pdf(signed_in_dashboard: Page, synced_sandbox_site,
                                             app, screenshot, tmp_path):
    page = signed_in_dashboard
    blocked: list[str] = []  # anything the Content-Security-Policy refused
    page.on("console", lambda message: "Content Security Policy" in message.text
            and blocked.append(message.text))

    page.reload()  # the site was connected after the Sites page was shown
    page.get_by_role("link", name="sandbox", exact=True).click()
    page.get_by_role("navigation", name="sandbox").get_by_role("link", name="Handbook").click()
    expect(page.get_by_role("heading", name="Client intake")).to_be_visible()
    expect(page.locator("#missing-answers")).to_contain_text("still needs")

    intake = page.locator("#intake")
    intake.get_by_label("Organisation name").fill("Sandbox Client Co.")
    intake.get_by_label("Contact person").first.fill("Jane Doe")
    intake.get_by_label("WordPress login").fill("client")
    intake.get_by_label("Business name").fill("Agency Ltd")
    intake.get_by_label("Support e-mail").fill("help at agency")  # wrong: no @
    intake.get_by_label("Support hours").fill("Mon–Fri 9:00–17:00")
    intake.get_by_label("What the client does", exact=True).fill("Writing content")
    intake.get_by_label("How often").fill("daily")
    intake.get_by_label("Update policy").fill("Weekly, tested on staging first")
    page.get_by_role("button", name="Save the intake").click()

    error = page.locator("#intake-developer-email-error")
    expect(error).to_contain_text("must be an e-mail address")
    expect(intake.get_by_label("Business name")).to_have_value("Agency Ltd")  # kept
    assert app.intakes.get(synced_sandbox_site) == {}, "nothing saved while an answer is wrong"
    error.scroll_into_view_if_needed()
    screenshot(page, "dashboard-handbook-error")

    intake.get_by_label("Support e-mail").fill("help@agency.example")
    developer_tasks = intake.locator("#intake-responsibilities-developer-field")
    for _ in range(3):
        developer_tasks.get_by_role("button", name="+ Add a line").click()
    expect(developer_tasks.locator("input")).to_have_count(5)
    expect(developer_tasks.get_by_label("What the developer does, line 5")).to_be_focused()
    developer_tasks.locator("input").nth(0).fill("Updates")
    developer_tasks.get_by_label("What the developer does, line 5").fill("Backups")
    page.get_by_role("button", name="Save the intake").click()
    expect(page.get_by_text("Saved the intake of sandbox.")).to_be_visible()
    expect(page.locator("#missing-answers")).to_have_text(
        "The English handbook has every answer it needs.")
    assert app.intakes.get(synced_sandbox_site)["responsibilities"]["developer"] == \
        ["Updates", "Backups"]
    screenshot(page, "dashboard-handbook-form")

    page.get_by_label("Language", exact=True).select_option("vi")
    expect(page.get_by_role("button", name="Publish: Vietnamese")).to_be_visible()
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Preview — Vietnamese")).to_be_visible()
    frame = page.frame_locator("iframe.handbook-frame")
    expect(frame.locator("h1")).to_contain_text("Sổ tay")
    expect(frame.get_by_role("heading", name="Đăng nhập và tài khoản của bạn")).to_be_visible()
    page.locator("#preview").scroll_into_view_if_needed()
    screenshot(page, "dashboard-handbook-preview")

    download_button = page.locator("button[data-download][value=pdf]")
    expect(download_button).to_have_text("Download PDF")
    with page.expect_download() as caught:
        download_button.click()
        expect(download_button).to_have_text("Building the PDF…")  # busy while it builds
        expect(download_button).to_be_disabled()
    download = caught.value
    assert download.suggested_filename == \
        f"sandbox-handbook-vi-{date.today().isoformat()}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert pdf_pages(saved) >= 5
    expect(download_button).to_have_text("Download PDF")
    expect(download_button).to_be_enabled()

    page.get_by_role("button", name="Publish: Vietnamese").click()
    expect(page.get_by_text(re.compile(r"Published the Vietnamese handbook on sandbox: \d+ "
                                       r"sections\."))).to_be_visible()
    card = page.locator("#publish")
    expect(card.locator(".badge")).to_have_text("Published")
    expect(card).to_contain_text("Vietnamese")
    expect(card).to_contain_text("not yet")
    expect(card.get_by_text("Unpublish…")).to_be_visible()
    assert app.handbooks.status(synced_sandbox_site)["language"] == "vi"
    card.scroll_into_view_if_needed()
    screenshot(page, "dashboard-handbook-published")
    assert blocked == []
