"""What a profile does to a site's menu: the simplified tree, drift, and differences.

`simplified_menu` mirrors the plugin's Menu_Applier (docs/menu-profiles.md): the same
profile and the same role tree give the same menu on both sides, which the integration
tests check against real wp-admin HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoff.core.menu_profile import UNDENIABLE, is_restricted
from handoff.errors import InvalidInputError

# Screens the plugin shows a restricted user even when the profile does not name them.
ALWAYS_SHOWN = {"handoff-handbook"}


def content_menus(inventory: dict) -> frozenset[str]:
    """Top-level slugs of the site's public custom post types (`edit.php?post_type=NAME`):
    the site's own content, which `custom_post_types` may keep in the menu."""
    return frozenset(f"edit.php?post_type={p['name']}" for p in inventory.get("post_types", [])
                     if p.get("public") and not p.get("builtin"))


def unnamed_policy(profile: dict, slug: str, content: frozenset[str] = frozenset()) -> str:
    """show, hide or deny: what happens to a top-level item the profile does not name."""
    if slug in content and profile.get("custom_post_types"):
        return profile["custom_post_types"]
    return profile.get("unknown_items", "hide")


def simplified_menu(tree: list[dict], profile: dict,
                    content: frozenset[str] = frozenset()) -> list[dict]:
    """The menu a restricted user sees, from the tree their roles see without the profile.

    `content` is content_menus() of the site, for `custom_post_types`.
    """
    policy = profile.get("unknown_items", "hide")
    named = {rule["slug"] for rule in profile["menu"]}
    on_site = {item["slug"]: item for item in tree}
    menu = [_apply(on_site[rule["slug"]], rule, policy) for rule in profile["menu"]
            if rule["state"] == "visible" and rule["slug"] in on_site]
    menu += [dict(item) for item in tree if item["slug"] not in named and
             (unnamed_policy(profile, item["slug"], content) == "show"
              or item["slug"] in ALWAYS_SHOWN)]
    return _with_custom_links(menu, profile.get("custom_links", []))


def _apply(item: dict, rule: dict, policy: str) -> dict:
    shown = {**item, "title": rule.get("title") or item["title"],
             "icon": rule.get("icon") or item.get("icon", "")}
    if "children" not in rule:
        return shown
    rules = {child["slug"]: child for child in rule["children"]}
    site_children = {child["slug"]: child for child in item.get("children", [])}

    def visible(slug: str) -> bool:
        return rules[slug]["state"] == "visible" if slug in rules else policy == "show"

    def renamed(child: dict) -> dict:
        title = rules.get(child["slug"], {}).get("title")
        return {**child, "title": title or child["title"]}

    if rule.get("children_order", "profile") == "site":
        order = [child["slug"] for child in item.get("children", [])]
    else:
        order = [child["slug"] for child in rule["children"]] + [
            child["slug"] for child in item.get("children", []) if child["slug"] not in rules]
    children = [renamed(site_children[slug]) for slug in order
                if slug in site_children and visible(slug)]
    # wp-admin does not show a submenu whose only item is the parent's own screen
    lone_self_link = len(children) == 1 and children[0]["slug"] == item["slug"]
    shown["children"] = [] if lone_self_link else children
    return shown


def _with_custom_links(menu: list[dict], links: list[dict]) -> list[dict]:
    menu = list(menu)
    placed_after: dict[str, int] = {}
    for link in links:
        entry = {"slug": link["url"], "title": link["label"], "capability": "read",
                 "icon": link.get("icon", ""), "children": [], "custom": True,
                 "new_tab": bool(link.get("new_tab", False))}
        anchor = link.get("after")
        index = next((i for i, item in enumerate(menu)
                      if item["slug"] == anchor and not item.get("custom")), None)
        if index is None:
            menu.append(entry)
            continue
        offset = placed_after.get(anchor, 0)
        menu.insert(index + 1 + offset, entry)
        placed_after[anchor] = offset + 1
    return menu


