"""The handover checklist of a site: run the checks, sign off, waive, report, complete."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import select

from handoff.core.audit import OK, AuditFilter
from handoff.core.audit import Change as AuditChange
from handoff.core.intake import Intakes
from handoff.core.menu_preview import site_drift
from handoff.core.menus import Menus
from handoff.errors import HandoffError, InvalidInputError
from handoff.handover.checklist import Checklist, load_checklist
from handoff.handover.checks import CHECKS, Context
from handoff.handover.composer import Facts, Pending, Waiver
from handoff.handover.probes import run_probes
from handoff.handover.render import (
    Document,
    LetterRequest,
    letter_document,
    report_document,
    typed_facts,
)
from handoff.handover.wording import check_language
from handoff.storage import HandoverDecision, HandoverRun
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import allows_insecure

READY, ATTENTION, BLOCKED = "Ready", "Needs attention", "Blocked"
# What the audit log says about the handbook on a site: published (True) or taken off.
HANDBOOK_ACTIONS = {"handbook.publish": True, "handbook.publish_page": True,
                    "handbook.unpublish": False}
NAME_LIMIT, NOTE_LIMIT = 200, 2000  # who decided; what was done, agreed or accepted


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

    def blockers(self) -> list[ItemResult]:
        return blocking(self.items)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts

    def as_dict(self) -> dict:
        return {"site": self.site, "run_at": self.run_at, "verdict": self.verdict,
                "counts": self.counts(), "completed": self.completed,
                "items": [asdict(item) for item in self.items]}


@cache
def _shipped_checklist() -> Checklist:
    return load_checklist()


def _checklist(extra: Path | None) -> Checklist:
    """The checklist to run: the shipped one is read once per process (parsing its YAML
    costs more than checking a site), one with `extra` items every time."""
    return _shipped_checklist() if extra is None else load_checklist(extra)


def blocking(items: list[ItemResult]) -> list[ItemResult]:
    """The blocker items still failing or waiting for their sign-off."""
    return [i for i in items if i.severity == "blocker" and i.status in ("fail", "manual")]


def verdict(items: list[ItemResult]) -> str:
    """Blocked while a blocker is failing or unsigned; Needs attention while anything is open."""
    if blocking(items):
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
        checklist = _checklist(checklist_file)
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
            drift=[vars(item) for item in site_drift(profile, inventory)]
            if profile else [])
        results = {item.id: asdict(_evaluate(item, context)) for item in checklist.items}
        self._finish_run(run, complete=True, results=results)
        return self._report(name, checklist, results, run.finished_at)

    def latest(self, name: str, checklist_file: Path | None = None) -> Report:
        """The last complete run, with the sign-offs and waivers made since."""
        run = self._latest_run(name)
        if run is None:
            raise InvalidInputError(f"No handover check has run for {name!r} yet.",
                                    f"run: handoff handover check {name}", code="no_run")
        return self._report(name, load_checklist(checklist_file), json.loads(run.results),
                            run.finished_at)

    def _latest_run(self, name: str) -> HandoverRun | None:
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            return session.scalars(select(HandoverRun).where(
                HandoverRun.site_id == site.id, HandoverRun.complete.is_(True))
                .order_by(HandoverRun.id.desc()).limit(1)).first()

    # -- deciding --------------------------------------------------------------------------

    def sign(self, name: str, item_id: str, by: str, note: str = "",
             checklist_file: Path | None = None) -> ItemResult:
        """Record that a manual item is done, by whom."""
        with self.sites.audit.change("handover.sign", name, f"sign off {item_id} on {name}",
                                     item=item_id, by=by, note=note) as change:
            item = load_checklist(checklist_file).get(item_id)
            if item.kind != "manual":
                raise InvalidInputError(f"{item_id!r} is checked automatically; it cannot be "
                                        "signed off.", "fix it on the site and run the check "
                                        "again, or waive it with a reason", code="not_manual")
            by, note = _required(by, "--by", "who signs"), _limited(note, "--note", NOTE_LIMIT)
            change.done(f"{by} signed off {item_id} on {name}.", by=by)
            self._decide(name, item_id, "sign", by, note, change)
        return self._item(name, item_id, checklist_file)

    def waive(self, name: str, item_id: str, reason: str, by: str = "",
              checklist_file: Path | None = None) -> ItemResult:
        """Accept the risk of an item, with the reason written down."""
        with self.sites.audit.change("handover.waive", name, f"waive {item_id} on {name}",
                                     item=item_id, by=by, reason=reason) as change:
            load_checklist(checklist_file).get(item_id)
            by = _limited(by, "--by", NAME_LIMIT) or "the developer"
            reason = _required(reason, "--reason", "why it is waived", NOTE_LIMIT)
            change.done(f"{by} waived {item_id} on {name}: {reason}", by=by)
            self._decide(name, item_id, "waive", by, reason, change)
        return self._item(name, item_id, checklist_file)

    def complete(self, name: str, by: str, disconnect: bool = False) -> Report:
        """Record the handover as complete; refused while Blocked.

        With `disconnect`, the backend revokes its own Application Password on the site and
        checks that it no longer works.
        """
        with self.sites.audit.change("handover.complete", name, f"complete the handover of "
                                     f"{name}", by=by, disconnect=disconnect) as change:
            report = self._complete(name, by, disconnect, change)
        return report

    def ready_to_complete(self, name: str, by: str) -> Report:
        """The last report when the handover may be completed now; else the refusal.

        Records nothing: front ends ask before a confirmation step.
        """
        report = self.latest(name)
        if report.verdict == BLOCKED:
            blockers = [i.id for i in report.blockers()]
            raise InvalidInputError(f"The handover of {name!r} is Blocked by: "
                                    f"{', '.join(blockers)}.", "fix, sign or waive them, then "
                                    "run `handoff handover check` again", code="blocked")
        _required(by, "--by", "who completes")
        return report

    def _complete(self, name: str, by: str, disconnect: bool, change: AuditChange) -> Report:
        report = self.ready_to_complete(name, by)
        by = by.strip()
        note = self._disconnect(name) if disconnect else ""
        change.done(f"{by} completed the handover of {name} ({report.verdict}"
                    f"{', disconnected' if note else ''}).", by=by, verdict=report.verdict)
        self._decide(name, "", "complete", by, note or report.verdict, change)
        return self.latest(name)

    def _disconnect(self, name: str) -> str:
        """Revoke the backend's password on the site and check the site now refuses it."""
        with self.sites.audit.change("site.disconnect", name, f"disconnect {name}") as change:
            _, client = self.sites.client(name)
            client.disconnect()
            try:
                client.status()
            except BridgeError as error:
                if error.code not in ("wrong_password", "header_stripped"):
                    raise
                change.done(f"Revoked the backend's password on {name}; the site now "
                            "refuses it.", verified=True)
                return "bridge password revoked and verified refused"
            raise HandoffError("The site still accepts the backend's password after the "
                               "disconnect.", "press Disconnect in Settings → Handoff on "
                               "the site", code="still_connected")

    def history(self, name: str) -> tuple[list[dict], list[dict]]:
        """Every run and every decision, oldest first."""
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            runs = [{"id": r.id, "started_at": _iso(r.started_at),
                     "finished_at": _iso(r.finished_at), "complete": r.complete,
                     "verdict": r.verdict, "error": r.error}
                    for r in session.scalars(select(HandoverRun).where(
                        HandoverRun.site_id == site.id).order_by(HandoverRun.id))]
            decisions = [decision_as_dict(d) for d in session.scalars(
                select(HandoverDecision).where(HandoverDecision.site_id == site.id)
                .order_by(HandoverDecision.id))]
        return runs, decisions

    # -- documents -------------------------------------------------------------------------

    def language(self, name: str, language: str | None = None) -> str:
        """The documents' language: the one asked for, else the intake's, else English."""
        return check_language(language or self.intakes.get(name).get("language") or "en")

    def report_file(self, name: str, fmt: str, checklist_file: Path | None = None,
                    language: str | None = None) -> Document:
        """The report of the last check as a file: md, html, pdf or json."""
        report = self.latest(name, checklist_file)
        return report_document(report, self._site_facts(name).get("name", name), fmt,
                               self.language(name, language))

    def letter_file(self, name: str, *, fmt: str = "md", parting: bool = False,
                    draft: bool = False, language: str | None = None,
                    allow_blanks: bool = False, reason: str = "", final_date: str = "",
                    refund: str = "", alternatives: list[str] | tuple[str, ...] = ()
                    ) -> Document:
        """The handover letter (or, with `parting`, the parting letter) as md, html or pdf.

        The handover letter needs a check and a Ready verdict, or `draft`; the parting
        letter works at any stage and says only what is recorded and what was typed.
        """
        typed = typed_facts(LetterRequest(parting, draft, allow_blanks, reason, final_date,
                                          refund, tuple(alternatives)))
        language = self.language(name, language)
        report = self._latest_or_none(name) if parting else self.latest(name)
        return letter_document(name, self.letter_facts(name, report, typed), fmt=fmt,
                               language=language, parting=parting)

    def letter_facts(self, name: str, report: Report | None, typed: dict) -> Facts:
        """What a letter may say of `name`: its records, the last report, what was typed."""
        site, found = self.sites.get(name), self._site_facts(name)
        run = self._latest_run(name)
        raw = json.loads(run.results) if run else {}
        return Facts(site_name=found.get("name") or site.name,
                     site_url=found.get("home_url") or site.url,
                     today=self.sites.clock().date(), intake=self.intakes.get(name),
                     menu_version=_menu_version(site, raw, run),
                     handbook_published=self._handbook_published(name, raw, run),
                     **report_facts(report), **typed)

    def _latest_or_none(self, name: str) -> Report | None:
        try:
            return self.latest(name)
        except InvalidInputError as error:
            if error.code == "no_run":
                return None
            raise

    def _handbook_published(self, name: str, raw: dict, run: HandoverRun | None) -> bool:
        """Whether the handbook is on the site, by the newest record: the backend publishing
        or taking it off (audit log), or the last check finding it there or not."""
        seen = []
        for event in self.sites.audit.query(AuditFilter(site=name, action="handbook",
                                                        result=OK), limit=50):
            if event.action in HANDBOOK_ACTIONS:
                seen.append((_utc(event.at), HANDBOOK_ACTIONS[event.action]))
                break  # newest first: the last publish or unpublish is what holds
        status = (raw.get("handbook") or {}).get("status")
        if run is not None and run.finished_at and status in ("pass", "warn", "fail"):
            seen.append((_utc(run.finished_at), status != "fail"))
        return max(seen)[1] if seen else False

    def _site_facts(self, name: str) -> dict:
        """The site's own name and address as its last inventory says them."""
        return (self.sites.latest_inventory(name) or {}).get("site", {})

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

    def _decide(self, name: str, item_id: str, kind: str, by: str, note: str,
                change: AuditChange) -> None:
        site = self.sites.get(name)
        with self.sites.store.session() as session:
            session.add(HandoverDecision(site_id=site.id, item_id=item_id, kind=kind,
                                         by=by[:200], note=note, at=datetime.now(UTC)))
            change.save_in(session)

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
        completed = next((d for d in reversed(decisions) if d["kind"] == "complete"), {})
        items = items_with_decisions(checklist, results, decisions)
        return Report(name, _iso(run_at), verdict(items), checklist.groups, items, completed)


