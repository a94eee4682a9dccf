"""The parser: recursive descent over the tokens, one method per rule of the grammar (see the package docstring)."""
from __future__ import annotations

import calendar
import datetime as dt
from typing import NoReturn

from dvcq.core.model import FREQUENCIES
from dvcq.core.messages import Said as _said  # a reason's parts, said in the run's language where printed
from dvcq.core.phrases.vocabulary import MAX_COUNT, MONTHS_PER_PERIOD, PERIOD_UNIT, YEARS
from dvcq.core.phrases.forms import _check_every, _relative
from dvcq.core.phrases.tokens import (PhraseError, _BEFORE, _BULLETS, _BY, _BY_FILLERS, _CLOSE,
                                      _DATE_SEPARATORS, _DAY, _DIGIT_TABLE, _DUE_LEADS, _EVENT_FILLERS,
                                      _FIRST, _HUNDRED, _LABEL_HEADS, _LAST, _MONTH, _MONTH_NAMES, _NEXT,
                                      _NO_TENS, _NO_WINDOW, _OF, _OPEN, _ORDINAL, _ORDINAL_COUNT,
                                      _ORDINAL_NAMES, _PERIOD_END, _PERIOD_NAMES, _PREV, _REPORT, _SENDING,
                                      _SINCE, _TEN_KEY, _THE_REPORT_YEAR, _THIS_MONTH, _THIS_YEAR, _TO_DUE,
                                      _TRAILING, _Tok, _WINDOW_END, _WINDOW_FROM, _WINDOW_LEADS, _WINDOW_TO,
                                      _WORKING, _YEAR, _at, _drop_frequency_words, _match_at, _tokenize)
from dvcq.core.phrases.tokens import _AND, _CUTOFF_FILLERS, _ON, _WHOLE

# Rules whose period is made of quarters: "tháng cuối quý" there is the last month of the quarter
# that ends the period ("Báo cáo quý và 6 tháng: chậm nhất ngày 25 tháng cuối quý": 25/6 for the half).
_SUBDIVIDED = ("half", "nine-months", "year")
_NO_COUNT = {"window": "phrase.no_count_window", "anchor": "phrase.no_count_anchor"}  # message ids

