"""Every label the handbook tells the client to click is on the real screen, in each language.

The handbook is built for the sandbox, then the client (an editor) logs in to Chromium and
every screen the handbook's ui() calls recorded is opened; a label that is not there fails
the test with the template file and line that named it.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.handbook.build import BuildInput, build_handbook
from handoff.handbook.verify import report_lines, verify_labels
from handoff.sandbox.wpconfig import php_string
from tests.bench.handbook import INTAKE

pytestmark = pytest.mark.e2e

LOCALES = {"en": "", "vi": "vi", "zh": "zh_CN"}
# The editor's labels that changed between the two releases the sandbox runs.
WRONG_ON_THE_OTHER = {"6.8": {"Save", "Slug"}, "6.1": {"Update", "URL", "Switch to draft"}}
# What a client's site has after some use, so that every screen the handbook describes
# shows what it says: a page edited a few times (its revisions), a comment waiting.
SEED = """
$page = get_page_by_path( 'sample-page' );
foreach ( array( 'First change.', 'Second change.' ) as $text ) {
	wp_update_post( array( 'ID' => $page->ID, 'post_content' => $page->post_content . $text ) );
}
wp_insert_comment( array( 'comment_post_ID' => 1, 'comment_content' => 'Waiting.',
	'comment_author' => 'Visitor', 'comment_approved' => '0' ) );
require_once ABSPATH . 'wp-admin/includes/image.php';
$upload = wp_upload_bits( 'shop-front.png', null,
	file_get_contents( ABSPATH . WPINC . '/images/w-logo-blue.png' ) );
$image = wp_insert_attachment( array( 'post_title' => 'Shop front', 'post_status' => 'inherit',
	'post_mime_type' => 'image/png' ), $upload['file'] );
wp_update_attachment_metadata( $image, wp_generate_attachment_metadata( $image, $upload['file'] ) );
foreach ( array( 'Main menu', 'Footer menu' ) as $name ) {
	wp_update_nav_menu_item( wp_create_nav_menu( $name ), 0, array( 'menu-item-title' => 'Home',
		'menu-item-url' => home_url( '/' ), 'menu-item-status' => 'publish' ) );
}
"""
# A theme with a menu location, as classic themes have: the menus screen the handbook
# describes for them (the sandbox's default themes are block themes, which have none).
MENU_LOCATION = """<?php
add_action( 'after_setup_theme', function () {
	register_nav_menus( array( 'primary' => 'Primary menu' ) );
} );
"""


def set_site_language(sandbox, locale: str) -> None:
    """Switch the site's language as Settings › General does (WPLANG), packs permitting."""
    installed = sandbox.php("echo implode( ',', get_available_languages() );").split(",")
    if locale and locale not in installed:
        pytest.skip(f"WordPress's {locale} language files are not installed "
                    "(Debian's wordpress-l10n)")
    sandbox.php(f"update_option( 'WPLANG', {php_string(locale)} );")


def missing_labels(results) -> list[str]:
    return [line for line, result in zip(report_lines(results), results, strict=True)
            if not result.found]


@pytest.mark.parametrize("language", list(LOCALES))
def test_every_handbook_label_is_on_the_clients_screen(browser, app, fresh_sandbox, language):
    """The client's handbook (an editor), then the labels only an administrator's names."""
    fresh_sandbox.php(SEED)
    fresh_sandbox.add_mu_plugin("menu-location", MENU_LOCATION)
    set_site_language(fresh_sandbox, LOCALES[language])
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", {**INTAKE, "language": language})
    book = app.handbooks.build("s")
    assert len(book.labels) > 40, "the core chapters name their labels through ui()"
    assert {"media.alt_text", "media.delete_permanently"} <= {use.id for use in book.labels}

    results = verify_labels(book.labels, fresh_sandbox.url, fresh_sandbox.client_login,
                            fresh_sandbox.client_password, browser=browser)

    assert len(results) == len(book.labels)
    missing = missing_labels(results)
    assert not missing, f"{len(missing)} labels not on the {language} screens:\n" + \
        "\n".join(missing)

    # The same site handed to an administrator: menus, users, settings.
    app.intakes.save("s", {**INTAKE, "language": language,
                           "client": {**INTAKE["client"], "login": fresh_sandbox.admin_login}})
    seen = {(use.id, use.screen) for use in book.labels}
    admin = [use for use in app.handbooks.build("s").labels if (use.id, use.screen) not in seen]
    assert {"menus.save", "menus.manage_locations", "users.update_user",
            "settings.site_address"} <= {use.id for use in admin}

    results = verify_labels(admin, fresh_sandbox.url, fresh_sandbox.admin_login,
                            fresh_sandbox.admin_password, browser=browser)

    missing = missing_labels(results)
    assert not missing, f"{len(missing)} labels not on the administrator's {language} " \
        "screens:\n" + "\n".join(missing)


def test_a_handbook_for_another_wordpress_version_is_caught_with_file_and_line(
        browser, app, fresh_sandbox):
    """Built as if the site ran the other release, the editor's labels are not on its screens."""
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    inventory = app.sites.sync("s")
    other = "6.1" if inventory["software"]["wordpress"].startswith("6.8") else "6.8"
    inventory = {**inventory, "software": {**inventory["software"], "wordpress": other}}
    book = build_handbook(BuildInput(inventory, INTAKE, "en", client_login="client"))
    editor = [use for use in book.labels if use.screen == "post.php"]

    results = verify_labels(editor, fresh_sandbox.url, fresh_sandbox.client_login,
                            fresh_sandbox.client_password, browser=browser,
                            timeout_ms=5000)  # absent labels are only known after a wait

    missing = {result.use.text: result.use.where for result in results if not result.found}
    sticky = {"6.8": "Sticky", "6.1": "Stick to the top of the blog"}[other]
    assert {sticky, *WRONG_ON_THE_OTHER[other]} <= set(missing)
    assert re.search(r"en/chapters/040-posts\.md\.j2:\d+$", missing[sticky])
    assert "Settings" not in missing, "labels both releases share are still found"


def test_build_check_asks_for_the_login_and_names_each_missing_label(app, fresh_sandbox):
    """`handoff handbook build --check`: found and missing labels with template:line; exit 1.

    On a freshly installed site no page has revisions yet, so the revisions screen the
    handbook describes cannot be shown: that label is reported missing.
    """
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", INTAKE)
    # The command starts Playwright of its own: in a thread of its own, as the session's
    # Playwright (other browser tests) holds this one.
    with ThreadPoolExecutor(1) as thread:
        result = thread.submit(CliRunner().invoke, main, ["handbook", "build", "s", "--check"],
                               obj=app, input=f"\n{fresh_sandbox.client_password}\n").result()

    assert result.exit_code == 1, result.output
    assert fresh_sandbox.client_password not in result.output
    assert re.search(r'found +"Screen Options" on index\.php +\S+020-dashboard\.md\.j2:\d+',
                     result.output)
    assert re.search(r'MISSING "Restore This Revision" on revision\.php \(page\) '
                     r'+\S+030-pages\.md\.j2:\d+ — the first published page has no revisions',
                     result.output)
    assert re.search(r"(\d+) of \1 labels found", result.output) is None