def role_tree(inventory: dict, role: str) -> list[dict]:
    """The menu a role sees on the site (from its inventory)."""
    by_role = inventory.get("admin_menu", {}).get("by_role", {})
    if role not in by_role:
        raise InvalidInputError(f"The site has no role {role!r}.",
                                f"use one of: {', '.join(sorted(by_role))}", code="unknown_role")
    return by_role[role]


def user_roles(inventory: dict, login: str) -> list[str]:
    """The roles of a user of the site (from its inventory)."""
    for user in inventory.get("users", {}).get("list", []):
        if user["login"] == login:
            return list(user["roles"])
    raise InvalidInputError(f"The site has no user {login!r} in its inventory.",
                            "check the login, or run `handoff site sync` first",
                            code="unknown_user")


def preview(profile: dict, inventory: dict, *, role: str | None = None,
            user: str | None = None) -> tuple[list[dict], bool]:
    """The menu a role (or a user) will see with the profile; and whether it applies."""
    if user is not None:
        roles = user_roles(inventory, user)
        login = user
    else:
        roles = [role or "editor"]
        login = ""
    tree = merged_tree(inventory, roles)
    if not is_restricted(profile, login, roles):
        return tree, False
    return simplified_menu(tree, profile, content_menus(inventory)), True


def merged_tree(inventory: dict, roles: list[str]) -> list[dict]:
    """The union of what several roles see, in the site's order."""
    trees = [role_tree(inventory, role) for role in roles] or [[]]
    if len(trees) == 1:
        return trees[0]
    full = inventory["admin_menu"]["full"]
    seen = {item["slug"]: item for tree in trees for item in tree}
    merged = []
    for item in full:
        if item["slug"] in seen:
            children = {c["slug"] for tree in trees for i in tree if i["slug"] == item["slug"]
                        for c in i.get("children", [])}
            merged.append({**seen[item["slug"]], "children": [
                c for c in item.get("children", []) if c["slug"] in children]})
    return merged


def targeted_tree(profile: dict, inventory: dict) -> list[dict]:
    """Every item some restricted user can open: the menus of the targeted roles and users."""
    by_role = inventory.get("admin_menu", {}).get("by_role", {})
    roles = {role for role in by_role if is_restricted(profile, "", [role])}
    users = set(profile["targets"].get("users", []))
    for user in inventory.get("users", {}).get("list", []):
        if user["login"] in users and is_restricted(profile, user["login"], user["roles"]):
            roles.update(role for role in user["roles"] if role in by_role)
    return merged_tree(inventory, sorted(roles)) if roles else []


def denied(profile: dict, full: list[dict], content: frozenset[str] = frozenset()
           ) -> list[tuple[str, str]]:
    """(parent slug, slug) of every screen the profile refuses; parent '' for top level."""
    policy = profile.get("unknown_items", "hide")
    rules = {rule["slug"]: rule for rule in profile["menu"]}
    refused = []
    for item in full:
        rule = rules.get(item["slug"])
        state = rule["state"] if rule else \
            ("denied" if unnamed_policy(profile, item["slug"], content) == "deny" else "visible")
        if state == "denied" and item["slug"] not in UNDENIABLE:
            refused.append(("", item["slug"]))
            # Its submenu goes with it, except the screens nobody may be refused.
            refused += [(item["slug"], c["slug"]) for c in item.get("children", [])
                        if c["slug"] != item["slug"] and c["slug"] not in UNDENIABLE]
            continue
        if rule is None or "children" not in rule:
            continue
        child_rules = {c["slug"]: c for c in rule["children"]}
        for child in item.get("children", []):
            child_rule = child_rules.get(child["slug"])
            child_state = child_rule["state"] if child_rule else \
                ("denied" if policy == "deny" else "visible")
            if child_state == "denied" and child["slug"] not in UNDENIABLE:
                refused.append((item["slug"], child["slug"]))
    return refused


@dataclass(frozen=True)
class DriftItem:
    """A menu item on the site that the profile does not name."""

    parent: str
    slug: str
    title: str
    policy: str

    @property
    def label(self) -> str:
        return f"{self.parent} › {self.slug}" if self.parent else self.slug


