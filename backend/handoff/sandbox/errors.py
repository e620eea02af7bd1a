"""The one error the sandbox raises."""

from __future__ import annotations

from handoff.errors import HandoffError


class SandboxError(HandoffError):
    """The sandbox could not do what was asked; says what failed and how to fix it.

    A HandoffError, so the main CLI prints it as an `Error:` + `Fix:` pair (e.g. in `demo`).
    """

    def __init__(self, cause: str, fix: str = "") -> None:
        super().__init__(cause, fix, code="sandbox")

    def __str__(self) -> str:
        return f"{self.cause}: {self.fix}" if self.fix else self.cause
