"""The Sites page and GET /api/v1/sites with many sites: columns, pages, tag and search."""

from __future__ import annotations

import re

import pytest

from tests.site_fixtures import fill_store

pytestmark = pytest.mark.usefixtures("offline_edges")




@pytest.fixture
def many(app):
    """120 sites: every 2nd tagged retainer, every 7th vip (tests/site_fixtures.py)."""
    return fill_store(app, 120)


def row_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="/sites/([^"]+)">', html)


# -- the page ------------------------------------------------------------------------------

def test_the_page_shows_fifty_sites_with_every_column(logged_in, many):
    html = logged_in.get("/").get_data(as_text=True)
    assert row_names(html) == [f"client-{n:04}" for n in range(50)]
    for header in ("Site", "WordPress / plugin", "Health", "Menu profile", "Handbook",
                   "Handover", "Tags", "Last sync"):
        assert f'role="columnheader">{header}</th>' in html
    assert "Sites 1–50 of 120" in html
    row = html.split('href="/sites/client-0000"')[1].split("</tr>")[0]  # profile, drift 0
    assert "v3 Client editor" in row and "no drift" in row and "Published" in row
    assert 'aria-label="Sites tagged retainer"' in row and "Not checked" in row
    row = html.split('href="/sites/client-0003"')[1].split("</tr>")[0]
    assert "drift 3" in row and "Not published" in row
    row = html.split('href="/sites/client-0001"')[1].split("</tr>")[0]  # a handover run
    assert "verdict-blocked\">Blocked" in row and "Not checked" not in row
    assert 'data-label="Handover"' in row  # the narrow-screen layout's labels


def test_the_site_page_shows_the_drift_too(logged_in, many):
    assert "3 menu items not in the profile" in logged_in.get("/sites/client-0003") \
        .get_data(as_text=True)
    assert "no drift" in logged_in.get("/sites/client-0000").get_data(as_text=True)


def test_the_pager_marks_the_current_page_and_keeps_the_filters(logged_in, many):
    html = logged_in.get("/?page=2&tag=retainer").get_data(as_text=True)
    assert row_names(html) == [f"client-{n:04}" for n in range(100, 120, 2)]
    pager = html.split('aria-label="Pages of sites"')[1].split("</nav>")[0]
    assert re.search(r'href="/\?page=2&amp;tag=retainer" aria-current="page"', pager)
    assert 'href="/?page=1&amp;tag=retainer" rel="prev"' in pager
    assert '<span class="disabled" aria-disabled="true">Next</span>' in pager
    assert "Sites 51–60 of 60 tagged retainer" in html
    assert '<option value="retainer" selected>' in html
    assert 'name="tag" value="retainer"' in html  # "Sync all tagged retainer"


def test_search_and_its_empty_result(logged_in, many):
    html = logged_in.get("/?q=client-011").get_data(as_text=True)
    assert row_names(html) == [f"client-{n:04}" for n in range(110, 120)]
    assert 'value="client-011"' in html and "Clear filters" in html
    none = logged_in.get("/?q=nothing-like-this").get_data(as_text=True)
    assert "No site matches “nothing-like-this”" in none and row_names(none) == []


def test_a_page_past_the_end_links_to_the_last(logged_in, many):
    html = logged_in.get("/?page=9").get_data(as_text=True)
    assert "Page 9 is past the last page (3)" in html and 'href="/?page=3"' in html


def test_no_sites_at_all(logged_in):
    html = logged_in.get("/").get_data(as_text=True)
    assert "No sites yet. Add the first one below." in html and "Sync all" not in html


@pytest.mark.parametrize("query, field, words", [
    ("page=0", None, "Page must be a positive whole number"),
    ("page=abc", None, "Page must be a positive whole number"),
    ("tag=Not%20A%20Tag", "tag", "is not a usable tag"),
    ("tag=" + "x" * 51, "tag", "is not a usable tag"),
    ("q=" + "x" * 201, "q", "Search must be at most 200 characters"),
    ("q=a%00b", "q", "Search must be at most 200 characters"),
])
def test_bad_filters_are_400_next_to_their_field(logged_in, many, query, field, words):
    response = logged_in.get(f"/?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and words in html and row_names(html) == []
    if field:
        assert re.search(rf'id="{field}-error">[^<]*{words}', html)
        assert f'aria-describedby="{field}-error"' in html


def test_the_page_needs_the_login(client, many):
    response = client.get("/?tag=retainer")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_page_has_no_inline_scripts_or_styles(logged_in, many):
    html = logged_in.get("/?tag=vip").get_data(as_text=True)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


# -- the API list --------------------------------------------------------------------------

def test_api_list_filters_and_pages_in_the_same_way(client, auth, many):
    answer = client.get("/api/v1/sites?tag=vip&per_page=5&page=2", headers=auth).json
    assert [site["name"] for site in answer["items"]] == \
        ["client-0035", "client-0042", "client-0049", "client-0056", "client-0063"]
    assert (answer["page"], answer["per_page"], answer["total"], answer["pages"]) == \
        (2, 5, 18, 4)
    searched = client.get("/api/v1/sites?q=WWW.CLIENT-011", headers=auth).json
    assert [s["name"] for s in searched["items"]] == ["client-0112", "client-0116"]


def test_api_sites_carry_drift_handbook_and_handover(client, auth, many):
    items = client.get("/api/v1/sites?per_page=4", headers=auth).json["items"]
    assert [item["menu"]["drift"] for item in items] == [0, None, None, 3]
    assert items[0]["handbook"]["published"] is True and items[0]["handbook"]["how"] == \
        "screen"
    assert items[1]["handover"]["verdict"] == "Blocked" and items[1]["handover"]["checked_at"]
    assert items[2]["handover"] == {"verdict": None, "checked_at": None,
                                    "completed_at": None}
    one = client.get("/api/v1/sites/client-0001", headers=auth).json
    assert one == items[1] and "secret" not in one


@pytest.mark.parametrize("query, fields", [
    ("page=0", {"page"}), ("page=x", {"page"}), ("per_page=-1", {"per_page"}),
    ("per_page=1e3", {"per_page"}), ("tag=Bad%20Tag", {"tag"}), ("q=" + "x" * 201, {"q"}),
    ("q=%00", {"q"}), ("page=0&per_page=0&tag=%3F", {"page", "per_page", "tag"}),
])
def test_api_bad_parameters_are_400_field_errors(client, auth, many, query, fields):
    response = client.get(f"/api/v1/sites?{query}", headers=auth)
    assert response.status_code == 400 and set(response.json["errors"]) == fields


def test_api_per_page_is_capped_and_an_unknown_tag_is_an_empty_list(client, auth, many):
    assert client.get("/api/v1/sites?per_page=500", headers=auth).json["per_page"] == 100
    empty = client.get("/api/v1/sites?tag=nobody", headers=auth).json
    assert empty["items"] == [] and empty["total"] == 0 and empty["pages"] == 0
