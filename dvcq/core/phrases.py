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
    ``{"after": "period-end" | "window-end", "days" | "working_days": N}``  a count of days.
  ``D`` is 1-31 or ``"last"``.
- DUE: ``{"before": DAYREF}`` (exclusive: "trước") or ``{"by": DAYREF}`` (inclusive: "chậm nhất").
- WINDOW: ``"none"`` or ``{"from": DAYREF, "to": "due" | DAYREF}``; never a count of days.

Grammar, on words with accents and case ignored ([] optional, | or, {} repeated)::

    due     = [bullet] [label ":"] [lead] [marker] dayref {"." | ";" | ","}
    marker  = "trước" | by-word {"là" | "vào"} ["trước"]
    dayref  = ["ngày"] (N [(words)] after | "cuối" ["cùng"] after)
            | "ngày" ["làm việc"] "thứ" N since | N [(words)] "ngày" ["làm việc"] since
    after   = "/" M ["/" Y | year] | ["của"] "tháng" month | period [shift] (only after "cuối")
    year    = ["của"] "năm" (Y | "trước" | "sau" | "liền kề" | ["báo cáo"])
    month   = ("sau" | "trước") [ref] | M [year] | ("đầu" | "cuối") [["của"] period [shift]]
            | "thứ" N (("sau" | "trước") [ref] | [["của"] period [shift]]) | ["báo cáo"]
    ref     = "tháng" ["báo cáo"] | period;   shift = "sau" | "trước"
    since   = ("kể từ" | "sau") ["ngày" | "khi"] ("chốt số liệu" | "kết thúc" period)
    window  = [bullet] [label ":"] {lead} ("none" | "không" | "từ" dayref ("đến" | "tới") end)
    end     = "ngày báo cáo" | "ngày gửi báo cáo" | dayref

