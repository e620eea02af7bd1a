"""Benchmarks of the bridge against a real local WordPress.

    python -m tests.bench.run [--runs N] [--dir DIR]

Prints medians; copy them into docs/benchmarks.md. Only loopback is touched.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests

from handoff.app import Handoff
from handoff.config import Settings
from handoff.sandbox import Sandbox
from tests.bench.probe import PROBE_NAME, PROBE_SOURCE, read_probe

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


def bench_sync(sandbox: Sandbox, home: Path, runs: int) -> dict[str, float]:
    """Median wall time of `site sync` over each transport."""
    app = Handoff(settings=Settings(data_dir=home, database_url=f"sqlite:///{home}/h.db"))
    results = {}
    for transport in ("rest", "xmlrpc"):
        # One site, connected again over each transport (a URL is stored only once).
        app.sites.add(sandbox.connection_key(), sandbox.url, name="bench", transport=transport,
                      replace=True)
        results[transport] = median_ms(time_calls(lambda: app.sites.sync("bench"), runs))
    return results


def admin_session(sandbox: Sandbox) -> requests.Session:
    """Return a session logged in to wp-admin as the administrator."""
    session = requests.Session()
    session.cookies.set("wordpress_test_cookie", "WP Cookie check")
    response = session.post(f"{sandbox.url}/wp-login.php", timeout=30, data={
        "log": sandbox.admin_login, "pwd": sandbox.admin_password, "testcookie": "1",
        "redirect_to": f"{sandbox.url}/wp-admin/"})
    response.raise_for_status()
    if not any(c.name.startswith("wordpress_logged_in") for c in session.cookies):
        raise RuntimeError("could not log in to the sandbox")
    return session


def page_samples(session: requests.Session, url: str, runs: int) -> dict[str, list[float]]:
    """Wall time (s), PHP time (ms) and SQL query count of `runs` loads of a page."""
    samples: dict[str, list[float]] = {"wall": [], "php_ms": [], "queries": []}
    session.get(url, timeout=30)
    for _ in range(runs):
        started = time.perf_counter()
        html = session.get(url, timeout=30).text
        samples["wall"].append(time.perf_counter() - started)
        queries, php_ms = read_probe(html)
        samples["queries"].append(queries)
        samples["php_ms"].append(php_ms)
    return samples


def bench_plugin_cost(sandbox: Sandbox, runs: int, rounds: int = 5) -> dict[str, dict]:
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
                session = admin_session(sandbox)
                for label, url in pages.items():
                    # the front end is measured as a visitor: what every visitor costs
                    client = session if label.startswith("admin") else requests.Session()
                    taken = page_samples(client, url, max(1, runs // rounds))
                    into = raw.setdefault(label, {}).setdefault(
                        state, {"wall": [], "php_ms": [], "queries": []})
                    for field, values in taken.items():
                        into[field].extend(values)
    finally:
        sandbox.php(f"activate_plugin( '{PLUGIN}' );")
        sandbox.remove_mu_plugin(PROBE_NAME)
    return {label: {state: {"wall_ms": median_ms(values["wall"]),
                            "php_ms": statistics.median(values["php_ms"]),
                            "queries": statistics.median(values["queries"])}
                    for state, values in states.items()}
            for label, states in raw.items()}


def report(sync: dict[str, float], costs: dict[str, dict], runs: int) -> str:
    lines = [f"site sync, median of {runs}: " +
             ", ".join(f"{t} {ms:.1f} ms" for t, ms in sync.items()), "",
             "| page | active wall ms | inactive wall ms | ratio | active PHP ms | "
             "inactive PHP ms | queries active / inactive |", "|---|---|---|---|---|---|---|"]
    for page, states in costs.items():
        on, off = states["active"], states["inactive"]
        lines.append(f"| {page} | {on['wall_ms']:.1f} | {off['wall_ms']:.1f} | "
                     f"{on['wall_ms'] / off['wall_ms']:.3f} | {on['php_ms']:.1f} | "
                     f"{off['php_ms']:.1f} | {on['queries']:.0f} / {off['queries']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--page-runs", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = Sandbox(args.dir or Path(scratch) / "sandbox")
        # A sandbox someone is using (e.g. after `make demo`) is left running afterwards.
        was_running = sandbox.is_running()
        sandbox.start()
        try:
            sandbox.reset()
            sync = bench_sync(sandbox, Path(scratch) / "home", args.runs)
            costs = bench_plugin_cost(sandbox, args.page_runs)
        finally:
            if not was_running:
                sandbox.stop()
    print(report(sync, costs, args.runs))


if __name__ == "__main__":
    main()
