"""`dvcq check`: lint plan files like yamllint/ruff, with located problems and codes.

Schema errors come from the loader (their codes are listed in `SCHEMA_CODES`). The semantic rules
here are small named functions, each registered with its code and level by `@rule`; its docstring's
first line is what the README's code table says of it. A rule yields `(rule, message, part)`:
which plan rule is at fault, why, and which part of it to point at (a key the loader located).
Each warning can be silenced for one rule with `ignore: [code]` (or for a whole plan at its top).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from dvcq.core.engine import Deadline, schedule
from dvcq.core.errors import Problem
from dvcq.core.messages import Said
from dvcq.planfiles.files import yaml_files_under
from dvcq.planfiles.loader import read_plan
from dvcq.core.model import FREQUENCY, Plan, Rule
from dvcq.core.workdays import WorkCalendar

# A deadline this few working days after the plan's own date cannot reasonably be met.
MIN_WORKING_DAYS_AFTER_ISSUE = 5

# Codes the YAML layer and the loader report, all errors.
SCHEMA_CODES = {
    "yaml-syntax": "the file is not valid YAML",
    "yaml-tag": "a YAML tag such as !!python/object: plan files are plain data",
    "yaml-key": "a mapping key that is not plain text",
    "duplicate-key": "the same key twice in one mapping (YAML would silently keep the last)",
    "too-large": "file over 2 MB, or aliases expanding past 200,000 values",
    "too-deep": "nesting deeper than 200 levels",
    "encoding": "the file is not UTF-8",
    "empty-file": "the file is empty",
    "not-a-mapping": "the top level is not a mapping of plan fields",
    "unknown-key": "a key the format does not have (with a did-you-mean)",
    "missing-field": "a required field is missing",
    "wrong-type": "a value of the wrong type",
    "bad-date": "a day that does not exist: 31/4, 29/2 in a common year, day 0, month 13",
    "bad-value": "a value out of range or in the wrong combination",
    "unknown-frequency": "every: is not month, quarter, half, year or once",
    "duplicate-id": "two rules of one plan with the same id",
    "duplicate-plan": "two files define the same plan id for the same year",
    "bad-reference": "merged: or feeds: names a report the plan does not have, or a due date counts from a data window the report does not have",
    "unreadable": "the file cannot be read",
    "unparsed-phrase": "a due date or window in words the grammar cannot read (names the word that stopped it)",
}

Finding = tuple[Rule, Said, str]  # the plan rule at fault, the message (by id, any language), the part to point at


@dataclass
class Context:
    """What the semantic rules look at: the plan, its deadlines in its own years, the calendar."""

    plan: Plan
    rows: list[Deadline]
    cal: WorkCalendar

    def of(self, rule: Rule) -> list[Deadline]:
        return [d for d in self.rows if d.rule is rule and d.due is not None]


@dataclass(frozen=True)
class CheckRule:
    code: str
    level: str
    doc: str
    run: Callable[[Context], Iterable[Finding]]


REGISTRY: dict[str, CheckRule] = {}


def rule(code: str, level: str = "warning", doc: str | None = None):
    """Register a check; its documentation is `doc` or its docstring's first paragraph."""
    def register(func):
        text = doc or " ".join((func.__doc__ or "").split("\n\n")[0].split())
        REGISTRY[code] = CheckRule(code, level, text, func)
        return func
    return register


@rule("year-mismatch")
def year_mismatch(ctx: Context) -> Iterator[Finding]:
    """a date whose year is not the plan's year (a 2024 plan saying 10/5/2023)"""
    plan = ctx.plan
    for r in plan.rules:
        years = [r.due.ref.date.year] if r.due is not None and r.due.ref.date is not None else []
        years += [p.year for p in r.task_periods]
        wrong = next((y for y in years if y not in plan.years), None)
        if wrong is not None:
            yield r, Said("check.year-mismatch", rule=r.id, wrong=wrong, years=", ".join(map(str, plan.years))), "due"


@rule("before-issue")
def before_issue(ctx: Context) -> Iterator[Finding]:
    """a deadline before the plan's own date"""
    issued = ctx.plan.issued
    for r in ctx.plan.rules:
        early = [d for d in ctx.of(r) if issued and d.due < issued]
        if early:
            yield r, Said("check.before-issue", rule=r.id, period=early[0].period, due=early[0].due, issued=issued), "due"


@rule("too-soon", doc=f"a deadline fewer than {MIN_WORKING_DAYS_AFTER_ISSUE} working days after the plan's date")
def too_soon(ctx: Context) -> Iterator[Finding]:
    issued = ctx.plan.issued
    if issued is None:
        return
    # the first day by which a unit has had MIN working days to act on the plan
    earliest_fair = ctx.cal.nth_working_day_after(issued, MIN_WORKING_DAYS_AFTER_ISSUE)
    for r in ctx.plan.rules:
        soon = [d for d in ctx.of(r) if issued <= d.due and d.effective_due < earliest_fair]
        if soon:
            yield r, Said("check.too-soon", rule=r.id, period=soon[0].period, due=soon[0].due,
                          days=MIN_WORKING_DAYS_AFTER_ISSUE, issued=issued), "due"


@rule("chain-order")
def chain_order(ctx: Context) -> Iterator[Finding]:
    """a unit-level report not due before the report it feeds"""
    by_key = {(d.report, d.period): d for d in ctx.rows}
    for r in ctx.plan.rules:
        if not r.feeds:
            continue
        for d in ctx.of(r):
            outer = by_key.get((r.feeds, d.period))
            if outer and outer.due is not None and d.due >= outer.due:
                yield r, Said("check.chain-order", rule=r.id, period=d.period, due=d.due, feeds=r.feeds,
                              outer=outer.due), "due"
                break


