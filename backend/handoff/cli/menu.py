"""`handoff menu …`: simplified admin menus, from a profile to what the client sees."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from handoff.app import Handoff
from handoff.cli import render, render_menu
from handoff.cli.bulk import (
    concurrency_option,
    in_process_option,
    item_error,
    per_host_option,
    report_job_end,
    run_job,
)
from handoff.core.menu_presets import preset, preset_names
from handoff.core.menu_profile import check, load_profile, parse_profile, problems
from handoff.core.menus import PushResult, SiteOutcome
from handoff.errors import InvalidInputError

pass_app = click.make_pass_decorator(Handoff)


def read_profile(source: str) -> dict:
    """A profile from a file, standard input ('-') or a shipped preset ('preset:NAME')."""
    if source == "-":
        return parse_profile(sys.stdin.buffer.read(), "standard input")
    if source.startswith("preset:"):
        return preset(source.removeprefix("preset:"))
    return load_profile(Path(source))


def _console() -> Console:
    return Console(highlight=False)


@click.group()
def menu() -> None:
    """Simplified admin menus: pull, edit, preview, push, roll back.

    A profile (JSON; see docs/menu-profiles.md) says which menu items the client's role
    sees, renamed or reordered, which are hidden, and which screens refuse to open.
    """


@menu.command("presets")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="List the presets as JSON.")
def presets(name: str | None, as_json: bool) -> None:
    """List shipped presets, or print one as a profile.

    With NAME, prints that preset as JSON to start a profile from.
    """
    console = _console()
    if name:
        sys.stdout.write(json.dumps(preset(name), indent=2, ensure_ascii=False) + "\n")
        return
    rows = [{"name": n, **{k: preset(n).get(k, "") for k in ("description", "targets")}}
            for n in preset_names()]
    if as_json:
        render.print_json(console, rows)
    else:
        console.print(render_menu.presets_table(rows))
        console.print("Start from one: handoff menu presets content-editor > profile.json")


@menu.command("pull")
@click.argument("site")
@click.option("--role", default="editor", show_default=True,
              help="Whose menu to start from.")
@click.option("--name", "profile_name", default="", help="The profile's name.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@pass_app
def pull(app: Handoff, site: str, role: str, profile_name: str, output: str | None) -> None:
    """Write a site's live menu as a profile.

    Syncs SITE first; every item the role can see is listed as visible, in the site's
    order, ready to edit.
    """
    text = json.dumps(app.menus.pull(site, role, profile_name), indent=2,
                      ensure_ascii=False) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        _console().print(f"Wrote {output}. Edit it, then: handoff menu diff {site} {output}")
    else:
        sys.stdout.write(text)


@menu.command("validate")
@click.argument("profile")
@click.option("--site", help="Also check it against this site (roles, users, lockout).")
@pass_app
def validate(app: Handoff, profile: str, site: str | None) -> None:
    """List every problem of a profile; exit 2 if there is any.

    PROFILE is a JSON file, '-' for standard input, or preset:NAME.
    """
    document = read_profile(profile)
    inventory = None
    if site:
        inventory = app.sites.latest_inventory(site) or app.sites.sync(site)
    found = problems(document, inventory)
    console = _console()
    if not found:
        where = f" for {site}" if site else ""
        console.print(f"[green]✓[/] {profile} is a valid menu profile{where}.")
        return
    console.print(render_menu.problems_lines(found))
    raise SystemExit(2)


@menu.command("preview")
@click.argument("site")
@click.argument("profile")
@click.option("--role", help="Preview for this role (default: editor).")
@click.option("--user", help="Preview for this user's roles and login.")
@click.option("--json", "as_json", is_flag=True, help="Print the menu as JSON.")
@pass_app
def preview_(app: Handoff, site: str, profile: str, role: str | None, user: str | None,
             as_json: bool) -> None:
    """Show the menu a role or user will see.

    The menu of SITE for the role (or user) with PROFILE applied, as a tree.

    PROFILE is a JSON file, '-' for standard input, or preset:NAME.
    """
    if role and user:
        raise InvalidInputError("Give --role or --user, not both.", "choose one",
                                code="role_and_user")
    document = read_profile(profile)
    check(document)
    items, applies = app.menus.preview(site, document, role=role, user=user)
    console = _console()
    if as_json:
        render.print_json(console, {"applies": applies, "menu": items})
        return
    who = f"user {user}" if user else f"role {role or 'editor'}"
    title = f"{site} — as {who} will see it" + ("" if applies else
                                                 " (the profile does not apply: unchanged)")
    console.print(render.menu_tree(items, title))


@menu.command("diff")
@click.argument("site")
@click.argument("profile")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@pass_app
def diff(app: Handoff, site: str, profile: str, as_json: bool) -> None:
    """Show what a push would change, role by role.

    Syncs SITE first, then lists for each role the items removed, added, renamed and
    moved, the screens that will refuse to open, and items the profile does not name;
    then the site's enforcement report: for every denied item and targeted role, which
    doors (screen, REST, admin-ajax, admin-post, XML-RPC) close, and why any stays open.

    PROFILE is a JSON file, '-' for standard input, or preset:NAME.
    """
    plan = app.menus.plan(site, read_profile(profile), fresh=True, enforcement=True)
    console = _console()
    if as_json:
        render.print_json(console, render_menu.plan_as_dict(plan))
    else:
        console.print(render_menu.plan_view(plan))


@menu.command("push")
@click.argument("sites", nargs=-1)
@click.argument("profile")
@click.option("--all", "every", is_flag=True, help="Every connected site.")
@click.option("--tag", help="Every site with this tag.")
@concurrency_option
@per_host_option
@click.option("--force", is_flag=True, help="Store it even where the site has it already.")
@click.option("--expect-version", type=click.IntRange(0), default=None,
              help="Refuse unless the site still has this version (one site only).")
@in_process_option
@pass_app
def push(app: Handoff, sites: tuple[str, ...], profile: str, every: bool, tag: str | None,
         concurrency: int, per_host: int, force: bool, expect_version: int | None,
         in_process: bool) -> None:
    """Apply PROFILE to SITES (or --all / --tag).

    PROFILE is a JSON file, '-' for standard input, or preset:NAME.

    Each site checks the profile again and refuses it whole if anything is wrong, and
    answers with its enforcement report (printed after a push to one site). With
    several sites, the push is a job (queued for `handoff worker` when HANDOFF_REDIS_URL
    is set): a progress bar, then a table of results; failed sites are listed with the
    command that retries just those. Exits 1 when any site failed.
    """
    document = read_profile(profile)
    check(document)
    chosen = app.sites.select(list(sites), tag, every)
    console = _console()
    if len(chosen) == 1 and not (every or tag):
        result = app.menus.push(chosen[0].name, document, expect_version=expect_version,
                                force=force)
        console.print(render_menu.push_line(result))
        return
    if expect_version is not None:
        raise InvalidInputError("--expect-version works with one site only.",
                                "push to one site, or leave it out", code="expect_version")
    view = run_job(app, "menu.push", {"profile": document, "force": force,
                                      "concurrency": concurrency, "per_host": per_host},
                   [s.name for s in chosen], verb="Pushing", in_process=in_process)
    outcomes = [_push_outcome(item) for item in view.items]
    if outcomes:
        notes = {item["target"]: str(item["detail"].get("notes", "")) for item in view.items}
        console.print(render_menu.outcomes_table(outcomes, notes))
    report_job_end(console, view)
    failed = [o.site for o in outcomes if not o.ok]
    if failed:
        console.print(f"[red]{len(failed)} of {len(outcomes)} failed.[/] Retry them: "
                      f"handoff menu push {' '.join(failed)} {profile}", soft_wrap=True)
        raise SystemExit(1)


def _push_outcome(item: dict) -> SiteOutcome:
    """A push job's item as the outcome the results table shows."""
    if not item["ok"]:
        return SiteOutcome(item["target"], error=item_error(item))
    detail = item["detail"]
    return SiteOutcome(item["target"], result=PushResult(
        item["target"], int(detail.get("version", 0)), str(detail.get("hash", "")),
        unchanged=bool(detail.get("unchanged")), warnings=list(detail.get("warnings", []))))


