"""Bulk menu push against the sandbox: Handoff's throughput vs raw concurrent HTTP.

    python -m tests.bench.bulk_push [--sites 200 1000] [--concurrency 8]

Every site record points at the one sandbox WordPress (a URL is connected once, so the
records are written to the store directly, each with its own copy of the inventory). Two
measurements per size:

- apply: a real write per site (read version, PUT the profile) with at most one request
  at a time to the host, as Handoff treats one real server — compared with the same HTTP
  requests sent one after another with requests;
- re-push: the profile is already there, so each site costs one read; `--concurrency`
  sites at once — compared with the same reads sent by a thread pool of that size.

The ratio is Handoff's sites/second over the raw requests' sites/second.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

from handoff.app import Handoff
from handoff.config import Settings
from handoff.core.menu_presets import preset
from handoff.sandbox import Sandbox
from handoff.storage import InventorySnapshot, Site

PROFILE = preset("content-editor")


def make_records(app: Handoff, template: str, count: int) -> list[str]:
    """`count` copies of the connected site `template`, each with its inventory."""
    source = app.sites.get(template)
    inventory = json.dumps(app.sites.latest_inventory(template))
    names = [f"bulk-{index:04d}" for index in range(count)]
    now = datetime.now(UTC)
    with app.store.session() as session:
        for name in names:
            site = Site(name=name, url=source.url, rest_url=source.rest_url,
                        xmlrpc_url=source.xmlrpc_url, username=source.username,
                        secret=source.secret, environment_type=source.environment_type,
                        transport="rest", created_at=now)
            session.add(site)
            session.flush()
            session.add(InventorySnapshot(site_id=site.id, taken_at=now, sha256="-",
                                          data=inventory))
    return names


def raw_rate(url: str, auth: tuple[str, str], count: int, workers: int, write: bool) -> float:
    """Sites per second for the bare HTTP requests one push makes."""
    session_per_thread: dict[int, requests.Session] = {}

    def one(_: int) -> None:
        session = session_per_thread.setdefault(threading.get_ident(), requests.Session())
        current = session.get(url, auth=auth, timeout=30).json()
        if write:
            session.post(url, auth=auth, timeout=30, headers={"X-HTTP-Method-Override": "PUT"},
                         json={"profile": PROFILE,
                               "replaces_version": current["version"]}).raise_for_status()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(count)))
    return count / (time.perf_counter() - started)


def handoff_rate(app: Handoff, names: list[str], workers: int, per_host: int,
                 force: bool) -> tuple[float, int]:
    started = time.perf_counter()
    outcomes = app.menus.push_many(names, PROFILE, concurrency=workers, per_host=per_host,
                                   force=force)
    elapsed = time.perf_counter() - started
    return len(names) / elapsed, sum(1 for outcome in outcomes if not outcome.ok)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = Sandbox(args.dir or Path(scratch) / "sandbox")
        was_running = sandbox.is_running()
        sandbox.start()
        try:
            sandbox.reset()
            home = Path(scratch) / "home"
            app = Handoff(settings=Settings(data_dir=home,
                                            database_url=f"sqlite:///{home}/h.db"))
            app.sites.add(sandbox.connection_key(), sandbox.url, name="template")
            app.sites.sync("template")
            key = app.sites.key_for(app.sites.get("template"))
            url = f"{key.rest}handoff/v1/menu-profile"
            auth = (key.user, key.password)
            print("| sites | mode | Handoff sites/s | raw HTTP sites/s | ratio | failed |")
            print("|---|---|---|---|---|---|")
            for count in args.sites:
                names = make_records(app, "template", count)
                rate, failed = handoff_rate(app, names, args.concurrency, 1, force=True)
                raw = raw_rate(url, auth, count, 1, write=True)
                print(f"| {count} | apply, 1 per host | {rate:.1f} | {raw:.1f} | "
                      f"{rate / raw:.2f} | {failed} |")
                rate, failed = handoff_rate(app, names, args.concurrency, args.concurrency,
                                            force=False)
                raw = raw_rate(url, auth, count, args.concurrency, write=False)
                print(f"| {count} | re-push, {args.concurrency} at once | {rate:.1f} | "
                      f"{raw:.1f} | {rate / raw:.2f} | {failed} |")
                with app.store.session() as session:
                    for site in session.query(Site).filter(Site.name.in_(names)):
                        session.delete(site)
        finally:
            if not was_running:
                sandbox.stop()


if __name__ == "__main__":
    main()
