"""The README's first command: a real local WordPress, connected, synced and shown."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from handoff.app import Handoff
from handoff.core.handovers import Report
from handoff.core.menu_presets import preset
from handoff.core.menus import PushResult
from handoff.core.sites import normalize_url
from handoff.errors import NotFoundError
from handoff.sandbox import Sandbox

DEMO_SITE = "sandbox"


DEMO_PRESET = "content-editor"
# A sample agency's answers, so the demo's handbook has contacts and terms to print.
DEMO_INTAKE = {
    "language": "en", "handover_date": "2026-12-01",
    "client": {"name": "Sandbox Client Co.", "contact": "Casey", "login": "client",
               "email": "casey@client.invalid"},
    "developer": {"name": "Your Agency", "contact": "You", "email": "help@agency.invalid",
                  "phone": "+1 555 0100", "website": "https://agency.invalid"},
    "support": {"hours": "Monday to Friday, 9:00–17:00", "response_time": "one working day",
                "channel": "e-mail"},
    "responsibilities": {"client": ["Writing and publishing content",
                                    "Answering messages from the contact form"],
                         "developer": ["Updates of WordPress, themes and plugins",
                                       "Daily backups", "Security monitoring"]},
    "changes": {"out_of_scope": "Quoted per request, at the hourly rate",
                "hourly_rate": "€80"},
    "backups": {"frequency": "daily", "retention": "30 days", "where": "off-site storage"},
    "updates": {"policy": "Weekly, after checking the site on a copy"},
}


@dataclass
class DemoResult:
    sandbox: Sandbox
    site_name: str
    inventory: dict
    menu_before: list[dict]
    menu_after: list[dict]
    pushed: PushResult
    handbook_file: Path
    handbook_chapters: int
    handover: Report


def run_demo(app: Handoff, sandbox_dir: Path, say: Callable[[str], None]) -> DemoResult:
    """Start the sandbox, connect it as site 'sandbox' with a fresh key, sync its inventory."""
    sandbox = Sandbox(sandbox_dir)
    say(f"Starting a local WordPress in {sandbox_dir} (the first start installs it)…")
    sandbox.start()
    say(f"WordPress is up at {sandbox.url}. Asking the companion plugin for a connection key…")
    key = sandbox.connection_key()
    result, kept_intake = _connect(app, key, sandbox.url)
    say(f"Connected over {result.site.transport}. Syncing the inventory…")
    inventory = app.sites.sync(DEMO_SITE)
    say(f"Pushing the {DEMO_PRESET!r} menu profile for the client's role (editor)…")
    profile = preset(DEMO_PRESET)
    pushed = app.menus.push(DEMO_SITE, profile)
    after, _ = app.menus.preview(DEMO_SITE, profile, role="editor")
    say("Writing the client handbook from the site and a sample intake, and publishing it…")
    if kept_intake:
        say("Keeping the intake answers already entered for this site.")
        app.intakes.save(DEMO_SITE, kept_intake)
    elif not app.intakes.get(DEMO_SITE):
        app.intakes.save(DEMO_SITE, DEMO_INTAKE)
    book = app.handbooks.build(DEMO_SITE)
    handbook_file = app.handbooks.write(book, DEMO_SITE, "html", sandbox_dir.parent / "handbook")
    app.handbooks.publish(DEMO_SITE, book)
    say("Running the handover checklist against the site…")
    handover = app.handovers.check(DEMO_SITE)
    return DemoResult(sandbox, DEMO_SITE, inventory, inventory["admin_menu"]["by_role"]["editor"],
                      after, pushed, handbook_file, len(book.chapters), handover)


def _connect(app: Handoff, key: str, url: str):
    """Connect the sandbox as DEMO_SITE with a fresh key, keeping what the user entered.

    A previous demo's site at the same address is reconnected in place (its intake,
    sign-offs and history stay); one at another port is replaced, and its intake answers
    are handed back so that they are saved on the new record rather than lost.
    """
    kept: dict = {}
    with suppress(NotFoundError):
        previous = app.sites.get(DEMO_SITE)
        if normalize_url(previous.url) == normalize_url(url):
            return app.sites.add(key, url, name=DEMO_SITE, replace=True), {}
        kept = app.intakes.get(DEMO_SITE)
        app.sites.remove(DEMO_SITE)
    return app.sites.add(key, url, name=DEMO_SITE), kept
