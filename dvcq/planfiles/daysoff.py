"""Vietnam's days off as data for the working-day calendar: the notices files (the shipped one and
the user's own) and the `holidays` package's reading of each year, kept on disk in the user cache.

`load_calendar()` gives the `dvcq.core.workdays.WorkCalendar` every command uses.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

from dvcq.core.errors import DvcqError, PlanError
from dvcq.core.messages import Said  # a problem said in the run's language where it is printed
from dvcq.core.workdays import ORIGINS, PACKAGE_NOTICES, Notices, WorkCalendar, YearTable
from dvcq.planfiles.files import read_capped, shown_key

SHIPPED_NOTICES = Path(__file__).parent.parent / "data" / "vn_days_off.yaml"
NOTICES_MAX_BYTES = 1_000_000  # a year of notices is a few hundred bytes
ENTRY_KEYS = ("date", "name", "name_en", "source")


def read_notices(path: Path, into: Notices | None = None) -> Notices:
    """Read one notices file; a bad entry is a located problem (PlanError) naming file, line and field.
    What a file says is kept in the user cache by its content, so a run whose notices have not
    changed reads no YAML (and imports no YAML parser)."""
    from dvcq.planfiles.files import cache_dir, cached, keep

    into = into or Notices()
    file = str(path)
    data = read_capped(path, NOTICES_MAX_BYTES)
    folder = cache_dir("notices-1")
    said = cached(folder, file, data) if folder is not None else None
    if not (isinstance(said, dict) and set(said) == {"announced", "days_off", "working_days"}):
        said = _what_it_says(data, file)
        if folder is not None:
            keep(folder, file, data, said, limit=200)
    into.announced.update(said["announced"])
    for section in ("days_off", "working_days"):
        target = getattr(into, section)
        other = into.working_days if section == "days_off" else into.days_off
        for day, name, name_en, source in said[section]:
            target[day] = (name, name_en)
            into.sources[day] = source or f"tệp lịch {file}"
            other.pop(day, None)  # a user's notice overrides the other list for the same day
    return into


def _what_it_says(data: bytes, file: str) -> dict:
    """The years announced and each day off and Saturday worked (date, name, English name, source),
    checked entry by entry."""
    from dvcq.planfiles import yamlpos

    doc = yamlpos.load(data, file)
    top = doc.value or {}
    if not isinstance(top, dict):
        raise PlanError.at(file, 1, 1, "not-a-mapping", Said("notices.not_mapping"))
    unknown = set(top) - {"days_off", "working_days", "announced"}
    if unknown:
        key = sorted(unknown, key=str)[0]
        raise PlanError.at(file, *doc.where_key((key,)), "unknown-key",
                           Said("notices.unknown_key", key=shown_key(key)))
    for key in ("announced", "days_off", "working_days"):
        if top.get(key) is not None and not isinstance(top[key], list):
            raise PlanError.at(file, *doc.where((key,)), "wrong-type", Said("notices.not_list", key=key))
    said: dict = {"announced": [], "days_off": [], "working_days": []}
    for i, year in enumerate(top.get("announced") or []):
        if not isinstance(year, int) or isinstance(year, bool):
            raise PlanError.at(file, *doc.where(("announced", i)), "bad-value", Said("notices.announced", year=year))
        said["announced"].append(year)
    for section in ("days_off", "working_days"):
        for i, entry in enumerate(top.get(section) or []):
            day = entry.get("date") if isinstance(entry, dict) else None
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise PlanError.at(file, *doc.where((section, i)), "bad-date",
                                   Said("notices.date", place=f"{section}[{i}]"))
            unknown = set(entry) - set(ENTRY_KEYS)
            if unknown:
                key = sorted(unknown, key=str)[0]
                raise PlanError.at(file, *doc.where_key((section, i, key)), "unknown-key",
                                   Said("notices.entry_key", place=f"{section}[{i}]", key=shown_key(key), keys=", ".join(ENTRY_KEYS)))
            for key in ENTRY_KEYS[1:]:
                if entry.get(key) is not None and not isinstance(entry[key], str):
                    raise PlanError.at(file, *doc.where((section, i, key)), "wrong-type", Said("notices.text", place=f"{section}[{i}].{key}"))
            name = entry.get("name") or ("Ngày nghỉ" if section == "days_off" else "Ngày làm bù")
            said[section].append((day, name, entry.get("name_en") or name, entry.get("source")))
    return said


def _package_tables(years: list[int]) -> dict[int, YearTable]:
    """Ask the `holidays` package for these years (one call each for Vietnamese names, English names
    and the days without nghỉ bù) and sort its days off by origin: without nghỉ bù (observed=False)
    it gives the holidays themselves and its swaps; the
    days it adds with nghỉ bù are "in-lieu", or "tet" for Tết days moved off a weekend (mid-January
    to early March: after the nghỉ bù of 1/1, by 3/1, and before Giỗ Tổ, from late March); swaps are
    the days PACKAGE_NOTICES cites or that bear the package's "substituted" label."""
    import holidays  # lazily: only for years not cached yet

    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    base = holidays.country_holidays("VN", years=years, language="vi", observed=False)
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays

        substituted = VietnamStaticHolidays.substituted_label.split("%")[0]  # "Ngày nghỉ (thay cho ngày "
    except (ImportError, AttributeError):  # pragma: no cover - another layout of the package
        substituted = None
    tables = {year: YearTable(off={}, worked=set()) for year in years}
    for day, name in vi.items():
        if day.year not in tables:
            continue
        if day not in base:
            origin = "tet" if (1, 10) <= (day.month, day.day) <= (3, 10) else "in-lieu"
        elif day in PACKAGE_NOTICES or (substituted and base[day].startswith(substituted)):
            origin = "swap"
        else:
            origin = "law"
        tables[day.year].off[day] = (name, en.get(day, name), origin)
    for day in vi.weekend_workdays:  # every year's, whatever was asked
        if day.year in tables:
            tables[day.year].worked.add(day)
    return tables


