"""Other menu-restriction plugins the inventory reports: `site check` warns with the fix,
and so does the handbook build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner

from handoff.cli import main
from handoff.core.inventory import schema_errors
from handoff.core.menu_conflicts import FIX, conflicts, warnings
from handoff.handbook.build import BuildInput, build_handbook
from tests.helpers import make_key

pytestmark = pytest.mark.usefixtures("offline_edges")

URL = "https://client.example"
ANSWERS = Path(__file__).parents[1] / "fleet" / "answers"
ADMINIMIZE = {"plugin": "adminimize/adminimize.php", "name": "Adminimize",
              "settings": "option mw_adminimize", "rules_known": True, "note": "",
              "hides": [{"who": "role:editor", "parent": "", "slug": "tools.php",
                         "effect": "hidden"},
                        {"who": "role:author", "parent": "", "slug": "tools.php",
                         "effect": "hidden"},
                        {"who": "role:editor", "parent": "options-general.php",
                         "slug": "options-writing.php", "effect": "hidden"}]}
URE = {"plugin": "user-role-editor-pro/user-role-editor-pro.php",
       "name": "User Role Editor Pro", "settings": "option ure_admin_menu_access_data",
       "rules_known": False, "hides": [],
       "note": "it blocks menu items for editor, named by hashes Handoff cannot map to items"}
IDLE = {**ADMINIMIZE, "name": "Admin Menu Editor", "hides": [],
        "plugin": "admin-menu-editor/menu-editor.php", "settings": "option ws_menu_editor"}


def inventory(*entries: dict) -> dict:
    answer = json.loads((ANSWERS / "inventory.json").read_text(encoding="utf-8")
                        .replace("http://FLEET-HOST", URL))
    return {**answer, "menu_restrictions": list(entries)}


def test_the_recorded_inventory_with_other_menu_plugins_matches_the_schema():
    assert schema_errors(inventory(ADMINIMIZE, URE, IDLE)) == []
    broken = inventory({**ADMINIMIZE, "hides": [{"who": "role:editor", "slug": ""}]})
    assert schema_errors(broken) != []


def test_each_plugin_hiding_items_is_one_sentence_naming_the_items_and_roles():
    assert conflicts(inventory(ADMINIMIZE, URE, IDLE)) == [
        "Adminimize also hides menu items: Tools (tools.php) for editor, author; "
        "Settings › Writing (options-writing.php) for editor",
        "User Role Editor Pro also hides menu items (it blocks menu items for editor, named "
        "by hashes Handoff cannot map to items)"]


@pytest.mark.parametrize("given", [inventory(), inventory(IDLE), {"site": {}}, None,
                                   {"menu_restrictions": "junk"}])
def test_nothing_is_said_when_no_other_plugin_hides_anything(given):
    assert conflicts(given) == [] and warnings(given) == []


def test_a_long_list_is_cut_with_a_count():
    many = {**ADMINIMIZE, "hides": [{"who": "role:editor", "parent": "", "slug": f"p{n}.php",
                                     "effect": "hidden"} for n in range(12)]}
    (sentence,) = conflicts(inventory(many))
    assert sentence.endswith("p7.php for editor; and 4 more")


@responses.activate
def test_site_check_warns_with_the_fix(app):
    responses.get(URL, body="home", content_type="text/html")
    responses.get(f"{URL}/wp-json/", json={"namespaces": ["handoff/v1"]})
    status = {"plugin_version": "0.1.0", "wordpress_version": "6.1.9",
              "php_version": "8.2.36", "is_ssl": True}
    responses.get(f"{URL}/wp-json/handoff/v1/status", json=status)
    responses.get(f"{URL}/wp-json/handoff/v1/inventory", json=inventory(ADMINIMIZE))
    responses.get(f"{URL}/wp-json/handoff/v1/menu-profile",
                  json={"version": 0, "hash": "", "profile": {}, "history": []})
    app.sites.add(make_key(URL).encode(), transport="rest")
    assert app.sites.check("client").health == "ok"  # nothing known before a sync
    app.sites.sync("client")

    result = CliRunner().invoke(main, ["site", "check", "client"], obj=app,
                                catch_exceptions=False, env={"COLUMNS": "300"})

    assert "Adminimize also hides menu items: Tools (tools.php) for editor" in result.output
    assert FIX in " ".join(result.output.split())
    assert app.sites.get("client").health == "warning"


def test_the_handbook_build_warns_likewise():
    given = BuildInput(inventory=inventory(ADMINIMIZE), intake={}, language="en",
                       allow_blanks=True)
    book = build_handbook(given)
    assert f"Adminimize also hides menu items: Tools (tools.php) for editor, author; " \
           f"Settings › Writing (options-writing.php) for editor; {FIX}" \
           in book.warnings
