"""The sites list in the core: filters and pages in SQL, drift, handbook and handover state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from sqlalchemy import event

from handoff.core.site_list import InvalidSiteQueryError, SiteQuery
from handoff.storage import AuditEvent, HandoverRun, Site
from tests.site_fixtures import MENU, _results, fill_store, inventory_document

pytestmark = pytest.mark.usefixtures("offline_edges")

URL = "https://client.example"
API = f"{URL}/wp-json/handoff/v1"
STATUS = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9", "php_version": "8.2.36",
          "is_ssl": True}
# Names Posts (with two of its three children) and Plugins; the rest of the editor's menu
# is drift (what only administrators can open is not).
PROFILE = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
           "unknown_items": "hide",
           "menu": [{"slug": "edit.php", "state": "visible", "children": [
               {"slug": "edit.php", "state": "visible"},
               {"slug": "post-new.php", "state": "visible"}]},
                    {"slug": "plugins.php", "state": "denied"}]}


def names(listing) -> list[str]:
    return [item.site.name for item in listing.items]


def add_site(app, name: str, url: str | None = None, **columns) -> Site:
    url = url or f"https://{name}.example"
    with app.store.session() as session:
        site = Site(name=name, url=url, rest_url=f"{url}/wp-json/", xmlrpc_url=f"{url}/x",
                    username="handoff-bridge", secret=app.vault.encrypt("x" * 24),
                    created_at=columns.pop("created_at", datetime.now(UTC)), **columns)
        session.add(site)
    return app.sites.get(name)


# -- parsing the query --------------------------------------------------------------------

@pytest.mark.parametrize("given, fields", [
    ({"page": "0"}, {"page"}), ({"page": "x"}, {"page"}), ({"page": "-1"}, {"page"}),
    ({"page": "1.5"}, {"page"}), ({"page": "١"}, {"page"}), ({"page": "9" * 12}, {"page"}),
    ({"per_page": "0"}, {"per_page"}), ({"per_page": "many"}, {"per_page"}),
    ({"tag": "Bad Tag"}, {"tag"}), ({"tag": "x" * 51}, {"tag"}), ({"tag": "-x"}, {"tag"}),
    ({"q": "x" * 201}, {"q"}), ({"q": "a\x00b"}, {"q"}),
    ({"page": "0", "tag": "?", "q": "\x00"}, {"page", "tag", "q"}),
])
def test_bad_parameters_are_refused_each_with_its_reason(given, fields):
    with pytest.raises(InvalidSiteQueryError) as caught:
        SiteQuery.parse(**given)
    assert set(caught.value.fields) == fields
    assert caught.value.exit_code == 2 and caught.value.code.startswith("query_")


def test_parsing_defaults_trims_and_caps():
    assert SiteQuery.parse() == SiteQuery(page=1, per_page=50)
    assert SiteQuery.parse(page="", per_page=" ", tag=" ", q="  ") == SiteQuery(1, 50)
    assert SiteQuery.parse(page="3", per_page="500", tag=" VIP ", q=" shop ",
                           max_per_page=100) == SiteQuery(3, 100, "vip", "shop")


# -- filtering and paging in SQL ------------------------------------------------------------

def test_pages_are_by_name_with_the_total(app):
    fill_store(app, 23)
    listing = app.sites.page(SiteQuery(page=2, per_page=10))
    assert names(listing) == [f"client-{n:04}" for n in range(10, 20)]
    assert (listing.total, listing.pages, listing.first_number) == (23, 3, 11)
    assert names(app.sites.page(SiteQuery(page=3, per_page=10))) == \
        [f"client-{n:04}" for n in range(20, 23)]
    assert app.sites.page(SiteQuery(page=4, per_page=10)).items == []


def test_tag_and_search_filter_and_combine(app):
    fill_store(app, 30)  # "vip" on every 7th, "retainer" on every 2nd
    vip = app.sites.page(SiteQuery(tag="vip"))
    assert names(vip) == ["client-0000", "client-0007", "client-0014", "client-0021",
                          "client-0028"] and vip.total == 5
    assert names(app.sites.page(SiteQuery(q="CLIENT-001"))) == \
        [f"client-{n:04}" for n in range(10, 20)]  # any case, the name
    assert names(app.sites.page(SiteQuery(q="www.client-002"))) == \
        ["client-0020", "client-0024", "client-0028"]  # the address
    both = app.sites.page(SiteQuery(tag="retainer", q="client-002"))
    assert names(both) == ["client-0020", "client-0022", "client-0024", "client-0026",
                           "client-0028"]
    assert app.sites.page(SiteQuery(tag="nobody-has-it")).total == 0


@pytest.mark.parametrize("search, expected", [("%", []), ("_", ["under_score"]),
                                              ("\\", [])])
def test_search_wildcards_are_plain_text(app, search, expected):
    add_site(app, "under_score", "https://plain.example")
    add_site(app, "other", "https://other.example")
    assert names(app.sites.page(SiteQuery(q=search))) == expected


def test_a_page_costs_the_same_few_queries_with_10_or_150_sites(app):
    statements: list[str] = []
    event.listen(app.store.engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))

    def statements_for_a_page() -> int:
        statements.clear()
        listing = app.sites.page(SiteQuery(per_page=50))
        assert any(item.handover["verdict"] for item in listing.items)  # all of it loaded
        return len(statements)

    fill_store(app, 10)
    small = statements_for_a_page()
    fill_store(app, 140, start=10)
    assert statements_for_a_page() == small <= 6


# -- what each row shows --------------------------------------------------------------------

def test_handover_verdict_counts_the_sign_offs_made_since_the_run(app):
    site = add_site(app, "shop")
    results = {key: {**value, "status": "pass" if value["kind"] == "auto" else "manual"}
               for key, value in _results(0).items()}
    with app.store.session() as session:
        session.add(HandoverRun(site_id=site.id, started_at=datetime.now(UTC),
                                finished_at=datetime.now(UTC), complete=True,
                                verdict="Blocked", results="{}"))  # an older run
        session.add(HandoverRun(site_id=site.id, started_at=datetime.now(UTC),
                                finished_at=datetime.now(UTC), complete=True,
                                verdict="Blocked", results=json.dumps(results)))
        session.add(HandoverRun(site_id=site.id, started_at=datetime.now(UTC),
                                complete=False, error="timed out"))  # a failed one after
    assert app.sites.summary("shop").handover["verdict"] == "Blocked"
    manual = [key for key, value in results.items() if value["kind"] == "manual"]
    for item in manual:
        app.handovers.sign("shop", item, by="Sam")
    handover = app.sites.summary("shop").handover
    assert handover["verdict"] == app.handovers.latest("shop").verdict == "Ready"
    assert handover["completed_at"] is None and handover["checked_at"] is not None
    app.handovers.complete("shop", by="Sam")
    assert app.sites.summary("shop").handover["completed_at"] is not None


def test_never_checked_sites_have_no_verdict(app):
    add_site(app, "new")
    assert app.sites.summary("new").handover == {"verdict": None, "checked_at": None,
                                                 "completed_at": None}


def test_handbook_state_comes_from_the_audit_log(app):
    add_site(app, "shop", created_at=datetime.now(UTC) - timedelta(days=5))
    add_site(app, "paged", handbook_page_id=42)

    def record(action, result="ok", days=0):
        with app.store.session() as session:
            session.add(AuditEvent(at=datetime.now(UTC) - timedelta(days=days),
                                   actor="cli:sam", action=action, site="shop",
                                   result=result, summary="x", data="{}"))

    assert app.sites.summary("shop").handbook["published"] is False
    record("handbook.publish", days=9)  # before this site existed: another "shop"
    assert app.sites.summary("shop").handbook["published"] is False
    record("handbook.publish", days=1)
    record("handbook.unpublish", result="failed")  # did not happen
    handbook = app.sites.summary("shop").handbook
    assert handbook["published"] is True and handbook["how"] == "screen"
    assert handbook["published_at"] is not None
    record("handbook.unpublish")
    assert app.sites.summary("shop").handbook == {"published": False, "published_at": None,
                                                  "how": None}
    assert app.sites.summary("paged").handbook["how"] == "page"


# -- drift, kept by sync --------------------------------------------------------------------

def fake_site(menu_profile: dict | None, status: int = 200) -> None:
    responses.get(f"{API}/status", json=STATUS)
    responses.get(f"{API}/inventory", json=inventory_document(URL, MENU))
    if menu_profile is None:
        responses.get(f"{API}/menu-profile", json={"code": "rest_no_route"}, status=status)
    else:
        responses.get(f"{API}/menu-profile", json=menu_profile)


@responses.activate
def test_sync_keeps_how_many_menu_items_the_profile_does_not_name(app):
    add_site(app, "client", URL)
    fake_site({"version": 2, "hash": "h" * 64, "profile": PROFILE, "history": []})
    app.sites.sync("client")
    # The editor's menu has Dashboard, Posts' third child, Media, Pages, Comments and
    # Tools, which the profile does not name.
    assert app.sites.get("client").menu_drift == 6
    assert app.sites.page(SiteQuery()).items[0].site.menu_drift == 6


@pytest.mark.parametrize("answer, status", [({"version": 0, "hash": "", "profile": {}}, 200),
                                            (None, 404), (None, 500)])
@responses.activate
def test_no_profile_or_no_answer_leaves_the_drift_unknown(app, answer, status):
    add_site(app, "client", URL, menu_drift=4)
    fake_site(answer, status)
    app.sites.sync("client")  # the inventory is still stored
    assert app.sites.get("client").menu_drift is None
    assert app.sites.latest_inventory("client") is not None


def test_another_profile_makes_the_drift_unknown_until_said(app):
    add_site(app, "client", URL, menu_hash="a" * 64, menu_drift=3)
    app.sites.record_menu("client", 2, "a" * 64, "Client", pushed=False)
    assert app.sites.get("client").menu_drift == 3  # the same profile: still known
    app.sites.record_menu("client", 3, "b" * 64, "Client", pushed=True)
    assert app.sites.get("client").menu_drift is None
    app.sites.record_menu("client", 4, "c" * 64, "Client", pushed=True, drift_count=1)
    assert app.sites.get("client").menu_drift == 1
