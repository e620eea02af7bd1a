"""The companion plugin's .pot, .po and .mo files against its code (scripts/plugin-languages.sh).

Each failing case runs the same script on a copy of the plugin, so the check is seen to fail.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "plugin-languages.sh"
PLUGIN = Path("wp-plugin") / "handoff-companion"
LANGUAGES = PLUGIN / "languages"
LOCALES = ("vi", "zh_CN")


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(root / "scripts" / "plugin-languages.sh"), *args],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def copy(tmp_path) -> Path:
    """The script and the plugin, copied, to be broken on purpose."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(SCRIPT, tmp_path / "scripts")
    shutil.copytree(ROOT / PLUGIN, tmp_path / PLUGIN)
    return tmp_path


def header(po: Path, name: str) -> str:
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith(f'"{name}: '):
            return line[len(name) + 3:].removesuffix('\\n"')
    return ""


def test_the_plugins_pot_po_and_mo_match_its_code():
    result = run(ROOT, "check")
    assert result.returncode == 0, result.stderr


def test_a_string_missing_from_the_pot_fails_the_check(copy):
    (copy / PLUGIN / "includes" / "class-new-screen.php").write_text(
        "<?php\nesc_html_e( 'A brand new label', 'handoff-companion' );\n", encoding="utf-8")

    result = run(copy, "check")

    assert result.returncode == 1
    assert "is not what the code gives" in result.stderr
    assert '+msgid "A brand new label"' in result.stderr


def test_an_untranslated_string_fails_the_check(copy):
    po = copy / LANGUAGES / "handoff-companion-vi.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Contents"\nmsgstr "Mục lục"' in text
    po.write_text(text.replace('msgstr "Mục lục"', 'msgstr ""'), encoding="utf-8")

    result = run(copy, "check")

    assert result.returncode == 1
    assert "handoff-companion-vi.po does not translate every string" in result.stderr
    assert "zh_CN.po does not translate" not in result.stderr


def test_a_mo_that_is_not_its_po_compiled_fails_the_check(copy):
    po = copy / LANGUAGES / "handoff-companion-zh_CN.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "目录"', 'msgstr "内容"'),
                  encoding="utf-8")

    result = run(copy, "check")

    assert result.returncode == 1
    assert "handoff-companion-zh_CN.mo is not" in result.stderr


def test_the_build_brings_a_new_string_to_every_po_untranslated(copy):
    (copy / PLUGIN / "includes" / "class-new-screen.php").write_text(
        "<?php\n/* translators: %d: a number. */\n"
        "printf( _n( '%d new item', '%d new items', 2, 'handoff-companion' ), 2 );\n",
        encoding="utf-8")

    assert run(copy, "build").returncode == 0

    pot = (copy / LANGUAGES / "handoff-companion.pot").read_text(encoding="utf-8")
    assert 'msgid "%d new item"\nmsgid_plural "%d new items"' in pot
    assert "#. translators: %d: a number." in pot
    for locale in LOCALES:
        po = (copy / LANGUAGES / f"handoff-companion-{locale}.po").read_text(encoding="utf-8")
        assert 'msgid_plural "%d new items"\nmsgstr[0] ""' in po
    result = run(copy, "check")
    assert result.returncode == 1
    assert "is not what the code gives" not in result.stderr
    assert "does not translate every string" in result.stderr


def test_a_second_build_changes_no_file(copy):
    assert run(copy, "build").returncode == 0
    before = {path.name: path.read_bytes() for path in (copy / LANGUAGES).iterdir()}

    assert run(copy, "build").returncode == 0

    assert {path.name: path.read_bytes() for path in (copy / LANGUAGES).iterdir()} == before


@pytest.mark.parametrize("locale", LOCALES)
def test_each_po_has_one_plural_form_and_its_language(locale):
    po = ROOT / LANGUAGES / f"handoff-companion-{locale}.po"
    assert header(po, "Plural-Forms") == "nplurals=1; plural=0;"
    assert header(po, "Language") == locale
    assert header(po, "Content-Type") == "text/plain; charset=UTF-8"


def test_only_the_plugins_own_domain_is_in_the_pot():
    pot = (ROOT / LANGUAGES / "handoff-companion.pot").read_text(encoding="utf-8")
    # The health checks look these up in WordPress's own domain.
    for core_string in ("Hello world!", "Sample Page", "put your unique phrase here"):
        assert f'msgid "{core_string}"' not in pot
    assert 'msgid "Site Handbook"' in pot
