"""Stores full of realistic sites, for the sites list's tests and its benchmark.

`fill_store(app, count)` writes `count` sites the way a busy backend holds them: tags, a
menu profile on every third site, handover runs with every checklist item (and sign-offs)
on every fourth, inventory snapshots on every fifth, and audit events (handbook publishes
among them). Rows go in with a few bulk inserts, so 1,000 sites take seconds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import insert, select

from handoff.core.handovers import ItemResult
from handoff.handover.checklist import load_checklist
from handoff.storage import (
    AuditEvent,
    HandoverDecision,
    HandoverRun,
    InventorySnapshot,
    Site,
    SiteTag,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HEALTH = ("ok", "ok", "ok", "warning", "error", "unknown")


def _item(slug: str, title: str, capability: str, position: float,
          children: tuple = ()) -> dict:
    return {"slug": slug, "title": title, "capability": capability, "icon": "",
            "position": position, "children": [
                {"slug": child, "title": label, "capability": capability}
                for child, label in children]}


MENU = [
    _item("index.php", "Dashboard", "read", 2, (("index.php", "Home"),
                                                ("update-core.php", "Updates"))),
    _item("edit.php", "Posts", "edit_posts", 5, (("edit.php", "All Posts"),
                                                 ("post-new.php", "Add New"),
                                                 ("edit-tags.php?taxonomy=category",
                                                  "Categories"))),
    _item("upload.php", "Media", "upload_files", 10),
    _item("edit.php?post_type=page", "Pages", "edit_pages", 20),
    _item("edit-comments.php", "Comments", "edit_posts", 25),
    _item("themes.php", "Appearance", "switch_themes", 60),
    _item("plugins.php", "Plugins", "activate_plugins", 65),
    _item("users.php", "Users", "list_users", 70),
    _item("tools.php", "Tools", "edit_posts", 75),
    _item("options-general.php", "Settings", "manage_options", 80),
    _item("wpcf7", "Contact", "wpcf7_read_contact_forms", 30),
    _item("woocommerce", "WooCommerce", "edit_others_shop_orders", 55,
          (("wc-orders", "Orders"), ("wc-reports", "Reports"))),
]
EDITOR_MENU = [item for item in MENU if item["capability"] in
               ("read", "edit_posts", "upload_files", "edit_pages")]
PLUGINS = [("contact-form-7/wp-contact-form-7.php", "Contact Form 7", "5.8.4"),
           ("woocommerce/woocommerce.php", "WooCommerce", "8.2.1"),
           ("wordpress-seo/wp-seo.php", "Yoast SEO", "21.5"),
           ("handoff-companion/handoff-companion.php", "Handoff Companion", "0.1.0")]


def inventory_document(url: str, menu: list[dict] | None = None) -> dict:
    """A site's inventory as the plugin sends it (valid against inventory.schema.json)."""
    menu = MENU if menu is None else menu
    return {
        "schema_version": 1, "generated_at": "2026-11-20T12:00:00+00:00",
        "site": {"name": "Client", "description": "", "home_url": url, "site_url": url,
                 "admin_email": "office@client.example", "locale": "en_US",
                 "timezone": "Europe/Berlin", "permalink_structure": "/%postname%/",
                 "environment_type": "production", "multisite": False,
                 "is_ssl": True},
        "software": {"wordpress": "6.1.9", "php": "8.2.7", "database": "MariaDB 10.11",
                     "plugin": "0.1.0", "server": "nginx"},
        "plugins": [{"file": file, "name": name, "version": version, "author": "",
                     "plugin_uri": "", "active": True, "must_use": False, "dropin": False,
                     "update_available": ""} for file, name, version in PLUGINS],
        "themes": [{"stylesheet": "twentytwentythree", "name": "Twenty Twenty-Three",
                    "version": "1.0", "active": True, "parent": "", "update_available": ""}],
        "post_types": [{"name": name, "label": label, "singular_label": label[:-1],
                        "description": "", "public": True, "hierarchical": name == "page",
                        "builtin": True, "show_ui": True, "menu_icon": "", "count": 12,
                        "rest_base": name + "s", "supports": ["title", "editor"],
                        "taxonomies": [], "labels": {
                            "menu_name": label, "all_items": f"All {label}",
                            "add_new_item": f"Add New {label[:-1]}",
                            "edit_item": f"Edit {label[:-1]}"}}
                       for name, label in (("post", "Posts"), ("page", "Pages"))],
        "taxonomies": [{"name": "category", "label": "Categories", "object_types": ["post"],
                        "public": True, "builtin": True, "hierarchical": True}],
        "roles": [{"name": role, "label": role.title(), "capabilities": ["read"],
                   "user_count": 1} for role in ("administrator", "editor")],
        "users": {"total": 2, "truncated": False, "list": [
            {"id": 1, "login": "admin", "display_name": "Admin", "roles": ["administrator"]},
            {"id": 2, "login": "client", "display_name": "Client", "roles": ["editor"]}]},
        "admin_menu": {"context": "admin", "full": menu, "warnings": [],
                       "by_role": {"administrator": menu, "editor": EDITOR_MENU}},
    }