# ================================================================================================
# The parser: recursive descent over the tokens, one method per rule of the grammar above
# ================================================================================================



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

    def fail(self, why: str, tok: _Tok | None = None, **values) -> NoReturn:
        """Stop at `tok` (the next token; the end of the text when none): the reason is message `why`
        of core.messages, with `values`, said in the run's language where it is printed."""
        tok = tok or self.peek()
        if tok is None:
            raise PhraseError(why, "", len(self.text), values)
        raise PhraseError(why, self.text[tok.start:tok.end], tok.start, values)

    def skip(self, words) -> int:
        """Accept as many of `words` as follow; how many there were."""
        count = 0
        while self.accept(words) is not None:
            count += 1
        return count

    def finish(self, what: str) -> None:
        self.skip(_TRAILING)
        if self.peek() is not None:
            self.fail("phrase.end_expected", what=_said(what))

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
            self.fail("phrase.expected", what=_said(what))
        self.i += 1
        if self.accept(_OPEN) is not None:
            first = self.peek()
            said = self.number_words()
            if said is None:
                self.fail("phrase.words_in_brackets")
            self.expect(_CLOSE, "phrase.close_after_words")
            if said != tok.value:
                self.fail("phrase.brackets_differ", first, said=said, number=self.word(tok))
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
                return total + self.take_digit_word("phrase.what.digit_after_linh")
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
                self.fail("phrase.expected", what=_said(required))
            return 0
        self.i += 1
        return d

    def word(self, tok: _Tok) -> str:
        return self.text[tok.start:tok.end]

    def in_range(self, value: int, low: int, high: int, tok: _Tok, why: str, **values) -> int:
        if not low <= value <= high:
            self.fail(why, tok, **values)
        return value

    # -------------------------------------------------------------------- periods
    def describe_every(self):
        return _said(f"phrase.recurs.{self.every}")

    def fits(self, unit: str, tok: _Tok) -> None:
        if unit != "any" and unit != PERIOD_UNIT[self.every] and self.sub_months(unit) == self.months:
            self.fail("phrase.names_other", tok, word=self.word(tok), unit=_said(f"phrase.a_period.{unit}"),
                      every=self.describe_every())

    def period_name(self, required: str | None = None) -> str | None:
        """"quý", "kỳ báo cáo", "6 tháng đầu năm" ...: checked against the rule's frequency."""
        tok = self.peek()
        unit = self.accept(_PERIOD_NAMES)
        if unit is None:
            if required:
                self.fail("phrase.expected", what=_said(required))
            return None
        self.accept(_REPORT)  # "quý báo cáo"
        self.fits(unit, tok)
        return unit

    def sub_months(self, unit: str) -> int:
        """Months of the period a name calls up: the rule's own, or a quarter inside a period made of
        quarters (a half, nine months, a year), the one that ends it."""
        inner = MONTHS_PER_PERIOD.get(unit, 0)
        if (self.every in _SUBDIVIDED and unit != PERIOD_UNIT[self.every] and unit != "month"
                and 0 < inner < self.months and self.months % inner == 0):
            return inner
        return self.months

    def in_named_period(self, day, period_month: int, unit: str) -> dict:
        """Day `day` of month `period_month` (1 the first, -1 the last) of the named period, then
        shifted by a following "sau"/"trước" by that period's length."""
        sub = self.sub_months(unit)
        index = min(sub, period_month) - 1 if period_month > 0 else max(0, sub + period_month)
        return _relative(day, self.months - sub + index + 1, self.shift() * sub, self.months)

    def year_edge(self, day, month: int) -> dict | None:
        """"(từ) đầu năm" in a rule whose period is shorter than a year (data counted from the start
        of the year): 1/1 of the period's year; None when no "năm" follows or the rule is yearly.
        Only the start: "kết thúc năm" in a quarterly rule stays a mistake."""
        if PERIOD_UNIT[self.every] == "year" or not self.at(_YEAR):
            return None
        year = self.year_part()
        if isinstance(year, tuple):
            return self.full_date(day, None, month, *year)
        return {"day": day, "month": month, **({"year_offset": year} if year else {})}

    def require_monthly(self, tok: _Tok) -> None:
        """Bare "tháng" is the reporting month, which only a monthly rule has."""
        if self.every != "month":
            self.fail("phrase.bare_month", tok, word=self.word(tok), every=self.describe_every())

    # -------------------------------------------------------------------- days
    def dayref(self, kind: str) -> dict:
        """``kind``: "before", "by", "day" (a bare day), "window" or "anchor" (the day a count
        starts from): no counts of days in the last two."""
        if self.accept(_DAY) is not None:
            if self.at(_ORDINAL_COUNT):
                return self.ordinal_count(kind)
            if self.accept(_LAST) is not None:
                return self.after_day("last", None)
            if self.accept(_FIRST) is not None:
                return self.first_day()
            day, tok = self.number("phrase.what.day_number")
            return self.after_day(day, tok)
        if self.accept(_LAST) is not None:
            return self.after_day("last", None)
        if self.accept(_FIRST) is not None:
            return self.first_day()
        tok = self.peek()
        if kind in ("by", "before") and self.at(_MONTH) and self.peek(1) is not None and self.peek(1).kind == "num":
            self.i += 1
            return self.named_month(kind)
        if tok is not None and tok.kind == "num":
            n, tok = self.number("phrase.what.number")
            if self.at(_DAY):  # "30 ngày kể từ": a count, not a day of the month
                return self.count(n, tok, kind)
            return self.after_day(n, tok)
        self.fail("phrase.expected_day")

    def count(self, n: int, tok: _Tok, kind: str) -> dict:
        if kind in _NO_COUNT:
            self.fail(_NO_COUNT[kind], tok)
        if kind == "before":
            # "trước 30 ngày" reads as "30 days before": the text must say which day it means
            self.fail("phrase.before_count", tok)
        self.accept(_DAY)
        working = self.accept(_WORKING) is not None
        return self.counted(n, tok, working)

    def ordinal_count(self, kind: str) -> dict:
        """"ngày (làm việc) thứ 30 kể từ ...": the 30th day counted from an event."""
        working = self.accept(_WORKING) is not None
        self.expect(_ORDINAL, "phrase.expected_ordinal")
        n, tok = self.number("phrase.what.count_after_ordinal")
        if kind in _NO_COUNT:
            self.fail(_NO_COUNT[kind], tok)
        return self.counted(n, tok, working)

    def counted(self, n: int, tok: _Tok, working: bool) -> dict:
        self.in_range(n, 1, MAX_COUNT, tok, "phrase.count_range", most=MAX_COUNT)
        self.expect(_SINCE, "phrase.expected_since")
        return {"after": self.anchor(), ("working_days" if working else "days"): n}

    def anchor(self) -> str | dict:
        """What a count starts from: "ngày chốt số liệu" ("window-end"; with the day in brackets,
        "(ngày 20 hằng tháng)", that day), "ngày kết thúc <kỳ>" ("period-end"), or a day the text
        names: "ngày kết thúc tháng 9", "ngày 25 hằng tháng", "ngày 30/6", "ngày 15 tháng 12"."""
        start = self.i
        self.skip(_EVENT_FILLERS)
        if self.accept(_WINDOW_END) is not None:
            if self.accept(_OPEN) is None:
                return "window-end"
            named = self.dayref("anchor")
            self.expect(_CLOSE, "phrase.close_after_cutoff")
            return named
        if self.accept(_PERIOD_END) is not None:
            month_tok = self.peek()
            if self.at(_MONTH) and self.names_a_month(1):
                self.i += 1
                return self.month_phrase("last", None, month_tok)
            self.period_name(required="phrase.what.period_after_end")
            return "period-end"
        self.i = start
        self.accept(_DAY)
        tok = self.peek()
        if tok is None or not (tok.kind == "num" or self.at(_LAST) or self.at(_FIRST)):
            self.fail("phrase.expected_anchor")
        self.i = start
        return self.dayref("anchor")

    def names_a_month(self, k: int) -> bool:
        """Whether the words k tokens on name a month after "tháng" ("9", "chín", "cuối quý", "sau")."""
        tok = self.peek(k)
        if tok is None:
            return False
        return (tok.kind == "num" or self.digit_word(k) is not None or self.is_ten(k)
                or any(self.at(t, k) for t in (_LAST, _FIRST, _ORDINAL, _NEXT, _PREV, _MONTH_NAMES)))

    def after_day(self, day: int | str, tok: _Tok | None) -> dict:
        """What follows the day: a month and maybe a year, a month of the period, or nothing."""
        if day != "last":
            self.in_range(day, 1, 31, tok, "phrase.day_range")
        sep = self.date_separator(None)
        if sep:
            self.i += 1
            month, mtok = self.number("phrase.what.month_number")
            self.in_range(month, 1, 12, mtok, "phrase.month_range")
            if self.date_separator(sep):
                self.i += 1
                year, ytok = self.number("phrase.what.year")
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
                return self.in_named_period(day, -1, unit)
        if had_of:
            self.fail("phrase.month_after_of")
        return _relative(day, -1, 0, self.months)

    def named_month(self, kind: str) -> dict:
        """A deadline that names a whole month: "(hoàn thành) trong tháng 6/2025" is by its last day,
        "trước tháng 6" before its first."""
        month, mtok = self.number("phrase.what.month_number")
        self.in_range(month, 1, 12, mtok, "phrase.month_range")
        day = 1 if kind == "before" else "last"
        if self.date_separator(None) == "/":
            self.i += 1
            year, ytok = self.number("phrase.what.year")
            return self.full_date(day, None, month, year, ytok)
        return self.fixed_month(day, None, month)

    def first_day(self) -> dict:
        """After "(ngày) đầu (tiên)": day 1 of the month or period named next ("ngày đầu tháng 9",
        "ngày đầu của quý sau", "từ đầu năm"); "ngày đầu" alone is the period's first day."""
        had_of = self.accept(_OF) is not None
        month_tok = self.peek()
        if self.accept(_MONTH) is not None:
            return self.month_phrase(1, None, month_tok)
        year = self.year_edge(1, 1)
        if year is not None:
            return year
        unit = self.period_name()
        if unit is not None:
            return self.in_named_period(1, 1, unit)
        if had_of:
            self.fail("phrase.month_or_period_after_of")
        return _relative(1, 1, 0, self.months)

    def whole(self) -> tuple[dict, dict]:
        """After "trọn": the first and last day of the month or period named ("trọn tháng báo cáo",
        "trọn quý", "trọn năm", "trọn tháng cuối quý")."""
        self.accept(_OF)
        month_tok = self.peek()
        if self.accept(_MONTH) is not None:
            first = self.month_phrase(1, None, month_tok)
        else:
            unit = self.period_name(required="phrase.what.period_after_whole")
            sub = self.sub_months(unit)
            shift = self.shift() * sub
            return (_relative(1, self.months - sub + 1, shift, self.months),
                    _relative("last", -1, shift, self.months))
        if "date" in first:
            d = first["date"]
            return first, {"date": d.replace(day=calendar.monthrange(d.year, d.month)[1])}
        return first, {**first, "day": "last"}

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

    def full_date(self, day, dtok: _Tok | None, month: int, year: int, ytok: _Tok) -> dict:
        self.in_range(year, *YEARS, ytok, "phrase.year_range", first=YEARS[0], last=YEARS[1])
        days = calendar.monthrange(year, month)[1]
        if day == "last":
            day = days
        self.in_range(day, 1, days, dtok, "phrase.days_in_month", month=month, year=year, days=days)
        return {"date": dt.date(year, month, day)}

    def fixed_month(self, day, dtok, month: int) -> dict:
        """A day and month, then perhaps a year ("năm 2024") or a year relative to the period's."""
        year = self.year_part()
        if isinstance(year, tuple):
            return self.full_date(day, dtok, month, *year)
        if day != "last":
            # no year: 29/2 is allowed (a leap year will come), 30/2 and 31/4 are not
            most = calendar.monthrange(2024, month)[1]
            self.in_range(day, 1, most, dtok, "phrase.most_days", month=month, most=most)
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
                self.fail("phrase.year_after_of")
            return 0
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            return self.number("phrase.what.year")
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
            month, mtok = self.number("phrase.what.month_number")
            self.in_range(month, 1, 12, mtok, "phrase.month_range")
            return self.fixed_month(day, dtok, month)
        start = self.i
        month = self.accept(_MONTH_NAMES)
        month = self.number_words() if month is None else month
        if month is not None:
            self.in_range(month, 1, 12, self.toks[start], "phrase.month_range")
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
            self.in_range(k, 1, self.months, ktok, "phrase.months_in_period", every=self.describe_every(), months=self.months)
            return self.month_of_period(day, k, ktok)
        self.accept(_THIS_MONTH)
        self.require_monthly(month_tok)
        return _relative(day, -1, 0, self.months)

    def ordinal(self) -> tuple[int, _Tok]:
        """"thứ 2", "thứ hai", "thứ nhất"."""
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            k, tok = self.number("phrase.what.number_after_ordinal")
        else:
            k = self.accept(_ORDINAL_NAMES)
            k = self.number_words() if k is None else k
            if k is None:
                self.fail("phrase.expected", tok, what=_said("phrase.what.number_after_ordinal"))
        return self.in_range(k, 1, MAX_COUNT, tok, "phrase.ordinal_range", most=MAX_COUNT), tok

    def month_of_period(self, day, period_month: int, ktok: _Tok | None = None) -> dict:
        """"tháng cuối (của) quý (sau)", "tháng đầu năm", "tháng thứ 2 của kỳ báo cáo"."""
        had_of = self.accept(_OF) is not None
        unit = self.period_name()
        if unit is None:
            if had_of:
                self.fail("phrase.period_after_of")
            return _relative(day, period_month, 0, self.months)
        sub = self.sub_months(unit)
        if ktok is not None and period_month > sub:  # "tháng thứ 4 của quý" in an annual rule
            self.fail("phrase.unit_months", ktok, word=self.word(ktok), unit=_said(f"phrase.a_period.{unit}"), months=sub)
        return self.in_named_period(day, period_month, unit)

    def months_away(self, day, k: int, month_tok: _Tok) -> dict:
        """"tháng sau (tháng báo cáo | kỳ báo cáo)", "tháng thứ 2 trước kỳ báo cáo": k months
        after the period's last month, or before its first."""
        ref_tok = self.peek()
        unit = None
        if self.accept(_MONTH) is not None:
            self.accept(_THIS_MONTH)
            self.require_monthly(ref_tok)
        else:
            unit = self.period_name()
            if unit is None:
                self.require_monthly(month_tok)  # bare "tháng sau" counts from the reporting month
        if k > 0:
            return _relative(day, -1, k, self.months)
        first = 1 if unit is None else self.months - self.sub_months(unit) + 1
        return _relative(day, first, k, self.months)

    # -------------------------------------------------------------------- top level
    def due(self) -> dict:
        self.skip_label()
        self.skip_due_lead()
        kind = self.due_kind()
        ref = self.dayref(kind)
        if self.at(_AND):
            ref = self.one_per_period(kind, ref)
        self.finish("phrase.what.deadline")
        return {kind: ref}

    def one_per_period(self, kind: str, first: dict) -> dict:
        """"ngày 20 tháng 6 và ngày 20 tháng 12" in a 6-month rule: one day of the year for each
        period, each at the same place in its period, is that place: {"day": 20} (the 20th of each
        half's last month). Days that are not one per period, alike, are refused."""
        and_tok = self.peek()
        refs = [first]
        while self.accept(_AND) is not None:
            refs.append(self.dayref(kind))
        count = 12 // self.months
        if not (self.every in ("month", "quarter", "half") and len(refs) == count
                and all(set(r) <= {"day", "month", "year_offset"} and "month" in r for r in refs)):
            self.fail("phrase.days_for_one", and_tok, days=len(refs), every=self.describe_every(), count=count)
        # "31/3, 30/6, 30/9 và 31/12": each month's last day (February's varies: only as "cuối")
        places = {("last" if r["month"] != 2 and r["day"] == calendar.monthrange(2001, r["month"])[1] else r["day"],
                   r["month"] + 12 * r.get("year_offset", 0) - (i * self.months + 1))
                  for i, r in enumerate(sorted(refs, key=lambda r: (r.get("year_offset", 0), r["month"])))}
        if len(places) != 1:
            self.fail("phrase.days_not_alike", and_tok)
        (day, offset), = places
        return _relative(day, 1, offset, self.months)

    def due_kind(self) -> str:
        if self.accept(_BY) is not None:
            self.skip(_BY_FILLERS)
            # "chậm nhất trước ngày 15": the text names the boundary; 'trước' excludes it
            return "before" if self.accept(_BEFORE) is not None else "by"
        if self.accept(_BEFORE) is not None:
            return "before"
        if self.accept(_ON) is not None:  # "gửi vào ngày 25": on that day at the latest
            return "before" if self.accept(_BEFORE) is not None else "by"
        return "by"  # a bare day is the last day allowed

    def window(self) -> dict | str:
        self.skip_label()
        self.skip(_WINDOW_LEADS)
        if self.accept(_NO_WINDOW) is not None:
            self.finish("phrase.what.no_window")
            return "none"
        if self.accept(_WHOLE) is not None:  # "số liệu tính trọn tháng báo cáo"
            start, end = self.whole()
            self.finish("phrase.what.window")
            return {"from": start, "to": end}
        self.expect(_WINDOW_FROM, "phrase.expected_window_from")
        start = self.dayref("window")
        self.expect(_WINDOW_TO, "phrase.expected_window_to")
        end = "due" if self.accept(_TO_DUE) is not None else self.dayref("window")
        self.finish("phrase.what.window")
        return {"from": start, "to": end}

    def day(self) -> dict:
        ref = self.dayref("day")
        self.finish("phrase.what.day")
        return ref

    def cutoff(self) -> tuple[dict, int]:
        """What follows "chốt (số liệu)": "(vào | đến hết) ngày 20 hằng tháng" -> (the day, the
        offset in the text where its words start)."""
        self.skip(_CUTOFF_FILLERS)
        tok = self.peek()
        ref = self.dayref("anchor")
        self.finish("phrase.what.cutoff")
        return ref, tok.start
