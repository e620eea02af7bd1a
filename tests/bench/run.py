"""Benchmarks of the bridge against a real local WordPress.

    python -m tests.bench.run [--runs N] [--dir DIR]
                              [--wordpress 6.1|6.8]... [--server php|apache]...

Each --wordpress and --server given is a leg (every combination, one fresh sandbox each;
default: the newest WordPress on PHP's server). Prints medians per leg with the machine's
load average; copy them into docs/benchmarks.md. Only loopback is touched.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import requests

from handoff.app import Handoff
from handoff.config import Settings
from handoff.sandbox import Sandbox
from tests.bench.probe import PROBE_NAME, PROBE_SOURCE, read_probe
from tests.bench.sandbox_site import bench_sandbox, load_average
from tests.helpers import wp_login

PLUGIN = "handoff-companion/handoff-companion.php"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_calls(call, runs: int) -> list[float]:
    """Return wall times of `runs` calls, after one warm-up call."""
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def bench_sync(sandbox: Sandbox, home: Path, runs: int) -> tuple[Handoff, dict[str, float]]:
    """Median wall time of `site sync` over each transport."""
    app = Handoff(settings=Settings(data_dir=home, database_url=f"sqlite:///{home}/h.db"))
    results = {}
    for transport in ("rest", "xmlrpc"):
        # One site, connected again over each transport (a URL is stored only once).
        app.sites.add(sandbox.connection_key(), sandbox.url, name="bench", transport=transport,
                      replace=True)
        results[transport] = median_ms(time_calls(lambda: app.sites.sync("bench"), runs))
    return app, results


def admin_session(sandbox: Sandbox, as_client: bool = False) -> requests.Session:
    """Return a session logged in to wp-admin as the administrator (or the client)."""
    if as_client:
        return wp_login(sandbox.url, sandbox.client_login, sandbox.client_password)
    return wp_login(sandbox.url, sandbox.admin_login, sandbox.admin_password)


def page_samples(session: requests.Session, url: str, runs: int) -> dict[str, list[float]]:
    """Wall time (s), PHP time (ms) and SQL query count of `runs` loads of a page."""
    samples: dict[str, list[float]] = {"wall": [], "php_ms": [], "queries": [], "menu_ms": []}
    session.get(url, timeout=30)
    for _ in range(runs):
        started = time.perf_counter()
        html = session.get(url, timeout=30).text
        samples["wall"].append(time.perf_counter() - started)
        for field, value in read_probe(html).items():
            samples[field].append(value)
    return samples


def bench_plugin_cost(sandbox: Sandbox, runs: int, rounds: int = 5,
                      as_client: bool = False) -> dict[str, dict]:
    """Cost of the plugin on admin pages and the front end: active vs inactive.

    The two states alternate in `rounds` rounds, so drift in the machine's load falls on
    both alike.
    """
    sandbox.add_mu_plugin(PROBE_NAME, PROBE_SOURCE)
    pages = {"admin (index.php)": f"{sandbox.url}/wp-admin/index.php",
             "admin (edit.php)": f"{sandbox.url}/wp-admin/edit.php",
             "front end (/)": f"{sandbox.url}/"}
    raw: dict[str, dict[str, dict[str, list[float]]]] = {}
    try:
        for _ in range(rounds):
            for state in ("active", "inactive"):
                call = "activate_plugin" if state == "active" else "deactivate_plugins"
                sandbox.php(f"{call}( '{PLUGIN}' );")
                session = admin_session(sandbox, as_client)
                for label, url in pages.items():
                    # the front end is measured as a visitor: what every visitor costs
                    client = session if label.startswith("admin") else requests.Session()
                    taken = page_samples(client, url, max(1, runs // rounds))
                    into = raw.setdefault(label, {}).setdefault(
                        state, {"wall": [], "php_ms": [], "queries": [], "menu_ms": []})
                    for field, values in taken.items():
                        into[field].extend(values)
    finally:
        sandbox.php(f"activate_plugin( '{PLUGIN}' );")
        sandbox.remove_mu_plugin(PROBE_NAME)
    return {label: {state: {"wall_ms": median_ms(values["wall"]),
                            "php_ms": statistics.median(values["php_ms"]),
                            "menu_ms": statistics.median(values["menu_ms"]),
                            "queries": statistics.median(values["queries"])}
                    for state, values in states.items()}
            for label, states in raw.items()}


def profile_with_rules(inventory: dict, count: int = 25) -> dict:
    """A profile for the client's role with `count` rules (items and submenu items)."""
    menu, rules = [], 0
    for item in inventory["admin_menu"]["by_role"]["editor"]:
        if rules >= count:
            break
        rule = {"slug": item["slug"], "state": "visible", "title": item["title"] + " ·"}
        rules += 1
        children = []
        for child in item.get("children", []):
            if rules >= count:
                break
            children.append({"slug": child["slug"], "state": "visible"})
            rules += 1
        if children:
            rule["children"] = children
        menu.append(rule)
    named = {rule["slug"] for rule in menu}
    for item in inventory["admin_menu"]["full"]:  # what the client must not open
        if rules >= count:
            break
        if item["slug"] in named or item["slug"] in ("index.php", "profile.php"):
            continue
        rule = {"slug": item["slug"], "state": "denied"}
        rules += 1
        children = []
        for child in item.get("children", []):
            if rules >= count:
                break
            if child["slug"] not in ("index.php", "profile.php"):
                children.append({"slug": child["slug"], "state": "denied"})
                rules += 1
        if children:
            rule["children"] = children
        menu.append(rule)
    return {"schema_version": 1, "name": f"Bench, {rules} rules",
            "targets": {"roles": ["editor"]}, "menu": menu,
            "admin_bar": {"remove": ["wp-logo"]},
            "dashboard": {"remove_widgets": ["dashboard_primary"]}}


