"""What a profile does to a menu: order, titles, states, unknown items, links, drift."""

import pytest

from handoff.core.menu_preview import (
    content_menus,
    denied,
    drift,
    menu_changes,
    missing,
    preview,
    pull_profile,
    simplified_menu,
    site_drift,
    targeted_tree,
)
from handoff.core.menu_profile import problems
from handoff.errors import InvalidInputError


def item(slug, title, *children, cap="read"):
    return {"slug": slug, "title": title, "capability": cap, "icon": "", "position": 0,
            "children": [{"slug": s, "title": t, "capability": cap} for s, t in children]}


EDITOR_TREE = [
    item("index.php", "Dashboard"),  # wp-admin drops a lone self-link submenu
    item("edit.php", "Posts", ("edit.php", "All Posts"), ("post-new.php", "Add New"),
         ("edit-tags.php?taxonomy=category", "Categories")),
    item("upload.php", "Media"),
    item("edit.php?post_type=page", "Pages"),
    item("sandbox-reports", "Sandbox Reports"),
    item("profile.php", "Profile"),
]
FULL = EDITOR_TREE[:5] + [item("users.php", "Users", ("users.php", "All Users"),
                               ("profile.php", "Profile")),
                          item("plugins.php", "Plugins", ("plugin-install.php", "Add New"))]
INVENTORY = {"site": {"name": "Shop"},
             "admin_menu": {"full": FULL, "by_role": {"editor": EDITOR_TREE,
                                                      "author": EDITOR_TREE[:3]}},
             "users": {"list": [{"login": "client", "roles": ["editor"]},
                                {"login": "boss", "roles": ["author", "editor"]}]}}


def profile(menu, **more):
    return {"schema_version": 1, "name": "P", "targets": {"roles": ["editor"]}, "menu": menu,
            **more}


def titles(tree):
    return [entry["title"] for entry in tree]


def test_order_titles_and_states():
    menu = simplified_menu(EDITOR_TREE, profile([
        {"slug": "edit.php?post_type=page", "state": "visible", "title": "Our pages"},
        {"slug": "index.php", "state": "visible", "icon": "dashicons-admin-home"},
        {"slug": "edit.php", "state": "hidden"},
        {"slug": "upload.php", "state": "denied"}]))
    assert titles(menu) == ["Our pages", "Dashboard"]
    assert menu[1]["icon"] == "dashicons-admin-home"


@pytest.mark.parametrize("policy, expected", [
    ("hide", ["Posts"]),
    ("deny", ["Posts"]),
    ("show", ["Posts", "Dashboard", "Media", "Pages", "Sandbox Reports", "Profile"]),
])
def test_unknown_items_follow_the_policy_in_site_order(policy, expected):
    menu = simplified_menu(EDITOR_TREE, profile([{"slug": "edit.php", "state": "visible"}],
                                                unknown_items=policy))
    assert titles(menu) == expected


def test_children_given_are_exhaustive_and_ordered():
    rule = {"slug": "edit.php", "state": "visible", "children": [
        {"slug": "post-new.php", "state": "visible", "title": "Write"},
        {"slug": "edit.php", "state": "visible"}]}
    menu = simplified_menu(EDITOR_TREE, profile([rule]))
    assert titles(menu[0]["children"]) == ["Write", "All Posts"]  # Categories: unknown, hidden
    in_site_order = simplified_menu(EDITOR_TREE, profile([{**rule, "children_order": "site"}]))
    assert titles(in_site_order[0]["children"]) == ["All Posts", "Write"]
    shown = simplified_menu(EDITOR_TREE, profile([rule], unknown_items="show"))
    assert titles(shown[0]["children"]) == ["Write", "All Posts", "Categories"]


def test_children_left_out_keep_the_site_submenu():
    menu = simplified_menu(EDITOR_TREE, profile([{"slug": "edit.php", "state": "visible"}]))
    assert titles(menu[0]["children"]) == ["All Posts", "Add New", "Categories"]


def test_custom_links_after_an_item_in_order_and_at_the_end():
    menu = simplified_menu(EDITOR_TREE, profile(
        [{"slug": "index.php", "state": "visible"}, {"slug": "edit.php", "state": "visible"}],
        custom_links=[{"label": "Help", "url": "https://agency.example/help", "after": "index.php",
                       "new_tab": True},
                      {"label": "Docs", "url": "/docs/", "after": "index.php"},
                      {"label": "Shop", "url": "/shop/", "after": "not-there"}]))
    assert titles(menu) == ["Dashboard", "Help", "Docs", "Posts", "Shop"]
    assert menu[1]["custom"] and menu[1]["new_tab"] and menu[1]["slug"].startswith("https://")


def test_items_the_role_cannot_open_are_never_added():
    menu = simplified_menu(EDITOR_TREE, profile([{"slug": "plugins.php", "state": "visible"}]))
    assert menu == []


def test_preview_by_role_and_by_user():
    document = profile([{"slug": "upload.php", "state": "visible"}])
    menu, applies = preview(document, INVENTORY, role="editor")
    assert applies and titles(menu) == ["Media"]
    unchanged, applies = preview(document, INVENTORY, role="author")
    assert not applies and unchanged == EDITOR_TREE[:3]
    # boss is an author and an editor: with all_roles the profile does not apply...
    merged, applies = preview(document, INVENTORY, user="boss")
    assert not applies and "Sandbox Reports" in titles(merged)
    # ...with any_role it does
    menu, applies = preview({**document, "combine": "any_role"}, INVENTORY, user="boss")
    assert applies and titles(menu) == ["Media"]


@pytest.mark.parametrize("kwargs, code", [({"role": "ghost"}, "unknown_role"),
                                          ({"user": "ghost"}, "unknown_user")])
