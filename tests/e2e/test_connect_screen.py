"""Settings → Handoff in a real browser: connect, copy, rotate, disconnect, refusals, keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from handoff.core.inventory import menu_titles

pytestmark = pytest.mark.e2e

CONNECT_HREF = "options-general.php?page=handoff-companion"  # as the admin menu links it
CONNECT_PATH = f"/wp-admin/{CONNECT_HREF}"
BRIDGE_LOGIN = "handoff-bridge"
NOT_ALLOWED = "Sorry, you are not allowed to access this page."
EXPIRED = "The link you followed has expired."


def open_from_menu(page: Page) -> None:
    """Settings → Handoff through the admin menu, as a person would."""
    page.locator("#menu-settings > a").click()
    page.wait_for_url("**/wp-admin/options-general.php")
    page.locator("#menu-settings .wp-submenu").get_by_role("link", name="Handoff",
                                                           exact=True).click()
    page.wait_for_url(lambda url: url.endswith(CONNECT_PATH))


def status(page: Page):
    return page.locator("#handoff-status")


def press_and_read_key(page: Page, button: str) -> str:
    """Press Connect (or Create a new connection key) and return the key the page shows."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    key = page.get_by_label("Connection key").input_value()
    assert key.startswith("handoff1."), key
    return key


def bridge_exists(sandbox) -> bool:
    return sandbox.php(f"echo username_exists('{BRIDGE_LOGIN}') ? 'yes' : 'no';") == "yes"


def assert_refused(diagnosis) -> None:
    assert not diagnosis.ok, diagnosis.summary()
    error = diagnosis.blocking_error()
    assert error is not None and error.code == "wrong_password", diagnosis.summary()


def test_connect_copy_and_hand_the_key_to_the_backend(admin_page, fresh_sandbox, app,
                                                      screenshot):
    page = admin_page
    open_from_menu(page)
    expect(page.get_by_role("heading", name="Handoff", level=1)).to_be_visible()
    expect(status(page)).to_have_text("Not connected.")
    expect(page.get_by_role("button", name="Disconnect")).to_have_count(0)
    screenshot(page, "01-not-connected")

    key = press_and_read_key(page, "Connect to Handoff")
    expect(page.locator(".handoff-key")).to_contain_text("It is shown only once")
    expect(page.locator(".handoff-key pre")).to_have_text(
        f"handoff site add {fresh_sandbox.url} --key -")
    expect(status(page)).to_have_text(f"Connected as the user {BRIDGE_LOGIN}.")
    copy = page.locator("#handoff-copy")
    expect(copy).to_have_text("Copy key")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == key
    expect(page.get_by_role("button", name="Create a new connection key")).to_be_visible()
    screenshot(page, "02-connected-key-shown")

    app.sites.add(key, fresh_sandbox.url, name="site")
    inventory = app.sites.sync("site")
    assert "Settings › Handoff" in menu_titles(inventory["admin_menu"]["full"])

    page.goto(CONNECT_PATH)
    expect(status(page)).to_have_text(f"Connected as the user {BRIDGE_LOGIN}.")
    expect(page.get_by_label("Connection key")).to_have_count(0)
    assert key not in page.content()
    expect(page.locator(".form-table")).to_contain_text("ago, from 127.0.0.1")
    screenshot(page, "03-connected-after-reload")


def test_a_new_key_replaces_the_old_one(admin_page, fresh_sandbox, app, screenshot):
    page = admin_page
    page.goto(CONNECT_PATH)
    old = press_and_read_key(page, "Connect to Handoff")
    app.sites.add(old, fresh_sandbox.url, name="site")

    expect(page.get_by_text("A new key replaces the old one")).to_be_visible()
    new = press_and_read_key(page, "Create a new connection key")
    assert new != old
    expect(status(page)).to_have_text(f"Connected as the user {BRIDGE_LOGIN}.")
    screenshot(page, "04-rotated-key-shown")

    assert_refused(app.sites.check("site"))
    app.sites.add(new, fresh_sandbox.url, name="site", replace=True)
    assert app.sites.check("site").ok


