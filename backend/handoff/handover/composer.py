"""The letters to the client, assembled from sentences that each name their source.

A letter is a list of sections; a section is an optional heading and blocks; a block is one
sentence of the language file (wording.LANG.yaml) with a condition on the facts — the site's
recorded state (the last handover check, its sign-offs and waivers, the menu profile, the
handbook, the intake) and what the user typed. A block whose condition fails is left out,
and a section left without blocks is left out with its heading: the letter says nothing it
has no source for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from handoff.documents.safety import as_code, as_line
from handoff.handover.wording import Words

READY = "Ready"
PENDING_STATUSES = ("fail", "warn", "manual")
# Free text ends where a sentence of ours goes on: its own final stop would double ours.
_TRAILING_STOPS = re.compile(r"[\s.。]+$")


@dataclass(frozen=True)
class Waiver:
    title: str
    note: str
    by: str
    on: date | None = None


@dataclass(frozen=True)
class Pending:
    """A checklist item not yet passed, signed off or waived."""

    title: str
    status: str  # fail, warn or manual


@dataclass(frozen=True)
class Recommendation:
    name: str
    email: str = ""


@dataclass(frozen=True)
class Facts:
    """Everything a letter may say, and nothing else."""

    site_name: str
    today: date
    site_url: str = ""
    intake: dict = field(default_factory=dict)
    # The last handover check with the decisions made since ("" / None: no check recorded).
    verdict: str = ""
    checked_on: date | None = None
    done: int = 0
    waivers: tuple[Waiver, ...] = ()
    pending: tuple[Pending, ...] = ()
    client_account_checked: bool = False
    completed_on: date | None = None
    # Recorded by the backend when it pushed a menu profile or published the handbook.
    menu_version: int = 0
    handbook_published: bool = False
    # What the user typed.
    draft: bool = False
    reason: str = ""
    final_date: date | None = None
    refund: str = ""
    recommendations: tuple[Recommendation, ...] = ()
    allow_blanks: bool = False

    def answer(self, group: str, key: str):
        """An intake answer, or "" / [] when it was not given."""
        return (self.intake.get(group) or {}).get(key) or ""


@dataclass(frozen=True)
class Blank:
    """A visible gap for something the user did not give (with --allow-blanks only)."""

    what: str  # the key of its name in the language file


@dataclass(frozen=True)
class Block:
    """A sentence and when it is said; `each` makes one list item per entry."""

    key: str
    when: Callable[[Facts], bool] = lambda facts: True
    values: Callable[[Facts], dict] = lambda facts: {}
    each: Callable[[Facts], Iterable[dict]] | None = None
    item: bool = False  # a list item rather than a paragraph

    def said(self, facts: Facts) -> list[dict]:
        """The values of every time the sentence is said: none when its source is missing."""
        if not self.when(facts):
            return []
        if self.each is not None:
            return [{**self.values(facts), **entry} for entry in self.each(facts)]
        return [self.values(facts)]


@dataclass(frozen=True)
class Section:
    heading: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Letter:
    """A composed letter: its Markdown body, and the draft banner when it is a draft."""

    title: str
    body: str
    banner: str = ""

    def markdown(self) -> str:
        """The Markdown file: a draft says so on its first line."""
        return f"**{self.banner}**\n\n{self.body}" if self.banner else self.body


# -- the sources -------------------------------------------------------------------------

def _contact(facts: Facts) -> str:
    return facts.answer("client", "contact")


def _name(facts: Facts) -> str:
    return facts.answer("client", "name")


def _site(facts: Facts) -> dict:
    return {"site": facts.site_name, "url": facts.site_url}


def _developer(key: str) -> Callable[[Facts], bool]:
    return lambda facts: bool(facts.answer("developer", key))


def _support(key: str) -> Callable[[Facts], bool]:
    return lambda facts: bool(facts.answer("support", key))


def _answer(group: str, key: str) -> Callable[[Facts], dict]:
    return lambda facts: {"value": facts.answer(group, key)}


def _duties(who: str) -> Callable[[Facts], list[dict]]:
    return lambda facts: [{"duty": line} for line in
                          (facts.intake.get("responsibilities") or {}).get(who) or []
                          if str(line).strip()]


def _typed_or_blank(name: str, what: str) -> Callable[[Facts], dict]:
    return lambda facts: {name: getattr(facts, name) or Blank(what)}


def _ready(facts: Facts) -> bool:
    return facts.verdict == READY


GREETING = Section(None, (
    Block("greeting_contact", _contact, lambda f: {"name": _contact(f)}),
    Block("greeting_name", lambda f: not _contact(f) and bool(_name(f)),
          lambda f: {"name": _name(f)}),
    Block("greeting", lambda f: not _contact(f) and not _name(f)),
))
SIGNATURE = Section(None, (
    Block("signature", _developer("contact"), _answer("developer", "contact")),
    Block("signature", _developer("name"), _answer("developer", "name")),
))
DATELINE = Section(None, (Block("dateline", values=lambda f: {"today": f.today}),))

HANDOVER = (
    DATELINE,
    GREETING,
    Section(None, (
        Block("handover_ready_url", lambda f: _ready(f) and bool(f.site_url), _site),
        Block("handover_ready", lambda f: _ready(f) and not f.site_url, _site),
        Block("handover_draft", lambda f: not _ready(f), _site),
        Block("checked_ready", lambda f: _ready(f) and f.checked_on is not None,
              lambda f: {"date": f.checked_on, "n": f.done}),
        Block("completed", lambda f: f.completed_on is not None,
              lambda f: {"date": f.completed_on}),
    )),
    Section("pending_heading", (
        Block("pending_intro", lambda f: bool(f.pending),
              lambda f: {"verdict": f.verdict, "n": len(f.pending)}),
        Block("pending_item", lambda f: bool(f.pending), item=True,
              each=lambda f: [{"title": p.title, "status": p.status} for p in f.pending]),
    )),
    Section("receive_heading", (
        Block("receive_account", lambda f: bool(f.answer("client", "login")) and
              f.client_account_checked, lambda f: {"login": f.answer("client", "login")},
              item=True),
        Block("receive_menu", lambda f: f.menu_version > 0,
              lambda f: {"version": f.menu_version}, item=True),
        Block("receive_handbook", lambda f: f.handbook_published, item=True),
    )),
    Section("waived_heading", (
        Block("waived_item", lambda f: bool(f.waivers), item=True,
              each=lambda f: [{"title": w.title, "note": w.note, "by": w.by, "date": w.on}
                              for w in f.waivers if w.on and w.note and w.by]),
    )),
    Section("duties_heading", (
        Block("duties_client", lambda f: bool(_duties("client")(f))),
        Block("duty", item=True, each=_duties("client")),
        Block("duties_developer", lambda f: bool(_duties("developer")(f))),
        Block("duty", item=True, each=_duties("developer")),
        Block("out_of_scope", lambda f: bool(f.answer("changes", "out_of_scope")),
              _answer("changes", "out_of_scope")),
        Block("hourly_rate", lambda f: bool(f.answer("changes", "hourly_rate")),
              _answer("changes", "hourly_rate")),
    )),
    Section("contact_heading", (
        Block("contact_email", _developer("email"), _answer("developer", "email"), item=True),
        Block("contact_phone", _developer("phone"), _answer("developer", "phone"), item=True),
        Block("contact_website", _developer("website"), _answer("developer", "website"),
              item=True),
        Block("contact_channel", _support("channel"), _answer("support", "channel"),
              item=True),
        Block("contact_hours", _support("hours"), _answer("support", "hours"), item=True),
        Block("contact_response", _support("response_time"),
              _answer("support", "response_time"), item=True),
    )),
    Section(None, (Block("handover_thanks"),)),
    SIGNATURE,
)

PARTING = (
    DATELINE,
    GREETING,
    # 1. Thanks and respect. 2. Neutral and firm. 3. A short reason and the final date.
    Section(None, (
        Block("parting_thanks", values=_site),
        Block("parting_decision"),
        Block("parting_reason", lambda f: bool(f.reason) or f.allow_blanks,
              _typed_or_blank("reason", "what_reason")),
        Block("parting_final_date", lambda f: f.final_date is not None or f.allow_blanks,
              _typed_or_blank("final_date", "what_final_date")),
    )),
    # 4. Solutions: what the user named and offered, and what is recorded.
    Section("parting_next_heading", (
        Block("parting_refund", lambda f: bool(f.refund), lambda f: {"refund": f.refund}),
        Block("parting_completed", lambda f: f.completed_on is not None,
              lambda f: {"date": f.completed_on}),
        Block("parting_handbook", lambda f: f.handbook_published),
        Block("parting_contact", lambda f: f.final_date is not None and
              bool(f.answer("developer", "email")),
              lambda f: {"date": f.final_date, "email": f.answer("developer", "email")}),
    )),
    Section("parting_help_heading", (
        Block("parting_recommend", lambda f: bool(f.recommendations),
              lambda f: {"n": len(f.recommendations)}),
        Block("recommendation_email", item=True,
              each=lambda f: [{"name": r.name, "email": r.email}
                              for r in f.recommendations if r.email]),
        Block("recommendation", item=True,
              each=lambda f: [{"name": r.name} for r in f.recommendations if not r.email]),
    )),
    # 5. A positive send-off.
    Section(None, (Block("parting_farewell"),)),
    SIGNATURE,
)


def missing(facts: Facts) -> list[str]:
    """What the parting letter needs from the user and did not get: reason, final_date."""
    return [name for name, value in (("reason", facts.reason),
                                     ("final_date", facts.final_date)) if not value]


# -- assembling --------------------------------------------------------------------------

def compose(facts: Facts, words: Words, *, parting: bool = False) -> Letter:
    """The letter as Markdown: every section that has something to say, in order."""
    parts = []
    for section in PARTING if parting else HANDOVER:
        text = _section(section, facts, words)
        if text:
            parts.append(text)
    kind = "parting_title" if parting else "handover_title"
    title = words.text(kind).format(site=facts.site_name)
    # A draft is only what is not Ready yet: a Ready letter is the letter itself.
    banner = words.text("draft_banner").format(verdict=words.verdict(facts.verdict)) \
        if facts.draft and not parting and not _ready(facts) else ""
    return Letter(title, "\n\n".join(parts) + "\n", banner)


def _section(section: Section, facts: Facts, words: Words) -> str:
    """The section's Markdown; "" when none of its blocks has a source."""
    lines: list[tuple[bool, str]] = []
    for block in section.blocks:
        for values in block.said(facts):
            lines.append((block.item, _sentence(words, block.key, values)))
    if not lines:
        return ""
    chunks: list[str] = [f"## {words.text(section.heading)}"] if section.heading else []
    for item, line in lines:
        if item and chunks and chunks[-1].startswith("- "):
            chunks[-1] += f"\n- {line}"
        else:
            chunks.append(f"- {line}" if item else line)
    return "\n\n".join(chunks)


def _sentence(words: Words, key: str, values: dict) -> str:
    count = values.get("n") if isinstance(values.get("n"), int) else None
    rendered = {name: _value(words, name, value) for name, value in values.items()}
    return words.text(key, count).format(**rendered)


def _value(words: Words, name: str, value) -> Markup | str:
    """A fact as the letter prints it: text stays text; dates and counts as the language
    writes them; a missing fact the user allowed is a visible blank."""
    if isinstance(value, Blank):
        what = words.text("blank").format(what=words.text(value.what))
        return as_line("__________") + Markup(" (") + as_line(what) + Markup(")")
    if isinstance(value, date):
        return escape(words.date(value))
    if isinstance(value, int):
        return str(value)
    if name == "status":
        return escape(words.text(f"status_{value}"))
    if name == "login":
        return as_code(value)
    if name == "verdict":
        return escape(words.verdict(value))
    # One line: a line break in an answer would end the list item or paragraph it is in.
    return as_line(_TRAILING_STOPS.sub("", str(value)))