@cache
def _checklist():
    return load_checklist()


def _results(number: int) -> dict:
    """One complete handover run: every checklist item, a few failing or open."""
    results = {}
    for index, item in enumerate(_checklist().items):
        status = "manual" if item.kind == "manual" else \
            ("fail" if (index + number) % 11 == 0 else
             "warn" if (index + number) % 7 == 0 else "pass")
        results[item.id] = asdict(ItemResult(item.id, item.group, item.title, item.kind,
                                             item.severity, status, detail="checked",
                                             fix=item.fix))
    return results


def _site_row(number: int) -> dict:
    url = f"https://{'www.' if number % 4 == 0 else ''}client-{number:04}.example"
    menu = number % 3 == 0
    return {"name": f"client-{number:04}", "url": url, "rest_url": f"{url}/wp-json/",
            "xmlrpc_url": f"{url}/xmlrpc.php", "username": "handoff-bridge",
            "secret": "not-a-real-secret", "environment_type": "production",
            "transport": "rest", "transport_forced": False, "wordpress_version": "6.1.9",
            "plugin_version": "0.1.0", "php_version": "8.2.7",
            "health": HEALTH[number % len(HEALTH)],
            "health_summary": "All good: the backend reaches the site over rest.",
            "created_at": NOW - timedelta(days=90),
            "last_check_at": NOW - timedelta(hours=number % 48),
            "last_sync_at": NOW - timedelta(hours=number % 72),
            "menu_version": 3 if menu else 0, "menu_hash": "a" * 64 if menu else "",
            "menu_name": "Client editor" if menu else "",
            "menu_pushed_at": NOW - timedelta(days=3) if menu else None,
            "menu_drift": number % 4 if menu else None, "handbook_page_id": 0}


def _tags(number: int) -> list[str]:
    return [tag for tag, every in (("retainer", 2), ("agency-north", 3), ("vip", 7),
                                   ("shop", 5)) if number % every == 0]


def fill_store(app, count: int, start: int = 0) -> list[str]:
    """Write `count` sites (and what belongs to them); return their names."""
    numbers = range(start, start + count)
    with app.store.session() as session:
        session.execute(insert(Site), [_site_row(n) for n in numbers])
        ids = dict(session.execute(select(Site.name, Site.id).where(
            Site.name.in_([f"client-{n:04}" for n in numbers]))).all())
        session.execute(insert(SiteTag), [{"site_id": ids[f"client-{n:04}"], "tag": tag}
                                          for n in numbers for tag in _tags(n)] or None)
        _children(session, ids, numbers)
    return sorted(ids)


def _children(session, ids: dict[str, int], numbers: range) -> None:
    runs, decisions, snapshots, events = [], [], [], []
    for n in numbers:
        name = f"client-{n:04}"
        site_id = ids[name]
        if n % 4 == 1:
            runs.append({"site_id": site_id, "started_at": NOW - timedelta(days=2),
                         "finished_at": None, "complete": False, "verdict": "",
                         "results": "{}", "error": "the site did not answer"})
            runs.append({"site_id": site_id, "started_at": NOW - timedelta(days=1),
                         "finished_at": NOW - timedelta(days=1), "complete": True,
                         "verdict": "Blocked", "results": json.dumps(_results(n)),
                         "error": ""})
            for item in ("domain-owner", "hosting-owner", "credentials-delivered")[:n % 4]:
                decisions.append({"site_id": site_id, "item_id": item, "kind": "sign",
                                  "by": "Sam", "note": "", "at": NOW - timedelta(hours=5)})
        if n % 5 == 0:
            data = json.dumps(inventory_document(f"https://client-{n:04}.example"),
                              sort_keys=True)
            for hours in (48, 24):
                snapshots.append({"site_id": site_id, "taken_at": NOW - timedelta(hours=hours),
                                  "sha256": hashlib.sha256(data.encode()).hexdigest(),
                                  "data": data})
        events += [{"at": NOW - timedelta(days=days), "actor": "cli:sam", "action": action,
                    "site": name, "result": "ok", "summary": f"{action} on {name}",
                    "data": "{}"}
                   for days, action in ((10, "site.add"), (5, "site.tag"), (3, "menu.push"))]
        if n % 6 == 0:
            events.append({"at": NOW - timedelta(days=2), "actor": "cli:sam",
                           "action": "handbook.publish", "site": name, "result": "ok",
                           "summary": f"Published the handbook on {name}.", "data": "{}"})
    for model, rows in ((HandoverRun, runs), (HandoverDecision, decisions),
                        (InventorySnapshot, snapshots), (AuditEvent, events)):
        if rows:
            session.execute(insert(model), rows)
