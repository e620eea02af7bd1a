"""The handover checklist of a site: run the checks, sign off, waive, report, complete."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from handoff.core.intake import Intakes
from handoff.core.menu_preview import drift, targeted_tree
from handoff.core.menus import Menus
from handoff.errors import HandoffError, InvalidInputError
from handoff.handover.checklist import Checklist, load_checklist
from handoff.handover.checks import CHECKS, Context
from handoff.handover.probes import run_probes
from handoff.storage import HandoverDecision, HandoverRun
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import allows_insecure

READY, ATTENTION, BLOCKED = "Ready", "Needs attention", "Blocked"


@dataclass
class ItemResult:
    id: str
    group: str
    title: str
    kind: str
    severity: str
    status: str  # pass, warn, fail, manual (not yet signed), signed, waived
    detail: str = ""
    fix: str = ""
    decision: dict = field(default_factory=dict)  # by, at, note of the sign-off or waiver

    @property
    def open(self) -> bool:
        return self.status in ("fail", "warn", "manual")


@dataclass
class Report:
    site: str
    run_at: str
    verdict: str
    groups: dict[str, str]
    items: list[ItemResult]
    completed: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts

    def as_dict(self) -> dict:
        return {"site": self.site, "run_at": self.run_at, "verdict": self.verdict,
                "counts": self.counts(), "completed": self.completed,
                "items": [asdict(item) for item in self.items]}


def verdict(items: list[ItemResult]) -> str:
    """Blocked while a blocker is failing or unsigned; Needs attention while anything is open."""
    if any(i.severity == "blocker" and i.status in ("fail", "manual") for i in items):
        return BLOCKED
    return ATTENTION if any(i.open for i in items) else READY


class Handovers:
    """Handover checklists of the connected sites."""

    def __init__(self, menus: Menus, intakes: Intakes) -> None:
        self.menus = menus
        self.sites = menus.sites
        self.intakes = intakes

    # -- running ---------------------------------------------------------------------------

    def check(self, name: str, checklist_file: Path | None = None) -> Report:
        """Run every automatic check now; the run is recorded even when the site fails."""
        checklist = load_checklist(checklist_file)
        site, client = self.sites.client(name)
        run = self._start_run(site.id)
        try:
            facts = client.health().get("facts", {})
            inventory = self.sites.sync(name)
            record = client.menu_profile()
        except HandoffError as error:
            self._finish_run(run, complete=False, error=str(error))
            raise
        profile = record.get("profile") or {}
        context = Context(
            facts=facts, inventory=inventory, intake=self.intakes.get(name),
            probes=run_probes(site.url, site.environment_type, self.sites.timeouts,
                              verify=not allows_insecure(site.url, site.environment_type)),
            drift=[vars(item) for item in drift(profile, targeted_tree(profile, inventory))]
            if profile else [])
        results = {item.id: asdict(_evaluate(item, context)) for item in checklist.items}
        self._finish_run(run, complete=True, results=results)
        return self._report(name, checklist, results, run.finished_at)

    def latest(self, name: str, checklist_file: Path | None = None) -> Report:
        """The last complete run, with the sign-offs and waivers made since."""
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            run = session.scalars(select(HandoverRun).where(
                HandoverRun.site_id == site.id, HandoverRun.complete.is_(True))
                .order_by(HandoverRun.id.desc()).limit(1)).first()
        if run is None:
            raise InvalidInputError(f"No handover check has run for {name!r} yet.",
                                    f"run: handoff handover check {name}", code="no_run")
        return self._report(name, load_checklist(checklist_file), json.loads(run.results),
                            run.finished_at)

    # -- deciding --------------------------------------------------------------------------

    def sign(self, name: str, item_id: str, by: str, note: str = "",
             checklist_file: Path | None = None) -> ItemResult:
        """Record that a manual item is done, by whom."""
        item = load_checklist(checklist_file).get(item_id)
        if item.kind != "manual":
            raise InvalidInputError(f"{item_id!r} is checked automatically; it cannot be "
                                    "signed off.", "fix it on the site and run the check "
                                    "again, or waive it with a reason", code="not_manual")
        self._decide(name, item_id, "sign", _required(by, "--by", "who signs"), note)
        return self._item(name, item_id, checklist_file)

    def waive(self, name: str, item_id: str, reason: str, by: str = "",
              checklist_file: Path | None = None) -> ItemResult:
        """Accept the risk of an item, with the reason written down."""
        load_checklist(checklist_file).get(item_id)
        self._decide(name, item_id, "waive", by.strip() or "the developer",
                     _required(reason, "--reason", "why it is waived"))
        return self._item(name, item_id, checklist_file)

    def complete(self, name: str, by: str, disconnect: bool = False) -> Report:
        """Record the handover as complete; refused while Blocked.

        With `disconnect`, the backend revokes its own Application Password on the site and
        checks that it no longer works.
        """
        report = self.latest(name)
        if report.verdict == BLOCKED:
            blockers = [i.id for i in report.items if i.severity == "blocker" and
                        i.status in ("fail", "manual")]
            raise InvalidInputError(f"The handover of {name!r} is Blocked by: "
                                    f"{', '.join(blockers)}.", "fix, sign or waive them, then "
                                    "run `handoff handover check` again", code="blocked")
        note = ""
        if disconnect:
            _, client = self.sites.client(name)
            client.disconnect()
            try:
                client.status()
            except BridgeError as error:
                if error.code not in ("wrong_password", "header_stripped"):
                    raise
                note = "bridge password revoked and verified refused"
            else:
                raise HandoffError("The site still accepts the backend's password after the "
                                   "disconnect.", "press Disconnect in Settings → Handoff on "
                                   "the site", code="still_connected")
        self._decide(name, "", "complete", _required(by, "--by", "who completes"),
                     note or report.verdict)
        return self.latest(name)

    def history(self, name: str) -> tuple[list[dict], list[dict]]:
        """Every run and every decision, oldest first."""
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            runs = [{"id": r.id, "started_at": _iso(r.started_at),
                     "finished_at": _iso(r.finished_at), "complete": r.complete,
                     "verdict": r.verdict, "error": r.error}
                    for r in session.scalars(select(HandoverRun).where(
                        HandoverRun.site_id == site.id).order_by(HandoverRun.id))]
            decisions = [_decision(d) for d in session.scalars(select(HandoverDecision).where(
                HandoverDecision.site_id == site.id).order_by(HandoverDecision.id))]
        return runs, decisions

    # -- helpers ---------------------------------------------------------------------------

    def _start_run(self, site_id: int) -> HandoverRun:
        with self.sites.store.session() as session:
            run = HandoverRun(site_id=site_id, started_at=datetime.now(UTC))
            session.add(run)
            session.flush()
            return run

    def _finish_run(self, run: HandoverRun, *, complete: bool, error: str = "",
                    results: dict | None = None) -> None:
        with self.sites.store.session() as session:
            stored = session.get(HandoverRun, run.id)
            stored.finished_at = run.finished_at = datetime.now(UTC)
            stored.complete, stored.error = complete, error
            if results is not None:
                stored.results = json.dumps(results, ensure_ascii=False)
                items = [ItemResult(**r) for r in results.values()]
                stored.verdict = verdict(items)

    def _decide(self, name: str, item_id: str, kind: str, by: str, note: str) -> None:
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            session.add(HandoverDecision(site_id=site.id, item_id=item_id, kind=kind,
                                         by=by[:200], note=note, at=datetime.now(UTC)))

    def _item(self, name: str, item_id: str, checklist_file: Path | None) -> ItemResult:
        try:
            report = self.latest(name, checklist_file)
        except InvalidInputError:
            item = load_checklist(checklist_file).get(item_id)
            return ItemResult(item.id, item.group, item.title, item.kind, item.severity,
                              "manual", fix=item.fix)
        return next(i for i in report.items if i.id == item_id)

    def _report(self, name: str, checklist: Checklist, results: dict,
                run_at: datetime | None) -> Report:
        _, decisions = self.history(name)
        latest = {d["item_id"]: d for d in decisions if d["kind"] in ("sign", "waive")}
        completed = next((d for d in reversed(decisions) if d["kind"] == "complete"), {})
        items = []
        for definition in checklist.items:
            result = ItemResult(**results[definition.id]) if definition.id in results else \
                _evaluate(definition, None)
            decision = latest.get(definition.id)
            if decision and (result.status in ("fail", "warn", "manual") or
                             decision["kind"] == "sign"):
                result.status = "signed" if decision["kind"] == "sign" else "waived"
                result.decision = decision
            items.append(result)
        return Report(name, _iso(run_at), verdict(items), checklist.groups, items, completed)


def _evaluate(item, context: Context | None) -> ItemResult:
    """An item's result: a manual item waits for a sign-off; an automatic one is checked."""
    status, detail = ("manual", "") if item.kind == "manual" else \
        ("warn", "not checked in the last run")
    if context is not None and item.check:
        checked, detail = CHECKS[item.check](context)
        status = status if item.kind == "manual" else checked
    return ItemResult(item.id, item.group, item.title, item.kind, item.severity, status,
                      detail, item.fix)


def _required(value: str, option: str, what: str) -> str:
    if not value or not value.strip():
        raise InvalidInputError(f"Say {what}.", f"pass {option} \"…\"", code="missing_" +
                                option.strip("-"))
    return value.strip()


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _decision(row: HandoverDecision) -> dict:
    return {"item_id": row.item_id, "kind": row.kind, "by": row.by, "note": row.note,
            "at": _iso(row.at)}
