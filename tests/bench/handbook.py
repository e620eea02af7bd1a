"""Handbook build time for a site with 40 plugins: HTML and PDF, medians.

    python -m tests.bench.handbook [--runs N]

The inventory is the sandbox's, with its plugin list grown to 40 active plugins (the 15
that have snippets, and others without), so every snippet chapter is rendered.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from handoff.handbook.build import BuildInput, build_handbook
from tests.bench.sandbox_site import connected_sandbox

SNIPPETS = ["woocommerce", "wordpress-seo", "seo-by-rank-math", "contact-form-7",
            "wpforms-lite", "elementor", "advanced-custom-fields", "updraftplus", "jetpack",
            "wordfence", "wp-super-cache", "akismet", "classic-editor", "gravityforms",
            "redirection"]
INTAKE = {"language": "en", "handover_date": "2026-12-01",
          "client": {"name": "Client Co", "login": "client", "email": "jane@client.example"},
          "developer": {"name": "Agency", "contact": "Sam", "email": "help@agency.example",
                        "phone": "+1 555 0100", "website": "https://agency.example"},
          "support": {"hours": "Mon–Fri 9–17", "response_time": "one working day",
                      "channel": "e-mail"},
          "responsibilities": {"client": ["Content"], "developer": ["Updates", "Backups"]},
          "changes": {"out_of_scope": "Quoted per request", "hourly_rate": "€80"},
          "backups": {"frequency": "daily", "retention": "30 days", "where": "off-site"},
          "updates": {"policy": "Weekly"}}


def with_forty_plugins(inventory: dict) -> dict:
    plugins = [{"file": f"{folder}/{folder}.php", "name": folder.replace("-", " ").title(),
                "version": "1.0", "author": "", "plugin_uri": "", "active": True,
                "must_use": False, "dropin": False, "update_available": ""}
               for folder in SNIPPETS]
    plugins += [{**plugins[0], "file": f"extra-{n}/extra-{n}.php", "name": f"Extra {n}"}
                for n in range(40 - len(plugins))]
    return {**inventory, "plugins": plugins}


def median_ms(call, runs: int) -> float:
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    args = parser.parse_args()
    with connected_sandbox(args.dir) as (_, app):
        inventory = with_forty_plugins(app.sites.sync("bench"))
    print("| language | HTML build ms | PDF build ms | chapters |")
    print("|---|---|---|---|")
    for language in ("en", "vi", "zh"):
        given = BuildInput(inventory, {**INTAKE, "language": language}, language,
                           client_login="client")
        book = build_handbook(given)
        html = median_ms(lambda g=given: build_handbook(g).html_document(), args.runs)
        pdf = median_ms(lambda g=given: build_handbook(g).pdf(), max(3, args.runs // 3))
        print(f"| {language} | {html:.1f} | {pdf:.0f} | {len(book.chapters)} |")


if __name__ == "__main__":
    main()