Reading follows three rules. Accents only decide where two words differ by them alone ("sau"
after, "sáu" six; "từ" from, "tư" four), and a word written without accents takes its usual
reading. Words that name the rule's frequency ("hằng tháng", "hàng năm") are dropped wherever they
stand: the caller gives the frequency. A word naming a period must fit that frequency ("tháng cuối
quý" in a monthly rule is a mistake, reported as one).
"""
from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from typing import NamedTuple, NoReturn

from dvcq.core.model import FIRST_YEAR, FREQUENCIES, FREQUENCY, LAST_YEAR

# ================================================================================================
# Vocabulary. Data only: the words plans use, and the words we write. Entries are matched word by
# word with accents and case ignored; where one entry begins another, the longer comes first.
# ================================================================================================

# Months in one period (dvcq.core.model's table). A one-off rule is tied to the plan's year, as in the
# engine; a report on request has no period of its own, so it is read the same way.
MONTHS_PER_PERIOD = {name: f.months for name, f in FREQUENCY.items()}

# The period word that fits each frequency.
PERIOD_UNIT = {name: f.unit for name, f in FREQUENCY.items()}

# Names of a period and the unit each names; "kỳ (báo cáo)" is whatever period the rule has. The
# frequencies' own words come from their table; where one name begins another, the longer comes first.
PERIOD_NAMES = (
    ("kỳ báo cáo", "any"), ("kì báo cáo", "any"), ("kỳ", "any"), ("kì", "any"),
    *sorted(((w, f.unit) for f in FREQUENCY.values() for w in f.period_names if f.name == f.unit),
            key=lambda pair: -len(pair[0].split())),
)

# Frequency words: a prefix and a unit ("hằng quý", "định kỳ hằng tháng"). Dropped by the parsers.
FREQUENCY_PREFIXES = ("định kỳ hằng", "định kỳ hàng", "hằng", "hàng", "mỗi")
FREQUENCY_UNITS = tuple(sorted(((w, f.name) for f in FREQUENCY.values() for w in f.unit_words),
                               key=lambda pair: -len(pair[0].split())))
# Said without a prefix, only these name a frequency ("báo cáo 6 tháng").
BARE_FREQUENCIES = tuple((w, f.name) for f in FREQUENCY.values() if f.bare for w in f.unit_words)

# Words that open an inclusive deadline ("by").
BY_WORDS = ("chậm nhất", "muộn nhất", "không muộn hơn", "không chậm hơn", "trong thời hạn",
            "trong vòng", "hạn cuối", "hạn chót", "đến hết", "tới hết", "trong")
BY_FILLERS = ("là", "vào")
BEFORE_WORDS = ("trước",)

# A list bullet in front of a line copied from the plan ("- Báo cáo quý: ...").
BULLETS = ("-", "+", "•", "·")
# Context the caller may leave in front of a deadline: "thời hạn gửi báo cáo quý", "Gửi".
DUE_LEADS = ("thời hạn", "thời gian")
SENDING_WORDS = ("gửi", "nộp")
REPORT_WORDS = ("báo cáo",)
# A label before ":" names a report or a heading ("Báo cáo quý:", "Thời hạn gửi báo cáo:") if it
# starts with one of these; the whole label is skipped.
LABEL_HEADS = ("báo cáo", "thời hạn", "thời gian", "hạn", "gửi", "nộp", "số liệu", "mốc", "chốt")
# Words in front of a window: "mốc số liệu thống kê tính từ", "thời gian lấy số liệu từ".
WINDOW_LEADS = ("số liệu", "mốc", "thống kê", "thời gian", "lấy", "tính", "chốt", "báo cáo")

DAY_WORDS = ("ngày",)
MONTH_WORDS = ("tháng",)
YEAR_WORDS = ("năm",)
OF_WORDS = ("của",)
LAST_WORDS = ("cuối cùng", "cuối")  # "ngày cuối (cùng) của tháng", "tháng cuối quý"
FIRST_WORDS = ("đầu tiên", "đầu")
ORDINAL_WORDS = ("thứ",)
NEXT_WORDS = ("liền kề sau", "liền sau", "kế tiếp", "tiếp theo", "liền kề", "sau")
PREV_WORDS = ("liền kề trước", "liền trước", "trước")
THIS_MONTH_WORDS = ("báo cáo", "này")
THIS_YEAR_WORDS = ("báo cáo", "này", "nay", "hiện hành")
THE_REPORT_YEAR = ("năm báo cáo", "năm nay", "năm này")  # "năm sau năm báo cáo"

# A count of days and the day it counts from.
WORKING_WORDS = ("làm việc",)
SINCE_WORDS = ("kể từ", "tính từ", "từ", "sau")
EVENT_FILLERS = ("ngày", "khi")
WINDOW_END_EVENTS = ("chốt số liệu", "kết thúc thời gian lấy số liệu", "kết thúc kỳ lấy số liệu")
PERIOD_END_EVENTS = ("kết thúc", "hết")

NO_WINDOW = ("none", "không có số liệu", "không có", "không")
WINDOW_FROM = ("kể từ", "tính từ", "từ")
WINDOW_TO = ("cho đến hết", "cho đến", "đến hết", "tới hết", "đến", "tới", "-")
TO_THE_DUE_DAY = ("ngày gửi báo cáo", "ngày báo cáo", "ngày gửi", "thời điểm gửi báo cáo",
                  "thời điểm báo cáo", "hạn gửi báo cáo", "hạn báo cáo")
TRAILING = (".", ";", ",")

# Numbers in words, as written in brackets after digits: "06 (sáu)", "45 (bốn mươi lăm)".
DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
               "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
TEN_WORDS = ("mười", "mươi")  # the same letters: 10 first, "times ten" after a digit
HUNDRED_WORDS = ("trăm",)
NO_TENS_WORDS = ("linh", "lẻ")  # "một trăm linh năm": 105
ORDINAL_ONLY = {"nhất": 1}  # "tháng thứ nhất"
MONTH_NAMES = {"giêng": 1}  # "tháng giêng"

# Words whose letters are the same once accents go; an accented spelling names one reading only.
ACCENT_RIVALS = (("sau", "sáu"), ("từ", "tư"))

# What we write.
RENDER_KIND = {"before": "trước", "by": "chậm nhất"}
RENDER_COUNT_BY = "trong thời hạn"
RENDER_PERIOD = {name: f.period_word for name, f in FREQUENCY.items() if f.period_word}
RENDER_PERIOD_END = {name: f.period_end_word for name, f in FREQUENCY.items()}
RENDER_YEAR_OFFSET = {-1: " năm trước", 0: "", 1: " năm sau"}
RENDER_ANCHOR = {"window-end": "ngày chốt số liệu", "period-end": "ngày kết thúc {period}"}
RENDER_NO_WINDOW = "không có số liệu"

RULE_PERIODS = {name: f.recurs_en for name, f in FREQUENCY.items()}
UNIT_NAMES = {name: f.a_period_en for name, f in FREQUENCY.items() if f.a_period_en}

YEARS = (FIRST_YEAR, LAST_YEAR)
MAX_COUNT = 999  # the most days a count may say, and the most number words read

# ================================================================================================
# Text to tokens
# ================================================================================================


class PhraseError(ValueError):
    """A phrase the grammar cannot read. ``word`` is the token that stopped it, as written ("" at
    the end of the text); ``offset`` its character offset in the string given to the parser."""

    def __init__(self, why: str, word: str, offset: int):
        self.why, self.word, self.offset = why, word, offset
        where = f"'{word}'" if word else "the end of the text"
        super().__init__(f"cannot read {where} at character {offset}: {why}")


_DASHES = "-‐‑‒–—−"
# Invisible characters and markup left by text extraction ("**chậm nhất 28/3/2025**", quotes).
_IGNORED = "\u200b\u200c\u200d\u2060\ufeff\u00ad*_\"'`“”‘’«»"
_DIGITS = "0123456789"
_NUMBER_CAP = 10**9  # longer digit runs are no number any rule can use: keep int() cheap


class _Tok(NamedTuple):
    kind: str  # "num" | "word" | "punct"
    key: str  # accents and case gone: what matching compares
    accented: str  # case gone, accents kept (NFC): decides between ACCENT_RIVALS
    start: int  # offsets in the original string
    end: int
    spaced: bool  # whitespace (or the start of the text) before it
    value: int = 0  # for "num"


def _fold(text: str) -> tuple[str, list[int]]:
    """Casefolded text without accents (đ as d), and for each of its characters the offset of the
    original character it came from. Works on NFC and NFD input alike: each original character is
    decomposed on its own and its marks dropped, so no offset is lost."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFD", ch.casefold()):
            if unicodedata.category(c) == "Mn":
                continue
            out.append("d" if c == "đ" else c)
            origin.append(i)
    return "".join(out), origin


