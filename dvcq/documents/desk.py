"""The Sở Nội vụ's desk: incoming documents matched to obligations, the year's scorecard, the letter.

Pure: rows, plans and sent dates in; matches, scores and letters out. Reading files and the ledger
is the caller's (api.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dvcq.core.engine import Deadline, schedule
from dvcq.core.model import Period, Plan, governing
from dvcq.core.obligations import Obligation, obligations
from dvcq.core.workdays import WorkCalendar


# A cumulative report and the periodic one due at the same point of the year: a unit that sends
# "báo cáo 9 tháng" to a plan asking for the Q3 report has sent that report (and so on).
CUMULATIVE = {("nine-months", 1): "quarter", ("quarter", 3): "nine-months", ("half", 1): "quarter",
              ("quarter", 2): "half"}

# -- matching rows to obligations -----------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What became of one row of an imported file."""

    row: int
    status: str  # "match" | "skip"
    reason: str = ""  # how it matched, or why it was skipped
    dvcq: bool = True  # a DVCQ report row (a skip of one makes the import exit 1)
    obligation: Obligation | None = None
    sent: dt.date | None = None
    text: str = ""  # the row as the user will recognise it (sender · subject)
    note: str = ""  # kept with the submission: the document's number and register entry


class Obligations:
    """The obligations of one plan, indexed for matching: (unit, rule id, period label) -> obligation,
    and (frequency, period label) -> the reports of that kind (a merged month leads to its target)."""

    def __init__(self, editions: list[Plan], cal: WorkCalendar):
        self.editions = sorted(editions, key=lambda p: p.years)
        self.cal = cal
        self._years: dict[int, tuple[Plan, list[Deadline]] | None] = {}
        self._found: dict[tuple, tuple] = {}  # find's answers: a register names the same few again and again

    def year(self, year: int):
        if year not in self._years:
            plan = governing(self.editions, year)
            self._years[year] = None if plan is None else (plan, list(schedule(plan, year, self.cal).deadlines))
        return self._years[year]

    def find(self, unit: str, every: str, label: str, rules=None) -> tuple[Obligation | None, str]:
        key = (unit, every, label, rules)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(unit, every, label, rules)
        return found

    def _find(self, unit: str, every: str, label: str, rules=None) -> tuple[Obligation | None, str]:
        """The obligation a report of this frequency and period is, for this unit, or why none is.
        `rules`: the report ids the row names (its report column, the report its trích yếu names);
        None: any. A row that could be the reports of two rules is refused, never given to the first
        (Tây Ninh's annual report, self-assessment and scoring decision are all yearly)."""
        period = Period.parse(label)
        found = self.year(period.year)
        if found is None:
            return None, f"the plan does not cover {period.year}"
        plan, every_row = found
        rows = every_row if rules is None else [d for d in every_row if d.rule.id in rules]
        candidates = [d for d in rows if d.span.every == every and d.period == label]
        how = ""
        if not candidates and (every, period.number) in CUMULATIVE:
            # "báo cáo 9 tháng" where the plan asks for Q3 (and the like): the same point of the year
            alias = Period.of_month(CUMULATIVE[(every, period.number)], period.year, period.last_month)
            candidates = [d for d in rows if d.span == alias]
            how = f"read as {alias.label}: the plan has no {every} report"
        if not candidates:
            named = f" {'/'.join(sorted(rules))}" if rules is not None else ""
            return None, f"the plan has no{named} {every} report for {label}"
        reports = [d for d in candidates if not d.rule.is_task]  # a key task due that month is not a report
        candidates = reports or candidates
        if len({d.rule.id for d in candidates}) > 1:
            return None, ("ambiguous: could be " + ", ".join(sorted({d.rule.id for d in candidates}))
                          + "; name the report (a report column, or its title in the trích yếu)")
        d = candidates[0]
        if d.merged_into is not None:
            target = next((t for t in every_row if t.rule is d.merged_into.rule and t.span == d.merged_into.period), None)
            if target is None:
                return None, f"{label} is merged into {d.merged_into}, which is not found"
            d = target
        if d.effective_due is None:
            return None, f"{d.report} {d.period} has no deadline (sent on request)"
        if d.after_end:
            return None, f"{d.report} {d.period} falls due after the plan ended"
        if plan.units and d.rule.owed_per_unit:
            u = plan.unit(unit)
            if u is None:
                return None, f"{unit} is not a unit of {plan.id}"
            if not u.exists_on(d.effective_due):
                return None, f"{u.name} did not exist on {d.effective_due:%d/%m/%Y}"
            return Obligation(d, u.id, u.name), how
        return Obligation(d, "", ""), how


