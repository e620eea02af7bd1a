"""Errors that reach a user: each says what went wrong and how to fix it."""

from __future__ import annotations


class HandoffError(Exception):
    """A failure the user can act on: a one-line cause and a one-line fix."""

    exit_code = 1

    def __init__(self, cause: str, fix: str = "", *, code: str = "error") -> None:
        super().__init__(cause)
        self.cause = cause
        self.fix = fix
        self.code = code

    def __str__(self) -> str:
        return f"{self.cause} — {self.fix}" if self.fix else self.cause


class NotFoundError(HandoffError):
    """Something named by the user does not exist in the store."""

    exit_code = 3


class InvalidInputError(HandoffError):
    """The user's input is malformed; nothing was sent anywhere."""

    exit_code = 2
