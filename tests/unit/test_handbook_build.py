"""The handbook builder on small templates: menu consistency, sandboxing, gaps, outputs."""

from __future__ import annotations

import pytest

from handoff.errors import InvalidInputError
from handoff.handbook import templates as templates_module
from handoff.handbook.build import BuildInput, build_handbook
from handoff.handbook.templates import TemplateError


def item(slug, title, *children):
    return {"slug": slug, "title": title, "capability": "read", "icon": "", "position": 0,
            "children": [{"slug": s, "title": t, "capability": "read"} for s, t in children]}


EDITOR = [item("index.php", "Dashboard"),
          item("edit.php?post_type=page", "Pages", ("edit.php?post_type=page", "All Pages"),
               ("post-new.php?post_type=page", "Add New")),
          item("edit-comments.php", "Comments"),
          item("edit.php?post_type=portfolio", "Portfolio",
               ("post-new.php?post_type=portfolio", "Add New"))]
INVENTORY = {
    "site": {"name": "Client <Co>", "home_url": "https://client.example",
             "site_url": "https://client.example"},
    "plugins": [{"file": "contact-form-7/wp-contact-form-7.php", "name": "Contact Form 7",
                 "version": "5.7", "active": True},
                {"file": "akismet/akismet.php", "name": "Akismet", "version": "5.0",
                 "active": False}],
    "themes": [{"stylesheet": "twentytwentythree", "name": "Twenty Twenty-Three",
                "version": "1.0", "active": True}],
    "post_types": [{"name": "page", "label": "Pages", "builtin": True, "show_ui": True,
                    "count": 3},
                   {"name": "portfolio", "label": "Portfolio <b>", "builtin": False,
                    "show_ui": True, "count": 2}],
    "users": {"list": [{"login": "client", "roles": ["editor"]}]},
    "admin_menu": {"full": EDITOR, "by_role": {"editor": EDITOR}},
}
STRINGS = """handbook_title: "{site} — Handbook"
contents: Contents
extras_title: Extras
appendix_title: Appendix
post_type_intro: "You have {count} items of {label}."
post_type_add: "Add one with {screen}."
to_complete: "to be completed: {what}"
"""
PAGES = """---
title: Pages
requires: ["edit.php?post_type=page"]
---
Open {{ screen("edit.php?post_type=page", "post-new.php?post_type=page") }}. You have
{{ count("page") }} pages.
"""
COMMENTS = """---
title: Comments
requires: ["edit-comments.php"]
on_missing: drop
---
Moderate them in {{ screen("edit-comments.php") }}.
"""
HELP = """---
title: Getting help
---
Write to {{ developer.email or blank("developer e-mail") }} — {{ client.name }}.
"""


@pytest.fixture
def make(tmp_path, monkeypatch):
    """Write templates into a folder of their own and build with them."""
    monkeypatch.setattr(templates_module, "SHIPPED", tmp_path / "none")

    def build(files: dict[str, str], intake=None, profile=None, language="en", **more):
        for name, text in {"en/strings.yaml": STRINGS, **files}.items():
            path = tmp_path / "t" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        intake = {"developer": {"email": "help@agency.example"}} if intake is None else intake
        return build_handbook(BuildInput(INVENTORY, intake, language, profile=profile,
                                         client_login="client", templates_dir=tmp_path / "t",
                                         **more))
    return build


def test_chapters_generated_parts_and_screen_names(make):
    book = make({"en/chapters/010-pages.md.j2": PAGES, "en/chapters/130-getting-help.md.j2": HELP,
                 "en/plugins/contact-form-7.md.j2": "---\ntitle: Forms\n---\n## Use\nText.\n"})
    assert [c.id for c in book.chapters] == ["getting-help", "pages", "type-portfolio", "extras",
                                             "appendix"]
    markdown = book.markdown()
    assert "**Pages › Add New**" in markdown and "You have\n3 pages." in markdown
    assert "#### Use" in markdown  # snippet headings sit under the extras chapter
    assert book.title == "Client <Co> — Handbook"


def test_renamed_and_hidden_screens_follow_the_menu_profile(make):
    profile = {"schema_version": 1, "name": "p", "targets": {"roles": ["editor"]},
               "menu": [{"slug": "edit.php?post_type=page", "state": "visible",
                         "title": "Our pages"},
                        {"slug": "edit-comments.php", "state": "hidden"}]}
    book = make({"en/chapters/010-pages.md.j2": PAGES,
                 "en/chapters/020-comments.md.j2": COMMENTS}, profile=profile)
    assert "**Our pages › Add New**" in book.markdown()
    assert "comments" not in [c.id for c in book.chapters]
    assert book.dropped == [("Comments", "user client cannot open edit-comments.php"),
                            ("Portfolio <b>",
                             "user client cannot open edit.php?post_type=portfolio")]
    assert "Moderate" not in book.markdown()


