"""The shipped presets on a real site: the client keeps their own content types."""

from __future__ import annotations

import pytest

from handoff.core.menu_presets import preset, preset_names
from tests.bench.handbook import INTAKE
from tests.integration.test_menu_profiles import client_session, menu_of, status

pytestmark = pytest.mark.integration


@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", INTAKE)
    return "s"


def test_every_preset_shows_the_sites_public_content_types(app, fresh_sandbox, site):
    for name in preset_names():
        assert preset(name).get("custom_post_types") == "show", name


def test_the_content_editor_preset_keeps_portfolio_for_the_client(app, fresh_sandbox, site):
    app.menus.push("s", preset("content-editor"))
    client = client_session(fresh_sandbox)
    titles = [item["title"] for item in menu_of(client, fresh_sandbox)]
    assert "Portfolio" in titles and "Sandbox Reports" not in titles
    assert status(client, fresh_sandbox, "edit.php?post_type=portfolio") == 200
    preview, applies = app.menus.preview("s", preset("content-editor"), role="editor")
    assert applies and "Portfolio" in [item["title"] for item in preview]
    book = app.handbooks.build("s")
    assert "type-portfolio" in [chapter.id for chapter in book.chapters]
