"""A plan's own words for a deadline or a data window, read into the structured form plan files use.

Plan texts say "trước ngày 15 tháng cuối của quý" or "số liệu từ ngày 14 tháng trước tới ngày báo
cáo"; plan files say ``due: {before: {day: 15}}``. This module reads the first into the second
(``parse_due``, ``parse_window``, ``parse_day``), writes the second back as a canonical phrase
(``render_due``, ``render_window``) and reduces structured forms to one spelling each
(``normalise_due``, ``normalise_window``), and finds the deadline phrases inside a longer sentence
(``due_phrases_in``). It is pure: no I/O; frequencies and the date range come from dvcq.core.model.

Structured forms (plain dicts, as YAML gives them):

- DAYREF, one of
    ``{"date": date}``                                   a full written date;
    ``{"day": D, "month": M[, "year_offset": K]}``       a fixed day of the year;
    ``{"day": D[, "period_month": P][, "months_offset": K]}``  a day counted within the period
                                                          (P -1, the last month, is the default);
    ``{"after": "period-end" | "window-end" | DAYREF, "days" | "working_days": N}``  a count of
                                                          days, from the period's end, the data
                                                          cut-off or a day the text names (not a count).
  ``D`` is 1-31 or ``"last"``.
- DUE: ``{"before": DAYREF}`` (exclusive: "trước") or ``{"by": DAYREF}`` (inclusive: "chậm nhất").
- WINDOW: ``"none"`` or ``{"from": DAYREF, "to": "due" | DAYREF}``; never a count of days.

Grammar, on words with accents and case ignored ([] optional, | or, {} repeated)::

    due     = [bullet] [label ":"] [lead] [marker] (dayref {"và" dayref} | "tháng" M ["/" Y | year])
              {"." | ";" | ","}   (several days: one per period, alike; a month: by its last day)
    marker  = "trước" | by-word {"là" | "vào"} ["trước"] | "vào" ["trước"]
    dayref  = ["ngày"] (N [(words)] after | "cuối" ["cùng"] after | "đầu" ["tiên"] first)
            | "ngày" ["làm việc"] "thứ" N since | N [(words)] "ngày" ["làm việc"] since
    after   = "/" M ["/" Y | year] | ["của"] "tháng" month | period [shift] (only after "cuối")
    year    = ["của"] "năm" (Y | "trước" | "sau" | "liền kề" | ["báo cáo"])
    month   = ("sau" | "trước") [ref] | M [year] | ("đầu" | "cuối") [["của"] period [shift]]
            | "thứ" N (("sau" | "trước") [ref] | [["của"] period [shift]]) | ["báo cáo"]
    ref     = "tháng" ["báo cáo"] | period;   shift = "sau" | "trước"
    first   = ["của"] ("tháng" month | "năm" [year-words] | period [shift]) | nothing (the period's first day)
    since   = ("kể từ" | "sau") (["ngày" | "khi"] ("chốt số liệu" ["(" dayref ")"]
              | "kết thúc" ("tháng" month | period)) | dayref)       (a dayref here counts nothing)
    window  = [bullet] [label ":"] {lead} ("none" | "không" | "trọn" ("tháng" month | period [shift])
              | "từ" dayref ("đến" | "tới") end)
    end     = "ngày báo cáo" | "ngày gửi báo cáo" | dayref

Reading follows three rules. Accents only decide where two words differ by them alone ("sau"
after, "sáu" six; "từ" from, "tư" four), and a word written without accents takes its usual
reading. Words that name the rule's frequency ("hằng tháng", "hàng năm") are dropped wherever they
stand: the caller gives the frequency. A word naming a period must fit that frequency ("tháng cuối
quý" in a monthly rule is a mistake, reported as one); in a rule whose period is made of quarters
(6 months, 9 months, a year) "quý" is the quarter that ends the period ("ngày 25 tháng cuối quý" in a
6-month rule is 25/6 and 25/12).

A count from a day the text names is stored with that day, as written ("kể từ ngày 25 hằng tháng":
``{"after": {"day": 25}, ...}``); the engine finds the day for each period, then counts from the day
after it. ``cutoff_in`` and ``count_from_cutoff`` join a count "kể từ ngày chốt số liệu" with the
cut-off day another clause names ("số liệu chốt vào ngày 20 hằng tháng").
"""
from __future__ import annotations

from dvcq.core.phrases.vocabulary import (BY_WORDS, CUTOFF_WORDS, ON_AFTER, ON_WORDS)
from dvcq.core.phrases.tokens import (PhraseError, _BARE_FREQUENCY_AT, _DATE_SEPARATORS, _FREQUENCY_AT, _Tok,
                                      _fold, _frequency_at, _tokenize)
from dvcq.core.phrases.parser import (_Parser)
from dvcq.core.phrases.forms import normalise_day, normalise_due, normalise_window, render_due, render_window  # noqa: F401
from dvcq.core.phrases.vocabulary import *  # noqa: F401,F403  (the vocabulary, as data)
from dvcq.core.model import FREQUENCIES  # noqa: F401


# ================================================================================================
# Public parsers
# ================================================================================================


def parse_due(text: str, every: str) -> dict:
    """A plan's words for a deadline -> ``{"before" | "by": DAYREF}``, canonical.

    ``every`` is the rule's frequency (one of FREQUENCIES); frequency words in the text are
    ignored. Raises PhraseError, located in ``text``, where the words do not read."""
    return _Parser(text, every).due()


