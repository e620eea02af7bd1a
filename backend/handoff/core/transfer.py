"""Moving the whole store between databases: export to one JSON document, import it back.

What travels: sites (their tags and menu state, never their passwords), inventory
snapshots, intakes, handover runs and decisions, saved menu profiles and the audit log.
Dashboard logins and API tokens stay behind, and so do background jobs (they describe
work in progress on the old machine). An import goes into an empty store only, checks the
whole document first, and writes it in one transaction: all of it or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from handoff import __version__
from handoff.core.audit import Audit
from handoff.core.sites import normalize_url
from handoff.errors import InvalidInputError
from handoff.storage import (
    AuditEvent,
    HandoverDecision,
    HandoverRun,
    Intake,
    InventorySnapshot,
    SavedProfile,
    Site,
    SiteTag,
    Store,
)

FORMAT, FORMAT_VERSION = "handoff-store", 1
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "storage" / "export.schema.json"
PROBLEMS_SHOWN = 5
# Tables whose rows make a store "not empty" (logins, tokens and jobs do not travel, so
# neither do they count, nor the audit events of creating and revoking tokens).
_CONTENT = (Site, SavedProfile, AuditEvent)
_ACCESS_ACTIONS = "token."


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


class InvalidExportError(InvalidInputError):
    """The document cannot be imported; `problems` lists every reason with its place."""

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        more = f" (and {len(problems) - PROBLEMS_SHOWN} more)" \
            if len(problems) > PROBLEMS_SHOWN else ""
        super().__init__(f"{source} cannot be imported: {shown}{more}.",
                         "import a file written by `handoff export`, unchanged; nothing was "
                         "imported", code="invalid_export")
        self.problems = problems


@dataclass
class ImportResult:
    """How many of each thing an import wrote."""

    sites: int
    snapshots: int
    intakes: int
    handover_runs: int
    handover_decisions: int
    menu_profiles: int
    audit_events: int


# -- export ------------------------------------------------------------------------------

def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _site(site: Site, session: Session) -> dict:
    intake = session.get(Intake, site.id)
    where = site.id
    return {
        "name": site.name, "url": site.url, "rest_url": site.rest_url,
        "xmlrpc_url": site.xmlrpc_url, "username": site.username,
        "environment_type": site.environment_type, "transport": site.transport,
        "transport_forced": site.transport_forced,
        "wordpress_version": site.wordpress_version, "plugin_version": site.plugin_version,
        "php_version": site.php_version, "health": site.health,
        "health_summary": site.health_summary, "created_at": _iso(site.created_at),
        "last_check_at": _iso(site.last_check_at), "last_sync_at": _iso(site.last_sync_at),
        "menu": {"version": site.menu_version, "hash": site.menu_hash,
                 "name": site.menu_name, "pushed_at": _iso(site.menu_pushed_at),
                 "drift": site.menu_drift},
        "handbook_page_id": site.handbook_page_id,
        "tags": site.tags,
        "inventory": [{"taken_at": _iso(s.taken_at), "sha256": s.sha256,
                       "data": json.loads(s.data)} for s in site.snapshots],
        "intake": {"data": json.loads(intake.data), "updated_at": _iso(intake.updated_at)}
        if intake else None,
        "handover_runs": [
            {"started_at": _iso(r.started_at), "finished_at": _iso(r.finished_at),
             "complete": r.complete, "verdict": r.verdict, "results": json.loads(r.results),
             "error": r.error}
            for r in session.scalars(select(HandoverRun).where(HandoverRun.site_id == where)
                                     .order_by(HandoverRun.id))],
        "handover_decisions": [
            {"item_id": d.item_id, "kind": d.kind, "by": d.by, "note": d.note,
             "at": _iso(d.at)}
            for d in session.scalars(select(HandoverDecision)
                                     .where(HandoverDecision.site_id == where)
                                     .order_by(HandoverDecision.id))],
    }


def _menu_profile(row: SavedProfile) -> dict:
    return {"name": row.name, "description": row.description,
            "profile": json.loads(row.profile), "updated_at": _iso(row.updated_at),
            "updated_by": row.updated_by}


def _event(row: AuditEvent) -> dict:
    return {"at": _iso(row.at), "actor": row.actor, "action": row.action, "site": row.site,
            "result": row.result, "summary": row.summary, "data": json.loads(row.data or "{}")}


# -- checking ----------------------------------------------------------------------------

def parse_export(raw: bytes, source: str = "the file") -> dict:
    """The document in `raw`, after checking all of it; InvalidExportError otherwise."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidExportError(source, ["it is not UTF-8 text"]) from None
    except json.JSONDecodeError as error:
        raise InvalidExportError(source, [f"it is not JSON ({error.msg} at line {error.lineno}"
                                          f", column {error.colno})"]) from None
    _check_format(document, source)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}"
                for e in sorted(_validator().iter_errors(document),
                                key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:
        problems = _moment_problems(document) + _duplicate_problems(document)
    if problems:
        raise InvalidExportError(source, problems)
    return document


def _check_format(document: object, source: str) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidExportError(source, ["it is not a Handoff store export (no "
                                          f"\"format\": \"{FORMAT}\")"])
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise InvalidExportError(source, [
            f"it has format version {version!r} (written by Handoff "
            f"{document.get('handoff_version', '?')}); Handoff {__version__} reads version "
            f"{FORMAT_VERSION}"])


def _moments(document: dict) -> Iterator[tuple[str, str | None]]:
    """Every date-time of the document with its path."""
    yield "exported_at", document["exported_at"]
    for i, site in enumerate(document["sites"]):
        at = f"sites/{i}"
        for key in ("created_at", "last_check_at", "last_sync_at"):
            yield f"{at}/{key}", site[key]
        yield f"{at}/menu/pushed_at", site["menu"]["pushed_at"]
        yield from ((f"{at}/inventory/{j}/taken_at", s["taken_at"])
                    for j, s in enumerate(site["inventory"]))
        if site["intake"]:
            yield f"{at}/intake/updated_at", site["intake"]["updated_at"]
        for j, run in enumerate(site["handover_runs"]):
            yield f"{at}/handover_runs/{j}/started_at", run["started_at"]
            yield f"{at}/handover_runs/{j}/finished_at", run["finished_at"]
        yield from ((f"{at}/handover_decisions/{j}/at", d["at"])
                    for j, d in enumerate(site["handover_decisions"]))
    yield from ((f"menu_profiles/{i}/updated_at", p["updated_at"])
                for i, p in enumerate(document["menu_profiles"]))
    yield from ((f"audit_events/{i}/at", e["at"]) for i, e in enumerate(document["audit_events"]))


def _moment_problems(document: dict) -> list[str]:
    problems = []
    for path, text in _moments(document):
        if text is None:
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            problems.append(f"{path}: {text!r} is not an ISO date and time")
            continue
        if moment.tzinfo is None:
            problems.append(f"{path}: {text!r} has no UTC offset")
    return problems


def _duplicate_problems(document: dict) -> list[str]:
    problems = []
    for kind, key, values in (
            ("site name", "sites", [s["name"] for s in document["sites"]]),
            ("site URL", "sites", [normalize_url(s["url"]) for s in document["sites"]]),
            ("menu profile name", "menu_profiles", [p["name"] for p in document["menu_profiles"]])):
        seen: dict[str, int] = {}
        for index, value in enumerate(values):
            if value in seen:
                problems.append(f"{key}/{index}: the {kind} {value!r} appears twice "
                                f"(also {key}/{seen[value]})")
            seen.setdefault(value, index)
    return problems


# -- importing ---------------------------------------------------------------------------

def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text is not None else None


def _new_site(data: dict) -> Site:
    menu = data["menu"]
    site = Site(
        name=data["name"], url=data["url"], rest_url=data["rest_url"],
        xmlrpc_url=data["xmlrpc_url"], username=data["username"],
        secret="",  # passwords never travel: `handoff site add URL --key KEY` reconnects
        environment_type=data["environment_type"], transport=data["transport"],
        transport_forced=data["transport_forced"],
        wordpress_version=data["wordpress_version"], plugin_version=data["plugin_version"],
        php_version=data["php_version"], health=data["health"],
        health_summary=data["health_summary"], created_at=_moment(data["created_at"]),
        last_check_at=_moment(data["last_check_at"]),
        last_sync_at=_moment(data["last_sync_at"]), menu_version=menu["version"],
        menu_hash=menu["hash"], menu_name=menu["name"],
        menu_pushed_at=_moment(menu["pushed_at"]), menu_drift=menu["drift"],
        handbook_page_id=data["handbook_page_id"])
    site.tag_rows = [SiteTag(tag=tag) for tag in data["tags"]]
    return site


def _children(site_id: int, data: dict) -> list:
    """The rows that belong to one site, as they were (JSON written the way the services do)."""
    rows: list = [InventorySnapshot(site_id=site_id, taken_at=_moment(s["taken_at"]),
                                    sha256=s["sha256"],
                                    data=json.dumps(s["data"], sort_keys=True,
                                                    ensure_ascii=False))
                  for s in data["inventory"]]
    if data["intake"]:
        rows.append(Intake(site_id=site_id, updated_at=_moment(data["intake"]["updated_at"]),
                           data=json.dumps(data["intake"]["data"], ensure_ascii=False,
                                           sort_keys=True)))
    rows += [HandoverRun(site_id=site_id, started_at=_moment(r["started_at"]),
                         finished_at=_moment(r["finished_at"]), complete=r["complete"],
                         verdict=r["verdict"], error=r["error"],
                         results=json.dumps(r["results"], ensure_ascii=False))
             for r in data["handover_runs"]]
    rows += [HandoverDecision(site_id=site_id, item_id=d["item_id"], kind=d["kind"],
                              by=d["by"], note=d["note"], at=_moment(d["at"]))
             for d in data["handover_decisions"]]
    return rows


def _counts(document: dict) -> ImportResult:
    sites = document["sites"]
    return ImportResult(
        sites=len(sites), snapshots=sum(len(s["inventory"]) for s in sites),
        intakes=sum(1 for s in sites if s["intake"]),
        handover_runs=sum(len(s["handover_runs"]) for s in sites),
        handover_decisions=sum(len(s["handover_decisions"]) for s in sites),
        menu_profiles=len(document["menu_profiles"]),
        audit_events=len(document["audit_events"]))


def _content_only(model) -> list:
    if model is AuditEvent:
        return [AuditEvent.action.not_like(_ACCESS_ACTIONS + "%")]
    return []


class Transfer:
    """Export the store to a document, and import such a document into an empty store."""

    def __init__(self, store: Store, audit: Audit) -> None:
        self.store, self.audit = store, audit

    def export(self) -> dict:
        """The whole store as one JSON-ready document (read in one transaction)."""
        with self._snapshot() as session:
            sites = session.scalars(select(Site).options(
                selectinload(Site.tag_rows), selectinload(Site.snapshots)).order_by(Site.name))
            return {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "handoff_version": __version__,
                "schema_revision": self.store.current_revision(),
                "exported_at": datetime.now(UTC).isoformat(),
                "sites": [_site(site, session) for site in sites],
                "menu_profiles": [_menu_profile(p) for p in session.scalars(
                    select(SavedProfile).order_by(SavedProfile.name))],
                "audit_events": [_event(e) for e in session.scalars(
                    select(AuditEvent).order_by(AuditEvent.id))],
            }

    def import_(self, document: dict) -> ImportResult:
        """Write a checked document (see parse_export) into this empty store, all or nothing."""
        counts = _counts(document)
        with self.store.session() as session:
            self._refuse_unless_empty(session)
            for data in document["sites"]:
                site = _new_site(data)
                session.add(site)
                session.flush()  # the site's id, for its rows
                session.add_all(_children(site.id, data))
            session.add_all(SavedProfile(
                name=p["name"], description=p["description"], updated_by=p["updated_by"],
                profile=json.dumps(p["profile"], ensure_ascii=False),
                updated_at=_moment(p["updated_at"])) for p in document["menu_profiles"])
            session.add_all(AuditEvent(
                at=_moment(e["at"]), actor=e["actor"], action=e["action"], site=e["site"],
                result=e["result"], summary=e["summary"],
                data=json.dumps(e["data"], ensure_ascii=False, sort_keys=True))
                for e in document["audit_events"])
            session.flush()  # imported events keep their order before the import's own
            self.audit.record_in(session, "store.import", "",
                                 f"Imported {counts.sites} sites and {counts.audit_events} "
                                 f"audit events exported by Handoff "
                                 f"{document['handoff_version']} on {document['exported_at']}.",
                                 **vars(counts), exported_at=document["exported_at"])
        return counts

    def _refuse_unless_empty(self, session: Session) -> None:
        found = {model.__tablename__: session.scalar(select(func.count()).select_from(model)
                                                     .where(*_content_only(model)))
                 for model in _CONTENT}
        filled = {table: count for table, count in found.items() if count}
        if filled:
            listed = ", ".join(f"{count} {table.replace('_', ' ')}"
                               for table, count in filled.items())
            raise InvalidInputError(f"The store is not empty ({listed}); an import would mix "
                                    "two histories.", "import into a new, empty database: "
                                    "set HANDOFF_DATABASE_URL (or HANDOFF_HOME) to one",
                                    code="store_not_empty")

    @contextmanager
    def _snapshot(self) -> Iterator[Session]:
        """A session that sees one state of the store for all its reads."""
        with self.store.session() as session:
            connection = session.connection()
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            elif connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN")  # the driver only begins before writes
            yield session