def report_facts(report: Report | None) -> dict:
    """What a letter may say of the last check: nothing when there is none."""
    if report is None:
        return {}
    items = report.items
    return {"verdict": report.verdict, "checked_on": _day(report.run_at),
            "done": sum(1 for i in items if i.status in ("pass", "signed")),
            "waivers": tuple(Waiver(i.title, i.decision.get("note", ""),
                                    i.decision.get("by", ""), _day(i.decision.get("at", "")))
                             for i in items if i.status == "waived"),
            "pending": tuple(Pending(i.title, i.status) for i in items if i.open),
            "client_account_checked": any(i.id == "client-account" and
                                          i.status in ("pass", "signed") for i in items),
            "completed_on": _day(report.completed.get("at", "")) if report.completed
            else None}


def _menu_version(site, raw: dict, run: HandoverRun | None) -> int:
    """The menu profile version the backend recorded as applied; 0 when none is, or when
    a check made since found the profile switched off (HANDOFF_SAFE_MODE)."""
    if not site.menu_hash or site.menu_version <= 0:
        return 0
    switched_off = (raw.get("menu-profile") or {}).get("status") == "fail"
    if switched_off and run is not None and run.finished_at and (
            site.menu_pushed_at is None or _utc(run.finished_at) >= _utc(site.menu_pushed_at)):
        return 0
    return site.menu_version


