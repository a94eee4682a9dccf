"""`dvcq check`: lint plan files like yamllint/ruff, with located problems and codes.

Schema errors come from the loader; the semantic warnings here catch the slips real plans have.
Each warning can be silenced for one rule with `ignore: [code]` (or for a whole plan at its top).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import yamlpos
from .engine import Period, schedule
from .errors import Problem
from .loader import read_plan
from .model import Plan, Rule
from .workdays import WorkCalendar

# A deadline this few working days after the plan's own date cannot reasonably be met.
MIN_WORKING_DAYS_AFTER_ISSUE = 5

# code -> (level, what it means); the README's table is generated from this.
CODES = {
    # schema errors (from the loader and the YAML layer)
    "yaml-syntax": ("error", "the file is not valid YAML"),
    "yaml-tag": ("error", "a YAML tag such as !!python/object: plan files are plain data"),
    "yaml-key": ("error", "a mapping key that is not plain text"),
    "duplicate-key": ("error", "the same key twice in one mapping (YAML would silently keep the last)"),
    "too-large": ("error", "file over 2 MB, or aliases expanding past 200,000 values"),
    "too-deep": ("error", "nesting deeper than 200 levels"),
    "encoding": ("error", "the file is not UTF-8"),
    "empty-file": ("error", "the file is empty"),
    "not-a-mapping": ("error", "the top level is not a mapping of plan fields"),
    "unknown-key": ("error", "a key the format does not have (with a did-you-mean)"),
    "missing-field": ("error", "a required field is missing"),
    "wrong-type": ("error", "a value of the wrong type"),
    "bad-date": ("error", "a day that does not exist: 31/4, 29/2 in a common year, day 0, month 13"),
    "bad-value": ("error", "a value out of range or in the wrong combination"),
    "unknown-frequency": ("error", "every: is not month, quarter, half, year or once"),
    "duplicate-id": ("error", "two rules of one plan with the same id"),
    "duplicate-plan": ("error", "two files define the same plan id for the same year"),
    "bad-reference": ("error", "merged: or feeds: names a report the plan does not have"),
    "unreadable": ("error", "the file cannot be read"),
    # semantic warnings
    "year-mismatch": ("warning", "a date whose year is not the plan's year (a 2024 plan saying 10/5/2023)"),
    "before-issue": ("warning", "a deadline before the plan's own date"),
    "too-soon": ("warning", f"a deadline fewer than {MIN_WORKING_DAYS_AFTER_ISSUE} working days after the plan's date"),
    "chain-order": ("warning", "a unit-level report not due before the report it feeds"),
    "window-too-late": ("warning", "data window closing less than one working day before the deadline "
                                   "(Decree 09/2019/NĐ-CP art. 8(5)(b))"),
    "merge-candidate": ("warning", "a report due on or after a longer report covering the same end of period "
                                   "(a Q2 report due after the 6-month report)"),
    "no-source": ("warning", "a rule without the quoted sentence it comes from"),
}


@dataclass
class CheckedFile:
    path: Path
    plan: Plan | None
    problems: list[Problem]


def _rule_paths(doc: yamlpos.Located) -> dict[str, tuple]:
    """rule id -> its path in the document, to point warnings at the right node."""
    out = {}
    top = doc.value if isinstance(doc.value, dict) else {}
    for section in ("reports", "tasks"):
        for i, item in enumerate(top.get(section) or []):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.setdefault(item["id"], (section, i))
    return out


def _due_path(doc: yamlpos.Located, base: tuple) -> tuple:
    node = doc.value
    for part in base:
        node = node[part]
    due = node.get("due") if isinstance(node, dict) else None
    if isinstance(due, dict):
        kind = "before" if "before" in due else "by"
        ref = due.get(kind)
        if isinstance(ref, dict):
            for key in ("date", "day", "month"):
                if key in ref:
                    return base + ("due", kind, key)
        return base + ("due", kind)
    return base + ("complete",) if isinstance(node, dict) and "complete" in node else base


def _working_days_between(cal: WorkCalendar, after: dt.date, before: dt.date) -> int:
    """Working days d with after < d < before."""
    count, day = 0, after + dt.timedelta(days=1)
    while day < before:
        count += cal.is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def semantic_problems(plan: Plan, doc: yamlpos.Located, cal: WorkCalendar) -> list[Problem]:
    paths = _rule_paths(doc)
    found: list[Problem] = []

    def warn(rule: Rule, code: str, message: str, path: tuple | None = None) -> None:
        if code in rule.ignore or code in plan.ignore:
            return
        base = paths.get(rule.id, ())
        line, col = doc.where(path if path is not None else _due_path(doc, base))
        found.append(Problem(plan.path, line, col, "warning", code, message))

    rows_by_year = {year: schedule(plan, year, cal).deadlines for year in plan.years}
    rows = [d for year in plan.years for d in rows_by_year[year]]
    by_key = {(d.report, d.period): d for d in rows}

    for rule in plan.rules:
        mine = [d for d in rows if d.report == rule.id and d.due is not None]
        if not rule.source.quote:
            warn(rule, "no-source", f"{rule.id}: no source quote; copy the sentence this rule comes from",
                 paths.get(rule.id, ()))
        # a literal year in a due date, or a task period, that is not the plan's
        dates = []
        if rule.due is not None and rule.due.ref.date is not None:
            dates.append(rule.due.ref.date.year)
        dates += [Period.parse(p).year for p in rule.task_periods]
        for year in dates:
            if year not in plan.years:
                warn(rule, "year-mismatch", f"{rule.id}: the year {year} is not the plan's year "
                     f"({', '.join(map(str, plan.years))}); a slip in the text? encode the intended date "
                     "and record the text in source.erratum")
                break
        if plan.issued and mine:
            early = [d for d in mine if d.due < plan.issued]
            if early:
                warn(rule, "before-issue", f"{rule.id} {early[0].period}: due {early[0].due:%d/%m/%Y}, before the "
                     f"plan's own date {plan.issued:%d/%m/%Y}")
            # the first day by which a unit has had MIN working days to act on the plan
            earliest_fair = cal.nth_working_day_after(plan.issued, MIN_WORKING_DAYS_AFTER_ISSUE)
            soon = [d for d in mine if plan.issued <= d.due and d.effective_due < earliest_fair]
            if soon:
                d = soon[0]
                warn(rule, "too-soon", f"{rule.id} {d.period}: due {d.due:%d/%m/%Y}, fewer than "
                     f"{MIN_WORKING_DAYS_AFTER_ISSUE} working days after the plan's date {plan.issued:%d/%m/%Y}")
        if rule.feeds:
            for d in mine:
                outer = by_key.get((rule.feeds, d.period))
                if outer and outer.due is not None and d.due >= outer.due:
                    warn(rule, "chain-order", f"{rule.id} {d.period}: due {d.due:%d/%m/%Y}, not before "
                         f"{rule.feeds} which it feeds (due {outer.due:%d/%m/%Y})")
                    break
        for d in mine:
            if d.window_end is not None and _working_days_between(cal, d.window_end, d.effective_due) < 1:
                when = "after" if d.window_end > d.effective_due else "with no working day before"
                base = paths.get(rule.id, ())
                has_window = isinstance(doc.value, dict) and (base + ("window",)) in doc.marks
                basis = "" if d.window_basis == "plan" else " (the plan is silent: Decree 09/2019 art. 12 window)"
                warn(rule, "window-too-late", f"{rule.id} {d.period}: data window ends {d.window_end:%d/%m/%Y}, "
                     f"{when} the deadline {d.effective_due:%d/%m/%Y}{basis}; Decree 09/2019 art. 8(5)(b) "
                     "asks for at least one working day between", base + ("window",) if has_window else None)
                break
    _merge_candidates(plan, rows, warn)
    return found


MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def _merge_candidates(plan: Plan, rows, warn) -> None:
    """A shorter report ending with a longer one and due no earlier: worth merging (lồng ghép).
    One pass: index the recurring rows by (sender, end of period), then look each one up."""
    by_end: dict[tuple, list] = {}
    for d in rows:
        rule = plan.rule(d.report)
        if d.due is not None and rule.recurring and not rule.is_task:
            by_end.setdefault((rule.sender, d.span.end), []).append((MONTHS[d.span.every], d))
    warned: set[str] = set()
    for group in by_end.values():
        for span, d in group:
            if d.report in warned:
                continue
            longer = [o for s, o in group if s > span and d.due >= o.due]
            if longer:
                o = longer[0]
                warned.add(d.report)
                warn(plan.rule(d.report), "merge-candidate",
                     f"{d.report} {d.period}: due {d.due:%d/%m/%Y}, on or after {o.report} {o.period} "
                     f"(due {o.due:%d/%m/%Y}) which covers the same end of period; merge it (lồng ghép) or say why not")


def check_paths(paths: list[Path], cal: WorkCalendar) -> list[CheckedFile]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            # units files (plans/units/) are checked through the plans that name them
            files.extend(sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml") and x.is_file()
                                and "units" not in x.relative_to(p).parts[:-1]))
        else:
            files.append(p)
    results: list[CheckedFile] = []
    seen: dict[tuple[str, int], str] = {}
    for path in files:
        plan, problems, doc = read_plan(path)
        if plan is not None and doc is not None:
            problems = problems + semantic_problems(plan, doc, cal)
            for year in plan.years:
                first = seen.setdefault((plan.id, year), str(path))
                if first != str(path):
                    line, col = doc.where(("id",))
                    problems.append(Problem(str(path), line, col, "error", "duplicate-plan",
                                            f"plan id {plan.id!r} for {year} is already defined in {first}"))
        problems.sort(key=lambda p: (p.line, p.col))
        results.append(CheckedFile(path, plan, problems))
    return results
