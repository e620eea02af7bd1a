"""Bulk menu push through queued workers vs in-process, against the sandbox.

    python -m tests.bench.workers [--sites 1000] [--workers 1 2 4] [--runs 3]

Starts its own Redis (tests/redis_server.py) and the sandbox (left running if it already
was), connects the sandbox as "bench" and writes `--sites` site records that all point at
it (as tests.bench.bulk_push does). The profile is pushed once first, so every timed push
is the fleet re-push: one read of the site's version and hash per record, nothing written
(writes to one WordPress cannot run side by side: they would conflict on its version).

Each measurement is one `menu.push` job over every record, from submit to the last
outcome in the store: in-process (threads of this process), then with 1, 2 and 4
`handoff worker` processes already running. `--concurrency` sites at once per process,
`--per-host` (default 16) across all of them. Prints the median sites/second of `--runs`
and the scaling ratio against one worker, and — as the ceiling the sandbox allows — the
same reads sent by a bare pool of `--concurrency` threads with requests, and with 4 times
as many.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from handoff.app import Handoff
from handoff.config import Settings
from handoff.core.menu_presets import preset
from handoff.sandbox import Sandbox
from tests.bench.bulk_push import make_records, raw_rate
from tests.redis_server import RedisServer

PROFILE = preset("content-editor")
LEASE = 30


def timed_push(jobs, names: list[str], concurrency: int, per_host: int) -> float:
    """Sites per second of one push job over `names`, submit to finish."""
    started = time.perf_counter()
    job_id = jobs.submit("menu.push", {"profile": PROFILE, "concurrency": concurrency,
                                       "per_host": per_host}, targets=names, title="Bench")
    view = jobs.wait(job_id, timeout=1800, interval=0.05)
    elapsed = time.perf_counter() - started
    if view.status != "done" or view.failed:
        failures = [item["message"] for item in view.items if not item["ok"]][:3]
        raise SystemExit(f"bench job ended {view.status} with {view.failed} failures: "
                         f"{view.error or failures}")
    return len(names) / elapsed


def start_workers(count: int, env: dict, log_dir: Path) -> list[subprocess.Popen]:
    workers = []
    for number in range(count):
        log = (log_dir / f"worker-{count}-{number}.log").open("w")
        workers.append(subprocess.Popen([sys.executable, "-m", "handoff", "worker"], env=env,
                                        stdout=log, stderr=subprocess.STDOUT))
    time.sleep(2.0)  # imported and listening before the clock starts
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=16)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    args = parser.parse_args()
    redis_server = RedisServer().start()
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = Sandbox(args.dir or Path(scratch) / "sandbox")
        was_running = sandbox.is_running()
        sandbox.start()
        try:
            sandbox.reset()
            home = Path(scratch) / "home"
            settings = Settings(data_dir=home, database_url=f"sqlite:///{home}/h.db",
                                redis_url=redis_server.url, job_lease_seconds=LEASE)
            app = Handoff(settings=settings)
            app.sites.add(sandbox.connection_key(), sandbox.url, name="bench")
            app.sites.sync("bench")
            names = make_records(app, "bench", args.sites)
            here = Handoff(settings=replace(settings, jobs_in_process=True)).jobs
            app.menus.push("bench", PROFILE)  # the profile goes on the WordPress once,
            timed_push(here, names, args.concurrency, args.per_host)  # and on every record
            env = {**os.environ, "HANDOFF_HOME": str(home),
                   "HANDOFF_DATABASE_URL": settings.database_url,
                   "HANDOFF_REDIS_URL": redis_server.url,
                   "HANDOFF_JOB_LEASE_SECONDS": str(LEASE)}
            env.pop("HANDOFF_JOBS_IN_PROCESS", None)
            key = app.sites.key_for(app.sites.get("bench"))
            url, auth = f"{key.rest}handoff/v1/menu-profile", (key.user, key.password)
            rates = {f"raw HTTP reads, {threads} threads": [
                raw_rate(url, auth, len(names), threads, write=False) for _ in range(args.runs)]
                for threads in (args.concurrency, 4 * args.concurrency)}
            rates["in-process"] = [timed_push(here, names, args.concurrency, args.per_host)
                                   for _ in range(args.runs)]
            for count in args.workers:
                workers = start_workers(count, env, Path(scratch))
                try:
                    rates[f"{count} worker{'s' if count > 1 else ''}"] = [
                        timed_push(app.jobs, names, args.concurrency, args.per_host)
                        for _ in range(args.runs)]
                finally:
                    stop_workers(workers)
        finally:
            if not was_running:
                sandbox.stop()
            redis_server.stop()
    report(rates, args)


def report(rates: dict[str, list[float]], args: argparse.Namespace) -> None:
    medians = {mode: statistics.median(values) for mode, values in rates.items()}
    one = next((rate for mode, rate in medians.items() if mode == "1 worker"), None)
    print(f"{args.sites} site records, re-push, {args.concurrency} at once per process, "
          f"{args.per_host} per host; median of {args.runs}")
    print("| runner | sites/s (median) | runs | vs 1 worker |")
    print("|---|---|---|---|")
    for mode, median in medians.items():
        ratio = f"{median / one:.2f}" if one else "—"
        runs = ", ".join(f"{rate:.0f}" for rate in rates[mode])
        print(f"| {mode} | {median:.1f} | {runs} | {ratio} |")


if __name__ == "__main__":
    main()