def _day(iso: str):
    return datetime.fromisoformat(iso).date() if iso else None


def _utc(moment: datetime) -> datetime:
    """Aware UTC: SQLite gives stored times back without their zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def items_with_decisions(checklist: Checklist, results: dict,
                         decisions: list[dict]) -> list[ItemResult]:
    """Every checklist item: a run's results with the sign-offs and waivers made since.

    `decisions` are decision_as_dict() rows, oldest first; the verdict of the returned items
    is the handover's verdict now (a run's stored verdict knows no decision).
    """
    latest = {d["item_id"]: d for d in decisions if d["kind"] in ("sign", "waive")}
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
    return items


def _evaluate(item, context: Context | None) -> ItemResult:
    """An item's result: a manual item waits for a sign-off; an automatic one is checked."""
    status, detail = ("manual", "") if item.kind == "manual" else \
        ("warn", "not checked in the last run")
    if context is not None and item.check:
        checked, detail = CHECKS[item.check](context)
        status = status if item.kind == "manual" else checked
    return ItemResult(item.id, item.group, item.title, item.kind, item.severity, status,
                      detail, item.fix)


def _required(value: str, option: str, what: str, limit: int = NAME_LIMIT) -> str:
    if not value or not value.strip():
        raise InvalidInputError(f"Say {what}.", f"pass {option} \"…\"", code="missing_" +
                                option.strip("-"))
    return _limited(value, option, limit)


def _limited(value: str, option: str, limit: int) -> str:
    """The value without surrounding blanks; refused when longer than `limit` characters."""
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInputError(f"That is {len(value)} characters; at most {limit} fit.",
                                f"shorten {option}", code="too_long_" + option.strip("-"))
    return value


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def decision_as_dict(row: HandoverDecision) -> dict:
    return {"item_id": row.item_id, "kind": row.kind, "by": row.by, "note": row.note,
            "at": _iso(row.at)}
