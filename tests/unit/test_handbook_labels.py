"""The label catalogue: ui() in templates, version choice, WordPress's own translations, lint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoff.handbook import templates as templates_module
from handoff.handbook.build import BuildInput, build_handbook
from handoff.handbook.label_translations import derive_branch, language_folders
from handoff.handbook.labels import LOCALES, Catalogue, LabelError
from handoff.handbook.templates import LANGUAGES, SHIPPED
from tests.unit.test_handbook_build import INVENTORY, STRINGS

PAGES = """---
title: Pages
requires: ["edit.php?post_type=page"]
---
Change the text, then click
{{ ui("editor.update", post_type="page") }}.
{% if has_ui("editor.switch_to_draft") %}Or {{ ui("editor.switch_to_draft") }}.{% endif %}
"""


@pytest.fixture
def build(tmp_path, monkeypatch):
    """Build a handbook from one chapter for a site of a given WordPress version."""
    monkeypatch.setattr(templates_module, "SHIPPED", tmp_path / "none")

    def run(chapter: str, version: str = "6.1", language: str = "en"):
        for name, text in {f"{language}/strings.yaml": STRINGS, "en/strings.yaml": STRINGS,
                           f"{language}/chapters/030-pages.md.j2": chapter}.items():
            path = tmp_path / "t" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        inventory = {**INVENTORY, "software": {"wordpress": version}}
        return build_handbook(BuildInput(inventory, {"developer": {"email": "a@b.example"}},
                                         language, client_login="client",
                                         templates_dir=tmp_path / "t"))
    return run


def test_every_label_use_is_recorded_with_its_template_file_and_line(build, tmp_path):
    book = build(PAGES)
    uses = [(use.id, use.text, use.screen, use.post_type, use.line) for use in book.labels]
    assert uses == [("editor.update", "Update", "post.php", "page", 6),
                    ("editor.switch_to_draft", "Switch to draft", "post.php", None, 7)]
    assert book.labels[0].template == str(tmp_path / "t/en/chapters/030-pages.md.j2")
    assert "Click\n**Update**" in book.markdown().replace("click", "Click")


def test_labels_follow_the_sites_wordpress_version(build):
    book = build(PAGES, version="6.8.1")
    assert [(use.id, use.text) for use in book.labels] == [("editor.update", "Save")]
    assert "**Save**" in book.markdown()
    assert "Switch to draft" not in book.markdown()


def test_a_label_gone_from_the_sites_version_is_an_error_naming_file_and_line(build):
    with pytest.raises(LabelError, match=r"030-pages\.md\.j2:5: .*no longer has this label"):
        build('---\ntitle: Pages\n---\n\n{{ ui("editor.switch_to_draft") }}\n', version="6.8")


def test_an_unknown_label_is_an_error_naming_file_and_line(build):
    with pytest.raises(LabelError, match=r"030-pages\.md\.j2:6: ui\('editor\.nope'\)"):
        build('---\ntitle: Pages\n---\nText.\n\nClick {{ ui("editor.nope") }}.\n')


def test_the_sidebar_toggles_to_open_are_recorded_as_the_site_shows_them(build):
    book = build('---\ntitle: P\n---\n{{ ui("editor.sticky", post_type="post") }}\n',
                 version="6.8")
    assert book.labels[0].text == "Sticky"
    assert book.labels[0].open == ("Settings", "Change status: %s")


@pytest.mark.parametrize(("language", "label", "text"), [
    ("vi", "dashboard.screen_options", "Tùy chỉnh hiển thị"),
    ("vi", "list.trash", "Thùng rác"),
    ("zh", "list.trash", "移至回收站"),
    ("zh", "editor.categories", "分类目录"),  # taxonomy label, with WordPress's msgctxt
    # Debian's language files carry no block editor (JSON) translations: the editor is
    # English on such a site, so the handbook says what the client will see.
    ("vi", "editor.update", "Update"),
])
def test_vi_and_zh_say_what_wordpress_own_translation_shows(build, language, label, text):
    book = build(f'---\ntitle: P\n---\n{{{{ ui("{label}", post_type="post") }}}}\n',
                 language=language)
    assert book.labels[0].text == text
    assert f"**{text}**" in book.markdown()


def catalogue_texts(language: str) -> dict[str, str]:
    """Every text a catalogue label can have in `language`: text -> label id."""
    catalogue = Catalogue.load()
    texts = {}
    for label_id, label in catalogue.labels.items():
        for variant in label.variants:
            if variant.msgid:
                texts.setdefault(variant.msgid, label_id)
    if language in LOCALES:
        for branch in catalogue.translations.values():
            for label_id, ranges in (branch.get(language) or {}).items():
                for entry in ranges.values():
                    texts.setdefault(entry["text"], label_id)
    return texts


BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
# Terms defined, not buttons to find: the glossary's bold words are its headwords, and so is a
# bold word opening a list item before a colon ("- **Editor**: writes and publishes…").
TERMS = {"chapters/140-glossary.md.j2"}
HEADWORD = re.compile(r"^\s*[-*]\s+\*\*[^*\n]+\*\*\s*[:：]")
# Bold labels that are not WordPress's but a plugin's own, on the plugin's own screens
# (Contact Form 7's Save, WooCommerce's Settings…): the catalogue does not hold them and the
# sandbox, which has none of these plugins, cannot check them, so they stay bold text. Each row
# names the plugin(s) whose screen the label is on; WordPress's own labels have no row.
PLUGIN_LABELS = Path(__file__).with_name("handbook_label_debt.txt")


def bare_labels(language: str) -> list[tuple[str, int, str, str]]:
    """(file, line, text, label id) of every bold catalogue label in the language's templates."""
    texts = catalogue_texts(language)
    found = []
    for path in sorted((SHIPPED / language).rglob("*.md.j2")):
        name = str(path.relative_to(SHIPPED / language))
        if name in TERMS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in BOLD.finditer(line):
                if match.start() == line.find("**") and HEADWORD.match(line):
                    continue
                text = match.group(1).strip()
                if text in texts:
                    found.append((f"{language}/{name}", number, text, texts[text]))
    return found


