"""The sandbox behind Debian's Apache and PHP-FPM, as on a production host.

Apache passes PHP the Authorization header only through WordPress's own .htaccess rule; a
site without that rule loses it for real, and the backend must fall back to XML-RPC.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from handoff.errors import HandoffError
from handoff.sandbox import Sandbox, SandboxError
from tests.integration.test_sandbox import processes_mentioning

pytestmark = pytest.mark.integration

AUTH_RULE = "RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]"
WHOAMI = """<?php
add_action( 'init', function () {
    if ( isset( $_GET['whoami'] ) ) {
        echo ( $_SERVER['PHP_AUTH_USER'] ?? '-' ) . ' ' . PHP_SAPI;
        exit;
    }
} );
"""


def get(url: str, **kwargs) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def apache_sandbox() -> Iterator[Sandbox]:
    """A sandbox served by Apache, on the session's WordPress; stopped and removed after."""
    # Not in pytest's temporary folders: under root Apache's workers (www-data) may not enter
    # them.
    directory = Path(tempfile.mkdtemp(prefix="handoff-apache-"))
    box = Sandbox(directory, wordpress=os.environ.get("HANDOFF_TEST_WORDPRESS", "6.1"),
                  server="apache")
    try:
        box.start()
        yield box
    finally:
        box.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def fresh_apache(apache_sandbox) -> Sandbox:
    apache_sandbox.reset()
    return apache_sandbox


def without_auth_rule(box: Sandbox) -> None:
    """Rewrite .htaccess as a site whose rules lack WordPress's Authorization line."""
    rules = box.layout.htaccess.read_text()
    assert AUTH_RULE in rules
    box.layout.htaccess.write_text(rules.replace(AUTH_RULE + "\n", ""))


def test_apache_serves_pretty_permalinks_static_files_and_rest(fresh_apache):
    home = get(fresh_apache.url + "/")
    assert home.status_code == 200 and "Sandbox Client Co." in home.text
    assert home.headers["server"].startswith("Apache")
    assert fresh_apache.server == "apache"
    assert get(fresh_apache.url + "/hello-world/").status_code == 200
    assert get(fresh_apache.url + "/no-such-page/").status_code == 404
    css = get(fresh_apache.url + "/wp-includes/css/dashicons.min.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert get(fresh_apache.url + "/wp-json/").json()["home"] == fresh_apache.url
    assert get(fresh_apache.url + "/wp-admin", allow_redirects=False).status_code == 301
    assert get(fresh_apache.url + "/.htaccess").status_code == 403


def test_php_runs_in_php_fpm(fresh_apache):
    fresh_apache.add_mu_plugin("whoami", WHOAMI)
    assert get(fresh_apache.url + "/?whoami=1").text == "- fpm-fcgi"


def test_htaccess_is_wordpress_own_and_apache_reads_it(fresh_apache):
    rules = fresh_apache.layout.htaccess.read_text()
    assert "# BEGIN WordPress" in rules and AUTH_RULE in rules
    fresh_apache.layout.htaccess.write_text("")
    assert get(fresh_apache.url + "/hello-world/").status_code == 404, "no rewrite, no post"
    fresh_apache.reset()
    assert fresh_apache.layout.htaccess.read_text() == rules
    assert get(fresh_apache.url + "/hello-world/").status_code == 200


def test_authorization_reaches_php_only_through_wordpress_rule(fresh_apache):
    fresh_apache.add_mu_plugin("whoami", WHOAMI)
    asked = fresh_apache.url + "/?whoami=1"
    assert get(asked, auth=("someone", "secret")).text == "someone fpm-fcgi"
    without_auth_rule(fresh_apache)
    assert get(asked, auth=("someone", "secret")).text == "- fpm-fcgi"


def test_the_backend_connects_over_rest_behind_apache(app, fresh_apache):
    result = app.sites.add(fresh_apache.connection_key(), fresh_apache.url, name="apache")
    assert result.site.transport == "rest"
    assert app.sites.sync("apache")["admin_menu"]["context"] == "admin"


def test_a_site_whose_apache_drops_authorization_falls_back_to_xmlrpc(app, fresh_apache):
    without_auth_rule(fresh_apache)  # nothing in PHP strips it: Apache never passes it on
    key = fresh_apache.connection_key()
    with pytest.raises(HandoffError) as caught:
        app.sites.add(key, fresh_apache.url, name="apache", transport="rest")
    assert caught.value.code == "header_stripped"
    result = app.sites.add(key, fresh_apache.url, name="apache")
    assert result.site.transport == "xmlrpc" and result.site.health == "warning"
    assert "strips the Authorization header" in result.diagnosis.summary()
    inventory = app.sites.sync("apache")
    # The menu is read inside wp-admin: admin-ajax.php takes the password in the body.
    assert inventory["admin_menu"]["context"] == "admin"
    assert inventory["admin_menu"]["by_role"]["editor"]


def test_a_running_sandbox_refuses_another_server(apache_sandbox):
    with pytest.raises(SandboxError, match="already running on apache, not php"):
        Sandbox(apache_sandbox.directory, server="php").start()
    Sandbox(apache_sandbox.directory).start()  # no server asked: the running one is fine


def test_stop_leaves_nothing_running_and_the_same_site_starts_on_php(apache_sandbox):
    url = apache_sandbox.url
    apache_sandbox.stop()
    assert not apache_sandbox.is_running() and apache_sandbox.server is None
    assert processes_mentioning(apache_sandbox.directory) == []
    with pytest.raises(requests.ConnectionError):
        get(url + "/")
    on_php = Sandbox(apache_sandbox.directory)
    try:
        on_php.start()
        assert on_php.server == "php" and on_php.url == url
        assert "Apache" not in get(url + "/hello-world/").headers.get("server", "")
    finally:
        on_php.stop()
    apache_sandbox.start()
    assert apache_sandbox.server == "apache"
    assert get(url + "/hello-world/").status_code == 200