@rule("window-too-late")
def window_too_late(ctx: Context) -> Iterator[Finding]:
    """data window closing less than one working day before the deadline (Decree 09/2019/NĐ-CP art. 8(5)(b))"""
    for r in ctx.plan.rules:
        for d in ctx.of(r):
            if d.window_end is not None and ctx.cal.working_days_between(d.window_end, d.effective_due) < 1:
                when = "after" if d.window_end > d.effective_due else "close"
                basis = "" if d.window_basis == "plan" else Said("check.window-too-late.decree")
                yield r, Said(f"check.window-too-late.{when}", rule=r.id, period=d.period, end=d.window_end,
                              due=d.effective_due, basis=basis), "window" if "window" in r.at else "due"
                break


@rule("merge-candidate")
def merge_candidate(ctx: Context) -> Iterator[Finding]:
    """a report due on or after a longer report covering the same end of period (a Q2 report due after the 6-month report)"""
    # one pass: index the recurring rows by (sender, end of period), then look each one up
    by_end: dict[tuple, list[Deadline]] = {}
    for d in ctx.rows:
        if d.due is not None and d.rule.recurring and not d.rule.is_task:
            by_end.setdefault((d.sender, d.span.end), []).append(d)
    warned: set[str] = set()
    for group in by_end.values():
        for d in group:
            longer = [o for o in group if FREQUENCY[o.span.every].months > FREQUENCY[d.span.every].months
                      and d.due >= o.due]
            if longer and d.report not in warned:
                o = longer[0]
                warned.add(d.report)
                yield d.rule, Said("check.merge-candidate", report=d.report, period=d.period, due=d.due,
                                   longer=o.report, longer_period=o.period, longer_due=o.due), "due"


@rule("quote-mismatch")
def quote_mismatch(ctx: Context) -> Iterator[Finding]:
    """a structured rule whose quoted sentence says otherwise ("trước ngày 15" against by: {day: 15}, or another date)"""
    from dvcq.core import phrases

    for r in ctx.plan.rules:
        if r.due is None or not r.source.quote or r.source.erratum:
            continue  # an erratum already says the text and the rule differ, and why
        said = [p for p in phrases.due_phrases_in(r.source.quote, r.every)]
        mine = phrases.normalise_due(r.due.spec(), r.every)
        if said and mine not in [found for _, found in said]:
            text, _ = said[0]
            yield r, Said("check.quote-mismatch", rule=r.id, quote=text,
                          rule_says=phrases.render_due(mine, r.every)), "due"


@rule("needs-review")
def needs_review(ctx: Context) -> Iterator[Finding]:
    """a rule carried over by `dvcq plan next` and not yet checked against the new document"""
    for r in ctx.plan.rules:
        if r.review is not None:
            yield r, Said("check.needs-review", rule=r.id), "review"


@rule("years-past-end")
def years_past_end(ctx: Context) -> Iterator[Finding]:
    """a plan whose own years run past the day it ends"""
    plan = ctx.plan
    if plan.end is not None and plan.years[-1] > plan.end.date.year and plan.rules:
        yield plan.rules[0], Said("check.years-past-end", plan=plan.id, end=plan.end.date, last=plan.years[-1]), "plan.years"


@rule("no-source")
def no_source(ctx: Context) -> Iterator[Finding]:
    """a rule without the quoted sentence it comes from"""
    for r in ctx.plan.rules:
        if not r.source.quote:
            yield r, Said("check.no-source", rule=r.id), "rule"


CODES = {**{code: ("error", doc) for code, doc in SCHEMA_CODES.items()},
         **{code: (r.level, r.doc) for code, r in REGISTRY.items()}}


def semantic_problems(plan: Plan, cal: WorkCalendar) -> list[Problem]:
    ctx = Context(plan, [d for year in plan.years for d in schedule(plan, year, cal).deadlines], cal)
    found: list[Problem] = []
    for check in REGISTRY.values():
        for r, message, part in check.run(ctx):
            if check.code in r.ignore or check.code in plan.ignore:
                continue
            at = plan.at.get(part[5:]) if part.startswith("plan.") else r.at.get(part)
            line, col = at or r.at.get("due") or r.at.get("complete") or r.at.get("rule") or (r.line, 1)
            found.append(Problem.of(plan.path, line, col, check.level, check.code, message.msg_id, **message.values))
    return found


@dataclass
class CheckedFile:
    path: Path
    plan: Plan | None
    problems: list[Problem]


def plan_files_under(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            # units files (plans/units/) are checked through the plans that name them
            files.extend(yaml_files_under(p))  # bounded; /proc and symlinked folders not followed (issue 22)
        else:
            files.append(p)
    return files


def check_paths(paths: list[Path], cal: WorkCalendar) -> list[CheckedFile]:
    """Check each file. The same plan id and year twice in one folder is an error (the runtime uses
    the first); in a later folder it is a user's copy that replaces the earlier one, as at runtime."""
    results: list[CheckedFile] = []
    seen: dict[tuple[Path, str, int], str] = {}
    for path in plan_files_under(paths):
        plan, problems, _ = read_plan(path)
        if plan is not None:
            problems = problems + semantic_problems(plan, cal)
            for year in plan.years:
                first = seen.setdefault((path.parent.resolve(), plan.id, year), str(path))
                if first != str(path):
                    line, col = plan.at.get("id", (1, 1))
                    problems.append(Problem.of(str(path), line, col, "error", "duplicate-plan", "check.duplicate-plan",
                                               plan=plan.id, year=year, first=first))
        problems.sort(key=lambda p: (p.line, p.col))
        results.append(CheckedFile(path, plan, problems))
    return results
