"""The audit log: every change the backend made to a site, and every sign-off and waiver.

Services wrap each change in `audit.change(...)`, which records it once: "ok" when the
block ends normally, "failed" (with the error's code) when it raises. Where the change is
written to the store, the service hands its session to `Change.save_in` so the change and
its record commit or roll back together. Rows are never edited: the database refuses
UPDATE and DELETE on the table (migration 0008).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from handoff.core.actor import current_actor
from handoff.errors import HandoffError, InvalidInputError
from handoff.storage import AuditEvent, Store
from handoff.storage.engines import StoreError

log = logging.getLogger(__name__)

OK, FAILED = "ok", "failed"
RESULTS = (OK, FAILED)
COLUMNS = ("id", "at", "actor", "action", "site", "result", "summary", "data")
FORMATS = ("json", "csv")
_ACTION = re.compile(r"^[a-z_]{1,30}(\.[a-z_]{1,30})?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def utcnow() -> datetime:
    return datetime.now(UTC)


class InvalidFilterError(InvalidInputError):
    """One or more audit filters are malformed; `fields` maps each to its problem."""

    def __init__(self, fields: dict[str, str]) -> None:
        listed = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
        super().__init__(f"Bad audit filter — {listed}.", "correct the filter and try again",
                         code=f"filter_{next(iter(fields))}")
        self.fields = fields


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; every field left None matches everything."""

    site: str | None = None
    action: str | None = None  # "menu.push", or a group: "menu" matches every menu.* action
    actor: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    result: str | None = None

    @classmethod
    def parse(cls, *, site: str | None = None, action: str | None = None,
              actor: str | None = None, since: str | None = None, until: str | None = None,
              result: str | None = None) -> AuditFilter:
        """Filters from text (CLI options, query parameters); every problem at once."""
        problems: dict[str, str] = {}
        action, result = _blank_to_none(action), _blank_to_none(result)
        if action is not None and not _ACTION.match(action):
            problems["action"] = (f"{action!r} is not an action; use e.g. menu.push, or menu "
                                  "for every menu action")
        moments = {}
        for name, text, end_of_day in (("since", since, False), ("until", until, True)):
            try:
                moments[name] = parse_moment(text, end_of_day=end_of_day)
            except ValueError as error:
                problems[name] = str(error)
        if not problems and moments["since"] and moments["until"] and \
                moments["since"] >= moments["until"]:
            problems["until"] = "must be later than since"
        if result is not None and result not in RESULTS:
            problems["result"] = f"{result!r} is not a result; use ok or failed"
        if problems:
            raise InvalidFilterError(problems)
        return cls(site=_blank_to_none(site), action=action, actor=_blank_to_none(actor),
                   since=moments["since"], until=moments["until"], result=result)

    def clauses(self) -> list:
        found = []
        if self.site is not None:
            found.append(AuditEvent.site == self.site)
        if self.action is not None:
            found.append(AuditEvent.action == self.action if "." in self.action else
                         or_(AuditEvent.action == self.action,
                             AuditEvent.action.startswith(self.action + ".")))
        if self.actor is not None:
            found.append(AuditEvent.actor == self.actor)
        if self.since is not None:
            found.append(AuditEvent.at >= self.since)
        if self.until is not None:
            found.append(AuditEvent.at < self.until)
        if self.result is not None:
            found.append(AuditEvent.result == self.result)
        return found


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


def parse_moment(text: str | None, *, end_of_day: bool = False) -> datetime | None:
    """A date (2026-11-26) or ISO time (2026-11-26T14:00, UTC unless it has an offset).

    A bare date as an upper bound means the end of that day, so --until 2026-11-26
    includes the 26th.
    """
    text = _blank_to_none(text)
    if text is None:
        return None
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD") from None
        moment = datetime.combine(day, time(), tzinfo=UTC)
        return moment + timedelta(days=1) if end_of_day else moment
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not a date or time; use YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM[:SS][+HH:MM]") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class Change:
    """One change being made: what is attempted, and what to record when it is done."""

    action: str
    site: str
    attempt: str  # "push menu profile 'x' to client": what failed, if it fails
    data: dict = field(default_factory=dict)
    summary: str = ""
    clock: Callable[[], datetime] = field(default=utcnow, repr=False)
    _row: AuditEvent | None = None

    def done(self, summary: str, **data) -> None:
        """Say what was done (one sentence) and add facts: versions, hashes, item ids."""
        self.summary = summary
        self.data.update(data)

    def save_in(self, session: Session) -> None:
        """Write the record in the session of the store-side change: one transaction."""
        self._row = _row(self.action, self.site, OK, self._ok_summary(), self.data,
                         at=self.clock())
        session.add(self._row)

    def _ok_summary(self) -> str:
        return self.summary or self.attempt[:1].upper() + self.attempt[1:] + "."

    def _committed(self) -> bool:
        # A row added to a session that rolled back goes back to having no identity.
        return self._row is not None and inspect(self._row).has_identity


