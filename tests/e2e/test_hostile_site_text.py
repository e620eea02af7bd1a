"""A hostile site's text in the handbook, report and letters: Chromium runs none of it.

The documents are opened as the files we hand out. Every link is clicked; a link that leaves
the page is answered 204 (the browser stays), so the next one can be clicked too. A control
link appended by the test proves that javascript: links do run here, and that the clicks
before it had their turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from tests.e2e.conftest import TIMEOUT_MS
from tests.hostile_site import EVERY_PAYLOAD, PAYLOADS, hostile_documents

pytestmark = pytest.mark.e2e


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """The documents we hand out, built from a site whose every text is every payload."""
    hostile = hostile_documents(EVERY_PAYLOAD)
    documents = {"handbook": hostile.book.html_document().encode(),
                 "report": hostile.report_file("html"),
                 "handover-letter": hostile.letter("html"),
                 "parting-letter": hostile.letter("html", parting=True)}
    paths = {}
    for name, body in documents.items():
        paths[name] = tmp_path / f"{name}.html"
        paths[name].write_bytes(body)
    return paths


@pytest.fixture
def offline(browser, files) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A browser profile that loads our documents only: any other request is recorded and
    answered 204, so a click on a link leaves the page where it is."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    documents = {path.as_uri() for path in files.values()}
    requested: list[str] = []

    def answer(route: Route) -> None:
        if route.request.url in documents:
            route.continue_()
            return
        requested.append(route.request.url)
        route.fulfill(status=204)

    context.route("**/*", answer)
    try:
        yield context, requested
    finally:
        context.close()


def click_every_link(page: Page, url: str) -> int:
    links = page.locator("a")
    count = links.count()
    for index in range(count):
        links.nth(index).click(no_wait_after=True)
        if page.url.split("#")[0] != url:
            page.goto(url)
    return count


def run_control(page: Page) -> None:
    page.evaluate("""() => { const a = document.createElement('a');
        a.id = 'control'; a.href = 'javascript:window.__control = 1'; a.textContent = 'control';
        document.body.append(a); }""")
    page.locator("#control").click()
    page.wait_for_function("window.__control === 1")


@pytest.mark.parametrize("name", ["handbook", "report", "handover-letter", "parting-letter"])
def test_no_script_from_site_text_runs_when_every_link_is_clicked(offline, files, name):
    context, requested = offline
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = files[name].as_uri()
    page.goto(url, wait_until="load")
    clicked = click_every_link(page, url)
    run_control(page)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert not [seen for seen in requested if not seen.startswith(("https://client.example",
                                                                   "mailto:", "tel:"))]
    text = " ".join(page.locator("body").inner_text().split())
    for payload in PAYLOADS.values():
        assert " ".join(payload.split()) in text, payload
    if name == "handbook":
        assert clicked > 0  # its contents are links
