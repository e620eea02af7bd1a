"""What a menu editor offers for a site: every menu item some role sees, and the other
parts of wp-admin a profile can trim (docs/menu-profiles.md, "The rest") — admin-bar
nodes, dashboard widgets — and the Dashicons an item can wear.

The inventory does not list a site's admin-bar nodes or dashboard widgets, so editors
offer WordPress core's, plus whatever IDs a profile already names (a plugin's own).
"""

from __future__ import annotations

# Core admin-bar nodes a client can do without. `my-account` is left out on purpose:
# it holds "Log Out".
ADMIN_BAR_NODES = {
    "wp-logo": "WordPress logo menu",
    "site-name": "Site name (visit site)",
    "updates": "Updates counter",
    "comments": "Comments counter",
    "new-content": "“+ New” menu",
    "customize": "Customize",
    "search": "Search",
}

DASHBOARD_WIDGETS = {
    "dashboard_site_health": "Site Health Status",
    "dashboard_right_now": "At a Glance",
    "dashboard_activity": "Activity",
    "dashboard_quick_press": "Quick Draft",
    "dashboard_primary": "WordPress Events and News",
    "dashboard_php_nag": "PHP update required",
    "dashboard_browser_nag": "Browser update",
}

# Common Dashicons for menu items (https://developer.wordpress.org/resource/dashicons/).
DASHICONS = (
    "dashicons-admin-home", "dashicons-dashboard", "dashicons-admin-post",
    "dashicons-admin-page", "dashicons-admin-media", "dashicons-admin-comments",
    "dashicons-admin-appearance", "dashicons-admin-plugins", "dashicons-admin-users",
    "dashicons-admin-tools", "dashicons-admin-settings", "dashicons-admin-links",
    "dashicons-admin-generic", "dashicons-admin-site", "dashicons-megaphone",
    "dashicons-format-image", "dashicons-format-gallery", "dashicons-portfolio",
    "dashicons-book", "dashicons-book-alt", "dashicons-cart", "dashicons-products",
    "dashicons-calendar-alt", "dashicons-email", "dashicons-feedback", "dashicons-forms",
    "dashicons-chart-bar", "dashicons-chart-line", "dashicons-groups", "dashicons-id",
    "dashicons-sos", "dashicons-editor-help", "dashicons-info", "dashicons-star-filled",
    "dashicons-heart", "dashicons-location", "dashicons-phone", "dashicons-lock",
    "dashicons-welcome-learn-more", "dashicons-welcome-write-blog", "dashicons-store",
    "dashicons-clipboard", "dashicons-media-document", "dashicons-video-alt3",
)


def _choices(known: dict[str, str], chosen: list[str]) -> list[dict]:
    extra = [node for node in chosen if node not in known]
    return ([{"id": node, "label": label} for node, label in known.items()]
            + [{"id": node, "label": ""} for node in extra])


def admin_bar_choices(profile: dict) -> list[dict]:
    """Admin-bar nodes to offer: core's, then those the profile removes besides."""
    return _choices(ADMIN_BAR_NODES, profile.get("admin_bar", {}).get("remove", []))


def dashboard_widget_choices(profile: dict) -> list[dict]:
    """Dashboard widgets to offer: core's, then those the profile removes besides."""
    return _choices(DASHBOARD_WIDGETS,
                    profile.get("dashboard", {}).get("remove_widgets", []))


def site_tree(inventory: dict) -> list[dict]:
    """Every top-level item some role of the site sees, in the site's order.

    The full menu is the administrator's; items only other roles get (Profile, where
    administrators have Users) go where their menu position puts them.
    """
    menu = inventory["admin_menu"]
    tree = [dict(item) for item in menu["full"]]
    known = {item["slug"] for item in tree}
    for role_tree in menu["by_role"].values():
        for item in role_tree:
            if item["slug"] in known or item.get("custom"):
                continue
            position = item.get("position", 0)
            at = next((i for i, other in enumerate(tree)
                       if other.get("position", 0) > position), len(tree))
            tree.insert(at, dict(item))
            known.add(item["slug"])
    return tree
