"""The run's settings and what every use case shares: answers, notes, the options read, --output."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from dvcq.core import clock
from dvcq.core.errors import DvcqError


class Fresh:
    """A default made anew for each answer (a list to append notes to)."""

    def __init__(self, make):
        self.make = make


def answer(cls):
    """A use case's result: a plain class whose __init__ takes its annotated fields in order, or by
    name; defaults come from the class body (`Fresh(list)` for a new list each time). Not
    @dataclass(slots=True): it generates, compiles and rebuilds each class, 4.7 ms of every run's
    start-up for the 15 answers (bench/answers.py, in bench/run.py's start-up section; the rule we
    keep is dataclasses unless they cost over 2 ms), for nothing an answer needs."""
    names = list(cls.__dict__.get("__annotations__", {}))
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}

    def __init__(self, *args, **values):
        if len(args) > len(names) or set(values) - set(names):
            raise TypeError(f"{cls.__name__}: unexpected arguments")
        for name, value in zip(names, args):
            setattr(self, name, value)
        for name in names[len(args):]:
            if name in values:
                setattr(self, name, values[name])
            elif name in defaults:
                default = defaults[name]
                setattr(self, name, default.make() if isinstance(default, Fresh) else default)
            else:
                raise TypeError(f"{cls.__name__} needs {name!r}")

    cls.__init__ = __init__
    return cls


LANGS = ("vi", "en")


FORMATS = ("table", "json", "csv")


def note(key: str, lang: str, **values) -> str:
    """A note for stderr, from the messages catalog (ids `note.*`)."""
    from dvcq.core.messages import say

    return say(lang, f"note.{key}", **values)


@answer
class Settings:
    """Where this run finds its plans, notices files and ledger, in what language, for whom:
    flags over environment over the profile (dvcq.toml) over defaults (`resolve`)."""

    plans_dirs: tuple[Path, ...] = ()
    calendars: tuple[Path, ...] = ()
    db: str | None = None  # named by --db, DVCQ_DB or the profile (a path or a URL); None: the default place
    lang: str = "vi"
    plans: tuple[str, ...] = ()  # the plans I follow; () = all
    unit: str | None = None  # my unit
    sources: dict = Fresh(dict)  # setting -> where it came from (`dvcq config`)
    _catalogs: dict = Fresh(dict)

    def catalog(self, only=None):
        """The plans in use; `only` an id or a set of ids: read only those files."""
        from dvcq.planfiles.catalog import Catalog

        if isinstance(only, (set, list, tuple)):
            only = frozenset(only)
        if only not in self._catalogs:
            self._catalogs[only] = Catalog.load(list(self.plans_dirs), only=only)
        return self._catalogs[only]

    def file_errors(self) -> list[str]:
        """The plan files this run could not use, one line each (printed once, exit 2)."""
        seen = {p.text(self.lang): None for c in self._catalogs.values() for p in c.problems}
        return list(seen)

    def replacements(self) -> list[str]:
        """A plan file of the user's that replaces a shipped plan (or one of an earlier folder) with
        the same id and year: one note each, so that it is never silent."""
        import re

        out: dict[str, str] = {}
        for c in self._catalogs.values():
            for line in getattr(c, "replaced", ()):
                m = re.match(r"^(\S+) (\d+): (.+) replaces (.+)$", line)
                if m and line not in out:
                    out[line] = note("replaced", self.lang, plan=m[1], year=m[2], path=m[3], replaced=m[4])
        return list(out.values())

    def calendar(self):
        from dvcq.planfiles.daysoff import load_calendar

        return load_calendar(tuple(self.calendars))

    def ledger(self, create: bool):
        from dvcq.ledger import Ledger

        return Ledger.open(self.db, create=create)

    def ledger_path(self) -> Path:
        from dvcq.ledger import default_path

        return Path(self.db) if self.db else default_path()


def resolve(flags: dict, config: Path | None = None, env=None, cwd: Path | None = None) -> Settings:
    """The run's settings: `flags` by setting name (plans, plans_dirs, db, calendars, lang, unit);
    None or [] is 'not given'."""
    from dvcq.planfiles import profile

    env = os.environ if env is None else env
    found = profile.load_profile(profile.find_profile(config, env, cwd or Path.cwd()))
    eff = profile.effective({k: v for k, v in flags.items() if k in profile.KEYS}, env, found)
    db = eff["db"]
    return Settings(plans_dirs=tuple(eff["plans_dirs"].value), calendars=tuple(eff["calendars"].value),
                    db=None if db.source == "default" else str(db.value), lang=eff["lang"].value,
                    plans=tuple(eff["plans"].value), unit=eff["unit"].value, sources=eff)


def choice(value: str | None, options: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in options:
        raise DvcqError(msg="error.choice", option=option, value=value, options=", ".join(options))
    return value


def parse_year(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or not 1990 <= int(text) <= 2100:
        raise DvcqError(msg="error.year", value=text)
    return int(text)


def parse_month(text: str | None) -> int | None:
    if text is not None and (not text.strip().isdigit() or not 1 <= int(text) <= 12):
        raise DvcqError(msg="error.month", value=text)
    return None if text is None else int(text)


def parse_period(text: str):
    from dvcq.core.model import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise DvcqError(msg="error.period", why=exc.args[0] if exc.args else str(exc)) from None


OPEN_RANGE_MONTHS = 12  # `--from D` alone: what falls due in the next twelve months


def date_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """--from/--to as a range: `--from D` alone runs twelve months (to the day before D's date a
    year later), across the year's end; a range that ends before it starts is an error."""
    if start and end and end < start:
        raise DvcqError(msg="error.backwards", start=start, end=end)
    if start and end is None:
        try:
            end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            end = dt.date(start.year + 1, 2, 28)
    return start, end


