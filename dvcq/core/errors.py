"""Errors that reach the user as one line, never as a traceback.

There is one channel for what is wrong with a file a user wrote (a plan, a units file, a notices
file): a `Problem`, located at its node. `PlanError` carries the problems of a file that cannot be
used; its message is the first problem, formatted the one way dvcq formats problems.
"""
from __future__ import annotations

from dataclasses import dataclass


class DvcqError(Exception):
    """A problem the user can fix: bad argument, unknown plan, unreadable file."""


@dataclass(frozen=True)
class Problem:
    """One finding about a file, located like yamllint/ruff: file:line:col."""

    file: str
    line: int
    col: int
    level: str  # "error" | "warning"
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level}: {self.message} [{self.code}]"

    def record(self) -> dict:
        """The machine-readable form (`dvcq check --format json`)."""
        return {"file": self.file, "line": self.line, "col": self.col, "level": self.level, "code": self.code,
                "message": self.message}


class PlanError(DvcqError):
    """A file that cannot be used; carries every error found, the first one is the message."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid plan")

    @classmethod
    def at(cls, file: str, line: int, col: int, code: str, message: str) -> "PlanError":
        return cls([Problem(file, line, col, "error", code, message)])
