"""The menu editor and the profile library in real Chromium against the sandbox WordPress:
edit the client's menu, preview it, push it, and see it in the client's wp-admin; push a
saved profile to several sites and watch the job finish."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from handoff.storage import Site
from tests.e2e.conftest import log_in
from tests.profiles import PROFILE

pytestmark = pytest.mark.e2e


def watch_csp(page: Page) -> list[str]:
    """Collects every message of the browser about the Content-Security-Policy."""
    blocked: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and blocked.append(message.text))
    return blocked


def admin_menu_names(page: Page) -> list[str]:
    names = page.locator("#adminmenu > li.menu-top .wp-menu-name")
    return [text.strip() for text in names.evaluate_all(
        "nodes => nodes.map(n => n.firstChild ? n.firstChild.textContent : '')")]


def snap(screenshot, page: Page, name: str) -> None:
    """A full-page screenshot from the top, so the sticky toolbar is where it belongs."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name)


def state_of(page: Page, title: str):
    return page.locator("#me-tree").get_by_role("group", name=f"State of {title}", exact=True)


def test_edit_preview_push_then_the_client_sees_the_simplified_menu(
        signed_in_dashboard: Page, fresh_sandbox, screenshot):
    page = signed_in_dashboard
    blocked = watch_csp(page)
    # The whole path a developer takes: add the site by its key, sync, then edit its menu.
    page.get_by_label("Site address").fill(fresh_sandbox.url)
    page.get_by_label("Short name").fill("sandbox")
    page.get_by_label("Connection key").fill(fresh_sandbox.connection_key())
    page.get_by_role("button", name="Add site").click()
    expect(page.get_by_text("Connected sandbox over")).to_be_visible()
    page.get_by_role("button", name="Sync sandbox").click()
    expect(page.get_by_text("Synced sandbox:")).to_be_visible()
    page.get_by_role("link", name="sandbox", exact=True).click()
    page.get_by_role("link", name="Menu", exact=True).click()
    expect(page.get_by_role("heading", name="Menu editor")).to_be_visible()
    expect(page.get_by_text("No menu profile: everyone sees the full menu")).to_be_visible()
    expect(page.locator("#me-tree")).to_contain_text("Posts")

    state_of(page, "Comments").get_by_label("Hidden").check()
    state_of(page, "Tools").get_by_label("Denied").check()
    page.get_by_label("Name shown for Posts", exact=True).fill("News")
    expect(page.locator("#me-dirty")).to_be_visible()
    # Reorder by keyboard: Media one place up, with Alt+↑ from its row.
    page.get_by_label("Name shown for Media", exact=True).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#live-region")).to_contain_text("Media moved to position")
    expect(page.get_by_label("Name shown for Media", exact=True)).to_be_focused()
    # And by drag and drop: Pages to the top, above Dashboard.
    tree = page.locator("#me-tree")
    page.get_by_role("heading", name="Admin menu").evaluate("node => node.scrollIntoView()")
    tree.locator('> li[data-key="edit.php?post_type=page"] > .mi-row .mi-handle').drag_to(
        tree.locator('> li[data-key="index.php"] > .mi-row'), target_position={"x": 40, "y": 4})
    expect(page.locator("#live-region")).to_contain_text("Pages moved to position 1")
    order = tree.locator("> li > .mi-row .mi-title").all_inner_texts()
    assert order[0] == "Pages" and order.index("Media") < order.index("Posts"), order
    # A custom link after Media, and the WordPress logo off the admin bar.
    page.get_by_role("button", name="Add a link").click()
    link = page.locator(".me-link").first
    expect(link.get_by_label("Label")).to_be_focused()
    link.get_by_label("Label").fill("Get help")
    link.get_by_label("Address").fill("https://agency.example/help")
    link.get_by_label("Position").select_option(label="After Media")
    link.get_by_label("Open in a new tab").check()
    page.get_by_label("WordPress logo menu").check()
    snap(screenshot, page, "menu-editor-edit")

    page.get_by_role("tab", name="Preview").click()
    page.get_by_label("Preview as role").select_option("editor")
    page.get_by_role("button", name="Show preview").click()
    preview = page.locator(".wp-menu")
    expect(preview).to_contain_text("News")
    expect(preview).to_contain_text("Get help")
    expect(preview).not_to_contain_text("Comments")
    expect(page.locator(".pv-denied")).to_contain_text("Tools")
    snap(screenshot, page, "menu-editor-preview")

    page.get_by_role("tab", name="Changes").click()
    changes = page.locator("#df-result")
    expect(changes).to_contain_text("The site has no profile yet")
    expect(changes.locator(".df-role").filter(has_text="editor")).to_contain_text("now 'News'")
    # The site's enforcement report: Tools, denied, door by door for the editor role.
    tools_row = page.locator('th:text-is("Tools (tools.php)")')
    doors = changes.locator(".df-doors tbody tr", has=tools_row)
    expect(doors).to_contain_text("role:editor")
    expect(doors.locator("td.df-door")).to_have_count(5)
    snap(screenshot, page, "menu-editor-diff")

    page.get_by_role("button", name="Push to sandbox").click()
    expect(page.locator("#me-status")).to_contain_text("Pushed to sandbox as version 1")
    expect(page.locator("#me-dirty")).to_be_hidden()
    expect(changes).to_contain_text("The site already has exactly this profile (version 1)")
    pushed = page.locator("#df-pushed")
    expect(pushed).to_contain_text("Pushed as version 1. What the site reports it closes now")
    expect(pushed.locator(".df-doors tbody tr", has=tools_row)).to_have_count(1)
    expect(page.locator("#me-status")).to_contain_text("Enforcement:")
    snap(screenshot, page, "menu-editor-pushed")

    page.get_by_role("button", name="Save as reusable profile…").click()
    dialog = page.get_by_role("dialog", name="Save as reusable profile")
    expect(dialog.get_by_label("Name", exact=True)).to_have_value("sandbox-client-co-editor")
    dialog.get_by_label("Name", exact=True).fill("Content-Editor")  # a preset's name, in capitals
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator("#err-sv-name")).to_contain_text("name of a shipped preset")
    screenshot(page, "menu-editor-save-dialog")
    dialog.get_by_label("Name", exact=True).fill("client-basic")
    dialog.get_by_label("Description (optional)").fill("News, pages, media; no tools.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#me-status")).to_contain_text("Saved “client-basic” in the library")
    assert blocked == []

    # The client, in the same browser, logs in to wp-admin and sees the simplified menu.
    log_in(page, fresh_sandbox.client_login, fresh_sandbox.client_password,
           site_url=fresh_sandbox.url)
    names = admin_menu_names(page)
    assert "News" in names and "Posts" not in names, names
    assert "Comments" not in names and "Tools" not in names, names
    assert names.index("Media") < names.index("News"), names
    assert names[names.index("Media") + 1] == "Get help", names
    expect(page.locator("#adminmenu a", has_text="Get help")).to_have_attribute("target",
                                                                              "_blank")
    expect(page.locator("#wpadminbar #wp-admin-bar-wp-logo")).to_have_count(0)
    snap(screenshot, page, "menu-editor-client-wp-admin")
    denied = page.goto(f"{fresh_sandbox.url}/wp-admin/tools.php")
    assert denied.status == 403
    expect(page.get_by_text("not part of your site")).to_be_visible()


