"""Typed plan objects: what a plan document says, as data, and the periods it speaks of.

This module is the one home of frequencies and periods: how many months a period spans, how
many a year has, how a period is written ("2024-05", "2024-Q1", "2024-H1", "2024"). No dates of
deadlines are computed here.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping


@dataclass(frozen=True)
class Frequency:
    """How often a report recurs, how its periods are named, and every word dvcq reads or writes
    for it: the one table of frequencies (the phrase grammar, `draft`, the desk and the output
    all take their words from here)."""

    name: str
    months: int  # months a period spans
    count: int  # periods in a year
    suffix: str  # label after the year: "" (2024), "-{n:02d}" (2024-05), "-Q{n}", "-H{n}", "-9M"
    recurring: bool = True
    dated: bool = True  # False: no deadline of its own (reports sent on request)
    # words
    default_id: str = ""  # the id `draft` gives its report ("monthly")
    title_vi: str = ""  # the report's name ("Báo cáo tháng")
    title_en: str = ""
    unit: str = "year"  # the period word that fits a rule of this frequency (a one-off: its year)
    period_names: tuple[str, ...] = ()  # words naming one such period ("quý", "6 tháng đầu năm")
    unit_words: tuple[str, ...] = ()  # the unit after "hằng"/"định kỳ hằng"/"mỗi" ("hằng quý")
    bare: bool = False  # its unit words name the frequency without a prefix ("báo cáo 6 tháng")
    period_word: str | None = None  # how dvcq writes "the period" in a phrase ("quý", "kỳ báo cáo")
    period_end_word: str = ""  # how dvcq writes the period in "ngày kết thúc {…}"
    # one period in a sentence ("quý II/2024"): {n} its number, {roman} in Roman numerals, {half}
    # "đầu" or "cuối", {year}
    spoken_vi: str = "năm {year}"


# "once" is a one-off tied to the plan's year; its period is that year. "nine-months" is the
# cumulative report of January to September. "on-request" is "báo cáo đột xuất / chuyên đề / theo
# yêu cầu": listed every year, with no date, never chased.
FREQUENCY: dict[str, Frequency] = {f.name: f for f in (
    Frequency("month", 1, 12, "-{n:02d}", default_id="monthly", title_vi="Báo cáo tháng",
              title_en="Monthly report", unit="month", period_names=("tháng",), unit_words=("tháng",),
              period_end_word="tháng", spoken_vi="tháng {n}/{year}"),
    Frequency("quarter", 3, 4, "-Q{n}", default_id="quarterly", title_vi="Báo cáo quý",
              title_en="Quarterly report", unit="quarter", period_names=("quý", "quí"), unit_words=("quý", "quí"),
              period_word="quý", period_end_word="quý", spoken_vi="quý {roman}/{year}"),
    Frequency("half", 6, 2, "-H{n}", default_id="semiannual", title_vi="Báo cáo 6 tháng",
              title_en="Six-month report", unit="half",
              period_names=("6 tháng đầu năm", "6 tháng cuối năm", "sáu tháng đầu năm", "sáu tháng cuối năm",
                            "6 tháng", "sáu tháng", "nửa năm"),
              unit_words=("6 tháng", "sáu tháng"), bare=True, period_word="kỳ báo cáo", period_end_word="6 tháng",
              spoken_vi="6 tháng {half} năm {year}"),
    Frequency("nine-months", 9, 1, "-9M", default_id="nine-months", title_vi="Báo cáo 9 tháng",
              title_en="Nine-month report", unit="nine-months",
              period_names=("9 tháng đầu năm", "chín tháng đầu năm", "9 tháng", "chín tháng"),
              unit_words=("9 tháng", "chín tháng"), bare=True, period_word="kỳ báo cáo", period_end_word="9 tháng",
              spoken_vi="9 tháng năm {year}"),
    Frequency("year", 12, 1, "", default_id="annual", title_vi="Báo cáo năm", title_en="Annual report",
              period_names=("năm",), unit_words=("năm",), period_word="năm", period_end_word="năm"),
    Frequency("once", 12, 1, "", recurring=False, default_id="one-off-report", title_vi="Báo cáo",
              title_en="Report", period_word="năm", period_end_word="kỳ báo cáo"),
    Frequency("on-request", 12, 1, "", dated=False, default_id="on-request", title_vi="Báo cáo theo yêu cầu",
              title_en="Report on request", period_word="năm", period_end_word="kỳ báo cáo"),
)}
FREQUENCIES = tuple(FREQUENCY)
PERIODS_PER_YEAR = {name: f.count for name, f in FREQUENCY.items()}
ROLLS = ("next", "previous", "keep")

# The period syntax, everywhere a period is written: the command line, task periods in a plan
# file, the JSON Schema. The month is checked for range after matching, to say what is wrong.
PERIOD_SYNTAX = r"(\d{4})(?:-(\d{1,2})|-[Qq]([1-4])|-[Hh]([12])|-(9)[Mm])?"
PERIOD_EXAMPLES = "2024, 2024-05, 2024-Q1, 2024-H1, 2024-9M"
# Dates dvcq computes stay in this range; a value that would leave it is a located bad-value.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def month_day(year: int, month: int, day: int | str) -> dt.date:
    """Day `day` of a month; "last" is its last day, and "ngày 31" of a 30-day month its last."""
    last = _cal.monthrange(year, month)[1]
    return dt.date(year, month, last if day == "last" else min(int(day), last))


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def parse_date_text(text: str) -> dt.date | None:
    """ISO 2024-05-15 or Vietnamese 15/5/2024; None when it is neither or not a real day."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
        if not m:
            return None
        d, mo, y = (int(x) for x in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


@dataclass(frozen=True)
class Period:
    """A reporting period: the 5th month, the 1st quarter, the 1st half, the year."""

    every: str
    year: int
    number: int = 1

    @property
    def frequency(self) -> Frequency:
        return FREQUENCY[self.every]

    @cached_property
    def label(self) -> str:  # asked for once per unit of a deadline: computed once
        return f"{self.year}{self.frequency.suffix.format(n=self.number)}"

    def __str__(self) -> str:
        return self.label

    @property
    def spoken_vi(self) -> str:
        """The period in a Vietnamese sentence: "tháng 10/2026", "quý I/2026", "6 tháng đầu năm 2026"."""
        return self.say_vi()

    def say_vi(self, with_year: bool = True) -> str:
        """`spoken_vi`, or without its year ("quý II", "6 tháng đầu năm") for a rule that recurs."""
        n = self.number
        text = self.frequency.spoken_vi.format(n=n, year=self.year if with_year else "", half="đầu" if n == 1 else "cuối",
                                               roman=("I", "II", "III", "IV")[n - 1] if n <= 4 else n)
        return text if with_year else text.rstrip("/ ")

    @property
    def first_month(self) -> int:
        return (self.number - 1) * self.frequency.months + 1

    @property
    def last_month(self) -> int:
        return self.first_month + self.frequency.months - 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return month_day(self.year, self.last_month, "last")

    def contains_month(self, month: int) -> bool:
        return self.first_month <= month <= self.last_month

    @classmethod
    def of_month(cls, every: str, year: int, month: int) -> "Period":
        """The period of frequency `every` that contains `month`."""
        return cls(every, year, (month - 1) // FREQUENCY[every].months + 1)

    @classmethod
    def all_in(cls, every: str, year: int, numbers=None) -> list["Period"]:
        return [cls(every, year, n) for n in (numbers or range(1, FREQUENCY[every].count + 1))]

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2024-05', '2024-Q1', '2024-H1', '2024'. Raises ValueError."""
        m = re.fullmatch(PERIOD_SYNTAX, str(text).strip())
        if not m:
            from dvcq.core.messages import Said  # the reason, said in the run's language where it is printed

            raise ValueError(Said("period.not_a_period", text=text, examples=PERIOD_EXAMPLES))
        year = int(m.group(1))
        if m.group(2):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                from dvcq.core.messages import Said

                raise ValueError(Said("period.no_month", text=text, month=month))
            return cls("month", year, month)
        if m.group(3):
            return cls("quarter", year, int(m.group(3)))
        if m.group(4):
            return cls("half", year, int(m.group(4)))
        if m.group(5):
            return cls("nine-months", year)
        return cls("year", year)


@dataclass(frozen=True)
class DayRef:
    """A calendar day named relative to a period, as plan texts name them.

    Exactly one of three forms:
    - ``date``: a full date as written ("15/5/2024"); in a recurring rule it moves with the period's
      year (the year in the text is the plan's year), in a one-off it is fixed;
    - ``month`` (1-12): a fixed day and month of the period's year, plus ``year_offset``
      ("14/6 hằng năm"; "14/11 năm trước" is month 11, year_offset -1);
    - ``period_month``: a month counted within the period, 1 the first, -1 the last
      ("ngày 15 tháng cuối của quý" is day 15, period_month -1), then shifted by ``months_offset``
      ("ngày 14 tháng trước" is day 14, period_month 1, months_offset -1).
    ``day`` may be ``"last"`` for the month's last day.

    Or a count from an anchor ("trong thời hạn 03 ngày làm việc kể từ ngày chốt số liệu"): ``after``
    is "period-end" or "window-end", or "day" with ``anchor`` the named day it counts from ("kể từ
    ngày 25 hằng tháng", "kể từ ngày 30/6"), ``count`` days (``working``: working days) after it.
    Counting starts the day after the anchor (Civil Code 2015 art. 147).
    """

    day: int | str | None = None
    date: dt.date | None = None
    month: int | None = None
    year_offset: int = 0
    period_month: int | None = None
    months_offset: int = 0
    after: str | None = None  # "period-end" | "window-end" | "day" (then `anchor` names it)
    count: int = 0
    working: bool = False
    anchor: "DayRef | None" = None  # the named day a count starts from (after == "day")

    def spec(self) -> dict:
        """The structured form a plan file spells this day with (what the phrase grammar reads)."""
        if self.after is not None:
            after = self.anchor.spec() if self.after == "day" else self.after
            return {"after": after, ("working_days" if self.working else "days"): self.count}
        if self.date is not None:
            return {"date": self.date}
        out: dict = {"day": self.day}
        if self.month is not None:
            out["month"] = self.month
            if self.year_offset:
                out["year_offset"] = self.year_offset
            return out
        if self.period_month not in (None, -1):
            out["period_month"] = self.period_month
        if self.months_offset:
            out["months_offset"] = self.months_offset
        return out


@dataclass(frozen=True)
class Due:
    """A deadline as the text states it. ``before`` is exclusive ("trước ngày 15": last day 14);
    ``by`` is inclusive ("chậm nhất ngày 28", "trong ngày")."""

    kind: str  # "before" | "by"
    ref: DayRef

    def spec(self) -> dict:
        return {self.kind: self.ref.spec()}


@dataclass(frozen=True)
class Window:
    """The data window (số liệu). ``end`` None means "tới ngày báo cáo": it ends on ``due``."""

    start: DayRef
    end: DayRef | None
    basis: str  # "plan" | "decree-09"

    def spec(self) -> dict:
        return {"from": self.start.spec(), "to": "due" if self.end is None else self.end.spec()}


# Decree 09/2019/NĐ-CP art. 12: from the 15th of the month before the period to the 14th of its
# last month. Expressed with DayRefs it is one rule for every frequency.
DECREE_09_WINDOW = Window(
    start=DayRef(day=15, period_month=1, months_offset=-1),
    end=DayRef(day=14, period_month=-1),
    basis="decree-09",
)


@dataclass(frozen=True)
class Source:
    section: str
    quote: str
    erratum: str | None = None


Positions = Mapping[str, tuple[int, int]]  # what -> (line, col) in the plan file, as the loader found it


@dataclass(frozen=True)
class Rule:
    """One report obligation (recurring or one-off) or one key task of a plan."""

    id: str
    title: str
    every: str  # a key of FREQUENCY
    due: Due | None  # None for key tasks, which are due at the end of each listed period
    source: Source
    sender: str | None = None
    recipient: str | None = None
    periods: tuple[int, ...] | None = None  # subset of period numbers (quarters 1..4 etc.)
    window: Window | None = None  # None: no data window (one-offs, tasks)
    merged: dict[int, str] = field(default_factory=dict)  # period number (month, quarter, half) -> report it folds into
    feeds: str | None = None  # two-tier chain: the report this one is an input to
    roll: str | None = None  # overrides the plan's roll
    task_periods: tuple[Period, ...] = ()  # key tasks: the periods they are to be completed in
    lead: str | None = None  # key tasks: cơ quan chủ trì
    partners: str | None = None  # key tasks: cơ quan phối hợp
    note: str | None = None  # an encoding choice and why
    ignore: tuple[str, ...] = ()  # check codes silenced for this rule
    per_unit: bool = True  # False: one body sends it (e.g. Sở Nội vụ's own), not every unit
    line: int = 1  # where the rule starts in its file
    at: Positions = field(default_factory=dict, compare=False)
    kind: str = "report"  # "report" | "task" (a key task of an appendix)
    review: str | None = None  # set by `dvcq plan next`: the previous edition's wording, until reviewed

    @property
    def recurring(self) -> bool:
        return FREQUENCY[self.every].recurring

    @property
    def dated(self) -> bool:
        return FREQUENCY[self.every].dated

    @property
    def is_task(self) -> bool:
        return self.kind == "task"

    @property
    def owed_per_unit(self) -> bool:
        """Owed by every listed unit (a report), not once (a key task, or one body's own report)."""
        return self.per_unit and not self.is_task

    def periods_in(self, year: int) -> list[Period]:
        if not self.recurring:
            return [Period(self.every, year)]
        return Period.all_in(self.every, year, self.periods)


@dataclass(frozen=True)
class Unit:
    """A body expected to report (sở, ban, ngành, huyện ...)."""

    id: str
    name: str
    kind: str = ""
    aliases: tuple[str, ...] = ()  # how registers write its name
    start: dt.date | None = None  # first day it existed, when that is after the plan began
    end: dt.date | None = None  # last day it existed
    became: str | None = None  # its successor: a unit id of the same file, or a name
    note: str | None = None

    def exists_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def governing(editions, year: int):
    """The edition of a plan that governs `year`: the one covering it, else the latest before it
    (its recurring rules projected onto the year), provided the plan is still in force; None when
    the plan had not begun or had ended."""
    covering = [p for p in editions if year in p.years]
    earlier = [p for p in editions if p.years[-1] < year]
    plan = covering[0] if covering else (earlier[-1] if earlier else None)
    return plan if plan is not None and plan.in_force(year) else None


@dataclass(frozen=True)
class PlanEnd:
    """When a plan stops applying, why, and what replaced it (its issuer merged, a newer plan)."""

    date: dt.date  # the last day it applies
    why: str
    successor: str | None = None  # a plan id, or the body/document that took over


@dataclass(frozen=True)
class Plan:
    id: str
    issuer: str
    document: str
    issued: dt.date | None  # None when the text leaves the day blank
    issued_text: str
    years: tuple[int, ...]
    title: str
    roll: str
    rules: tuple[Rule, ...]
    path: str
    errata: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()  # with units, each report deadline is an obligation per unit
    at: Positions = field(default_factory=dict, compare=False)
    end: PlanEnd | None = None
    notes: tuple[str, ...] = ()  # what the plan file says of itself (e.g. units not listed)
    units_file: str | None = None  # the units file read, when `units:` names one

    def in_force(self, year: int) -> bool:
        """Whether the plan applies in any part of `year` (a projected year included)."""
        return self.end is None or year <= self.end.date.year

    @property
    def year(self) -> int:
        return self.years[0]

    @cached_property
    def _rules_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def rule(self, rule_id: str) -> Rule | None:
        return self._rules_by_id.get(rule_id)

    @cached_property
    def _units_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    def unit(self, unit_id: str) -> Unit | None:
        return self._units_by_id.get(unit_id)
