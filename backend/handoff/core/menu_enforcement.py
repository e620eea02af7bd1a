"""The enforcement report: what "denied" closes on a site, per denied item, target and door.

The plugin computes it on the site (docs/bridge-protocol.md, "Menu profile: the
enforcement report") and sends it with every push and from its preview route. The site is
an untrusted party: its report is read defensively (unknown statuses count as unknown,
texts are capped), and a plugin too old to send one is said so, never a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DOORS = ("screen", "rest", "admin_ajax", "admin_post", "xmlrpc")
DOOR_NAMES = {"screen": "Screen", "rest": "REST", "admin_ajax": "admin-ajax",
              "admin_post": "admin-post", "xmlrpc": "XML-RPC"}
STATUSES = ("closed", "open", "unknown")
NOT_REPORTED = "the site's plugin does not report enforcement (update it)"
MAX_ITEMS, MAX_TARGETS, MAX_TEXT = 500, 50, 500


def needs_rest(site: str) -> str:
    """Why there is no report before a push over XML-RPC."""
    return (f"the enforcement report before a push needs REST: {site} is reached over "
            "XML-RPC, where the preview route does not exist (the push itself reports it)")


@dataclass
class Door:
    status: str  # closed, open or unknown
    reason: str


@dataclass
class TargetReport:
    """One denied item for one target (`role:editor`, `user:client`)."""

    target: str
    opens_without_profile: bool
    withheld: list[str]
    doors: dict[str, Door]

    def not_closed(self) -> list[tuple[str, Door]]:
        """The doors that stay open or that nothing on the site tells about."""
        return [(name, door) for name, door in self.doors.items() if door.status != "closed"]


@dataclass
class ItemReport:
    slug: str
    parent: str
    title: str
    targets: list[TargetReport]

    @property
    def label(self) -> str:
        path = f"{self.parent} › {self.slug}" if self.parent else self.slug
        return f"{self.title} ({path})" if self.title and self.title != self.slug else path


@dataclass
class Enforcement:
    """The site's report, or (`items` empty, `note` set) why there is none."""

    items: list[ItemReport] = field(default_factory=list)
    note: str = ""
    reported: bool = True

    def count(self, status: str) -> int:
        return sum(1 for item in self.items for target in item.targets
                   for door in target.doors.values() if door.status == status)

    def summary(self) -> str:
        """One line for a table's notes: "2 doors open, 1 unknown", or why no report."""
        if not self.reported:
            return self.note
        if not self.items:
            return "nothing denied"
        parts = [f"{n} door{'s' if n != 1 else ''} {status}"
                 for status in ("open", "unknown") if (n := self.count(status))]
        return ", ".join(parts) if parts else "every door closed"

    def compact(self) -> list[dict]:
        """Per item and target, only the doors not closed and why (for audit and jobs)."""
        return [{"item": item.label, "target": target.target,
                 "doors": {DOOR_NAMES[name]: f"{door.status}: {door.reason}"
                           for name, door in target.not_closed()}}
                for item in self.items for target in item.targets if target.not_closed()]

    def as_dict(self) -> dict:
        """The report as plain data (the JSON outputs and the dashboard API)."""
        return {"reported": self.reported, "note": self.note, "summary": self.summary(),
                "items": [{"slug": item.slug, "parent": item.parent, "title": item.title,
                           "targets": [_target_dict(target) for target in item.targets]}
                          for item in self.items]}

    def audit_record(self) -> dict | str:
        """What the audit log keeps of it: the open doors and their reasons, or the note."""
        if not self.reported:
            return self.note
        return {"summary": self.summary(), "not_closed": self.compact()}


def _target_dict(target: TargetReport) -> dict:
    return {"target": target.target, "opens_without_profile": target.opens_without_profile,
            "withheld": target.withheld,
            "doors": {name: {"status": door.status, "reason": door.reason}
                      for name, door in target.doors.items()}}


def not_reported(note: str = NOT_REPORTED) -> Enforcement:
    return Enforcement(note=note, reported=False)


def from_answer(answer: dict, titles: dict[tuple[str, str], str] | None = None) -> Enforcement:
    """The `enforcement` of a site's answer, read defensively; not reported when absent."""
    report = answer.get("enforcement") if isinstance(answer, dict) else None
    if not isinstance(report, dict) or not isinstance(report.get("items"), list):
        return not_reported()
    titles = titles or {}
    items = []
    for raw in report["items"][:MAX_ITEMS]:
        if not isinstance(raw, dict):
            continue
        slug, parent = _text(raw.get("slug")), _text(raw.get("parent"))
        targets = [_target(t) for t in _list(raw.get("targets"))[:MAX_TARGETS]
                   if isinstance(t, dict)]
        items.append(ItemReport(slug, parent, titles.get((parent, slug), ""), targets))
    return Enforcement(items=items)


def _target(raw: dict) -> TargetReport:
    doors = raw.get("doors") if isinstance(raw.get("doors"), dict) else {}
    return TargetReport(
        target=_text(raw.get("target")) or "(unnamed)",
        opens_without_profile=raw.get("opens_without_profile") is not False,
        withheld=[_text(cap) for cap in _list(raw.get("withheld")) if isinstance(cap, str)],
        doors={name: _door(doors.get(name)) for name in DOORS})


def _door(raw: object) -> Door:
    if not isinstance(raw, dict):
        return Door("unknown", "the site's report does not name this door")
    status = raw.get("status")
    return Door(status if status in STATUSES else "unknown", _text(raw.get("reason")))


def _text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def menu_titles(inventory: dict | None) -> dict[tuple[str, str], str]:
    """(parent, slug) → title, from an inventory's full menu (for readable reports)."""
    full = (inventory or {}).get("admin_menu", {}).get("full", [])
    titles = {("", item["slug"]): item.get("title", "") for item in full}
    titles.update({(item["slug"], child["slug"]): child.get("title", "")
                   for item in full for child in item.get("children", [])})
    return titles