@menu.command("status")
@click.argument("site")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def status(app: Handoff, site: str, as_json: bool) -> None:
    """Show the applied profile, its history and drift.

    Drift: menu items on SITE that the profile does not name (a plugin added them since).
    Syncs the site first.
    """
    result = app.menus.status(site)
    console = _console()
    if as_json:
        render.print_json(console, render_menu.status_as_dict(result))
    else:
        console.print(render_menu.status_view(result))


@menu.command("rollback")
@click.argument("site")
@click.option("--to", "to_version", type=click.IntRange(1), default=None,
              help="The version to put back (default: the one before the current).")
@pass_app
def rollback(app: Handoff, site: str, to_version: int | None) -> None:
    """Put an earlier profile version back.

    The version is stored again as a new version, so the history keeps growing.
    """
    result = app.menus.rollback(site, to_version or 0)
    _console().print(f"{site}: rolled back; now version {result.version}.")


@menu.command("remove")
@click.argument("site")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def remove(app: Handoff, site: str, yes: bool) -> None:
    """Take the profile off a site.

    Everyone sees the full menu again; the profile stays in the history.
    """
    app.sites.get(site)
    if not yes:
        click.confirm(f"Remove the menu profile from {site}?", abort=True)
    result = app.menus.remove(site)
    _console().print(f"{site}: menu profile removed (version {result.version} kept in "
                     "history; `handoff menu rollback` brings it back).")


