"""Core objects as the dashboard and the API show them; no site logic lives here."""

from __future__ import annotations

from handoff.cli.render import site_as_dict, when
from handoff.core.site_list import SiteSummary
from handoff.errors import HandoffError
from handoff.storage import Site
from handoff.wordpress.diagnose import Diagnosis

# Which form field a core error belongs next to; anything else is about the key.
VERDICT_CLASS = {"Ready": "verdict-ready", "Needs attention": "verdict-attention",
                 "Blocked": "verdict-blocked"}
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


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def summary_dict(summary: SiteSummary) -> dict:
    """A site of the sites list for the API: its record, handbook and handover state."""
    data = site_as_dict(summary.site)
    handbook, handover = summary.handbook, summary.handover
    data["handbook"] = {"published": handbook["published"],
                        "published_at": _iso(handbook["published_at"]),
                        "how": handbook["how"]}
    data["handover"] = {"verdict": handover["verdict"],
                        "checked_at": _iso(handover["checked_at"]),
                        "completed_at": _iso(handover["completed_at"])}
    return data


def summary_row(summary: SiteSummary) -> dict:
    """The same for the Sites table, with its texts ("3 min ago", "v2 Client")."""
    data = summary_dict(summary)
    site = summary.site
    data["last_sync"] = when(site.last_sync_at)
    data["menu_label"] = (f"v{site.menu_version} {site.menu_name}".strip()
                          if site.menu_hash else "")
    data["handbook_when"] = when(summary.handbook["published_at"]) \
        if summary.handbook["published_at"] else ""
    data["handover_when"] = when(summary.handover["checked_at"]) \
        if summary.handover["checked_at"] else ""
    data["handover_class"] = VERDICT_CLASS.get(summary.handover["verdict"] or "", "")
    return data


def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: first, last, and `around` either side of current.

    None stands for a gap ("…").
    """
    wanted = {1, pages, *range(current - around, current + around + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


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
