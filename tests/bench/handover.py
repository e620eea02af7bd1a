"""`handover check` wall time against the sandbox, median of 10.

    python -m tests.bench.handover [--runs N]

One check is: the plugin's health answer (Site Health direct tests included), a fresh
inventory sync (with the admin menu read inside wp-admin), the menu profile, and the
backend's own HTTP probes (robots.txt, sitemap, 404).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tests.bench.handbook import INTAKE
from tests.bench.sandbox_site import connected_sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    args = parser.parse_args()
    with connected_sandbox(args.dir) as (_, app):
        app.intakes.save("bench", INTAKE)
        app.handovers.check("bench")
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            app.handovers.check("bench")
            samples.append(time.perf_counter() - started)
    print(f"handover check, median of {args.runs}: {statistics.median(samples) * 1000:.0f} ms "
          f"(min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})")


if __name__ == "__main__":
    main()
