"""What templates may use: the client's menu, the inventory, the intake — and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from handoff.core.menu_preview import merged_tree, preview, user_roles
from handoff.documents.safety import as_code, as_line, as_text
from handoff.handbook.labels import label_globals

__all__ = ["ClientMenu", "Gaps", "ScreenUnavailable", "as_text", "template_globals"]


class ScreenUnavailable(Exception):
    """A template named a screen the client cannot open."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


@dataclass
class ClientMenu:
    """The menu the client sees: after their role's capabilities and the menu profile."""

    items: list[dict]
    who: str  # "user client" or "role editor", for messages
    profile_applies: bool

    @classmethod
    def for_site(cls, inventory: dict, profile: dict | None, login: str | None,
                 role: str) -> ClientMenu:
        by_role = inventory["admin_menu"]["by_role"]
        logins = {u["login"] for u in inventory.get("users", {}).get("list", [])}
        use_login = login if login and login in logins else None
        if profile:
            items, applies = preview(profile, inventory, role=None if use_login else role,
                                     user=use_login)
        elif use_login:
            items, applies = merged_tree(inventory, user_roles(inventory, use_login)), False
        else:
            items, applies = by_role.get(role, []), False
        return cls(items, f"user {use_login}" if use_login else f"role {role}", applies)

    def find(self, slug: str, child: str | None = None) -> list[str] | None:
        """The titles leading to a screen (['Pages', 'Add New']), or None if not openable."""
        for item in self.items:
            if child is None and item["slug"] == slug:
                return [item["title"]]
            if child is not None and item["slug"] != slug:
                continue
            wanted = child if child is not None else slug
            for sub in item.get("children", []):
                if sub["slug"] == wanted:
                    return [item["title"], sub["title"]]
            if child is not None and child == slug:  # a lone submenu WordPress left out
                return [item["title"]]
        return None


@dataclass
class Gaps:
    """Intake answers the templates needed but did not get."""

    missing: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # missing answer -> intake path
    allow: bool = False

    def blank(self, what: str, answer: str | None = None) -> Markup:
        """A visible blank for `what`; `answer` names the intake field that fills it."""
        if what not in self.missing:
            self.missing.append(what)
        if answer:
            self.fields[what] = str(answer)
        return Markup("**[") + escape(self.marker.format(what=what)) + Markup("]**")

    marker: str = "to be completed: {what}"


def template_globals(inventory: dict, menu: ClientMenu, intake: dict, gaps: Gaps,
                     language: str) -> dict:
    """The names a template can use (docs/handbook-templates.md)."""
    site = inventory.get("site", {})
    counts = {p["name"]: p.get("count", 0) for p in inventory.get("post_types", [])}
    active = {p["file"].split("/", 1)[0] for p in inventory.get("plugins", [])
              if p.get("active")}

    def screen(slug: str, child: str | None = None) -> Markup:
        titles = menu.find(slug, child)
        if titles is None:
            raise ScreenUnavailable(f"{slug} › {child}" if child else slug)
        # Menu titles are the site's words: text, never links or attributes.
        return Markup("**") + as_line(" › ".join(titles)) + Markup("**")

    def can_open(slug: str, child: str | None = None) -> bool:
        return menu.find(slug, child) is not None

    home = site.get("home_url", "").rstrip("/")
    base = site.get("site_url", home).rstrip("/")
    return {
        "screen": screen, "can_open": can_open,
        "count": lambda post_type: counts.get(post_type, 0),
        "plugin_active": lambda folder: folder in active,
        "blank": gaps.blank,
        "site": site, "admin_url": f"{base}/wp-admin/", "login_url": f"{base}/wp-login.php",
        "intake": intake, "developer": intake.get("developer") or {},
        "client": intake.get("client") or {},
        "post_types": [p for p in inventory.get("post_types", []) if not p.get("builtin")
                       and p.get("show_ui")],
        "plugins": inventory.get("plugins", []), "themes": inventory.get("themes", []),
        "lang": language, "code": as_code,
        **label_globals(inventory, language),  # ui(), has_ui(), wp_at_least(), wp_version
    }
