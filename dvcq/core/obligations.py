"""Who owes what, and how late: deadlines × units, matched with the ledger. Pure: no I/O."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dvcq.core.engine import Deadline, schedule
from dvcq.core.model import Plan, governing
from dvcq.core.workdays import WorkCalendar

STATUSES = ("overdue", "due-today", "due-soon", "submitted-late", "upcoming", "submitted")
NEWS = ("overdue", "due-today", "due-soon")  # what the nightly mail is about


@dataclass(slots=True)
class Obligation:
    deadline: Deadline
    unit: str  # "" when the plan lists no units: one obligation per deadline
    unit_name: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        d = self.deadline
        return d.plan, d.report, d.period, self.unit


@dataclass(slots=True)
class Assessed:
    obligation: Obligation
    status: str
    days_late: int  # as-of (or submission) minus effective due: negative means days to spare
    submitted_on: dt.date | None

    @property
    def deadline(self) -> Deadline:
        return self.obligation.deadline


def years_that_matter(editions: list[Plan], as_of: dt.date) -> list[tuple[Plan, int]]:
    """The (edition, year) pairs to chase as of a day: last year's reports can still be overdue,
    next year's can be due soon in late December. A year no edition covers is projected from the
    latest edition before it while the plan is in force; years before the first edition are not
    the plan's."""
    years = range(as_of.year - 1, as_of.year + 2)
    return [(plan, year) for year in years if (plan := governing(editions, year)) is not None]


def obligations(plan: Plan, years: list[int], cal: WorkCalendar, due_by: dt.date | None = None) -> list[Obligation]:
    """Each deadline owed (due by `due_by` if given): by every unit that exists on its date (or once,
    where the plan lists no units). Merged months, reports sent on request and deadlines after the
    plan ended are not owed."""
    out: list[Obligation] = []
    for year in years:
        for d in schedule(plan, year, cal).deadlines:
            if d.merged_into or d.effective_due is None or d.after_end:
                continue  # a merged month is owed inside the report it folds into
            if due_by is not None and d.effective_due > due_by:
                continue
            if plan.units and d.rule.owed_per_unit:
                out.extend(Obligation(d, u.id, u.name) for u in plan.units if u.exists_on(d.effective_due))
            else:
                out.append(Obligation(d, "", ""))
    return out


def judge(editions: list[Plan], as_of: dt.date, cal: WorkCalendar, sent: dict[str, str], within: int = 7,
          keep: tuple[str, ...] = STATUSES, unit: str | None = None, due_by: dt.date | None = None) -> list[Assessed]:
    """Every obligation of one plan's editions in the years that matter, with its status as of a
    day, fused for a national run: a deadline's status is worked out once for every unit that has not sent it, and objects are built
    only for what is kept. `sent` maps "report\tperiod\tunit" to the ISO date sent (Ledger.sent_keys)."""
    keep = set(keep)
    submitted_kept = bool(keep & {"submitted", "submitted-late"})
    out: list[Assessed] = []
    for plan, year in years_that_matter(editions, as_of):
        if plan.end is not None and plan.end.date < as_of:
            continue
        present = [u for u in plan.units if not (u.end and u.end < as_of) and (unit is None or u.id == unit)]
        for d in schedule(plan, year, cal).deadlines:
            due = d.effective_due
            if d.merged_into or due is None or d.after_end or (due_by is not None and due > due_by):
                continue
            late = (as_of - due).days
            status = ("overdue" if late > 0 else "due-today" if late == 0 else
                      "due-soon" if -late <= within else "upcoming")
            if status not in keep and not submitted_kept:
                continue
            if plan.units and d.rule.owed_per_unit:
                who = [(u.id, u.name) for u in present if u.exists_on(due)]
            elif unit is None:
                who = [("", "")]
            else:
                continue
            prefix = f"{d.report}\t{d.period}\t"
            for uid, name in who:
                iso_sent = sent.get(prefix + uid)
                if iso_sent is None:
                    if status in keep:
                        out.append(Assessed(Obligation(d, uid, name), status, late, None))
                elif submitted_kept:
                    sent_on = dt.date.fromisoformat(iso_sent)
                    days = (sent_on - due).days
                    got = "submitted-late" if days > 0 else "submitted"
                    if got in keep:
                        out.append(Assessed(Obligation(d, uid, name), got, days, sent_on))
    return out


def worst_first(a: Assessed):
    rank = STATUSES.index(a.status)
    # most days late first among the overdue; nearest deadline first among the rest
    return (rank, -a.days_late if a.status == "overdue" else a.deadline.effective_due,
            a.deadline.plan, a.deadline.report, a.obligation.unit)


def find_obligation(plan: Plan, report: str, period: str, unit: str | None, cal: WorkCalendar) -> Obligation:
    """The obligation a `dvcq submit` names, or a DvcqError listing the valid choices."""
    from dvcq.core.engine import Period
    from dvcq.core.errors import DvcqError
    from dvcq.core.messages import Said

    rule = plan.rule(report)
    if rule is None:
        raise DvcqError(msg="error.unknown_report_valid", report=report, plan=plan.id, known=", ".join(r.id for r in plan.rules))
    try:
        wanted = Period.parse(period)
    except ValueError as exc:
        raise DvcqError(msg="error.period", why=exc.args[0] if exc.args else str(exc)) from None
    # the period's own year: an edition's year, or a later year projected from it
    rows = [d for d in schedule(plan, wanted.year, cal).deadlines if d.report == report]
    match = next((d for d in rows if d.period == wanted.label), None)
    if match is None:
        valid = ", ".join(d.period for d in rows if not d.merged_into) or Said("error.none")
        raise DvcqError(msg="error.no_period_of", report=report, plan=plan.id, period=period, valid=valid)
    label = wanted.label
    if match.effective_due is None and not match.merged_into:
        raise DvcqError(msg="error.on_request", report=report)
    if match.after_end:
        raise DvcqError(msg="error.after_end", report=report, label=label, due=match.effective_due, plan=plan.id,
                        end=plan.end.date)
    if match.merged_into:
        target = match.merged_into
        raise DvcqError(msg="error.merged", report=report, label=label, target=target.rule.id, period=target.period)
    wants_unit = bool(plan.units) and rule.owed_per_unit
    if wants_unit:
        ids = [u.id for u in plan.units]
        if not unit:
            raise DvcqError(msg="error.give_unit", plan=plan.id, ids=", ".join(ids))
        found = plan.unit(unit)
        if found is None:
            raise DvcqError(msg="error.unknown_unit", unit=unit, plan=plan.id, known=", ".join(ids))
        if not found.exists_on(match.effective_due):
            became = Said("error.unit_became", name=found.became) if found.became else ""
            raise DvcqError(msg="error.unit_gone", name=found.name, due=match.effective_due, report=report, label=label,
                            life=_life(found), became=became)
        return Obligation(match, found.id, found.name)
    if unit:
        raise DvcqError(msg="error.no_unit_wanted" if not plan.units else "error.one_body", plan=plan.id, report=report)
    return Obligation(match, "", "")


def _life(unit) -> str:
    start = f"{unit.start:%d/%m/%Y}" if unit.start else "…"
    end = f"{unit.end:%d/%m/%Y}" if unit.end else "…"
    return f"{start} – {end}"