def _row(action: str, site: str, result: str, summary: str, data: dict,
         actor: str | None = None, at: datetime | None = None) -> AuditEvent:
    return AuditEvent(at=at or utcnow(), actor=(actor or current_actor())[:200],
                      action=action, site=site[:100], result=result, summary=summary,
                      data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))


class Audit:
    """Records changes and reads them back, filtered and paged."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = utcnow) -> None:
        self.store, self.clock = store, clock

    # -- recording -------------------------------------------------------------------------

    @contextmanager
    def change(self, action: str, site: str, attempt: str, **data) -> Iterator[Change]:
        """Record the block as one change: ok when it ends, failed when it raises."""
        entry = Change(action, site, attempt, dict(data), clock=self.clock)
        try:
            yield entry
        except BaseException as error:
            if not entry._committed():
                self._record_failure(entry, error)
            raise
        if not entry._committed():
            self._record_done(entry)

    def record(self, action: str, site: str, summary: str, *, result: str = OK,
               **data) -> None:
        """Record one event on its own (for changes with nothing else to write)."""
        with self.store.session() as session:
            self.record_in(session, action, site, summary, result=result, **data)

    def record_in(self, session: Session, action: str, site: str, summary: str, *,
                  result: str = OK, **data) -> None:
        """Record one event in a session the caller commits with its own change."""
        session.add(_row(action, site, result, summary, data, at=self.clock()))

    def _record_done(self, entry: Change) -> None:
        try:
            self.record(entry.action, entry.site, entry._ok_summary(), **entry.data)
        except (SQLAlchemyError, StoreError) as error:
            raise HandoffError(f"The change was made but could not be written to the audit "
                               f"log: {entry._ok_summary()}", "check that the database is "
                               "reachable and writable", code="audit_unrecorded") from error

    def _record_failure(self, entry: Change, error: BaseException) -> None:
        code = error.code if isinstance(error, HandoffError) else \
            "interrupted" if isinstance(error, KeyboardInterrupt) else "unexpected"
        cause = error.cause if isinstance(error, HandoffError) else \
            (str(error) or type(error).__name__)
        try:
            self.record(entry.action, entry.site, f"Could not {entry.attempt}: {cause}",
                        result=FAILED, **{**entry.data, "error": code})
        except (SQLAlchemyError, StoreError):  # never hide the original error behind this one
            log.exception("could not record a failed %s in the audit log", entry.action)

    # -- reading ---------------------------------------------------------------------------

    def query(self, where: AuditFilter | None = None, *, limit: int | None = 100,
              offset: int = 0) -> list[AuditEvent]:
        """Matching events, newest first; limit None for all of them."""
        statement = select(AuditEvent).where(*(where or AuditFilter()).clauses()) \
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        with self.store.session() as session:
            return list(session.scalars(statement))

    def actions(self) -> list[str]:
        """Every action the log holds, sorted (for choosing a filter)."""
        with self.store.session() as session:
            return list(session.scalars(select(AuditEvent.action).distinct()
                                        .order_by(AuditEvent.action)))

    def count(self, where: AuditFilter | None = None) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(*(where or AuditFilter()).clauses()))


# -- export ------------------------------------------------------------------------------

def event_dict(event: AuditEvent) -> dict:
    """An event as plain data (data parsed back from its JSON text)."""
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor,
            "action": event.action, "site": event.site, "result": event.result,
            "summary": event.summary, "data": json.loads(event.data or "{}")}


def to_json(events: list[AuditEvent]) -> str:
    return json.dumps([event_dict(e) for e in events], ensure_ascii=False, indent=2) + "\n"


def to_csv(events: list[AuditEvent]) -> str:
    """CSV with a header; cells a spreadsheet would run as a formula are quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for event in events:
        row = event_dict(event)
        row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
        writer.writerow([_spreadsheet_safe(str(row[column])) for column in COLUMNS])
    return out.getvalue()


def render(events: list[AuditEvent], fmt: str) -> str:
    """Events as 'json' or 'csv' text."""
    if fmt not in FORMATS:
        raise InvalidInputError(f"Unknown format {fmt!r}.", f"use one of: {', '.join(FORMATS)}",
                                code="format")
    return to_json(events) if fmt == "json" else to_csv(events)


def _spreadsheet_safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
