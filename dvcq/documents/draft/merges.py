"""Merges: a month's report that goes into another report ("Báo cáo tháng 12 lồng ghép vào báo cáo năm",
"tháng cuối quý gửi báo cáo quý thay cho báo cáo tháng"), and a quarter or a half that does ("Báo cáo quý IV
được thay thế bằng báo cáo năm")."""
from __future__ import annotations

import re

from dvcq.core.model import FREQUENCY, Period
from dvcq.documents.draft.kinds import _LABEL, _ROMANS, _Statement, _label_frequency, _todo, _why, _with_listed_kinds
from dvcq.documents.draft.lines import _AsTyped, _Block, _Folded, _fold1, _trim

_MERGE_WORDS = _AsTyped(r"lồng\s+ghép|tích\s+hợp|gộp|tổng\s+hợp\s+(?:chung\s+)?(?:vào|trong)|thay\s+(?:thế\s+)?(?:bằng|cho)", re.I)


# the report before the verb goes into the one after it ("Báo cáo tháng 12 lồng ghép vào báo cáo năm", "... được
# thay thế bằng ...", "... không gửi riêng mà tổng hợp chung trong ..."), or the one before it is sent instead
# of the month's ("tháng cuối quý gửi báo cáo quý thay cho báo cáo tháng")
_INTO = r"lồng\s+ghép|tích\s+hợp|gộp|tổng\s+hợp\s+(?:chung\s+)?(?:vào|trong)|thay\s+thế\s+bằng|thay\s+bằng"
_INSTEAD = r"thay\s+(?:thế\s+)?cho"
_MERGE_VERB = _AsTyped(rf"\b(?:(?P<into>{_INTO})|(?P<instead>{_INSTEAD}))\b", re.I)
_MERGED_MONTHS = _Folded(r"\btháng\s+(\d{1,2}(?:\s*(?:,|và|;)\s*(?:tháng\s+)?\d{1,2})*)\b(?!\s*(?:năm\s+\d|/\s*\d))"
                         r"|\b(?:các\s+)?tháng\s+cuối\s+(?:của\s+)?(quý|năm)\b", re.I)


def _merged_months(text: str) -> tuple[list[int], int]:
    """The months a text names as merged ("tháng 3, 6, 9 và 12", "tháng 6 và tháng 12", "các tháng cuối quý"),
    and where the last mention ends (0: none)."""
    months: list[int] = []
    end = 0
    for m in _MERGED_MONTHS.finditer(text):
        if m.group(1):
            months += [int(x) for x in re.findall(r"\d{1,2}", m.group(1))]
        else:
            months += [3, 6, 9, 12] if _fold1(m.group(2).lower()) == "quy" else [12]
        end = m.end()
    return months, end


def _report_kinds(text: str) -> list[tuple[str, int | None, str]]:
    """The reports a text names, in order: (every, period number or None, phrase)."""
    labels = _with_listed_kinds(text, [m for m in _LABEL.finditer(text)])
    out = []
    for m in labels:
        every, periods = _label_frequency(m.group("label"))
        if every == "on-request":
            continue
        out.append((every, periods[0] if periods and len(periods) == 1 else None, f"báo cáo {m.group('label')}"))
    return out


_MERGE_ASIDE = _AsTyped(r"\(((?:trừ|ngoại\s+trừ|riêng)?[^()]*?\b(?:lồng\s+ghép|tích\s+hợp|gộp)\b[^()]*)\)", re.I)
_OTHER_MONTHS = _Folded(r"\s*(?:các|những)\s+tháng\s+(?:còn\s+lại|khác)\b", re.I)
_BARE_QUARTERS = _Folded(r"\bquý\s+((?-i:[IV]{1,3})(?:\s*(?:,|và)\s*(?:quý\s+)?(?-i:[IV]{1,3}))*)\b", re.I)


def _folded_periods(text: str, bare: bool = True) -> list[tuple[str, int]]:
    """The quarters or halves a text names as merged ("báo cáo quý II và quý IV", "riêng quý III", "báo
    cáo 6 tháng cuối năm"): (every, number)."""
    out = []
    for m in _with_listed_kinds(text, list(_LABEL.finditer(text))):
        every, periods = _label_frequency(m.group("label"))
        if every in ("quarter", "half") and periods:
            out += [(every, n) for n in periods]
    if not out and bare:  # "riêng quý III lồng ghép ...": a quarter named without "báo cáo"
        for m in _BARE_QUARTERS.finditer(text):
            out += [("quarter", _ROMANS[r]) for r in re.findall(r"[IV]{1,3}", m.group(1)) if r in _ROMANS]
    return out