def plugin_labels() -> dict[tuple[str, str], list[str]]:
    """(file, text) -> the plugin folders whose screens show that bold label."""
    rows = [line.split("\t") for line in PLUGIN_LABELS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return {(row[0], row[1]): (row[2].split(",") if len(row) > 2 and row[2] else [])
            for row in rows}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_template_writes_a_catalogue_label_as_bare_bold(language):
    """A label the client must find goes through ui(), so a browser can check it."""
    known = plugin_labels()
    new = [f"{where}:{line}: **{text}** is the label {label!r}: use ui()"
           for where, line, text, label in bare_labels(language) if (where, text) not in known]
    assert not new, "\n".join(new)


def test_every_bold_plugin_label_names_a_plugin_the_template_is_about():
    """Only a plugin's own labels stay bold: in its snippet, or where the text asks for it."""
    wrong = []
    for (where, text), plugins in sorted(plugin_labels().items()):
        source = (SHIPPED / where).read_text(encoding="utf-8")
        about = {Path(where).name.removesuffix(".md.j2")} if "/plugins/" in where else set()
        about |= {folder for folder in plugins if f'"{folder}"' in source}
        if not plugins or set(plugins) - about:
            wrong.append(f"{where} **{text}**: plugins {plugins or 'none'} (the file is "
                         f"about {sorted(about) or 'no plugin'})")
    assert not wrong, "WordPress's own labels go through ui():\n" + "\n".join(wrong)


def test_the_list_of_plugin_labels_has_no_row_for_text_no_longer_there():
    present = {(where, text) for language in LANGUAGES
               for where, _, text, _ in bare_labels(language)}
    gone = sorted(set(plugin_labels()) - present)
    assert not gone, (f"remove from {PLUGIN_LABELS.name}: "
                      + ", ".join(f"{w} {t}" for w, t in gone))


def test_every_generated_translation_is_of_the_catalogues_current_msgid():
    catalogue = Catalogue.load()
    stale = []
    for branch, languages in catalogue.translations.items():
        for language in LOCALES:
            generated = languages.get(language) or {}
            for label_id, label in catalogue.labels.items():
                for variant in label.variants:
                    entry = (generated.get(label_id) or {}).get(variant.since)
                    if variant.msgid and (entry or {}).get("msgid") != variant.msgid:
                        stale.append(f"{branch} {language} {label_id} {variant.since}")
    assert not stale, ("regenerate: python -m handoff.handbook.label_translations\n"
                       + "\n".join(stale))


def test_the_catalogue_translations_are_what_the_installed_wordpress_files_say():
    folders = language_folders()
    if not folders:
        pytest.skip("no WordPress tree with wp-content/languages here (Debian's "
                    "wordpress-l10n, or `make setup` for the other release)")
    catalogue = Catalogue.load()
    for branch, folder in folders.items():
        assert catalogue.translations.get(branch) == derive_branch(catalogue, folder, branch), (
            f"labels.translations.yaml differs from WordPress {branch}'s files in {folder}: "
            "run python -m handoff.handbook.label_translations")