# The disk cache -------------------------------------------------------------------------------

CACHE_FORMAT = 2  # the layout of a year's file; a change gets a new folder
CACHE_FILE_MAX_BYTES = 100_000  # a year's file is ~1 kB
CACHE_YEARS = range(1990, 2101)  # the years a plan may have (loader.py); see DiskCache


class DiskCache:
    """The package's tables, one JSON file per year, in a folder named by what decides their content
    (see `cache_key`).

    One small file per year, rather than one file of every year, because:
    - a run reads only the years it needs (a few files of ~1 kB), not the whole history;
    - a new year writes its own file only: nothing grows and is rewritten for every new year (the
      single file once was, for each year up to a far-future date: 270 s for a rule dated 9999);
    - two processes computing different years keep both without any merging: each year is its own
      file, written atomically (a temporary file, then os.replace); two computing the same year write
      the same content, so the later replace loses nothing;
    - a corrupt or foreign file costs its own year only: it is ignored, recomputed and rewritten.
    Only the years of plans (CACHE_YEARS, the loader's 1990-2100) go to disk: at most 111 files per
    version. Other years are reached only through a slip in a plan (2199 for 2019) or a far count;
    they are computed in memory, in one batch, when asked.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, year: int) -> YearTable | None:
        """The year's table, or None when the file is missing, unreadable or not exactly what
        `write` writes (then the year is recomputed and the file rewritten)."""
        import json

        try:
            data = json.loads(read_capped(self.folder / f"{year}.json", CACHE_FILE_MAX_BYTES))
            return _table_from_json(data, year)
        except (DvcqError, ValueError, TypeError, RecursionError):  # unreadable; bad JSON or UTF-8; wrong shape
            return None

    def write(self, tables: dict[int, YearTable]) -> None:
        import json
        import tempfile

        # only a cache: a read-only home, a full disk, a folder where a file should be mean
        # computing again next time, never an error
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # files: mkstemp makes them 0600
        except OSError:
            return
        for year, table in tables.items():
            if year not in CACHE_YEARS:
                continue
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{year}.", suffix=".tmp", dir=self.folder)
            except OSError:
                return
            try:
                with contextlib.suppress(OSError):  # only a cache: computed again next time
                    with os.fdopen(fd, "w", encoding="utf-8") as out:
                        json.dump(_table_to_json(table), out, ensure_ascii=False)
                    os.replace(tmp, self.folder / f"{year}.json")  # readers see the old file or the new one
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)  # still there only if the write or the replace failed


def _table_to_json(table: YearTable) -> dict:
    return {"off": [[d.isoformat(), *names] for d, names in sorted(table.off.items())],
            "worked": sorted(d.isoformat() for d in table.worked)}


def _table_from_json(data, year: int) -> YearTable:
    """The inverse of `_table_to_json`, checking every field; ValueError on anything else."""
    def day_of(text) -> dt.date:
        if not isinstance(text, str):
            raise ValueError(f"not a date: {text!r}")
        day = dt.date.fromisoformat(text)
        if day.year != year:
            raise ValueError(f"{day} is not in {year}")
        return day

    if not isinstance(data, dict) or set(data) != {"off", "worked"} or not isinstance(data["off"], list) \
            or not isinstance(data["worked"], list):
        raise ValueError("not a year's table")
    off = {}
    for item in data["off"]:
        if not isinstance(item, list) or len(item) != 4 or not all(isinstance(x, str) for x in item) \
                or item[3] not in ORIGINS:
            raise ValueError(f"not a day off: {item!r}")
        off[day_of(item[0])] = (item[1], item[2], item[3])
    return YearTable(off=off, worked={day_of(x) for x in data["worked"]})


@lru_cache(maxsize=1)
def holidays_version() -> str | None:
    """The installed `holidays` version, from the name of its dist-info folder beside the package:
    no import of the package (~0.25 s) nor of importlib.metadata (~20-80 ms)."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")  # finds, does not import
    if spec is None or not spec.origin:
        return None
    site = os.path.dirname(os.path.dirname(spec.origin))
    try:
        found = [n for n in os.listdir(site) if n.lower().startswith("holidays-") and n.endswith(".dist-info")]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0][len("holidays-"):-len(".dist-info")]
    try:  # an egg, an editable install, stale dist-info folders: the slow, sure way
        from importlib.metadata import version

        return version("holidays")
    except Exception:  # noqa: BLE001 - no version known: no disk cache
        return None