def report(sync: dict[str, float], scenarios: dict[str, dict], runs: int) -> str:
    lines = [f"site sync, median of {runs}: " +
             ", ".join(f"{t} {ms:.1f} ms" for t, ms in sync.items())]
    for title, costs in scenarios.items():
        lines += ["", f"{title}:", "",
                  "| page | wall ms active / inactive | ratio | PHP ms active / inactive | "
                  "menu phase ms active / inactive | queries active / inactive |",
                  "|---|---|---|---|---|---|"]
        for page, states in costs.items():
            on, off = states["active"], states["inactive"]
            # The front end builds no admin menu: no menu phase to show.
            menu = ("—" if page.startswith("front") else
                    f"{on['menu_ms']:.2f} / {off['menu_ms']:.2f}")
            lines.append(f"| {page} | {on['wall_ms']:.1f} / {off['wall_ms']:.1f} | "
                         f"{on['wall_ms'] / off['wall_ms']:.3f} | {on['php_ms']:.1f} / "
                         f"{off['php_ms']:.1f} | {menu} | "
                         f"{on['queries']:.0f} / {off['queries']:.0f} |")
    return "\n".join(lines)


def bench_leg(sandbox: Sandbox, home: Path, runs: int, page_runs: int) -> str:
    """Return the report of one leg: `site sync` and the plugin's cost, on a reset sandbox."""
    sandbox.reset()
    load_before = load_average()
    app, sync = bench_sync(sandbox, home, runs)
    scenarios = {"Administrator, no menu profile": bench_plugin_cost(sandbox, page_runs)}
    # Deactivating the plugin revoked the bridge password: connect again.
    app.sites.add(sandbox.connection_key(), sandbox.url, name="bench", replace=True)
    profile = profile_with_rules(app.sites.latest_inventory("bench"))
    app.menus.push("bench", profile)
    scenarios[f"Client (editor) with a menu profile of 25 rules ({profile['name']})"] = \
        bench_plugin_cost(sandbox, page_runs, as_client=True)
    heading = (f"## WordPress {sandbox.wordpress_version} on {sandbox.server}; load average "
               f"(1/5/15 min) {load_before} before, {load_average()} after")
    return f"{heading}\n\n{report(sync, scenarios, runs)}"


def run_leg(wordpress: str | None, server: str | None, directory: Path | None,
            runs: int, page_runs: int) -> str:
    """Start the leg's sandbox (or use `directory`'s), bench it, stop what it started."""
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = bench_sandbox(Path(scratch), directory, wordpress, server)
        # A sandbox someone is using (e.g. after `make demo`) is left running afterwards.
        was_running = sandbox.is_running()
        sandbox.start()
        try:
            return bench_leg(sandbox, Path(scratch) / "home", runs, page_runs)
        finally:
            if not was_running:
                sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--page-runs", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None,
                        help="sandbox directory (one leg only)")
    parser.add_argument("--wordpress", action="append", choices=("6.1", "6.8"),
                        help="WordPress release; repeat for several (default: the newest)")
    parser.add_argument("--server", action="append", choices=("php", "apache"),
                        help="web server; repeat for several (default: php)")
    args = parser.parse_args()
    legs = list(itertools.product(args.wordpress or [None], args.server or ["php"]))
    if args.dir and len(legs) > 1:
        parser.error("--dir is one sandbox: give one --wordpress and one --server with it")
    for wordpress, server in legs:
        print(run_leg(wordpress, server, args.dir, args.runs, args.page_runs), end="\n\n",
              flush=True)


if __name__ == "__main__":
    main()
