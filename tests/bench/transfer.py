"""`handoff export` / `handoff import` of a fleet-sized store, SQLite to SQLite.

    python -m tests.bench.transfer [--sites N] [--snapshots N] [--events N]

The store: N sites, each with its inventory snapshots (40 plugins and a 30-item admin
menu, about 10 KB each), and N audit events. Timed: export (reading the store and
writing the JSON text), the checks of an import, and the import's one transaction.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handoff.app import Handoff
from handoff.config import Settings
from handoff.core.transfer import parse_export
from handoff.storage import InventorySnapshot, Site

INVENTORY = {
    "plugins": [{"name": f"Plugin {i}", "version": "1.2.3", "file": f"p{i}/p{i}.php",
                 "active": True} for i in range(40)],
    "admin_menu": {"full": [{"slug": f"page-{i}", "title": f"Page {i}",
                             "children": [{"slug": f"sub-{j}", "title": "Sub"}
                                          for j in range(5)]} for i in range(30)]}}


def store(root: Path, name: str) -> Handoff:
    return Handoff(settings=Settings(data_dir=root / name,
                                     database_url=f"sqlite:///{root / name}.db"))


def fill(app: Handoff, sites: int, snapshots: int, events: int) -> None:
    now = datetime.now(UTC)
    with app.store.session() as session:
        for number in range(sites):
            site = Site(name=f"site{number}", url=f"https://site{number}.example",
                        rest_url="r", xmlrpc_url="x", username="bridge", secret="s",
                        created_at=now)
            session.add(site)
            session.flush()
            for minute in range(snapshots):
                data = json.dumps({**INVENTORY, "n": minute}, sort_keys=True)
                session.add(InventorySnapshot(site_id=site.id, data=data,
                                              taken_at=now + timedelta(minutes=minute),
                                              sha256=hashlib.sha256(data.encode()).hexdigest()))
    for number in range(events):
        app.audit.record("menu.push", f"site{number % sites}", f"Pushed {number}.",
                         version=number)


def timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        source, target = store(root, "source"), store(root, "target")
        fill(source, args.sites, args.snapshots, args.events)
        text, export_s = timed(lambda: json.dumps(source.transfer.export(), ensure_ascii=False))
        target.store  # noqa: B018 - create the empty schema outside the timing
        document, check_s = timed(lambda: parse_export(text.encode()))
        _, import_s = timed(lambda: target.transfer.import_(document))
    print(f"{args.sites} sites x {args.snapshots} snapshots, {args.events} events: "
          f"export {export_s:.2f} s ({len(text) / 1e6:.1f} MB), checks {check_s:.2f} s, "
          f"import {import_s:.2f} s")


if __name__ == "__main__":
    main()
