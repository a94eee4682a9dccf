"""The use cases: one function per command. Plain values in; data and notes out; nothing printed.

The command line (cli.py) parses options, makes one call here and renders what comes back. Every
function takes the `Settings` of the run (where plans, notices and the ledger are) and raises
`DvcqError` for anything the user can fix. Notes are sentences for the user that are not the
answer itself (a projected year, an unannounced calendar); the caller shows them on stderr.
"""
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
    @dataclass(slots=True): it generates, compiles and rebuilds each class, 3.3 ms of every run's
    start-up for the 11 answers (bench/answers.py, in bench/run.py's start-up section; the rule we
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
        seen = {str(p): None for c in self._catalogs.values() for p in c.problems}
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
    from dvcq.core.model import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise DvcqError(f"--period: {exc}") from None


# -- deadlines, explain, calendar ------------------------------------------------------------------
@answer
class Deadlines:
    schedule: object  # engine.Schedule
    rows: list
    notes: list[str] = Fresh(list)
    calendar: object = None  # the WorkCalendar the dates were computed with
    months: list[int] = Fresh(lambda: list(range(1, 13)))  # what a calendar grid shows
    today: dt.date | None = None
    unit: object = None  # model.Unit: the rows are what this unit owes
    span: tuple | None = None  # (from, to) of a range of dates asked for (--from/--to/--next)


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


def one_plan(s: Settings, plan_id: str | None) -> str:
    """--plan, or the one plan the profile follows."""
    if plan_id:
        return plan_id
    if len(s.plans) == 1:
        return s.plans[0]
    followed = f" (the profile follows {', '.join(s.plans)})" if s.plans else ""
    raise DvcqError(f"Missing option '--plan'{followed}; see `dvcq plans`")


def _schedule(s: Settings, plan_id: str | None, year: int | None, roll: str | None, report: str | None) -> Deadlines:
    from dvcq.core.engine import schedule

    plan_id = one_plan(s, plan_id)
    year = year or clock.today().year
    plan = edition(s.catalog(only=plan_id), plan_id, year)
    if report is not None and plan.rule(report) is None:
        raise DvcqError(f"unknown report {report!r} in plan {plan.id}; known: {', '.join(r.id for r in plan.rules)}")
    cal = s.calendar()
    sched = schedule(plan, year, cal, roll=roll, lang=s.lang)
    notes = []
    if sched.projected:
        notes.append(note("projected", s.lang, plan=plan.id, year=year, edition=plan.year))
    if plan.end is not None and plan.end.date.year == year:
        notes.append(note("ends", s.lang, plan=plan.id, date=f"{plan.end.date:%d/%m/%Y}", why=plan.end.why))
    if not cal.announced(year):
        notes.append(note("unannounced", s.lang, year=year))
    rows = [d for d in sched.deadlines if report is None or d.report == report]
    return Deadlines(sched, rows, notes, cal)


def find_unit(plan, text: str):
    """A unit by id, name or a unique part of either (accents and case ignored), or a DvcqError."""
    from dvcq.core.text import fold

    if plan.unit(text):
        return plan.unit(text)
    if not plan.units:
        raise DvcqError(f"--unit: plan {plan.id} lists no units: each deadline is owed once")
    want = fold(text)
    hits = [u for u in plan.units if want in fold(u.id) or want in fold(u.name) or any(want in fold(a) for a in u.aliases)]
    exact = [u for u in hits if want == fold(u.name)]
    if len(exact) == 1 or len(hits) == 1:
        return (exact or hits)[0]
    if not hits:
        raise DvcqError(f"unknown unit {text!r} in plan {plan.id}; valid: {', '.join(u.id for u in plan.units)}")
    raise DvcqError(f"--unit: {text!r} could be {', '.join(u.id for u in hits[:6])}{' ...' if len(hits) > 6 else ''}; say which")


def owed_by(rows: list, unit) -> list:
    """The rows a unit owes: reports owed per unit that fall due while it exists, and the key
    tasks it leads."""
    from dvcq.core.text import fold

    def owes(d) -> bool:
        if d.merged_into or d.effective_due is None:
            return d.rule.owed_per_unit and (unit.end is None or d.span.start <= unit.end)
        if d.rule.is_task:
            return bool(d.rule.lead) and fold(unit.name) in fold(d.rule.lead)
        return d.rule.owed_per_unit and unit.exists_on(d.effective_due) and not d.after_end
    return [d for d in rows if owes(d)]


def _filter(s: Settings, found: Deadlines, unit: str | None, month: int | None, start: dt.date | None,
            end: dt.date | None, explicit_unit: bool) -> Deadlines:
    """What do I owe: rows of one unit, and whose effective due date falls in a month or a range."""
    plan = found.schedule.plan
    if unit:
        if explicit_unit or plan.unit(unit) or plan.units:
            found.unit = find_unit(plan, unit)
            found.rows = owed_by(found.rows, found.unit)
    if month is not None:
        found.rows = [d for d in found.rows if d.effective_due and d.effective_due.month == month]
    if start or end:
        found.rows = [d for d in found.rows if d.effective_due
                      and (start is None or d.effective_due >= start) and (end is None or d.effective_due <= end)]
    if not found.rows and (unit or month or start or end):
        found.notes.append(note("no-match", s.lang))
    return found


OPEN_RANGE_MONTHS = 12  # `--from D` alone: what falls due in the next twelve months


def date_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """--from/--to as a range: `--from D` alone runs twelve months (to the day before D's date a
    year later), across the year's end; a range that ends before it starts is an error."""
    if start and end and end < start:
        raise DvcqError(f"--to: {end:%d/%m/%Y} is before --from {start:%d/%m/%Y}; the range runs backwards")
    if start and end is None:
        try:
            end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            end = dt.date(start.year + 1, 2, 28)
    return start, end


def next_days(days: str, start: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """`--next N`: from today in Vietnam (or `start`) to N days later, both included."""
    if not days.strip().isdigit() or not 1 <= int(days) <= MAX_DAYS_AHEAD:
        raise DvcqError(f"--next: {days[:20]!r} is not a number of days (1 to {MAX_DAYS_AHEAD})")
    first = start or clock.today()
    return first, first + dt.timedelta(days=int(days))


def parse_day(text: str, option: str) -> dt.date:
    """A date option: 2024-05-15, 15/05/2024, or `today` (in Vietnam)."""
    if text.strip().lower() in ("today", "hôm nay", "hom nay"):
        return clock.today()
    return parse_date(text, option)


def deadlines(s: Settings, plan_id: str | None = None, year: int | None = None, report: str | None = None,
              sender: str | None = None, roll: str | None = None, unit: str | None = None,
              month: int | None = None, start: dt.date | None = None, end: dt.date | None = None) -> Deadlines:
    """Every deadline of a plan for a year (this year in Vietnam by default), filtered: by report,
    sender, the unit that owes it (default: the profile's unit), a month or a range of dates."""
    from dvcq.core.text import fold

    start, end = date_range(start, end)
    if year is None and (start or end):
        year = (start or end).year
    found = _schedule(s, plan_id, year, roll, report)
    if start and end and end.year > start.year and year == start.year:
        # a range across New Year: the later years' deadlines too (an open range stops quietly at
        # the year the plan no longer covers: the first year's notes say when it ends)
        for later in range(start.year + 1, end.year + 1):
            try:
                more = _schedule(s, plan_id, later, roll, report)
            except DvcqError:
                break
            found.rows.extend(more.rows)
            found.notes.extend(n for n in more.notes if n not in found.notes)
    if start or end:
        found.span = (start, end)
    if sender:
        found.rows = [d for d in found.rows if d.sender and fold(sender) in fold(d.sender)]
        if not found.rows:
            found.notes.append(note("no-match", s.lang))
            return found
    return _filter(s, found, unit or s.unit, month, start, end, explicit_unit=unit is not None)


@answer
class Explained:
    schedule: object
    rule: object
    deadline: object
    notes: list[str]
    literal_due: dt.date | None = None  # "trước" read literally: the working day before day N
    sources: dict = Fresh(dict)  # each day off the date moved past -> its law or notice


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
        from dvcq.core.engine import apply_roll

        literal = apply_roll(d.written - dt.timedelta(days=1), "previous", found.calendar, s.lang)[0]
    sources = {day: found.calendar.source_of(day) for day, _ in d.moved_because}
    return Explained(found.schedule, d.rule, d, found.notes, literal, sources)


def calendar(s: Settings, plan_id: str | None = None, year: int | None = None, month: int | None = None,
             unit: str | None = None) -> Deadlines:
    """The deadlines a calendar grid marks: every dated one, or those a unit owes."""
    found = _schedule(s, plan_id, year, None, None)
    found.today = clock.today()
    if month is not None:
        found.months = [month]
    found = _filter(s, found, unit or s.unit, None, None, None, explicit_unit=unit is not None)
    found.rows = [d for d in found.rows if d.effective_due is not None]
    return found


# -- plans and check -------------------------------------------------------------------------------
def plans(s: Settings) -> list:
    """The plans in use: shipped, DVCQ_PLANS, --plans-dir."""
    return s.catalog().plans


def check(s: Settings, paths: list[Path]) -> list:
    """Lint plan files (or the plans dirs in use): one list of located problems per file."""
    from dvcq.planfiles.catalog import plan_dirs
    from dvcq.planfiles.check import check_paths

    targets = list(paths) or plan_dirs(list(s.plans_dirs))
    for p in targets:
        if not p.exists():
            raise DvcqError(f"{p}: no such file or folder")
    return check_paths(targets, s.calendar())


@answer
class Planned:
    yaml: str  # the next edition's plan file
    notes: list[str] = Fresh(list)  # key tasks whose lead no longer exists


# Resolution 202/2025/QH15: local government has two levels from 01/07/2025; no district (huyện) level
DISTRICT_LEVEL_ENDED = dt.date(2025, 7, 1)


def gone_leads(plan, year: int, lang: str = "vi") -> list[tuple[str, str, str]]:
    """(task id, lead, why) for each key task whose lead names a body that no longer exists in
    `year`: a unit of the plan that ended before it, or the district level the 2025 reform abolished."""
    import re

    from dvcq.core.messages import say
    from dvcq.core.text import fold

    first = dt.date(year, 1, 1)
    out = []
    for rule in plan.rules:
        if not rule.is_task or not rule.lead:
            continue
        lead = fold(rule.lead)
        ended = [u for u in plan.units if u.end is not None and u.end < first and fold(u.name) in lead]
        if ended:
            def now(u) -> str:
                if not u.became:
                    return ""
                successor = plan.unit(u.became)
                return say(lang, "note.gone-lead.became", name=successor.name if successor else u.became)
            why = "; ".join(say(lang, "note.gone-lead.unit", name=u.name, end=f"{u.end:%d/%m/%Y}", became=now(u))
                            for u in ended)
            out.append((rule.id, rule.lead, why))
        elif first > DISTRICT_LEVEL_ENDED and re.search(r"\bhuyen\b", lead):
            out.append((rule.id, rule.lead, say(lang, "note.gone-lead.district")))
    return out


def plan_next(s: Settings, plan_id: str, year: int) -> str:
    """Next year's plan file from the latest edition: same rules, dates moved, marked for review."""
    from dvcq.core import nextplan
    from dvcq.planfiles import yamlpos
    from dvcq.planfiles.files import read_capped

    latest = s.catalog(only=plan_id).editions(plan_id)[-1]
    if year <= latest.years[-1]:
        raise DvcqError(f"plan {plan_id} already has an edition for {latest.years[-1]}; give a later --year")
    if not latest.in_force(year):
        successor = f"; its successor: {latest.end.successor}" if latest.end.successor else ""
        raise DvcqError(f"plan {plan_id} ended on {latest.end.date:%d/%m/%Y} ({latest.end.why}){successor}: "
                        "there is no next edition to write")
    raw = yamlpos.load(read_capped(latest.path), latest.path).value
    data = nextplan.next_edition(latest, raw, year)
    from dvcq.core.messages import say

    for task_id, lead, why in gone_leads(latest, year):  # flagged in the file (in the plan's language):
        for task in data.get("tasks") or []:             # `dvcq check` warns until it is reviewed
            if task.get("id") == task_id:
                task["review"] = f"{say('vi', 'note.gone-lead.flag', why=why)} {task.get('review', '')}".strip()
    return nextplan.to_yaml(latest, data, year)


def plan_next_flagged(s: Settings, plan_id: str, year: int) -> Planned:
    """`dvcq plan next`: the file, and a note for each key task led by a body that no longer exists."""
    text = plan_next(s, plan_id, year)
    latest = s.catalog(only=plan_id).editions(plan_id)[-1]
    return Planned(text, [note("gone-lead", s.lang, task=t, lead=lead, why=why)
                          for t, lead, why in gone_leads(latest, year, s.lang)])


@answer
class Drafted:
    draft: object  # draft.Draft
    notes: list[str] = Fresh(list)
    explained: list[str] = Fresh(list)  # --explain: each sentence seen and what the draft made of it


def draft(s: Settings, path: Path, plan_id: str | None = None, explain: bool = False) -> Drafted:
    """A plan file drafted from a plan document (.txt, .docx, .pdf with a text layer); what it
    cannot read is left as a commented TODO with the sentence, never a guess."""
    from dvcq.documents import draft as drafting

    found = drafting.draft_plan(drafting.read_document(Path(path)), plan_id=plan_id, source_name=Path(path).name)
    return Drafted(found, found.summary(s.lang), found.explain(s.lang) if explain else [])


# -- the ledger ------------------------------------------------------------------------------------
@answer
class Submitted:
    obligation: object  # obligations.Obligation
    sent: dt.date
    existing: object | None  # the submission already recorded, if any (nothing was changed)
    removed: object | None = None  # --undo: what was removed
    notes: list[str] = Fresh(list)

    @property
    def days_late(self) -> int:
        return (self.sent - self.obligation.deadline.effective_due).days


def _obligation(s: Settings, plan_id: str, report: str, period: str, unit: str | None):
    """The obligation named; the unit by id, name or a unique part (the profile's unit where the
    plan lists it)."""
    from dvcq.core.obligations import find_obligation

    wanted = parse_period(period)
    plan = edition(s.catalog(only=plan_id), plan_id, wanted.year)
    if unit is None and s.unit and plan.unit(s.unit):
        unit = s.unit
    elif unit is not None and plan.units and plan.unit(unit) is None:
        unit = find_unit(plan, unit).id
    return find_obligation(plan, report, period, unit, s.calendar())


def submit(s: Settings, plan_id: str | None, report: str, period: str, unit: str | None = None,
           on: dt.date | None = None, note_text: str | None = None, user: str = "") -> Submitted:
    """Record that a report was sent; recording it again changes nothing. The date sent cannot be
    in the future (in Vietnam) nor before the period it reports on began."""
    from dvcq.ledger import Submission

    ob = _obligation(s, one_plan(s, plan_id), report, period, unit)
    today = clock.today()
    sent = on or today
    if sent > today:
        raise DvcqError(f"--on: {sent:%d/%m/%Y} is in the future (today in Vietnam is {today:%d/%m/%Y})")
    d = ob.deadline
    if sent < d.span.start:
        raise DvcqError(f"--on: {sent:%d/%m/%Y} is before the period {d.period} began ({d.span.start:%d/%m/%Y}); "
                        "a report on it cannot have been sent then")
    with s.ledger(create=True) as ledger:
        existing = ledger.record(Submission(d.plan, d.report, d.period, ob.unit, sent, note_text, recorded_by=user,
                                            source="submit"))
    result = Submitted(ob, sent, existing)
    if ledger.created:
        result.notes.append(note("created", s.lang, path=ledger.path))
    return result


def undo(s: Settings, plan_id: str | None, report: str, period: str, unit: str | None = None) -> Submitted:
    """Remove a mistaken record."""
    ob = _obligation(s, one_plan(s, plan_id), report, period, unit)
    d = ob.deadline
    with s.ledger(create=False) as ledger:
        removed = ledger.undo(d.plan, d.report, d.period, ob.unit)
    if removed is None:
        who = f" by {ob.unit}" if ob.unit else ""
        raise DvcqError(f"nothing recorded for {d.plan} {d.report} {d.period}{who}; nothing removed")
    return Submitted(ob, removed.submitted_on, None, removed)


@answer
class Changed:
    obligation: object  # obligations.Obligation
    before: object  # the submission as it was recorded
    after: object | None  # as corrected; None when withdrawn
    why: str
    notes: list[str] = Fresh(list)


def _sent_day(ob, on: dt.date | None) -> dt.date:
    """The date sent a record may carry: not in the future (in Vietnam), not before its period began."""
    today = clock.today()
    sent = on or today
    if sent > today:
        raise DvcqError(f"--on: {sent:%d/%m/%Y} is in the future (today in Vietnam is {today:%d/%m/%Y})")
    if sent < ob.deadline.span.start:
        raise DvcqError(f"--on: {sent:%d/%m/%Y} is before the period {ob.deadline.period} began "
                        f"({ob.deadline.span.start:%d/%m/%Y}); a report on it cannot have been sent then")
    return sent


def _why(why: str | None, doing: str) -> str:
    if why is None or not why.strip():
        raise DvcqError(f"--why: say why the record is {doing} (kept in the ledger's history for ever)")
    return why.strip()


def correct(s: Settings, plan_id: str | None, report: str, period: str, unit: str | None, on: dt.date | None,
            note_text: str | None, why: str | None, user: str = "") -> Changed:
    """Correct a recorded submission's date sent (--on) or note (--note; kept if not given): an
    event kept for ever with its reason; the record as it was stays in the history."""
    from dvcq.ledger import Submission

    ob = _obligation(s, one_plan(s, plan_id), report, period, unit)
    d = ob.deadline
    reason = _why(why, "corrected")
    with s.ledger(create=False) as ledger:
        before = ledger.submissions(plan=d.plan, unit=ob.unit, period=d.period)
        before = next((b for b in before if b.report == d.report), None)
        if before is None:
            who = f" by {ob.unit}" if ob.unit else ""
            raise DvcqError(f"nothing recorded for {d.plan} {d.report} {d.period}{who}; nothing to correct "
                            "(record it with dvcq submit)")
        sent = _sent_day(ob, on) if on is not None else before.submitted_on
        note_text = before.note if note_text is None else (note_text or None)
        changed = ledger.correct(Submission(d.plan, d.report, d.period, ob.unit, sent, note_text, recorded_by=user,
                                            source="submit --why"), reason)
    if changed is None:
        raise DvcqError(f"nothing recorded for {d.plan} {d.report} {d.period}; nothing to correct")
    return Changed(ob, changed[0], changed[1], reason)


def withdraw(s: Settings, plan_id: str | None, report: str, period: str, unit: str | None, why: str | None,
             user: str = "") -> Changed:
    """Withdraw a mistaken record: an event kept for ever with its reason (nothing is deleted)."""
    ob = _obligation(s, one_plan(s, plan_id), report, period, unit)
    d = ob.deadline
    reason = _why(why, "withdrawn")
    with s.ledger(create=False) as ledger:
        removed = ledger.undo(d.plan, d.report, d.period, ob.unit, why=reason, who=user, source="submit --undo")
    if removed is None:
        who = f" by {ob.unit}" if ob.unit else ""
        raise DvcqError(f"nothing recorded for {d.plan} {d.report} {d.period}{who}; nothing withdrawn")
    return Changed(ob, removed, None, reason)


@answer
class History:
    events: list  # ledger.Event, oldest first
    notes: list[str] = Fresh(list)


def history(s: Settings, plan_id: str | None = None, unit: str | None = None, period: str | None = None) -> History:
    """Every change the ledger holds (recorded, corrected, withdrawn), oldest first, filtered."""
    found = History([])
    ledger = _reading(s, found.notes)
    if ledger is None:
        return found
    with ledger:
        found.events = ledger.history(plan=plan_id, unit=unit, period=period)
    return found


def ledger_grant(s: Settings, role: str, name: str) -> dict:
    """Give a login a role on the shared ledger (PostgreSQL), enforced by the server's privileges."""
    from dvcq.ledger import is_pg_url

    if not is_pg_url(s.db):
        raise DvcqError(f"{s.ledger_path()}: roles are for a shared ledger on PostgreSQL (--db postgresql://...); "
                        "an SQLite ledger is single-user (its file's permissions say who may open it)")
    with s.ledger(create=True) as ledger:
        found = ledger.grant(role, name)
        found["ledger"] = str(ledger.path)
    return found


def _reading(s: Settings, notes: list[str]):
    """The ledger for reading; None when nothing has been recorded at the default place yet (said
    in one note). A ledger named by --db, DVCQ_DB or the profile that is not there is an error."""
    from dvcq.ledger import LedgerMissing

    try:
        return s.ledger(create=False)
    except LedgerMissing as exc:
        if exc.explicit:
            raise DvcqError(f"{exc.path}: no ledger there (named by {s.sources['db'].source if 'db' in s.sources else '--db'});"
                            " check the path, or record a submission to create it") from None
        notes.append(note("no-ledger", s.lang, path=exc.path))
        return None


@answer
class Submissions:
    rows: list  # (Submission, effective due or None, days late or None)
    notes: list[str] = Fresh(list)
    names: dict = Fresh(dict)  # (plan, report) -> its title, (plan, unit) -> its name: what tables show


def submissions(s: Settings, plan_id: str | None = None, unit: str | None = None, period: str | None = None,
                as_of: dt.date | None = None) -> Submissions:
    """What the ledger holds (as it stood on `as_of`), filtered, each with how late it was sent."""
    found = Submissions([])
    ledger = _reading(s, found.notes)
    if ledger is None:
        return found
    with ledger:
        rows = ledger.submissions(plan=plan_id, unit=unit, period=period, as_of=as_of)
    due = _effective_dues(s, rows)
    for plan in s.catalog(only={r.plan for r in rows} or None).plans:  # names for people, ids for machines
        found.names.update({(plan.id, rule.id): rule.title for rule in plan.rules})
        found.names.update({(plan.id, u.id): u.name for u in plan.units})
    found.rows = [(r, due.get((r.plan, r.report, r.period)),
                   (r.submitted_on - due[(r.plan, r.report, r.period)]).days if (r.plan, r.report, r.period) in due else None)
                  for r in rows]
    return found


def _effective_dues(s: Settings, rows) -> dict:
    """(plan, report, period) -> effective due date, for the recorded rows' plans and years."""
    from dvcq.core.engine import schedule

    out: dict = {}
    catalog = s.catalog(only={r.plan for r in rows} or None)
    for plan_id, year in sorted({(r.plan, int(r.period[:4])) for r in rows}):
        try:
            plan = edition(catalog, plan_id, year)
        except DvcqError:
            continue  # a plan no longer in use: the row is listed without its due date
        for d in schedule(plan, year, s.calendar()).deadlines:
            if d.effective_due is not None:
                out[(d.plan, d.report, d.period)] = d.effective_due
    return out


@answer
class Overdue:
    as_of: dt.date
    shown: list  # obligations.Assessed, worst first
    news: list
    plans: list[str] = Fresh(list)  # the plans read
    notes: list[str] = Fresh(list)
    no_ledger: str | None = None  # nothing recorded yet: where the ledger would be (said in one line)
    everything: bool = False  # --all: every status listed

    @property
    def is_overdue(self) -> bool:
        return any(a.status == "overdue" for a in self.news)


def _unit_among(s: Settings, plans) -> tuple[str | None, str | None]:
    """The unit to judge (id, name or a unique part of it, as deadlines takes it), and a note when
    the profile's unit is not one of these plans' (then every unit is judged)."""
    unit = s.unit
    if not unit or any(p.unit(unit) for p in plans):
        return unit, None
    ids = set()
    for p in plans:
        if p.units:
            with contextlib.suppress(DvcqError):
                ids.add(find_unit(p, unit).id)
    if len(ids) == 1:
        return ids.pop(), None
    if s.sources.get("unit") is not None and s.sources["unit"].source == "--unit":
        known = sorted({u.id for p in plans for u in p.units})
        raise DvcqError(f"unknown unit {unit!r}; valid: {', '.join(known) or '(no plan lists units)'}")
    return None, note("unit-not-here", s.lang, unit=unit)


def overdue(s: Settings, as_of: dt.date | None = None, within: int = 7, show_all: bool = False) -> Overdue:
    """Every obligation's status as of a day (today in Vietnam by default), worst first, over the
    plans followed (the profile's or --plan; default all) and for one unit if one is set. The
    ledger is read as it stood that day: what was sent later does not count."""
    from dvcq.core.obligations import NEWS, STATUSES, judge, worst_first, years_that_matter

    day = as_of or clock.today()
    if not 0 <= within <= MAX_DAYS_AHEAD:
        raise DvcqError(f"--within: {within} days is more than {MAX_DAYS_AHEAD} (ten years)")
    catalog = s.catalog(only=s.plans or None)  # --plan X among 700 plans reads X's file only
    plans = [p for pid in s.plans for p in catalog.editions(pid)] if s.plans else catalog.plans
    unit, unit_note = _unit_among(s, plans)
    found = Overdue(day, [], [], sorted({p.id for p in plans}), [unit_note] if unit_note else [])
    keep = STATUSES if show_all else NEWS
    # only the news wanted: nothing due after the horizon can be news, so it is never built
    horizon = None if show_all else day + dt.timedelta(days=within)
    cal = s.calendar()
    ledger = _reading(s, found.notes)
    if ledger is None:
        found.no_ledger = str(s.ledger_path())
    found.everything = show_all
    with ledger if ledger is not None else contextlib.nullcontext():
        # plan by plan: a national run holds one plan's obligations and ledger rows at a time
        by_id: dict[str, list] = {}
        for p in plans:
            by_id.setdefault(p.id, []).append(p)
        for plan_id in found.plans:
            editions = sorted(by_id[plan_id], key=lambda p: p.years)
            years = sorted({year for _, year in years_that_matter(editions, day)})
            sent = ledger.sent_keys(plan_id, years, as_of=day) if years and ledger is not None else {}
            found.shown.extend(judge(editions, day, cal, sent, within, keep, unit, horizon))
    found.shown.sort(key=worst_first)
    found.news = [a for a in found.shown if a.status in NEWS]
    return found



@answer
class LedgerReport:
    ledger: str  # the ledger's place (a URL without its password)
    problems: list[str] = Fresh(list)
    copy: dict | None = None  # ledger copy: counts and checksums of both sides
    notes: list[str] = Fresh(list)


def ledger_copy(source: str, target: str) -> LedgerReport:
    """Every row of one ledger into another (SQLite or PostgreSQL, either way), verified by row
    counts and checksums of both sides. The target is created if need be; it must be empty or hold
    only rows of the source (a copy interrupted and run again)."""
    from dvcq.ledger import Ledger, copy_ledger

    with Ledger.open(source, create=False) as src, Ledger.open(target, create=True) as dst:
        return LedgerReport(str(dst.path), copy=copy_ledger(src, dst))


def ledger_check(s: Settings) -> LedgerReport:
    """The backend's own integrity check of the ledger in use, and the ledger's rules."""
    found = LedgerReport("")
    ledger = _reading(s, found.notes)
    if ledger is None:
        return found
    with ledger:
        found.ledger, found.problems = str(ledger.path), ledger.integrity()
    return found


# -- the Sở Nội vụ's desk --------------------------------------------------------------------------
def province_of(plan) -> str:
    """'UBND tỉnh Thái Nguyên' -> 'Thái Nguyên': registers often add it after a body's name."""
    import re

    m = re.search(r"\b(?:tỉnh|thành phố)\s+(.+)$", plan.issuer)
    return m.group(1).strip() if m else ""


@answer
class Imported:
    file: str
    kind: str  # "register" | "submissions"
    outcomes: list  # desk.Outcome per row
    recorded: list  # the outcomes recorded (one per obligation: the earliest)
    added: int = 0
    existing: int = 0
    dry_run: bool = False
    notes: list[str] = Fresh(list)

    @property
    def unmatched(self) -> int:
        """DVCQ report rows left without an obligation: the import exits 1 when there is one."""
        if hasattr(self.outcomes, "kinds"):  # desk.Outcomes: counted by kind, not row by row
            return self.outcomes.count("skip", dvcq=True)
        return sum(o.status == "skip" and o.dvcq for o in self.outcomes)


def import_file(s: Settings, path: Path, plan_id: str | None = None, dry_run: bool = False, user: str = "") -> Imported:
    """Record every submission an incoming-documents register (or a submissions sheet) shows, all
    in one transaction; a row that cannot be read refuses the whole file. --dry-run touches no ledger."""
    from dvcq.documents import desk
    from dvcq.documents import intake
    from dvcq.ledger import Submission

    plan_id = one_plan(s, plan_id)
    editions = s.catalog(only=plan_id).editions(plan_id)
    try:  # streamed: each row read, matched and kept as a compact outcome; every row before any write
        sheet = intake.open_sheet(Path(path))
        units = {u.id: intake.UnitRef(u.id, u.name, u.aliases) for p in editions for u in p.units}
        index = desk.Obligations(editions, s.calendar())
        province = province_of(editions[-1])
        rules = {r.id: r for p in editions for r in p.rules}
        if sheet.kind == "register":  # the report its trích yếu names too, where a plan has several a year
            matched = desk.iter_register(sheet.rows, tuple(units.values()), index, province, str(path),
                                         tuple(rules.values()))
        else:
            matched = desk.iter_sheet(sheet.rows, tuple(units.values()), index, tuple(rules.values()), province, str(path))
        outcomes = desk.Outcomes(clock.today()).extend(matched)  # a match dated after today is skipped
    except intake.IntakeError as exc:
        raise DvcqError(f"{exc} (nothing imported)") from None
    found = Imported(str(path), sheet.kind, outcomes, outcomes.recorded(), dry_run=dry_run)
    if dry_run:
        return found
    subs = [Submission(o.obligation.deadline.plan, o.obligation.deadline.report, o.obligation.deadline.period,
                       o.obligation.unit, o.sent, o.note or None, recorded_by=user,
                       source=f"submit --from {Path(path).name} row {o.row}") for o in found.recorded]
    with s.ledger(create=True) as ledger:
        found.added, found.existing = ledger.record_many(subs)
        if ledger.created:
            found.notes.append(note("created", s.lang, path=ledger.path))
    return found


@answer
class Scorecard:
    year: int
    as_of: dt.date
    plans: list  # (Plan, [desk.UnitScore], [Obligation due before the plan was issued])
    notes: list[str] = Fresh(list)

    def record(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(),
                "units": [c.record() for _, cards, _ in self.plans for c in cards]}


def scorecard(s: Settings, year: int, as_of: dt.date | None = None) -> Scorecard:
    """Per unit of each plan followed: report obligations due by the as-of date (default today in
    Vietnam, or the year's end if sooner), sent on time, late, or missing; worst first."""
    from dvcq.documents import desk

    day = as_of or min(clock.today(), dt.date(year, 12, 31))
    catalog = s.catalog(only=s.plans or None)
    ids = list(s.plans) or catalog.ids()
    found = Scorecard(year, day, [])
    sent: dict = {}
    ledger = _reading(s, found.notes)
    if ledger is not None:
        with ledger:
            sent = ledger.sent_dates([year], as_of=day)
    for plan_id in ids:
        try:
            plan = edition(catalog, plan_id, year)
        except DvcqError:
            continue  # not in force that year
        cards, apart = desk.score(plan, year, day, sent, s.calendar())
        if cards or apart:
            found.plans.append((plan, cards, apart))
    return found


@answer
class Letters:
    letters: list  # (file name, letter.Letter)
    as_of: dt.date
    notes: list[str] = Fresh(list)


def letters(s: Settings, output: Path, as_of: dt.date | None = None, reply_by: dt.date | None = None,
            each: bool = False, issuer: str = "SỞ NỘI VỤ") -> Letters:
    """A công văn đôn đốc to the units late as of a day: one for all, or one per unit (--each)."""
    from dvcq.output import letter as L

    found_overdue = overdue(s, as_of, 0, show_all=False)
    catalog = s.catalog(only=s.plans or None)
    plans = {}

    def plan_of(a):
        key = (a.deadline.plan, a.deadline.edition)
        if key not in plans:
            plans[key] = catalog.edition(a.deadline.plan, a.deadline.edition)
        return plans[key]
    # the letter chases reports; not key tasks, nor a report due before its plan was issued (the
    # scorecard leaves those out too)
    late = [a for a in found_overdue.shown if a.status == "overdue" and not a.deadline.rule.is_task
            and not (plan_of(a).issued and a.deadline.due < plan_of(a).issued)]
    day = found_overdue.as_of
    cal = s.calendar()
    reply = reply_by or cal.nth_working_day_after(day, 5)
    if reply <= day:
        raise DvcqError(f"--reply-by: {reply:%d/%m/%Y} is not after the letter's date {day:%d/%m/%Y}")
    out = Letters([], day, found_overdue.notes)
    if not late:
        out.notes.append(note("nothing-late", s.lang, day=f"{day:%d/%m/%Y}"))
        return out
    def who(a) -> str:  # a unit; a key task's lead; else the plan's own words for who sends it
        return a.obligation.unit_name or a.deadline.rule.lead or a.deadline.sender or plan_of(a).issuer

    groups: dict = {}
    for a in late:
        groups.setdefault((a.obligation.unit or who(a)) if each else "", []).append(a)
    for key, items in groups.items():
        plan = plan_of(items[0])
        names = sorted({who(a) for a in items})
        if len(names) > MAX_ADDRESSEES:  # Decree 30 practice: many addressees go to a list
            names = ["Các cơ quan, đơn vị có tên trong danh sách dưới đây"]
        issued = f" ngày {plan.issued:%d/%m/%Y}" if plan.issued else ""
        letter = L.Letter(
            issuer_parent=plan.issuer.upper(), issuer=issuer, number=f"Số:      /{_abbrev(issuer)}-XDCQ",
            place=province_of(plan) or plan.issuer, date=day,
            subject="đôn đốc gửi báo cáo công tác dân vận chính quyền", addressees=tuple(names),
            plan_ref=f"Kế hoạch số {plan.document}{issued} của {plan.issuer}",
            items=tuple(L.OverdueItem(who(a), a.deadline.title,
                                      L.period_label_vi(a.deadline.period), a.deadline.effective_due, a.days_late,
                                      int(a.deadline.period[:4]) if a.deadline.projected else 0)
                        for a in items),
            reply_by=reply, plan_short=f"Kế hoạch số {plan.document}{issued}")
        name = output if not each else output.with_name(f"{output.stem}-{_slug(key)}{output.suffix or '.docx'}")
        out.letters.append((name, letter))
    return out


MAX_ADDRESSEES = 8


def _slug(text: str) -> str:
    from dvcq.core.text import slug

    return slug(text)[:60] or "all"


def _abbrev(issuer: str) -> str:
    """'SỞ NỘI VỤ' -> 'SNV', the abbreviation in a document number."""
    from dvcq.core.text import fold

    return "".join(w[0] for w in fold(issuer).upper().split() if w[:1].isalpha())


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
        raise DvcqError(f"{option}: {day.isoformat()} is outside the years dvcq counts "
                        f"({FIRST_DAY.year}-{LAST_DAY.year})")
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


# -- the status board (issue 20) ------------------------------------------------------------------
@answer
class Board:
    as_of: dt.date
    made_at: dt.datetime  # when the page was made, Vietnam time
    overdue: object  # Overdue, every status (--all), within 7 days: the same answer `overdue` gives
    score: object  # Scorecard of the as-of year: the same answer `scorecard` gives
    grids: list  # (Plan, projected, [Deadline columns], [(unit id, name, [(state, days)])])
    explained: dict  # (plan, report, period) -> Explained, for every row the page lists
    unit: str | None = None  # --unit: the board of one unit
    ledger: str = ""  # where the ledger is (a URL without its password)
    plan_files: list = Fresh(list)  # (plan id, document, file, issuer) the page came from
    notes: list[str] = Fresh(list)


BOARD_AHEAD = 30  # "next deadlines": the coming 30 days


def board(s: Settings, as_of: dt.date | None = None, now: dt.datetime | None = None) -> Board:
    """What the status board shows, from the answers `overdue --all` and `scorecard` give for the
    same day (nothing judged again here): the state today, the year per unit, and the explanation
    of every deadline it lists. `s.unit`: one unit's board."""
    from dvcq.core.engine import apply_roll, schedule

    day = as_of or clock.today()
    made = (now or dt.datetime.now(dt.timezone.utc)).astimezone(clock.vn_zone())
    late = overdue(s, day, 7, show_all=True)
    unit = None
    if s.unit:
        catalog = s.catalog(only=s.plans or None)
        unit, _ = _unit_among(s, [p for pid in s.plans for p in catalog.editions(pid)] if s.plans else catalog.plans)
    score = scorecard(s, day.year, day)
    if unit:
        score.plans = [(p, [c for c in cards if c.unit == unit], apart) for p, cards, apart in score.plans]
        score.plans = [x for x in score.plans if x[1]]
    found = Board(day, made, late, score, [], {}, unit)
    found.notes = list(dict.fromkeys(late.notes + score.notes))
    ledger = None if late.no_ledger else s.ledger_path() if not (s.db or "").startswith("postgres") else s.db
    if ledger and "@" in str(ledger):
        import re

        ledger = re.sub(r"//[^@/]*@", "//", str(ledger))  # never a password on a page
    found.ledger = str(ledger or late.no_ledger or "")
    cal = s.calendar()
    catalog = s.catalog(only=s.plans or None)
    found.plan_files = sorted({(p.id, p.document, p.path, p.issuer) for p in catalog.plans
                               if p.id in late.plans or any(p is q for q, _, _ in score.plans)})
    # the year per unit: a cell for every unit and dated report of the year; what is due by the as-of
    # date is the scorecard's verdict, the rest is not yet due, or not owed (merged, ended, not begun)
    for plan, cards, apart in score.plans:
        verdict = {(c.unit, d.report, d.period): sent for c in cards for d, sent in c.items}
        skipped = {(ob.unit, ob.deadline.report, ob.deadline.period) for ob in apart}
        sched = schedule(plan, day.year, cal)
        order = {r.id: i for i, r in enumerate(plan.rules)}  # a report's periods side by side, in the plan's order
        cols = sorted((d for d in sched.deadlines if not d.rule.is_task and (d.effective_due or d.merged_into)),
                      key=lambda d: order.get(d.report, 0))
        rows = []
        for c in cards if plan.units else cards[:1]:
            u = plan.unit(c.unit) if c.unit else None
            cells = []
            for d in cols:
                key = (c.unit, d.report, d.period)
                due = d.effective_due
                if key in verdict:
                    sent = verdict[key]
                    cells.append(("missing", (day - due).days) if sent is None else
                                 ("on-time", 0) if sent <= due else ("late", (sent - due).days))
                elif d.merged_into:
                    cells.append(("merged", 0))
                elif key in skipped or d.after_end or (u is not None and not u.exists_on(due)):
                    cells.append(("not-owed", 0))
                elif due > day:
                    cells.append(("not-yet", 0))
                else:
                    cells.append(("not-owed", 0))
            rows.append((c.unit, c.name, cells))
        found.grids.append((plan, day.year not in plan.years, cols, rows))
    # explanations: one per deadline the page lists (not per unit), in the run's language
    ahead = day + dt.timedelta(days=BOARD_AHEAD)
    deadlines = {id(a.obligation.deadline): a.obligation.deadline for a in late.shown
                 if a.status != "upcoming" or a.obligation.deadline.effective_due <= ahead}
    listed = {(d.plan, d.report, d.period, d.span.year) for d in deadlines.values()}
    by_plan: dict = {}
    for p in catalog.plans:
        by_plan.setdefault(p.id, []).append(p)
    from dvcq.core.model import governing

    scheds: dict = {}
    for plan_id, report, period, year in sorted(listed):
        if (plan_id, year) not in scheds:
            plan = governing(sorted(by_plan.get(plan_id, []), key=lambda p: p.years), year)
            scheds[(plan_id, year)] = None if plan is None else schedule(plan, year, cal, None, s.lang)
        sched = scheds[(plan_id, year)]
        d = next((x for x in sched.deadlines if x.report == report and x.period == period), None) if sched else None
        if d is None:
            continue
        literal = None
        if d.past_written_day:
            literal = apply_roll(d.written - dt.timedelta(days=1), "previous", cal, s.lang)[0]
        sources = {when: cal.source_of(when) for when, _ in d.moved_because}
        found.explained[(plan_id, report, period)] = Explained(sched, d.rule, d, [], literal, sources)
    return found


def site_writer(s: Settings, folder: Path, force: bool = False):
    """What writes the board's files (see SiteWriter): checked now, before any work."""
    return SiteWriter(s, Path(folder), force)


class SiteWriter:
    """Writes the board only inside `folder` (made when there is a board to write). Every file is
    written whole into `folder/.board-next/`, then put in place: index.html, board.css and board.js
    each renamed over the old one (atomic: a web server never serves half a page), the folder of unit
    pages swapped whole (the old one renamed aside, the new one into its place, the old removed).
    Fresh files, not a rename over each of 4,000 old ones: on ext4 that rename waits for the new
    file's data to reach the disk. A folder that holds other things and was not made by `dvcq board`
    is refused (unless --force). Names are the board's own (`units/<plan>--<unit>.html`)."""

    MARKER, NEXT = ".dvcq-board", ".board-next"

    def __init__(self, s: Settings, folder: Path, force: bool = False):
        if folder.exists() and not folder.is_dir():
            raise DvcqError(f"--output: {folder} is a file: give a folder for the board")
        if folder.is_dir() and any(folder.iterdir()) and not (folder / self.MARKER).exists() and not force:
            raise DvcqError(f"--output: {folder} is not empty and was not made by dvcq board; give a new or empty "
                            "folder (or --force)")
        self.folder, self.next = folder, folder / self.NEXT
        self.inputs = {os.path.realpath(p) for p in run_inputs(s)}
        self.subs: set = set()
        self.started = False

    def _fail(self, path, exc) -> DvcqError:
        return DvcqError(f"--output: cannot write {path}: {exc.strerror or exc}")

    def __call__(self, name: str, data: bytes) -> None:
        import re
        import shutil

        if not re.fullmatch(r"[a-z0-9_-][a-z0-9_.-]*(/[a-z0-9_-][a-z0-9_.-]*)?", name):
            raise DvcqError(f"--output: {name!r} is not a name the board writes")
        try:
            if not self.started:
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / self.MARKER).touch()
                if self.next.is_dir() and not self.next.is_symlink():
                    shutil.rmtree(self.next)  # left by a run that was killed
                self.next.mkdir()
                self.started = True
            sub = name.rpartition("/")[0]
            if sub and sub not in self.subs:
                (self.next / sub).mkdir()
                self.subs.add(sub)
            with open(self.next / name, "xb") as fh:
                fh.write(data)
        except OSError as exc:
            raise self._fail(self.folder / name, exc) from None

    def finish(self) -> None:
        import shutil
        import stat

        for entry in sorted(os.listdir(self.next)) if self.started else ():
            new, dst = self.next / entry, self.folder / entry
            try:
                try:
                    mode = os.lstat(dst).st_mode
                except FileNotFoundError:
                    mode = None
                if mode is not None and stat.S_ISLNK(mode):
                    raise DvcqError(f"--output: {dst} is a symbolic link; dvcq does not write through it")
                real = os.path.realpath(dst)
                if any(p == real or p.startswith(real + os.sep) for p in self.inputs):
                    raise DvcqError(f"--output: {dst} is or holds an input of this run; give another folder")
                if not new.is_dir():
                    if mode is not None and not stat.S_ISREG(mode):
                        raise DvcqError(f"--output: {dst} is not a plain file; dvcq does not write over it")
                    os.replace(new, dst)
                    continue
                if mode is not None:
                    if not stat.S_ISDIR(mode):
                        raise DvcqError(f"--output: {dst} is not a folder; dvcq does not write over it")
                    strays = [n for n in os.listdir(dst) if not (n.endswith(".html") and (dst / n).is_file())]
                    if strays:
                        raise DvcqError(f"--output: {dst} holds files the board did not write ({', '.join(sorted(strays)[:3])}); "
                                        "move them elsewhere")
                    old = self.folder / f".board-old-{entry}"
                    if old.is_dir():
                        shutil.rmtree(old)
                    os.rename(dst, old)
                    os.rename(new, dst)
                    shutil.rmtree(old)
                else:
                    os.rename(new, dst)
            except OSError as exc:
                raise self._fail(dst, exc) from None
        if self.started:
            shutil.rmtree(self.next, ignore_errors=True)
