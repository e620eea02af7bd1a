"""The dashboard's Handbook page and its API: intake form, preview, downloads, publishing."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
import responses
from responses import matchers

from handoff.core import handbooks as handbooks_module
from handoff.core.intake import intake_fields
from handoff.handbook import templates as templates_module
from handoff.storage import Site
from handoff.web.handbook_view import PREVIEW_CSP, Previews, field_id
from handoff.wordpress.errors import BridgeError
from tests.helpers import store_bytes
from tests.unit.conftest import csrf, set_up

pytestmark = pytest.mark.usefixtures("offline_edges")

URL = "https://client.example"
REST = f"{URL}/wp-json/handoff/v1"
PAGE = "/sites/client/handbook"
JSON = {"Accept": "application/json"}
TODAY = date.today().isoformat()


def item(slug, title, *children):
    return {"slug": slug, "title": title, "capability": "read", "icon": "", "position": 0,
            "children": [{"slug": s, "title": t, "capability": "read"} for s, t in children]}


EDITOR = [item("index.php", "Dashboard"),
          item("edit.php", "Posts", ("edit.php", "All Posts"), ("post-new.php", "Add New")),
          item("upload.php", "Media", ("upload.php", "Library"), ("media-new.php", "Add New")),
          item("edit.php?post_type=page", "Pages", ("edit.php?post_type=page", "All Pages"),
               ("post-new.php?post_type=page", "Add New")),
          item("edit-comments.php", "Comments"), item("profile.php", "Profile")]
INVENTORY = {
    "site": {"name": "Client Co", "home_url": URL, "site_url": URL,
             "admin_email": "owner@client.example"},
    "plugins": [{"file": "contact-form-7/wp-contact-form-7.php", "name": "Contact Form 7",
                 "version": "5.7", "active": True}],
    "themes": [{"stylesheet": "twentytwentythree", "name": "Twenty Twenty-Three",
                "version": "1.0", "active": True}],
    "post_types": [{"name": "page", "label": "Pages", "builtin": True, "show_ui": True,
                    "count": 3}],
    "users": {"list": [{"login": "client", "roles": ["editor"]}]},
    "admin_menu": {"full": EDITOR, "by_role": {"editor": EDITOR}},
}
FULL = {"language": "en", "client": {"name": "Client Co", "login": "client"},
        "developer": {"name": "Agency Ltd", "email": "help@agency.example"},
        "responsibilities": {"client": ["Writing content", "Answering messages"]},
        "backups": {"frequency": "daily"}, "updates": {"policy": "Weekly"}}
UNPUBLISHED = {"published": False, "title": "", "language": "", "hash": "", "published_at": 0,
               "published_by": "", "sections": [], "first_view": {}, "views_by_client": 0}
VI_TITLE = "Client Co — Sổ tay sử dụng website"
PUBLISHED = {"published": True, "title": VI_TITLE, "language": "vi",
             "hash": "ab12cd34ef56" + "0" * 52, "published_at": 1_767_225_600,
             "published_by": "handoff-bridge", "sections": [{"id": "a", "title": "A"}] * 12,
             "first_view": {"user_login": "client", "at": 1_767_229_200}, "views_by_client": 3}
# A wrong value for each intake answer (its pattern, else its length), entered in the form.
BAD = {"language": "fr", "handover_date": "2026-02-30", "client.email": "nope",
       "client.phone": "call me", "client.login": "no/slash", "developer.email": "a@b",
       "developer.phone": "+1 (555) x", "developer.website": "javascript:alert(1)"}


def bad_value(field) -> object:
    if field.kind == "list":
        return ["fine", "y" * (field.max_length + 1)]
    return BAD.get(field.path) or "x" * (field.max_length + 1)



@pytest.fixture
def site(app, monkeypatch):
    """A stored site whose inventory is known (sync faked) and whose bridge is `wp`."""
    with app.store.session() as session:
        session.add(Site(name="client", url=URL, rest_url=f"{URL}/wp-json/",
                         xmlrpc_url=f"{URL}/xmlrpc.php", username="handoff-bridge",
                         secret=app.vault.encrypt("x" * 24), created_at=datetime.now(UTC),
                         environment_type="production", transport="rest"))
    monkeypatch.setattr(app.sites, "sync", lambda name: INVENTORY)
    monkeypatch.setattr(app.sites, "latest_inventory", lambda name: INVENTORY)
    return "client"


@pytest.fixture
def wp():
    """The site's bridge routes, faked at the HTTP edge."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{REST}/menu-profile", json={"profile": None})
        mock.get(f"{REST}/handbook", json=UNPUBLISHED)
        mock.post(f"{REST}/handbook", json={"published_at": 1_767_225_600, "hash": "ab12",
                                            "size": 9000, "sections": 13},
                  match=[matchers.header_matcher({"X-HTTP-Method-Override": "PUT"})])
        mock.post(f"{REST}/handbook", json={"published": False, "removed": True},
                  match=[matchers.header_matcher({"X-HTTP-Method-Override": "DELETE"})])
        yield mock