def _tokenize(text: str) -> list[_Tok]:
    folded, origin = _fold(text)
    toks: list[_Tok] = []
    i, n, spaced = 0, len(folded), True
    while i < n:
        c = folded[i]
        if c.isspace() or c in _IGNORED:
            i, spaced = i + 1, True
            continue
        j = i + 1
        if c in _DIGITS:
            while j < n and folded[j] in _DIGITS:
                j += 1
            kind = "num"
        elif c.isalpha():
            while j < n and folded[j].isalpha():
                j += 1
            kind = "word"
        else:
            kind = "punct"
        start = origin[i]
        end = origin[j] if j < n else len(text)  # marks after the last letter belong to the token
        key = "-" if kind == "punct" and c in _DASHES else folded[i:j]
        raw = text[start:end]
        value = 0
        if kind == "num":
            value = int(key) if len(key.lstrip("0")) <= 9 else _NUMBER_CAP
        toks.append(_Tok(kind, key, unicodedata.normalize("NFC", raw).casefold(), start, end,
                         spaced, value))
        i, spaced = j, False
    return toks


# ================================================================================================
# Phrases: vocabulary entries compiled for matching
# ================================================================================================


class _Word(NamedTuple):
    kind: str
    key: str
    accented: str
    value: int = 0


def _word(piece: str) -> _Word:
    accented = unicodedata.normalize("NFC", piece).casefold()
    key = _fold(piece)[0]
    if key.isdigit():
        return _Word("num", key, accented, int(key))
    return _Word("word" if key.isalpha() else "punct", key, accented)


def _phrases(entries) -> tuple[tuple[tuple[_Word, ...], object], ...]:
    """Entries (strings, or (string, value) pairs) as word tuples, each with its value."""
    out = []
    for entry in entries:
        text, value = (entry, entry) if isinstance(entry, str) else entry
        out.append((tuple(_word(p) for p in text.split()), value))
    return tuple(out)


_RIVALS = {_fold(a)[0]: {unicodedata.normalize("NFC", w) for w in (a, b)} for a, b in ACCENT_RIVALS}


def _matches(tok: _Tok, w: _Word) -> bool:
    if tok.kind != w.kind:
        return False
    if w.kind == "num":
        return tok.value == w.value
    if tok.key != w.key:
        return False
    rivals = _RIVALS.get(w.key)
    # "sáu" written with its accent is not "sau"; "sau" written bare may be either
    return not (rivals and tok.accented != tok.key and tok.accented in rivals
                and tok.accented != w.accented)


def _match_at(toks: list[_Tok], i: int, words: tuple[_Word, ...]) -> int:
    if i + len(words) > len(toks):
        return 0
    for k, w in enumerate(words):
        if not _matches(toks[i + k], w):
            return 0
    return len(words)


def _at(toks: list[_Tok], i: int, table) -> int:
    """How many tokens the first entry of ``table`` that matches at toks[i] covers, or 0."""
    for words, _ in table:
        n = _match_at(toks, i, words)
        if n:
            return n
    return 0


def _number_table(words: dict[str, int]) -> dict[str, dict[str, int]]:
    """key -> {accented spelling: value}: a bare key takes its value, an accented one must be
    one of the spellings ("từ" is not "tư")."""
    table: dict[str, dict[str, int]] = {}
    for word, value in words.items():
        table.setdefault(_fold(word)[0], {})[unicodedata.normalize("NFC", word)] = value
    return table


_BY = _phrases(BY_WORDS)
_BY_FILLERS = _phrases(BY_FILLERS)
_BEFORE = _phrases(BEFORE_WORDS)
_DUE_LEADS = _phrases(DUE_LEADS)
_SENDING = _phrases(SENDING_WORDS)
_REPORT = _phrases(REPORT_WORDS)
_LABEL_HEADS = _phrases(LABEL_HEADS)
_WINDOW_LEADS = _phrases(WINDOW_LEADS)
_PERIOD_NAMES = _phrases(PERIOD_NAMES)
_DAY = _phrases(DAY_WORDS)
_MONTH = _phrases(MONTH_WORDS)
_YEAR = _phrases(YEAR_WORDS)
_OF = _phrases(OF_WORDS)
_LAST = _phrases(LAST_WORDS)
_FIRST = _phrases(FIRST_WORDS)
_ORDINAL = _phrases(ORDINAL_WORDS)
_NEXT = _phrases(NEXT_WORDS)
_PREV = _phrases(PREV_WORDS)
_THIS_MONTH = _phrases(THIS_MONTH_WORDS)
_THIS_YEAR = _phrases(THIS_YEAR_WORDS)
_THE_REPORT_YEAR = _phrases(THE_REPORT_YEAR)
_WORKING = _phrases(WORKING_WORDS)
_SINCE = _phrases(SINCE_WORDS)
_EVENT_FILLERS = _phrases(EVENT_FILLERS)
_WINDOW_END = _phrases(WINDOW_END_EVENTS)
_PERIOD_END = _phrases(PERIOD_END_EVENTS)
_NO_WINDOW = _phrases(NO_WINDOW)
_WINDOW_FROM = _phrases(WINDOW_FROM)
_WINDOW_TO = _phrases(WINDOW_TO)
_TO_DUE = _phrases(TO_THE_DUE_DAY)
_TRAILING = _phrases(TRAILING)
_BULLETS = _phrases(BULLETS)
_ORDINAL_COUNT = _phrases(ORDINAL_WORDS + tuple(f"{w} {o}" for w in WORKING_WORDS
                                                 for o in ORDINAL_WORDS))
_OPEN, _CLOSE = _phrases(("(",)), _phrases((")",))
_FREQUENCY = _phrases((f"{p} {u}", f) for p in FREQUENCY_PREFIXES for u, f in FREQUENCY_UNITS)
_BARE_FREQUENCY = _phrases(BARE_FREQUENCIES)
_DIGIT_TABLE = _number_table(DIGIT_WORDS)
_ORDINAL_NAMES = _phrases(ORDINAL_ONLY.items())
_MONTH_NAMES = _phrases(MONTH_NAMES.items())
_TEN_KEY = _fold(TEN_WORDS[0])[0]
_HUNDRED = _phrases(HUNDRED_WORDS)
_NO_TENS = _phrases(NO_TENS_WORDS)
_DATE_SEPARATORS = ("/", "-", ".")