def test_preview_names_unknown_roles_and_users(kwargs, code):
    with pytest.raises(InvalidInputError) as caught:
        preview(profile([{"slug": "upload.php", "state": "visible"}]), INVENTORY, **kwargs)
    assert caught.value.code == code


def test_denied_screens_include_submenus_but_never_profile_or_dashboard():
    refused = denied(profile([{"slug": "users.php", "state": "denied"},
                              {"slug": "edit.php", "state": "visible", "children": [
                                  {"slug": "post-new.php", "state": "denied"}]}],
                             unknown_items="deny"), FULL)
    assert ("", "users.php") in refused and ("users.php", "profile.php") not in refused
    assert ("edit.php", "post-new.php") in refused
    assert ("edit.php", "edit-tags.php?taxonomy=category") in refused  # unknown → deny
    assert ("", "plugins.php") in refused and ("plugins.php", "plugin-install.php") in refused
    assert ("", "index.php") not in refused  # unnamed, under deny: still never refused
    assert all(slug != "profile.php" for _, slug in refused)


def test_drift_and_missing():
    document = profile([{"slug": "index.php", "state": "visible"},
                        {"slug": "edit.php", "state": "visible", "children": [
                            {"slug": "edit.php", "state": "visible"}]},
                        {"slug": "woocommerce", "state": "visible"},
                        {"slug": "profile.php", "state": "visible"}])
    labels = [entry.label for entry in drift(document, FULL)]
    assert "upload.php" in labels and "edit.php › post-new.php" in labels
    assert "index.php" not in labels
    # profile.php is top level only in the editor's menu: it is there, not missing
    assert missing(document, INVENTORY["admin_menu"]) == ["woocommerce"]


def test_changes_between_menus():
    before = EDITOR_TREE[:3]
    after = [dict(EDITOR_TREE[1], title="News"), EDITOR_TREE[0],
             item("https://x.example", "Help")]
    changes = [str(change) for change in menu_changes(before, after)]
    assert "- Media  (upload.php)" in changes
    assert "+ Help  (https://x.example)" in changes
    assert "~ Posts  (now 'News')" in changes
    assert any(change.startswith("↕ top level") for change in changes)
    assert menu_changes(before, before) == []


def test_pull_gives_a_valid_profile_of_the_live_menu():
    pulled = pull_profile(INVENTORY, "editor")
    assert problems(pulled, None) == []
    assert [rule["slug"] for rule in pulled["menu"]] == [i["slug"] for i in EDITOR_TREE]
    assert simplified_menu(EDITOR_TREE, pulled) == EDITOR_TREE
    assert "children" not in pulled["menu"][2]  # Media has no submenu


def test_a_submenu_left_with_only_its_parents_screen_is_dropped_as_wp_admin_does():
    menu = simplified_menu(EDITOR_TREE, profile([{"slug": "edit.php", "state": "visible",
                                                  "children": [{"slug": "edit.php",
                                                                "state": "visible"}]}]))
    assert menu[0]["children"] == []


def test_drift_looks_only_at_what_restricted_users_can_open():
    by_role = profile([{"slug": "index.php", "state": "visible"}])
    assert [i["slug"] for i in targeted_tree(by_role, INVENTORY)] == \
        [i["slug"] for i in EDITOR_TREE]
    by_user = {**by_role, "targets": {"users": ["boss"]}}
    # boss is an author and an editor: the union of both menus, in the site's order
    assert "sandbox-reports" in [i["slug"] for i in targeted_tree(by_user, INVENTORY)]
    nobody = {**by_role, "targets": {"users": ["ghost"]}}
    assert targeted_tree(nobody, INVENTORY) == []
    labels = [d.label for d in drift(by_role, targeted_tree(by_role, INVENTORY))]
    assert "plugins.php" not in labels and "upload.php" in labels


@pytest.mark.parametrize("policy", ["hide", "deny"])
def test_public_custom_post_types_follow_custom_post_types(policy):
    """As the plugin's Menu_Item_States: the site's public content types stay when the
    profile says `custom_post_types: show`; a plugin's internal type follows the rest."""
    portfolio = item("edit.php?post_type=portfolio", "Portfolio",
                     ("edit.php?post_type=portfolio", "All Projects"))
    internal = item("edit.php?post_type=acf-field-group", "ACF")
    tree = [*EDITOR_TREE, portfolio, internal]
    inventory = {**INVENTORY, "admin_menu": {"full": tree, "by_role": {"editor": tree}},
                 "post_types": [
                     {"name": "portfolio", "public": True, "builtin": False},
                     {"name": "acf-field-group", "public": False, "builtin": False},
                     {"name": "page", "public": True, "builtin": True}]}
    shown = profile([{"slug": "edit.php", "state": "visible"}], unknown_items=policy,
                    custom_post_types="show")
    assert problems(shown) == []
    menu, applies = preview(shown, inventory, role="editor")
    titles = [entry["title"] for entry in menu]
    assert applies and "Portfolio" in titles and "ACF" not in titles
    refused = {slug for _, slug in denied(shown, tree, content_menus(inventory))}
    assert "edit.php?post_type=portfolio" not in refused
    assert ("edit.php?post_type=acf-field-group" in refused) == (policy == "deny")
    policies = {d.slug: d.policy for d in site_drift(shown, inventory)}
    assert policies["edit.php?post_type=portfolio"] == "show"
    assert policies["edit.php?post_type=acf-field-group"] == policy
    without = {key: value for key, value in shown.items() if key != "custom_post_types"}
    assert "Portfolio" not in [e["title"] for e in preview(without, inventory, role="editor")[0]]
