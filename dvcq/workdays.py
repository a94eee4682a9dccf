"""Vietnam's working-day calendar for the public sector.

Layers, later ones winning: weekends (Saturday, Sunday); the `holidays` package's VN days off,
which include lunar Tết and Giỗ Tổ, nghỉ bù and the Saturdays worked it knows; the shipped notices
file; the user's own notices files. Lookups are pure computation once the files are read.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import yamlpos
from .errors import DvcqError

SHIPPED_NOTICES = Path(__file__).parent / "data" / "vn_days_off.yaml"
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Notices:
    """What official notices add on top of the package."""

    days_off: dict[dt.date, tuple[str, str]] = field(default_factory=dict)  # date -> (vi, en)
    working_days: dict[dt.date, tuple[str, str]] = field(default_factory=dict)
    announced: set[int] = field(default_factory=set)


def read_notices(path: Path, into: Notices | None = None) -> Notices:
    """Read one notices file; a bad entry is a one-line error naming file, line and field."""
    into = into or Notices()
    try:
        doc = yamlpos.load(path.read_bytes())
    except OSError as exc:
        raise DvcqError(f"{path}: cannot read calendar file: {exc.strerror or exc}") from None
    except yamlpos.YamlProblem as exc:
        raise DvcqError(f"{path}:{exc.line}:{exc.col}: {exc.message}") from None
    top = doc.value or {}
    if not isinstance(top, dict):
        raise DvcqError(f"{path}:1:1: a calendar file is a mapping with days_off, working_days, announced")
    unknown = set(top) - {"days_off", "working_days", "announced"}
    if unknown:
        key = sorted(unknown, key=str)[0]
        line, col = doc.where_key((key,))
        raise DvcqError(f"{path}:{line}:{col}: unknown key {key!r} (expected days_off, working_days, announced)")
    for year in top.get("announced") or []:
        if not isinstance(year, int):
            line, col = doc.where(("announced",))
            raise DvcqError(f"{path}:{line}:{col}: announced lists years, {year!r} is not one")
        into.announced.add(year)
    for section in ("days_off", "working_days"):
        target = getattr(into, section)
        for i, entry in enumerate(top.get(section) or []):
            line, col = doc.where((section, i))
            if not isinstance(entry, dict) or not isinstance(entry.get("date"), dt.date):
                raise DvcqError(f"{path}:{line}:{col}: {section}[{i}].date must be a real date like 2026-01-02")
            day = entry["date"]
            name = str(entry.get("name") or ("Ngày nghỉ" if section == "days_off" else "Ngày làm bù"))
            target[day] = (name, str(entry.get("name_en") or name))
            # a user's notice overrides the other list for the same day
            other = into.working_days if section == "days_off" else into.days_off
            other.pop(day, None)
    return into


class WorkCalendar:
    """Answers: is this a working day, and if not, why not."""

    def __init__(self, notices: Notices):
        self.notices = notices
        self._vn = None
        self._vn_en = None

    def _package(self, lang: str = "vi"):
        # imported lazily: holidays is the slowest import of the stack and many commands never roll
        import holidays

        if lang == "en":
            if self._vn_en is None:
                self._vn_en = holidays.country_holidays("VN", language="en_US")
            return self._vn_en
        if self._vn is None:
            self._vn = holidays.country_holidays("VN", language="vi")
        return self._vn

    def is_working_day(self, day: dt.date) -> bool:
        return self.why_not_working(day) is None

    def why_not_working(self, day: dt.date, lang: str = "vi") -> str | None:
        """None on a working day; otherwise the reason, e.g. 'Mùng bốn Tết Nguyên Đán'."""
        pick = 1 if lang == "en" else 0
        if day in self.notices.working_days:
            return None
        if day in self.notices.days_off:
            return self.notices.days_off[day][pick]
        vn = self._package(lang)
        name = vn.get(day)
        if name:
            return name
        if day.weekday() >= 5:
            if day in vn.weekend_workdays:
                return None
            return (WEEKDAYS_EN if lang == "en" else WEEKDAYS_VI)[day.weekday()]
        return None

    def working_saturday(self, day: dt.date) -> bool:
        """A weekend day that officials work (làm bù)."""
        if day.weekday() < 5:
            return False
        if day in self.notices.working_days:
            return True
        vn = self._package()
        day in vn  # noqa: B015 - makes the package populate that year, weekend_workdays included
        return day in vn.weekend_workdays and day not in self.notices.days_off

    def next_working_day(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def announced(self, year: int) -> bool:
        return year in self.notices.announced


@lru_cache(maxsize=8)
def _cached(paths: tuple[str, ...]) -> WorkCalendar:
    notices = read_notices(SHIPPED_NOTICES)
    for p in paths:
        read_notices(Path(p), notices)
    return WorkCalendar(notices)


def load_calendar(extra: list[Path] | tuple[Path, ...] = ()) -> WorkCalendar:
    """The shipped notices plus the user's own files, in order."""
    return _cached(tuple(str(p) for p in extra))