def html(response) -> str:
    return response.get_data(as_text=True)


def token(client) -> str:
    return csrf(client, "/")


def sent(wp, method: str) -> list[dict]:
    """The bodies the backend sent to the site's handbook route with that method."""
    return [json.loads(call.request.body) if call.request.body else {}
            for call in wp.calls if call.request.url == f"{REST}/handbook"
            and call.request.headers.get("X-HTTP-Method-Override") == method]


def form_of(answers: dict) -> dict:
    """The intake form's fields for some answers (lists as their lines)."""
    fields = {}
    for field in intake_fields():
        node = answers
        for part in field.path.split("."):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if node != {}:
            fields[field.path] = node
    return fields


# -- the page ---------------------------------------------------------------------------

def test_the_form_comes_from_the_schema_prefilled_with_the_stored_answers(app, logged_in,
                                                                          site, wp):
    app.intakes.save("client", {"language": "vi", "developer": {"email": "help@agency.example"},
                                "responsibilities": {"client": ["Writing content"]}})
    page = html(logged_in.get(PAGE))
    for field in intake_fields():
        assert f'for="{field_id(field.path)}"' in page, field.path
        assert f'name="{field.path}"' in page, field.path
    assert "<legend>Developer</legend>" in page and ">Support e-mail" in page
    assert 'id="intake-developer-email-hint"' not in page  # no hint in the schema
    assert "e.g. Mon–Fri 9:00–17:00" in page  # a hint from the schema
    assert '<option value="vi" selected>Tiếng Việt (Vietnamese)</option>' in page
    assert re.search(r'<input id="intake-developer-email" name="developer.email" '
                     r'type="email" value="help@agency.example"', page)
    rows = re.findall(r'name="responsibilities.client" id="[^"]+" value="([^"]*)"', page)
    assert rows == ["Writing content", "", ""]  # the answer, then blank lines
    assert 'aria-label="What the client does, line 2"' in page
    assert "data-add-row hidden" in page  # shown by the script only


def test_the_missing_answers_of_the_chosen_language_link_to_their_fields(logged_in, site, wp):
    page = html(logged_in.get(f"{PAGE}?lang=vi"))
    missing = page[page.index('id="missing-answers"'):page.index("</ul>")]
    assert "The Vietnamese handbook still needs 4 answers" in missing
    assert '<a href="#intake-developer-email">Developer › Support e-mail</a>' in missing
    assert "email của bên phát triển" in missing  # the build's own words
    assert re.search(r'for="intake-developer-name">Business name <span class="badge '
                     r'needed">needed</span>', page)


def test_with_every_needed_answer_the_page_says_so(app, logged_in, site, wp):
    app.intakes.save("client", FULL)
    page = html(logged_in.get(PAGE))
    assert "The English handbook has every answer it needs." in page
    assert "badge needed" not in page


def test_before_the_first_sync_the_page_asks_for_one(app, logged_in, site, wp, monkeypatch):
    monkeypatch.setattr(app.sites, "latest_inventory", lambda name: None)
    page = html(logged_in.get(PAGE))
    assert "Sync the site to see which answers the handbook needs." in page
    response = logged_in.get(f"{PAGE}?preview=1&offline=1")
    assert response.status_code == 422 and "has not been synced yet" in html(response)


