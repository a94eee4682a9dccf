"""Vietnam's working-day calendar for the public sector.

Layers, later ones winning: weekends (Saturday, Sunday); the `holidays` package's VN days off,
which include lunar Tết and Giỗ Tổ, nghỉ bù and the Saturdays worked it knows; the shipped notices
file; the user's own notices files. Lookups are pure computation once the files are read.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bisect import bisect_left, bisect_right

from . import yamlpos
from .errors import DvcqError, PlanError

SHIPPED_NOTICES = Path(__file__).parent / "data" / "vn_days_off.yaml"
NOTICES_MAX_BYTES = 1_000_000  # a year of notices is a few hundred bytes
ENTRY_KEYS = ("date", "name", "name_en", "source")
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The years the calendar answers for. Plans are 1990-2100; the margin lets a slip such as 2199 for
# 2019 be checked (quickly) rather than refused, and anything past it is surely not a date of a plan.
FIRST_YEAR, LAST_YEAR = 1900, 2200
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


class OutOfRange(DvcqError, ValueError):
    """A date outside FIRST_YEAR..LAST_YEAR. A ValueError for callers that locate it in a plan file,
    and a DvcqError so that, uncaught, it is still one line for the user rather than a traceback."""


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


def read_capped(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is one PlanError naming the file.

    User input: only regular files are read (a FIFO would block forever, /dev/zero never ends, a
    directory has no bytes), and the size is enforced while reading, not trusted from stat (a file
    can grow between stat and read; /proc files report 0).
    """
    file = str(path)

    def refuse(mode: int) -> PlanError:
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "not a regular file")
        return PlanError.at(file, 1, 1, "unreadable", f"cannot read {what}: give a regular file")

    try:
        # stat first, so that a FIFO or device is never even opened (opening some has effects) ...
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        # ... and fstat what was opened, in case the path was swapped in between; O_NONBLOCK keeps
        # that open from waiting for a FIFO's writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise PlanError.at(file, 1, 1, "unreadable", f"cannot read file: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 16, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise PlanError.at(file, 1, 1, "too-large", f"file is larger than {limit:,} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise PlanError.at(file, 1, 1, "unreadable", f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_notices(path: Path, into: Notices | None = None) -> Notices:
    """Read one notices file; a bad entry is a located problem (PlanError) naming file, line and field."""
    into = into or Notices()
    file = str(path)
    doc = yamlpos.load(read_capped(path, NOTICES_MAX_BYTES), file)
    top = doc.value or {}
    if not isinstance(top, dict):
        raise PlanError.at(file, 1, 1, "not-a-mapping", "a calendar file is a mapping with days_off, working_days, announced")
    unknown = set(top) - {"days_off", "working_days", "announced"}
    if unknown:
        key = sorted(unknown, key=str)[0]
        raise PlanError.at(file, *doc.where_key((key,)), "unknown-key",
                           f"unknown key {key!r} (expected days_off, working_days, announced)")
    for key in ("announced", "days_off", "working_days"):
        if top.get(key) is not None and not isinstance(top[key], list):
            raise PlanError.at(file, *doc.where((key,)), "wrong-type", f"{key} must be a list")
    for i, year in enumerate(top.get("announced") or []):
        if not isinstance(year, int) or isinstance(year, bool):
            raise PlanError.at(file, *doc.where(("announced", i)), "bad-value", f"announced lists years, {year!r} is not one")
        into.announced.add(year)
    for section in ("days_off", "working_days"):
        target = getattr(into, section)
        for i, entry in enumerate(top.get(section) or []):
            day = entry.get("date") if isinstance(entry, dict) else None
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise PlanError.at(file, *doc.where((section, i)), "bad-date",
                                   f"{section}[{i}].date must be a real date like 2026-01-02")
            unknown = set(entry) - set(ENTRY_KEYS)
            if unknown:
                key = sorted(unknown, key=str)[0]
                raise PlanError.at(file, *doc.where_key((section, i, key)), "unknown-key",
                                   f"{section}[{i}]: unknown key {key!r} (expected {', '.join(ENTRY_KEYS)})")
            for key in ENTRY_KEYS[1:]:
                if entry.get(key) is not None and not isinstance(entry[key], str):
                    raise PlanError.at(file, *doc.where((section, i, key)), "wrong-type", f"{section}[{i}].{key} must be text")
            name = entry.get("name") or ("Ngày nghỉ" if section == "days_off" else "Ngày làm bù")
            target[day] = (name, entry.get("name_en") or name)
            into.sources[day] = entry.get("source") or f"tệp lịch {file}"
            # a user's notice overrides the other list for the same day
            other = into.working_days if section == "days_off" else into.days_off
            other.pop(day, None)
    return into