def test_on_missing_fail_stops_the_build(make):
    failing = COMMENTS.replace("on_missing: drop", "on_missing: fail")
    profile = {"schema_version": 1, "name": "p", "targets": {"roles": ["editor"]},
               "menu": [{"slug": "index.php", "state": "visible"}]}
    with pytest.raises(InvalidInputError) as caught:
        make({"en/chapters/010-comments.md.j2": failing}, profile=profile)
    assert "'Comments' cannot be built" in caught.value.cause


def test_naming_a_screen_the_client_cannot_open_is_an_error(make):
    with pytest.raises(TemplateError) as caught:
        make({"en/chapters/010-x.md.j2": "---\ntitle: X\n---\nOpen {{ screen('plugins.php') }}."})
    assert "010-x.md.j2: names the screen plugins.php" in caught.value.cause


@pytest.mark.parametrize("body, words", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "may not use"),
    ("{{ site.__class__ }}", ""),
])
def test_templates_cannot_reach_python_internals(make, body, words):
    try:
        book = make({"en/chapters/010-x.md.j2": f"---\ntitle: X\n---\nline\n{body}\n"})
    except TemplateError as error:
        assert "010-x.md.j2:" in error.cause and words in error.cause
    else:
        assert "class" not in book.markdown()


def test_a_broken_template_names_file_and_line(make):
    with pytest.raises(TemplateError) as caught:
        make({"en/chapters/010-x.md.j2": "---\ntitle: X\n---\none\ntwo {% if %}\n"})
    assert "010-x.md.j2:5:" in caught.value.cause


def test_html_in_intake_and_site_data_is_neutralized(make):
    hostile = {"developer": {"email": "<script>alert(1)</script>"},
               "client": {"name": "<img src=x onerror=alert(1)>"}}
    book = make({"en/chapters/010-help.md.j2": HELP}, intake=hostile)
    html = book.html_document()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "Portfolio &lt;b&gt;" in html
    assert "Client &lt;Co&gt;" in html


def test_missing_answers_are_named_or_left_as_visible_blanks(make):
    files = {"en/chapters/010-help.md.j2": HELP}
    with pytest.raises(InvalidInputError) as caught:
        make(files, intake={})
    assert "developer e-mail" in caught.value.cause and "--allow-blanks" in caught.value.fix
    book = make(files, intake={}, allow_blanks=True)
    assert "[to be completed: developer e-mail]" in book.markdown()
    assert book.blanks == ["developer e-mail"]


def test_a_missing_snippet_translation_falls_back_to_english(make):
    book = make({"vi/chapters/010-pages.md.j2": PAGES.replace("title: Pages", "title: Trang"),
                 "en/plugins/contact-form-7.md.j2": "---\ntitle: Forms\n---\nEnglish.\n"},
                language="vi")
    assert "English." in book.markdown()
    assert book.warnings == ["no vi text for the contact-form-7 snippet: English used"]


def test_unknown_language_and_templates_folder(make, tmp_path):
    with pytest.raises(InvalidInputError) as caught:
        make({}, language="fr")
    assert caught.value.code == "language"
    with pytest.raises(InvalidInputError):
        build_handbook(BuildInput(INVENTORY, {}, "en", templates_dir=tmp_path / "missing"))


def test_html_is_self_contained_and_pdf_has_an_outline(make):
    book = make({"en/chapters/010-pages.md.j2": PAGES, "en/chapters/130-getting-help.md.j2": HELP})
    html = book.html_document()
    assert "<style>" in html and "http" not in html.split("<main>")[0].replace(
        "https://client.example", "")
    assert html.count('<li><a href="#') == len(book.chapters)
    from weasyprint import HTML

    document = HTML(string=html).render()
    titles = [entry[0] for entry in document.make_bookmark_tree()]
    assert titles[0] == book.title
    chapters = [entry[0] for entry in document.make_bookmark_tree()[0][2]] if \
        len(document.make_bookmark_tree()) == 1 else titles[1:]
    assert [c.title for c in book.chapters] == [t for t in chapters if t != "Contents"]
    assert book.pdf().startswith(b"%PDF")


def test_an_oversized_handbook_is_refused(make):
    huge = "---\ntitle: Big\n---\n" + ("word " * 500_000)
    with pytest.raises(InvalidInputError) as caught:
        make({"en/chapters/010-big.md.j2": huge}).body_html()
    assert caught.value.code == "too_large"


def test_a_content_type_the_client_cannot_open_is_listed_as_left_out(make):
    hidden = {"schema_version": 1, "name": "No portfolio", "targets": {"roles": ["editor"]},
              "unknown_items": "show",
              "menu": [{"slug": "edit.php?post_type=portfolio", "state": "hidden"}]}
    book = make({"en/chapters/010-pages.md.j2": PAGES}, profile=hidden)
    assert "type-portfolio" not in [chapter.id for chapter in book.chapters]
    assert ("Portfolio <b>", "user client cannot open edit.php?post_type=portfolio") \
        in book.dropped
    shown = make({"en/chapters/010-pages.md.j2": PAGES})
    assert "type-portfolio" in [chapter.id for chapter in shown.chapters]
    assert not [title for title, _ in shown.dropped if title.startswith("Portfolio")]
