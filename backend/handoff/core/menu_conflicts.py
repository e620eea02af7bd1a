"""Other plugins that restrict the admin menu too (the inventory's `menu_restrictions`).

The handbook is written from the Handoff profile; a menu item that Adminimize, Admin Menu
Editor, User Role Editor Pro or White Label CMS hides is a screen the handbook may send
the client to in vain. `site check` and the handbook build say so, with what to do.
"""

from __future__ import annotations

from handoff.core.menu_enforcement import menu_titles

FIX = ("the handbook may send the client to a screen that plugin hides — remove its menu "
       "rules or mirror them in the Handoff profile")
SHOWN_ITEMS = 8


def conflicts(inventory: dict | None) -> list[str]:
    """One sentence per active plugin that hides menu items, e.g. "Adminimize also hides
    menu items: Tools (tools.php) for editor"; nothing for one without rules now."""
    entries = (inventory or {}).get("menu_restrictions")
    titles = menu_titles(inventory)
    return [sentence for entry in entries if isinstance(entry, dict)
            if (sentence := _sentence(entry, titles))] if isinstance(entries, list) else []


def warnings(inventory: dict | None) -> list[str]:
    """The same, with the fix: for the handbook build's warnings."""
    return [f"{sentence}; {FIX}" for sentence in conflicts(inventory)]


def _sentence(entry: dict, titles: dict[tuple[str, str], str]) -> str:
    name = str(entry.get("name") or entry.get("plugin") or "another plugin")
    hides = [rule for rule in entry.get("hides") or [] if isinstance(rule, dict)]
    note = str(entry.get("note") or "")
    if entry.get("rules_known") is False:
        return f"{name} also hides menu items ({note or 'which ones cannot be read'})"
    if not hides:
        return ""
    return f"{name} also hides menu items: {_items(hides, titles)}" + \
        (f" ({note})" if note else "")


def _items(hides: list[dict], titles: dict[tuple[str, str], str]) -> str:
    """ "Tools (tools.php) for editor, author; Posts › Add New for everyone", in order."""
    who_by_item: dict[tuple[str, str], list[str]] = {}
    for rule in hides:
        key = (str(rule.get("parent", "")), str(rule.get("slug", "")))
        who = str(rule.get("who", "")).removeprefix("role:")
        if who not in who_by_item.setdefault(key, []):
            who_by_item[key].append(who)
    parts = [f"{_label(parent, slug, titles)} for {', '.join(who)}"
             for (parent, slug), who in list(who_by_item.items())[:SHOWN_ITEMS]]
    more = len(who_by_item) - SHOWN_ITEMS
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _label(parent: str, slug: str, titles: dict[tuple[str, str], str]) -> str:
    title = titles.get((parent, slug), "")
    if parent:
        title = f"{titles.get(('', parent), parent)} › {title or slug}"
    return f"{title} ({slug})" if title and title != slug else slug
