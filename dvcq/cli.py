"""The `dvcq` command line: a thin layer over catalog, engine, workdays and render."""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import List, Optional

import typer

from . import clock
from .errors import DvcqError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Deadlines, data windows and overdue reports of Vietnamese 'dân vận chính quyền' plans.",
)

Excel = typer.Option(False, "--excel", help="CSV with a UTF-8 BOM, so Excel shows Vietnamese right.")
Output = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")
PlansDir = typer.Option(None, "--plans-dir", help="Extra folder of plan YAML files (repeatable); also DVCQ_PLANS.")
CalendarFile = typer.Option(None, "--calendar", help="Extra days-off notices file (repeatable); also DVCQ_CALENDAR.")
Lang = typer.Option("vi", "--lang", help="vi or en.")


def _choice(value: str, options: tuple[str, ...], option: str) -> str:
    if value not in options:
        raise DvcqError(f"{option}: {value!r} is not one of {', '.join(options)}")
    return value


def _year(text: Optional[str]) -> Optional[int]:
    if text is None:
        return None
    if not text.strip().isdigit() or not 1990 <= int(text) <= 2100:
        raise DvcqError(f"--year: {text!r} is not a year like 2024")
    return int(text)


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so --sender 'so noi vu' finds 'Sở Nội vụ'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def _calendar(extra: Optional[List[Path]]):
    import os

    from .workdays import load_calendar

    files = [Path(p) for p in os.environ.get("DVCQ_CALENDAR", "").split(os.pathsep) if p.strip()]
    files += list(extra or [])
    return load_calendar(tuple(files))


def _catalog(plans_dir: Optional[List[Path]], only: Optional[str] = None):
    from .catalog import Catalog

    return Catalog.load(list(plans_dir or []), only=only)


