"""Use cases of the ledger: submit (correct, withdraw), history, submissions, overdue, ledger copy/check/grant."""
from __future__ import annotations

import contextlib
import datetime as dt

from dvcq.core import clock
from dvcq.core.errors import DvcqError
from dvcq.api.settings import Fresh, MAX_DAYS_AHEAD, Settings, answer, note, parse_period
from dvcq.api.planning import edition, find_unit, one_plan


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
        raise DvcqError(msg="error.future", sent=sent, today=today)
    d = ob.deadline
    if sent < d.span.start:
        raise DvcqError(msg="error.before_period", sent=sent, period=d.period, start=d.span.start)
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
        who = f" ({ob.unit})" if ob.unit else ""
        raise DvcqError(msg="error.nothing_removed", what=f"{d.plan} {d.report} {d.period}{who}")
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
        raise DvcqError(msg="error.future", sent=sent, today=today)
    if sent < ob.deadline.span.start:
        raise DvcqError(msg="error.before_period", sent=sent, period=ob.deadline.period, start=ob.deadline.span.start)
    return sent


def _why(why: str | None, doing: str) -> str:
    if why is None or not why.strip():
        raise DvcqError(msg=f"error.why.{doing}")
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
            who = f" ({ob.unit})" if ob.unit else ""
            raise DvcqError(msg="error.nothing_corrected_submit", what=f"{d.plan} {d.report} {d.period}{who}")
        sent = _sent_day(ob, on) if on is not None else before.submitted_on
        note_text = before.note if note_text is None else (note_text or None)
        changed = ledger.correct(Submission(d.plan, d.report, d.period, ob.unit, sent, note_text, recorded_by=user,
                                            source="submit --why"), reason)
    if changed is None:
        raise DvcqError(msg="error.nothing_corrected", what=f"{d.plan} {d.report} {d.period}")
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
        who = f" ({ob.unit})" if ob.unit else ""
        raise DvcqError(msg="error.nothing_withdrawn", what=f"{d.plan} {d.report} {d.period}{who}")
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
        raise DvcqError(msg="ledger.grant_sqlite", path=s.ledger_path())
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
            raise DvcqError(msg="error.no_ledger", path=exc.path,
                            source=s.sources['db'].source if 'db' in s.sources else '--db') from None
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
        raise DvcqError(msg="error.unknown_unit_any", unit=unit, known=', '.join(known) or '-')
    return None, note("unit-not-here", s.lang, unit=unit)


def overdue(s: Settings, as_of: dt.date | None = None, within: int = 7, show_all: bool = False) -> Overdue:
    """Every obligation's status as of a day (today in Vietnam by default), worst first, over the
    plans followed (the profile's or --plan; default all) and for one unit if one is set. The
    ledger is read as it stood that day: what was sent later does not count."""
    from dvcq.core.obligations import NEWS, STATUSES, judge, worst_first, years_that_matter

    day = as_of or clock.today()
    if not 0 <= within <= MAX_DAYS_AHEAD:
        raise DvcqError(msg="error.within_long", value=within, most=MAX_DAYS_AHEAD)
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
