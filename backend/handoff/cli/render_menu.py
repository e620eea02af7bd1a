"""How `handoff menu …` shows profiles, plans, statuses and bulk results."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text

from handoff.core.menu_enforcement import DOOR_NAMES, DOORS, Enforcement
from handoff.core.menu_profile import Problem
from handoff.core.menus import MenuStatus, PushPlan, PushResult, SiteOutcome


def presets_table(rows: list[dict]) -> Table:
    table = Table(header_style="bold")
    for column in ("Preset", "For", "What the client gets"):
        table.add_column(column, overflow="fold")
    for row in rows:
        targets = row["targets"]
        who = ", ".join(targets.get("roles", []) + targets.get("users", []))
        table.add_row(row["name"], who, row["description"])
    return table


def problems_lines(found: list[Problem]) -> Group:
    lines = [Text(f"{len(found)} problem{'s' if len(found) != 1 else ''}:", style="bold red")]
    for problem in found:
        line = Text("  ✗ ", style="red")
        line.append(problem.path or "(profile)", style="bold")
        line.append(f": {problem.message}")
        lines.append(line)
    return Group(*lines)


def plan_view(plan: PushPlan) -> Group:
    parts: list = []
    for role in plan.roles:
        if not role.restricted:
            continue
        parts.append(Text(f"{role.role}: {len(role.changes) or 'no'} change"
                          f"{'s' if len(role.changes) != 1 else ''}", style="bold"))
        parts += [Text(f"  {change}") for change in role.changes]
    untouched = [role.role for role in plan.roles if not role.restricted]
    if untouched:
        parts.append(Text(f"Unchanged: {', '.join(untouched)}", style="dim"))
    if plan.denied:
        parts.append(Text("Screens that will refuse to open:", style="bold"))
        whole = {slug for parent, slug in plan.denied if not parent}
        for parent, slug in plan.denied:
            if not parent:
                below = sum(1 for p, _ in plan.denied if p == slug)
                parts.append(Text(f"  ⛔ {slug}" + (f" and its {below} submenu screen"
                                                   f"{'s' if below != 1 else ''}" if below
                                                   else "")))
            elif parent not in whole:
                parts.append(Text(f"  ⛔ {parent} › {slug}"))
    if plan.drift:
        parts.append(Text("Not named by the profile (unknown_items applies):", style="bold"))
        parts += [Text(f"  ? {item.label} ({item.title}) → {item.policy}") for item in plan.drift]
    parts += [Text(f"⚠ {warning}", style="yellow") for warning in plan.warnings]
    if plan.enforcement is not None:
        parts.append(enforcement_view(plan.enforcement))
    return Group(*parts)


MARKS = {"closed": ("✔", "green"), "open": ("✘", "red"), "unknown": ("?", "yellow")}


def enforcement_view(report: Enforcement) -> Group:
    """Per denied item and target, each door ✔ closed, ✘ open or ? unknown; then why."""
    if not report.reported:
        return Group(Text(f"Enforcement: {report.note}.", style="yellow"))
    if not report.items:
        return Group(Text("Enforcement: the profile denies nothing on this site.", style="dim"))
    table = Table(title="What \"denied\" closes, door by door (✔ closed, ✘ open, ? unknown)",
                  header_style="bold", title_justify="left")
    for column in ("Denied item", "For", *(DOOR_NAMES[door] for door in DOORS)):
        table.add_column(column, overflow="fold")
    reasons = []
    for item in report.items:
        for target in item.targets:
            table.add_row(item.label, target.target,
                          *(Text(MARKS[target.doors[door].status][0],
                                 style=MARKS[target.doors[door].status][1]) for door in DOORS))
            reasons += [Text(f"  {MARKS[door.status][0]} {item.label}, {target.target}, "
                             f"{DOOR_NAMES[name]}: {door.reason or 'no reason given'}",
                             style=MARKS[door.status][1])
                        for name, door in target.not_closed()]
    head = Text(f"Enforcement: {report.summary()}.", style="bold")
    return Group(head, table, *reasons)


def enforcement_as_dict(report: Enforcement | None) -> dict | None:
    return report.as_dict() if report is not None else None


def plan_as_dict(plan: PushPlan) -> dict:
    return {"site": plan.site,
            "roles": [{"role": r.role, "restricted": r.restricted,
                       "changes": [vars(c) for c in r.changes]} for r in plan.roles],
            "denied": [{"parent": p, "slug": s} for p, s in plan.denied],
            "missing": plan.missing,
            "drift": [vars(item) for item in plan.drift],
            "warnings": plan.warnings,
            **({"enforcement": plan.enforcement.as_dict()} if plan.enforcement else {})}


def push_line(result: PushResult) -> Group:
    head = (f"{result.site}: already has this profile (version {result.version}); nothing sent."
            if result.unchanged else
            f"{result.site}: applied as version {result.version} ({result.hash[:12]}).")
    parts = [Text(head, style="green"),
             *[Text(f"⚠ {warning}", style="yellow") for warning in result.warnings]]
    if result.enforcement is not None:
        parts.append(enforcement_view(result.enforcement))
    return Group(*parts)


def push_as_dict(result: PushResult) -> dict:
    """A push's result as plain data (the dashboard's JSON answers)."""
    return {"site": result.site, "version": result.version, "hash": result.hash,
            "unchanged": result.unchanged, "warnings": result.warnings,
            "enforcement": enforcement_as_dict(result.enforcement)}


def outcomes_table(outcomes: list[SiteOutcome], notes: dict[str, str] | None = None) -> Table:
    """Each site's result; `notes` (by site: a job's enforcement summary) join the warnings."""
    table = Table(header_style="bold")
    for column in ("Site", "Result", "Version", "Notes"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        if outcome.ok:
            result = outcome.result
            state = Text("unchanged" if result.unchanged else "applied", style="green")
            extra = (notes or {}).get(outcome.site) or \
                (result.enforcement.summary() if result.enforcement else "")
            table.add_row(outcome.site, state, str(result.version),
                          "; ".join(result.warnings + ([extra] if extra else [])))
        else:
            error = outcome.error
            table.add_row(outcome.site, Text("failed", style="red"), "",
                          f"{error.cause} Fix: {error.fix}" if error.fix else error.cause)
    return table


def _when(unix: int) -> str:
    if not unix:
        return "never"
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M UTC")


def status_view(status: MenuStatus) -> Group:
    if not status.hash:
        head = Text(f"{status.site}: no menu profile (everyone sees the full menu).")
    else:
        head = Text(f"{status.site}: {status.name!r}, version {status.version} "
                    f"({status.hash[:12]}), applied {_when(status.applied_at)}"
                    f"{' by ' + status.applied_by if status.applied_by else ''}.", style="bold")
    parts: list = [head]
    if status.safe_mode:
        parts.append(Text("⚠ HANDOFF_SAFE_MODE is on: no restriction applies.", style="yellow"))
    if status.changed_elsewhere:
        parts.append(Text("⚠ The site's profile is not the one this backend pushed last.",
                          style="yellow"))
    if status.drift:
        parts.append(Text(f"Drift: {len(status.drift)} item(s) the profile does not name:",
                          style="yellow"))
        parts += [Text(f"  ? {item.label} ({item.title}) → {item.policy}")
                  for item in status.drift]
    elif status.hash:
        parts.append(Text("No drift: the profile names every menu item.", style="green"))
    if status.history:
        parts.append(Text("Earlier versions (handoff menu rollback --to N):", style="bold"))
        parts += [Text(f"  v{entry.get('version')}  {entry.get('name', '')}  "
                       f"{_when(int(entry.get('applied_at', 0)))}") for entry in status.history]
    return Group(*parts)


def status_as_dict(status: MenuStatus) -> dict:
    data = vars(status).copy()
    data["drift"] = [vars(item) for item in status.drift]
    return data


def library_row(saved) -> dict:
    """A saved profile as plain data (without the profile itself)."""
    return {"name": saved.name, "description": saved.description,
            "updated_at": saved.updated_at.isoformat(), "updated_by": saved.updated_by,
            "hash": saved.hash, **saved.summary()}


def library_table(saved: list) -> Table:
    table = Table(header_style="bold")
    for column in ("Profile", "For", "Visible", "Hidden", "Denied", "Updated", "By"):
        table.add_column(column, overflow="fold")
    for entry in saved:
        row = library_row(entry)
        targets = row["targets"]
        table.add_row(entry.name, ", ".join(targets.get("roles", []) + targets.get("users", [])),
                      *(str(row["states"][state]) for state in ("visible", "hidden", "denied")),
                      entry.updated_at.strftime("%Y-%m-%d %H:%M UTC"), entry.updated_by)
    return table
