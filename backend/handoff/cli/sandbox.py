"""`handoff sandbox`: the throwaway local WordPress of the demo, the tests and the benchmarks."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from handoff.sandbox import Sandbox, SandboxError
from handoff.sandbox.debian_wordpress import fetch_missing
from handoff.sandbox.paths import repo_root
from handoff.sandbox.releases import cache_root
from handoff.sandbox.sandbox import SERVERS

dir_option = click.option(
    "--dir", "directory", type=click.Path(file_okay=False), default=None,
    help="Where the sandbox lives (default: $HANDOFF_SANDBOX_DIR, else var/sandbox in the "
         "working tree).")


def default_sandbox_dir(directory: str | None = None) -> Path:
    """Return `directory` if given, else $HANDOFF_SANDBOX_DIR, else var/sandbox in the tree."""
    chosen = directory or os.environ.get("HANDOFF_SANDBOX_DIR")
    return Path(chosen) if chosen else repo_root() / "var" / "sandbox"


@contextmanager
def sandbox_errors() -> Iterator[None]:
    """Turn a SandboxError into a ClickException carrying its message."""
    try:
        yield
    except SandboxError as error:
        raise click.ClickException(str(error)) from error


@click.group()
def sandbox() -> None:
    """A throwaway local WordPress: private MariaDB, PHP's server or Apache, on 127.0.0.1.

    Built from Debian's packages (wordpress 6.1 and 6.8, php, mariadb-server, apache2);
    only `fetch` (run by `make setup`) downloads anything. Developer login `admin`, client
    login `client` (an editor); see docs/sandbox.md.
    """


@sandbox.command()
@dir_option
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Loopback port to serve on (default: the previous one if free, else any "
                   "free port).")
@click.option("--wordpress", "wordpress", metavar="6.1|6.8|PATH", default=None,
              help="The WordPress the first start installs: a Debian release or the folder "
                   "of one (default: the newest available; later starts keep what is "
                   "installed).")
@click.option("--locale", metavar="LOCALE", default=None,
              help="The site's language at install, from Debian's wordpress-l10n, e.g. vi or "
                   "zh_CN (default: English).")
@click.option("--server", type=click.Choice(SERVERS), default=None,
              help="The web server: PHP's built-in server (php, the default) or Apache with "
                   "PHP-FPM (apache).")
def start(directory: str | None, port: int | None, wordpress: str | None, locale: str | None,
          server: str | None) -> None:
    """Start the sandbox (installing it on first use) and print its URL and logins.

    Does nothing but print when it is already running.
    """
    console = Console(highlight=False)
    box = Sandbox(default_sandbox_dir(directory), port=port, wordpress=wordpress,
                  locale=locale, server=server)
    was_running = box.is_running()
    if not box.is_installed():
        console.print(f"Installing WordPress in {box.directory} (first start)…")
    began = time.monotonic()
    with sandbox_errors():
        box.start()
    if was_running:
        console.print("Already running.")
    for warning in box.warnings:
        console.print(f"[yellow]Warning:[/] {warning}", soft_wrap=True)
    console.print(summary(box))
    console.print(f"Ready in {time.monotonic() - began:.1f} s. "
                  "Stop it with: handoff sandbox stop")


def summary(box: Sandbox) -> Table:
    """Return the table `start` prints: addresses and logins."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Site", box.url + "/")
    table.add_row("WordPress", describe(box))
    table.add_row("wp-admin", box.url + "/wp-admin/")
    table.add_row("Developer", f"{box.admin_login} / {box.admin_password}")
    table.add_row("Client (editor)", f"{box.client_login} / {box.client_password}")
    table.add_row("Directory", str(box.directory))
    return table


def describe(box: Sandbox) -> str:
    """Return "6.8.12, vi, on apache": the installed version, locale and the serving server."""
    facts = [box.wordpress_version or "unknown version", box.locale]
    return ", ".join(facts) + (f", on {box.server}" if box.server else "")


@sandbox.command()
@dir_option
def status(directory: str | None) -> None:
    """Say whether the sandbox is installed and running, where, and which WordPress."""
    box = Sandbox(default_sandbox_dir(directory))
    if not box.is_installed():
        click.echo(f"Not installed in {box.directory}. Start it with: handoff sandbox start")
    elif box.is_running():
        click.echo(f"Running at {box.url}/ (wp-admin: {box.url}/wp-admin/), WordPress "
                   f"{describe(box)}, directory {box.directory}")
    else:
        click.echo(f"Stopped (WordPress {describe(box)}, installed in {box.directory}). "
                   "Start it with: handoff sandbox start")


@sandbox.command()
def fetch() -> None:
    """Download and unpack the WordPress release Debian's installed package lacks (once).

    Run by `make setup`: by package name, from the Debian mirror the machine uses, through
    a private apt state in var/apt/, into var/wordpress/BRANCH/. Does nothing when that is
    done already; the only sandbox command that downloads.
    """
    repo = repo_root()
    with sandbox_errors():
        fetched = fetch_missing(cache_root(), repo / "var" / "apt")
    for result in fetched:
        done = "unpacked" if result.downloaded else "already"
        click.echo(f"WordPress {result.version} (Debian {result.release.suite}): {done} in "
                   f"{cache_root() / result.release.branch}")
    if not fetched:
        click.echo("Nothing to fetch: the installed wordpress package is every release "
                   "the sandbox knows.")


@sandbox.command()
@dir_option
def reset(directory: str | None) -> None:
    """Put the site back to its freshly installed state (starting it if needed).

    Restores the database snapshot taken after the install and removes must-use plugins
    and uploads; the servers keep running.
    """
    box = Sandbox(default_sandbox_dir(directory))
    began = time.monotonic()
    with sandbox_errors():
        box.reset()
    click.echo(f"Reset {box.url}/ to the freshly installed state in "
               f"{time.monotonic() - began:.1f} s.")


@sandbox.command()
@dir_option
def stop(directory: str | None) -> None:
    """Stop the web server and MariaDB; nothing of the sandbox is left running."""
    box = Sandbox(default_sandbox_dir(directory))
    was_running = box.is_running()
    with sandbox_errors():
        box.stop()
    click.echo("Stopped." if was_running else "Not running.")


@sandbox.command()
@dir_option
def key(directory: str | None) -> None:
    """Print a fresh connection key for the sandbox (rotates the bridge user's password).

    The same key the plugin's Settings → Handoff → Connect shows; pass it to
    `handoff site add`.
    """
    box = Sandbox(default_sandbox_dir(directory))
    with sandbox_errors():
        if not box.is_running():
            raise SandboxError(f"the sandbox in {box.directory} is not running",
                               "run `handoff sandbox start` first")
        click.echo(box.connection_key())