def _index_key(item: _Tok | _Word) -> str:
    return f"#{item.value}" if item.kind == "num" else item.key  # "06" is "6"


def _by_first_word(table) -> dict[str, tuple]:
    """Entries grouped by their first word: scanning every token of a long text then tries only
    the few entries that can start there."""
    index: dict[str, list] = {}
    for entry in table:
        index.setdefault(_index_key(entry[0][0]), []).append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


_FREQUENCY_AT = _by_first_word(_FREQUENCY)
_BARE_FREQUENCY_AT = _by_first_word(_BARE_FREQUENCY)


def _frequency_at(toks: list[_Tok], i: int, index: dict[str, tuple]) -> tuple[int, str | None]:
    """(tokens matched, frequency) of the frequency words starting at toks[i], or (0, None)."""
    for words, freq in index.get(_index_key(toks[i]), ()):
        n = _match_at(toks, i, words)
        if n:
            return n, freq
    return 0, None


def _drop_frequency_words(toks: list[_Tok]) -> list[_Tok]:
    """The rule's frequency comes from the caller; "hằng năm" after "14/6" adds nothing. A "của"
    in front goes with it: "ngày 15 của mỗi tháng" is "ngày 15"."""
    out, i = [], 0
    while i < len(toks):
        n, _ = _frequency_at(toks, i, _FREQUENCY_AT)
        if n:
            if out and _at(out, len(out) - 1, _OF):
                out.pop()
            i += n
        else:
            out.append(toks[i])
            i += 1
    return out


# ================================================================================================
# The parser: recursive descent over the tokens, one method per rule of the grammar above
# ================================================================================================


def _check_every(every: str) -> int:
    if every not in FREQUENCIES:
        raise ValueError(f"unknown frequency {every!r}: one of {', '.join(FREQUENCIES)}")
    return MONTHS_PER_PERIOD[every]


