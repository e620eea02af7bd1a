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


def _help_text(root: click.Command, path: list[str]) -> str:
    """The command's help as `handoff … --help` prints it: the real chain of contexts,
    each with its command's settings (so `-h` is listed wherever the CLI accepts it,
    whatever ran before in this process)."""
    ctx, command = None, root
    for depth, name in enumerate(path):
        if depth:
            command = command.commands[name]
        ctx = click.Context(command, info_name=name, parent=ctx, terminal_width=100,
                            max_content_width=100, **command.context_settings)
    return command.get_help(ctx)


def reference(root: click.Command) -> str:
    """Return the Markdown reference of every command under `root`."""
    sections = [HEADER]
    for path, _command in _walk(root, ["handoff"]):
        level = "#" * min(len(path) + 1, 4)
        sections.append(f"{level} `{' '.join(path)}`\n\n```\n{_help_text(root, path)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":  # pragma: no cover
    from handoff.cli import main

    print(reference(main), end="")