@menu.command("save")
@click.argument("profile")
@click.option("--as", "name", required=True, help="Its name in the library, e.g. client-editor.")
@click.option("--description", default=None, help="Default: the profile's own description.")
@click.option("--replace", is_flag=True, help="Replace a saved profile of that name.")
@pass_app
def save(app: Handoff, profile: str, name: str, description: str | None, replace: bool) -> None:
    """Keep a profile in the library, to reuse on many sites.

    PROFILE is a JSON file, '-' for standard input, or preset:NAME. It is checked like a
    push (every site checks it again against its own roles and users). The dashboard's
    Profiles page shows the library too.
    """
    saved, created = app.profiles.save(name, read_profile(profile), description,
                                       replace=replace)
    _console().print(f"{'Saved' if created else 'Replaced'} {saved.name!r} in the library "
                     f"({saved.hash[:12]}). Push it: handoff menu library {saved.name} | "
                     "handoff menu push --all -", soft_wrap=True)


@menu.command("library")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="List the library as JSON.")
@pass_app
def library(app: Handoff, name: str | None, as_json: bool) -> None:
    """List saved profiles, or print one.

    With NAME, prints that saved profile as JSON (pipe it to `handoff menu push`).
    """
    console = _console()
    if name:
        sys.stdout.write(json.dumps(app.profiles.get(name).profile, indent=2,
                                    ensure_ascii=False) + "\n")
        return
    saved = app.profiles.list()
    if as_json:
        render.print_json(console, [render_menu.library_row(entry) for entry in saved])
    elif not saved:
        console.print("The library is empty. Keep a profile: handoff menu save FILE --as NAME")
    else:
        console.print(render_menu.library_table(saved))


@menu.command("discard")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def discard(app: Handoff, name: str, yes: bool) -> None:
    """Delete a saved profile from the library.

    Sites that have it keep it; only the library's copy goes.
    """
    app.profiles.get(name)
    if not yes:
        click.confirm(f"Delete {name!r} from the library?", abort=True)
    app.profiles.delete(name)
    _console().print(f"Deleted {name!r} from the library.")
