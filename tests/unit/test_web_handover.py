"""The dashboard's Handover page: check in the background, sign, waive, documents, complete."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from handoff.core import handovers as handovers_module
from handoff.core import sites as sites_module
from handoff.storage import HandoverDecision, HandoverRun, Site
from handoff.wordpress.errors import BridgeError
from tests.unit.conftest import csrf, set_up
from tests.unit.test_handover import INTAKE, INVENTORY, PASSING_PROBES, FakeSite

pytestmark = pytest.mark.usefixtures("offline_edges")

JSON = {"Accept": "application/json"}
PAGE = "/sites/shop/handover"
MANUAL_BLOCKERS = ("domain-owner", "hosting-owner", "credentials-delivered", "restore-tested")



@pytest.fixture
def shop(app, monkeypatch):
    """A stored site whose bridge, inventory and probes are faked at the edge."""
    fake = FakeSite()
    with app.store.session() as session:
        session.add(Site(name="shop", url="https://client.example", rest_url="x",
                         xmlrpc_url="https://client.example/xmlrpc.php", username="u",
                         secret=app.vault.encrypt("p"), environment_type="production",
                         created_at=datetime.now(UTC)))
    monkeypatch.setattr(sites_module, "open_client", lambda *a, **k: fake)
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    monkeypatch.setattr(app.sites, "latest_inventory", lambda name: INVENTORY)
    monkeypatch.setattr(handovers_module, "run_probes", lambda *a, **k: PASSING_PROBES)
    app.intakes.save("shop", INTAKE)
    return fake


@pytest.fixture
def checked(app, shop):
    app.handovers.check("shop")
    return shop


def token(client) -> str:
    return csrf(client, "/")


def decisions(app) -> int:
    with app.store.session() as session:
        return session.scalar(select(func.count()).select_from(HandoverDecision))


def runs(app) -> int:
    with app.store.session() as session:
        return session.scalar(select(func.count()).select_from(HandoverRun))


def html(response) -> str:
    return response.get_data(as_text=True)


# -- the page ---------------------------------------------------------------------------

def test_before_the_first_check_the_page_invites_one(logged_in, shop):
    page = html(logged_in.get(PAGE))
    assert "Not checked yet" in page and ">Run check</button>" in page
    assert re.search(r'<a href="/sites/shop/handover" aria-current="page">Handover</a>', page)
    assert "Available after the first check." in page
    assert "Download letter" in page  # the parting letter needs no check


def test_run_check_without_script_starts_a_job_and_redirects_to_its_progress(
        app, logged_in, shop):
    response = logged_in.post(f"{PAGE}/check", data={"csrf_token": token(logged_in)})
    assert response.status_code == 302
    job_id = re.search(r"job=([0-9a-f]{32})#run", response.headers["Location"]).group(1)
    job = app.jobs.wait(job_id)
    assert job.kind == "handover.check" and job.items[0]["message"] == "Blocked"
    page = html(logged_in.get(response.headers["Location"]))
    assert 'data-job-url="/jobs/' in page and "Run the handover checklist on sites: shop" in page
    assert '<meta http-equiv="refresh"' not in page  # finished: nothing left to wait for
    assert 'class="verdict"' in page and "Blocked</h2>" in page
    # the groups in the order of checklist.yaml, each item with its status, severity and fix
    groups = re.findall(r'<h2 id="group-([a-z]+)">', page)
    assert groups == ["ownership", "security", "performance", "seo", "backups", "legal",
                      "content", "training", "billing"]
    assert re.search(r'id="item-restore-tested".*?Needs sign-off.*?blocker', page, re.S)
    assert "<strong>4</strong> Needs sign-off" not in page  # counts are of all manual items
    assert re.search(r"<strong>\d+</strong> Needs sign-off", page)
    assert '<a href="#item-domain-owner">' in page  # the blockers link to their items


def test_a_running_check_shows_its_progress_and_refreshes_without_script(app, logged_in, shop,
                                                                        monkeypatch):
    class Parked:  # a runner that never starts the job: it stays queued
        name = "inprocess"

        def enqueue(self, jobs, job_id):
            pass
    monkeypatch.setattr(app.jobs, "runner", Parked())
    location = logged_in.post(f"{PAGE}/check", data={"csrf_token": token(logged_in)}
                              ).headers["Location"]
    for url in (location, PAGE):  # by its id, and found again when coming back later
        page = html(logged_in.get(url))
        assert 'data-job-status="queued"' in page
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page


def test_run_check_with_script_answers_202_and_the_state_has_every_region(app, logged_in,
                                                                          shop):
    response = logged_in.post(f"{PAGE}/check", data={"csrf_token": token(logged_in)},
                              headers=JSON)
    assert response.status_code == 202
    assert 'class="card job"' in response.json["html"]["job"]
    app.jobs.wait(response.json["job"]["id"])
    state = logged_in.get(f"{PAGE}.json", headers=JSON).json
    assert state["report"]["verdict"] == "Blocked"
    assert set(state["html"]) == {"summary", "checklist", "aside", "history"}
    assert 'id="item-debug-off"' in state["html"]["checklist"]
    assert "Download letter" in state["html"]["aside"]


def test_a_check_that_cannot_reach_the_site_keeps_the_last_results(app, logged_in, checked):
    checked.fail = BridgeError("timeout", url="https://client.example", detail="15 s")
    response = logged_in.post(f"{PAGE}/check", data={"csrf_token": token(logged_in)},
                              headers=JSON)
    job = app.jobs.wait(response.json["job"]["id"])
    assert job.failed == 1 and "did not answer" in job.items[0]["message"]
    page = html(logged_in.get(f"{PAGE}?job={job.id}"))
    assert "did not answer" in page and "Blocked</h2>" in page
    assert "incomplete: " in page  # the history shows the failed run


def test_open_only_lists_the_items_still_open_and_keeps_the_choice(app, logged_in, checked):
    report = app.handovers.latest("shop")
    open_ids = {item.id for item in report.items if item.open}
    page = html(logged_in.get(f"{PAGE}?show=open"))
    listed = set(re.findall(r'<li class="hitem[^"]*" id="item-([a-z-]+)"', page))
    assert listed == open_ids and "debug-off" not in listed  # passes on this site
    assert re.search(rf'aria-current="true">Open only <span class="filter-count" '
                     rf'data-open-total>{len(open_ids)}</span>', page)
    assert 'id="group-security"' not in page  # nothing open there
    assert '<input type="hidden" name="show" value="open">' in page
    response = logged_in.post(f"{PAGE}/items/invoice-paid/waive", data={
        "csrf_token": token(logged_in), "reason": "paid", "show": "open"})
    assert response.headers["Location"].endswith("?show=open#item-invoice-paid")
    state = logged_in.get(f"{PAGE}.json?show=open", headers=JSON).json
    assert 'id="item-invoice-paid"' not in state["html"]["checklist"]
    everything = html(logged_in.get(PAGE))
    assert len(re.findall(r'<li class="hitem', everything)) == len(report.items)


def test_state_before_the_first_check(logged_in, shop):
    state = logged_in.get(f"{PAGE}.json", headers=JSON).json
    assert state["report"] is None and "Not checked yet" in state["html"]["summary"]


# -- sign-offs and waivers --------------------------------------------------------------

def test_sign_off_without_script_records_who_and_redirects_to_the_item(app, logged_in,
                                                                      checked):
    response = logged_in.post(f"{PAGE}/items/restore-tested/sign", data={
        "csrf_token": token(logged_in), "by": "Jane Client", "note": "restored to staging"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/sites/shop/handover#item-restore-tested")
    page = html(logged_in.get(PAGE))
    assert "A restore from backup was tested: signed off. Verdict: Blocked." in page
    assert re.search(r"Signed off by <strong>Jane Client</strong>, .*?“restored to staging”",
                     page)
    item = app.handovers.latest("shop").items
    assert next(i for i in item if i.id == "restore-tested").status == "signed"


def test_waive_with_script_returns_the_item_the_summary_and_the_group_counts(app, logged_in,
                                                                            checked):
    before = app.handovers.latest("shop")
    open_in_billing = sum(1 for i in before.items if i.group == "billing" and i.open)
    response = logged_in.post(f"{PAGE}/items/invoice-paid/waive", headers=JSON, data={
        "csrf_token": token(logged_in), "reason": "paid in cash", "by": ""})
    assert response.status_code == 200
    data = response.json
    assert data["item"]["status"] == "waived" and data["verdict"] == "Blocked"
    assert data["message"] == "The final invoice is paid: waived. Verdict: Blocked."
    assert data["groups"]["billing"] == open_in_billing - 1
    assert 'id="item-invoice-paid"' in data["html"]["item"]
    assert "Waived by <strong>the developer</strong>" in data["html"]["item"]
    assert "Waive<span" not in data["html"]["item"]  # no longer open: no forms
    assert 'class="verdict"' in data["html"]["summary"]
    assert "paid in cash" in data["html"]["history"]


def test_the_by_field_is_prefilled_with_the_dashboard_user(logged_in, checked):
    page = html(logged_in.get(PAGE))
    assert re.search(r'id="sign-by-restore-tested" name="by" type="text" value="me"', page)
    assert re.search(r'id="waive-by-invoice-paid" name="by" type="text" value="me"', page)
    assert 'id="sign-by-debug-off"' not in page  # an automatic item cannot be signed


BAD_DECISIONS = [
    # (action, item, form, where the error shows, words)
    ("sign", "restore-tested", {"by": "  ", "note": "x"}, "sign-by-restore-tested-error",
     "Say who signs."),
    ("sign", "restore-tested", {"by": "Sam", "note": "n" * 2001},
     "sign-note-restore-tested-error", "at most 2000 fit"),
    ("sign", "restore-tested", {"by": "S" * 201}, "sign-by-restore-tested-error",
     "at most 200 fit"),
    ("sign", "debug-off", {"by": "Sam"}, "item-debug-off-error",
     "is checked automatically; it cannot be signed off"),
    ("waive", "invoice-paid", {"reason": "", "by": "Sam"}, "waive-reason-invoice-paid-error",
     "Say why it is waived."),
    ("waive", "invoice-paid", {"reason": "   "}, "waive-reason-invoice-paid-error",
     "Say why it is waived."),
    ("waive", "invoice-paid", {"reason": "r" * 2001}, "waive-reason-invoice-paid-error",
     "at most 2000 fit"),
    ("waive", "invoice-paid", {"reason": "ok", "by": "B" * 201}, "waive-by-invoice-paid-error",
     "at most 200 fit"),
]


@pytest.mark.parametrize("action, item, form, where, words", BAD_DECISIONS)
def test_a_refused_decision_shows_next_to_its_field_and_saves_nothing(
        app, logged_in, checked, action, item, form, where, words):
    response = logged_in.post(f"{PAGE}/items/{item}/{action}",
                              data={"csrf_token": token(logged_in), **form})
    assert response.status_code == 400
    page = html(response)
    assert re.search(rf'<p class="error" id="{where}"( role="alert")?>[^<]*{re.escape(words)}',
                     page)
    if where.endswith(("-by-error", "-reason-error", "-note-error")):
        field = where.removesuffix("-error")
        assert f'aria-describedby="{field}-error"' in page or \
            re.search(rf'aria-describedby="{field}-hint {field}-error"', page)
        assert re.search(rf'<details class="decision" open>\s*<summary[^>]*>'
                         rf'{"Sign off" if action == "sign" else "Waive"}', page)
    assert decisions(app) == 0


@pytest.mark.parametrize("action, item, form, where, words", BAD_DECISIONS)
def test_a_refused_decision_with_script_returns_the_item_with_the_error(
        app, logged_in, checked, action, item, form, where, words):
    response = logged_in.post(f"{PAGE}/items/{item}/{action}", headers=JSON,
                              data={"csrf_token": token(logged_in), **form})
    assert response.status_code == 400
    assert words in next(iter(response.json["errors"].values()))
    assert f'id="{where}"' in response.json["html"]["item"]
    assert decisions(app) == 0


@pytest.mark.parametrize("headers", [{}, JSON])
def test_an_unknown_item_is_said_on_top_and_nothing_is_saved(app, logged_in, checked,
                                                             headers):
    response = logged_in.post(f"{PAGE}/items/no-such-item/waive", headers=headers,
                              data={"csrf_token": token(logged_in), "reason": "r"})
    assert response.status_code == 400
    text = response.json["errors"]["item"] if headers else html(response)
    assert "No checklist item &#39;no-such-item&#39;." in text or \
        "No checklist item 'no-such-item'." in text
    assert decisions(app) == 0


# -- completing -------------------------------------------------------------------------

def test_complete_is_refused_while_blocked_with_the_core_message(app, logged_in, checked):
    response = logged_in.post(f"{PAGE}/complete", data={
        "csrf_token": token(logged_in), "by": "Sam", "disconnect": "yes"})
    assert response.status_code == 400
    assert re.search(r'id="complete-error" role="alert">The handover of &#39;shop&#39; is '
                     r"Blocked by: domain-owner", html(response))
    assert decisions(app) == 0 and not checked.disconnected


def sign_every_manual_item(app):
    for item in app.handovers.latest("shop").items:
        if item.status == "manual":
            app.handovers.sign("shop", item.id, by="Sam")


def test_complete_needs_who_completes(app, logged_in, checked):
    sign_every_manual_item(app)
    before = decisions(app)
    response = logged_in.post(f"{PAGE}/complete", data={"csrf_token": token(logged_in),
                                                        "by": " "})
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="complete-by-error">Say who completes.', html(response))
    assert decisions(app) == before


def test_complete_before_any_check_is_refused(app, logged_in, shop):
    response = logged_in.post(f"{PAGE}/complete", data={"csrf_token": token(logged_in),
                                                        "by": "Sam"})
    assert response.status_code == 400
    assert "No handover check has run for &#39;shop&#39; yet." in html(response)
    assert decisions(app) == 0


def test_complete_without_disconnect_records_it_at_once(app, logged_in, checked):
    sign_every_manual_item(app)
    response = logged_in.post(f"{PAGE}/complete", data={"csrf_token": token(logged_in),
                                                        "by": "Sam"}, follow_redirects=True)
    assert "Handover of shop completed by Sam (Ready)." in html(response)
    assert "Handover completed by <strong>Sam</strong>" in html(response)
    assert app.handovers.latest("shop").completed["by"] == "Sam"
    assert not checked.disconnected


def test_disconnect_asks_for_confirmation_first_then_revokes_and_verifies(app, logged_in,
                                                                         checked):
    sign_every_manual_item(app)
    before = decisions(app)
    confirm = logged_in.post(f"{PAGE}/complete", data={
        "csrf_token": token(logged_in), "by": "Sam", "disconnect": "yes"})
    assert confirm.status_code == 200
    page = html(confirm)
    assert "Complete the handover and disconnect?" in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert decisions(app) == before and not checked.disconnected
    done = logged_in.post(f"{PAGE}/complete", data={
        "csrf_token": token(logged_in), "by": "Sam", "disconnect": "yes", "confirm": "yes"},
        follow_redirects=True)
    assert "The backend&#39;s access to the site is revoked." in html(done)
    assert checked.disconnected
    assert "verified refused" in app.handovers.latest("shop").completed["note"]


def test_a_site_that_still_accepts_the_password_is_a_clear_failure(app, logged_in, checked,
                                                                   monkeypatch):
    sign_every_manual_item(app)
    before = decisions(app)
    monkeypatch.setattr(checked, "status", lambda: {})  # the revoked password still works
    response = logged_in.post(f"{PAGE}/complete", follow_redirects=True, data={
        "csrf_token": token(logged_in), "by": "Sam", "disconnect": "yes", "confirm": "yes"})
    assert "Completing the handover of shop failed: The site still accepts" in html(response)
    assert decisions(app) == before


# -- documents --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, content_type, starts", [
    ("pdf", "application/pdf", b"%PDF"),
    ("html", "text/html; charset=utf-8", b"<!doctype html>"),
    ("md", "text/markdown; charset=utf-8", b"# Handover report"),
    ("json", "application/json", b"{"),
])
def test_report_downloads_carry_type_and_file_name(logged_in, checked, fmt, content_type,
                                                   starts):
    response = logged_in.get(f"{PAGE}/report.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="shop-handover-report.{fmt}"'
    assert response.data.startswith(starts)


@pytest.mark.parametrize("path", ["/report.docx", "/report.pdf", "/letter"])
def test_documents_before_the_first_check_or_of_unknown_formats_are_404(logged_in, shop, path):
    assert logged_in.get(PAGE + path).status_code == 404


def test_report_of_an_unknown_format_is_404(logged_in, checked):
    response = logged_in.get(f"{PAGE}/report.docx")
    assert response.status_code == 404 and "Unknown format" in html(response)


def test_a_blocked_handover_letter_is_refused_next_to_the_draft_box(logged_in, checked):
    response = logged_in.get(f"{PAGE}/letter?kind=handover&format=md&reason=ignored")
    assert response.status_code == 400
    page = html(response)
    assert re.search(r'<p class="error" id="letter-draft-error" role="alert">[^<]*is not Ready '
                     r"\(verdict: Blocked[^<]*Tick Draft", page)


def test_the_handover_letter_as_a_draft(logged_in, checked):
    response = logged_in.get(f"{PAGE}/letter?kind=handover&format=md&draft=yes&reason=ignored")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="shop-handover-letter.md"'
    text = html(response)
    assert text.startswith("**DRAFT") and "still open" in text and "ignored" not in text


def test_the_parting_letter_with_its_options(logged_in, checked):
    response = logged_in.get(f"{PAGE}/letter", query_string=[
        ("kind", "parting"), ("format", "html"), ("reason", "we are closing"),
        ("final_date", "2027-01-31"), ("refund", "EUR 400, half of the retainer"),
        ("recommend", "Another Studio <hello@another.example>\r\n\r\nThird Co"),
        ("draft", "yes")])  # the handover letter's box, ignored for this letter
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="shop-parting-letter.html"'
    text = html(response)
    for words in ("we are closing", "31 January 2027", "We will refund EUR 400, half of the "
                  "retainer.", "<li>Another Studio — hello@another.example", "<li>Third Co"):
        assert words in text
    assert "DRAFT" not in text


def test_the_parting_letter_before_any_check_in_another_language(logged_in, shop):
    page = html(logged_in.get(PAGE))
    assert re.search(r'<input type="radio" name="kind" value="handover" disabled>', page)
    assert re.search(r'<input type="radio" name="kind" value="parting" checked>', page)
    response = logged_in.get(f"{PAGE}/letter", query_string={
        "kind": "parting", "format": "pdf", "lang": "vi", "reason": "chuyển công tác",
        "final_date": "2027-01-31"})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    markdown = logged_in.get(f"{PAGE}/letter", query_string={
        "kind": "parting", "lang": "zh", "reason": "x", "final_date": "2027-01-31"})
    assert "**2027年1月31日** 结束" in html(markdown)


def test_the_letter_form_offers_draft_language_and_pdf(logged_in, checked):
    page = html(logged_in.get(PAGE))
    assert 'name="draft" value="yes"' in page
    assert '<option value="vi">Tiếng Việt</option>' in page
    assert '<option value="pdf">PDF</option>' in page


def test_what_the_parting_letter_lacks_is_said_next_to_each_field(logged_in, checked):
    response = logged_in.get(f"{PAGE}/letter", query_string={"kind": "parting"})
    assert response.status_code == 400
    page = html(response)
    for field in ("letter-reason-error", "letter-final-date-error"):
        assert re.search(rf'<p class="error" id="{field}">Needed for the parting letter', page)


@pytest.mark.parametrize("query, field, words", [
    ({"kind": "farewell"}, "letter-kind-error", "Choose the handover letter or the parting"),
    ({"format": "docx"}, "letter-format-error", "Choose Markdown (md), HTML (html) or PDF"),
    ({"kind": "parting", "final_date": "31/01/2027"}, "letter-final-date-error",
     "is not a date"),
    ({"kind": "parting", "final_date": "2027-02-30"}, "letter-final-date-error",
     "is not a date"),
    ({"kind": "parting", "reason": "r" * 1001}, "letter-reason-error", "longer than 1000"),
    ({"kind": "parting", "refund": "r" * 1001}, "letter-refund-error", "longer than 1000"),
    ({"kind": "parting", "refund": "in full", "reason": "x", "final_date": "2027-01-31"},
     "letter-refund-error", "The refund names no amount"),
    ({"kind": "parting", "recommend": "\n".join(f"Dev {n}" for n in range(11))},
     "letter-recommend-error", "Recommend at most 10 developers"),
    ({"kind": "parting", "lang": "fr", "reason": "x", "final_date": "2027-01-31"},
     "letter-lang-error", "No texts for language"),
])
def test_bad_letter_options_show_next_to_their_field(logged_in, checked, query, field, words):
    response = logged_in.get(f"{PAGE}/letter", query_string=query)
    assert response.status_code == 400
    page = html(response)
    assert re.search(rf'<p class="error" id="{field}">[^<]*{re.escape(words)}', page)
    for name, value in query.items():  # what was typed stays in the form
        if name in ("reason", "refund"):
            assert value in page


# -- history ----------------------------------------------------------------------------

def test_history_lists_runs_and_decisions_with_who(app, logged_in, checked):
    app.handovers.sign("shop", "training-held", by="Jane Client", note="two hours")
    app.handovers.waive("shop", "invoice-paid", reason="the client is travelling", by="Sam")
    page = html(logged_in.get(PAGE))
    history = page[page.index('id="history-heading"'):]
    rows = re.findall(r"<tr><td class=\"nowrap\">.*?</tr>", history, re.S)
    assert len(rows) == 3
    assert "Waived" in rows[0] and "Sam" in rows[0] and "the client is travelling" in rows[0]
    assert "Signed off" in rows[1] and "Jane Client" in rows[1]
    assert "Check" in rows[2] and "Blocked" in rows[2]


# -- what every page route must refuse --------------------------------------------------

ROUTES = [("GET", ""), ("GET", ".json"), ("POST", "/check"),
          ("POST", "/items/restore-tested/sign"), ("POST", "/items/timezone/waive"),
          ("POST", "/complete"), ("GET", "/report.pdf"), ("GET", "/letter")]


@pytest.mark.parametrize("method, suffix", ROUTES)
def test_unknown_site_is_404(logged_in, method, suffix):
    response = logged_in.open(f"/sites/ghost/handover{suffix}", method=method,
                              data={"csrf_token": token(logged_in), "by": "x", "reason": "r"})
    assert response.status_code == 404
    if suffix == ".json":
        assert response.json["message"] == "No site named 'ghost'."
    else:
        assert "No site named &#39;ghost&#39;." in html(response)


@pytest.mark.parametrize("method, suffix", ROUTES)
def test_not_logged_in_is_sent_to_the_login(app, client, shop, method, suffix):
    set_up(client)
    response = client.open(PAGE + suffix, method=method,
                           data={"csrf_token": csrf(client), "by": "x", "reason": "r"})
    if suffix == ".json":  # the page script's endpoint answers in JSON
        assert response.status_code == 401 and response.json["error"] == "unauthorized"
    else:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert decisions(app) == 0 and runs(app) == 0


@pytest.mark.parametrize("suffix, form", [
    ("/check", {}), ("/items/restore-tested/sign", {"by": "Sam"}),
    ("/items/timezone/waive", {"reason": "r"}), ("/complete", {"by": "Sam"})])
@pytest.mark.parametrize("sent", [None, "forged"])
def test_a_post_without_the_csrf_token_is_refused(app, logged_in, checked, suffix, form, sent):
    data = {**form, **({"csrf_token": sent} if sent else {})}
    assert logged_in.post(PAGE + suffix, data=data).status_code == 400
    assert logged_in.post(PAGE + suffix, data=data, headers=JSON).status_code == 400
    assert decisions(app) == 0 and runs(app) == 1


def test_the_page_uses_no_inline_scripts_or_styles(logged_in, checked):
    page = html(logged_in.get(PAGE))
    scripts = re.findall(r"<script[^>]*>", page)
    assert '<script src="/static/js/handover.js" defer>' in scripts
    assert all(re.search(r' src="/static/[^"]+"', tag) for tag in scripts)
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)
