"""Bulk jobs against a fake fleet of distinct servers at internet latency.

    python -m tests.bench.fleet --sites 1000 --latency-ms 200 [--jobs push,sync,check]
        [--concurrency N] [--workers N] [--faults timeout=0.05,error500=0.05,throttle=0.05]
        [--repeat 3]

Starts tests/fleet/server.py (one process answering the plugin's real routes on N
loopback addresses, each a "server" of its own), registers N sites through the library
(`Sites.add`, which diagnoses each site as `handoff site add` does), then runs each bulk
command as a user would — `handoff menu push --all`, `handoff site sync --all`, `handoff
handover check --all` — in a process of its own, in process or with `--workers` queued
workers on a private Redis. Prints, per run: wall time, sites per second, the physical
limit for the concurrency used (concurrency / (requests per site × latency)), peak RSS of
the command (and of the busiest worker), and CPU seconds per site of the backend.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from handoff.app import Handoff
from handoff.config import load_settings
from handoff.core.bulk import DEFAULT_CONCURRENCY
from tests.fleet.harness import running_fleet, store_sites
from tests.redis_server import RedisServer

COMMANDS = {
    "push": ["menu", "push", "--all", "preset:content-editor", "--force"],
    "sync": ["site", "sync", "--all"],
    "check": ["handover", "check", "--all"],
}


def register(app: Handoff, fleet, count: int, threads: int = 32) -> list[float]:
    """Add every fleet site through the library; the seconds each `add` took, in order."""
    def add(index: int) -> float:
        started = time.perf_counter()
        app.sites.add(fleet.key(index), name=f"site{index:05d}")
        return time.perf_counter() - started
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(add, range(count)))


def run_command(args: list[str], env: dict, workers: list[subprocess.Popen]) -> dict:
    """Run one `handoff` command to its end; wall, CPU and peak RSS of it and its workers."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "handoff", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    worker_cpu, worker_rss = 0.0, 0
    for worker in workers:  # the workers' share, read from /proc while they still run
        cpu, rss = _proc_usage(worker.pid)
        worker_cpu += cpu
        worker_rss = max(worker_rss, rss)
    return {"wall": wall, "exit": process.returncode,
            "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "worker_cpu": worker_cpu, "worker_rss_mb": worker_rss / 1024}


def _proc_usage(pid: int) -> tuple[float, int]:
    """CPU seconds so far and peak RSS (KiB) of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    peak = next((int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text()
                 .splitlines() if line.startswith("VmHWM:")), 0)
    return cpu, peak


def start_workers(count: int, env: dict) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-m", "handoff", "worker"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    parser.add_argument("--jobs", default="push,sync,check")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="passed as --concurrency; default: the command's own default")
    parser.add_argument("--workers", type=int, default=0, help="queued workers on Redis")
    parser.add_argument("--faults", default="")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--store-sites", action="store_true",
                        help="store the sites directly instead of `Sites.add` (no per-site "
                             "diagnosis: quicker for 10,000 sites; the add time is not measured)")
    args = parser.parse_args(argv)
    faults = {name: float(share) for name, _, share in
              (item.partition("=") for item in args.faults.split(",") if item)}

    with tempfile.TemporaryDirectory(prefix="handoff-fleet-") as home, \
            running_fleet(args.sites, latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
                          faults=faults) as fleet:
        env = {**os.environ, "HANDOFF_HOME": home}
        env.pop("HANDOFF_REDIS_URL", None)
        app = Handoff(load_settings(env))
        # Faulty sites could not be added, as in life: they turn faulty once all are in.
        if args.store_sites:
            store_sites(app, fleet)
            print(f"stored {args.sites} sites", flush=True)
        else:
            added = register(app, fleet, args.sites)
            print(f"registered {args.sites} sites: add median "
                  f"{statistics.median(added) * 1000:.0f} ms (first 10: "
                  f"{statistics.median(added[:10]) * 1000:.0f} ms, last 10: "
                  f"{statistics.median(added[-10:]) * 1000:.0f} ms)", flush=True)
        fleet.control("arm")
        app.store.engine.dispose()
        redis = RedisServer().start() if args.workers else None
        workers: list[subprocess.Popen] = []
        try:
            if redis:
                env["HANDOFF_REDIS_URL"] = redis.url
                workers = start_workers(args.workers, env)
            for job in args.jobs.split(","):
                command = list(COMMANDS[job])
                if args.concurrency:
                    command += ["--concurrency", str(args.concurrency)]
                before = fleet.control("stats")["requests"]
                runs = [run_command(command, env, workers) for _ in range(args.repeat)]
                per_site = (fleet.control("stats")["requests"] - before) / args.repeat / \
                    args.sites
                report(job, runs, args, per_site)
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait()
            if redis:
                redis.stop()


def report(job: str, runs: list[dict], args, per_site: float) -> None:
    wall = statistics.median(run["wall"] for run in runs)
    cpu = statistics.median(run["cpu"] + run["worker_cpu"] for run in runs)
    concurrency = args.concurrency or DEFAULT_CONCURRENCY
    if args.workers:
        concurrency *= args.workers
    limit = concurrency / (max(per_site, 1.0) * args.latency_ms / 1000)
    print(f"{job:5s} {args.sites} sites @ {args.latency_ms:.0f} ms, concurrency "
          f"{args.concurrency or 'default'}, workers {args.workers}, faults "
          f"{args.faults or 'none'}: {per_site:.1f} requests/site, {wall:.1f} s "
          f"({args.sites / wall:.1f} sites/s; "
          f"limit {limit:.1f}/s), CPU {cpu / args.sites * 1000:.1f} ms/site, RSS "
          f"{max(run['rss_mb'] for run in runs):.0f} MB"
          + (f" (worker {max(run['worker_rss_mb'] for run in runs):.0f} MB)"
             if args.workers else "")
          + f", exit {runs[-1]['exit']}; load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
