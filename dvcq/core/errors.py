"""Errors that reach the user as one line, never as a traceback.

There is one channel for what is wrong with a file a user wrote (a plan, a units file, a notices
file): a `Problem`, located at its node. `PlanError` carries the problems of a file that cannot be
used; its message is the first problem, formatted the one way dvcq formats problems.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class DvcqError(Exception):
    """A problem the user can fix: bad argument, unknown plan, unreadable file.

    Raised with a message id and its values (`DvcqError(msg="error.year", value="x")`), it is said in
    the run's language where it reaches the user (`says(lang)`: the command line knows the language,
    the code that raised it need not); `str()` is the English. Raised with a text, that text."""

    def __init__(self, text: str = "", /, *, msg: str | None = None, **values):
        self.msg_id, self.values = msg, values
        super().__init__(text if msg is None else _say("en", msg, values))

    def says(self, lang: str) -> str:
        if self.msg_id is None:  # a text; a Said one (from code that did not know the language) said again
            text = self.args[0] if self.args else ""
            return text.in_lang(lang) if hasattr(text, "in_lang") else str(self)
        return _say(lang, self.msg_id, self.values)


def _say(lang: str, msg_id: str, values: dict) -> str:
    from dvcq.core.messages import say_all

    return say_all(lang, msg_id, values)


@dataclass(frozen=True)
class Problem:
    """One finding about a file, located like yamllint/ruff: file:line:col."""

    file: str
    line: int
    col: int
    level: str  # "error" | "warning"
    code: str
    message: str  # English; with `msg_id`, the same said in any language (`text`)
    msg_id: str | None = field(default=None, compare=False)
    values: dict | None = field(default=None, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level}: {self.message} [{self.code}]"

    def said(self, lang: str) -> str:
        """The message in `lang` (the English one where it has no id)."""
        return self.message if self.msg_id is None else _say(lang, self.msg_id, self.values or {})

    def as_said(self) -> str:
        """The message to put inside another (a Said where it has an id, so it is said in the run's language)."""
        if self.msg_id is None:
            return self.message
        from dvcq.core.messages import Said

        return Said(self.msg_id, **(self.values or {}))

    def text(self, lang: str) -> str:
        """The one line, in `lang`: file:line:col: level: message [code]."""
        level = _say(lang, f"level.{self.level}", {}) if self.level in ("error", "warning") else self.level
        return f"{self.file}:{self.line}:{self.col}: {level}: {self.said(lang)} [{self.code}]"

    @classmethod
    def of(cls, file: str, line: int, col: int, level: str, code: str, msg_id: str, **values) -> "Problem":
        """A problem said by message id (English in `message`, every language through `text`)."""
        return cls(file, line, col, level, code, _say("en", msg_id, values), msg_id, values)

    def record(self) -> dict:
        """The machine-readable form (`dvcq check --format json`)."""
        return {"file": self.file, "line": self.line, "col": self.col, "level": self.level, "code": self.code,
                "message": self.message}


class PlanError(DvcqError):
    """A file that cannot be used; carries every error found, the first one is the message."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid plan")

    def says(self, lang: str) -> str:
        return self.problems[0].text(lang) if self.problems else str(self)

    @classmethod
    def at(cls, file: str, line: int, col: int, code: str, message: str) -> "PlanError":
        """One error; `message` may be said by id (a core.messages.Said), then in any language."""
        said = (message.msg_id, message.values) if hasattr(message, "msg_id") else (None, None)
        return cls([Problem(file, line, col, "error", code, str(message), *said)])
