"""The client searches a real Site Handbook, in Chromium and without JavaScript.

Each language's handbook is built by the backend from the sandbox (its client, an editor,
allowed to change menus so that the handbook has a Menus chapter) and published; every query
of tests/php/fixtures/handbook-search-cases.json must bring its section first, as typed in
the search box and as `?s=` answered by the server, and both must rank the same first sections.

    python -m tests.e2e.test_handbook_search

writes the same handbooks to tests/php/fixtures/handbook-LANG.html for the PHPUnit test.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.bench.handbook import INTAKE
from tests.helpers import wp_login

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "php" / "fixtures"
CASES = json.loads((FIXTURES / "handbook-search-cases.json").read_text(encoding="utf-8"))
LANGUAGES = ("en", "vi", "zh")
SCREEN = "/wp-admin/admin.php?page=handoff-handbook"
RESULT = re.compile(
    r'<li class="handoff-handbook-result" data-handoff-section="([^"]*)">\s*'
    r'(?:<p class="handoff-handbook-result-chapter">.*?</p>\s*)?<h[23][^>]*>(.*?)</h[23]>', re.S)
TOP = 5


def build_handbook(app, sandbox, language: str, name: str = "s"):
    """The handbook the backend builds for the sandbox's client in a language."""
    sandbox.php("get_role( 'editor' )->add_cap( 'edit_theme_options' );")
    if name not in [site.name for site in app.sites.list()]:
        app.sites.add(sandbox.connection_key(), sandbox.url, name=name)
    app.intakes.save(name, {**INTAKE, "language": language})
    return app.handbooks.build(name, language=language)


def top_on_the_server(session, base_url: str, query: str) -> list[tuple[str, str]]:
    """The chapter and heading of the first results of `?s=query`, as the server answers."""
    page = session.get(f"{base_url}{SCREEN}&{urlencode({'s': query})}", timeout=30)
    page.raise_for_status()
    return [(chapter, html.unescape(re.sub(r"<[^>]+>", "", heading)).strip())
            for chapter, heading in RESULT.findall(page.text)[:TOP]]


def top_in_the_browser(page, query: str) -> dict:
    """The first results once the query is typed and submitted (the script answers at once)."""
    search = page.get_by_label("Search the handbook")
    search.fill(query)
    search.press("Enter")
    return page.evaluate("""top => {
        const items = [...document.querySelectorAll('.handoff-handbook-results > li')];
        return {
            top: items.slice(0, top).map(item => [item.getAttribute('data-handoff-section'),
                                                  item.querySelector('h2, h3').textContent.trim()]),
            marks: items.length ? items[0].querySelectorAll('mark').length : 0,
            status: document.getElementById('handoff-handbook-status').textContent,
        };
    }""", TOP)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_query_finds_its_section_first(language, client_page, fresh_sandbox, app,
                                            screenshot):
    book = build_handbook(app, fresh_sandbox, language)
    app.handbooks.publish("s", book)
    page = client_page
    page.goto(SCREEN)
    expect(page.get_by_role("heading", name=book.chapters[0].title).first).to_be_visible()
    session = wp_login(fresh_sandbox.url, fresh_sandbox.client_login,
                       fresh_sandbox.client_password)

    wrong = []
    for case in CASES[language]:
        expected = (case["chapter"], case["heading"])
        shown = top_in_the_browser(page, case["query"])
        if not shown["top"] or tuple(shown["top"][0]) != expected or not shown["marks"]:
            wrong.append(f"browser {case['query']!r}: {shown}")
        served = top_on_the_server(session, fresh_sandbox.url, case["query"])
        if [tuple(item) for item in shown["top"]] != served:
            wrong.append(f"server {case['query']!r}: {served}, browser: {shown['top']}")
    screenshot(page, f"handbook-search-{language}")
    assert not wrong, f"expected sections not first, or not the same on both sides: {wrong}"


def test_results_replace_the_handbook_and_clearing_brings_it_back(client_page, fresh_sandbox,
                                                                 app):
    app.handbooks.publish("s", build_handbook(app, fresh_sandbox, "en"))
    page = client_page
    page.goto(SCREEN)
    shown = top_in_the_browser(page, "menu")
    assert shown["top"][0][0] == "menus"
    results = page.locator(".handoff-handbook-results > li")
    assert results.count() < 20, "sections, not whole chapters"
    expect(page.locator(".handoff-handbook-section").first).to_be_hidden()
    expect(page.locator(".handoff-handbook-toc")).to_be_hidden()
    expect(page.locator("#handoff-handbook-status")).to_have_text(
        f"Sections matching: {results.count()}")

    page.get_by_label("Search the handbook").press("Escape")
    expect(page.locator(".handoff-handbook-section").first).to_be_visible()
    expect(page.locator(".handoff-handbook-results")).to_be_hidden()

    shown = top_in_the_browser(page, "zzzz qqqq")
    assert shown["top"] == [] and shown["status"] == "No section matches. Try another word."


def write_fixtures() -> None:
    """Build each language's handbook from a throwaway sandbox into tests/php/fixtures."""
    from tests.bench.sandbox_site import connected_sandbox

    with connected_sandbox() as (sandbox, app):
        for language in LANGUAGES:
            book = build_handbook(app, sandbox, language, name="bench")
            (FIXTURES / f"handbook-{language}.html").write_text(book.body_html(),
                                                                encoding="utf-8")
            print(f"handbook-{language}.html: {len(book.body_html())} bytes", file=sys.stderr)


if __name__ == "__main__":
    write_fixtures()