def test_saving_stores_the_answers_trimmed_with_blank_lines_dropped(app, logged_in, site, wp):
    form = {**form_of(FULL), "client.name": "  Client Co  ",
            "responsibilities.client": ["Writing content", "", "  Answering messages "],
            "csrf_token": token(logged_in)}
    response = logged_in.post(f"{PAGE}/intake", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    assert app.intakes.get("client") == FULL
    assert "Saved the intake of client." in html(logged_in.get(PAGE))


def test_clearing_every_field_empties_the_intake(app, logged_in, site, wp):
    app.intakes.save("client", FULL)
    logged_in.post(f"{PAGE}/intake", data={"csrf_token": token(logged_in)})
    assert app.intakes.get("client") == {}


@pytest.mark.parametrize("path", [field.path for field in intake_fields()])
def test_a_wrong_answer_shows_next_to_its_field_keeps_the_form_and_saves_nothing(
        app, logged_in, site, wp, path):
    app.intakes.save("client", FULL)
    field = next(f for f in intake_fields() if f.path == path)
    form = {**form_of(FULL), "client.contact": "Kept Person", path: bad_value(field),
            "csrf_token": token(logged_in)}
    response = logged_in.post(f"{PAGE}/intake", data=form)
    assert response.status_code == 400
    page = html(response)
    error = re.search(rf'<p class="error" id="{field_id(path)}-error">([^<]+)</p>', page)
    assert error, page[:2000]
    assert page.count('class="error" id="intake-') == 1  # only the wrong one
    assert "Nothing was saved: 1 answer to correct." in page
    assert f'<li><a href="#{field_id(path)}">{field.label}</a>: ' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Kept Person"' in page or path == "client.contact"  # entered values stay
    assert app.intakes.get("client") == FULL


@pytest.mark.parametrize("lines, words", [
    (["ok", "ok", "y" * 301], "Line 3: is too long: at most 300 characters"),
    ([f"task {n}" for n in range(31)], "has too many lines: at most 30"),
])
def test_list_errors_name_the_line_or_the_limit(app, logged_in, site, wp, lines, words):
    response = logged_in.post(f"{PAGE}/intake", data={
        "responsibilities.developer": lines, "csrf_token": token(logged_in)})
    assert response.status_code == 400
    assert f'id="intake-responsibilities-developer-error">{words}' in html(response)
    assert app.intakes.get("client") == {}


@pytest.mark.parametrize("query, field", [("lang=fr", "lang"), ("blanks=maybe", "blanks"),
                                          ("offline=2", "offline")])
def test_a_bad_build_choice_shows_next_to_its_input(logged_in, site, wp, query, field):
    response = logged_in.get(f"{PAGE}?preview=1&{query}")
    assert response.status_code == 400
    assert f'id="{field}-error"' in html(response) and "<iframe" not in html(response)


def test_pages_use_no_inline_scripts_or_styles(app, logged_in, site, wp):
    app.intakes.save("client", FULL)
    for path in (PAGE, f"{PAGE}?preview=1&lang=vi", f"{PAGE}?preview=1&lang=fr"):
        page = html(logged_in.get(path))
        scripts = re.findall(r"<script[^>]*>", page)
        assert scripts and all(re.search(r' src="/static/[^"]+"', tag) for tag in scripts)
        assert "<style" not in page and " style=" not in page
        assert not re.search(r"\son[a-z]+=", page)


# -- preview ----------------------------------------------------------------------------

def test_preview_in_vietnamese_is_framed_from_its_own_route_with_its_own_policy(
        app, logged_in, site, wp):
    app.intakes.save("client", FULL)
    page = html(logged_in.get(f"{PAGE}?preview=1&lang=vi"))
    frame = re.search(r'<iframe class="handbook-frame" sandbox src="([^"]+)" '
                      r'title="Handbook preview, Vietnamese"', page)
    assert frame and "id=" in frame.group(1)
    assert "Preview — Vietnamese" in page and "chapters left out" in page
    calls = len(wp.calls)
    document = logged_in.get(frame.group(1).replace("&amp;", "&"))
    assert len(wp.calls) == calls, "the frame shows the page's build; no second build"
    assert document.status_code == 200 and document.content_type.startswith("text/html")
    assert document.headers["Content-Security-Policy"] == PREVIEW_CSP
    assert "sandbox" in PREVIEW_CSP and "frame-ancestors 'self'" in PREVIEW_CSP
    assert document.headers["X-Frame-Options"] == "SAMEORIGIN"
    text = html(document)
    assert text.startswith("<!doctype html>") and '<html lang="vi">' in text
    assert "Đăng nhập" in text and "<style>" in text  # Vietnamese, its CSS inline


def test_every_other_response_keeps_the_strict_frame_policy(app, logged_in, site, wp):
    app.intakes.save("client", FULL)
    for path in (PAGE, f"{PAGE}?preview=1", f"{PAGE}/download?format=html"):
        headers = logged_in.get(path).headers
        assert headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path


def test_the_preview_route_alone_builds_and_refuses_other_sites_previews(app, logged_in, site,
                                                                         wp):
    app.intakes.save("client", FULL)
    previews = logged_in.application.extensions["handbook_previews"]
    foreign = previews.put("other", "<p>another site's handbook</p>")
    document = logged_in.get(f"{PAGE}/preview?lang=zh&id={foreign}")
    assert document.status_code == 200 and "another site" not in html(document)
    assert '<html lang="zh-CN">' in html(document)
    assert document.headers["Content-Security-Policy"] == PREVIEW_CSP


def test_html_in_intake_answers_is_neutralised_in_the_preview(app, logged_in, site, wp):
    hostile = {**FULL, "developer": {"name": "<img src=x onerror=alert(1)>",
                                     "email": "help@agency.example"},
               "updates": {"policy": "<script>alert(1)</script>"},
               "support": {"hours": "[click](javascript:alert(1)) {: onclick=alert(1) }"}}
    app.intakes.save("client", hostile)
    text = html(logged_in.get(f"{PAGE}/preview"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text
    # Markdown syntax in an answer stays text: no link, no attribute.
    assert "[click](javascript:alert(1)) {: onclick=alert(1) }" in text
    assert "<a href=\"javascript" not in text and not re.search(r"<[^>]+ onclick=", text)


def test_missing_answers_are_a_clear_message_with_links_not_a_500(logged_in, site, wp):
    response = logged_in.get(f"{PAGE}?preview=1&lang=en")
    assert response.status_code == 422
    page = html(response)
    alert = page[page.index('class="card build-error"'):page.index('id="intake"')]
    assert "The intake lacks answers the handbook needs: update policy" in alert
    assert '<a href="#intake-updates-policy">Updates › Update policy</a>' in alert
    assert "tick “Allow blanks”" in alert and "<iframe" not in page
    blanks = logged_in.get(f"{PAGE}?preview=1&lang=en&blanks=1")
    assert blanks.status_code == 200 and "Blanks left for: update policy" in html(blanks)


def test_the_preview_route_shows_build_errors_inside_its_own_policy(logged_in, site, wp):
    document = logged_in.get(f"{PAGE}/preview?lang=en")
    assert document.status_code == 422
    assert document.headers["Content-Security-Policy"] == PREVIEW_CSP
    assert "The intake lacks answers the handbook needs" in html(document)


@pytest.fixture
def own_templates(tmp_path, monkeypatch):
    """Replace the shipped templates by a folder the test writes."""
    root = tmp_path / "templates"
    monkeypatch.setattr(templates_module, "SHIPPED", root)

    def write(files: dict[str, str]) -> None:
        for name, text in {"en/strings.yaml": "contents: Contents\n", **files}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return write


@pytest.mark.parametrize("template, words", [
    ("---\ntitle: X\n---\none\ntwo {% if %}\n", "010-x.md.j2:5:"),
    ("---\ntitle: Users\nrequires: [users.php]\non_missing: fail\n---\nText.\n",
     "The chapter 'Users' cannot be built: user client cannot open users.php"),
    ("---\ntitle: X\n---\nOpen {{ screen('users.php') }}.\n",
     "names the screen users.php, which user client cannot open"),
])
def test_template_and_chapter_errors_say_where_and_how_to_fix(app, logged_in, site, wp,
                                                            own_templates, template, words):
    own_templates({"en/chapters/010-x.md.j2": template})
    app.intakes.save("client", FULL)
    response = logged_in.get(f"{PAGE}?preview=1")
    assert response.status_code == 422
    alert = unescape(html(response))
    alert = alert[alert.index('class="card build-error"'):alert.index('id="intake"')]
    assert words in alert and "<strong>Fix:</strong>" in alert


def test_an_unreachable_site_is_a_502_message(app, logged_in, site, wp, monkeypatch):
    def refused(name):
        raise BridgeError("refused", url=URL)
    monkeypatch.setattr(app.sites, "sync", refused)
    app.intakes.save("client", FULL)
    response = logged_in.get(f"{PAGE}?preview=1")
    assert response.status_code == 502
    assert "refused the connection" in html(response) and "Fix:" in html(response)


def test_an_unreadable_status_does_not_break_the_page(app, logged_in, site):
    with responses.RequestsMock() as mock:
        mock.get(f"{REST}/handbook", status=500, body="boom")
        page = html(logged_in.get(PAGE))
    assert "The site's handbook status could not be read" in page
    assert 'name="developer.email"' in page


def test_previews_expire_and_belong_to_one_site():
    previews = Previews(limit=2, seconds=-1)
    assert previews.get("a", previews.put("a", "doc")) is None  # already expired
    previews = Previews(limit=2)
    first = previews.put("a", "one")
    assert previews.get("a", first) == "one" and previews.get("b", first) is None
    previews.put("a", "two")
    previews.put("a", "three")
    assert previews.get("a", first) is None, "the oldest is dropped past the limit"


# -- downloads --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, content_type, start", [
    ("pdf", "application/pdf", b"%PDF"),
    ("html", "text/html; charset=utf-8", b"<!doctype html>"),
    ("md", "text/markdown; charset=utf-8", "# Client Co — Sổ tay".encode()),
])
def test_downloads_carry_type_and_a_dated_file_name(app, logged_in, site, wp, fmt,
                                                    content_type, start):
    app.intakes.save("client", FULL)
    response = logged_in.get(f"{PAGE}/download?lang=vi&format={fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=client-handbook-vi-{TODAY}.{fmt}"
    assert response.data.startswith(start)
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_a_bad_format_shows_next_to_the_buttons(logged_in, site, wp):
    response = logged_in.get(f"{PAGE}/download?format=docx")
    assert response.status_code == 400 and 'id="format-error"' in html(response)
    as_json = logged_in.get(f"{PAGE}/download?format=docx&lang=fr", headers=JSON)
    assert as_json.status_code == 400 and set(as_json.json["errors"]) == {"format", "lang"}


def test_a_download_that_cannot_be_built_answers_the_script_in_json(logged_in, site, wp):
    response = logged_in.get(f"{PAGE}/download?format=pdf", headers=JSON)
    assert response.status_code == 422 and response.json["error"] == "intake_incomplete"
    assert "developer name" in response.json["message"] and response.json["fix"]
    page = logged_in.get(f"{PAGE}/download?format=pdf")
    assert page.status_code == 422 and "The handbook cannot be built" in html(page)


# -- publishing -------------------------------------------------------------------------

def test_publish_builds_the_chosen_language_and_shows_the_status(app, logged_in, site, wp):
    app.intakes.save("client", FULL)
    response = logged_in.post(f"{PAGE}/publish", data={
        "csrf_token": token(logged_in), "lang": "vi", "blanks": "", "offline": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{PAGE}?lang=vi#publish")
    [document] = sent(wp, "PUT")
    assert document["language"] == "vi" and document["title"] == VI_TITLE
    assert "<h2 id=" in document["html"] and len(document["hash"]) == 64
    wp.replace(responses.GET, f"{REST}/handbook", json=PUBLISHED)
    page = html(logged_in.get(response.headers["Location"]))
    assert "Published the Vietnamese handbook on client: 13 sections." in page
    status = page[page.index('id="publish"'):page.index('class="page-publish"')]
    assert f"Published</span> <strong>{VI_TITLE}</strong>" in status
    assert "<code>ab12cd34ef56</code>, 12 sections" in status
    assert "2026-01-01 00:00 UTC" in status
    assert "first by client, 2026-01-01 01:00 UTC" in status and "3 visits" in status
    assert "Publish again: Vietnamese" in status and ">Unpublish…</summary>" in status
    assert ">Unpublish the handbook</button>" in status


def test_publish_with_missing_answers_sends_nothing(logged_in, site, wp):
    response = logged_in.post(f"{PAGE}/publish", data={"csrf_token": token(logged_in)})
    assert response.status_code == 422 and "The handbook cannot be built" in html(response)
    assert sent(wp, "PUT") == []


@pytest.mark.parametrize("form, field", [({"lang": "fr"}, "lang"),
                                         ({"blanks": "perhaps"}, "blanks"),
                                         ({"offline": "yes please"}, "offline")])
def test_publish_refuses_a_bad_choice_next_to_its_input(app, logged_in, site, wp, form, field):
    app.intakes.save("client", FULL)
    response = logged_in.post(f"{PAGE}/publish", data={"csrf_token": token(logged_in), **form})
    assert response.status_code == 400 and f'id="{field}-error"' in html(response)
    assert sent(wp, "PUT") == []


def test_unpublish_takes_it_off_and_says_so(logged_in, site, wp):
    response = logged_in.post(f"{PAGE}/unpublish", data={"csrf_token": token(logged_in)},
                              follow_redirects=True)
    assert len(sent(wp, "DELETE")) == 1
    assert "Took the handbook off client" in html(response)


def test_a_failing_unpublish_is_a_message(logged_in, site):
    with responses.RequestsMock() as mock:
        mock.post(f"{REST}/handbook", status=403, json={"code": "rest_forbidden"})
        mock.get(f"{REST}/handbook", json=PUBLISHED)
        response = logged_in.post(f"{PAGE}/unpublish", data={"csrf_token": token(logged_in)},
                                  follow_redirects=True)
    assert "Unpublishing the handbook of client failed" in html(response)


@pytest.fixture
def private_pages(monkeypatch):
    """The XML-RPC edge of publish_as_page: records what it was given."""
    given = []

    def publish(url, login, password, title, body, page_id, **more):
        if password == "wrong password":
            raise BridgeError("wrong_password", url=url, detail="403")
        given.append((login, password, title))
        return 42
    monkeypatch.setattr(handbooks_module, "publish_private_page", publish)
    return given


def test_publish_as_a_private_page_never_keeps_or_shows_the_password(
        app, logged_in, site, wp, private_pages):
    app.intakes.save("client", FULL)
    secret = "abcd EFGH ijkl MNOP qrst UVWX"
    response = logged_in.post(f"{PAGE}/publish-page", data={
        "csrf_token": token(logged_in), "lang": "en", "login": "client", "password": secret},
        follow_redirects=True)
    assert "as private page #42." in html(response) and secret not in html(response)
    assert private_pages == [("client", secret, "Client Co — Site Handbook")]
    assert secret.encode() not in store_bytes(app)


@pytest.mark.parametrize("form, field", [
    ({"login": "", "password": "abcd"}, "login"),
    ({"login": "x" * 61, "password": "abcd"}, "login"),
    ({"login": "client", "password": "  "}, "password"),
    ({"login": "client", "password": "wrong password"}, "password"),
    ({"login": "client", "password": "abcd", "lang": "fr"}, "lang"),
])
def test_publish_as_page_errors_sit_next_to_their_field(app, logged_in, site, wp,
                                                        private_pages, form, field):
    app.intakes.save("client", FULL)
    response = logged_in.post(f"{PAGE}/publish-page",
                              data={"csrf_token": token(logged_in), **form})
    assert response.status_code == 400
    page = html(response)
    assert f'id="{field}-error"' in page and "<details class=\"page-publish\" open>" in page
    if form["login"] == "client":
        assert 'id="login" name="login" type="text" value="client"' in page
    assert form["password"] not in page.replace('type="password"', "") or \
        form["password"].strip() == ""
    assert private_pages == []


# -- guards -----------------------------------------------------------------------------

ROUTES = [("GET", PAGE), ("GET", f"{PAGE}/preview"), ("GET", f"{PAGE}/download?format=md"),
          ("POST", f"{PAGE}/intake"), ("POST", f"{PAGE}/publish"),
          ("POST", f"{PAGE}/publish-page"), ("POST", f"{PAGE}/unpublish")]


@pytest.mark.parametrize("method, path", ROUTES)
def test_not_logged_in_is_sent_to_the_login(client, site, method, path):
    set_up(client)
    response = client.open(path, method=method, data={"csrf_token": csrf(client)})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("method, path", ROUTES)
def test_an_unknown_site_is_a_404(logged_in, method, path):
    response = logged_in.open(path.replace("/client/", "/ghost/"), method=method,
                              data={"csrf_token": token(logged_in)})
    assert response.status_code == 404 and "No site named" in html(response)


@pytest.mark.parametrize("path", [p for m, p in ROUTES if m == "POST"])
def test_a_post_without_the_csrf_token_changes_nothing(app, logged_in, site, wp,
                                                       private_pages, path):
    form = {**form_of(FULL), "lang": "en", "login": "client", "password": "abcd"}
    assert logged_in.post(path, data=form).status_code == 400
    assert logged_in.post(path, data={**form, "csrf_token": "forged"}).status_code == 400
    assert app.intakes.get("client") == {} and sent(wp, "PUT") == sent(wp, "DELETE") == []
    assert private_pages == []


# -- API --------------------------------------------------------------------------------

API = "/api/v1/sites/client"


def test_api_reads_and_replaces_the_intake(app, client, auth, site):
    assert client.get(f"{API}/intake", headers=auth).json == {}
    saved = client.put(f"{API}/intake", headers=auth, json=FULL)
    assert saved.status_code == 200 and saved.json == FULL
    assert client.get(f"{API}/intake", headers=auth).json == FULL == app.intakes.get("client")


@pytest.mark.parametrize("body, errors", [
    (None, {"body"}), ([FULL], {"body"}), ("text", {"body"}),
    ({"developer": {"email": "nope"}}, {"developer.email"}),
    ({"language": "fr", "handover_date": "2026-02-30"}, {"language", "handover_date"}),
    ({"favourite_colour": "blue"}, {"body"}),
    ({"developer": {"fax": "1"}}, {"developer"}),
    ({"responsibilities": {"client": ["ok", "y" * 301]}}, {"responsibilities.client.1"}),
    ({"responsibilities": {"client": "not a list"}}, {"responsibilities.client"}),
    ({"client": {"name": 5}}, {"client.name"}),
])
def test_api_refuses_a_bad_intake_with_errors_by_path_and_saves_nothing(app, client, auth, site,
                                                                        body, errors):
    app.intakes.save("client", FULL)
    response = client.put(f"{API}/intake", headers=auth, json=body) if body is not None else \
        client.put(f"{API}/intake", headers=auth, data="{broken")
    assert response.status_code == 400 and set(response.json["errors"]) == errors
    assert app.intakes.get("client") == FULL


@pytest.mark.parametrize("fmt, content_type", [("html", "text/html; charset=utf-8"),
                                               ("md", "text/markdown; charset=utf-8"),
                                               ("pdf", "application/pdf")])
def test_api_answers_the_handbook_file(app, client, auth, site, wp, fmt, content_type):
    app.intakes.save("client", FULL)
    response = client.get(f"{API}/handbook?lang=zh&format={fmt}", headers=auth)
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=client-handbook-zh-{TODAY}.{fmt}"


@pytest.mark.parametrize("query, errors", [
    ("lang=fr", {"lang"}), ("format=docx", {"format"}), ("allow_blanks=perhaps", {"allow_blanks"}),
    ("offline=2&format=odt", {"offline", "format"}),
])
def test_api_handbook_refuses_bad_parameters(client, auth, site, wp, query, errors):
    response = client.get(f"{API}/handbook?{query}", headers=auth)
    assert response.status_code == 400 and set(response.json["errors"]) == errors


def test_api_handbook_that_cannot_be_built_is_422_and_an_unreachable_site_502(
        app, client, auth, site, wp, monkeypatch):
    response = client.get(f"{API}/handbook", headers=auth)
    assert response.status_code == 422 and response.json["error"] == "intake_incomplete"
    assert "developer e-mail" in response.json["message"] and "--allow-blanks" in \
        response.json["fix"]
    assert client.get(f"{API}/handbook?allow_blanks=true", headers=auth).status_code == 200

    def refused(name):
        raise BridgeError("refused", url=URL)
    monkeypatch.setattr(app.sites, "sync", refused)
    failed = client.get(f"{API}/handbook?allow_blanks=1", headers=auth)
    assert failed.status_code == 502 and failed.json["error"] == "refused"


def test_api_publish_status_and_unpublish(app, client, auth, site, wp):
    app.intakes.save("client", FULL)
    published = client.post(f"{API}/handbook/publish", headers=auth, json={"lang": "vi"})
    assert published.status_code == 200, published.json
    assert published.json["sections"] == 13 and published.json["language"] == "vi"
    assert published.json["blanks"] == [] and published.json["dropped"]
    assert client.post(f"{API}/handbook/publish", headers=auth).status_code == 200  # no body
    assert [body["language"] for body in sent(wp, "PUT")] == ["vi", "en"]
    wp.replace(responses.GET, f"{REST}/handbook", json=PUBLISHED)
    status = client.get(f"{API}/handbook/status", headers=auth)
    assert status.json["published"] and status.json["first_view"]["user_login"] == "client"
    removed = client.delete(f"{API}/handbook", headers=auth)
    assert removed.json == {"published": False, "removed": True}


def test_api_publishes_a_private_page_and_refuses_a_wrong_password(app, client, auth, site, wp,
                                                                   private_pages):
    app.intakes.save("client", FULL)
    page = {"login": "client", "password": "abcd EFGH"}
    answer = client.post(f"{API}/handbook/publish", headers=auth, json={"page": page})
    assert answer.status_code == 200 and answer.json["page_id"] == 42
    wrong = client.post(f"{API}/handbook/publish", headers=auth,
                        json={"page": {**page, "password": "wrong password"}})
    assert wrong.status_code == 400 and set(wrong.json["errors"]) == {"page.password"}
    assert "wrong password" not in wrong.get_data(as_text=True)


@pytest.mark.parametrize("body, errors", [
    ("[1]", {"body"}), ("{broken", {"body"}), ({"lang": "fr"}, {"lang"}),
    ({"allow_blanks": "yes"}, {"allow_blanks"}), ({"offline": 1}, {"offline"}),
    ({"page": "client"}, {"page"}), ({"page": {"login": "client"}}, {"page.password"}),
    ({"page": {"login": "", "password": 5}}, {"page.login", "page.password"}),
    ({"page": {"login": "x" * 61, "password": "p"}}, {"page.login"}),
])
def test_api_publish_refuses_bad_input_and_sends_nothing(app, client, auth, site, wp,
                                                         private_pages, body, errors):
    app.intakes.save("client", FULL)
    if isinstance(body, str):
        response = client.post(f"{API}/handbook/publish", headers={
            **auth, "Content-Type": "application/json"}, data=body)
    else:
        response = client.post(f"{API}/handbook/publish", headers=auth, json=body)
    assert response.status_code == 400 and set(response.json["errors"]) == errors
    assert sent(wp, "PUT") == [] and private_pages == []


def test_api_publish_that_cannot_be_built_sends_nothing(client, auth, site, wp):
    response = client.post(f"{API}/handbook/publish", headers=auth, json={})
    assert response.status_code == 422 and response.json["error"] == "intake_incomplete"
    assert sent(wp, "PUT") == []


@pytest.mark.parametrize("method, path", [
    ("GET", "/intake"), ("PUT", "/intake"), ("GET", "/handbook"), ("DELETE", "/handbook"),
    ("POST", "/handbook/publish"), ("GET", "/handbook/status")])
def test_api_unknown_site_is_404_and_no_token_401(client, auth, site, method, path):
    ghost = client.open(f"/api/v1/sites/ghost{path}", method=method, headers=auth, json={})
    assert ghost.status_code == 404 and "No site named 'ghost'" in ghost.json["message"]
    anonymous = client.open(f"{API}{path}", method=method, json={})
    assert anonymous.status_code == 401


@pytest.mark.parametrize("method, path", [("DELETE", "/handbook"),
                                          ("GET", "/handbook/status")])
def test_api_site_failures_are_502(client, auth, site, method, path):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{REST}/handbook", status=403, json={"code": "rest_forbidden"})
        mock.post(f"{REST}/handbook", status=403, json={"code": "rest_forbidden"})
        response = client.open(f"{API}{path}", method=method, headers=auth)
    assert response.status_code == 502 and response.json["message"] and response.json["fix"]


def test_openapi_describes_the_handbook_routes(client):
    document = client.get("/api/openapi.json").json
    assert set(document["paths"]["/sites/{name}/handbook"]) == {"get", "delete"}
    assert set(document["paths"]["/sites/{name}/intake"]) == {"get", "put"}
    intake = document["components"]["schemas"]["Intake"]
    # The pattern the backend enforces, not `format`, which validators read differently.
    email = intake["properties"]["developer"]["properties"]["email"]
    assert "pattern" in email and "format" not in email
