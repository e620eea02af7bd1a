"""Generate docs/cli.md from the commands' own help, so the reference cannot rot."""

from __future__ import annotations

import click

HEADER = """# Command reference

Generated from `handoff --help` by `python -m handoff.cli.docs > docs/cli.md`;
a test fails when this file and the commands disagree.
"""


def _walk(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], [*path, name])


def _help_text(command: click.Command, path: list[str]) -> str:
    parent = None
    for name in path[:-1]:
        parent = click.Context(click.Command(name), info_name=name, parent=parent)
    ctx = click.Context(command, info_name=path[-1], parent=parent, terminal_width=100,
                        max_content_width=100)
    return command.get_help(ctx)


def reference(root: click.Command) -> str:
    """Return the Markdown reference of every command under `root`."""
    sections = [HEADER]
    for path, command in _walk(root, ["handoff"]):
        level = "#" * min(len(path) + 1, 4)
        sections.append(f"{level} `{' '.join(path)}`\n\n```\n{_help_text(command, path)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":  # pragma: no cover
    from handoff.cli import main

    print(reference(main), end="")
