"""The use cases: one function per command. Plain values in; data and notes out; nothing printed.

The command line (cli.py) parses options, makes one call here and renders what comes back. Every
function takes the `Settings` of the run (where plans, notices and the ledger are) and raises
`DvcqError` for anything the user can fix. Notes are sentences for the user that are not the
answer itself (a projected year, an unannounced calendar); the caller shows them on stderr.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import clock
from .errors import DvcqError

LANGS = ("vi", "en")
FORMATS = ("table", "json", "csv")

NOTES = {
    "projected": {
        "vi": "{plan} has no plan for {year}; the {edition} plan's recurring rules are projected onto {year} "
              "(rows marked projected), its one-off deadlines left out",
        "en": "{plan} has no plan for {year}; the {edition} plan's recurring rules are projected onto {year} "
              "(rows marked projected), its one-off deadlines left out",
    },
    "unannounced": {
        "vi": "Lịch nghỉ năm {year} chưa được công bố: ngày nghỉ tính theo quy tắc (Tết, Giỗ Tổ theo âm lịch), "
              "chưa có ngày nghỉ bù/hoán đổi.",
        "en": "Days off for {year} are not announced yet: computed by rule (lunar Tết, Giỗ Tổ), no swaps known.",
    },
}


def note(key: str, lang: str, **values) -> str:
    return NOTES[key][lang if lang in LANGS else "vi"].format(**values)


@dataclass(frozen=True)
class Settings:
    """Where this run finds its plans, notices files and ledger; flags and environment combined."""

    plans_dirs: tuple[Path, ...] = ()
    calendars: tuple[Path, ...] = ()
    db: Path | None = None
    lang: str = "vi"

    def catalog(self, only: str | None = None):
        from .catalog import Catalog

        return Catalog.load(list(self.plans_dirs), only=only)

    def calendar(self):
        from .workdays import load_calendar

        env = [Path(p) for p in os.environ.get("DVCQ_CALENDAR", "").split(os.pathsep) if p.strip()]
        return load_calendar(tuple(env + list(self.calendars)))

    def ledger(self, create: bool):
        from .ledger import Ledger

        return Ledger.open(self.db, create=create)

    def ledger_path(self) -> Path:
        from .ledger import default_path

        return self.db or default_path()


def choice(value: str | None, options: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in options:
        raise DvcqError(f"{option}: {value!r} is not one of {', '.join(options)}")
    return value


def parse_year(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or not 1990 <= int(text) <= 2100:
        raise DvcqError(f"--year: {text!r} is not a year like 2024")
    return int(text)


def parse_month(text: str | None) -> int | None:
    if text is not None and (not text.strip().isdigit() or not 1 <= int(text) <= 12):
        raise DvcqError(f"--month: {text!r} is not a month (1-12)")
    return None if text is None else int(text)


def parse_period(text: str):
    from .model import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise DvcqError(f"--period: {exc}") from None


# -- deadlines, explain, calendar ------------------------------------------------------------------
@dataclass
class Deadlines:
    schedule: object  # engine.Schedule
    rows: list
    notes: list[str] = field(default_factory=list)
    calendar: object = None  # the WorkCalendar the dates were computed with
    months: list[int] = field(default_factory=lambda: list(range(1, 13)))  # what a calendar grid shows
    today: dt.date | None = None


def edition(catalog, plan_id: str, year: int):
    """The edition of a plan that governs `year`; an error if the plan had ended by then or did
    not exist yet."""
    plan = catalog.edition(plan_id, year)
    if not plan.in_force(year):
        successor = f"; replaced by {plan.end.successor}" if plan.end.successor else ""
        raise DvcqError(f"plan {plan.id} ended on {plan.end.date:%d/%m/%Y} ({plan.end.why}){successor}: "
                        f"it has no deadlines in {year}")
    if year < plan.years[0]:
        raise DvcqError(f"plan {plan.id} begins in {plan.years[0]}: it has no deadlines in {year}")
    return plan


def _schedule(s: Settings, plan_id: str, year: int | None, roll: str | None, report: str | None) -> Deadlines:
    from .engine import schedule

    year = year or clock.today().year
    plan = edition(s.catalog(only=plan_id), plan_id, year)
    if report is not None and plan.rule(report) is None:
        raise DvcqError(f"unknown report {report!r} in plan {plan.id}; known: {', '.join(r.id for r in plan.rules)}")
    cal = s.calendar()
    sched = schedule(plan, year, cal, roll=roll, lang=s.lang)
    notes = []
    if sched.projected:
        notes.append(note("projected", s.lang, plan=plan.id, year=year, edition=plan.year))
    if not cal.announced(year):
        notes.append(note("unannounced", s.lang, year=year))
    rows = [d for d in sched.deadlines if report is None or d.report == report]
    return Deadlines(sched, rows, notes, cal)


def deadlines(s: Settings, plan_id: str, year: int | None = None, report: str | None = None,
              sender: str | None = None, roll: str | None = None) -> Deadlines:
    """Every deadline of a plan for a year (this year in Vietnam by default), filtered."""
    from .text import fold

    found = _schedule(s, plan_id, year, roll, report)
    if sender:
        found.rows = [d for d in found.rows if d.sender and fold(sender) in fold(d.sender)]
    return found


@dataclass
class Explained:
    schedule: object
    rule: object
    deadline: object
    notes: list[str]
    literal_due: dt.date | None = None  # "trước" read literally: the working day before day N


def explain(s: Settings, plan_id: str, report: str, period: str, roll: str | None = None) -> Explained:
    """One deadline and what it was derived from."""
    wanted = parse_period(period)
    found = _schedule(s, plan_id, wanted.year, roll, report)
    match = [d for d in found.rows if d.period == wanted.label]
    if not match:
        valid = ", ".join(d.period for d in found.rows) or "none this year"
        raise DvcqError(f"report {report!r} has no period {period!r}; its periods in {wanted.year}: {valid}")
    d = match[0]
    literal = None
    if d.past_written_day:
        from .engine import apply_roll

        literal = apply_roll(d.written - dt.timedelta(days=1), "previous", found.calendar, s.lang)[0]
    return Explained(found.schedule, d.rule, d, found.notes, literal)


def calendar(s: Settings, plan_id: str, year: int | None = None, month: int | None = None,
             unit: str | None = None) -> Deadlines:
    """The deadlines a calendar grid marks: every dated one, or those a unit owes."""
    found = _schedule(s, plan_id, year, None, None)
    found.today = clock.today()
    if month is not None:
        found.months = [month]
    found.rows = [d for d in found.rows if d.effective_due is not None]
    if unit is not None:
        plan = found.schedule.plan
        if plan.unit(unit) is None:
            known = ", ".join(u.id for u in plan.units) or "(this plan lists no units)"
            raise DvcqError(f"unknown unit {unit!r} in plan {plan.id}; valid: {known}")
        found.rows = [d for d in found.rows if d.rule.owed_per_unit]
    return found


# -- plans and check -------------------------------------------------------------------------------
def plans(s: Settings) -> list:
    """The plans in use: shipped, DVCQ_PLANS, --plans-dir."""
    return s.catalog().plans


def check(s: Settings, paths: list[Path]) -> list:
    """Lint plan files (or the plans dirs in use): one list of located problems per file."""
    from .catalog import plan_dirs
    from .check import check_paths

    targets = list(paths) or plan_dirs(list(s.plans_dirs))
    for p in targets:
        if not p.exists():
            raise DvcqError(f"{p}: no such file or folder")
    return check_paths(targets, s.calendar())


def plan_next(s: Settings, plan_id: str, year: int) -> str:
    """Next year's plan file from the latest edition: same rules, dates moved, marked for review."""
    from . import nextplan, yamlpos

    latest = s.catalog(only=plan_id).editions(plan_id)[-1]
    if year <= latest.years[-1]:
        raise DvcqError(f"plan {plan_id} already has an edition for {latest.years[-1]}; give a later --year")
    if not latest.in_force(year):
        successor = f"; its successor: {latest.end.successor}" if latest.end.successor else ""
        raise DvcqError(f"plan {plan_id} ended on {latest.end.date:%d/%m/%Y} ({latest.end.why}){successor}: "
                        "there is no next edition to write")
    raw = yamlpos.load(Path(latest.path).read_bytes(), latest.path).value
    return nextplan.to_yaml(latest, nextplan.next_edition(latest, raw, year), year)