@dataclass
class YearTable:
    """The package's verdict on one year: days off with their names, and weekend days worked."""

    off: dict[dt.date, tuple[str, str]]
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

    The package's days off are computed once per year and kept in memory, and on disk in the
    user cache keyed by the package's version: importing and running `holidays` costs more than
    the rest of a `dvcq deadlines` run.
    """

    def __init__(self, notices: Notices, cache_file: Path | None = None):
        self.notices = notices
        self._years: dict[int, YearTable] = {}
        self._counts: dict[int, YearCounts] = {}
        self._cache_file = cache_file
        self._disk: dict | None = None
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
        disk = self._read_disk()
        tables: dict[int, YearTable] = {}
        for year in years:
            entry = disk.get("years", {}).get(str(year)) if disk is not None else None
            if entry is not None:
                tables[year] = YearTable(off={dt.date.fromisoformat(k): (v[0], v[1]) for k, v in entry["off"].items()},
                                         worked={dt.date.fromisoformat(k) for k in entry["worked"]})
        missing = [y for y in years if y not in tables]
        if not missing:
            return tables
        import holidays  # lazily: only for years not cached yet

        vi = holidays.country_holidays("VN", years=missing, language="vi")
        en = holidays.country_holidays("VN", years=missing, language="en_US")
        for year in missing:
            tables[year] = YearTable(off={}, worked={d for d in vi.weekend_workdays if d.year == year})
        for d, name in vi.items():
            if d.year in tables:
                tables[d.year].off[d] = (name, en.get(d, name))
        if disk is not None:
            for year in missing:
                disk.setdefault("years", {})[str(year)] = {
                    "off": {d.isoformat(): list(names) for d, names in tables[year].off.items()},
                    "worked": sorted(d.isoformat() for d in tables[year].worked)}
            self._write_disk(disk)
        return tables

    def _read_disk(self) -> dict | None:
        if self._cache_file is None:
            return None
        if self._disk is None:
            import json

            try:
                data = json.loads(self._cache_file.read_text(encoding="utf-8"))
                ok = isinstance(data, dict) and data.get("holidays") == _holidays_version()
            except (OSError, ValueError):
                ok = False
            self._disk = data if ok else {"holidays": _holidays_version(), "years": {}}
        return self._disk

    def _write_disk(self, data: dict) -> None:
        import json
        import os

        tmp = self._cache_file.with_name(f"{self._cache_file.name}.{os.getpid()}.tmp")
        try:
            self._cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self._cache_file)  # atomic: a concurrent reader sees the old or the new file
        except OSError:
            # only a cache: a read-only home or a full disk means computing again next time
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

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

    def why_not_working(self, day: dt.date, lang: str = "vi") -> str | None:
        """None on a working day; otherwise the reason, e.g. 'Mùng bốn Tết Nguyên Đán'."""
        _check(day)
        pick = 1 if lang == "en" else 0
        if day in self.notices.working_days:
            return None
        if day in self.notices.days_off:
            return self.notices.days_off[day][pick]
        table = self._year(day.year)
        if day in table.off:
            return table.off[day][pick]
        if day.weekday() >= 5 and day not in table.worked:
            return (WEEKDAYS_EN if lang == "en" else WEEKDAYS_VI)[day.weekday()]
        return None

    def working_saturday(self, day: dt.date) -> bool:
        """A weekend day that officials work (làm bù)."""
        return day.weekday() >= 5 and self.is_working_day(day)

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


def _holidays_version() -> str:
    """Identifies the installed `holidays` package. Its location and modification time change on
    every install or upgrade, and a stat costs far less than importlib.metadata (~20 ms)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:  # pragma: no cover - it is a dependency
        return "missing"
    countries = os.path.join(os.path.dirname(spec.origin), "countries", "vietnam.py")
    try:
        return f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}:{os.stat(countries).st_mtime_ns}"
    except OSError:
        return spec.origin


def default_cache_file() -> Path | None:
    import os

    if os.environ.get("DVCQ_NO_CACHE"):
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dvcq", appauthor=False)) / "vn-days-off.json"


@lru_cache(maxsize=8)
def _cached(paths: tuple[str, ...]) -> WorkCalendar:
    notices = read_notices(SHIPPED_NOTICES)
    for p in paths:
        read_notices(Path(p), notices)
    return WorkCalendar(notices, default_cache_file())


def load_calendar(extra: list[Path] | tuple[Path, ...] = ()) -> WorkCalendar:
    """The shipped notices plus the user's own files, in order."""
    return _cached(tuple(str(p) for p in extra))