def test_a_push_after_a_change_elsewhere_is_a_conflict_not_an_overwrite(
        signed_in_dashboard: Page, synced_sandbox_site, app, screenshot):
    page = signed_in_dashboard
    page.goto("/sites/sandbox/menu")
    page.get_by_label("Name shown for Posts", exact=True).fill("Stories")
    app.menus.push("sandbox", PROFILE)  # someone else pushes meanwhile
    page.get_by_role("button", name="Push to sandbox").click()
    status = page.locator("#me-status")
    expect(status).to_contain_text("has menu profile version 1, not 0")
    expect(status).to_contain_text("Nothing was written.")
    snap(screenshot, page, "menu-editor-conflict")
    assert app.menus.status("sandbox", fresh=False).name == PROFILE["name"]
    status.get_by_role("button", name="Push anyway (replace version 1)").click()
    expect(status).to_contain_text("as version 2")


def test_field_errors_appear_next_to_the_item(signed_in_dashboard: Page, synced_sandbox_site,
                                              screenshot):
    page = signed_in_dashboard
    page.goto("/sites/sandbox/menu")
    page.get_by_label("Name shown for Posts", exact=True).fill("<b>News</b>")
    page.get_by_role("button", name="Push to sandbox").click()
    error = page.locator('#me-tree .mi-error[data-error-key="edit.php"]')
    expect(error).to_contain_text("Name shown: '<b>News</b>' must be plain text, without < or >")
    expect(page.get_by_label("Name shown for Posts", exact=True)).to_have_attribute(
        "aria-invalid", "true")
    expect(page.locator("#me-status")).to_contain_text("1 problem. Nothing was sent")
    page.locator("#me-status").get_by_role("button").click()
    expect(page.get_by_label("Name shown for Posts", exact=True)).to_be_focused()
    snap(screenshot, page, "menu-editor-field-error")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_push_a_saved_profile_to_many_sites_with_live_progress(
        signed_in_dashboard: Page, synced_sandbox_site, app, fresh_sandbox, screenshot):
    page = signed_in_dashboard
    blocked = watch_csp(page)
    app.profiles.save("client-editor", PROFILE, "Pages, news and media for the client.")
    url = f"http://127.0.0.1:{closed_port()}"  # a second site that does not answer
    with app.store.session() as session:
        session.add(Site(name="offline", url=url, rest_url=f"{url}/wp-json/",
                         xmlrpc_url=f"{url}/xmlrpc.php", username="handoff-bridge",
                         secret=app.vault.encrypt("x" * 24), created_at=datetime.now(UTC),
                         environment_type="local"))

    page.get_by_role("link", name="Profiles", exact=True).click()
    expect(page.get_by_role("heading", name="Saved profiles")).to_be_visible()
    snap(screenshot, page, "profiles-library")
    page.get_by_role("link", name="client-editor").click()
    page.get_by_label("sandbox", exact=True).check()
    page.get_by_label("offline", exact=True).check()
    page.get_by_role("button", name="Push to the chosen sites").click()

    card = page.locator(".card.job")
    expect(card.locator('[data-job-field="status"]')).to_have_text("done", timeout=60_000)
    expect(card.get_by_role("row", name="sandbox")).to_contain_text("applied as v1")
    expect(card.get_by_role("row", name="offline")).to_contain_text("failed")
    expect(card.locator('[data-job-field="ok"]')).to_have_text("1")
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "2")
    page.wait_for_function("() => document.getAnimations().length === 0")  # the bar's fill
    snap(screenshot, page, "profiles-bulk-push-progress")
    assert blocked == []
    assert app.menus.status("sandbox", fresh=False).name == PROFILE["name"]
