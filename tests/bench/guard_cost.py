"""What the capability guard costs: the client (editor) under a 25-rule menu profile that
denies three items the client could open, guard on and off, on an admin page, a REST
request and the front end.

    python -m tests.bench.guard_cost [--runs 30] [--rounds 5] [--dir DIR] [--wordpress 6.1|6.8]

"Off" is the same site, plugin and profile with a must-use plugin that stops the guard as
soon as it has started (Menu_Capability_Guard::stop() at `plugins_loaded` and at the end of
`rest_api_init`), so the difference is the guard alone. The two states alternate in rounds,
as the plugin-cost benchmark does (tests/bench/run.py). Probes report PHP time and SQL
queries: HTML pages in a closing comment (tests/bench/probe.py), REST answers in a header.
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import requests

from tests.bench.probe import PROBE_NAME, PROBE_SOURCE, read_probe
from tests.bench.run import admin_session, profile_with_rules
from tests.bench.sandbox_site import connected_sandbox, load_average

GUARD_OFF_NAME = "handoff-bench-guard-off"
GUARD_OFF_SOURCE = """<?php
// Benchmark only: the guard stops as soon as it has started (the class is never loaded here).
add_action( 'plugins_loaded', function () {
    if ( class_exists( 'Handoff\\\\Companion\\\\Menu_Capability_Guard', false ) ) {
        Handoff\\Companion\\Menu_Capability_Guard::stop();
    }
}, PHP_INT_MAX );
add_action( 'rest_api_init', function () {
    if ( class_exists( 'Handoff\\\\Companion\\\\Menu_Capability_Guard', false ) ) {
        Handoff\\Companion\\Menu_Capability_Guard::stop();
    }
}, PHP_INT_MAX );
"""
REST_PROBE_NAME = "handoff-bench-rest-probe"
REST_PROBE_SOURCE = """<?php
// Benchmark only: a REST answer's SQL query count and PHP time, in a header.
add_filter( 'rest_post_dispatch', function ( $response ) {
    global $wpdb, $timestart;
    if ( $response instanceof WP_REST_Response ) {
        $response->header( 'X-Handoff-Bench', sprintf( 'queries=%d php_ms=%.3f',
            $wpdb->num_queries, ( microtime( true ) - $timestart ) * 1000 ) );
    }
    return $response;
}, PHP_INT_MAX );
"""
REST_ROUTE = "/wp-json/wp/v2/posts?context=edit&per_page=10"


# Items the client can open that the profile denies, so the guard has capabilities to
# withhold (the portfolio type shares `edit_posts` with Posts: objects are checked too).
DENIED = ("edit.php?post_type=portfolio", "sandbox-reports", "tools.php")


def denying(profile: dict, slugs: tuple[str, ...] = DENIED) -> dict:
    """The profile with these top-level items denied (their children go with them)."""
    menu = [{"slug": rule["slug"], "state": "denied"} if rule["slug"] in slugs else rule
            for rule in profile["menu"]]
    named = {rule["slug"] for rule in menu}
    return {**profile, "menu": menu + [{"slug": slug, "state": "denied"}
                                       for slug in slugs if slug not in named]}


def guard_refuses(sandbox, password: str) -> bool:
    """Whether the client is refused the edit view of a denied type's list over REST."""
    answer = requests.get(f"{sandbox.url}/wp-json/wp/v2/portfolio?context=edit", timeout=30,
                          auth=(sandbox.client_login, password))
    return answer.status_code == 403


def client_app_password(sandbox) -> str:
    """A new Application Password of the client (editor), for REST requests."""
    return sandbox.php(
        f"$user = get_user_by( 'login', '{sandbox.client_login}' );\n"
        "echo WP_Application_Passwords::create_new_application_password( $user->ID, "
        "array( 'name' => 'bench-guard' ) )[0];").strip()


