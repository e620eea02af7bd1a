"""`handoff worker`: work on queued bulk jobs (RQ on HANDOFF_REDIS_URL)."""

from __future__ import annotations

import click
from rich.console import Console

from handoff.app import Handoff

pass_app = click.make_pass_decorator(Handoff)


@click.command()
@click.option("--queue", "queues", multiple=True, metavar="NAME",
              help="Queue to work on (repeatable; default: HANDOFF_QUEUE, else 'handoff').")
@click.option("--burst", is_flag=True, help="Work until the queues are empty, then exit.")
@click.option("--name", help="The worker's name in Redis (default: a random one).")
@pass_app
def worker(app: Handoff, queues: tuple[str, ...], burst: bool, name: str | None) -> None:
    """Work on queued bulk jobs until stopped (Ctrl-C or SIGTERM finish the current part).

    Needs HANDOFF_REDIS_URL, and the same store (HANDOFF_DATABASE_URL) and secret key as
    the commands and the dashboard that queue the jobs. Start as many as the machines
    allow; see docs/workers.md.
    """
    from handoff.core.workers import describe_url, serve  # RQ only when working

    chosen = list(queues) or [app.settings.queue]

    def announce() -> None:
        Console(stderr=True, highlight=False).print(
            f"Handoff worker on {', '.join(chosen)} at "
            f"{describe_url(app.settings.redis_url or '')}"
            f"{' until the queues are empty' if burst else ''}.", soft_wrap=True)

    serve(app, chosen, burst=burst, name=name, ready=announce)