def test_disconnect_asks_first_and_then_cuts_the_backend_off(admin_page, fresh_sandbox, app,
                                                             screenshot):
    page = admin_page
    page.goto(CONNECT_PATH)
    key = press_and_read_key(page, "Connect to Handoff")
    app.sites.add(key, fresh_sandbox.url, name="site")
    page.goto(CONNECT_PATH)

    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST"
            else None)
    # Without the confirmation ticked, the browser does not send the form...
    page.get_by_role("button", name="Disconnect").click()
    page.wait_for_load_state("networkidle")
    assert posts == [], "an unconfirmed Disconnect must not submit the form"
    # ...and a form sent without it anyway (no HTML5 validation) is refused by the server.
    page.locator("input[name=handoff_confirm]").evaluate("box => box.required = false")
    with page.expect_navigation():
        page.get_by_role("button", name="Disconnect").click()
    expect(page.locator(".notice-error")).to_contain_text("Tick the box to confirm")
    expect(status(page)).to_have_text(f"Connected as the user {BRIDGE_LOGIN}.")
    assert bridge_exists(fresh_sandbox)
    assert app.sites.check("site").ok

    page.get_by_label("I understand that the backend loses access to this site.").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Disconnect").click()
    expect(page.locator(".notice-success")).to_contain_text(
        "Disconnected. The Handoff backend can no longer reach this site")
    expect(status(page)).to_have_text("Not connected.")
    expect(page.get_by_role("button", name="Disconnect")).to_have_count(0)
    expect(page.get_by_role("button", name="Connect to Handoff")).to_be_visible()
    screenshot(page, "05-disconnected")

    assert not bridge_exists(fresh_sandbox)
    assert_refused(app.sites.check("site"))


def test_the_client_can_neither_see_nor_open_the_screen(client_page, fresh_sandbox,
                                                        screenshot):
    page = client_page
    expect(page.locator("#adminmenu")).to_contain_text("Posts")  # the menu is there
    expect(page.locator(f'#adminmenu a[href$="{CONNECT_HREF}"]')).to_have_count(0)
    expect(page.locator("#menu-settings")).to_have_count(0)

    response = page.goto(CONNECT_PATH)
    assert response is not None and response.status == 403
    expect(page.locator("body")).to_contain_text(NOT_ALLOWED)
    expect(page.get_by_role("button", name="Connect to Handoff")).to_have_count(0)
    screenshot(page, "06-client-not-allowed")

    posted = page.evaluate(
        """async (path) => {
            const form = new FormData();
            form.append('_wpnonce', 'abcdef0123');
            form.append('handoff_action', 'connect');
            const response = await fetch(path, {method: 'POST', body: form,
                                                credentials: 'same-origin'});
            return {status: response.status, text: await response.text()};
        }""", CONNECT_PATH)
    assert posted["status"] == 403 and NOT_ALLOWED in posted["text"]
    assert not bridge_exists(fresh_sandbox)


POST_FORM = """async ([path, nonce]) => {
    const form = new FormData();
    form.append('_wpnonce', nonce);
    form.append('_wp_http_referer', path);
    form.append('handoff_action', 'connect');
    const response = await fetch(path, {method: 'POST', body: form, credentials: 'same-origin'});
    return {status: response.status, text: await response.text()};
}"""


def test_a_forged_post_is_refused_and_creates_nothing(admin_page, fresh_sandbox, screenshot):
    page = admin_page
    page.goto(CONNECT_PATH)
    real_nonce = page.locator("form:has(#handoff-connect) input[name=_wpnonce]").input_value()
    forged = "0" * len(real_nonce)
    assert forged != real_nonce

    refused = page.evaluate(POST_FORM, [CONNECT_PATH, forged])
    assert refused["status"] == 403 and EXPIRED in refused["text"], refused["status"]
    assert "handoff1." not in refused["text"]
    assert not bridge_exists(fresh_sandbox)

    # The same form, nonce tampered with in the page and submitted by the button.
    page.locator("form:has(#handoff-connect) input[name=_wpnonce]").evaluate(
        "(field, value) => { field.value = value; }", forged)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Connect to Handoff").click()
    assert answer.value.status == 403
    expect(page.locator("body")).to_contain_text(EXPIRED)
    screenshot(page, "07-forged-post-refused")
    assert not bridge_exists(fresh_sandbox)

    # Control: the very same request with the page's own nonce does connect.
    accepted = page.evaluate(POST_FORM, [CONNECT_PATH, real_nonce])
    assert accepted["status"] == 200 and "handoff1." in accepted["text"]
    assert bridge_exists(fresh_sandbox)


def test_connect_works_from_the_keyboard(admin_page, screenshot):
    page = admin_page
    page.goto(CONNECT_PATH)
    page.get_by_role("heading", name="Handoff", level=1).click()  # start of the tab sequence
    button = page.get_by_role("button", name="Connect to Handoff")
    for _ in range(10):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the Connect button")
    assert button.evaluate("element => element.matches(':focus-visible')")
    ring = button.evaluate("element => getComputedStyle(element).boxShadow")
    assert ring not in ("", "none"), "the focused button shows no focus ring"
    screenshot(page, "08-connect-button-focused")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_label("Connection key").input_value().startswith("handoff1.")
    expect(status(page)).to_have_text(f"Connected as the user {BRIDGE_LOGIN}.")