def _emit(data, output: Optional[Path]) -> None:
    """Text or bytes to stdout or to --output (CSV and ICS keep their CRLF line ends)."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    try:
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
    except OSError as exc:
        raise DvcqError(f"--output: cannot write {output}: {exc.strerror or exc}") from None
    print(f"dvcq: wrote {output}", file=sys.stderr)


def _emit_table(draw, output: Optional[Path]) -> None:
    from . import render

    if output is None:
        draw(render.console())
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            from rich.console import Console

            draw(Console(file=fh, width=120, no_color=True, highlight=False, emoji=False))
    except OSError as exc:
        raise DvcqError(f"--output: cannot write {output}: {exc.strerror or exc}") from None


def _note(message: str) -> None:
    print(f"dvcq: {message}", file=sys.stderr)


def _schedule(plan_id, year, plans_dir, calendar, roll, lang, report=None):
    from .engine import schedule

    catalog = _catalog(plans_dir, only=plan_id)
    year = year or clock.today().year
    plan = catalog.edition(plan_id, year)
    if report is not None and plan.rule(report) is None:
        known = ", ".join(r.id for r in plan.rules)
        raise DvcqError(f"unknown report {report!r} in plan {plan.id}; known: {known}")
    cal = _calendar(calendar)
    sched = schedule(plan, year, cal, roll=roll, lang=lang)
    if sched.projected:
        _note(f"{plan.id} has no plan for {year}; the {plan.year} plan's recurring rules are projected onto "
              f"{year} (rows marked projected), its one-off deadlines left out")
    if not cal.announced(year):
        from .render import LABELS

        _note(LABELS[lang]["unannounced"].format(year=year))
    return sched


@app.command()
def deadlines(
    plan: str = typer.Option(..., "--plan", help="Plan id, e.g. thai-nguyen (see `dvcq plans`)."),
    year: Optional[str] = typer.Option(None, "--year", help="Year; default: this year in Vietnam."),
    report: Optional[str] = typer.Option(None, "--report", help="Only this report id (monthly, quarterly, ...)."),
    sender: Optional[str] = typer.Option(None, "--sender", help="Only rules whose sender contains this text."),
    fmt: str = typer.Option("table", "--format", help="table, json, csv or ics (iCalendar)."),
    lang: str = Lang,
    roll: Optional[str] = typer.Option(None, "--roll", help="Last day on a day off: next (Civil Code art. 148), previous, keep."),
    excel: bool = Excel,
    output: Optional[Path] = Output,
    remind: Optional[str] = typer.Option(None, "--remind", help="ics: reminders, days before (default 3,1; 'none')."),
    plans_dir: Optional[List[Path]] = PlansDir,
    calendar: Optional[List[Path]] = CalendarFile,
) -> None:
    """Every deadline of a plan for a year, with its data window and effective date."""
    from . import render

    _choice(fmt, ("table", "json", "csv", "ics"), "--format")
    _choice(lang, ("vi", "en"), "--lang")
    if roll is not None:
        _choice(roll, ("next", "previous", "keep"), "--roll")
    if fmt == "ics":
        from .ics import parse_remind

        reminders = parse_remind(remind)
    sched = _schedule(plan, _year(year), plans_dir, calendar, roll, lang, report)
    rows = list(sched.deadlines)
    if report is not None:
        rows = [d for d in rows if d.report == report]
    if sender:
        rows = [d for d in rows if d.sender and fold(sender) in fold(d.sender)]
    if fmt == "json":
        _emit(render.to_json(sched, rows), output)
    elif fmt == "csv":
        _emit(render.to_csv(rows, excel=excel), output)
    elif fmt == "ics":
        from .ics import to_ics

        _emit(to_ics(sched, rows, reminders, lang), output)
    else:
        _emit_table(lambda out: render.deadlines_table(sched, rows, lang, out), output)


@app.command("plans")
def list_plans(
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    lang: str = Lang,
    excel: bool = Excel,
    plans_dir: Optional[List[Path]] = PlansDir,
) -> None:
    """The plans dvcq knows: id, issuer, document, years, number of rules."""
    import json

    from . import render

    _choice(fmt, ("table", "json", "csv"), "--format")
    _choice(lang, ("vi", "en"), "--lang")
    plans = _catalog(plans_dir).plans
    records = [{"id": p.id, "issuer": p.issuer, "document": p.document, "years": list(p.years),
                "rules": len(p.rules), "units": len(p.units), "file": p.path} for p in plans]
    if fmt == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        for r in records:
            r["years"] = " ".join(map(str, r["years"]))
        sys.stdout.write(render.with_bom(render._csv(("id", "issuer", "document", "years", "rules", "units", "file"),
                                                     records), excel))
    else:
        render.plans_table(plans, lang, render.console())


@app.command()
def explain(
    plan: str = typer.Option(..., "--plan", help="Plan id."),
    report: str = typer.Option(..., "--report", help="Report id."),
    period: str = typer.Option(..., "--period", help="2024-05, 2024-Q1, 2024-H1 or 2024."),
    lang: str = Lang,
    roll: Optional[str] = typer.Option(None, "--roll", help="next, previous or keep."),
    plans_dir: Optional[List[Path]] = PlansDir,
    calendar: Optional[List[Path]] = CalendarFile,
) -> None:
    """How one deadline was derived: source sentence, rule, date as written, why it moved, window."""
    from .engine import Period
    from .explain import explain_lines

    _choice(lang, ("vi", "en"), "--lang")
    if roll is not None:
        _choice(roll, ("next", "previous", "keep"), "--roll")
    try:
        wanted = Period.parse(period)
    except ValueError as exc:
        raise DvcqError(f"--period: {exc}") from None
    sched = _schedule(plan, wanted.year, plans_dir, calendar, roll, lang, report)
    rule = sched.plan.rule(report)
    rows = [d for d in sched.deadlines if d.report == report]
    match = [d for d in rows if d.period == wanted.label]
    if not match:
        valid = ", ".join(d.period for d in rows) or "none this year"
        raise DvcqError(f"report {report!r} has no period {period!r}; its periods in {wanted.year}: {valid}")
    for line in explain_lines(sched, rule, match[0], lang):
        print(line)


@app.command()
def check(
    paths: Optional[List[Path]] = typer.Argument(None, help="Plan files or folders; default: the plans dirs in use."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too."),
    fmt: str = typer.Option("text", "--format", help="text, json or github (CI annotations)."),
    plans_dir: Optional[List[Path]] = PlansDir,
    calendar: Optional[List[Path]] = CalendarFile,
) -> None:
    """Lint plan YAML: one line per problem, file:line:col: level: message and code. Exit 1 on errors (and warnings with --strict)."""
    import json

    from .catalog import plan_dirs
    from .check import check_paths

    _choice(fmt, ("text", "json", "github"), "--format")
    targets = list(paths or []) or plan_dirs(list(plans_dir or []))
    for p in targets:
        if not p.exists():
            raise DvcqError(f"{p}: no such file or folder")
    results = check_paths(targets, _calendar(calendar))
    problems = [p for r in results for p in r.problems]
    if fmt == "json":
        print(json.dumps([{"file": p.file, "line": p.line, "col": p.col, "level": p.level, "code": p.code,
                           "message": p.message} for p in problems], ensure_ascii=False, indent=2))
    elif fmt == "github":
        for p in problems:
            message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::{p.level} file={p.file},line={p.line},col={p.col},title={p.code}::{message}")
    else:
        for p in problems:
            print(p)
        errors = sum(p.level == "error" for p in problems)
        warnings = len(problems) - errors
        print(f"{len(results)} file(s) checked: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    failing = any(p.level == "error" or strict for p in problems)
    raise typer.Exit(1 if failing else 0)


Db = typer.Option(None, "--db", help="Ledger file; default DVCQ_DB or the user data folder.")


def _ledger(db: Optional[Path], create: bool = True):
    from .ledger import Ledger

    return Ledger.open(db, create=create)


def _date_or_today(text: Optional[str], option: str):
    return clock.parse_cli_date(text, option) if text else clock.today()


@app.command()
def submit(
    plan: str = typer.Option(..., "--plan", help="Plan id."),
    report: str = typer.Option(..., "--report", help="Report id."),
    period: str = typer.Option(..., "--period", help="2024-05, 2024-Q1, 2024-H1 or 2024."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Reporting unit id, where the plan lists units."),
    on: Optional[str] = typer.Option(None, "--on", help="Date sent (2024-05-13 or 13/05/2024); default today in Vietnam."),
    note: Optional[str] = typer.Option(None, "--note", help="Free text: document number, who sent it ..."),
    undo: bool = typer.Option(False, "--undo", help="Remove this submission instead (a mistaken record)."),
    db: Optional[Path] = Db,
    plans_dir: Optional[List[Path]] = PlansDir,
    calendar: Optional[List[Path]] = CalendarFile,
) -> None:
    """Record that a report was sent (or, with --undo, remove a mistaken record)."""
    import getpass

    from .ledger import Submission
    from .obligations import find_obligation

    catalog = _catalog(plans_dir, only=plan)
    year_text = period.strip()[:4]
    chosen = catalog.edition(plan, int(year_text) if year_text.isdigit() else None)
    ob = find_obligation(chosen, report, period, unit, _calendar(calendar))
    sent = _date_or_today(on, "--on")
    if sent > clock.today():
        raise DvcqError(f"--on: {sent:%d/%m/%Y} is in the future (today in Vietnam is {clock.today():%d/%m/%Y})")
    d = ob.deadline
    who = f" by {ob.unit}" if ob.unit else ""
    ledger = _ledger(db, create=not undo)
    try:
        if undo:
            removed = ledger.undo(d.plan, d.report, d.period, ob.unit)
            if removed is None:
                raise DvcqError(f"nothing recorded for {d.plan} {d.report} {d.period}{who}; nothing removed")
            print(f"removed: {d.plan} {d.report} {d.period}{who} (was recorded as sent {removed.submitted_on:%d/%m/%Y})")
            return
        try:
            user = getpass.getuser()
        except Exception:  # no login name in some containers
            user = ""
        existing = ledger.record(Submission(d.plan, d.report, d.period, ob.unit, sent, note, recorded_by=user))
    finally:
        ledger.close()
    if existing is not None:
        print(f"already recorded: {d.plan} {d.report} {d.period}{who} sent {existing.submitted_on:%d/%m/%Y}"
              " (unchanged; use --undo first to correct it)")
        return
    late = (sent - d.effective_due).days
    timing = f"{late} day(s) late" if late > 0 else "on time"
    print(f"recorded: {d.plan} {d.report} {d.period}{who} sent {sent:%d/%m/%Y}, due {d.effective_due:%d/%m/%Y}: {timing}")


@app.command()
def submissions(
    plan: Optional[str] = typer.Option(None, "--plan", help="Only this plan."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only this unit."),
    period: Optional[str] = typer.Option(None, "--period", help="Only this period."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    excel: bool = Excel,
    db: Optional[Path] = Db,
) -> None:
    """List recorded submissions."""
    from . import render

    _choice(fmt, ("table", "json", "csv"), "--format")
    ledger = _ledger(db, create=False)
    try:
        rows = ledger.submissions(plan=plan, unit=unit, period=period)
    finally:
        ledger.close()
    if fmt == "json":
        sys.stdout.write(render.submissions_json(rows))
    elif fmt == "csv":
        sys.stdout.write(render.with_bom(render.submissions_csv(rows), excel))
    else:
        render.submissions_table(rows, render.console())


@app.command()
def overdue(
    plan: Optional[List[str]] = typer.Option(None, "--plan", help="Only these plans (repeatable)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only this unit."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Judge as of this date; default today in Vietnam."),
    within: str = typer.Option("7", "--within", help="Days ahead that count as due soon."),
    show_all: bool = typer.Option(False, "--all", help="Also list upcoming and submitted obligations."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    excel: bool = Excel,
    lang: str = Lang,
    quiet: bool = typer.Option(False, "--quiet", help="Print nothing when nothing is overdue or due soon (for cron)."),
    db: Optional[Path] = Db,
    plans_dir: Optional[List[Path]] = PlansDir,
    calendar: Optional[List[Path]] = CalendarFile,
) -> None:
    """Who is late: every obligation's status. Exit 0 if nothing is overdue, 1 if something is."""
    from . import render
    from .ledger import default_path
    from .obligations import NEWS, STATUSES, assess, obligations, years_that_matter

    _choice(fmt, ("table", "json", "csv"), "--format")
    _choice(lang, ("vi", "en"), "--lang")
    if not within.strip().isdigit():
        raise DvcqError(f"--within: {within!r} is not a number of days")
    day = _date_or_today(as_of, "--as-of")
    catalog = _catalog(plans_dir)
    plans = [p for pid in plan for p in catalog.editions(pid)] if plan else catalog.plans
    if unit and not any(u.id == unit for p in plans for u in p.units):
        known = sorted({u.id for p in plans for u in p.units})
        raise DvcqError(f"unknown unit {unit!r}; valid: {', '.join(known) or '(no plan lists units)'}")
    cal = _calendar(calendar)
    items, periods = [], set()
    for p in plans:
        years = years_that_matter(p, day)
        items.extend(obligations(p, years, cal))
        periods.update(str(y) for y in years)
    if unit:
        items = [o for o in items if o.unit == unit]
    db_path = db or default_path()
    sent: dict = {}
    if items and db_path.exists():
        ledger = _ledger(db_path, create=False)
        try:
            sent = ledger.sent_dates(sorted(periods))
        finally:
            ledger.close()
    shown = assess(items, sent, day, int(within), keep=STATUSES if show_all else NEWS)
    news = [a for a in shown if a.status in NEWS]
    is_overdue = any(a.status == "overdue" for a in news)
    if not (quiet and not news):
        if fmt == "json":
            sys.stdout.write(render.overdue_json(day, shown))
        elif fmt == "csv":
            sys.stdout.write(render.with_bom(render.overdue_csv(shown), excel))
        else:
            render.overdue_table(day, shown, lang, render.console())
    raise typer.Exit(1 if is_overdue else 0)


