"""The Audit page and GET /api/v1/audit: filters, pages, downloads, who acted, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from handoff.core.actor import acting_as
from handoff.core.audit import AuditFilter

START = datetime(2026, 11, 20, 12, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("offline_edges")


def csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)




@pytest.fixture
def logged(app):
    """60 events a minute apart: 'shop' menu pushes, every 10th failed, then 'bakery' tags."""
    for number in range(60):
        app.audit.clock = lambda number=number: START + timedelta(minutes=number)
        site, action = ("shop", "menu.push") if number < 40 else ("bakery", "site.tag")
        with acting_as("cli:sam" if number % 2 else "dashboard:alice"):
            app.audit.record(action, site, f"Event {number} on {site} <b>bold</b>",
                             result="failed" if number % 10 == 9 else "ok", number=number)
    return app


def numbers(events) -> list[int]:
    return [event["data"]["number"] for event in events]


# -- the page ------------------------------------------------------------------------------

def test_the_page_lists_newest_first_fifty_to_a_page(logged_in, logged):
    page = logged_in.get("/audit").get_data(as_text=True)
    assert "Events 1–50 of 60, newest first" in page
    assert page.index("Event 59 on bakery") < page.index("Event 58 on bakery")
    assert "Event 9 on shop" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    second = logged_in.get("/audit?page=2").get_data(as_text=True)
    assert "Events 51–60 of 60" in second and "Event 0 on shop" in second


def test_filters_stay_in_the_links(logged_in, logged):
    page = logged_in.get("/audit?site=shop&result=failed&action=menu").get_data(as_text=True)
    assert "4 events, newest first" in page
    assert all(f"Event {n} on shop" in page for n in (9, 19, 29, 39))
    assert "/audit.csv?site=shop&amp;action=menu&amp;result=failed" in page
    assert '<option value="failed" selected>' in page
    assert '<option value="menu" selected>menu (all)</option>' in page


@pytest.mark.parametrize("query, field, words", [
    ("since=2026-02-30", "since", "is not a date"),
    ("until=soon", "until", "is not a date or time"),
    ("result=maybe", "result", "is not a result"),
    ("action=%3Cscript%3E", "action", "is not an action"),
    ("page=0", "page", "must be a whole number"),
    ("page=x", "page", "must be a whole number"),
])
def test_bad_filters_are_shown_next_to_their_field(logged_in, logged, query, field, words):
    response = logged_in.get(f"/audit?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert words in page and "Event 59" not in page
    if field != "page":
        assert f'id="{field}-error"' in page and "<script>" not in page


def test_an_empty_log_and_a_page_past_the_end(app, logged_in, logged):
    assert "No events match these filters" in \
        logged_in.get("/audit?site=nowhere").get_data(as_text=True)
    assert "No events on page 9" in logged_in.get("/audit?page=9").get_data(as_text=True)


def test_downloads_carry_every_matching_event(logged_in, logged):
    response = logged_in.get("/audit.csv?site=shop")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment; filename=\"handoff-audit-" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 40 and rows[0]["summary"].startswith("Event 39 on shop")
    exported = logged_in.get("/audit.json?result=failed").get_json()
    assert numbers(exported) == [59, 49, 39, 29, 19, 9]
    assert logged_in.get("/audit.json?since=nope").status_code == 400
    assert logged_in.get("/audit.xml").status_code == 404


def test_the_page_and_downloads_need_the_login(client, logged):
    for path in ("/audit", "/audit.csv", "/audit.json"):
        response = client.get(path)
        assert response.status_code in (302, 401), path
        assert b"Event 59" not in response.get_data()


def test_the_dashboard_acts_as_its_user_and_the_api_as_its_token(app, logged_in, auth):
    logged_in.post("/sites", data={"csrf_token": csrf(logged_in, "/audit"),
                                   "url": "https://client.example", "key": "garbage"})
    logged_in.post("/api/v1/sites", json={"url": "https://client.example", "key": "garbage"},
                   headers=auth)
    app.audit.record("site.tag", "x", "Outside any request.")
    api, dashboard = app.audit.query(AuditFilter(action="site.add"))
    assert (dashboard.actor, dashboard.result) == ("dashboard:me", "failed")
    assert (api.actor, api.result) == ("api:tests", "failed")
    assert app.audit.query(limit=1)[0].actor.startswith("cli:")  # nothing leaks across


# -- the API -------------------------------------------------------------------------------

def test_the_api_pages_like_the_sites_list(client, auth, logged):
    # until: not the token's own creation, recorded now
    body = client.get("/api/v1/audit?until=2026-11-20", headers=auth).get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 60, 3)
    assert numbers(body["items"]) == list(range(59, 39, -1))
    assert set(body["items"][0]) == {"id", "at", "actor", "action", "site", "result",
                                     "summary", "data"}
    last = client.get("/api/v1/audit?page=3&per_page=25&until=2026-11-20",
                      headers=auth).get_json()
    assert numbers(last["items"]) == list(range(9, -1, -1)) and last["pages"] == 3
    big = client.get("/api/v1/audit?per_page=500&action=menu", headers=auth).get_json()
    assert big["per_page"] == 100 and len(big["items"]) == 40


def test_the_api_filters(client, auth, logged):
    def found(query):
        return numbers(client.get(f"/api/v1/audit?{query}&per_page=100",
                                  headers=auth).get_json()["items"])
    assert found("site=bakery&result=failed") == [59, 49]
    assert found("action=site") == list(range(59, 39, -1))
    assert found("actor=cli:sam&since=2026-11-20T12:50:00Z&until=2026-11-20T12:55") == \
        [53, 51]
    assert found("site=nowhere") == []


@pytest.mark.parametrize("query, fields", [
    ("since=2026-13-01", {"since"}),
    ("until=tomorrow&result=x", {"until", "result"}),
    ("action=a.b.c", {"action"}),
    ("page=0", {"page"}),
    ("per_page=-5&page=two", {"page", "per_page"}),
])
def test_the_api_answers_400_with_field_errors(client, auth, logged, query, fields):
    response = client.get(f"/api/v1/audit?{query}", headers=auth)
    assert response.status_code == 400 and set(response.get_json()["errors"]) == fields


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_the_api_needs_a_token(client, logged, header):
    response = client.get("/api/v1/audit", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and "items" not in response.get_json()


def test_the_openapi_document_describes_the_route(client):
    document = client.get("/api/openapi.json").get_json()
    route = document["paths"]["/audit"]["get"]
    assert {p["name"] for p in route["parameters"]} == {"site", "action", "actor", "since",
                                                        "until", "result", "page", "per_page"}
    assert set(route["responses"]) == {"200", "400", "401"}
    assert "AuditEvent" in document["components"]["schemas"]
    assert json.dumps(document).count("#/components/schemas/AuditPage") == 1
