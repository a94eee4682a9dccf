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

from . import yamlpos
from .errors import PlanError

SHIPPED_NOTICES = Path(__file__).parent / "data" / "vn_days_off.yaml"
NOTICES_MAX_BYTES = 1_000_000  # a year of notices is a few hundred bytes
ENTRY_KEYS = ("date", "name", "name_en", "source")
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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


class WorkCalendar:
    """Answers: is this a working day, and if not, why not.

    The package's days off are computed once per year and kept in memory, and on disk in the
    user cache keyed by the package's version: importing and running `holidays` costs more than
    the rest of a `dvcq deadlines` run.
    """

    def __init__(self, notices: Notices, cache_file: Path | None = None):
        self.notices = notices
        self._years: dict[int, YearTable] = {}
        self._cache_file = cache_file
        self._disk: dict | None = None

    def _year(self, year: int) -> YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = self._load_year(year)
        return table

    def _load_year(self, year: int) -> YearTable:
        disk = self._read_disk()
        entry = disk.get("years", {}).get(str(year)) if disk is not None else None
        if entry is not None:
            return YearTable(off={dt.date.fromisoformat(k): (v[0], v[1]) for k, v in entry["off"].items()},
                             worked={dt.date.fromisoformat(k) for k in entry["worked"]})
        import holidays  # lazily: only for years not cached yet

        vi = holidays.country_holidays("VN", years=year, language="vi")
        en = holidays.country_holidays("VN", years=year, language="en_US")
        table = YearTable(off={d: (name, en.get(d, name)) for d, name in vi.items()},
                          worked={d for d in vi.weekend_workdays if d.year == year})
        if disk is not None:
            disk.setdefault("years", {})[str(year)] = {
                "off": {d.isoformat(): list(names) for d, names in table.off.items()},
                "worked": sorted(d.isoformat() for d in table.worked)}
            self._write_disk(disk)
        return table

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

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.notices.working_days:
            return True
        if day in self.notices.days_off:
            return False
        table = self._year(day.year)
        if day in table.off:
            return False
        return day.weekday() < 5 or day in table.worked

    def why_not_working(self, day: dt.date, lang: str = "vi") -> str | None:
        """None on a working day; otherwise the reason, e.g. 'Mùng bốn Tết Nguyên Đán'."""
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
        if day.weekday() < 5 or day in self.notices.days_off:
            return False
        return day in self.notices.working_days or day in self._year(day.year).worked

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `day`."""
        while n > 0:
            day += dt.timedelta(days=1)
            n -= self.is_working_day(day)
        return day

    def working_days_between(self, after: dt.date, before: dt.date) -> int:
        """Working days d with after < d < before."""
        count, day = 0, after + dt.timedelta(days=1)
        while day < before:
            count += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return count

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
