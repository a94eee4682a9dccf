"""Use cases of the Sở Nội vụ's desk: a register imported, the scorecard, the chase-up letters."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from dvcq.core import clock
from dvcq.core.errors import DvcqError
from dvcq.api.settings import Fresh, Settings, answer, note
from dvcq.api.planning import edition, one_plan
from dvcq.api.tracking import _reading, overdue


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
        raise DvcqError(msg="intake.refused", error=exc.said) from None
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
    if found_overdue.no_ledger:  # nothing recorded yet: every report would be chased (issue 23)
        return Letters([], found_overdue.as_of, [note("no-ledger-letter", s.lang, path=found_overdue.no_ledger)])
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
        raise DvcqError(msg="error.reply_by", reply=reply, day=day)
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
