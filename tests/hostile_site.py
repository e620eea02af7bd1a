"""A hostile site and intake: every free-text field a payload, and every document built from it.

Shared by the unit tests (parsed HTML, Markdown, PDF text) and the browser test (clicks).
A payload that runs sets `window.__pwned`; one that fetches names a loopback address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from handoff.core.handovers import ItemResult, Report, report_facts, verdict
from handoff.handbook.build import BuildInput, Handbook, build_handbook
from handoff.handover.checklist import load_checklist
from handoff.handover.checks import CHECKS, Context
from handoff.handover.composer import Facts
from handoff.handover.render import (
    LetterRequest,
    letter_document,
    report_document,
    typed_facts,
)

PWNED = "window.__pwned=1"
PAYLOADS = {
    "markdown-link": f"Pages [help](javascript:{PWNED})",
    "attr-list": f'Pages [help](javascript:{PWNED}){{: onclick="{PWNED}" }}',
    "script": f"<script>{PWNED}</script>",
    "img-onerror": f"<img src=x onerror={PWNED}>",
    "svg-onload": f'"><svg onload={PWNED}>',
    "autolink": f"<javascript:{PWNED}>",
    "reference-link": f"[x][1]\n\n[1]: javascript:{PWNED}",
    "entity": f"[y](&#106;avascript:{PWNED})",
    "image": "![x](http://127.0.0.2:9/x.png)",
    "line-start": f"# Heading\n1. list\n- item\n===\n    [z](javascript:{PWNED})",
}
EVERY_PAYLOAD = " ".join(PAYLOADS.values())


def _item(slug: str, title: str, *children: tuple[str, str]) -> dict:
    return {"slug": slug, "title": title, "capability": "read", "icon": "", "position": 0,
            "children": [{"slug": s, "title": t, "capability": "read"} for s, t in children]}


def hostile_inventory(text: str) -> dict:
    """An inventory whose every label, name and description is `text`."""
    menu = [_item("index.php", text),
            _item("edit.php", text, ("edit.php", text), ("post-new.php", text)),
            _item("upload.php", text, ("upload.php", text), ("media-new.php", text)),
            _item("edit.php?post_type=page", text, ("edit.php?post_type=page", text),
                  ("post-new.php?post_type=page", text)),
            _item("edit.php?post_type=portfolio", text,
                  ("post-new.php?post_type=portfolio", text)),
            _item('edit.php?post_type=x"><svg onload=1>', text),
            _item("edit-comments.php", text),
            _item("themes.php", text, ("nav-menus.php", text), ("widgets.php", text)),
            _item("profile.php", text),
            _item("wpcf7", text)]
    plugin = {"version": text, "author": text, "description": text, "plugin_uri": text,
              "active": True, "name": text}
    return {
        "site": {"name": text, "description": text, "home_url": "https://client.example",
                 "site_url": "https://client.example", "admin_email": text,
                 "timezone": text, "locale": "en_US"},
        "plugins": [{**plugin, "file": "contact-form-7/wp-contact-form-7.php"},
                    {**plugin, "file": "unknown/unknown.php"}],
        "themes": [{"stylesheet": "t", "name": text, "version": text, "active": True}],
        "post_types": [{"name": "portfolio", "label": text, "singular_label": text,
                        "builtin": False, "show_ui": True, "count": 2},
                       {"name": 'x"><svg onload=1>', "label": text, "builtin": False,
                        "show_ui": True, "count": 1}],
        "users": {"list": [{"login": "client", "display_name": text, "roles": ["editor"]}]},
        "admin_menu": {"full": menu, "by_role": {"editor": menu}},
    }


def hostile_intake(text: str) -> dict:
    """Intake answers that are all `text`."""
    person = {"name": text, "contact": text, "email": text, "phone": text, "website": text}
    return {"language": "en", "handover_date": text,
            "client": {**person, "login": text}, "developer": person,
            "support": {"hours": text, "response_time": text, "channel": text},
            "responsibilities": {"client": [text], "developer": [text]},
            "changes": {"out_of_scope": text, "hourly_rate": text},
            "backups": {"frequency": text, "retention": text, "where": text},
            "updates": {"policy": text}}


def hostile_facts(text: str) -> dict:
    """The plugin's health facts, with the site's own words (titles, labels) set to `text`."""
    return {"site_health": [{"test": "t1", "status": "critical", "label": text},
                            {"test": "t2", "status": "recommended", "label": text}],
            "updates": {"core": text, "plugins": [{"name": text}], "themes": []},
            "inactive_plugins": [{"name": text}], "inactive_themes": [{"name": text}],
            "users": [{"login": text, "email_domain": text, "roles": ["administrator"]}],
            "application_passwords": [{"login": text, "name": text}],
            "title": text, "tagline": text, "permalinks": text,
            "backup_plugins": [{"file": "x/x.php", "name": text, "active": True}],
            "timezone": {"string": text, "offset": 0}, "admin_email": text}


def hostile_report(text: str) -> Report:
    """A handover report: the real checks on hostile facts, sign-offs and waivers in `text`."""
    checklist = load_checklist()
    context = Context(hostile_facts(text), hostile_inventory(text), hostile_intake(text),
                      {"https": ("fail", text)})
    items = []
    for definition in checklist.items:
        status, detail = "manual", ""
        if definition.check and definition.check in CHECKS:
            try:
                checked, detail = CHECKS[definition.check](context)
            except (KeyError, TypeError, AttributeError):
                checked, detail = "warn", text
            status = status if definition.kind == "manual" else checked
        items.append(ItemResult(definition.id, definition.group, definition.title,
                                definition.kind, definition.severity, status, detail,
                                definition.fix))
    decision = {"by": text, "at": "2026-12-01T10:00:00", "note": text}
    manual = [item for item in items if item.status == "manual"]
    manual[0].status, manual[0].decision = "signed", decision
    manual[1].status, manual[1].decision = "waived", decision
    return Report("shop", datetime.now(UTC).isoformat(), verdict(items), checklist.groups,
                  items, completed={"by": text, "at": "2026-12-02T10:00:00", "note": text})


@dataclass
class HostileDocuments:
    book: Handbook
    report: Report
    site: dict
    intake: dict
    text: str

    def letter(self, fmt: str, parting: bool = False) -> bytes:
        """A letter saying every sentence it can: a draft handover letter (the hostile report
        is not Ready), or the parting letter with every option in `text`."""
        request = LetterRequest(parting=True, reason=self.text, refund=self.text,
                                final_date="2027-01-31", alternatives=(self.text[:200],)) \
            if parting else LetterRequest(draft=True)
        facts = Facts(site_name=self.site["name"], site_url=self.site["home_url"],
                      today=date(2026, 12, 1), intake=self.intake, menu_version=2,
                      handbook_published=True, **report_facts(self.report),
                      **typed_facts(request))
        return letter_document("shop", facts, fmt=fmt, parting=parting).body

    def report_file(self, fmt: str) -> bytes:
        return report_document(self.report, self.text, fmt).body


def hostile_documents(text: str) -> HostileDocuments:
    """The handbook, report and letters of a site and intake whose every text is `text`."""
    inventory, intake = hostile_inventory(text), hostile_intake(text)
    book = build_handbook(BuildInput(inventory, intake, "en", client_login="client",
                                     now=datetime(2026, 12, 1, tzinfo=UTC)))
    return HostileDocuments(book, hostile_report(text), inventory["site"], intake, text)
