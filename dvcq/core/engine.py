"""The date-rule engine: from a plan's rules and a year to concrete deadlines. Pure: no I/O.

For each rule and each period of the year: resolve the day the text names, turn it into the last
on-time day (`due`: "trước ngày 15" is the 14th), move it off days off (`effective_due`, Civil Code
2015 art. 148(5) by default) and resolve the data window.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dvcq.core.model import PERIODS_PER_YEAR, DayRef, Period, Plan, Rule, Source, add_months, month_day
from dvcq.core.workdays import WorkCalendar

__all__ = ["Deadline", "MergeTarget", "PERIODS_PER_YEAR", "Period", "Schedule", "add_months", "apply_roll",
           "resolve", "schedule"]


class MergeTarget(str):
    """The report and period a merged month folds into (lồng ghép). It reads, compares and prints
    as "quarterly:2024-Q1", the form output uses; code uses `.rule` and `.period`."""

    rule: Rule
    period: Period

    def __new__(cls, rule: Rule, period: Period) -> "MergeTarget":
        self = super().__new__(cls, f"{rule.id}:{period.label}")
        self.rule, self.period = rule, period
        return self


@dataclass(frozen=True)
class Deadline:
    """One row of `dvcq deadlines`: a report for a period, or a key task."""

    plan: str
    rule: Rule
    span: Period  # the reporting period; `period` is its label
    due: dt.date | None  # last on-time day as written; None for a merged month
    effective_due: dt.date | None  # after moving off a day off
    window_start: dt.date | None
    window_end: dt.date | None
    merged_into: MergeTarget | None  # set when this month is folded into another report
    projected: bool
    written: dt.date | None = None  # the day the text names ("trước ngày 14" -> the 14th)
    due_kind: str | None = None  # "before" | "by" | "end-of-period"
    roll: str = "next"
    moved_because: tuple[tuple[dt.date, str], ...] = ()  # the days off skipped, with reasons
    window_basis: str | None = None  # "plan": the plan's own words; "decree-09": the plan is silent
    after_end: bool = False  # due after the plan stopped applying: listed, never owed
    edition: int = 0  # the year of the plan document the row comes from (projected rows: an earlier one)

    @property
    def report(self) -> str:
        return self.rule.id

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def sender(self) -> str | None:
        return self.rule.sender

    @property
    def recipient(self) -> str | None:
        return self.rule.recipient

    @property
    def source(self) -> Source:
        return self.rule.source

    @property
    def period(self) -> str:
        """'2024-05', '2024-Q1', '2024-H1' or '2024'."""
        return self.span.label

    @property
    def moved(self) -> bool:
        return self.due is not None and self.effective_due != self.due

    @property
    def past_written_day(self) -> bool:
        """A "trước ngày N" deadline the roll carried onto day N or later: a literal reading of
        "before" wants it earlier (roll: previous)."""
        return self.due_kind == "before" and self.moved and self.effective_due >= self.written

    @property
    def window_after_due(self) -> bool:
        """The data window closes on or after the deadline: it cannot be what the report covers
        (Decree 09/2019 art. 8(5)(b) wants a working day between the cut-off and the deadline)."""
        return self.window_end is not None and self.effective_due is not None and self.window_end >= self.effective_due


@dataclass(frozen=True)
class Schedule:
    plan: Plan
    year: int
    projected: bool
    deadlines: tuple[Deadline, ...]


def resolve(ref: DayRef, period: Period, edition_year: int, cal: WorkCalendar | None = None,
            window_end: dt.date | None = None) -> dt.date:
    """The calendar day a DayRef names for a period (a count from an anchor needs the anchor and,
    in working days, the calendar)."""
    if ref.after is not None:
        if ref.after == "day":  # "kể từ ngày 25 hằng tháng", "kể từ ngày 30/6": the day the text names
            anchor = resolve(ref.anchor, period, edition_year, cal)
        else:
            anchor = period.end if ref.after == "period-end" else window_end
        if anchor is None:  # the loader refuses a count from a cut-off the rule does not have
            raise ValueError("a count of days from the data cut-off needs a data window with an end")
        # counting starts the day after the anchor (Civil Code 2015 art. 147)
        return cal.nth_working_day_after(anchor, ref.count) if ref.working else anchor + dt.timedelta(days=ref.count)
    if ref.date is not None:
        if period.every == "once":
            return ref.date
        # the year written in a recurring rule is the plan's year: it moves with the period
        shift = period.year - edition_year
        return month_day(ref.date.year + shift, ref.date.month, ref.date.day)
    if ref.month is not None:
        return month_day(period.year + ref.year_offset, ref.month, ref.day)
    months = period.frequency.months
    pm = ref.period_month if ref.period_month is not None else -1
    index = pm - 1 if pm > 0 else months + pm
    index = max(0, min(months - 1, index))
    year, month = add_months(period.year, period.first_month + index, ref.months_offset)
    return month_day(year, month, ref.day)


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


def _edition_year(plan: Plan, year: int) -> int:
    return year if year in plan.years else plan.years[0]


def _task_rows(plan: Plan, rule: Rule, year: int, roll: str, cal: WorkCalendar, lang: str):
    for period in rule.task_periods:
        if period.year != year:
            continue
        written = period.end  # "hoàn thành trong Quý IV/2024": by its last day
        effective, moved = apply_roll(written, roll, cal, lang)
        yield written, Deadline(
            plan=plan.id, edition=plan.year, rule=rule, span=period, due=written, effective_due=effective, window_start=None,
            window_end=None, merged_into=None, projected=False, written=written, due_kind="end-of-period",
            roll=roll, moved_because=moved,
        )


def _report_rows(plan: Plan, rule: Rule, year: int, projected: bool, roll: str, cal: WorkCalendar, lang: str):
    edition = _edition_year(plan, year)
    for period in rule.periods_in(year):
        if period.number in rule.merged:  # folded into the longer report whose period ends with it
            target = plan.rule(rule.merged[period.number])
            yield period.end, Deadline(
                plan=plan.id, edition=plan.year, rule=rule, span=period, due=None, effective_due=None, window_start=None,
                window_end=None, merged_into=MergeTarget(target, Period.of_month(target.every, year, period.last_month)),
                projected=projected, roll=roll,
            )
            continue
        if not rule.dated:  # sent on request: listed, with no date
            yield period.end, Deadline(plan=plan.id, edition=plan.year, rule=rule, span=period, due=None, effective_due=None,
                                       window_start=None, window_end=None, merged_into=None, projected=projected,
                                       roll=roll)
            continue
        window = rule.window
        start = resolve(window.start, period, edition, cal) if window else None
        # a window with its own end is known before the due date (which may count from it)
        end = resolve(window.end, period, edition, cal) if window and window.end else None
        written = resolve(rule.due.ref, period, edition, cal, end)
        due = written - dt.timedelta(days=1) if rule.due.kind == "before" else written
        effective, moved = apply_roll(due, roll, cal, lang)
        if window and window.end is None:
            end = due  # "tới ngày báo cáo"
        yield due, Deadline(
            plan=plan.id, edition=plan.year, rule=rule, span=period, due=due, effective_due=effective, window_start=start,
            window_end=end, merged_into=None, projected=projected, written=written, due_kind=rule.due.kind,
            roll=roll, moved_because=moved, window_basis=window.basis if window else None,
            after_end=plan.end is not None and effective > plan.end.date,
        )


def schedule(plan: Plan, year: int, cal: WorkCalendar, roll: str | None = None, lang: str = "vi") -> Schedule:
    """Every deadline of `plan` for `year`, in due order.

    A year the plan does not cover is projected: recurring rules are applied to it and every row
    is marked; one-offs and key tasks, tied to the plan's own year, are left out.
    """
    projected = year not in plan.years
    rows: list[tuple[tuple, Deadline]] = []
    for order, rule in enumerate(plan.rules):
        if projected and not rule.recurring:
            continue
        rule_roll = roll or rule.roll or plan.roll
        found = (_task_rows(plan, rule, year, rule_roll, cal, lang) if rule.is_task
                 else _report_rows(plan, rule, year, projected, rule_roll, cal, lang))
        rows.extend(((when, order), d) for when, d in found)
    rows.sort(key=lambda pair: pair[0])
    return Schedule(plan=plan, year=year, projected=projected, deadlines=tuple(d for _, d in rows))