def drift(profile: dict, full: list[dict], content: frozenset[str] = frozenset()
          ) -> list[DriftItem]:
    """Items on the site the profile does not name (a plugin added them since, usually)."""
    policy = profile.get("unknown_items", "hide")
    rules = {rule["slug"]: rule for rule in profile["menu"]}
    found = []
    for item in full:
        rule = rules.get(item["slug"])
        if rule is None:
            if item["slug"] not in ALWAYS_SHOWN:
                found.append(DriftItem("", item["slug"], item["title"],
                                       unnamed_policy(profile, item["slug"], content)))
            continue
        if "children" in rule:
            named = {c["slug"] for c in rule["children"]}
            found += [DriftItem(item["slug"], c["slug"], c["title"], policy)
                      for c in item.get("children", []) if c["slug"] not in named]
    return found


def site_drift(profile: dict, inventory: dict) -> list[DriftItem]:
    """drift() over every item a restricted user of the site can open."""
    return drift(profile, targeted_tree(profile, inventory), content_menus(inventory))


def missing(profile: dict, admin_menu: dict) -> list[str]:
    """Slugs the profile names that no role's menu on the site has (nothing to apply)."""
    on_site: dict[str, set[str]] = {}
    for tree in [admin_menu["full"], *admin_menu["by_role"].values()]:
        for item in tree:
            on_site.setdefault(item["slug"], set()).update(
                c["slug"] for c in item.get("children", []))
    found = []
    for rule in profile["menu"]:
        if rule["slug"] not in on_site:
            found.append(rule["slug"])
            continue
        found += [f"{rule['slug']} › {c['slug']}" for c in rule.get("children", [])
                  if c["slug"] not in on_site[rule["slug"]]]
    return found


@dataclass(frozen=True)
class Change:
    """One difference between two menus: kind is removed, added, renamed or moved."""

    kind: str
    path: str
    detail: str = ""

    def __str__(self) -> str:
        marks = {"removed": "-", "added": "+", "renamed": "~", "moved": "↕"}
        return f"{marks[self.kind]} {self.path}" + (f"  ({self.detail})" if self.detail else "")


def menu_changes(before: list[dict], after: list[dict]) -> list[Change]:
    """What changes for a person whose menu goes from `before` to `after`."""
    return _level_changes(before, after, "")


def _level_changes(before: list[dict], after: list[dict], parent: str) -> list[Change]:
    old = {item["slug"]: item for item in before}
    new = {item["slug"]: item for item in after}
    changes = []

    def path(item: dict) -> str:
        return f"{parent} › {item['title']}" if parent else item["title"]

    for item in before:
        if item["slug"] not in new:
            changes.append(Change("removed", path(item), item["slug"]))
    for item in after:
        previous = old.get(item["slug"])
        if previous is None:
            changes.append(Change("added", path(item), item["slug"]))
            continue
        if previous["title"] != item["title"]:
            changes.append(Change("renamed", path(previous), f"now {item['title']!r}"))
        changes += _level_changes(previous.get("children", []), item.get("children", []),
                                  path(item))
    kept_before = [slug for slug in old if slug in new]
    kept_after = [slug for slug in new if slug in old]
    if kept_before != kept_after:
        where = parent or "top level"
        changes.append(Change("moved", where, "order: " + ", ".join(
            new[slug]["title"] for slug in kept_after)))
    return changes


def pull_profile(inventory: dict, role: str, name: str = "") -> dict:
    """The role's live menu as an editable profile: everything visible, in the site's order."""
    tree = role_tree(inventory, role)
    site_name = inventory.get("site", {}).get("name", "")
    return {
        "schema_version": 1,
        "name": name or f"{site_name or 'Site'} — {role}"[:100].replace("<", "").replace(">", ""),
        "targets": {"roles": [role]},
        "combine": "all_roles",
        "unknown_items": "hide",
        "menu": [_pulled(item) for item in tree if not item.get("custom")],
    }


def _pulled(item: dict) -> dict:
    rule = {"slug": item["slug"], "state": "visible"}
    if item.get("children"):
        rule["children"] = [{"slug": child["slug"], "state": "visible"}
                            for child in item["children"]]
    return rule
