"""The site service: adding changes the store only when the site works; secrets stay secret."""

from __future__ import annotations

import pytest
import responses

from handoff.errors import InvalidInputError, NotFoundError
from handoff.wordpress.errors import BridgeError
from tests.helpers import make_key, store_bytes, store_rows

URL = "https://client.example"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True}


pytestmark = pytest.mark.usefixtures("offline_edges")


def working_site(url=URL, status=None, code=200):
    responses.get(url, body="home", content_type="text/html")
    responses.get(f"{url}/wp-json/", json={"namespaces": ["handoff/v1"]})
    responses.get(f"{url}/wp-json/handoff/v1/status", json=status or STATUS, status=code)


def rows(app, table="sites"):
    return store_rows(app, f"select * from {table}")


@responses.activate
def test_add_stores_the_site_with_its_password_encrypted(app):
    working_site()
    result = app.sites.add(make_key(URL).encode(), URL)
    assert result.site.name == "client"
    assert result.site.transport == "rest" and result.site.wordpress_version == "6.1.9"
    raw = store_bytes(app)
    assert b"client.example" in raw and b"AbCdEfGhIjKlMnOpQrStUvWx" not in raw
    assert app.sites.key_for(app.sites.get("client")).password == "AbCdEfGhIjKlMnOpQrStUvWx"


@responses.activate
def test_add_refuses_a_site_that_does_not_work_and_stores_nothing(app):
    working_site(status={"code": "incorrect_password", "data": {"status": 401}}, code=401)
    with pytest.raises(BridgeError) as caught:
        app.sites.add(make_key(URL).encode(), URL)
    assert caught.value.code == "wrong_password"
    assert rows(app) == []


def test_add_refuses_a_key_for_another_site(app):
    with pytest.raises(BridgeError, match="belongs to https://client.example"):
        app.sites.add(make_key(URL).encode(), "https://other.example")
    assert app.sites.list() == []


@pytest.mark.parametrize("name", ["Bad Name", "-x", "a" * 101, "ünï"])
@responses.activate
def test_bad_names_are_refused(app, name):
    working_site()
    with pytest.raises(InvalidInputError, match="not a usable site name"):
        app.sites.add(make_key(URL).encode(), name=name)
    assert app.sites.list() == []


def test_bad_transport_is_refused(app):
    with pytest.raises(InvalidInputError, match="Unknown transport"):
        app.sites.add(make_key(URL).encode(), transport="ftp")


@responses.activate
def test_adding_twice_needs_replace_and_keeps_the_name(app):
    working_site()
    app.sites.add(make_key(URL).encode(), name="acme")
    with pytest.raises(InvalidInputError, match="already connected as 'acme'"):
        app.sites.add(make_key(URL).encode())
    new_key = make_key(URL, password="ZyXwVuTsRqPoNmLkJiHgFeDc")
    app.sites.add(new_key.encode(), replace=True)
    [site] = app.sites.list()
    assert site.name == "acme"
    assert app.sites.key_for(site).password == "ZyXwVuTsRqPoNmLkJiHgFeDc"


@responses.activate
def test_names_are_made_unique_and_duplicates_refused(app):
    working_site()
    working_site("https://client.example.org")
    app.sites.add(make_key(URL).encode())
    app.sites.add(make_key("https://client.example.org").encode())
    assert [s.name for s in app.sites.list()] == ["client", "client-2"]
    working_site("https://third.example")
    with pytest.raises(InvalidInputError, match="exists already"):
        app.sites.add(make_key("https://third.example").encode(), name="client")


@responses.activate
def test_check_records_health_and_keeps_a_forced_transport(app):
    working_site()
    app.sites.add(make_key(URL).encode(), transport="rest")
    diagnosis = app.sites.check("client")
    assert diagnosis.ok and "xmlrpc" not in diagnosis.errors  # forced: only REST checked
    site = app.sites.get("client")
    assert site.health == "ok" and site.transport_forced and site.last_check_at


def test_unknown_site_names_the_known_ones(app):
    with pytest.raises(NotFoundError, match="No site named 'nope'") as caught:
        app.sites.get("nope")
    assert caught.value.fix == "known sites: none"


@responses.activate
def test_remove_forgets_the_site_and_its_snapshots(app):
    working_site()
    app.sites.add(make_key(URL).encode())
    app.sites.remove("client")
    assert rows(app) == [] and rows(app, "inventory_snapshots") == []
    with pytest.raises(NotFoundError):
        app.sites.remove("client")
