"""The menu editor with a large menu: server time of the page, and drawing it in Chromium.

    python -m tests.bench.menu_editor [--items 150] [--children 4] [--runs 20]

A site whose menu has `--items` top-level items with `--children` submenu items each, and
a profile naming all of them (the worst case: every row editable). The site's plugin is
faked at the HTTP edge (tests/fake_menu_plugin.py), so the numbers are the backend's and
the browser's, not a WordPress's. Measured:

- the server: GET /sites/NAME/menu through Flask's test client, logged in (median, p90);
- Debian's Chromium: from navigation until the editor's script has drawn every row (the
  page's `menu-editor-drawn` mark); one keyboard move (Alt+↑), timed inside the page; and
  a preview request answered and drawn.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import responses
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from handoff.app import Handoff
from handoff.config import Settings
from handoff.core.menu_preview import pull_profile
from handoff.web import create_app
from handoff.web.accounts import Accounts
from tests.fake_menu_plugin import FakeMenuPlugin
from tests.web_menu_helpers import INVENTORY, PASSWORD, URL, csrf_of, store_site

CHROMIUM = "/usr/bin/chromium"


def big_inventory(items: int, children: int) -> dict:
    tree = [{"slug": f"plugin-page-{n:03}", "title": f"Plugin page {n}", "capability": "read",
             "icon": "dashicons-admin-generic", "position": 100 + n,
             "children": [{"slug": f"plugin-page-{n:03}-sub-{c}", "title": f"Sub {c}",
                           "capability": "read"} for c in range(children)]}
            for n in range(items)]
    menu = {"context": "admin", "warnings": [], "full": tree,
            "by_role": {"administrator": tree, "editor": tree}}
    return {**INVENTORY, "admin_menu": menu}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def server_times(app: Handoff, runs: int) -> tuple[list[float], int]:
    client = create_app(app).test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token, "username": "me", "password": PASSWORD})
    for _ in range(3):
        client.get("/sites/big/menu")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        page = client.get("/sites/big/menu")
        times.append((time.perf_counter() - start) * 1000)
        assert page.status_code == 200
    return times, len(page.get_data())


def browser_times(app: Handoff, rows: int, runs: int) -> dict[str, list[float]]:
    server = make_server("127.0.0.1", 0, create_app(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found: dict[str, list[float]] = {"draw": [], "move": [], "preview": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(base_url=f"http://127.0.0.1:{server.server_port}",
                                    viewport={"width": 1280, "height": 900})
            page.goto("/login")
            page.get_by_label("User name").fill("me")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            for _ in range(runs):
                page.goto("/sites/big/menu")
                page.wait_for_function(f"document.querySelectorAll('#me-tree li.mi').length"
                                       f" === {rows}")
                found["draw"].append(page.evaluate(
                    "performance.getEntriesByName('menu-editor-drawn')[0].startTime"))
                found["move"].append(page.evaluate("""() => {
                    const input = document.querySelectorAll('#me-tree > li .mi-rename')[5];
                    const start = performance.now();
                    input.dispatchEvent(new KeyboardEvent('keydown',
                        {key: 'ArrowUp', altKey: true, bubbles: true}));
                    return performance.now() - start; }"""))
                page.get_by_role("tab", name="Preview").click()
                start = time.perf_counter()
                page.wait_for_selector(".wp-menu")
                found["preview"].append((time.perf_counter() - start) * 1000)
            browser.close()
    finally:
        server.shutdown()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=150)
    parser.add_argument("--children", type=int, default=4)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    inventory = big_inventory(args.items, args.children)
    with tempfile.TemporaryDirectory() as home, \
            responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        settings = Settings(data_dir=Path(home), database_url=f"sqlite:///{home}/h.db")
        app = Handoff(settings=settings)
        store_site(app, "big", URL, inventory)
        Accounts(app).create_user("me", PASSWORD, PASSWORD)
        FakeMenuPlugin(mock, URL)._store(pull_profile(inventory, "editor", "Big"))
        rows = args.items * (args.children + 1)
        server, size = server_times(app, args.runs)
        browser = browser_times(app, rows, max(5, args.runs // 4))
    print(f"{args.items} top-level items × {args.children} children = {rows} rows; "
          f"page {size / 1024:.0f} KiB")
    print("| measure | median | p90 |\n|---|---|---|")
    for label, values in (("server: GET /sites/NAME/menu", server),
                          ("Chromium: navigation to every row drawn", browser["draw"]),
                          ("Chromium: one keyboard move", browser["move"]),
                          ("Chromium: preview answered and drawn", browser["preview"])):
        print(f"| {label} | {statistics.median(values):.1f} ms | "
              f"{percentile(values, 0.9):.1f} ms |")


if __name__ == "__main__":
    main()
