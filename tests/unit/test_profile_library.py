"""The library of saved menu profiles (core and CLI), and the pieces the menu editor adds
to the core: the site's whole menu tree, diffs from the applied profile, a status read
without a sync."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from handoff.cli import main
from handoff.core import sites as sites_module
from handoff.core.actor import acting_as
from handoff.core.audit import AuditFilter
from handoff.core.menu_editing import admin_bar_choices, dashboard_widget_choices, site_tree
from handoff.core.menu_presets import preset
from handoff.core.menu_profile import InvalidProfile, profile_hash
from handoff.core.profile_library import DuplicateProfile
from handoff.errors import InvalidInputError, NotFoundError
from tests.unit.test_menus import FakeSite
from tests.web_menu_helpers import BAD, INVENTORY, PROFILE, store_site


def test_save_get_list_delete(app):
    with acting_as("dashboard:ann"):
        saved, created = app.profiles.save("Client-Editor", PROFILE, "For Ann's editors")
    assert created and saved.name == "client-editor" and saved.updated_by == "dashboard:ann"
    assert saved.hash == profile_hash(PROFILE)
    assert app.profiles.get("client-editor").profile == PROFILE
    app.profiles.save("blog", {**PROFILE, "name": "Blog", "description": "Posts only"})
    assert [(p.name, p.description) for p in app.profiles.list()] == \
        [("blog", "Posts only"), ("client-editor", "For Ann's editors")]
    app.profiles.delete("blog")
    assert [p.name for p in app.profiles.list()] == ["client-editor"]
    with pytest.raises(NotFoundError) as missing:
        app.profiles.get("blog")
    assert missing.value.code == "unknown_profile" and "client-editor" in missing.value.fix


def test_saving_is_audited_with_who_did_it(app):
    with acting_as("api:ci"):
        app.profiles.save("kept", PROFILE)
        with pytest.raises(DuplicateProfile):
            app.profiles.save("kept", PROFILE)
        app.profiles.delete("kept")
    events = app.audit.query(AuditFilter(action="profile"))
    assert [(e.action, e.result, e.actor) for e in reversed(events)] == [
        ("profile.save", "ok", "api:ci"), ("profile.save", "failed", "api:ci"),
        ("profile.delete", "ok", "api:ci")]


def test_a_saved_name_is_replaced_only_when_asked(app):
    app.profiles.save("kept", PROFILE)
    with pytest.raises(DuplicateProfile):
        app.profiles.save("kept", {**PROFILE, "name": "Other"})
    assert app.profiles.get("kept").profile["name"] == "Client"
    _, created = app.profiles.save("kept", {**PROFILE, "name": "Other"}, replace=True)
    assert not created and app.profiles.get("kept").profile["name"] == "Other"


@pytest.mark.parametrize("name", ["", "   ", "two words", "-dash-first", "x" * 65, "ünïcode",
                                  "a/b", "content-editor", "Blogger", None, 7])
def test_names_must_be_short_slugs_and_not_a_preset(app, name):
    with pytest.raises(InvalidInputError) as refused:
        app.profiles.save(name, PROFILE)
    assert refused.value.code == "profile_name"
    assert app.profiles.list() == []


@pytest.mark.parametrize("description", ["<b>bold</b>", "x" * 501, 42])
def test_descriptions_are_short_plain_text(app, description):
    with pytest.raises(InvalidInputError) as refused:
        app.profiles.save("kept", PROFILE, description)
    assert refused.value.code == "profile_description" and app.profiles.list() == []


@pytest.mark.parametrize("profile", [BAD, {**PROFILE, "targets": {"roles": ["administrator"]}},
                                     [], "text"])
def test_only_profiles_a_push_would_accept_are_saved(app, profile):
    with pytest.raises(InvalidInputError):
        app.profiles.save("kept", profile)
    assert app.profiles.list() == []


def test_the_description_defaults_to_the_profile_s_own(app):
    saved, _ = app.profiles.save("kept", {**PROFILE, "description": "From the profile"})
    assert saved.description == "From the profile"


def test_a_summary_counts_states_and_links(app):
    saved, _ = app.profiles.save("kept", preset("content-editor") | {"name": "Mine"})
    assert saved.summary()["states"] == {"visible": 6, "hidden": 0, "denied": 5}
    assert saved.summary()["targets"] == {"roles": ["editor"]}


# -- what the editor adds to the core --------------------------------------------------------

def test_the_site_tree_has_every_item_some_role_sees_in_menu_order():
    slugs = [item["slug"] for item in site_tree(INVENTORY)]
    assert slugs == ["index.php", "edit.php", "upload.php", "edit-comments.php",
                     "plugins.php", "users.php", "profile.php", "tools.php"]


def test_admin_bar_and_widget_choices_add_the_profile_s_own_ids():
    profile = {"admin_bar": {"remove": ["wp-logo", "my-plugin-node"]},
               "dashboard": {"remove_widgets": ["plugin_widget"]}}
    bar = admin_bar_choices(profile)
    assert bar[0] == {"id": "wp-logo", "label": "WordPress logo menu"}
    assert bar[-1] == {"id": "my-plugin-node", "label": ""}
    assert "my-account" not in {node["id"] for node in bar}  # it holds Log Out
    assert dashboard_widget_choices(profile)[-1]["id"] == "plugin_widget"


@pytest.fixture
def one_site(app, monkeypatch):
    store_site(app)
    fake = FakeSite()
    monkeypatch.setattr(sites_module, "open_client", lambda *a, **k: fake)
    synced = []
    monkeypatch.setattr(app.sites, "sync", lambda name: synced.append(name) or INVENTORY)
    return fake, synced


def test_a_plan_counts_changes_from_the_applied_profile(app, one_site):
    fresh = app.menus.plan("client", PROFILE)
    editor = next(role for role in fresh.roles if role.role == "editor")
    assert {c.kind for c in editor.changes} == {"removed", "renamed"}
    same = app.menus.plan("client", PROFILE, applied=PROFILE)
    assert all(not role.changes for role in same.roles)


def test_status_without_a_sync_asks_the_site_for_its_profile_only(app, one_site):
    fake, synced = one_site
    app.menus.push("client", PROFILE)
    status = app.menus.status("client", fresh=False)
    assert (status.version, status.name, synced) == (1, "Client", [])
    app.menus.status("client")
    assert synced == ["client"]


# -- CLI ---------------------------------------------------------------------------------

@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), obj=app, input=input)
    return invoke


def test_cli_save_list_print_and_discard(app, run, tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILE))
    saved = run("menu", "save", str(path), "--as", "kept", "--description", "Mine")
    assert saved.exit_code == 0, saved.output
    assert "Saved 'kept' in the library" in saved.output
    assert run("menu", "save", "preset:blogger", "--as", "kept").exit_code == 2
    assert run("menu", "save", "preset:blogger", "--as", "kept", "--replace").exit_code == 0
    assert app.profiles.get("kept").profile == preset("blogger")
    listed = json.loads(run("menu", "library", "--json").output)
    assert [row["name"] for row in listed] == ["kept"]
    assert "kept" in run("menu", "library").output
    assert json.loads(run("menu", "library", "kept").output) == preset("blogger")
    assert run("menu", "discard", "kept", "--yes").exit_code == 0
    assert "library is empty" in run("menu", "library").output


@pytest.mark.parametrize("args, code, text", [
    (["menu", "save", "-", "--as", "Bad Name"], 2, "not a usable profile name"),
    (["menu", "save", "-", "--as", "ok"], 2, "not a valid menu profile"),
    (["menu", "save", "preset:blogger"], 2, "Missing option '--as'"),
    (["menu", "library", "nowhere"], 3, "No saved menu profile named 'nowhere'"),
    (["menu", "discard", "nowhere", "--yes"], 3, "No saved menu profile"),
])
def test_cli_bad_input_changes_nothing(app, run, args, code, text):
    result = run(*args, input=json.dumps(BAD) if "-" in args else None)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert app.profiles.list() == []


def test_cli_discard_asks_first(app, run):
    app.profiles.save("kept", PROFILE)
    assert run("menu", "discard", "kept", input="n\n").exit_code == 1
    assert [p.name for p in app.profiles.list()] == ["kept"]


def test_invalid_profile_error_lists_paths(app):
    with pytest.raises(InvalidProfile) as refused:
        app.profiles.save("kept", BAD)
    assert {p.path for p in refused.value.problems} == {"menu/0/state", "menu/1/title"}
