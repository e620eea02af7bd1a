"""The work background jobs do: each kind fans out over its sites with core.bulk.

A job function gets the backend, the job's parameters (JSON, as stored) and a Progress;
it works only on `progress.pending()` and records every site's outcome as it finishes,
so progress shows up while the job runs and a re-run never repeats a finished site. Only
the outcome's summary is kept: what a site sent (an inventory) goes to the store and is
let go, so memory does not grow with the number of sites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handoff.core.bulk import (
    DEFAULT_CONCURRENCY,
    DEFAULT_PER_HOST,
    MAX_CONCURRENCY,
    SITE_SECONDS,
    Outcome,
    for_each_site,
)
from handoff.core.jobs import Progress, job_kind
from handoff.errors import InvalidInputError

if TYPE_CHECKING:
    from handoff.app import Handoff

MAX_SITE_SECONDS = 3600


def _bounds(params: dict) -> dict:
    """The politeness bounds a job asked for, within sane limits."""
    def number(key: str, default: int, top: int) -> int:
        value = params.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
            raise InvalidInputError(f"'{key}' must be a whole number from 1 to {top}.",
                                    f"leave it out for {default}", code="job_params")
        return value
    return {"concurrency": number("concurrency", DEFAULT_CONCURRENCY, MAX_CONCURRENCY),
            "per_host": number("per_host", DEFAULT_PER_HOST, 16),
            "site_seconds": number("site_seconds", int(SITE_SECONDS), MAX_SITE_SECONDS)}


def _fan_out(handoff: Handoff, progress: Progress, params: dict, work, describe) -> None:
    """Run `work(name, site)` on every pending site; record `describe(value)` for each.

    The per-host bound is the runner's (shared by every worker of a queue); a worker
    that lost the job to another stops before its next site.
    """
    bounds = _bounds(params)
    pending = progress.pending()
    wanted = set(pending)
    stored = {site.name: site for site in handoff.sites.list() if site.name in wanted}

    def guarded(name, site):
        progress.check()
        return describe(work(name, site))  # the summary; the site's answer is let go

    with progress.writer() as writer:
        def record(outcome: Outcome) -> None:
            if outcome.ok:
                writer.put(outcome.site, True, *outcome.value)
            else:
                error = outcome.error
                writer.put(outcome.site, False, error.cause,
                           {"code": error.code, "fix": error.fix})

        for_each_site({name: stored.pop(name, None) for name in pending}, guarded,
                      on_done=record, limits=progress.limits, **bounds)


@job_kind("menu.push", "Push a menu profile to sites")
def push_menu(handoff: Handoff, params: dict, progress: Progress) -> None:
    profile, force = params.get("profile"), bool(params.get("force", False))
    if not isinstance(profile, dict):
        raise InvalidInputError("The job has no menu profile.", "submit it again",
                                code="job_params")

    def describe(result) -> tuple[str, dict]:
        message = (f"v{result.version} already applied" if result.unchanged
                   else f"applied as v{result.version}")
        if result.warnings:
            message += f" ({len(result.warnings)} warnings)"
        detail = {"version": result.version, "hash": result.hash,
                  "unchanged": result.unchanged, "warnings": result.warnings}
        if result.enforcement is not None:  # the open doors, compactly (`jobs show` notes)
            detail.update(enforcement=result.enforcement.audit_record(),
                          notes=result.enforcement.summary())
        return message, detail

    # The key is the job's and the site's: a push re-sent after a worker died mid-job is
    # answered by the site from its memory, not applied twice.
    _fan_out(handoff, progress, params,
             lambda name, site: handoff.menus.push(
                 name, profile, force=force, site=site,
                 idempotency_key=progress.write_key(name, "menu.push")),
             describe)


@job_kind("sites.sync", "Read the inventory of sites")
def sync_sites(handoff: Handoff, params: dict, progress: Progress) -> None:
    def describe(inventory: dict) -> tuple[str, dict]:
        counts = {"plugins": len(inventory["plugins"]),
                  "admin_menu_items": len(inventory["admin_menu"]["full"])}
        return (f"{counts['plugins']} plugins, {counts['admin_menu_items']} menu items",
                counts)

    _fan_out(handoff, progress, params, lambda name, site: handoff.sites.sync(name, site),
             describe)


@job_kind("handover.check", "Run the handover checklist on sites")
def check_handover(handoff: Handoff, params: dict, progress: Progress) -> None:
    def describe(report) -> tuple[str, dict]:
        return report.verdict, {"verdict": report.verdict, "counts": report.counts(),
                                "run_at": report.run_at}

    _fan_out(handoff, progress, params, lambda name, site: handoff.handovers.check(name),
             describe)