def match_register(rows, plan_units, index: Obligations, province: str, file: str, rules=None) -> list[Outcome]:
    """Each register row: the sending body to a unit, the trích yếu to a report and period, the date
    received as the date sent. A row that cannot be read raises IntakeError (the whole file is refused)."""
    from dvcq.documents.intake import match_unit, parse_date_cell, read_subject

    out: list[Outcome] = []
    for row in rows:
        cells = row.cells
        received = parse_date_cell(cells.get("received_on", ""), row.number, "received_on", file)
        text = f"{cells.get('sender', '')} · {cells.get('subject', '')}"
        subject = read_subject(cells.get("subject", ""), received.year)
        decided = _decision(cells.get("subject", ""), subject, rules or (), received.year)
        if decided is not None:  # "Quyết định ... xếp loại công tác dân vận chính quyền năm 2025"
            subject = decided
        if not subject.is_dvcq_report:
            out.append(Outcome(row.number, "skip", subject.reason, dvcq=False, text=text))
            continue
        if subject.period is None:
            out.append(Outcome(row.number, "skip", subject.reason, text=text))
            continue
        unit_id, how = match_unit(cells.get("sender", ""), plan_units, province)
        if unit_id is None and plan_units:  # a plan that lists no units: what it asks is not per unit
            out.append(Outcome(row.number, "skip", how, text=text))
            continue
        unit_id, how = (unit_id, how) if plan_units else ("", "the plan lists no units")
        note = f"{cells.get('reference', '')} (số đến {cells.get('number', '')})".strip()
        named = rules_named(cells.get("subject", ""), subject.every, rules or ())
        out.append(_to_obligation(row.number, index, unit_id, subject.every, subject.period, received, how, text, note,
                                  named))
    return out


def _decision(text: str, subject, rules, year: int):
    """A document that is not a report but concerns dân vận (a quyết định, a tờ trình) and is what
    one yearly rule of the plan asks for, by at least two of the words that tell its title apart
    ("xếp loại", "đánh giá"): read as that rule's report of the year it names (else the year received)."""
    import re

    from dvcq.core.text import fold

    if subject.is_dvcq_report or "dân vận" not in subject.reason:
        return None
    said = _words(text)
    hits = [r for r in rules if not r.is_task and r.every == "year" and len(said & _words(r.title)) >= 2]
    if len(hits) != 1:
        return None
    found = re.search(r"\bnam\s+((?:19|20)\d{2})\b", fold(text))
    return type(subject)("year", found[1] if found else str(year), True, f"{hits[0].id} (named in the trích yếu)")


# words every report title shares, that tell no report from another
_COMMON = frozenset("bao cao bc gui ket qua thuc hien cong tac dan van chinh quyen dvcq cua so nam thang quy "
                    "dau cuoi ve viec vv va tinh hinh ho cac don vi tren dia ban tinh huyen".split())


def _words(text: str) -> set[str]:
    import re

    from dvcq.core.text import fold

    return {w for w in re.split(r"[^a-z0-9]+", fold(text)) if len(w) > 1 and not w.isdigit()} - _COMMON


def rules_named(text: str, every: str | None, rules) -> frozenset | None:
    """Which of the plan's reports of this frequency a trích yếu names, by the words that tell their
    titles apart ("tự đánh giá", "xếp loại"): those sharing the most such words with it; with none,
    the one whose title is a plain report ("Báo cáo năm"); None when the plan has one such report, or
    no rule is told (then find() refuses a row that could be two reports)."""
    from dvcq.core.text import fold

    same = [r for r in rules if r.every == every and not r.is_task]
    if len(same) < 2:
        return None
    said = _words(text)
    scores = {r.id: len(said & _words(r.title)) for r in same}
    best = max(scores.values())
    if best:
        return frozenset(i for i, n in scores.items() if n == best)
    plain = [r.id for r in same if fold(r.title).startswith("bao cao")]
    return frozenset(plain) if plain else None


