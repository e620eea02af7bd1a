"""Core objects as the dashboard and the API show them; no site logic lives here."""

from __future__ import annotations

from handoff.cli.render import site_as_dict, when
from handoff.errors import HandoffError
from handoff.storage import Site
from handoff.wordpress.diagnose import Diagnosis

# Which form field a core error belongs next to; anything else is about the key.
FIELD_OF_CODE = {"url_mismatch": "url", "duplicate_site": "url", "site_name": "name",
                 "duplicate_name": "name"}


def error_field(error: HandoffError) -> str:
    return FIELD_OF_CODE.get(error.code, "key")


def error_text(error: HandoffError) -> str:
    return f"{error.cause} Fix: {error.fix}." if error.fix else error.cause


def site_row(site: Site) -> dict:
    """A site for the table and the API (never its password)."""
    data = site_as_dict(site)
    data["last_sync"] = when(site.last_sync_at)
    data["menu_label"] = (f"v{site.menu_version} {site.menu_name}".strip()
                          if site.menu_hash else "")
    return data


def diagnosis_dict(diagnosis: Diagnosis) -> dict:
    return {"ok": diagnosis.ok, "health": diagnosis.health, "transport": diagnosis.transport,
            "summary": diagnosis.summary(),
            "findings": [dict(f.__dict__) for f in diagnosis.findings]}


def sync_counts(inventory: dict) -> dict:
    return {"plugins": len(inventory["plugins"]), "themes": len(inventory["themes"]),
            "content_types": len(inventory["post_types"]),
            "users": inventory["users"]["total"],
            "admin_menu_items": len(inventory["admin_menu"]["full"])}


def sync_message(name: str, counts: dict) -> str:
    return (f"Synced {name}: {counts['plugins']} plugins, {counts['themes']} themes, "
            f"{counts['content_types']} content types, {counts['users']} users, "
            f"{counts['admin_menu_items']} admin menu items.")


def plugin_rows(inventory: dict) -> list[dict]:
    rows = []
    for plugin in sorted(inventory["plugins"], key=lambda p: (not p["active"], p["name"])):
        state = "must-use" if plugin["must_use"] else "drop-in" if plugin["dropin"] else \
            "active" if plugin["active"] else "inactive"
        rows.append({"name": plugin["name"], "version": plugin["version"], "state": state,
                     "update_available": plugin["update_available"]})
    return rows
