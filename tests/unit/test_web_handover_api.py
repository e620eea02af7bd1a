"""The handover checklist in the JSON API: check as a job, decisions, documents, complete."""

from __future__ import annotations

import pytest

from tests.unit import test_web_handover as pages
from tests.unit.test_web_handover import decisions, runs

pytestmark = pytest.mark.usefixtures("offline_edges")

BASE = "/api/v1/sites/shop/handover"
shop = pages.shop  # the stored site with its bridge faked at the edge (a fixture)



@pytest.fixture
def checked(app, shop):
    app.handovers.check("shop")
    return shop


def test_before_the_first_check_the_report_is_a_clear_404(client, auth, shop):
    response = client.get(BASE, headers=auth)
    assert response.status_code == 404
    assert response.json == {"error": "no_run",
                             "message": "No handover check has run for 'shop' yet.",
                             "fix": "start one: POST /api/v1/sites/shop/handover/check"}


def test_check_is_a_job_and_the_report_follows(app, client, auth, shop):
    response = client.post(f"{BASE}/check", headers=auth)
    assert response.status_code == 202
    job = response.json
    assert job["kind"] == "handover.check" and job["total"] == 1
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    finished = app.jobs.wait(job["id"])
    assert finished.items[0]["detail"]["verdict"] == "Blocked"
    report = client.get(BASE, headers=auth).json
    assert report["verdict"] == "Blocked" and report["site"] == "shop"
    assert len(report["items"]) >= 38 and report["counts"]["manual"] >= 4


def test_sign_and_waive(client, auth, checked):
    signed = client.post(f"{BASE}/items/restore-tested/sign", headers=auth,
                         json={"by": "Jane Client", "note": "restored to staging"})
    assert signed.status_code == 200
    assert signed.json["item"]["status"] == "signed"
    assert signed.json["item"]["decision"]["by"] == "Jane Client"
    assert signed.json["verdict"] == "Blocked" and signed.json["counts"]["signed"] == 1
    waived = client.post(f"{BASE}/items/invoice-paid/waive", headers=auth,
                         json={"reason": "paid in cash"})
    assert waived.json["item"]["status"] == "waived"
    assert waived.json["item"]["decision"]["by"] == "the developer"


def test_a_decision_before_any_check_has_no_verdict_yet(client, auth, shop):
    signed = client.post(f"{BASE}/items/restore-tested/sign", headers=auth, json={"by": "S"})
    assert signed.status_code == 200 and signed.json["verdict"] is None


@pytest.mark.parametrize("path, body, errors", [
    ("items/restore-tested/sign", None, {"body"}),
    ("items/restore-tested/sign", [], {"body"}),
    ("items/restore-tested/sign", {}, {"by"}),
    ("items/restore-tested/sign", {"by": 5}, {"by"}),
    ("items/restore-tested/sign", {"by": "  "}, {"by"}),
    ("items/restore-tested/sign", {"by": "S", "note": ["x"]}, {"note"}),
    ("items/restore-tested/sign", {"by": "S", "note": "n" * 2001}, {"note"}),
    ("items/restore-tested/sign", {"by": "S" * 201}, {"by"}),
    ("items/debug-off/sign", {"by": "Sam"}, {"item_id"}),
    ("items/invoice-paid/waive", None, {"body"}),
    ("items/invoice-paid/waive", {}, {"reason"}),
    ("items/invoice-paid/waive", {"reason": ""}, {"reason"}),
    ("items/invoice-paid/waive", {"reason": None}, {"reason"}),
    ("items/invoice-paid/waive", {"reason": "r", "by": 1}, {"by"}),
    ("items/invoice-paid/waive", {"reason": "r" * 2001}, {"reason"}),
    ("complete", None, {"body"}),
    ("complete", {}, {"by"}),
    ("complete", {"by": 7}, {"by"}),
    ("complete", {"by": "Sam", "disconnect": "yes"}, {"disconnect"}),
])
def test_bad_input_is_400_with_field_errors_and_records_nothing(app, client, auth, checked,
                                                                path, body, errors):
    response = client.post(f"{BASE}/{path}", headers=auth, json=body)
    assert response.status_code == 400, response.json
    assert set(response.json["errors"]) == errors
    assert decisions(app) == 0


def test_the_core_says_why_a_field_is_refused(client, auth, checked):
    response = client.post(f"{BASE}/items/debug-off/sign", headers=auth, json={"by": "Sam"})
    assert response.json["code"] == "not_manual"
    assert "checked automatically; it cannot be signed off" in response.json["errors"]["item_id"]
    empty = client.post(f"{BASE}/items/invoice-paid/waive", headers=auth, json={"reason": " "})
    assert empty.json == {"errors": {"reason": "Say why it is waived."},
                          "code": "missing_reason"}


def test_an_unknown_item_is_404(app, client, auth, checked):
    response = client.post(f"{BASE}/items/no-such-item/waive", headers=auth,
                           json={"reason": "r"})
    assert response.status_code == 404 and response.json["error"] == "unknown_item"
    assert decisions(app) == 0


def test_complete_is_409_while_blocked_or_never_checked(app, client, auth, shop):
    never = client.post(f"{BASE}/complete", headers=auth, json={"by": "Sam"})
    assert never.status_code == 409 and never.json["error"] == "no_run"
    app.handovers.check("shop")
    blocked = client.post(f"{BASE}/complete", headers=auth,
                          json={"by": "Sam", "disconnect": True})
    assert blocked.status_code == 409 and blocked.json["error"] == "blocked"
    assert "Blocked by: domain-owner" in blocked.json["message"]
    assert decisions(app) == 0 and not shop.disconnected