# -- the ledger ------------------------------------------------------------------------------------
@dataclass
class Submitted:
    obligation: object  # obligations.Obligation
    sent: dt.date
    existing: object | None  # the submission already recorded, if any (nothing was changed)
    removed: object | None = None  # --undo: what was removed

    @property
    def days_late(self) -> int:
        return (self.sent - self.obligation.deadline.effective_due).days


def _obligation(s: Settings, plan_id: str, report: str, period: str, unit: str | None):
    from .obligations import find_obligation

    wanted = parse_period(period)
    plan = edition(s.catalog(only=plan_id), plan_id, wanted.year)
    return find_obligation(plan, report, period, unit, s.calendar())


def submit(s: Settings, plan_id: str, report: str, period: str, unit: str | None = None,
           on: dt.date | None = None, note_text: str | None = None, user: str = "") -> Submitted:
    """Record that a report was sent; recording it again changes nothing."""
    from .ledger import Submission

    ob = _obligation(s, plan_id, report, period, unit)
    today = clock.today()
    sent = on or today
    if sent > today:
        raise DvcqError(f"--on: {sent:%d/%m/%Y} is in the future (today in Vietnam is {today:%d/%m/%Y})")
    d = ob.deadline
    with s.ledger(create=True) as ledger:
        existing = ledger.record(Submission(d.plan, d.report, d.period, ob.unit, sent, note_text, recorded_by=user))
    return Submitted(ob, sent, existing)


