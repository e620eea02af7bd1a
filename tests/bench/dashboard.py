"""Server time of the Sites page and of GET /api/v1/sites, with 1,000 sites and with 10.

    python -m tests.bench.dashboard [--runs 30] [--sites 1000] [--engine sqlite|postgresql]

Each store is filled by tests/site_fixtures.py (tags, menu state, handover runs with every
checklist item, inventory snapshots, audit events) in a temporary directory. Requests go
through Flask's test client, logged in through the real login form (pages) or with a real
API token (API), so the time is the server's: routing, the login check, SQL, templates,
JSON. Per request: median and 90th percentile of `--runs` after 3 warm-up requests, the SQL
statements it sent, and the ratio of the median to the same request on a 10-site store.
Only the machine's own files are touched: SQLite files, or a private PostgreSQL server on
loopback (tests/postgres_server.py) with `--engine postgresql`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import event

from handoff.app import Handoff
from handoff.config import Settings
from handoff.storage import Store
from handoff.web import create_app
from handoff.web.accounts import Accounts
from tests.postgres_server import PostgresServer
from tests.site_fixtures import fill_store

TARGET_MS = 100
PASSWORD = "a long dashboard password"
REQUESTS = [("Sites page, first page", "/", False),
            ("Sites page, page 10", "/?page=10", False),
            ("Sites page, tag filter", "/?tag=retainer", False),
            ("Sites page, search", "/?q=client-09", False),
            ("API list, per_page 20", "/api/v1/sites?per_page=20", True),
            ("API list, per_page 100", "/api/v1/sites?per_page=100", True)]


class QueryCounter:
    """Counts the SQL statements an engine sends."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


@contextmanager
def backend(sites: int, postgres: PostgresServer | None) -> Iterator[tuple[Handoff, str]]:
    """A backend with `sites` realistic sites, a dashboard login and an API token."""
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{home}/handoff.db"
        if postgres is not None:  # a shared engine is migrated on purpose, never on open
            url = postgres.create_database(f"bench_{sites}")
            store = Store(url)
            store.migrate()
            store.engine.dispose()
        app = Handoff(settings=Settings(data_dir=Path(home), database_url=url))
        fill_store(app, sites)
        Accounts(app).create_user("bench", PASSWORD, PASSWORD)
        token = Accounts(app).create_token("bench")
        try:
            yield app, token
        finally:
            app.store.engine.dispose()


def logged_in_client(app):
    client = create_app(app).test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": csrf, "username": "bench",
                                         "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code
    return client


def measure(app, token: str, runs: int) -> dict[str, dict]:
    """Median and p90 server time (ms) and statements per request, for every request."""
    client = logged_in_client(app)
    counter = QueryCounter(app.store.engine)
    results = {}
    for label, path, api in REQUESTS:
        headers = {"Authorization": f"Bearer {token}"} if api else {}
        for _ in range(3):
            assert client.get(path, headers=headers).status_code == 200, path
        samples, before = [], counter.count
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        results[label] = {"median": statistics.median(samples),
                          "p90": samples[int(len(samples) * 0.9) - 1],
                          "queries": (counter.count - before) / runs}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with ExitStack() as stack:
        postgres = None
        if args.engine == "postgresql":
            postgres = PostgresServer().start()
            stack.callback(postgres.stop)
        with backend(10, postgres) as (app, token):
            small = measure(app, token, args.runs)
        with backend(args.sites, postgres) as (app, token):
            large = measure(app, token, args.runs)
    print(f"{args.engine}, median of {args.runs} after 3 warm-up requests\n")
    print(f"| request | {args.sites} sites: median ms | p90 ms | SQL statements | "
          f"10 sites: median ms | ratio |")
    print("|---|---|---|---|---|---|")
    for label, _, _ in REQUESTS:
        big, little = large[label], small[label]
        print(f"| {label} | {big['median']:.1f} | {big['p90']:.1f} | {big['queries']:.0f} | "
              f"{little['median']:.1f} | {big['median'] / little['median']:.2f} |")
    slowest = max(result["median"] for result in large.values())
    print(f"\nslowest median {slowest:.1f} ms (target ≤ {TARGET_MS} ms): "
          f"{'met' if slowest <= TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