@app.command("calendar")
def calendar_view(
    plan: str = typer.Option(..., "--plan", help="Plan id."),
    year: Optional[str] = typer.Option(None, "--year", help="Year; default: this year in Vietnam."),
    month: Optional[str] = typer.Option(None, "--month", help="Only this month (1-12)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only the deadlines this unit owes."),
    lang: str = Lang,
    plans_dir: Optional[List[Path]] = PlansDir,
    calendar: Optional[List[Path]] = CalendarFile,
) -> None:
    """The year as a grid: deadlines, days off, Saturdays worked and today marked."""
    from . import calview, render

    _choice(lang, ("vi", "en"), "--lang")
    months = list(range(1, 13))
    if month is not None:
        if not month.strip().isdigit() or not 1 <= int(month) <= 12:
            raise DvcqError(f"--month: {month!r} is not a month (1-12)")
        months = [int(month)]
    sched = _schedule(plan, _year(year), plans_dir, calendar, None, lang)
    rows = [d for d in sched.deadlines if d.effective_due is not None]
    if unit is not None:
        p = sched.plan
        if not any(u.id == unit for u in p.units):
            known = ", ".join(u.id for u in p.units) or "(this plan lists no units)"
            raise DvcqError(f"unknown unit {unit!r} in plan {p.id}; valid: {known}")
        rows = [d for d in rows if p.rule(d.report).per_unit and not p.rule(d.report).is_task]
    import os

    out = render.console()
    # a terminal's own width; piped, the 80 columns of a mail or a printout (or COLUMNS)
    columns = out.width if out.is_terminal else int(os.environ.get("COLUMNS", "80") or 80)
    lines = calview.grid(sched.year, months, rows, _calendar(calendar), lang, clock.today(), columns)
    calview.print_grid(lines, out)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a plan file (for editors and other tools)."""
    from .schema import schema_json

    sys.stdout.write(schema_json())


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point: every user mistake becomes one line on stderr and exit 2, never a traceback."""
    try:
        code = app(args=argv, prog_name="dvcq", standalone_mode=False)
    except DvcqError as exc:
        print(f"dvcq: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:  # `dvcq deadlines | head`
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:
        # Typer vendors its own copy of click, so match click's exception interface, not its classes
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            print(f"dvcq: error: {exc.format_message()}", file=sys.stderr)
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Abort":
            print("dvcq: aborted", file=sys.stderr)
            sys.exit(130)
        raise
    sys.exit(code if isinstance(code, int) else 0)
