"""Use cases of plans: deadlines, explain, the calendar, plans, check, plan next, draft."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from dvcq.core import clock
from dvcq.core.errors import DvcqError
from dvcq.core.messages import Said
from dvcq.api.settings import Fresh, Settings, answer, date_range, note, parse_period


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
        raise DvcqError(msg="error.plan_ended", plan=plan.id, end=plan.end.date, why=plan.end.why, year=year,
                        successor=_successor(plan.end.successor))
    if year < plan.years[0]:
        raise DvcqError(msg="error.plan_begins", plan=plan.id, first=plan.years[0], year=year)
    return plan


def _successor(successor: str | None):
    return Said("error.successor", successor=successor) if successor else ""


def one_plan(s: Settings, plan_id: str | None) -> str:
    """--plan, or the one plan the profile follows."""
    if plan_id:
        return plan_id
    if len(s.plans) == 1:
        return s.plans[0]
    followed = Said("error.profile_follows", plans=", ".join(s.plans)) if s.plans else ""
    raise DvcqError(msg="error.missing_plan", followed=followed)


def _schedule(s: Settings, plan_id: str | None, year: int | None, roll: str | None, report: str | None) -> Deadlines:
    from dvcq.core.engine import schedule

    plan_id = one_plan(s, plan_id)
    year = year or clock.today().year
    plan = edition(s.catalog(only=plan_id), plan_id, year)
    if report is not None and plan.rule(report) is None:
        raise DvcqError(msg="error.unknown_report", report=report, plan=plan.id, known=", ".join(r.id for r in plan.rules))
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
        raise DvcqError(msg="error.no_units", plan=plan.id)
    want = fold(text)
    hits = [u for u in plan.units if want in fold(u.id) or want in fold(u.name) or any(want in fold(a) for a in u.aliases)]
    exact = [u for u in hits if want == fold(u.name)]
    if len(exact) == 1 or len(hits) == 1:
        return (exact or hits)[0]
    if not hits:
        raise DvcqError(msg="error.unknown_unit", unit=text, plan=plan.id, known=", ".join(u.id for u in plan.units))
    raise DvcqError(msg="error.which_unit", unit=text, hits=", ".join(u.id for u in hits[:6]) + (" ..." if len(hits) > 6 else ""))


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
        valid = ", ".join(d.period for d in found.rows) or Said("error.none_this_year")
        raise DvcqError(msg="error.no_period", report=report, period=period, year=wanted.year, valid=valid)
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
            raise DvcqError(msg="error.no_path", path=p)
    return check_paths(targets, s.calendar())


@answer
class Planned:
    yaml: str  # the next edition's plan file
    notes: list[str] = Fresh(list)  # key tasks whose lead no longer exists


def plan_next(s: Settings, plan_id: str, year: int) -> str:
    """Next year's plan file from the latest edition: same rules, dates moved, marked for review."""
    from dvcq.core import nextplan
    from dvcq.core.nextplan import gone_leads
    from dvcq.planfiles import yamlpos
    from dvcq.planfiles.files import read_capped

    latest = s.catalog(only=plan_id).editions(plan_id)[-1]
    if year <= latest.years[-1]:
        raise DvcqError(msg="error.has_edition", plan=plan_id, year=latest.years[-1])
    if not latest.in_force(year):
        raise DvcqError(msg="error.plan_ended_next", plan=plan_id, end=latest.end.date, why=latest.end.why,
                        successor=_successor(latest.end.successor))
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
    from dvcq.core.nextplan import gone_leads

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
