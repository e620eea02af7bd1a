"""The shipped templates: complete in every language, and every file renders."""

from __future__ import annotations

import pytest
import yaml

from handoff.handbook.build import _environment, _render
from handoff.handbook.context import ClientMenu, Gaps, template_globals
from handoff.handbook.templates import LANGUAGES, SHIPPED, read_template
from tests.bench.handbook import INTAKE

REQUIRED_SNIPPETS = {"woocommerce", "wordpress-seo", "seo-by-rank-math", "contact-form-7",
                     "wpforms-lite", "elementor", "advanced-custom-fields", "updraftplus",
                     "jetpack", "wordfence", "wp-super-cache", "akismet", "classic-editor",
                     "gravityforms", "redirection"}


class EveryScreen(ClientMenu):
    """A client who can open everything: every sentence of every template is rendered."""

    def find(self, slug, child=None):
        return [slug] + ([child] if child else [])


def files(language: str) -> list[str]:
    root = SHIPPED / language
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")
                  if path.is_file())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_file_and_string(language):
    assert files(language) == files("en")
    strings = yaml.safe_load((SHIPPED / language / "strings.yaml").read_text("utf-8"))
    english = yaml.safe_load((SHIPPED / "en" / "strings.yaml").read_text("utf-8"))
    assert set(strings) == set(english)
    assert {name.split("/")[1].removesuffix(".md.j2") for name in files(language)
            if name.startswith("plugins/")} >= REQUIRED_SNIPPETS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intake", [INTAKE, {}], ids=["full-intake", "empty-intake"])
def test_every_template_renders(language, intake):
    inventory = {"site": {"name": "Client", "home_url": "https://client.example"},
                 "plugins": [{"file": f"{name}/{name}.php", "name": name, "version": "1",
                              "active": True} for name in REQUIRED_SNIPPETS],
                 "post_types": [{"name": "page", "count": 3, "builtin": True}],
                 "themes": [], "users": {"list": []},
                 "admin_menu": {"full": [], "by_role": {}}}
    gaps = Gaps()
    environment = _environment(template_globals(inventory, EveryScreen([], "everyone", False),
                                                intake, gaps, language))
    for name in files(language):
        if not name.endswith(".md.j2"):
            continue
        template = read_template(SHIPPED / language / name, language)
        assert template.meta.get("title"), name
        text = _render(environment, template)
        assert len(text.split()) > 20 or language == "zh", name
        assert "{{" not in text and "{%" not in text and "None" not in text, name
    if intake:
        assert gaps.missing == []