def sample(fetch, runs: int) -> dict[str, list[float]]:
    """Wall ms, PHP ms and queries of `runs` calls of `fetch` (-> (text, headers))."""
    taken: dict[str, list[float]] = {"wall_ms": [], "php_ms": [], "queries": []}
    fetch()
    for _ in range(runs):
        started = time.perf_counter()
        text, headers = fetch()
        taken["wall_ms"].append((time.perf_counter() - started) * 1000)
        probe = headers.get("X-Handoff-Bench")
        fields = dict(part.split("=") for part in probe.split()) if probe else read_probe(text)
        taken["php_ms"].append(float(fields["php_ms"]))
        taken["queries"].append(float(fields["queries"]))
    return taken


def fetchers(sandbox, password: str) -> dict:
    """Each measured request, as a call returning (body, headers)."""
    admin = admin_session(sandbox, as_client=True)
    rest = requests.Session()
    rest.auth = (sandbox.client_login, password)
    visitor = requests.Session()

    def get(session, url):
        def fetch():
            response = session.get(url, timeout=30)
            response.raise_for_status()
            return response.text, response.headers
        return fetch
    return {"admin (edit.php)": get(admin, f"{sandbox.url}/wp-admin/edit.php"),
            "REST (GET /wp/v2/posts, context=edit)": get(rest, sandbox.url + REST_ROUTE),
            "front end (/)": get(visitor, f"{sandbox.url}/")}


def bench(sandbox, runs: int, rounds: int) -> dict[str, dict[str, dict[str, float]]]:
    """Medians per request and state (guard on, off), the states alternating in rounds."""
    password = client_app_password(sandbox)
    sandbox.add_mu_plugin(PROBE_NAME, PROBE_SOURCE)
    sandbox.add_mu_plugin(REST_PROBE_NAME, REST_PROBE_SOURCE)
    raw: dict[str, dict[str, dict[str, list[float]]]] = {}
    try:
        for _ in range(rounds):
            for state in ("on", "off"):
                if state == "off":
                    sandbox.add_mu_plugin(GUARD_OFF_NAME, GUARD_OFF_SOURCE)
                # Measure only what is meant: the guard refuses in one state, not the other.
                assert guard_refuses(sandbox, password) is (state == "on"), state
                for label, fetch in fetchers(sandbox, password).items():
                    into = raw.setdefault(label, {}).setdefault(
                        state, {"wall_ms": [], "php_ms": [], "queries": []})
                    for field, values in sample(fetch, max(1, runs // rounds)).items():
                        into[field].extend(values)
                if state == "off":
                    sandbox.remove_mu_plugin(GUARD_OFF_NAME)
    finally:
        for name in (GUARD_OFF_NAME, REST_PROBE_NAME, PROBE_NAME):
            sandbox.remove_mu_plugin(name)
    return {label: {state: {field: statistics.median(values)
                            for field, values in fields.items()}
                    for state, fields in states.items()}
            for label, states in raw.items()}


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| request | wall ms guard on / off | ratio | PHP ms on / off | queries on / off |",
             "|---|---|---|---|---|"]
    for label, states in results.items():
        on, off = states["on"], states["off"]
        lines.append(f"| {label} | {on['wall_ms']:.1f} / {off['wall_ms']:.1f} | "
                     f"{on['wall_ms'] / off['wall_ms']:.3f} | {on['php_ms']:.1f} / "
                     f"{off['php_ms']:.1f} | {on['queries']:.0f} / {off['queries']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per request and state")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    parser.add_argument("--wordpress", choices=("6.1", "6.8"), default=None)
    args = parser.parse_args()
    with connected_sandbox(args.dir, args.wordpress) as (sandbox, app):
        profile = denying(profile_with_rules(app.sites.sync("bench")))
        app.menus.push("bench", profile)
        before = load_average()
        results = bench(sandbox, args.runs, args.rounds)
        print(f"## WordPress {sandbox.wordpress_version} on {sandbox.server}; "
              f"{profile['name']}; load average (1/5/15 min) {before} before, "
              f"{load_average()} after\n")
        print(table(results))


if __name__ == "__main__":
    main()
