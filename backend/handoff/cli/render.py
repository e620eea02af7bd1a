"""Turn core objects into rich tables and text; no logic about sites lives here."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from handoff.core.inventory import active_theme
from handoff.storage import Site
from handoff.wordpress.diagnose import Diagnosis

LEVEL_STYLE = {"ok": ("✓", "green"), "info": ("·", "cyan"), "warn": ("!", "yellow"),
               "fail": ("✗", "red")}
HEALTH_STYLE = {"ok": "green", "warning": "yellow", "error": "red", "unknown": "dim"}


def when(moment: datetime | None) -> str:
    """Return '3 min ago'-style text for a timestamp, 'never' for None."""
    if moment is None:
        return "never"
    seconds = int((datetime.now(UTC) - moment).total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def sites_table(sites: list[Site]) -> Table:
    table = Table(title=None, header_style="bold")
    for column in ("Name", "URL", "WordPress", "Plugin", "Transport", "Last sync", "Health",
                   "Menu", "Tags"):
        table.add_column(column, overflow="fold")
    for site in sites:
        menu = f"v{site.menu_version} {site.menu_name}".strip() if site.menu_hash else "—"
        table.add_row(site.name, site.url, site.wordpress_version or "?",
                      site.plugin_version or "?",
                      site.transport + (" (forced)" if site.transport_forced else ""),
                      when(site.last_sync_at),
                      Text(site.health, style=HEALTH_STYLE.get(site.health, "")),
                      menu, ", ".join(site.tags))
    return table


def site_as_dict(site: Site) -> dict:
    """Return what `site list --json` shows of a site (never its password)."""
    def iso(moment):
        return moment.isoformat() if moment else None
    return {"name": site.name, "url": site.url, "wordpress_version": site.wordpress_version,
            "plugin_version": site.plugin_version, "php_version": site.php_version,
            "transport": site.transport, "transport_forced": site.transport_forced,
            "environment_type": site.environment_type, "health": site.health,
            "health_summary": site.health_summary, "last_check_at": iso(site.last_check_at),
            "last_sync_at": iso(site.last_sync_at), "created_at": iso(site.created_at),
            "tags": site.tags,
            "menu": {"version": site.menu_version, "hash": site.menu_hash,
                     "name": site.menu_name, "pushed_at": iso(site.menu_pushed_at),
                     "drift": site.menu_drift}}


def diagnosis_lines(diagnosis: Diagnosis) -> Group:
    lines = []
    for finding in diagnosis.findings:
        mark, style = LEVEL_STYLE[finding.level]
        line = Text.assemble((f" {mark} ", f"bold {style}"), (f"{finding.check:<10} ", "dim"),
                             finding.message)
        if finding.fix and finding.level in ("warn", "fail"):
            line.append(f"\n{'':14}Fix: {finding.fix}", style="italic")
        lines.append(line)
    verdict_style = "green" if diagnosis.health == "ok" else \
        "yellow" if diagnosis.health == "warning" else "red"
    lines.append(Text(diagnosis.summary(), style=f"bold {verdict_style}"))
    return Group(*lines)


def diagnosis_as_dict(diagnosis: Diagnosis) -> dict:
    return {"url": diagnosis.url, "ok": diagnosis.ok, "health": diagnosis.health,
            "transport": diagnosis.transport, "summary": diagnosis.summary(),
            "findings": [f.__dict__ for f in diagnosis.findings]}


def inventory_view(site: Site, inventory: dict, role: str | None) -> Group:
    """Return a readable view of an inventory: overview, plugins, themes, types, roles, menu."""
    software, info = inventory["software"], inventory["site"]
    theme = active_theme(inventory)
    overview = Table.grid(padding=(0, 2))
    for label, value in (
            ("Site", f"{info['name']} — {info['home_url']}"),
            ("WordPress", f"{software['wordpress']} (PHP {software['php']}, "
                          f"{software['database']})"),
            ("Companion", software["plugin"]), ("Environment", info["environment_type"]),
            ("Locale", f"{info['locale']}, {info['timezone']}"),
            ("Theme", f"{theme['name']} {theme['version']}" if theme else "none"),
            ("Users", _user_counts(inventory)),
            ("Synced", when(site.last_sync_at))):
        overview.add_row(Text(label, style="bold"), value)
    return Group(overview, _plugins_table(inventory), _post_types_table(inventory),
                 _menu_tree(inventory, role))


def _user_counts(inventory: dict) -> str:
    counts = [f"{r['user_count']} {r['label'].lower()}" for r in inventory["roles"]
              if r["user_count"]]
    return f"{inventory['users']['total']} ({', '.join(counts)})"


def _plugins_table(inventory: dict) -> Table:
    table = Table(title="Plugins", title_justify="left", header_style="bold")
    for column in ("Plugin", "Version", "State", "Update"):
        table.add_column(column)
    for plugin in sorted(inventory["plugins"], key=lambda p: (not p["active"], p["name"])):
        state = "must-use" if plugin["must_use"] else "drop-in" if plugin["dropin"] else \
            "active" if plugin["active"] else "inactive"
        table.add_row(plugin["name"], plugin["version"],
                      Text(state, style="green" if state == "active" else "dim"),
                      plugin["update_available"])
    return table


def _post_types_table(inventory: dict) -> Table:
    table = Table(title="Content types", title_justify="left", header_style="bold")
    for column in ("Type", "Label", "Items", "Built in"):
        table.add_column(column)
    for post_type in inventory["post_types"]:
        if post_type["show_ui"]:
            table.add_row(post_type["name"], post_type["label"], str(post_type["count"]),
                          "yes" if post_type["builtin"] else "no")
    return table


def _menu_tree(inventory: dict, role: str | None) -> Tree:
    menu = inventory["admin_menu"]
    items = menu["by_role"].get(role, []) if role else menu["full"]
    title = f"Admin menu — {f'as {role} sees it' if role else 'administrator'}"
    return menu_tree(items, title)


def menu_tree(items: list[dict], title: str) -> Tree:
    """A menu as a tree: titles, then slugs dimmed. Site text is never read as markup."""
    tree = Tree(Text(title, style="bold"))
    for item in items:
        branch = tree.add(_menu_line(item))
        for child in item.get("children", []):
            branch.add(_menu_line(child))
    return tree


def _menu_line(item: dict) -> Text:
    line = Text(item["title"])
    line.append(f"  {item['slug']}", style="dim")
    if item.get("custom"):
        line.append("  (link" + (", new tab)" if item.get("new_tab") else ")"), style="cyan")
    return line


def print_json(console: Console, data: object) -> None:
    console.print_json(data=data)
