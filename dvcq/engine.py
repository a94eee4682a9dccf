"""The date-rule engine: from a plan's rules and a year to concrete deadlines. Pure: no I/O.

For each rule and each period of the year: resolve the day the text names, turn it into the last
on-time day (`due`: "trước ngày 15" is the 14th), move it off days off (`effective_due`, Civil Code
2015 art. 148(5) by default) and resolve the data window.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from .model import DayRef, Plan, Rule, Source
from .workdays import WorkCalendar

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "half": 6, "year": 12, "once": 12}
PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "half": 2, "year": 1, "once": 1}


@dataclass(frozen=True)
class Period:
    """A reporting period: the 5th month, the 1st quarter, the 1st half, the year."""

    every: str
    year: int
    number: int = 1

    @property
    def label(self) -> str:
        if self.every == "month":
            return f"{self.year}-{self.number:02d}"
        if self.every == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.every == "half":
            return f"{self.year}-H{self.number}"
        return str(self.year)

    @property
    def first_month(self) -> int:
        return (self.number - 1) * MONTHS_PER_PERIOD[self.every] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + MONTHS_PER_PERIOD[self.every] - 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return _month_day(self.year, self.last_month, "last")

    def contains_month(self, month: int) -> bool:
        return self.first_month <= month <= self.last_month

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2024-05', '2024-Q1', '2024-H1', '2024'. Raises ValueError."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})|-[Qq]([1-4])|-[Hh]([12]))?", text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a period (2024, 2024-05, 2024-Q1, 2024-H1)")
        year = int(m.group(1))
        if m.group(2):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r}: month {month} does not exist")
            return cls("month", year, month)
        if m.group(3):
            return cls("quarter", year, int(m.group(3)))
        if m.group(4):
            return cls("half", year, int(m.group(4)))
        return cls("year", year)


@dataclass(frozen=True)
class Deadline:
    """One row of `dvcq deadlines`: a report for a period, or a key task."""

    plan: str
    report: str
    title: str
    span: Period  # the reporting period; `period` is its label
    due: dt.date | None  # last on-time day as written; None for a merged month
    effective_due: dt.date | None  # after moving off a day off
    window_start: dt.date | None
    window_end: dt.date | None
    merged_into: str | None  # "quarterly:2024-Q1" when this month is folded into another report
    sender: str | None
    recipient: str | None
    source: Source
    projected: bool
    written: dt.date | None = None  # the day the text names ("trước ngày 14" -> the 14th)
    due_kind: str | None = None  # "before" | "by" | "end-of-period"
    roll: str = "next"
    moved_because: tuple[tuple[dt.date, str], ...] = ()  # the days off skipped, with reasons
    window_basis: str | None = None

    @cached_property
    def period(self) -> str:
        """'2024-05', '2024-Q1', '2024-H1' or '2024'."""
        return self.span.label

    @property
    def moved(self) -> bool:
        return self.due is not None and self.effective_due != self.due


@dataclass(frozen=True)
class Schedule:
    plan: Plan
    year: int
    projected: bool
    deadlines: tuple[Deadline, ...]


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_day(year: int, month: int, day) -> dt.date:
    last = _cal.monthrange(year, month)[1]
    # "ngày 31" in a 30-day month means its last day; the loader rejects days no month has
    return dt.date(year, month, last if day == "last" else min(int(day), last))


def resolve(ref: DayRef, period: Period, edition_year: int) -> dt.date:
    """The calendar day a DayRef names for a period."""
    if ref.date is not None:
        if period.every == "once":
            return ref.date
        # the year written in a recurring rule is the plan's year: it moves with the period
        shift = period.year - edition_year
        return _month_day(ref.date.year + shift, ref.date.month, ref.date.day)
    if ref.month is not None:
        return _month_day(period.year + ref.year_offset, ref.month, ref.day)
    months = MONTHS_PER_PERIOD[period.every]
    pm = ref.period_month if ref.period_month is not None else -1
    index = pm - 1 if pm > 0 else months + pm
    index = max(0, min(months - 1, index))
    year, month = add_months(period.year, period.first_month + index, ref.months_offset)
    return _month_day(year, month, ref.day)


def periods_of(rule: Rule, year: int) -> list[Period]:
    if rule.every == "once":
        return [Period("once", year)]
    numbers = rule.periods or range(1, PERIODS_PER_YEAR[rule.every] + 1)
    return [Period(rule.every, year, n) for n in numbers]


def apply_roll(day: dt.date, roll: str, cal: WorkCalendar, lang: str = "vi") -> tuple[dt.date, tuple]:
    """Move a last day that is not a working day. Returns the date and the days skipped, with why."""
    if roll == "keep":
        return day, ()
    step = dt.timedelta(days=1 if roll == "next" else -1)
    skipped = []
    current = day
    while (reason := cal.why_not_working(current, lang)) is not None:
        skipped.append((current, reason))
        current += step
    return current, tuple(skipped)


def _target_period(target: Rule, year: int, month: int) -> Period:
    months = MONTHS_PER_PERIOD[target.every]
    return Period(target.every, year, (month - 1) // months + 1)


def _edition_year(plan: Plan, year: int) -> int:
    return year if year in plan.years else plan.years[0]


def schedule(plan: Plan, year: int, cal: WorkCalendar, roll: str | None = None, lang: str = "vi") -> Schedule:
    """Every deadline of `plan` for `year`, in due order.

    A year the plan does not cover is projected: recurring rules are applied to it and every row
    is marked; one-offs and key tasks, tied to the plan's own year, are left out.
    """
    projected = year not in plan.years
    edition = _edition_year(plan, year)
    rows: list[tuple[tuple, Deadline]] = []
    for order, rule in enumerate(plan.rules):
        if projected and not rule.recurring:
            continue
        rule_roll = roll or rule.roll or plan.roll
        if rule.is_task:
            for label in rule.task_periods:
                period = Period.parse(label)
                if period.year != year:
                    continue
                written = period.end  # "hoàn thành trong Quý IV/2024": by its last day
                effective, moved = apply_roll(written, rule_roll, cal, lang)
                rows.append(((written, order), Deadline(
                    plan=plan.id, report=rule.id, title=rule.title, span=period, due=written,
                    effective_due=effective, window_start=None, window_end=None, merged_into=None,
                    sender=rule.lead, recipient=rule.recipient, source=rule.source, projected=False,
                    written=written, due_kind="end-of-period", roll=rule_roll, moved_because=moved,
                )))
            continue
        for period in periods_of(rule, year):
            if period.every == "month" and period.number in rule.merged:
                target = plan.rule(rule.merged[period.number])
                target_period = _target_period(target, year, period.number)
                rows.append(((period.end, order), Deadline(
                    plan=plan.id, report=rule.id, title=rule.title, span=period, due=None,
                    effective_due=None, window_start=None, window_end=None,
                    merged_into=f"{target.id}:{target_period.label}", sender=rule.sender,
                    recipient=rule.recipient, source=rule.source, projected=projected, roll=rule_roll,
                )))
                continue
            written = resolve(rule.due.ref, period, edition)
            due = written - dt.timedelta(days=1) if rule.due.kind == "before" else written
            effective, moved = apply_roll(due, rule_roll, cal, lang)
            start = end = None
            if rule.window is not None:
                start = resolve(rule.window.start, period, edition)
                end = due if rule.window.end is None else resolve(rule.window.end, period, edition)
            rows.append(((due, order), Deadline(
                plan=plan.id, report=rule.id, title=rule.title, span=period, due=due,
                effective_due=effective, window_start=start, window_end=end, merged_into=None,
                sender=rule.sender, recipient=rule.recipient, source=rule.source, projected=projected,
                written=written, due_kind=rule.due.kind, roll=rule_roll, moved_because=moved,
                window_basis=rule.window.basis if rule.window else None,
            )))
    rows.sort(key=lambda pair: pair[0])
    return Schedule(plan=plan, year=year, projected=projected, deadlines=tuple(d for _, d in rows))
