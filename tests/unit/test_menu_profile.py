"""Menu profiles: parsing, every refusal with its path, fingerprints, who is restricted."""

import copy
import hashlib
import json
import random

import pytest

from handoff.core.menu_presets import preset, preset_names
from handoff.core.menu_profile import (
    MAX_PROFILE_BYTES,
    InvalidProfile,
    canonical_json,
    is_restricted,
    parse_profile,
    problems,
    profile_hash,
)
from handoff.errors import NotFoundError


def profile(**changes) -> dict:
    base = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
            "menu": [{"slug": "index.php", "state": "visible"},
                     {"slug": "edit.php", "state": "visible", "title": "News"},
                     {"slug": "plugins.php", "state": "denied"}]}
    return {**base, **changes}


INVENTORY = {
    "roles": [{"name": n} for n in ("administrator", "editor", "author", "handoff_bridge")],
    "users": {"total": 4, "truncated": False, "list": [
        {"login": "admin", "roles": ["administrator"]},
        {"login": "owner", "roles": ["administrator"]},
        {"login": "client", "roles": ["editor"]},
        {"login": "handoff-bridge", "roles": ["handoff_bridge"]}]},
}


def paths(found) -> list[str]:
    return [p.path for p in found]


def test_a_good_profile_has_no_problems():
    assert problems(profile()) == []
    assert problems(profile(), INVENTORY) == []


@pytest.mark.parametrize("change, path, words", [
    ({"schema_version": 2}, "schema_version", "1 was expected"),
    ({"name": ""}, "name", "should be non-empty"),
    ({"name": "<script>alert(1)</script>"}, "name", "without < or >"),
    ({"bogus": True}, "", "'bogus' was unexpected"),
    ({"targets": {}}, "targets", "at least one role or user"),
    ({"targets": {"roles": ["Editor!"]}}, "targets/roles/0", "role name"),
    ({"combine": "some"}, "combine", "is not one of"),
    ({"unknown_items": "maybe"}, "unknown_items", "is not one of"),
    ({"menu": []}, "menu", "should be non-empty"),
    ({"menu": [{"slug": "index.php"}]}, "menu/0", "'state' is a required property"),
    ({"menu": [{"slug": "index.php", "state": "gone"}]}, "menu/0/state", "is not one of"),
    ({"menu": [{"slug": "a b", "state": "visible"}]}, "menu/0/slug", "menu slug"),
    ({"menu": [{"slug": "x", "state": "visible", "icon": "url(evil)"}]}, "menu/0/icon",
     "Dashicons"),
    ({"menu": [{"slug": "x", "state": "visible", "title": 5}]}, "menu/0/title",
     "is not of type 'string'"),
    ({"custom_links": [{"label": "Go", "url": "javascript:alert(1)"}]},
     "custom_links/0/url", "http:// or https://"),
    ({"custom_links": [{"label": "Go", "url": "data:text/html,x"}]}, "custom_links/0/url",
     "http:// or https://"),
    ({"custom_links": [{"label": "<b>Go</b>", "url": "/x"}]}, "custom_links/0/label",
     "without < or >"),
    ({"dashboard": {"start_here": {"title": "Hi"}}}, "dashboard/start_here",
     "'text' is a required property"),
    ({"dashboard": {"start_here": {"title": "Hi", "text": "x",
                                   "contacts": [{"name": "A", "email": "no-at"}]}}},
     "dashboard/start_here/contacts/0/email", "e-mail"),
    ({"admin_bar": {"remove": ["wp-logo", "wp-logo"]}}, "admin_bar/remove",
     "non-unique"),
    ({"notices": {"hide_update_nags": "yes"}}, "notices/hide_update_nags", "boolean"),
])
def test_schema_refusals_name_the_field(change, path, words):
    found = problems(profile(**change))
    assert path in paths(found), found
    assert any(words in p.message for p in found if p.path == path), found


@pytest.mark.parametrize("menu, path, words", [
    ([{"slug": "edit.php", "state": "visible"}, {"slug": "edit.php", "state": "hidden"}],
     "menu/1/slug", "appears twice"),
    ([{"slug": "edit.php", "state": "visible", "children": [
        {"slug": "post-new.php", "state": "visible"},
        {"slug": "post-new.php", "state": "hidden"}]}],
     "menu/0/children/1/slug", "appears twice under 'edit.php'"),
    ([{"slug": "index.php", "state": "denied"}], "menu/0/state", "cannot be denied"),
    ([{"slug": "users.php", "state": "visible", "children": [
        {"slug": "profile.php", "state": "denied"}]}],
     "menu/0/children/0/state", "cannot be denied"),
])
def test_rules_beyond_the_schema(menu, path, words):
    found = problems(profile(menu=menu))
    assert any(p.path == path and words in p.message for p in found), found


