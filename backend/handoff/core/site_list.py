"""The sites list: one page of sites, filtered and counted in SQL, with what each row shows.

A page costs a fixed number of queries whatever the number of sites (count, page, tags,
handover runs, handover decisions, handbook events): no query per site, and never more rows
read than the page shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from handoff.core.handovers import decision_as_dict, items_with_decisions, verdict
from handoff.core.sites import normalize_tag
from handoff.errors import InvalidInputError
from handoff.handover.checklist import Checklist, load_checklist
from handoff.storage import AuditEvent, HandoverDecision, HandoverRun, Site, SiteTag, Store

MAX_SEARCH = 200
# Audit actions that change whether a site's handbook is published, and how.
HANDBOOK_EVENTS = {"handbook.publish": "screen", "handbook.publish_page": "page",
                   "handbook.unpublish": ""}


class InvalidSiteQueryError(InvalidInputError):
    """One or more list parameters are malformed; `fields` maps each to its problem."""

    def __init__(self, fields: dict[str, str]) -> None:
        listed = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
        super().__init__(f"Bad sites list parameter — {listed}.",
                         "correct the parameter and try again",
                         code=f"query_{next(iter(fields))}")
        self.fields = fields


@dataclass(frozen=True)
class SiteQuery:
    """Which page of which sites: `tag` exactly, `q` in the name or the address."""

    page: int = 1
    per_page: int = 50
    tag: str | None = None
    q: str | None = None

    @classmethod
    def parse(cls, *, page: str | None = None, per_page: str | None = None,
              tag: str | None = None, q: str | None = None, default_per_page: int = 50,
              max_per_page: int = 100) -> SiteQuery:
        """A query from text (query-string values); every problem at once.

        A `per_page` above `max_per_page` is lowered to it; blank `tag` and `q` mean none.
        """
        problems: dict[str, str] = {}
        numbers = {}
        for name, text, default in (("page", page, 1), ("per_page", per_page,
                                                         default_per_page)):
            numbers[name] = _whole_number(text, default)
            if numbers[name] is None:
                problems[name] = "must be a positive whole number"
        tag = (tag or "").strip() or None
        if tag is not None:
            try:
                tag = normalize_tag(tag)
            except InvalidInputError as error:
                problems["tag"] = f"{error.cause} Fix: {error.fix}."
        q = (q or "").strip() or None
        if q is not None and (len(q) > MAX_SEARCH or "\x00" in q):
            problems["q"] = f"must be at most {MAX_SEARCH} characters of text"
        if problems:
            raise InvalidSiteQueryError(problems)
        return cls(page=numbers["page"], per_page=min(numbers["per_page"], max_per_page),
                   tag=tag, q=q)

    def conditions(self) -> list:
        found = []
        if self.tag is not None:
            found.append(Site.tag_rows.any(SiteTag.tag == self.tag))
        if self.q is not None:
            found.append(Site.name.icontains(self.q, autoescape=True) |
                         Site.url.icontains(self.q, autoescape=True))
        return found


def _whole_number(text: str | None, default: int) -> int | None:
    text = (text or "").strip()
    if not text:
        return default
    # isdecimal() alone accepts digits of other scripts; the cap keeps int() cheap.
    if not (text.isascii() and text.isdecimal()) or len(text) > 9 or int(text) < 1:
        return None
    return int(text)


@dataclass
class SiteSummary:
    """A site as the list shows it: the record plus its handbook and handover state."""

    site: Site
    handbook: dict  # published (bool), published_at (datetime | None), how ("screen"/"page")
    handover: dict  # verdict (str | None), checked_at, completed_at (datetime | None)


@dataclass
class SitePage:
    items: list[SiteSummary]
    query: SiteQuery
    total: int

    @property
    def pages(self) -> int:
        return (self.total + self.query.per_page - 1) // self.query.per_page

    @property
    def first_number(self) -> int:
        """The position of the page's first site in the whole list (1-based)."""
        return (self.query.page - 1) * self.query.per_page + 1


def list_page(store: Store, query: SiteQuery) -> SitePage:
    """The sites of one page, by name, with their handbook and handover state."""
    conditions = query.conditions()
    with store.session() as session:
        total = session.scalar(select(func.count(Site.id)).where(*conditions))
        sites = list(session.scalars(
            select(Site).options(selectinload(Site.tag_rows)).where(*conditions)
            .order_by(Site.name).limit(query.per_page)
            .offset((query.page - 1) * query.per_page)))
        handovers = _handovers(session, sites)
        handbooks = _handbooks(session, sites)
    return SitePage([SiteSummary(site, handbooks[site.id], handovers[site.id])
                     for site in sites], query, total)


def summary(store: Store, site: Site) -> SiteSummary:
    """One site as the list shows it."""
    with store.session() as session:
        return SiteSummary(site, _handbooks(session, [site])[site.id],
                           _handovers(session, [site])[site.id])


# -- what each row shows -------------------------------------------------------------------

def _handovers(session, sites: list[Site]) -> dict[int, dict]:
    """Each site's handover verdict now: its newest complete run plus the decisions since."""
    ids = [site.id for site in sites]
    found = {site_id: {"verdict": None, "checked_at": None, "completed_at": None}
             for site_id in ids}
    if not ids:
        return found
    newest = select(func.max(HandoverRun.id)).where(
        HandoverRun.site_id.in_(ids), HandoverRun.complete.is_(True)) \
        .group_by(HandoverRun.site_id)
    runs = {run.site_id: run for run in session.execute(
        select(HandoverRun.site_id, HandoverRun.results, HandoverRun.finished_at)
        .where(HandoverRun.id.in_(newest)))}
    decisions: dict[int, list[dict]] = {}
    for row in session.scalars(select(HandoverDecision).where(
            HandoverDecision.site_id.in_(ids)).order_by(HandoverDecision.id)):
        decisions.setdefault(row.site_id, []).append(decision_as_dict(row))
    for site_id, run in runs.items():
        mine = decisions.get(site_id, [])
        items = items_with_decisions(_checklist(), json.loads(run.results), mine)
        completed = [d for d in mine if d["kind"] == "complete"]
        found[site_id] = {"verdict": verdict(items), "checked_at": run.finished_at,
                          "completed_at": datetime.fromisoformat(completed[-1]["at"])
                          if completed else None}
    return found


def _handbooks(session, sites: list[Site]) -> dict[int, dict]:
    """Whether each site's handbook is published, as this backend last published it.

    From the audit log (a publish or unpublish that worked), without calling the sites; a
    handbook published as a private page before the log existed counts by its page id.
    """
    by_name = {site.name: site for site in sites}
    found = {site.id: {"published": site.handbook_page_id > 0, "published_at": None,
                       "how": "page" if site.handbook_page_id > 0 else None}
             for site in sites}
    if not sites:
        return found
    newest = select(func.max(AuditEvent.id)).where(
        AuditEvent.site.in_(list(by_name)), AuditEvent.action.in_(list(HANDBOOK_EVENTS)),
        AuditEvent.result == "ok").group_by(AuditEvent.site)
    for name, action, at in session.execute(
            select(AuditEvent.site, AuditEvent.action, AuditEvent.at)
            .where(AuditEvent.id.in_(newest))):
        site = by_name[name]
        if at < site.created_at:
            continue  # about an earlier site of the same name, since removed
        how = HANDBOOK_EVENTS[action]
        found[site.id] = {"published": bool(how), "published_at": at if how else None,
                          "how": how or None}
    return found


@cache
def _checklist() -> Checklist:
    """The shipped checklist, read once: the list judges every site by it."""
    return load_checklist()