def test_complete_with_disconnect(app, client, auth, checked):
    for item in app.handovers.latest("shop").items:
        if item.status == "manual":
            app.handovers.sign("shop", item.id, by="Sam")
    done = client.post(f"{BASE}/complete", headers=auth, json={"by": "Sam",
                                                               "disconnect": True})
    assert done.status_code == 200 and done.json["completed"]["by"] == "Sam"
    assert checked.disconnected


def test_a_failing_disconnect_is_502(app, client, auth, checked, monkeypatch):
    for item in app.handovers.latest("shop").items:
        if item.status == "manual":
            app.handovers.sign("shop", item.id, by="Sam")
    before = decisions(app)
    monkeypatch.setattr(checked, "status", lambda: {})  # the revoked password still works
    failed = client.post(f"{BASE}/complete", headers=auth, json={"by": "Sam",
                                                                 "disconnect": True})
    assert failed.status_code == 502 and failed.json["error"] == "still_connected"
    assert decisions(app) == before


@pytest.mark.parametrize("fmt, content_type", [
    ("pdf", "application/pdf"), ("html", "text/html; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"), ("json", "application/json")])
def test_report_files(client, auth, checked, fmt, content_type):
    response = client.get(f"{BASE}/report?format={fmt}", headers=auth)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="shop-handover-report.{fmt}"'


def test_report_defaults_to_html_and_refuses_unknown_formats(client, auth, checked):
    assert client.get(f"{BASE}/report", headers=auth).headers["Content-Type"].startswith(
        "text/html")
    bad = client.get(f"{BASE}/report?format=docx", headers=auth)
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"format"}


def test_documents_before_the_first_check_are_404(client, auth, shop):
    for path in ("report?format=pdf", "letter"):
        response = client.get(f"{BASE}/{path}", headers=auth)
        assert response.status_code == 404 and response.json["error"] == "no_run"


def test_letters(client, auth, checked):
    refused = client.get(f"{BASE}/letter", headers=auth)
    assert refused.status_code == 409 and refused.json["error"] == "not_ready"
    draft = client.get(f"{BASE}/letter?draft=true", headers=auth)
    assert draft.headers["Content-Disposition"] == \
        'attachment; filename="shop-handover-letter.md"'
    assert draft.get_data(as_text=True).startswith("**DRAFT")
    parting = client.get(f"{BASE}/letter", headers=auth, query_string=[
        ("kind", "parting"), ("format", "html"), ("final_date", "2027-01-31"),
        ("reason", "we are closing"), ("recommend", "Another Studio"),
        ("recommend", "Third Co"), ("lang", "vi")])
    assert parting.status_code == 200
    assert parting.headers["Content-Type"] == "text/html; charset=utf-8"
    text = parting.get_data(as_text=True)
    assert "31 tháng 1 năm 2027" in text and "Another Studio" in text and "Third Co" in text


def test_the_parting_letter_needs_no_check_but_its_reason_and_date(client, auth, shop):
    missing = client.get(f"{BASE}/letter?kind=parting", headers=auth)
    assert missing.status_code == 400 and set(missing.json["errors"]) == {"reason",
                                                                          "final_date"}
    blanks = client.get(f"{BASE}/letter?kind=parting&allow_blanks=true", headers=auth)
    assert blanks.status_code == 200 and "to be filled in" in blanks.get_data(as_text=True)


@pytest.mark.parametrize("query, field", [
    ({"kind": "farewell"}, "kind"), ({"format": "docx"}, "format"),
    ({"reason": "why"}, "kind"),  # parting options on the handover letter
    ({"kind": "parting", "final_date": "next week"}, "final_date"),
    ({"kind": "parting", "refund": "x" * 1001}, "refund"),
    ({"kind": "parting", "recommend": "x" * 201}, "recommend"),
    ({"kind": "parting", "reason": "x", "final_date": "2027-01-31", "lang": "fr"}, "lang"),
])
def test_bad_letter_options_are_400(client, auth, checked, query, field):
    response = client.get(f"{BASE}/letter", headers=auth, query_string=query)
    assert response.status_code == 400 and set(response.json["errors"]) == {field}


def test_the_report_takes_a_language(client, auth, checked):
    text = client.get(f"{BASE}/report?format=md&lang=zh", headers=auth).get_data(as_text=True)
    assert text.startswith("# 移交报告——Client") and "共 42 个项目" in text


def test_history(app, client, auth, checked):
    app.handovers.waive("shop", "invoice-paid", reason="paid in cash", by="Sam")
    history = client.get(f"{BASE}/history", headers=auth).json
    assert [run["verdict"] for run in history["runs"]] == ["Blocked"]
    assert history["decisions"][0] | {"at": ""} == {
        "item_id": "invoice-paid", "kind": "waive", "by": "Sam", "note": "paid in cash",
        "at": ""}


@pytest.mark.parametrize("method, suffix", [
    ("GET", ""), ("POST", "/check"), ("POST", "/items/restore-tested/sign"),
    ("POST", "/items/invoice-paid/waive"), ("POST", "/complete"), ("GET", "/report"),
    ("GET", "/letter"), ("GET", "/history")])
def test_unknown_site_is_404(app, client, auth, method, suffix):
    response = client.open(f"/api/v1/sites/ghost/handover{suffix}", method=method,
                           headers=auth, json={"by": "x", "reason": "r"})
    assert response.status_code == 404
    assert response.json["message"] == "No site named 'ghost'."
    assert runs(app) == 0 and decisions(app) == 0
