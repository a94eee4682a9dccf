"""Typed plan objects: what a plan document says, as data. No dates are computed here."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

# How often a report recurs; "once" is a one-off tied to the plan's year.
FREQUENCIES = ("month", "quarter", "half", "year", "once")
ROLLS = ("next", "previous", "keep")


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
    """

    day: int | str | None = None
    date: dt.date | None = None
    month: int | None = None
    year_offset: int = 0
    period_month: int | None = None
    months_offset: int = 0


@dataclass(frozen=True)
class Due:
    """A deadline as the text states it. ``before`` is exclusive ("trước ngày 15": last day 14);
    ``by`` is inclusive ("chậm nhất ngày 28", "trong ngày")."""

    kind: str  # "before" | "by"
    ref: DayRef


@dataclass(frozen=True)
class Window:
    """The data window (số liệu). ``end`` None means "tới ngày báo cáo": it ends on ``due``."""

    start: DayRef
    end: DayRef | None
    basis: str  # "plan" | "decree-09"


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


@dataclass(frozen=True)
class Rule:
    """One report obligation (recurring or one-off) or one key task of a plan."""

    id: str
    title: str
    every: str  # one of FREQUENCIES
    due: Due | None  # None for key tasks, which are due at the end of each listed period
    source: Source
    sender: str | None = None
    recipient: str | None = None
    periods: tuple[int, ...] | None = None  # subset of period numbers (quarters 1..4 etc.)
    window: Window | None = None  # None: no data window (one-offs, tasks)
    merged: dict[int, str] = field(default_factory=dict)  # month number -> report id it folds into
    feeds: str | None = None  # two-tier chain: the report this one is an input to
    roll: str | None = None  # overrides the plan's roll
    task_periods: tuple[str, ...] = ()  # key tasks: "2024-03", "2024-Q4", "2024"
    lead: str | None = None  # key tasks: cơ quan chủ trì
    partners: str | None = None  # key tasks: cơ quan phối hợp
    note: str | None = None  # an encoding choice and why
    ignore: tuple[str, ...] = ()  # check codes silenced for this rule
    per_unit: bool = True  # False: one body sends it (e.g. Sở Nội vụ's own), not every unit
    line: int = 1  # where the rule starts in its file

    @property
    def recurring(self) -> bool:
        return self.every != "once"

    @property
    def is_task(self) -> bool:
        return self.due is None


@dataclass(frozen=True)
class Unit:
    """A body expected to report (sở, ban, ngành, huyện ...)."""

    id: str
    name: str
    kind: str = ""


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

    @property
    def year(self) -> int:
        return self.years[0]

    @cached_property
    def _rules_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def rule(self, rule_id: str) -> Rule | None:
        return self._rules_by_id.get(rule_id)
