""""Denied" holds at every door on a real WordPress, not only at the screen.

The client (editor) and a restricted administrator log in with real cookies and open the
screens they will use *before* the profile is pushed, harvesting the nonces a browser tab
would hold; after the push every door is tried with them: core screens that show or change
what a denied item governs, a plugin page's own admin_init handler, admin-ajax, admin-post
and REST (core's routes and a plugin's namespace). A fixture plugin
(fixtures/denied-doors-fixture.php) records every handler that runs. After each test the
administrator still opens every screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import wp_login
from tests.profiles import PROFILE

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent / "fixtures" / "denied-doors-fixture.php"
BOSS, BOSS_PASSWORD = "boss", "Boss-password-4-tests!"
DENIED_NOW = {"upload.php", "edit-comments.php", "fixture-reports", "options-general.php"}
DOORS_PROFILE = {
    **PROFILE,
    "targets": {"roles": ["editor", "administrator"]},
    "menu": [{**item, "state": "denied"} if item["slug"] in DENIED_NOW else item
             for item in PROFILE["menu"]]
    + [{"slug": "fixture-reports", "state": "denied"},
       {"slug": "options-general.php", "state": "denied"}],
}


@pytest.fixture
def site(app, fresh_sandbox):
    fresh_sandbox.add_mu_plugin("denied-doors-fixture", FIXTURE.read_text())
    ids = fresh_sandbox.php(f"""
        $project = wp_insert_post( array( 'post_type' => 'portfolio', 'post_title' => 'Case study',
            'post_status' => 'publish' ) );
        $revision = wp_insert_post( array( 'post_type' => 'revision', 'post_parent' => $project,
            'post_status' => 'inherit', 'post_name' => $project . '-revision-v1',
            'post_title' => 'Old case study', 'post_content' => 'Old text' ) );
        $news = wp_insert_post( array( 'post_type' => 'post', 'post_title' => 'News',
            'post_status' => 'publish' ) );
        $comment = wp_insert_comment( array( 'comment_post_ID' => $news, 'comment_content' => 'Hi',
            'comment_approved' => 0, 'comment_author' => 'Visitor' ) );
        wp_insert_user( array( 'user_login' => '{BOSS}', 'user_pass' => '{BOSS_PASSWORD}',
            'user_email' => 'boss@example.test', 'role' => 'administrator' ) );
        echo "$project $revision $news $comment";""").split()
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    project, revision, news, comment = (int(value) for value in ids)
    yield {"project": project, "revision": revision, "news": news, "comment": comment}
    assert_the_administrator_opens_every_screen(fresh_sandbox, project, revision)


def push(app) -> dict:
    _, client = app.sites.client("s")
    answer = client.put_menu_profile(DOORS_PROFILE, client.menu_profile()["version"])
    assert answer["version"] >= 1
    return answer


def admin_url(sandbox, path: str) -> str:
    return f"{sandbox.url}/wp-admin/{path}"


def nonce(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, f"no nonce matching {pattern!r} on the page"
    return found.group(1)


def approve_link_nonce(comment: int) -> str:
    """Return a pattern capturing the nonce of the comment list's Approve link.

    WordPress 6.1 writes `comment.php?c=ID&action=approvecomment&_wpnonce=…`, 6.8
    `comment.php?action=approvecomment&c=ID&_wpnonce=…`: either order, this comment only.
    """
    amp = "(?:&amp;|&#038;)"
    return (rf"comment\.php\?(?:c={comment}{amp}action=approvecomment"
            rf"|action=approvecomment{amp}c={comment}){amp}_wpnonce=([0-9a-f]+)")


def doors_ran(sandbox) -> dict:
    import json
    return json.loads(sandbox.php("echo wp_json_encode( (object) get_option( "
                                  "'fixture_doors_ran', array() ) );") or "{}")


def assert_the_administrator_opens_every_screen(sandbox, project: int, revision: int) -> None:
    admin = wp_login(sandbox.url, sandbox.admin_login, sandbox.admin_password)
    for path in ["index.php", "edit.php?post_type=portfolio",
                 f"post.php?post={project}&action=edit", f"revision.php?revision={revision}",
                 "upload.php", "media-new.php",
                 "media-upload.php?type=image&tab=library", "edit-comments.php", "options.php",
                 "options-general.php", "admin.php?page=fixture-reports", "tools.php",
                 "admin.php?page=sandbox-reports", "plugins.php"]:
        response = admin.get(admin_url(sandbox, path), timeout=30, allow_redirects=False)
        assert response.status_code == 200, (path, response.status_code)


def test_core_screens_and_a_plugin_pages_admin_init_refuse(app, fresh_sandbox, site):
    client = wp_login(fresh_sandbox.url, fresh_sandbox.client_login, fresh_sandbox.client_password)
    before = {path: client.get(admin_url(fresh_sandbox, path), timeout=30,
                               allow_redirects=False).status_code
              for path in (f"revision.php?revision={site['revision']}",
                           "media-upload.php?type=image&tab=type",
                           "media-upload.php?type=image&tab=library", "media-new.php")}
    assert set(before.values()) == {200}, before
    media_nonce = nonce(client.get(admin_url(fresh_sandbox, "media-new.php"), timeout=30).text,
                        r'name="_wpnonce" value="([0-9a-f]+)"')
    attachments = "echo count( get_posts( array( 'post_type' => 'attachment', " \
                  "'post_status' => 'any', 'numberposts' => -1 ) ) );"
    count = fresh_sandbox.php(attachments)

    answer = push(app)
    for path in before:
        response = client.get(admin_url(fresh_sandbox, path), timeout=30)
        assert response.status_code == 403 and "not part of your site" in response.text, path
    restore = client.get(admin_url(fresh_sandbox, f"revision.php?revision={site['revision']}"
                                                  "&action=restore"), timeout=30)
    assert restore.status_code == 403
    for data in ({"_wpnonce": media_nonce, "name": "x.txt", "short": "1"},
                 {"_wpnonce": media_nonce, "name": "x.txt", "action": "upload-attachment"}):
        response = client.post(admin_url(fresh_sandbox, "async-upload.php"), data=data, timeout=30,
                               files={"async-upload": ("x.txt", b"hello", "text/plain")})
        assert response.status_code == 403, (data, response.status_code, response.text[:200])
    assert fresh_sandbox.php(attachments) == count, "nothing was uploaded"

    download = client.get(admin_url(fresh_sandbox, "admin.php?page=fixture-reports&download=1"),
                          timeout=30)
    assert download.status_code == 403 and "fixture download" not in download.text
    assert "admin_init" not in doors_ran(fresh_sandbox), "refused before its admin_init handler"
    assert answer["enforcement"]["items"], "the push answer carries the report"


def test_a_restricted_administrator_cannot_open_or_save_settings(app, fresh_sandbox, site):
    boss = wp_login(fresh_sandbox.url, BOSS, BOSS_PASSWORD)
    form = boss.get(admin_url(fresh_sandbox, "options-general.php"), timeout=30).text
    general = nonce(form, r'name="_wpnonce" value="([0-9a-f]+)"')
    assert boss.get(admin_url(fresh_sandbox, "options.php"), timeout=30).status_code == 200

    push(app)
    assert boss.get(admin_url(fresh_sandbox, "options.php"), timeout=30).status_code == 403
    saved = boss.post(admin_url(fresh_sandbox, "options.php"), timeout=30, data={
        "option_page": "general", "action": "update", "_wpnonce": general,
        "_wp_http_referer": "/wp-admin/options-general.php", "blogname": "Sandbox",
        "blogdescription": "Changed by the client"}, allow_redirects=False)
    assert saved.status_code == 403
    assert fresh_sandbox.php("echo get_option( 'blogdescription' );") != "Changed by the client"


def test_admin_ajax_admin_post_and_rest_refuse(app, fresh_sandbox, site):
    client = wp_login(fresh_sandbox.url, fresh_sandbox.client_login, fresh_sandbox.client_password)
    rest_nonce = client.get(admin_url(fresh_sandbox, "admin-ajax.php?action=rest-nonce"),
                            timeout=30).text.strip()
    assert re.fullmatch(r"[0-9a-f]{10}", rest_nonce)
    listing = client.get(admin_url(fresh_sandbox, "edit.php?post_type=portfolio"), timeout=30).text
    inline = nonce(listing, r'name="_inline_edit" value="([0-9a-f]+)"')
    comments = client.get(admin_url(fresh_sandbox, "edit-comments.php"), timeout=30).text
    approve = nonce(comments, approve_link_nonce(site["comment"]))
    reply = nonce(comments, r'name="_ajax_nonce-replyto-comment" value="([0-9a-f]+)"')
    count_comments = "echo get_comments( array( 'count' => true ) );"
    comments_before = fresh_sandbox.php(count_comments)

    push(app)
    ajax = admin_url(fresh_sandbox, "admin-ajax.php")
    refused = [
        client.post(ajax, timeout=30, data={
            "action": "inline-save", "_inline_edit": inline, "post_ID": site["project"],
            "post_type": "portfolio", "post_title": "Changed", "post_name": "case-study",
            "_status": "publish", "screen": "edit-portfolio"}),
        client.post(ajax, timeout=30, data={
            "action": "dim-comment", "id": site["comment"], "_ajax_nonce": approve,
            "new": "approved"}),
        client.post(ajax, timeout=30, data={
            "action": "replyto-comment", "_ajax_nonce-replyto-comment": reply,
            "comment_post_ID": site["news"], "comment_ID": site["comment"],
            "content": "A reply"}),
        client.post(ajax, timeout=30, data={"action": "fixture_save"}),
        client.post(admin_url(fresh_sandbox, "admin-post.php"), timeout=30,
                    data={"action": "fixture_export"}),
    ]
    headers = {"X-WP-Nonce": rest_nonce}
    rest = f"{fresh_sandbox.url}/wp-json"
    refused += [
        client.post(f"{rest}/wp/v2/portfolio/{site['project']}", json={"title": "Changed"},
                    headers=headers, timeout=30),
        client.post(f"{rest}/wp/v2/portfolio", json={"title": "New"}, headers=headers,
                    timeout=30),
        client.post(f"{rest}/wp/v2/comments/{site['comment']}", json={"status": "approve"},
                    headers=headers, timeout=30),
        client.post(f"{rest}/wp/v2/media", headers={**headers, "Content-Disposition":
                    'attachment; filename="x.txt"', "Content-Type": "text/plain"},
                    data=b"hello", timeout=30),
        client.post(f"{rest}/fixture/v1/reports", headers=headers, timeout=30),
    ]
    for response in refused:
        assert response.status_code in (400, 401, 403), (response.request.method,
                                                          response.request.url,
                                                          response.status_code,
                                                          response.text[:200])
        assert response.status_code == 403 or response.text.strip() == "-1", response.text[:200]

    state = fresh_sandbox.php(f"""
        echo get_post( {site['project']} )->post_title, '|',
            wp_get_comment_status( {site['comment']} ), '|',
            count( get_posts( array( 'post_type' => 'portfolio', 'post_status' => 'any',
            'numberposts' => -1 ) ) );""")
    assert state == "Case study|unapproved|1", state
    assert fresh_sandbox.php(count_comments) == comments_before, "no reply was added"
    assert doors_ran(fresh_sandbox) == {}, "no handler of the plugin ran"
    # The client still works where the profile lets them.
    post = client.post(f"{rest}/wp/v2/posts", json={"title": "Allowed"}, headers=headers,
                       timeout=30)
    assert post.status_code == 201, post.text[:200]


def test_links_to_denied_screens_disappear_and_the_report_says_why(app, fresh_sandbox, site):
    client = wp_login(fresh_sandbox.url, fresh_sandbox.client_login, fresh_sandbox.client_password)
    dashboard = client.get(admin_url(fresh_sandbox, "index.php"), timeout=30).text
    assert "action=approvecomment" in dashboard, "the Activity widget offers comment actions"
    assert "id='wp-admin-bar-new-portfolio'" in dashboard  # core prints these in single quotes

    answer = push(app)
    posts = client.get(admin_url(fresh_sandbox, "edit.php"), timeout=30).text
    dashboard = client.get(admin_url(fresh_sandbox, "index.php"), timeout=30).text
    for html in (posts, dashboard):
        assert "id='wp-admin-bar-new-portfolio'" not in html
        assert "post-new.php?post_type=portfolio" not in html
        assert "id='wp-admin-bar-new-media'" not in html
        assert "media-new.php" not in html
    assert "action=approvecomment" not in dashboard
    assert 'href="edit-comments.php' not in dashboard
    assert "post-new.php" in posts, "Add New of a visible type stays"

    rows = {item["slug"]: item["targets"] for item in answer["enforcement"]["items"]
            if not item["parent"]}
    editor = {row["target"]: row for row in rows["fixture-reports"]}["role:editor"]
    assert editor["withheld"] == ["fixture_manage_reports"]
    assert editor["doors"]["rest"]["status"] == "closed"
    assert "/fixture/v1/reports" in editor["doors"]["rest"]["reason"]
    reports = {row["target"]: row for row in rows["sandbox-reports"]}["role:editor"]
    assert reports["doors"]["admin_post"]["status"] == "open"
    assert "`edit_posts`" in reports["doors"]["admin_post"]["reason"]
    settings = {row["target"]: row for row in rows["options-general.php"]}
    assert settings["role:administrator"]["doors"]["rest"]["status"] == "closed"
    assert not settings["role:editor"]["opens_without_profile"]
