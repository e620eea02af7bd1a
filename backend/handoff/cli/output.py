"""Writing a command's result to a file or to standard output ('-')."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from handoff.errors import HandoffError


def to_stdout(output: str | None) -> bool:
    return output in (None, "-")


def write_output(output: str | None, text: str, *, private: bool = False) -> None:
    """Write text to the file named `output`, or to standard output for None or '-'.

    A `private` file is readable by its owner only (client details, even without secrets).
    """
    if to_stdout(output):
        sys.stdout.write(text)
        return
    try:
        if private:
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise HandoffError(f"Cannot write {output}: {error.strerror or error}.",
                           "choose a file in a directory that exists and is writable",
                           code="output") from None
