"""Errors that reach the user as one line, never as a traceback."""
from __future__ import annotations

from dataclasses import dataclass


class DvcqError(Exception):
    """A problem the user can fix: bad argument, unknown plan, unreadable file."""


@dataclass(frozen=True)
class Problem:
    """One finding about a plan file, located like yamllint/ruff: file:line:col."""

    file: str
    line: int
    col: int
    level: str  # "error" | "warning"
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level}: {self.message} [{self.code}]"


class PlanError(DvcqError):
    """A plan file that cannot be used; carries every error found, the first one is the message."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid plan")