@pytest.mark.parametrize("change, path, words", [
    ({"targets": {"roles": ["shop_manager"]}}, "targets/roles/0", "no role 'shop_manager'"),
    ({"targets": {"users": ["nobody"]}}, "targets/users/0", "no user 'nobody'"),
    ({"exempt_users": ["ghost"]}, "exempt_users/0", "no user 'ghost'"),
    ({"targets": {"users": ["handoff-bridge"]}}, "targets/users/0", "bridge user"),
    ({"targets": {"roles": ["handoff_bridge"]}}, "targets/roles", "bridge role"),
    ({"targets": {"roles": ["administrator"]}}, "exempt_users", "every administrator"),
    ({"targets": {"users": ["admin", "owner"]}}, "exempt_users", "every administrator"),
])
def test_site_specific_refusals(change, path, words):
    found = problems(profile(**change), INVENTORY)
    assert any(p.path == path and words in p.message for p in found), found


def test_one_exempt_administrator_is_enough():
    safe = profile(targets={"roles": ["administrator", "editor"]}, exempt_users=["admin"])
    assert problems(safe, INVENTORY) == []


def test_without_an_inventory_targeting_administrators_needs_an_exemption():
    assert paths(problems(profile(targets={"roles": ["administrator"]}))) == ["exempt_users"]


def test_users_beyond_the_inventory_cap_are_not_called_unknown():
    truncated = {**INVENTORY, "users": {**INVENTORY["users"], "truncated": True}}
    assert problems(profile(targets={"users": ["user-9999"]}), truncated) == []


@pytest.mark.parametrize("text, words", [
    ("{", "invalid JSON at line 1, column 2"),
    ("[1, 2]", "expected a JSON object"),
    (b"\xff\xfe", "not UTF-8"),
    ("x" * (MAX_PROFILE_BYTES + 1), "the limit is 65,536"),
])
def test_unreadable_profiles_are_refused_clearly(text, words):
    with pytest.raises(InvalidProfile) as caught:
        parse_profile(text)
    assert words in caught.value.cause and caught.value.exit_code == 2


@pytest.mark.parametrize("login, roles, combine, expected", [
    ("client", ["editor"], "all_roles", True),
    ("client", ["editor", "shop_manager"], "all_roles", False),
    ("client", ["editor", "shop_manager"], "any_role", True),
    ("client", [], "any_role", False),
    ("admin", ["administrator"], "any_role", False),
    ("boss", ["administrator"], "all_roles", True),  # named in targets.users
    ("boss", ["administrator", "editor"], "all_roles", True),
    ("robot", ["handoff_bridge", "editor"], "any_role", False),  # the bridge user never
    ("exempt", ["editor"], "all_roles", False),
])
def test_who_is_restricted(login, roles, combine, expected):
    document = profile(targets={"roles": ["editor"], "users": ["boss"]},
                       exempt_users=["exempt"], combine=combine)
    assert is_restricted(document, login, roles) is expected


def test_hash_is_sha256_of_canonical_json_independent_of_key_order():
    a = {"name": "Café/Bar", "schema_version": 1}
    b = {"schema_version": 1, "name": "Café/Bar"}
    assert canonical_json(a) == '{"name":"Café/Bar","schema_version":1}'
    assert profile_hash(a) == profile_hash(b)
    expected = hashlib.sha256('{"name":"Café/Bar","schema_version":1}'.encode()).hexdigest()
    assert profile_hash(a) == expected


def test_list_order_changes_the_hash():
    first = profile()
    second = profile(menu=list(reversed(first["menu"])))
    assert profile_hash(first) != profile_hash(second)


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_is_valid(name):
    assert problems(preset(name)) == []


def test_presets_exist_and_unknown_ones_are_named():
    assert {"content-editor", "brochure-site", "blogger", "shop-manager"} <= set(preset_names())
    with pytest.raises(NotFoundError) as caught:
        preset("nope")
    assert "content-editor" in caught.value.fix


def test_generated_profiles_never_crash_the_validator():
    """Many random mutations of a valid profile: always a list of problems, never a crash."""
    rng = random.Random(7)
    values = [None, True, 0, -1, 1.5, "", "x" * 300, "<b>", "javascript:x", [], {}, ["a"],
              {"slug": "x"}, "visible", "denied"]
    for _ in range(2000):
        document = json.loads(json.dumps(preset(rng.choice(preset_names()))))
        for _ in range(rng.randint(1, 4)):
            _mutate(document, rng, values)
        found = problems(document, INVENTORY if rng.random() < 0.5 else None)
        assert isinstance(found, list)
        assert all(p.message for p in found)


def _mutate(node, rng, values):
    while True:
        if isinstance(node, dict) and node:
            key = rng.choice(list(node))
            if rng.random() < 0.4 or not isinstance(node[key], (dict, list)):
                if rng.random() < 0.9:
                    node[key] = copy.deepcopy(rng.choice(values))
                else:
                    del node[key]
                return
            node = node[key]
        elif isinstance(node, list) and node:
            index = rng.randrange(len(node))
            if rng.random() < 0.4 or not isinstance(node[index], (dict, list)):
                node[index] = copy.deepcopy(rng.choice(values))
                return
            node = node[index]
        else:
            return
