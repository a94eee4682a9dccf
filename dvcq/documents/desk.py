"""The Sở Nội vụ's desk: incoming documents matched to obligations, the year's scorecard, the letter.

Pure: rows, plans and sent dates in; matches, scores and letters out. Reading files and the ledger
is the caller's (dvcq.api).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dvcq.core.engine import Deadline, schedule
from dvcq.core.messages import Said
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
            return None, Said("desk.not_covered", year=period.year)
        plan, every_row = found
        rows = every_row if rules is None else [d for d in every_row if d.rule.id in rules]
        candidates = [d for d in rows if d.span.every == every and d.period == label]
        how = ""
        if not candidates and (every, period.number) in CUMULATIVE:
            # "báo cáo 9 tháng" where the plan asks for Q3 (and the like): the same point of the year
            alias = Period.of_month(CUMULATIVE[(every, period.number)], period.year, period.last_month)
            candidates = [d for d in rows if d.span == alias]
            how = Said("desk.read_as", label=alias.label, every=every)
        if not candidates:
            named = f" {'/'.join(sorted(rules))}" if rules is not None else ""
            return None, Said("desk.no_report", named=named, every=every, label=label)
        reports = [d for d in candidates if not d.rule.is_task]  # a key task due that month is not a report
        candidates = reports or candidates
        if len({d.rule.id for d in candidates}) > 1:
            return None, Said("desk.ambiguous", ids=", ".join(sorted({d.rule.id for d in candidates})))
        d = candidates[0]
        if d.merged_into is not None:
            target = next((t for t in every_row if t.rule is d.merged_into.rule and t.span == d.merged_into.period), None)
            if target is None:
                return None, Said("desk.merged_missing", label=label, target=str(d.merged_into))
            d = target
        if d.effective_due is None:
            return None, Said("desk.on_request", report=d.report, period=d.period)
        if d.after_end:
            return None, Said("desk.after_end", report=d.report, period=d.period)
        if plan.units and d.rule.owed_per_unit:
            u = plan.unit(unit)
            if u is None:
                return None, Said("desk.not_a_unit", unit=unit, plan=plan.id)
            if not u.exists_on(d.effective_due):
                return None, Said("desk.not_yet", name=u.name, day=d.effective_due)
            return Obligation(d, u.id, u.name), how
        return Obligation(d, "", ""), how


def match_register(rows, plan_units, index: Obligations, province: str, file: str, rules=None) -> list[Outcome]:
    """Each register row: the sending body to a unit, the trích yếu to a report and period, the date
    received as the date sent. A row that cannot be read raises IntakeError (the whole file is refused)."""
    return [_at(o, n, note) for n, o, note in iter_register(rows, plan_units, index, province, file, rules)]


def _at(o: Outcome, number: int, note: str) -> Outcome:
    return Outcome(number, o.status, o.reason, o.dvcq, o.obligation, o.sent, o.text, note if o.status == "match" else "")


CACHED = 50_000  # distinct rows remembered while matching (a sheet repeats the same few again and again)


def iter_register(rows, plan_units, index: Obligations, province: str, file: str, rules=None):
    """As match_register, lazily: (row number, outcome, note) for each row as it is read; rows that
    read alike (date received, sender, trích yếu) share one outcome (row 0, no note)."""
    seen: dict[tuple, Outcome] = {}
    for row in rows:
        cells = row.cells
        note = f"{cells.get('reference', '')} (số đến {cells.get('number', '')})".strip()
        key = (cells.get("received_on", ""), cells.get("sender", ""), cells.get("subject", ""))
        o = seen.get(key)
        if o is None:
            if len(seen) >= CACHED:
                seen.clear()
            o = seen[key] = _register_row(row, plan_units, index, province, file, rules)
        yield row.number, o, note


def _register_row(row, plan_units, index: Obligations, province: str, file: str, rules=None) -> Outcome:
    from dvcq.documents.intake import match_unit, parse_date_cell, read_subject

    cells = row.cells
    received = parse_date_cell(cells.get("received_on", ""), row.number, "received_on", file)
    text = f"{cells.get('sender', '')} · {cells.get('subject', '')}"
    subject = read_subject(cells.get("subject", ""), received.year)
    decided = _decision(cells.get("subject", ""), subject, rules or (), received.year)
    if decided is not None:  # "Quyết định ... xếp loại công tác dân vận chính quyền năm 2025"
        subject = decided
    if not subject.is_dvcq_report:
        return Outcome(0, "skip", subject.reason, dvcq=False, text=text)
    if subject.period is None:
        return Outcome(0, "skip", subject.reason, text=text)
    unit_id, how = match_unit(cells.get("sender", ""), plan_units, province)
    if unit_id is None and plan_units:  # a plan that lists no units: what it asks is not per unit
        return Outcome(0, "skip", how, text=text)
    unit_id, how = (unit_id, how) if plan_units else ("", Said("intake.how.no_units"))
    named = rules_named(cells.get("subject", ""), subject.every, rules or ())
    return _to_obligation(0, index, unit_id, subject.every, subject.period, received, how, text, "", named)


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
    return type(subject)("year", found[1] if found else str(year), True, Said("intake.subject.named", rule=hits[0].id))


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
    return [_at(o, n, note) for n, o, note in iter_sheet(rows, plan_units, index, rules, province, file)]


def iter_sheet(rows, plan_units, index: Obligations, rules, province: str, file: str):
    """As match_sheet, lazily: (row number, outcome, note) for each row as it is read; rows that
    read alike (unit, report, period, date sent) share one outcome (row 0, no note)."""
    from dvcq.documents.intake import IntakeError, _q, match_unit, parse_date_cell, read_subject
    from dvcq.core.text import fold

    by_title = {fold(r.title): r for r in rules}
    unit_ids = {u.id for u in plan_units}
    dates: dict[str, dt.date] = {}
    read: dict[tuple, tuple] = {}  # (unit, report, period, year) -> what the row's cells name: a sheet repeats them
    seen: dict[tuple, Outcome] = {}  # (unit, report, period, sent) as written -> the outcome
    for row in rows:
        cells = row.cells
        get = cells.get
        sent_text, unit_cell, report_cell, period_cell = get("sent_on", ""), get("unit", ""), get("report", ""), get("period", "")
        o = seen.get((unit_cell, report_cell, period_cell, sent_text))
        if o is not None:
            yield row.number, o, get("note", "")
            continue
        sent = dates.get(sent_text)
        if sent is None:
            sent = dates[sent_text] = parse_date_cell(sent_text, row.number, "sent_on", file)
        text = f"{unit_cell} · {report_cell} · {period_cell}"
        report, period = report_cell.strip(), period_cell.strip()
        if not report or not period:
            raise IntakeError(file, row.number, "report" if not report else "period", Said("intake.empty_cell"))
        if len(seen) >= CACHED:
            seen.clear()
        key = (unit_cell, report, period, sent.year)
        if key in read:
            kind, *found = read[key]
            if kind == "skip":
                o = Outcome(0, "skip", found[0], text=text)
            else:
                unit_id, every, label, how, named = found
                o = _to_obligation(0, index, unit_id, every, label, sent, how, text, "", named)
            seen[(unit_cell, report_cell, period_cell, sent_text)] = o
            yield row.number, o, get("note", "")
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
                raise IntakeError(file, row.number, "period", Said("intake.not_a_period", text=_q(period))) from None
            label, every = subject.period, subject.every
        if rule is not None and rule.every == "nine-months":
            label = f"{label[:4]}-9M"
        unit_text = unit_cell.strip()
        unit_id, how = (unit_text, Said("intake.how.id")) if unit_text in unit_ids else match_unit(unit_text, plan_units, province)
        if unit_id is None and plan_units:
            read[key] = ("skip", how)
            o = seen[(unit_cell, report_cell, period_cell, sent_text)] = Outcome(0, "skip", how, text=text)
            yield row.number, o, get("note", "")
            continue
        if not plan_units:
            how = Said("intake.how.no_units")
        found = (unit_id or "", rule.every if rule else every, label, how, frozenset([rule.id]) if rule else None)
        read[key] = ("take", *found)
        o = _to_obligation(0, index, *found[:3], sent, found[3], text, "", found[4])
        seen[(unit_cell, report_cell, period_cell, sent_text)] = o
        yield row.number, o, get("note", "")


def _to_obligation(number, index, unit_id, every, label, sent, how, text, note="", rules=None) -> Outcome:
    ob, why = index.find(unit_id, every, label, rules)
    if ob is None:
        return Outcome(number, "skip", why, text=text)
    how = Said("intake.how.and", how=how, why=why) if why else how
    if sent < ob.deadline.span.start:
        return Outcome(number, "skip", Said("desk.before_period", sent=sent, period=ob.deadline.period), text=text)
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


class Outcomes:
    """Every row's outcome, kept compact for a sheet of a million rows: each row is its number and
    the index of its outcome among the distinct ones (rows that read alike share one); the earliest
    row of each obligation is kept whole (with its note), as first_of_each picks it. Iterating gives
    an Outcome per row, in the file's order; `each()` gives (row number, shared outcome)."""

    def __init__(self, today: dt.date | None = None):
        from array import array

        self.kinds: list[Outcome] = []  # the distinct outcomes (row 0, no note)
        self._kept: list[Outcome] = []  # what each index was made from: keeps the ids below unique
        self._index: dict[int, int] = {}  # id(outcome as matched) -> index in kinds
        self.rows, self.which = array("q"), array("l")
        self.counts: list[int] = []
        self._best: dict[tuple, tuple] = {}  # obligation key -> (sent, row, note, index)
        self.today = today

    def add(self, number: int, o: Outcome, note: str = "") -> None:
        i = self._index.get(id(o))
        if i is None:
            i = self._index[id(o)] = len(self.kinds)
            self._kept.append(o)
            if o.status == "match" and self.today is not None and o.sent > self.today:
                o = Outcome(0, "skip", Said("desk.after_today", sent=o.sent), text=o.text)
            self.kinds.append(o)
            self.counts.append(0)
        self.rows.append(number)
        self.which.append(i)
        self.counts[i] += 1
        kind = self.kinds[i]
        if kind.status == "match":
            key = kind.obligation.key
            best = self._best.get(key)
            if best is None or kind.sent < best[0]:
                self._best[key] = (kind.sent, number, note, i)

    def extend(self, triples) -> "Outcomes":
        add = self.add
        for number, o, note in triples:
            add(number, o, note)
        return self

    def __len__(self) -> int:
        return len(self.rows)

    def each(self):
        kinds = self.kinds
        for number, i in zip(self.rows, self.which):
            yield number, kinds[i]

    def __iter__(self):
        for number, o in self.each():
            yield _at(o, number, "")

    def count(self, status: str, dvcq: bool | None = None) -> int:
        return sum(n for o, n in zip(self.kinds, self.counts) if o.status == status and (dvcq is None or o.dvcq == dvcq))

    def recorded(self) -> list[Outcome]:
        """One outcome per obligation, the earliest row matching it, in the file's order (first_of_each)."""
        return sorted((_at(self.kinds[i], number, note) for _, number, note, i in self._best.values()),
                      key=lambda o: o.row)


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
