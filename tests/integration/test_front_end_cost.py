"""On the front end the plugin costs nothing: an anonymous page view loads none of its
classes but the bootstrap's Plugin (which only adds hooks), even with a menu profile
active and a connected bridge."""

from __future__ import annotations

import re

import pytest
import requests

from tests.profiles import PROFILE

pytestmark = pytest.mark.integration

# Prints, at the very end of a page, which classes of the plugin that request loaded.
REPORTER = """<?php
add_action( 'shutdown', static function () {
	if ( 'cli' === PHP_SAPI || is_admin() || wp_doing_ajax()
		|| ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
		return;
	}
	$ours = array_filter( get_declared_classes(), static function ( $name ) {
		return 0 === strpos( $name, 'Handoff\\\\Companion\\\\' );
	} );
	echo '<!-- handoff-classes:' . esc_html( implode( ',', $ours ) ) . ' -->';
}, PHP_INT_MAX );
"""


def loaded_classes(html: str) -> list[str]:
    found = re.search(r"<!-- handoff-classes:(.*?) -->", html)
    assert found, "the reporter did not run"
    return [name for name in found.group(1).split(",") if name]


@pytest.fixture
def site(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("class-reporter", REPORTER)
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.menus.push("s", PROFILE)
    yield fresh_sandbox
    fresh_sandbox.remove_mu_plugin("class-reporter")


@pytest.mark.parametrize("cookies", [{}, {"_ga": "GA1.1.1", "cookie_consent": "yes"}],
                         ids=["no cookies", "a visitor's cookies"])
def test_an_anonymous_page_view_loads_no_class_of_the_plugin(site, cookies):
    for path in ("/", "/?p=1", "/sample-page/"):
        page = requests.get(site.url.rstrip("/") + path, cookies=cookies, timeout=30)
        assert loaded_classes(page.text) == ["Handoff\\Companion\\Plugin"], path
