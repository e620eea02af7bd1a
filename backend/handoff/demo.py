"""The README's first command: a real local WordPress, connected, synced and shown."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from handoff.app import Handoff
from handoff.core.menu_presets import preset
from handoff.core.menus import PushResult
from handoff.errors import NotFoundError
from handoff.sandbox import Sandbox

DEMO_SITE = "sandbox"


DEMO_PRESET = "content-editor"


@dataclass
class DemoResult:
    sandbox: Sandbox
    site_name: str
    inventory: dict
    menu_before: list[dict]
    menu_after: list[dict]
    pushed: PushResult


def run_demo(app: Handoff, sandbox_dir: Path, say: Callable[[str], None]) -> DemoResult:
    """Start the sandbox, connect it as site 'sandbox' with a fresh key, sync its inventory."""
    sandbox = Sandbox(sandbox_dir)
    say(f"Starting a local WordPress in {sandbox_dir} (the first start installs it)…")
    sandbox.start()
    say(f"WordPress is up at {sandbox.url}. Asking the companion plugin for a connection key…")
    key = sandbox.connection_key()
    with suppress(NotFoundError):
        app.sites.remove(DEMO_SITE)  # a previous demo's site may point at another port
    result = app.sites.add(key, sandbox.url, name=DEMO_SITE)
    say(f"Connected over {result.site.transport}. Syncing the inventory…")
    inventory = app.sites.sync(DEMO_SITE)
    say(f"Pushing the {DEMO_PRESET!r} menu profile for the client's role (editor)…")
    profile = preset(DEMO_PRESET)
    pushed = app.menus.push(DEMO_SITE, profile)
    after, _ = app.menus.preview(DEMO_SITE, profile, role="editor")
    return DemoResult(sandbox, DEMO_SITE, inventory, inventory["admin_menu"]["by_role"]["editor"],
                      after, pushed)