class _Parser:
    def __init__(self, text: str, every: str):
        self.months = _check_every(every)
        self.text, self.every = text, every
        self.toks = _drop_frequency_words(_tokenize(text))
        self.i = 0

    # -------------------------------------------------------------------- cursor
    def peek(self, k: int = 0) -> _Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def at(self, table, k: int = 0) -> bool:
        return _at(self.toks, self.i + k, table) > 0

    def accept(self, table):
        """The value of the first entry of ``table`` that the text continues with, or None."""
        for words, value in table:
            n = _match_at(self.toks, self.i, words)
            if n:
                self.i += n
                return value
        return None

    def expect(self, table, why: str):
        value = self.accept(table)
        if value is None:
            self.fail(why)
        return value

    def fail(self, why: str, tok: _Tok | None = None) -> NoReturn:
        tok = tok or self.peek()
        if tok is None:
            raise PhraseError(why, "", len(self.text))
        raise PhraseError(why, self.text[tok.start:tok.end], tok.start)

    def skip(self, words) -> int:
        """Accept as many of `words` as follow; how many there were."""
        count = 0
        while self.accept(words) is not None:
            count += 1
        return count

    def finish(self, what: str) -> None:
        self.skip(_TRAILING)
        if self.peek() is not None:
            self.fail(f"expected the end of the phrase after {what}")

    # -------------------------------------------------------------------- context
    def skip_label(self) -> None:
        """"- Báo cáo quý: ..." - a bullet, then everything up to the first ':' names the report,
        not the day."""
        self.accept(_BULLETS)
        if self.at(_LABEL_HEADS):
            colon = next((k for k, t in enumerate(self.toks) if t.key == ":"), None)
            if colon is not None and colon > self.i:
                self.i = colon + 1

    def skip_due_lead(self) -> None:
        """"Thời hạn gửi báo cáo 6 tháng đầu năm", "Gửi": who sends what, before the deadline."""
        self.accept(_DUE_LEADS)
        self.accept(_SENDING)
        if self.accept(_REPORT) and self.accept(_PERIOD_NAMES) is not None:
            tok = self.peek()
            if tok is not None and tok.kind == "num" and YEARS[0] <= tok.value <= YEARS[1]:
                self.i += 1  # "báo cáo năm 2025"

    # -------------------------------------------------------------------- numbers
    def number(self, what: str) -> tuple[int, _Tok]:
        """Digits, then perhaps the same number in words in brackets: "06 (sáu)"."""
        tok = self.peek()
        if tok is None or tok.kind != "num":
            self.fail(f"expected {what}")
        self.i += 1
        if self.accept(_OPEN) is not None:
            first = self.peek()
            said = self.number_words()
            if said is None:
                self.fail("expected the number in words inside the brackets")
            self.expect(_CLOSE, "expected ')' after the number in words")
            if said != tok.value:
                self.fail(f"the brackets say {said} but the number is {self.word(tok)}", first)
        return tok.value, tok

    def digit_word(self, k: int = 0) -> int | None:
        tok = self.peek(k)
        if tok is None or tok.kind != "word":
            return None
        spellings = _DIGIT_TABLE.get(tok.key)
        if not spellings:
            return None
        if tok.accented == tok.key:  # written bare: the only reading it has here
            return next(iter(spellings.values()))
        return spellings.get(tok.accented)

    def is_ten(self, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok is not None and tok.kind == "word" and tok.key == _TEN_KEY

    def number_words(self) -> int | None:
        """A number 0-999 in words, or None if the text has none here.
        "mười" and "mươi" are one word once accents go: first it is 10, after a digit it is x10."""
        start, total = self.i, 0
        d = self.digit_word()
        if d is not None and self.at(_HUNDRED, 1):  # "hai trăm ..."
            self.i += 2
            total = d * 100
            if self.accept(_NO_TENS) is not None:  # "một trăm linh năm": no tens
                return total + self.take_digit_word("a digit in words after 'linh'")
            d = self.digit_word()
        if self.is_ten():  # "mười", "mười lăm"
            self.i += 1
            total += 10 + self.take_digit_word(None)
        elif d is not None and self.is_ten(1):  # "hai mươi", "hai mươi mốt"
            self.i += 2
            total += d * 10 + self.take_digit_word(None)
        elif d is not None:  # "năm"
            self.i += 1
            total += d
        return total if self.i > start else None

    def take_digit_word(self, required: str | None) -> int:
        d = self.digit_word()
        if d is None:
            if required:
                self.fail(f"expected {required}")
            return 0
        self.i += 1
        return d

    def word(self, tok: _Tok) -> str:
        return self.text[tok.start:tok.end]

    def in_range(self, value: int, low: int, high: int, tok: _Tok, why: str) -> int:
        if not low <= value <= high:
            self.fail(why, tok)
        return value

    # -------------------------------------------------------------------- periods
    def describe_every(self) -> str:
        return RULE_PERIODS[self.every]

    def fits(self, unit: str, tok: _Tok) -> None:
        if unit != "any" and unit != PERIOD_UNIT[self.every]:
            self.fail(f"'{self.word(tok)}' names {UNIT_NAMES[unit]}, but {self.describe_every()}",
                      tok)

    def period_name(self, required: str | None = None) -> str | None:
        """"quý", "kỳ báo cáo", "6 tháng đầu năm" ...: checked against the rule's frequency."""
        tok = self.peek()
        unit = self.accept(_PERIOD_NAMES)
        if unit is None:
            if required:
                self.fail(f"expected {required}")
            return None
        self.accept(_REPORT)  # "quý báo cáo"
        self.fits(unit, tok)
        return unit

    def require_monthly(self, tok: _Tok) -> None:
        """Bare "tháng" is the reporting month, which only a monthly rule has."""
        if self.every != "month":
            self.fail(f"'{self.word(tok)}' alone is the reporting month, but {self.describe_every()}:"
                      " say which month ('tháng đầu', 'tháng cuối', 'tháng thứ 2')", tok)

    # -------------------------------------------------------------------- days
    def dayref(self, kind: str) -> dict:
        """``kind``: "before", "by", "day" (a bare day) or "window" (no counts of days there)."""
        if self.accept(_DAY) is not None:
            if self.at(_ORDINAL_COUNT):
                return self.ordinal_count(kind)
            if self.accept(_LAST) is not None:
                return self.after_day("last", None)
            day, tok = self.number("a day number after 'ngày'")
            return self.after_day(day, tok)
        if self.accept(_LAST) is not None:
            return self.after_day("last", None)
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            n, tok = self.number("a number")
            if self.at(_DAY):  # "30 ngày kể từ": a count, not a day of the month
                return self.count(n, tok, kind)
            return self.after_day(n, tok)
        self.fail("expected a day ('ngày 15', '15/5/2024', 'ngày cuối tháng')")

    def count(self, n: int, tok: _Tok, kind: str) -> dict:
        if kind == "window":
            self.fail("a data window is bounded by days of the calendar, not by a count of days",
                      tok)
        if kind == "before":
            # "trước 30 ngày" reads as "30 days before": the text must say which day it means
            self.fail("'trước' with a count of days is ambiguous: write 'trước ngày thứ N kể từ "
                      "...' or 'chậm nhất N ngày kể từ ...'", tok)
        self.accept(_DAY)
        working = self.accept(_WORKING) is not None
        return self.counted(n, tok, working)

    def ordinal_count(self, kind: str) -> dict:
        """"ngày (làm việc) thứ 30 kể từ ...": the 30th day counted from an event."""
        working = self.accept(_WORKING) is not None
        self.expect(_ORDINAL, "expected 'thứ'")
        n, tok = self.number("a number of days after 'thứ'")
        if kind == "window":
            self.fail("a data window is bounded by days of the calendar, not by a count of days",
                      tok)
        return self.counted(n, tok, working)

    def counted(self, n: int, tok: _Tok, working: bool) -> dict:
        self.in_range(n, 1, MAX_COUNT, tok, f"a count of days is 1-{MAX_COUNT}")
        self.expect(_SINCE, "expected 'kể từ' after the number of days")
        self.skip(_EVENT_FILLERS)
        if self.accept(_WINDOW_END) is not None:
            after = "window-end"
        else:
            self.expect(_PERIOD_END, "expected 'ngày kết thúc <kỳ>' or 'ngày chốt số liệu'")
            self.period_name(required="a period after 'kết thúc' ('quý', 'kỳ báo cáo', ...)")
            after = "period-end"
        return {"after": after, ("working_days" if working else "days"): n}

    def after_day(self, day: int | str, tok: _Tok | None) -> dict:
        """What follows the day: a month and maybe a year, a month of the period, or nothing."""
        if day != "last":
            self.in_range(day, 1, 31, tok, "a day of a month is 1-31")
        sep = self.date_separator(None)
        if sep:
            self.i += 1
            month, mtok = self.number("a month number")
            self.in_range(month, 1, 12, mtok, "a month is 1-12")
            if self.date_separator(sep):
                self.i += 1
                year, ytok = self.number("a year")
                return self.full_date(day, tok, month, year, ytok)
            return self.fixed_month(day, tok, month)
        had_of = self.accept(_OF) is not None
        month_tok = self.peek()
        if self.accept(_MONTH) is not None:
            return self.month_phrase(day, tok, month_tok)
        if day == "last":
            # "ngày cuối quý", "ngày cuối cùng của kỳ báo cáo"
            unit = self.period_name()
            if unit is not None:
                return _relative(day, -1, self.shift() * self.months, self.months)
        if had_of:
            self.fail("expected 'tháng' after 'của'")
        return _relative(day, -1, 0, self.months)

    def date_separator(self, same: str | None) -> str | None:
        """"/" joins a date even across spaces and lines; "-" and "." only when written tight,
        since they also end sentences and join ranges. One date keeps one separator."""
        sep, nxt = self.peek(), self.peek(1)
        if sep is None or nxt is None or sep.kind != "punct" or nxt.kind != "num":
            return None
        if sep.key not in _DATE_SEPARATORS or (same and sep.key != same):
            return None
        if sep.key != "/" and (sep.spaced or nxt.spaced):
            return None
        return sep.key

    def full_date(self, day, dtok, month: int, year: int, ytok: _Tok) -> dict:
        self.in_range(year, *YEARS, ytok, f"a year is {YEARS[0]}-{YEARS[1]}")
        days = calendar.monthrange(year, month)[1]
        if day == "last":
            day = days
        self.in_range(day, 1, days, dtok, f"{month}/{year} has {days} days")
        return {"date": dt.date(year, month, day)}

    def fixed_month(self, day, dtok, month: int) -> dict:
        """A day and month, then perhaps a year ("năm 2024") or a year relative to the period's."""
        year = self.year_part()
        if isinstance(year, tuple):
            return self.full_date(day, dtok, month, *year)
        if day != "last":
            # no year: 29/2 is allowed (a leap year will come), 30/2 and 31/4 are not
            most = calendar.monthrange(2024, month)[1]
            self.in_range(day, 1, most, dtok, f"month {month} has at most {most} days")
        ref = {"day": day, "month": month}
        if year:
            ref["year_offset"] = year
        return ref

    def year_part(self) -> int | tuple[int, _Tok]:
        """"năm 2024" -> (2024, token); "năm trước" -> -1; "năm sau", "năm liền kề" -> 1;
        "của năm (báo cáo)" or nothing -> 0."""
        had_of = self.accept(_OF) is not None
        if self.accept(_YEAR) is None:
            if had_of:
                self.fail("expected 'năm' after 'của'")
            return 0
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            return self.number("a year")
        if self.accept(_PREV) is not None:
            self.accept(_THE_REPORT_YEAR)
            return -1
        if self.accept(_NEXT) is not None:
            self.accept(_THE_REPORT_YEAR)
            return 1
        self.accept(_THIS_YEAR)
        return 0

    def shift(self) -> int:
        """After a period's name: "quý sau" +1, "năm trước" -1, nothing 0."""
        if self.accept(_NEXT) is not None:
            return 1
        if self.accept(_PREV) is not None:
            return -1
        return 0

    def month_phrase(self, day, dtok, month_tok: _Tok) -> dict:
        """After "tháng": a month number, or a month named relative to the period."""
        # "sau" comes before the month names: bare "sau" is "next", only "sáu" is June
        if self.accept(_NEXT) is not None:
            return self.months_away(day, 1, month_tok)
        if self.accept(_PREV) is not None:
            return self.months_away(day, -1, month_tok)
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            month, mtok = self.number("a month number")
            self.in_range(month, 1, 12, mtok, "a month is 1-12")
            return self.fixed_month(day, dtok, month)
        start = self.i
        month = self.accept(_MONTH_NAMES)
        month = self.number_words() if month is None else month
        if month is not None:
            self.in_range(month, 1, 12, self.toks[start], "a month is 1-12")
            return self.fixed_month(day, dtok, month)
        if self.accept(_LAST) is not None:
            return self.month_of_period(day, -1)
        if self.accept(_FIRST) is not None:
            return self.month_of_period(day, 1)
        if self.accept(_ORDINAL) is not None:
            k, ktok = self.ordinal()
            if self.accept(_NEXT) is not None:
                return self.months_away(day, k, month_tok)
            if self.accept(_PREV) is not None:
                return self.months_away(day, -k, month_tok)
            self.in_range(k, 1, self.months, ktok,
                          f"{self.describe_every()}; its period has {self.months} month(s)")
            return self.month_of_period(day, k)
        self.accept(_THIS_MONTH)
        self.require_monthly(month_tok)
        return _relative(day, -1, 0, self.months)

    def ordinal(self) -> tuple[int, _Tok]:
        """"thứ 2", "thứ hai", "thứ nhất"."""
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            k, tok = self.number("a number after 'thứ'")
        else:
            k = self.accept(_ORDINAL_NAMES)
            k = self.number_words() if k is None else k
            if k is None:
                self.fail("expected a number after 'thứ'", tok)
        return self.in_range(k, 1, MAX_COUNT, tok, f"counting starts at 1 and stops at {MAX_COUNT}"), tok

    def month_of_period(self, day, period_month: int) -> dict:
        """"tháng cuối (của) quý (sau)", "tháng đầu năm", "tháng thứ 2 của kỳ báo cáo"."""
        had_of = self.accept(_OF) is not None
        if self.period_name() is None:
            if had_of:
                self.fail("expected a period after 'của' ('quý', 'năm', 'kỳ báo cáo')")
            return _relative(day, period_month, 0, self.months)
        return _relative(day, period_month, self.shift() * self.months, self.months)

    def months_away(self, day, k: int, month_tok: _Tok) -> dict:
        """"tháng sau (tháng báo cáo | kỳ báo cáo)", "tháng thứ 2 trước kỳ báo cáo": k months
        after the period's last month, or before its first."""
        ref_tok = self.peek()
        if self.accept(_MONTH) is not None:
            self.accept(_THIS_MONTH)
            self.require_monthly(ref_tok)
        elif self.period_name() is None:
            self.require_monthly(month_tok)  # bare "tháng sau" counts from the reporting month
        if k > 0:
            return _relative(day, -1, k, self.months)
        return _relative(day, 1, k, self.months)

    # -------------------------------------------------------------------- top level
    def due(self) -> dict:
        self.skip_label()
        self.skip_due_lead()
        kind = self.due_kind()
        ref = self.dayref(kind)
        self.finish("the deadline")
        return {kind: ref}

    def due_kind(self) -> str:
        if self.accept(_BY) is not None:
            self.skip(_BY_FILLERS)
            # "chậm nhất trước ngày 15": the text names the boundary; 'trước' excludes it
            return "before" if self.accept(_BEFORE) is not None else "by"
        if self.accept(_BEFORE) is not None:
            return "before"
        return "by"  # a bare day is the last day allowed

    def window(self) -> dict | str:
        self.skip_label()
        self.skip(_WINDOW_LEADS)
        if self.accept(_NO_WINDOW) is not None:
            self.finish("'không'")
            return "none"
        self.expect(_WINDOW_FROM, "expected 'từ ngày ...' to open the data window")
        start = self.dayref("window")
        self.expect(_WINDOW_TO, "expected 'đến' or 'tới' after the first day of the window")
        end = "due" if self.accept(_TO_DUE) is not None else self.dayref("window")
        self.finish("the data window")
        return {"from": start, "to": end}

    def day(self) -> dict:
        ref = self.dayref("day")
        self.finish("the day")
        return ref


# ================================================================================================
# Canonical forms
# ================================================================================================


def _relative(day, period_month: int | None, months_offset: int, months: int) -> dict:
    """One spelling for each month a period-relative ref can name. The engine clamps
    period_month into the period, then adds months_offset; we do the same, then write the month
    as: inside the period, period_month (the last month by default); after it, months_offset
    from the last month; before it, months_offset from the first. A monthly period has one month,
    so any offset is counted from period_month 1 and an unshifted ref names no month at all."""
    pm = -1 if period_month is None else period_month
    index = pm - 1 if pm > 0 else months + pm
    index = max(0, min(months - 1, index)) + months_offset
    ref = {"day": day}
    if months == 1:
        if index:
            ref.update(period_month=1, months_offset=index)
    elif index < 0:
        ref.update(period_month=1, months_offset=index)
    elif index < months - 1:
        ref["period_month"] = index + 1
    elif index > months - 1:
        ref["months_offset"] = index - (months - 1)
    return ref


def _int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    return value


def _day_value(ref: dict):
    day = ref.get("day")
    if day == "last":
        return day
    day = _int(day, "'day'")
    if not 1 <= day <= 31:
        raise ValueError(f"'day' is 1-31 or 'last', not {day}")
    return day


def _only(ref: dict, allowed: set[str], form: str) -> None:
    extra = set(ref) - allowed
    if extra:
        raise ValueError(f"{form} takes {', '.join(sorted(allowed))}; not {', '.join(sorted(extra))}")


def _normalise_ref(ref, every: str, counts: bool) -> dict:
    months = _check_every(every)
    if not isinstance(ref, dict):
        raise ValueError(f"a day is a mapping, not {ref!r}")
    if "date" in ref:
        _only(ref, {"date"}, "a written date")
        date = ref["date"]
        if not isinstance(date, dt.date):
            raise ValueError(f"'date' must be a date, not {date!r}")
        if not YEARS[0] <= date.year <= YEARS[1]:
            raise ValueError(f"years are {YEARS[0]}-{YEARS[1]}, not {date.year}")
        return {"date": dt.date(date.year, date.month, date.day)}
    if "after" in ref:
        if not counts:
            raise ValueError("a data window is bounded by calendar days, not by a count of days")
        _only(ref, {"after", "days", "working_days"}, "a count of days")
        if ref["after"] not in RENDER_ANCHOR:
            raise ValueError(f"'after' is one of {', '.join(RENDER_ANCHOR)}, not {ref['after']!r}")
        units = [k for k in ("days", "working_days") if k in ref]
        if len(units) != 1:
            raise ValueError("a count of days gives exactly one of 'days', 'working_days'")
        n = _int(ref[units[0]], f"'{units[0]}'")
        if not 1 <= n <= MAX_COUNT:
            raise ValueError(f"'{units[0]}' is 1-{MAX_COUNT}, not {n}")
        return {"after": ref["after"], units[0]: n}
    day = _day_value(ref)
    if "month" in ref:
        _only(ref, {"day", "month", "year_offset"}, "a day and month")
        month = _int(ref["month"], "'month'")
        if not 1 <= month <= 12:
            raise ValueError(f"'month' is 1-12, not {month}")
        if day != "last" and day > calendar.monthrange(2024, month)[1]:
            raise ValueError(f"month {month} has no day {day}")
        out = {"day": day, "month": month}
        year_offset = _int(ref.get("year_offset", 0), "'year_offset'")
        if year_offset:
            out["year_offset"] = year_offset
        return out
    _only(ref, {"day", "period_month", "months_offset"}, "a day of the period")
    pm = ref.get("period_month")
    if pm is not None and (_int(pm, "'period_month'") == 0 or abs(pm) > 12):
        raise ValueError("'period_month' counts months of the period: 1 the first, -1 the last")
    return _relative(day, pm, _int(ref.get("months_offset", 0), "'months_offset'"), months)


def normalise_due(due: dict, every: str) -> dict:
    """The one canonical dict for a DUE: defaults dropped, equivalent months written one way."""
    if not isinstance(due, dict) or len(due) != 1 or next(iter(due)) not in RENDER_KIND:
        raise ValueError(f"a deadline is {{before: DAY}} or {{by: DAY}}, not {due!r}")
    (kind, ref), = due.items()
    return {kind: _normalise_ref(ref, every, counts=True)}


def normalise_window(window, every: str) -> dict | str:
    """The canonical WINDOW: "none", or from/to with "to" always present ("due" if missing)."""
    if window == "none":
        _check_every(every)
        return "none"
    if not isinstance(window, dict) or "from" not in window or set(window) - {"from", "to"}:
        raise ValueError(f"a data window is 'none' or {{from: DAY, to: due | DAY}}, not {window!r}")
    end = window.get("to", "due")
    return {"from": _normalise_ref(window["from"], every, counts=False),
            "to": "due" if end == "due" else _normalise_ref(end, every, counts=False)}


# ================================================================================================
# Rendering: the canonical phrase for a canonical form
# ================================================================================================


def _render_months_away(k: int, every: str) -> str:
    if MONTHS_PER_PERIOD[every] == 1:
        if k in (1, -1):
            return "tháng sau" if k > 0 else "tháng trước"
        return f"tháng thứ {abs(k)} {'sau' if k > 0 else 'trước'} tháng báo cáo"
    unit = RENDER_PERIOD[every]
    if abs(k) == 1 and unit != "kỳ báo cáo":
        # the natural wording: the first month of the next quarter, the last of the one before
        return f"tháng đầu {unit} sau" if k > 0 else f"tháng cuối {unit} trước"
    where = "sau" if k > 0 else "trước"
    return f"tháng {where} kỳ báo cáo" if abs(k) == 1 else f"tháng thứ {abs(k)} {where} kỳ báo cáo"


def _render_month(ref: dict, every: str) -> str:
    pm, off = ref.get("period_month"), ref.get("months_offset", 0)
    if off:
        return _render_months_away(off, every)
    if MONTHS_PER_PERIOD[every] == 1:
        return "tháng báo cáo"
    unit = RENDER_PERIOD[every]
    if pm is None:
        return f"tháng cuối {unit}"
    return f"tháng đầu {unit}" if pm == 1 else f"tháng thứ {pm} của {unit}"


def _render_ref(ref: dict, every: str) -> str:
    if "date" in ref:
        d = ref["date"]
        return f"ngày {d.day}/{d.month}/{d.year}"
    if "after" in ref:
        raise ValueError("a count of days is rendered with its deadline")  # see _render_count
    day = ref["day"]
    if "month" in ref:
        offset = ref.get("year_offset", 0)
        if offset not in RENDER_YEAR_OFFSET:
            raise ValueError(f"year_offset {offset} has no wording (only -1, 0, 1)")
        head = f"ngày cuối tháng {ref['month']}" if day == "last" else f"ngày {day}/{ref['month']}"
        return head + RENDER_YEAR_OFFSET[offset]
    return f"ngày {'cuối' if day == 'last' else day} {_render_month(ref, every)}"


def _render_count(kind: str, ref: dict, every: str) -> str:
    anchor = RENDER_ANCHOR[ref["after"]].format(period=RENDER_PERIOD_END[every])
    working = "working_days" in ref
    n = ref["working_days" if working else "days"]
    unit = "ngày làm việc" if working else "ngày"
    if kind == "before":
        return f"{RENDER_KIND['before']} {unit} thứ {n} kể từ {anchor}"
    return f"{RENDER_COUNT_BY} {n} {unit} kể từ {anchor}"


def render_due(due: dict, every: str) -> str:
    """A canonical Vietnamese phrase for ``due``; ``parse_due`` reads it back to the same form."""
    (kind, ref), = normalise_due(due, every).items()
    if "after" in ref:
        return _render_count(kind, ref, every)
    return f"{RENDER_KIND[kind]} {_render_ref(ref, every)}"


def render_window(window, every: str) -> str:
    """A canonical phrase for ``window``; ``parse_window`` reads it back to the same form."""
    window = normalise_window(window, every)
    if window == "none":
        return RENDER_NO_WINDOW
    end = "ngày báo cáo" if window["to"] == "due" else _render_ref(window["to"], every)
    return f"số liệu từ {_render_ref(window['from'], every)} đến {end}"


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


def due_phrases_in(text: str, every: str) -> list[tuple[str, dict]]:
    """The deadline phrases a sentence contains, each as written and read (normalised): the quote
    "Báo cáo tháng: Gửi trước ngày 14 của tháng, số liệu từ ..." holds «trước ngày 14 của tháng»."""
    folded, origin = _fold(text)
    found: list[tuple[str, dict]] = []
    for start in sorted({origin[i] for w in _DUE_TRIGGERS for i in _word_starts(folded, w)}):
        for end in _phrase_ends(text, start):
            candidate = text[start:end].strip()
            try:
                found.append((candidate, normalise_due(parse_due(candidate, every), every)))
                break
            except (PhraseError, ValueError):
                continue
    return found


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