def parse_window(text: str, every: str) -> dict | str:
    """A plan's words for a data window -> ``{"from": DAYREF, "to": "due" | DAYREF}`` or "none"."""
    return _Parser(text, every).window()


def parse_day(text: str, every: str) -> dict:
    """A plan's words for one day ("ngày 15 tháng cuối quý", "15/5/2024") -> a DAYREF."""
    return _Parser(text, every).day()


def frequency_words(text: str) -> str | None:
    """The frequency a text names ("hằng quý" -> "quarter", "báo cáo 6 tháng" -> "half"), the
    first one it names, or None."""
    toks = _tokenize(text)
    for i in range(len(toks)):
        n, freq = _frequency_at(toks, i, _FREQUENCY_AT)
        if n:
            return freq
        n, freq = _frequency_at(toks, i, _BARE_FREQUENCY_AT)
        if n and _bare_frequency_here(toks, i, n):
            return freq
    return None


def _bare_frequency_here(toks: list[_Tok], i: int, n: int) -> bool:
    """"6 tháng" is a frequency unless it is a day and month: "ngày 6 tháng 9", "tháng sau tháng"."""
    before = toks[i - 1] if i else None
    after = toks[i + n] if i + n < len(toks) else None
    if before is not None and (before.key in ("ngay", "thu", "thang") or before.kind == "punct"
                               and before.key in _DATE_SEPARATORS):
        return False
    return after is None or after.kind != "num"


# Where a deadline starts inside a longer sentence; the phrase runs to the next ",", ";" or ". ".
_DUE_TRIGGERS = tuple(_fold(w)[0] for w in ("trước", *BY_WORDS, "trong ngày"))
# "vào ngày 25" is a deadline only after a word of sending ("gửi vào ngày 25"), never a cut-off
# ("số liệu chốt vào ngày 20"): the phrase starts at "vào".
_ON_TRIGGERS = tuple((_fold(f"{a} {w}")[0], len(_fold(a)[0]) + 1) for a in ON_AFTER for w in ON_WORDS)


def due_phrases_in(text: str, every: str) -> list[tuple[str, dict]]:
    """The deadline phrases a sentence contains, each as written and read (normalised): the quote
    "Báo cáo tháng: Gửi trước ngày 14 của tháng, số liệu từ ..." holds «trước ngày 14 của tháng»."""
    folded, origin = _fold(text)
    found: list[tuple[str, dict]] = []
    starts = {origin[i] for w in _DUE_TRIGGERS for i in _word_starts(folded, w)}
    starts |= {origin[i + skip] for w, skip in _ON_TRIGGERS for i in _word_starts(folded, w)}
    for start in sorted(starts):
        for end in _phrase_ends(text, start):
            candidate = text[start:end].strip()
            try:
                found.append((candidate, normalise_due(parse_due(candidate, every), every)))
                break
            except (PhraseError, ValueError):
                continue
    return found


_CUTOFF_TRIGGERS = tuple(_fold(w)[0] for w in CUTOFF_WORDS)


def cutoff_in(text: str, every: str) -> tuple[str, dict] | None:
    """The data cut-off day a sentence names, as written and read (a DAYREF, normalised), or None:
    "Số liệu chốt vào ngày 05 hằng tháng" holds «ngày 05 hằng tháng», {"day": 5}."""
    folded, origin = _fold(text)
    for w in _CUTOFF_TRIGGERS:
        for at in _word_starts(folded, w):
            after = origin[at + len(w) - 1] + 1
            for end in _phrase_ends(text, after):
                candidate = text[after:end]
                try:
                    ref, start = _Parser(candidate, every).cutoff()
                    return candidate[start:].strip().rstrip(".,;").rstrip(), normalise_day(ref, every)
                except (PhraseError, ValueError):
                    continue
    return None


def count_from_cutoff(due_text: str, cutoff_text: str, every: str) -> tuple[str, dict]:
    """A deadline counted from the data cut-off ("trong thời hạn 03 ngày làm việc kể từ ngày chốt
    số liệu") with the cut-off day another clause names ("ngày 20 hằng tháng", from ``cutoff_in``):
    the phrase with the day in brackets, as plans write it, and its reading (counted from that day).
    Raises PhraseError or ValueError when ``due_text`` does not count from the cut-off."""
    due = parse_due(due_text, every)
    (kind, ref), = due.items()
    if ref.get("after") != "window-end":
        raise ValueError(f"{due_text!r} does not count from the data cut-off")
    text = f"{due_text.rstrip(' .,;')} ({cutoff_text})"
    return text, normalise_due(parse_due(text, every), every)


def _word_starts(folded: str, word: str) -> list[int]:
    out, at = [], folded.find(word)
    while at >= 0:
        if (at == 0 or not folded[at - 1].isalnum()) and (at + len(word) == len(folded) or not folded[at + len(word)].isalnum()):
            out.append(at)
        at = folded.find(word, at + 1)
    return out


def _phrase_ends(text: str, start: int) -> list[int]:
    """Candidate ends of a phrase starting at `start`, shortest first: each clause break, then the end."""
    ends = [i for i in range(start + 1, len(text)) if text[i] in ",;\n" or (text[i] == "." and (i + 1 == len(text) or text[i + 1] == " "))]
    return ends[:6] + [len(text)]
