"""Answers as tables for people: Rich tables on a terminal, plain lines where thousands of rows must
draw in milliseconds. Every word comes from the messages catalog."""
from __future__ import annotations

import datetime as dt
import os
import sys

from dvcq.core.engine import Deadline, Schedule
from dvcq.core.messages import say, words
from dvcq.output.dates import fmt_date
from dvcq.output.safe import escaping_console


def console(stderr: bool = False):
    """A Rich console that is plain when piped or when NO_COLOR is set."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    # a terminal: its width; piped (mail, files, a printout): $COLUMNS, else the 80 columns of a mail
    width = None if tty or os.environ.get("COLUMNS") else 80
    drawn = Console(file=stream, width=width, no_color=bool(os.environ.get("NO_COLOR")) or None,
                    highlight=False, emoji=False)
    return escaping_console(drawn) if tty else drawn  # a register's ESC never reaches the terminal


def _route(d: Deadline) -> str:
    if d.sender and d.recipient:
        return f"{d.sender} → {d.recipient}"
    return d.sender or d.recipient or ""


def deadlines_table(schedule: Schedule, rows: list[Deadline], lang: str, out, unit=None, span=None,
                    ids: bool = False) -> None:
    """Six columns where there is room; under 150 columns (piped output is 120) a compact four,
    so a mail or an 80-column terminal still shows every fact without breaking a date in two."""
    from rich import box
    from rich.table import Table

    def L(key: str) -> str:
        return say(lang, f"table.{key}")

    plan = schedule.plan
    tty = out.is_terminal
    narrow = out.width < 150
    if span:  # a range of dates, maybe across the year's end: the range is the title's
        start, end = span
        title = say(lang, "table.title_range", plan=plan.id, issuer=plan.issuer, document=plan.document,
                    start=fmt_date(start, lang, False) if start else "…", end=fmt_date(end, lang, False) if end else "…")
    else:
        title = L("title").format(plan=plan.id, issuer=plan.issuer, document=plan.document, year=schedule.year)
    table = Table(
        title=title + (f" — {unit.name}" if unit is not None else ""),
        box=box.SIMPLE_HEAD if tty else box.ASCII2, show_lines=narrow, title_justify="left",
    )
    keys = ("report", "period", "window", "due") if narrow else ("report", "period", "window", "due", "effective", "route")
    # the narrowest each date column may get without cutting a date: "→ 15/02/2024 (T5)", "14/01/2024 –"
    floor = {"window": 12, "due": 17} if narrow else {}
    for key in keys:
        dates = key in ("period", "window", "due", "effective")
        header = L("due_both") if narrow and key == "due" else L(key)
        table.add_column(header, overflow="fold", no_wrap=dates and key not in floor,
                         ratio=None if dates else 1, min_width=floor.get(key))
    notes: dict[str, str] = {}  # footnotes the rows call for, in order of first use
    for d in rows:
        report = d.title  # the name an official knows; the id (what --report takes) with --ids, and in JSON/CSV
        if ids:
            report = f"{d.title}\n[dim]{d.report}[/dim]" if tty else f"{d.title} ({d.report})"
        if narrow and _route(d):
            report += f"\n[dim]{_route(d)}[/dim]" if tty else f"\n{_route(d)}"
        period = d.period
        if d.projected:  # every projected row says so, not only the caption
            period += f"\n{say(lang, 'table.projected_row', edition=d.edition)}"
            notes.setdefault("projected", say(lang, "table.foot_projected", edition=d.edition))
        if d.merged_into:
            due = f"{L('merged')} {d.merged_into.rule.title} ({d.merged_into.period})"
            cells = [report, period, "", due] if narrow else [report, period, "", due, "", _route(d)]
            table.add_row(*cells, style="dim" if tty else None)
            continue
        if d.effective_due is None:
            cells = [report, period, "", L("on_request")]
            table.add_row(*(cells if narrow else cells + ["", _route(d)]))
            continue
        window = _window_cell(d, L, narrow, notes)
        effective = fmt_date(d.effective_due, lang) if d.moved else ""
        if d.past_written_day:
            effective += " !"
            notes.setdefault("past", L("foot_past"))
        if tty and effective:
            effective = f"[bold]{effective}[/bold]"
        written = fmt_date(d.due, lang)
        if d.source.erratum:
            written += " †"
            notes[f"erratum {d.report} {d.period}"] = L("foot_erratum").format(
                report=d.report, period=d.period, erratum=d.source.erratum)
        if d.after_end:
            written += f"\n({L('after_end')})"
        if narrow:
            table.add_row(report, period, window, written + (f"\n→ {effective}" if effective else ""))
        else:
            table.add_row(report, period, window, written, effective, _route(d))
    if schedule.projected:
        table.caption = L("projected").format(edition=plan.year)
    out.print(table)
    for text in notes.values():
        out.print(text, markup=False, highlight=False)
    if not rows:
        out.print(L("none"))


def _window_cell(d: Deadline, L, narrow: bool, notes: dict) -> str:
    """The plan's own window as dates; a window the plan does not set is labelled as Decree 09's,
    and one that closes on or after the deadline says so."""
    if not d.window_start:
        return ""
    start, end = fmt_date(d.window_start, "vi", False), fmt_date(d.window_end, "vi", False)
    text = f"{start} –\n{end}" if narrow else f"{start} – {end}"
    if d.window_basis == "decree-09":
        notes.setdefault("decree", L("foot_decree"))
        text = f"{L('decree')}\n{text}" if narrow else f"{L('decree')} {text}"
        if d.window_after_due:
            notes.setdefault("after_due", L("foot_after_due"))
            text += f"\n{L('after_due')}" if narrow else f" {L('after_due')}"
    return text


def plans_table(plans, lang: str, out) -> None:
    from rich import box
    from rich.table import Table

    def L(key: str) -> str:
        return say(lang, f"table.{key}")

    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else box.ASCII2)
    for key in ("id", "issuer", "document", "years", "rules"):
        table.add_column(L(key), overflow="fold")
    for p in plans:
        table.add_row(p.id, p.issuer, p.document, ", ".join(map(str, p.years)), str(len(p.rules)))
    out.print(table)


def submissions_table(rows, lang: str, out, names=None) -> None:
    """One row per submission; reports and units by their names (`names`, from the plans), the ids
    where a plan no longer in use leaves none. Under 110 columns (a mail: 80) the plan goes under
    the report and the note under the unit; names wrap, dates and numbers stay whole."""
    from rich import box
    from rich.table import Table

    names = names or {}
    head = words(lang, "submissions.head")
    narrow = out.width < 110
    columns = (1, 2, 3, 4, 5, 6) if narrow else range(8)  # narrow: the note under the unit
    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else box.ASCII2, show_lines=narrow)
    for i in columns:
        text = i in (0, 1, 3, 7)
        table.add_column(head[i], overflow="fold", no_wrap=not text, ratio=1 if text else None)
    for row in rows:
        s, due, late = row
        lateness = "" if late is None else str(late) if late > 0 else say(lang, "submissions.on_time")
        report = names.get((s.plan, s.report), s.report)
        cells = [s.plan, report, s.period, names.get((s.plan, s.unit), s.unit) if s.unit else "—",
                 fmt_date(s.submitted_on, lang, False), fmt_date(due, lang, False), lateness, s.note or ""]
        if narrow:
            cells[1] = f"{report}\n{s.plan}"
            cells[3] += f"\n{s.note}" if s.note else ""
        table.add_row(*[cells[i] for i in columns])
    out.print(table)


def overdue_table(as_of: dt.date, rows, lang: str, out, plans=()) -> None:
    from rich import box
    from rich.table import Table

    head = words(lang, "overdue.head")
    counts = {s: sum(a.status == s for a in rows) for s in ("overdue", "due-today", "due-soon")}
    out.print(say(lang, "overdue.summary", day=fmt_date(as_of, lang), overdue=counts["overdue"],
                  today=counts["due-today"], soon=counts["due-soon"]))
    if plans:
        out.print(say(lang, "overdue.plans", plans=", ".join(plans)), markup=False)
    if not rows:
        out.print(say(lang, "overdue.nothing"))
        return
    narrow = out.width < 120
    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else box.ASCII2, show_lines=narrow)
    # status, days, period and dates never break; the report (and, when narrow, plan and unit
    # folded under it) takes what width is left
    columns = (0, 1, 3, 4, 6, 7) if narrow else range(8)
    for i in columns:
        table.add_column(head[i], overflow="fold", no_wrap=i != 3 and i != 5, ratio=1 if i in (3, 5) else None)
    style = {"overdue": "bold red", "due-today": "bold yellow", "due-soon": "yellow"}
    projected = False
    for a in rows:
        d = a.deadline
        days = str(a.days_late) if a.status in ("overdue", "submitted-late") else (
            f"{-a.days_late}" if a.status in ("due-soon", "upcoming") else "0")
        unit = a.obligation.unit_name or a.obligation.unit or "—"
        report = d.title  # the name an official knows; the id is in JSON/CSV
        period = d.period
        if d.projected:  # chased, but from an earlier year's rules: say so on the row
            period += f"\n{say(lang, 'table.projected_row', edition=d.edition)}"
            projected = True
        cells = [say(lang, f"status.{a.status}"), days, d.plan, report, period, unit, fmt_date(d.effective_due, lang),
                 fmt_date(a.submitted_on, lang, False)]
        if narrow:
            cells[3] = f"{report}\n{d.plan}" + (f" · {unit}" if a.obligation.unit else "")
            cells = [cells[i] for i in columns]
        table.add_row(*cells, style=style.get(a.status) if out.is_terminal else None)
    out.print(table)
    if projected:
        out.print(say(lang, "overdue.foot_projected"), markup=False, highlight=False)


def _rate(value, lang: str = "vi") -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def plain_table(headers, rows, width: int, rule: str = "-") -> list[str]:
    """A table as plain lines: the first column (names) left-aligned and wrapped to the room left,
    the others right-aligned and never broken, headers wrapped onto as many lines as they need.
    Rich draws a few thousand rows in seconds; this draws them in milliseconds, and reads the same
    in a mail, a terminal and a printout."""
    import textwrap

    numbers = [max([len(r[i]) for r in rows] + [max(len(w) for w in headers[i].split())]) for i in range(1, len(headers))]
    room = max(12, width - 2 - sum(n + 2 for n in numbers))
    name_width = min(room, max([len(r[0]) for r in rows] + [len(headers[0])]))

    def cells(values, wrap_numbers: bool) -> list[str]:
        columns = [textwrap.wrap(values[0], name_width) or [""]]
        for i, value in enumerate(values[1:]):
            columns.append(textwrap.wrap(value, numbers[i]) if wrap_numbers else [value])
        height = max(len(c) for c in columns)
        if wrap_numbers:  # headers sit at the bottom, over their numbers
            columns = [[""] * (height - len(c)) + c for c in columns]
        out = []
        for k in range(height):
            parts = [f"{(columns[0][k] if k < len(columns[0]) else ''):<{name_width}}"]
            parts += [f"{(c[k] if k < len(c) else ''):>{numbers[i]}}" for i, c in enumerate(columns[1:])]
            out.append(("  " + "  ".join(parts)).rstrip())
        return out

    lines = cells(headers, True)
    lines.append(" " + rule * (name_width + sum(n + 2 for n in numbers) + 1))  # as wide as the rows, no wider
    for row in rows:
        lines.extend(cells(row, False))
    return lines
