"""The client on a Vietnamese and on a Chinese site, in Chromium: the plugin's screens speak
the site's language, and the 403 page and "Start here" name the intake's contacts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.bench.handbook import INTAKE
from tests.profiles import PROFILE

pytestmark = pytest.mark.e2e

LANGUAGES = Path(__file__).resolve().parents[2] / "wp-plugin" / "handoff-companion" / "languages"
# The profile's own "Start here" without contacts: the intake's are shown.
NO_CONTACTS = {**PROFILE, "dashboard": {"remove_widgets": ["dashboard_primary"],
                                        "start_here": {"title": "Start here",
                                                       "text": "Edit your pages."}}}


def translations(locale: str) -> dict[str, str]:
    """msgid → msgstr of the plugin's .po (written without line wrapping)."""
    text = (LANGUAGES / f"handoff-companion-{locale}.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid (".*")\nmsgstr (".*")$', text, flags=re.MULTILINE)
    return {json.loads(msgid): json.loads(msgstr) for msgid, msgstr in pairs if msgid != '""'}


@pytest.mark.parametrize(("locale", "handbook_language"), [("vi", "vi"), ("zh_CN", "zh")])
def test_the_client_uses_the_plugin_in_the_sites_language(client_page, fresh_sandbox, app,
                                                          screenshot, locale,
                                                          handbook_language):
    words = translations(locale)

    def t(text: str) -> str:
        assert words.get(text) and words[text] != text, f"{text!r} has no {locale} translation"
        return words[text]

    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", {**INTAKE, "language": handbook_language})
    app.handbooks.publish("s", app.handbooks.build("s"))
    app.menus.push("s", NO_CONTACTS)
    # The site switches language after the client signed in (the login form stays English).
    fresh_sandbox.php(f"update_option( 'WPLANG', '{locale}' );")
    page = client_page

    page.goto("/wp-admin/")
    start_here = page.locator("#handoff_start_here")
    expect(start_here.get_by_text(t("Need help? Ask:"))).to_be_visible()
    expect(start_here.get_by_role("link", name="help@agency.example")).to_have_attribute(
        "href", "mailto:help@agency.example")
    expect(start_here.get_by_role("link", name="+1 555 0100")).to_have_attribute(
        "href", "tel:+15550100")
    expect(start_here.get_by_text(f"{t('Support hours:')} Mon–Fri 9–17")).to_be_visible()
    expect(page.locator("#handoff_handbook").get_by_role(
        "link", name=t("Open the Site Handbook"))).to_be_visible()
    screenshot(page, f"languages-{locale}-01-dashboard")

    page.locator("#adminmenu a", has_text=t("Site Handbook")).first.click()
    expect(page.get_by_role("heading", name=t("Contents"), exact=True)).to_be_visible()
    expect(page.get_by_label(t("Search the handbook"))).to_be_visible()
    published_at = app.handbooks.status("s")["published_at"]
    # wp_date() in the site's language, as WordPress itself writes that date.
    written = f"echo wp_date( get_option( 'date_format' ), {int(published_at)} );"
    date = fresh_sandbox.php(written)
    english = fresh_sandbox.php("switch_to_locale( 'en_US' ); " + written)
    assert date != english, "the date is written in the site's language"
    expect(page.get_by_text(t("Published on %s").replace("%s", date))).to_be_visible()
    screenshot(page, f"languages-{locale}-02-handbook")

    response = page.goto("/wp-admin/tools.php")
    assert response.status == 403
    expect(page.get_by_role("heading", name=t("This screen is not available"))).to_be_visible()
    expect(page.get_by_role("link", name=t("Go to the dashboard"))).to_be_visible()
    expect(page.get_by_role("link", name="help@agency.example")).to_have_attribute(
        "href", "mailto:help@agency.example")
    expect(page.get_by_role("link", name="https://agency.example")).to_have_attribute(
        "href", "https://agency.example")
    expect(page.get_by_text(f"{t('Response time:')} one working day")).to_be_visible()
    assert page.title().startswith(t("Not part of your menu"))
    screenshot(page, f"languages-{locale}-03-denied-screen")
