"""The handbook from the sandbox's real inventory: built, rendered, published, opened."""

from __future__ import annotations

import subprocess

import pytest

from tests.bench.handbook import INTAKE
from tests.helpers import wp_login

pytestmark = pytest.mark.integration

HIDE_COMMENTS = {"schema_version": 1, "name": "No comments",
                 "targets": {"roles": ["editor"]}, "unknown_items": "show",
                 "menu": [{"slug": "edit-comments.php", "state": "hidden"}]}


@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", INTAKE)
    return "s"


@pytest.mark.parametrize("language", ["en", "vi", "zh"])
def test_build_every_format_from_the_real_site(app, site, tmp_path, language):
    book = app.handbooks.build("s", language=language)
    titles = [chapter.id for chapter in book.chapters]
    assert "type-portfolio" in titles and titles[-1] == "appendix"
    assert book.blanks == [] and book.warnings == []
    for fmt in ("html", "md", "pdf"):
        path = app.handbooks.write(book, "s", fmt, tmp_path)
        assert path.stat().st_size > 1000, fmt
    html = (tmp_path / f"s-handbook-{language}.html").read_text(encoding="utf-8")
    assert "Sandbox Client Co." in html and "help@agency.example" in html
    pages = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3",
                    str(tmp_path / f"s-handbook-{language}.pdf"), str(pages)], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == 3 and all(p.stat().st_size > 2000 for p in rendered)


def test_a_profile_hiding_comments_removes_every_instruction_about_them(app, site):
    before = app.handbooks.build("s").markdown()
    assert "**Comments**" in before
    app.menus.push("s", HIDE_COMMENTS)
    after = app.handbooks.build("s").markdown()
    assert "**Comments**" not in after and "edit-comments" not in after


def test_publish_and_the_client_opens_it(app, fresh_sandbox, site):
    book = app.handbooks.build("s")
    result = app.handbooks.publish("s", book)
    assert result.sections == len(book.chapters)
    state = app.handbooks.status("s")
    assert state["published"] and state["first_view"] in ({}, [])

    admin = wp_login(fresh_sandbox.url, fresh_sandbox.admin_login, fresh_sandbox.admin_password)
    admin.get(f"{fresh_sandbox.url}/wp-admin/admin.php?page=handoff-handbook", timeout=30)
    assert app.handbooks.status("s")["first_view"] in ({}, []), "an administrator is not the client"

    client = wp_login(fresh_sandbox.url, fresh_sandbox.client_login,
                      fresh_sandbox.client_password)
    page = client.get(f"{fresh_sandbox.url}/wp-admin/admin.php?page=handoff-handbook",
                      timeout=30)
    assert page.status_code == 200 and book.chapters[0].title in page.text
    found = client.get(f"{fresh_sandbox.url}/wp-admin/admin.php?page=handoff-handbook"
                       "&s=password", timeout=30)
    assert found.status_code == 200 and "password" in found.text.lower()
    state = app.handbooks.status("s")
    assert state["first_view"]["user_login"] == "client"

    app.handbooks.unpublish("s")
    assert not app.handbooks.status("s")["published"]


def test_without_the_plugin_the_handbook_becomes_a_private_page(app, fresh_sandbox, site):
    password = fresh_sandbox.php(
        "$user = get_user_by( 'login', 'client' );"
        "[ $password ] = WP_Application_Passwords::create_new_application_password("
        "  $user->ID, array( 'name' => 'handbook page' ) );"
        "echo $password;").strip()
    book = app.handbooks.build("s")
    first = app.handbooks.publish_as_page("s", book, "client", password)
    again = app.handbooks.publish_as_page("s", book, "client", password)
    assert first == again, "publishing again updates the same page"
    state = fresh_sandbox.php(f"$p = get_post( {first} ); echo $p->post_type, ' ', "
                              "$p->post_status, ' ', strlen( $p->post_content );").split()
    assert state[:2] == ["page", "private"] and int(state[2]) > 10000
    content = fresh_sandbox.php(f"echo get_post( {first} )->post_content;")
    assert "<script" not in content and book.chapters[0].title in content

    from handoff.wordpress.errors import BridgeError

    with pytest.raises(BridgeError) as caught:
        app.handbooks.publish_as_page("s", book, "client", "A" * 24)
    assert caught.value.code == "wrong_password"