def undo(s: Settings, plan_id: str, report: str, period: str, unit: str | None = None) -> Submitted:
    """Remove a mistaken record."""
    ob = _obligation(s, plan_id, report, period, unit)
    d = ob.deadline
    with s.ledger(create=False) as ledger:
        removed = ledger.undo(d.plan, d.report, d.period, ob.unit)
    if removed is None:
        who = f" by {ob.unit}" if ob.unit else ""
        raise DvcqError(f"nothing recorded for {d.plan} {d.report} {d.period}{who}; nothing removed")
    return Submitted(ob, removed.submitted_on, None, removed)


def submissions(s: Settings, plan_id: str | None = None, unit: str | None = None, period: str | None = None) -> list:
    """What the ledger holds, filtered."""
    with s.ledger(create=False) as ledger:
        return ledger.submissions(plan=plan_id, unit=unit, period=period)


@dataclass
class Overdue:
    as_of: dt.date
    shown: list  # obligations.Assessed, worst first
    news: list

    @property
    def is_overdue(self) -> bool:
        return any(a.status == "overdue" for a in self.news)


def overdue(s: Settings, plan_ids: list[str] | None = None, unit: str | None = None, as_of: dt.date | None = None,
            within: int = 7, show_all: bool = False) -> Overdue:
    """Every obligation's status as of a day (today in Vietnam by default), worst first."""
    from .obligations import NEWS, STATUSES, assess, obligations_for

    day = as_of or clock.today()
    catalog = s.catalog()
    plans = [p for pid in plan_ids for p in catalog.editions(pid)] if plan_ids else catalog.plans
    if unit and not any(p.unit(unit) for p in plans):
        known = sorted({u.id for p in plans for u in p.units})
        raise DvcqError(f"unknown unit {unit!r}; valid: {', '.join(known) or '(no plan lists units)'}")
    items, years = obligations_for(plans, day, s.calendar(), unit)
    sent: dict = {}
    if items and s.ledger_path().exists():
        with s.ledger(create=False) as ledger:
            sent = ledger.sent_dates(sorted(str(y) for y in years))
    shown = assess(items, sent, day, within, keep=STATUSES if show_all else NEWS)
    return Overdue(day, shown, [a for a in shown if a.status in NEWS])