def next_days(days: str, start: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """`--next N`: from today in Vietnam (or `start`) to N days later, both included."""
    if not days.strip().isdigit() or not 1 <= int(days) <= MAX_DAYS_AHEAD:
        raise DvcqError(msg="error.next_days", value=days[:20], most=MAX_DAYS_AHEAD)
    first = start or clock.today()
    return first, first + dt.timedelta(days=int(days))


def parse_day(text: str, option: str) -> dt.date:
    """A date option: 2024-05-15, 15/05/2024, or `today` (in Vietnam)."""
    if text.strip().lower() in ("today", "hôm nay", "hom nay"):
        return clock.today()
    return parse_date(text, option)


def schema() -> str:
    """`dvcq schema`: the JSON Schema of a plan file, with the codes `ignore:` may name."""
    from dvcq.planfiles.check import CODES
    from dvcq.planfiles.planformat import schema_json

    return schema_json(CODES)


def config(s: Settings) -> list[str]:
    """`dvcq config`: one line per setting in effect and where it comes from."""
    from dvcq.planfiles.profile import describe

    return describe(s.sources, s.lang)


# the command line's own questions to the environment, answered here so that it reaches only the
# use cases: today in Vietnam, a date option read, the login that records a submission
today = clock.today


def parse_date(text: str, option: str) -> dt.date:
    """A date option, within the years dvcq counts (those of --year): 9999-12-31 is one line, not
    a date overflow deep in a calendar."""
    day = clock.parse_cli_date(text, option)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DvcqError(msg="error.out_of_years", option=option, day=day.isoformat(), first=FIRST_DAY.year,
                        last=LAST_DAY.year)
    return day


FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # as parse_year


MAX_DAYS_AHEAD = 3660  # --within, --next: ten years is already more than any plan runs


login_name = clock.login_name


# -- --output: never onto what the run reads, never silently over a file (issue 22) ---------------
def run_inputs(s: Settings, extra=()) -> list[str]:
    """The files this run reads, or may: the ledger (a file), the notices files, every plan file in
    the folders in use and the units files of the plans read, and `extra` (a document, a sheet)."""
    from dvcq.planfiles.catalog import plan_dirs, plan_files

    found = [str(p) for p in extra if p]
    if not (s.db or "").startswith(("postgres://", "postgresql://")):
        found.append(str(s.ledger_path()))
    found += [str(p) for p in s.calendars]
    with contextlib.suppress(DvcqError, OSError):
        for d in plan_dirs(list(s.plans_dirs)):
            found += [str(p) for p in plan_files(d)]
    for c in s._catalogs.values():
        found += [p.units_file for p in c.plans if p.units_file]
    return found


def output_writer(s: Settings, output: Path | None, force: bool = False, extra=()):
    """What writes an --output file: `output` checked now (before any work) and again when written,
    then written atomically by planfiles.files.write_output; None when there is no --output."""
    from dvcq.planfiles.files import refuse_output, write_output

    if output is None:
        return None
    refuse_output(output, run_inputs(s, extra), force)

    def write(path: Path, data: bytes) -> None:
        write_output(path, data, run_inputs(s, extra), force)
    return write
