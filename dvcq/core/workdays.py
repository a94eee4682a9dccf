"""Vietnam's working-day calendar for the public sector.

Layers, later ones winning: weekends (Saturday, Sunday); the `holidays` package's VN days off,
which include lunar Tết and Giỗ Tổ, nghỉ bù and the Saturdays worked it knows; the shipped notices
file; the user's own notices files. All of them reach this module as data: `Notices` (read from
files by `dvcq.planfiles.daysoff`) and a `tables(years)` function giving the package's days off
(computed and cached on disk there too). Here is only the arithmetic and the reasons.

Every day that departs from the Monday-Friday week says where it comes from (`day_off`,
`source_of`): the Labour Code article, the notice, or the `holidays` package.

The calendar answers for 1900-2200. The `holidays` package knows Vietnam's days off for 1901-2100
only (its lunar tables end there): for other years only weekends and notices count, and
`rules_known(year)` is False.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Callable

from dvcq.core.errors import DvcqError
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The years the calendar answers for. Plans are 1990-2100; the margin lets a slip such as 2199 for
# 2019 be checked (quickly) rather than refused, and anything past it is surely not a date of a plan.
FIRST_YEAR, LAST_YEAR = 1900, 2200
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


class OutOfRange(DvcqError, ValueError):
    """A date outside FIRST_YEAR..LAST_YEAR. A ValueError for callers that locate it in a plan file,
    and a DvcqError so that, uncaught, it is still one line for the user rather than a traceback."""


# Where each day comes from ----------------------------------------------------------------------

HOLIDAY = "holiday"  # a holiday of the Labour Code (2019: art. 112(1)), as the package places it
IN_LIEU = "in-lieu"  # a day off in place of a holiday on a weekend (nghỉ bù), computed by rule
ANNOUNCED = "announced"  # a day off from a notice: a swap (hoán đổi) or a notices file's day
WORKED = "worked"  # a weekend day worked (làm bù)
WEEKEND = "weekend"  # an ordinary Saturday or Sunday


@dataclass(frozen=True)
class DayOff:
    """Why a day departs from the Monday-Friday week, and where that comes from. `source` is None
    for an ordinary weekend only."""

    name_vi: str
    name_en: str
    kind: str  # HOLIDAY, IN_LIEU, ANNOUNCED, WORKED or WEEKEND
    source: str | None

    def name(self, lang: str = "vi") -> str:
        from dvcq.core.messages import pick

        return pick(lang, self.name_vi, self.name_en)


PACKAGE = "gói holidays (VN)"
UNKNOWN_NOTICE = "thông báo, không rõ nguồn"  # a Notices built in code without sources; files always give one
# 24/11 "Ngày Văn hóa Việt Nam": a paid day off by Nghị quyết 28/2026/QH16, Điều 2, in force from
# 01/7/2026 (the resolution itself, not an amendment of Labour Code art. 112; its text was not read here,
# only press reports of it). The package places it from 2026 and, when it falls on a weekend, adds a
# nghỉ bù by its own rule (2029-11-26, 2030-11-25): whether a weekend 24/11 gives a day in lieu is not
# settled, so such a day is cited as the package's reading (CULTURE_DAY_IN_LIEU), not as law.
CULTURE_DAY_FROM = dt.date(2026, 7, 1)
CULTURE_DAY = "Nghị quyết 28/2026/QH16, Điều 2 (hiệu lực từ 01/7/2026; theo báo chí)"
CULTURE_DAY_IN_LIEU = ("cách đọc của gói holidays (VN): nghỉ bù khi Ngày Văn hóa Việt Nam rơi vào cuối tuần; "
                       "chưa xác nhận Nghị quyết 28/2026/QH16 cho nghỉ bù")

# The notices behind the swaps the package has (VietnamStaticHolidays), for each day off and its
# Saturday worked: the package's own references (its docstring) and, for 2025-2026, the notices as
# the press reported them ("theo báo chí": the notice itself was not read). The shipped notices file
# cites the 2026 swap too, and wins; this is for a calendar built without it. A package swap not listed
# here (2010-2015: the package gives no reference) is cited as PACKAGE. The keys decide which package
# days are swaps, and the disk cache keeps that: change the keys only with CACHE_FORMAT.
PACKAGE_NOTICES = {
    **dict.fromkeys([dt.date(2018, 12, 31), dt.date(2019, 1, 5), dt.date(2019, 4, 29), dt.date(2019, 5, 4)],
                    "Công văn 6519/VPCP-KGVX năm 2018 (theo gói holidays)"),
    **dict.fromkeys([dt.date(2024, 4, 29), dt.date(2024, 5, 4)],
                    "Công văn 2450/VPCP-KGVX năm 2024 (theo gói holidays)"),
    **dict.fromkeys([dt.date(2025, 5, 2), dt.date(2025, 4, 26)],
                    "Công văn 8726/VPCP-KGVX ngày 26/11/2024 (theo báo chí); "
                    "gói holidays dẫn Thông báo 6150/TB-BLĐTBXH năm 2024"),
    **dict.fromkeys([dt.date(2026, 8, 31), dt.date(2026, 8, 22)],
                    "Thông báo 9441/TB-BNV ngày 16/10/2025 (theo báo chí)"),
}


def _labour_code(day: dt.date) -> str | None:
    """The Labour Code in force on `day` and its holidays article (the package's references)."""
    if day >= dt.date(2021, 1, 1):
        return "Bộ luật Lao động 2019, Điều 112"
    if day >= dt.date(2013, 5, 1):
        return "Bộ luật Lao động 2012, Điều 115"
    if day >= dt.date(1995, 1, 1):
        return "Bộ luật Lao động 1994, Điều 73"
    return None  # before the first Labour Code: the package's rules, applied backwards


def _package_source(day: dt.date, origin: str) -> str:
    """Where a day off of the package comes from, by how the package placed it (see _package_tables)."""
    if origin == "swap":
        return PACKAGE_NOTICES.get(day, PACKAGE)
    code = _labour_code(day)
    if code is None:
        return PACKAGE
    culture_day = day >= CULTURE_DAY_FROM and day.month == 11 and 24 <= day.day <= 26  # 24/11, or its nghỉ bù
    if origin == "law":
        return CULTURE_DAY if culture_day and day.day == 24 else code
    if origin == "tet":
        # the five days of Tết are the Prime Minister's choice each year (2019: art. 112(3)); the
        # package moves those on a weekend by its own rule
        clause = "Bộ luật Lao động 2019, Điều 112 khoản 3" if day.year >= 2021 else code
        return f"{clause}; ngày theo quy tắc của gói holidays (VN)"
    # nghỉ bù: a holiday on the weekly rest day gives the next working day off; in the 2019 Code that
    # is art. 111(3) (weekly rest), in the 2012 and 1994 Codes the holidays article itself
    clause = "Bộ luật Lao động 2019, Điều 111 khoản 3" if day.year >= 2021 else code
    return CULTURE_DAY_IN_LIEU if culture_day else clause


def _dmy(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _check(day: dt.date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutOfRange(f"{_dmy(day)} is outside the working-day calendar, which covers {FIRST_YEAR}-{LAST_YEAR}")


def _weekdays_before(ordinal: int) -> int:
    """Mondays to Fridays among the ordinals 1 .. ordinal-1 (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return 5 * weeks + min(rest, 5)


@dataclass
class Notices:
    """What official notices add on top of the package."""

    days_off: dict[dt.date, tuple[str, str]] = field(default_factory=dict)  # date -> (vi, en)
    working_days: dict[dt.date, tuple[str, str]] = field(default_factory=dict)
    announced: set[int] = field(default_factory=set)
    sources: dict[dt.date, str] = field(default_factory=dict)  # date -> the notice it comes from


ORIGINS = ("law", "in-lieu", "tet", "swap")  # how the package placed a day off; see _package_tables
KIND_OF_ORIGIN = {"law": HOLIDAY, "in-lieu": IN_LIEU, "tet": IN_LIEU, "swap": ANNOUNCED}


@dataclass
class YearTable:
    """The package's verdict on one year: days off with their names and origin, weekend days worked."""

    off: dict[dt.date, tuple[str, str, str]]  # date -> (vi, en, one of ORIGINS)
    worked: set[dt.date]


@dataclass
class YearCounts:
    """One year's working days, for arithmetic: the days that depart from the Monday-Friday week
    (a weekday off counts -1, a weekend day worked +1), sorted, with running sums. Working days in
    [a, b] within the year are then the weekdays in [a, b] (arithmetic) plus the sum of the
    departures in [a, b] (two bisections): O(log n), whatever the span."""

    first: int  # ordinal of 1 January
    last: int  # ordinal of 31 December
    ordinals: list[int]
    sums: list[int]  # sums[i]: total of the first i departures
    total: int  # working days in the year

    def count(self, a: int, b: int) -> int:
        """Working days among the ordinals a..b, both in this year (0 when a > b)."""
        if a > b:
            return 0
        return (_weekdays_before(b + 1) - _weekdays_before(a)
                + self.sums[bisect_right(self.ordinals, b)] - self.sums[bisect_left(self.ordinals, a)])


class WorkCalendar:
    """Answers: is this a working day, and if not, why not; and working-day arithmetic.

    The package's days off are asked for once per year (many years in one batch) and kept in memory;
    `dvcq.planfiles.daysoff` keeps them on disk too: importing and running `holidays` costs more
    than the rest of a `dvcq deadlines` run.
    """

    def __init__(self, notices: Notices, tables: Callable[[list[int]], dict[int, YearTable]] | None = None):
        """`tables(years)` gives the package's days off of those years (None: weekends and notices only)."""
        self.notices = notices
        self._years: dict[int, YearTable] = {}
        self._counts: dict[int, YearCounts] = {}
        self._tables = tables
        # the notices' days by year, for the per-year counts (notices are complete once a calendar is made)
        self._notice_days: dict[int, set[dt.date]] = {}
        for day in [*notices.days_off, *notices.working_days]:
            self._notice_days.setdefault(day.year, set()).add(day)

    def _year(self, year: int) -> YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = self._load_year(year)
        return table

    def _prefetch(self, first: int, last: int) -> None:
        """Load the package's tables for the years first..last not loaded yet, in one batch: one
        `holidays` call for many years costs about what one call for a single year does."""
        missing = [y for y in range(max(first, FIRST_YEAR), min(last, LAST_YEAR) + 1) if y not in self._years]
        if len(missing) > 1:
            self._years.update(self._load_years(missing))

    def _year_counts(self, year: int) -> YearCounts:
        counts = self._counts.get(year)
        if counts is None:
            table = self._year(year)
            departures = []
            for day in sorted(set(table.off) | table.worked | self._notice_days.get(year, set())):
                working = self._working(day, table)
                if working != (day.weekday() < 5):
                    departures.append((day.toordinal(), 1 if working else -1))
            sums = [0]
            for _, delta in departures:
                sums.append(sums[-1] + delta)
            first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            total = _weekdays_before(last + 1) - _weekdays_before(first) + sums[-1]
            counts = self._counts[year] = YearCounts(first, last, [o for o, _ in departures], sums, total)
        return counts

    def _load_year(self, year: int) -> YearTable:
        return self._load_years([year])[year]

    def _load_years(self, years: list[int]) -> dict[int, YearTable]:
        if self._tables is None:
            return {year: YearTable(off={}, worked=set()) for year in years}
        return self._tables(years)

    def _working(self, day: dt.date, table: YearTable) -> bool:
        """The definition: notices first (a working day declared wins), then the package, then the week."""
        if day in self.notices.working_days:
            return True
        if day in self.notices.days_off or day in table.off:
            return False
        return day.weekday() < 5 or day in table.worked

    def is_working_day(self, day: dt.date) -> bool:
        _check(day)
        return self._working(day, self._year(day.year))

    def _note(self, day: dt.date) -> DayOff | None:
        """Why `day` departs from the Monday-Friday week, or None on an ordinary working day. The
        same layers as `_working`, in the same order."""
        _check(day)
        weekday = day.weekday()
        notices = self.notices
        if day in notices.working_days:
            if weekday < 5 and day not in self._year(day.year).off:
                return None  # declared worked, and worked anyway
            return DayOff(*notices.working_days[day], WORKED, notices.sources.get(day, UNKNOWN_NOTICE))
        if day in notices.days_off:
            return DayOff(*notices.days_off[day], ANNOUNCED, notices.sources.get(day, UNKNOWN_NOTICE))
        table = self._year(day.year)
        if day in table.off:
            vi, en, origin = table.off[day]
            return DayOff(vi, en, KIND_OF_ORIGIN[origin], _package_source(day, origin))
        if weekday < 5:
            return None
        if day in table.worked:
            return DayOff(f"{WEEKDAYS_VI[weekday]} làm bù", f"{WEEKDAYS_EN[weekday]} worked (làm bù)", WORKED,
                          PACKAGE_NOTICES.get(day, PACKAGE))
        return DayOff(WEEKDAYS_VI[weekday], WEEKDAYS_EN[weekday], WEEKEND, None)

    def day_off(self, day: dt.date) -> DayOff | None:
        """None on a working day; otherwise its name, kind and source, e.g. for 02/05/2025
        DayOff('Ngày nghỉ (thay cho ngày 26/04/2025)', ..., ANNOUNCED, 'Công văn 8726/VPCP-KGVX ...')."""
        note = self._note(day)
        return None if note is None or note.kind == WORKED else note

    def source_of(self, day: dt.date) -> str | None:
        """Where a day off or a weekend day worked comes from: a Labour Code article, a notice, the
        `holidays` package, a notices file. None for an ordinary working day or weekend."""
        note = self._note(day)
        return None if note is None else note.source

    def why_not_working(self, day: dt.date, lang: str = "vi") -> str | None:
        """None on a working day; otherwise the reason, e.g. 'Mùng bốn Tết Nguyên Đán'."""
        off = self.day_off(day)
        return None if off is None else off.name(lang)

    def working_saturday(self, day: dt.date) -> bool:
        """A weekend day that officials work (làm bù)."""
        return day.weekday() >= 5 and self.is_working_day(day)

    def rules_known(self, year: int) -> bool:
        """Whether the year's holidays are known: the `holidays` package has them for 1901-2100
        (its lunar tables end there); outside, only weekends and notices count."""
        _check(dt.date(year, 1, 1))
        return bool(self._year(year).off)

    def _count(self, a: int, b: int) -> int:
        """Working days among the ordinals a..b (inclusive): the two partial years by bisection, the
        whole years between by their totals."""
        if a > b:
            return 0
        ya, yb = dt.date.fromordinal(a).year, dt.date.fromordinal(b).year
        self._prefetch(ya, yb)
        first = self._year_counts(ya)
        if ya == yb:
            return first.count(a, b)
        last = self._year_counts(yb)
        between = sum(self._year_counts(y).total for y in range(ya + 1, yb))
        return first.count(a, first.last) + between + last.count(last.first, b)

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `day` ("n ngày làm việc kể từ ngày X": counting
        starts the day after X, Civil Code 2015 art. 147); `day` itself when n <= 0.

        Whole years are skipped by their totals, then the day is found by bisection in its year."""
        _check(day)
        if n <= 0:
            return day
        start = day.toordinal() + 1
        year = day.year if day.month < 12 or day.day < 31 else day.year + 1
        while year <= LAST_YEAR:
            if year not in self._years:
                self._prefetch(year, year + n // 240 + 1)  # the years this is likely to cross, in one batch
            counts = self._year_counts(year)
            here = counts.count(start, counts.last)
            if here >= n:
                lo, hi = start, counts.last  # the first x with n working days in start..x
                while lo < hi:
                    mid = (lo + hi) // 2
                    if counts.count(start, mid) >= n:
                        hi = mid
                    else:
                        lo = mid + 1
                return dt.date.fromordinal(lo)
            n -= here
            year, start = year + 1, counts.last + 1
        raise OutOfRange(f"the working day asked for, counted from {_dmy(day)}, falls after {_dmy(LAST_DAY)}, "
                         f"the end of the working-day calendar")

    def working_days_between(self, after: dt.date, before: dt.date) -> int:
        """Working days d with after < d < before."""
        _check(after)
        _check(before)
        return self._count(after.toordinal() + 1, before.toordinal() - 1)

    def roll(self, day: dt.date, direction: str) -> dt.date:
        """`day` if it is a working day; otherwise the next working day ("next") or the previous one
        ("previous"); "keep" keeps it (the plan's `roll:`, Civil Code art. 148(5) for "next")."""
        if direction not in ("next", "previous", "keep"):
            raise ValueError(f"roll direction {direction!r}: next, previous or keep")
        if direction == "keep" or self.is_working_day(day):
            return day
        if direction == "next":
            return self.nth_working_day_after(day, 1)
        end, year = day.toordinal(), day.year
        while year >= FIRST_YEAR:
            counts = self._year_counts(year)
            if counts.count(counts.first, end):
                lo, hi = counts.first, end  # the last x with a working day in x..end
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if counts.count(mid, end):
                        lo = mid
                    else:
                        hi = mid - 1
                return dt.date.fromordinal(lo)
            year, end = year - 1, counts.first - 1
        raise OutOfRange(f"no working day on or before {_dmy(day)} in the working-day calendar")

    def announced(self, year: int) -> bool:
        return year in self.notices.announced