def cache_key() -> str | None:
    """The cache folder's name: the `holidays` version, dvcq's version and the file format, which
    decide what a year's file holds; not the install path, so that two installs of the same
    versions share the cache, and installs of different versions keep theirs side by side instead
    of evicting each other. None when the package's version cannot be read (no disk cache)."""
    import re

    from dvcq import __version__

    hv = holidays_version()
    if hv is None:
        return None
    return re.sub(r"[^0-9A-Za-z.+-]", "_", f"holidays-{hv}+dvcq-{__version__}+f{CACHE_FORMAT}")


def default_cache_dir() -> Path | None:
    """The user's cache folder for dvcq's days off; None when DVCQ_NO_CACHE is set."""
    from dvcq.planfiles.files import cache_dir

    return cache_dir("vn-days-off")


def package_tables(cache_dir: Path | None):
    """`tables(years)` for a WorkCalendar: the package's days off of those years, from the disk
    cache in `cache_dir` where it has them, else computed in one batch (and then cached there)."""
    disk: list[DiskCache | None] = []

    def tables(years: list[int]) -> dict[int, YearTable]:
        if not disk:
            key = cache_key() if cache_dir is not None else None
            disk.append(DiskCache(cache_dir / key) if key is not None else None)
        cache = disk[0]
        found: dict[int, YearTable] = {}
        if cache is not None:
            for year in years:
                table = cache.read(year) if year in CACHE_YEARS else None
                if table is not None:
                    found[year] = table
        missing = [y for y in years if y not in found]
        if missing:
            computed = _package_tables(missing)
            found.update(computed)
            if cache is not None:
                cache.write(computed)
        return found
    return tables


def calendar(notices: Notices, cache_dir: Path | None = None) -> WorkCalendar:
    """A working-day calendar of these notices over the package's days off (cached in `cache_dir`)."""
    return WorkCalendar(notices, package_tables(cache_dir))


@lru_cache(maxsize=8)
def _cached(paths: tuple[str, ...]) -> WorkCalendar:
    notices = read_notices(SHIPPED_NOTICES)
    for p in paths:
        read_notices(Path(p), notices)
    return calendar(notices, default_cache_dir())


def load_calendar(extra: list[Path] | tuple[Path, ...] = ()) -> WorkCalendar:
    """The shipped notices plus the user's own files, in order."""
    return _cached(tuple(str(p) for p in extra))
