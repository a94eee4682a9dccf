"""Report kinds: the labels a sentence names reports by ("báo cáo quý I và quý III", "báo cáo 6 tháng đầu
năm", "Báo cáo quý, 6 tháng, năm"), their frequency and periods, and the statement a sentence's reading
gives (a report, another deadline, a merge, or a sentence left for review and why)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvcq.documents.draft.lines import _Block, _Folded, _fold1

_ROMANS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_LABEL = _Folded(
    r"\bbáo\s+cáo\s+(?:(?:định\s+kỳ|kết\s+quả|sơ\s+kết|tổng\s+kết)\s+)?(?:(?:hằng|hàng)\s+)?(?P<label>"
    r"(?:6|sáu)(?:\s*\(sáu\))?\s+tháng(?:\s+\(?(?:đầu|cuối)\s+năm\)?)?(?:\s+\d{4})?"
    r"|(?:9|chín)(?:\s*\(chín\))?\s+tháng(?:\s+\(?đầu\s+năm\)?)?(?:\s+\d{4})?"
    r"|quý(?!\s+(?:định|chế|trình|mô|hoạch))(?:\s+(?-i:[IV]{1,3})(?:\s*(?:,|và)\s*(?:quý\s+)?(?-i:[IV]{1,3}))*)?(?:\s*/\s*\d{4})?"
    r"|tháng(?!\s+\d)"
    r"|năm(?:\s+\d{4})?"
    r"|(?P<request>đột\s+xuất|chuyên\s+đề|nhanh|theo\s+yêu\s+cầu|khi\s+có\s+yêu\s+cầu)"
    r")(?=[\s:,;.)]|$)", re.I)
_REPORT_WORD = _Folded(r"\bbáo\s+cáo\b", re.I)


class _Why(str):
    """Why a sentence is left for review: in the plan's language (the file's # TODO), with its message
    id and values, so that --explain says it in the run's language."""


def _why(msg: str, **values) -> _Why:
    from dvcq.core.messages import say

    why = _Why(say("vi", f"draft.why.{msg}", **values))
    why.msg, why.values = f"draft.why.{msg}", values
    return why


NO_DEADLINE = _why("no-deadline")


@dataclass
class _Statement:
    kind: str  # "report" | "plan-submission" | "self-assessment" | "scoring-decision" | "merge" | "todo"
    sentence: str
    span: tuple[int, int]
    block: _Block
    every: str = "once"
    periods: tuple[int, ...] | None = None
    label: str = ""
    due_text: str = ""
    due: dict | None = None
    window_text: str = ""
    window: dict | str | None = None
    window_unread: str = ""
    merge: list[tuple[int, str]] = field(default_factory=list)  # (month, target phrase)
    folded: list[tuple[str, int, str]] = field(default_factory=list)  # (every, period number, target phrase)
    why: str = ""  # for a todo

    @property
    def text(self) -> str:
        return self.sentence[self.span[0]:self.span[1]]


def _label_frequency(label: str) -> tuple[str, tuple[int, ...] | None]:
    low = _fold1(re.sub(r"\s*\((sáu|chín)\)", "", label.lower()).replace("(", "").replace(")", ""))
    if re.match(r"dot\s+xuat|chuyen\s+de|nhanh|theo\s+yeu\s+cau|khi\s+co\s+yeu\s+cau", low):
        return "on-request", None
    if re.match(r"(6|sau)\s+thang", low):
        if "dau nam" in low:
            return "half", (1,)
        if "cuoi nam" in low:
            return "half", (2,)
        return "half", None
    if re.match(r"(9|chin)\s+thang", low):
        return "nine-months", None
    if low.startswith("quy") or low.startswith("qui"):
        numbers = tuple(sorted({_ROMANS[r] for r in re.findall(r"\b([IV]{1,3})\b", label) if r in _ROMANS}))
        return "quarter", numbers or None
    if low.startswith("thang"):
        return "month", None
    return "year", None


def _todo(sentence: str, span: tuple[int, int], block: _Block, why: str) -> _Statement:
    return _Statement("todo", sentence, span, block, why=why)


class _Kind:
    """A report kind listed after another ("Báo cáo quý, 6 tháng, năm"): read like a label match."""

    def __init__(self, start: int, end: int, label: str):
        self._start, self._end, self._label = start, end, label

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, name=0) -> str:
        return self._label


_LISTED_KIND = _Folded(r"\s*(?:,|và|hoặc)\s*(?:(?:báo\s+cáo|bc)\s+)?(?:(?:sơ|tổng)\s+kết\s+)?(?P<label>(?:6|sáu)\s+tháng(?:\s+\(?(?:đầu|cuối)\s+năm\)?)?"
                          r"|(?:9|chín)\s+tháng|quý(?:\s+(?-i:[IV]{1,3}))?|năm(?!\s+\d)|tháng(?!\s+\d))(?=[\s:,;.)]|$)", re.I)


def _with_listed_kinds(clause: str, labels: list) -> list:
    out = []
    for m in labels:
        out.append(m)
        at = m.end()
        while True:
            k = _LISTED_KIND.match(clause, at)
            if not k or any(x.start() <= k.start("label") < x.end() for x in labels):
                break
            out.append(_Kind(k.start("label"), k.end("label"), k.group("label")))
            at = k.end()
    return out