def match_sheet(rows, plan_units, index: Obligations, rules, province: str, file: str) -> list[Outcome]:
    """A submissions sheet: unit, report (id, title or words), period (2024-05, or words), date sent."""
    from dvcq.documents.intake import IntakeError, _q, match_unit, parse_date_cell, read_subject
    from dvcq.core.text import fold

    by_title = {fold(r.title): r for r in rules}
    unit_ids = {u.id for u in plan_units}
    out: list[Outcome] = []
    dates: dict[str, dt.date] = {}
    read: dict[tuple, tuple] = {}  # (unit, report, period, year) -> what the row's cells name: a sheet repeats them
    for row in rows:
        cells = row.cells
        sent_text = cells.get("sent_on", "")
        sent = dates.get(sent_text)
        if sent is None:
            sent = dates[sent_text] = parse_date_cell(sent_text, row.number, "sent_on", file)
        text = " · ".join(cells.get(k, "") for k in ("unit", "report", "period"))
        report, period = cells.get("report", "").strip(), cells.get("period", "").strip()
        if not report or not period:
            raise IntakeError(file, row.number, "report" if not report else "period", "empty cell")
        key = (cells.get("unit", ""), report, period, sent.year)
        if key in read:
            kind, *found = read[key]
            if kind == "skip":
                out.append(Outcome(row.number, "skip", found[0], text=text))
            else:
                unit_id, every, label, how, named = found
                out.append(_to_obligation(row.number, index, unit_id, every, label, sent, how, text,
                                          cells.get("note", ""), named))
            continue
        rule = next((r for r in rules if r.id == report), None) or by_title.get(fold(report))
        if rule is None:  # words, not an id or a title: the report they name, if one (else find() tells)
            hint = [r for r in rules if _words(report) and _words(report) <= _words(r.title) | _words(r.id)]
            rule = hint[0] if len(hint) == 1 else None
        try:
            label = Period.parse(period).label
            every = rule.every if rule else Period.parse(period).every
        except ValueError:
            subject = read_subject(f"báo cáo dân vận chính quyền {period}", sent.year)
            if subject.period is None:
                raise IntakeError(file, row.number, "period", f"{_q(period)} is not a period (2024-05, quý I/2024, ...)") from None
            label, every = subject.period, subject.every
        if rule is not None and rule.every == "nine-months":
            label = f"{label[:4]}-9M"
        unit_text = cells.get("unit", "").strip()
        unit_id, how = (unit_text, "id") if unit_text in unit_ids else match_unit(unit_text, plan_units, province)
        if unit_id is None and plan_units:
            read[key] = ("skip", how)
            out.append(Outcome(row.number, "skip", how, text=text))
            continue
        if not plan_units:
            how = "the plan lists no units"
        found = (unit_id or "", rule.every if rule else every, label, how, frozenset([rule.id]) if rule else None)
        read[key] = ("take", *found)
        out.append(_to_obligation(row.number, index, *found[:3], sent, found[3], text, cells.get("note", ""), found[4]))
    return out


def _to_obligation(number, index, unit_id, every, label, sent, how, text, note="", rules=None) -> Outcome:
    ob, why = index.find(unit_id, every, label, rules)
    if ob is None:
        return Outcome(number, "skip", why, text=text)
    how = f"{how}; {why}" if why else how
    if sent < ob.deadline.span.start:
        return Outcome(number, "skip", f"sent {sent:%d/%m/%Y}, before {ob.deadline.period} began", text=text)
    return Outcome(number, "match", how, obligation=ob, sent=sent, text=text, note=note)


def first_of_each(outcomes: list[Outcome]) -> list[Outcome]:
    """One submission per obligation: the earliest of the rows that match it (a report and its
    corrected copy are one report, sent when the first arrived)."""
    best: dict[tuple, Outcome] = {}
    for o in outcomes:
        if o.status == "match":
            key = o.obligation.key
            if key not in best or o.sent < best[key].sent:
                best[key] = o
    return sorted(best.values(), key=lambda o: o.row)


# -- the scorecard --------------------------------------------------------------------------------
@dataclass
class UnitScore:
    plan: str
    unit: str
    name: str
    owed: int = 0
    on_time: int = 0
    late: int = 0
    days_late: int = 0
    missing: int = 0
    tasks: int = 0  # key tasks it leads, due by the as-of date
    items: list = field(default_factory=list)  # (Deadline, sent or None)

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.owed, 4) if self.owed else None

    def record(self) -> dict:
        return {"plan": self.plan, "unit": self.unit or None, "name": self.name, "owed": self.owed,
                "on_time": self.on_time, "late": self.late, "days_late": self.days_late, "missing": self.missing,
                "on_time_rate": self.on_time_rate}


def score(plan: Plan, year: int, as_of: dt.date, sent: dict, cal: WorkCalendar) -> tuple[list[UnitScore], list[Obligation]]:
    """Per unit of one plan: report obligations due by `as_of`, counted as sent on time, sent late
    (with the days), or missing. Obligations due before the plan was issued are returned apart;
    key tasks are counted in their own column, for the unit that leads them."""
    from dvcq.core.text import fold

    units = {u.id: UnitScore(plan.id, u.id, u.name) for u in plan.units}
    apart: list[Obligation] = []
    for ob in obligations(plan, [year], cal):
        d = ob.deadline
        if d.effective_due > as_of:
            continue
        if d.rule.is_task:
            for u in plan.units:
                if d.rule.lead and fold(u.name) in fold(d.rule.lead):
                    units[u.id].tasks += 1
            continue
        if plan.issued and d.due < plan.issued:
            apart.append(ob)
            continue
        card = units.setdefault(ob.unit, UnitScore(plan.id, ob.unit, ob.unit_name or plan.issuer))
        on = sent.get(ob.key)
        on = dt.date.fromisoformat(on) if isinstance(on, str) else on
        card.owed += 1
        card.items.append((d, on))
        if on is None:
            card.missing += 1
        elif on <= d.effective_due:
            card.on_time += 1
        else:
            card.late += 1
            card.days_late += (on - d.effective_due).days
    cards = [c for c in units.values() if c.owed or c.tasks]
    cards.sort(key=lambda c: (c.on_time_rate if c.on_time_rate is not None else 2, -c.missing, -c.days_late, c.name))
    return cards, apart