def _ends_in(every: str, number: int | None, month: int) -> bool:
    """Whether a report's period (one period, or any when number is None) ends in month."""
    frequency = FREQUENCY.get(every)
    if frequency is None or not frequency.recurring or not frequency.dated:
        return False
    period = Period.of_month(every, 2000, month)  # the periods come from the one frequency table
    return period.last_month == month and (number is None or period.number == number)


def _merge_statements(sentence: str, span: tuple[int, int], block: _Block) -> list[_Statement]:
    """The merges of one clause, each verb with the months before it and the reports after it (or, with
    "thay cho", before it): several in one clause ("Báo cáo tháng 6 được lồng ghép vào báo cáo 6 tháng,
    báo cáo tháng 12 lồng ghép vào báo cáo năm"); one target for all the months, one target each (in
    order: "lần lượt", "tương ứng"), or each month into the report whose period ends in it."""
    a, b = _trim(sentence, *span)
    clause = sentence[a:b]
    verbs = list(_MERGE_VERB.finditer(clause))
    out: list[_Statement] = []
    start = 0
    for i, verb in enumerate(verbs):
        stop = verbs[i + 1].start() if i + 1 < len(verbs) else len(clause)
        before, after = clause[start:verb.start()], clause[verb.end():stop]
        months, _ = _merged_months(before)
        if i + 1 < len(verbs):  # the next merge's months begin where this merge's reports end
            nxt = _MERGED_MONTHS.search(after)
            if nxt:
                cut = after.rfind(",", 0, nxt.start())
                after = after[:cut if cut >= 0 else nxt.start()]
        if verb.group("instead"):  # "tháng cuối quý gửi báo cáo quý thay cho báo cáo tháng"
            replaced = _report_kinds(after)
            if not replaced or replaced[0][0] != "month":
                months = []
            _, months_end = _merged_months(before)
            targets = _report_kinds(before[months_end:])
        else:
            targets = _report_kinds(after)
        piece = _trim(sentence, a + start, a + verb.end() + len(after))
        start = verb.end() + len(after)
        if not months:  # "Báo cáo quý IV được thay thế bằng báo cáo năm", "riêng quý III lồng ghép trong báo cáo 9 tháng"
            folded = _folded_periods(before)
            if folded and targets and (len(targets) in (1, len(folded))):
                pairs = zip(folded, targets if len(targets) == len(folded) else targets * len(folded))
                out.append(_Statement("merge", sentence, piece, block,
                                      folded=[(every, number, t[2]) for (every, number), t in pairs]))
            elif folded:
                out.append(_todo(sentence, piece, block, _why("merge-count")))
            continue
        if not targets:
            out.append(_todo(sentence, piece, block, _why("merge-unread")))
            continue
        also = [(e, n) for e, n in _folded_periods(before, bare=False) if e != targets[0][0]] if len(targets) == 1 else []
        if also:  # "báo cáo tháng 12 và báo cáo quý IV được lồng ghép vào báo cáo năm": a quarter with the month
            out.append(_Statement("merge", sentence, piece, block, folded=[(e, n, targets[0][2]) for e, n in also]))
        if len(targets) == 1:
            pairs = [(month, targets[0]) for month in months]
        elif len(targets) == len(months):
            pairs = list(zip(months, targets))
        else:
            fits = [[t for t in targets if _ends_in(t[0], t[1], month)] for month in months]
            if any(len(f) != 1 for f in fits):
                out.append(_todo(sentence, piece, block, _why("merge-count")))
                continue
            pairs = [(month, f[0]) for month, f in zip(months, fits)]
        if not all(1 <= month <= 12 for month, _ in pairs):
            out.append(_todo(sentence, piece, block, _why("merge-count")))
            continue
        out.append(_Statement("merge", sentence, piece, block, merge=[(month, t[2]) for month, t in pairs]))
    if not out:
        out.append(_todo(sentence, (a, b), block, _why("merge-unread")))
    return out
