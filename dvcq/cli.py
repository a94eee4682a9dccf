"""The `dvcq` command line: options, one call to `api`, one render. Nothing else lives here."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from dvcq import api
from dvcq.core.errors import DvcqError, PlanError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Deadlines, data windows and overdue reports of Vietnamese 'dân vận chính quyền' plans.",
)


def _option(name: str, help: str, choices: tuple[str, ...] = ()):
    """An option; with `choices`, a value outside them is a one-line error naming the option."""
    callback = (lambda value: api.choice(value, choices, f"--{name}")) if choices else None
    return typer.Option(f"--{name}", help=help, callback=callback)


# Options shared by commands, declared once. Settings a profile can give default to None, so that
# flag > environment > profile > default holds (api.resolve).
Lang = Annotated[Optional[str], _option("lang", "vi or en (default: DVCQ_LANG, the profile, else vi).", api.LANGS)]
Roll = Annotated[Optional[str], _option("roll", "Last day on a day off: next (Civil Code art. 148), previous, keep.",
                                        ("next", "previous", "keep"))]
PlansDir = Annotated[Optional[List[Path]], _option("plans-dir", "Extra folder of plan YAML files (repeatable); also DVCQ_PLANS.")]
Calendar = Annotated[Optional[List[Path]], _option("calendar", "Extra days-off notices file (repeatable); also DVCQ_CALENDAR.")]
Db = Annotated[Optional[str], _option("db", "Ledger file or postgresql:// URL; default DVCQ_DB, the profile, else the user data folder.")]
Excel = Annotated[bool, _option("excel", "CSV with a UTF-8 BOM, so Excel shows Vietnamese right.")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")]
Force = Annotated[bool, typer.Option("--force", help="--output may replace an existing file (never an input of the run).")]
Table = Annotated[str, _option("format", "table, json or csv.", api.FORMATS)]
PlanId = Annotated[Optional[str], _option("plan", "Plan id, e.g. thai-nguyen (see `dvcq plans`); default: the profile's plan.")]
Report = Annotated[str, _option("report", "Report id (monthly, quarterly, ...).")]
Period = Annotated[str, _option("period", "2024-05, 2024-Q1, 2024-H1, 2024-9M or 2024.")]
Year = Annotated[Optional[str], _option("year", "Year; default: this year in Vietnam.")]
Unit = Annotated[Optional[str], _option("unit", "A unit: id, name or a unique part of it; default: the profile's.")]
Month = Annotated[Optional[str], _option("month", "Only this month (1-12) of --year.")]
_config: list = [None]


@app.callback()
def _root(config: Annotated[Optional[Path], typer.Option("--config", help="Profile file (dvcq.toml); also DVCQ_CONFIG.")] = None) -> None:
    """Deadlines, data windows and overdue reports of Vietnamese 'dân vận chính quyền' plans."""
    _config[0] = config


def _settings(plans_dir=None, calendar=None, db=None, lang=None, unit=None, plans=None) -> api.Settings:
    return api.resolve({"plans_dirs": plans_dir, "calendars": calendar, "db": db, "lang": lang, "unit": unit,
                        "plans": plans}, _config[0])


def _show(rendered, output: Optional[Path] = None, settings: Optional[api.Settings] = None, writer=None) -> None:
    """The answer, then each plan file the run could not use (once), exit 2 if there was one."""
    from dvcq.output import render

    try:
        render.emit(rendered, output, settings.lang if settings else "vi", writer)
        sys.stdout.flush()  # a full disk is found here, not at exit where it would be a stray traceback
    except BrokenPipeError:
        raise
    except OSError as exc:  # emit turns --output's failures into a DvcqError: this is standard output
        raise StdoutFailed(exc.strerror or str(exc)) from None
    for line in settings.replacements() if settings else []:
        print(f"dvcq: {line}", file=sys.stderr)  # a user's plan replacing a shipped one is said, never silent
    errors = settings.file_errors() if settings else []
    for line in errors:
        print(f"dvcq: {line}", file=sys.stderr)  # "file:line:col: error: ... [code]"
    if errors:
        raise typer.Exit(2)


@app.command()
def deadlines(
    plan: PlanId = None, year: Year = None,
    report: Annotated[Optional[str], _option("report", "Only this report id (monthly, quarterly, ...).")] = None,
    sender: Annotated[Optional[str], _option("sender", "Only rules whose sender contains this text.")] = None,
    unit: Unit = None, month: Month = None,
    start: Annotated[Optional[str], _option("from", "Only deadlines on or after this date ('today' too); alone: the next 12 months.")] = None,
    end: Annotated[Optional[str], _option("to", "Only deadlines on or before this date.")] = None,
    next_days: Annotated[Optional[str], _option("next", "What falls due in the next N days (from today, or --from).")] = None,
    ids: Annotated[bool, _option("ids", "Table: show each report's id beside its title.")] = False,
    fmt: Annotated[str, _option("format", "table, json, csv or ics (iCalendar).", ("table", "json", "csv", "ics"))] = "table",
    lang: Lang = None, roll: Roll = None, excel: Excel = False, output: Output = None,
    remind: Annotated[Optional[str], _option("remind", "ics: reminders, days before (default 3,1; 'none').")] = None,
    plans_dir: PlansDir = None, calendar: Calendar = None, force: Force = False,
) -> None:
    """Every deadline of a plan for a year, with its data window and effective date; or what a unit owes."""
    from dvcq.output import render

    reminders = render.format_options(fmt, excel, remind)
    s = _settings(plans_dir, calendar, lang=lang)
    writer = api.output_writer(s, output, force)
    first = api.parse_day(start, "--from") if start else None
    last = api.parse_day(end, "--to") if end else None
    if next_days is not None:
        if last is not None:
            raise DvcqError(msg="error.next_or_to")
        first, last = api.next_days(next_days, first)
    found = api.deadlines(s, plan, api.parse_year(year), report, sender, roll, unit, api.parse_month(month),
                          first, last)
    _show(render.deadlines(found, fmt, s.lang, excel, reminders, ids), output, s, writer)


@app.command()
def config(lang: Lang = None,
           config_file: Annotated[Optional[Path], typer.Option("--config", help="Profile file (dvcq.toml); also DVCQ_CONFIG.")] = None,
           ) -> None:
    """The settings in effect and where each comes from (flag, environment, profile, default)."""
    from dvcq.output import render

    if config_file is not None:  # `dvcq config --config F` reads as `dvcq --config F config`
        _config[0] = config_file
    _show(render.settings(api.config(_settings(lang=lang))))


@app.command("plans")
def list_plans(fmt: Table = "table", lang: Lang = None, excel: Excel = False, plans_dir: PlansDir = None) -> None:
    """The plans dvcq knows: id, issuer, document, years, number of rules."""
    from dvcq.output import render

    render.format_options(fmt, excel)
    s = _settings(plans_dir, lang=lang)
    _show(render.plans(api.plans(s), fmt, s.lang, excel), settings=s)


@app.command()
def explain(plan: PlanId, report: Report, period: Period, lang: Lang = None, roll: Roll = None,
            plans_dir: PlansDir = None, calendar: Calendar = None) -> None:
    """How one deadline was derived: source sentence, rule, date as written, why it moved, window."""
    from dvcq.output import render

    s = _settings(plans_dir, calendar, lang=lang)
    _show(render.explained(api.explain(s, plan, report, period, roll), s.lang), settings=s)


@app.command()
def check(
    paths: Annotated[Optional[List[Path]], typer.Argument(help="Plan files or folders; default: the plans dirs in use.")] = None,
    strict: Annotated[bool, _option("strict", "Warnings fail too.")] = False,
    fmt: Annotated[str, _option("format", "text, json or github (CI annotations).", ("text", "json", "github"))] = "text",
    plans_dir: PlansDir = None, calendar: Calendar = None, lang: Lang = None,
) -> None:
    """Lint plan YAML: one line per problem, file:line:col: level: message and code. Exit 1 on errors (and warnings with --strict)."""
    from dvcq.output import render

    s = _settings(plans_dir, calendar, lang=lang)
    results = api.check(s, list(paths or []))
    _show(render.checked(results, fmt, s.lang))
    raise typer.Exit(1 if any(p.level == "error" or strict for r in results for p in r.problems) else 0)


@app.command()
def submit(
    plan: PlanId = None,
    report: Annotated[Optional[str], _option("report", "Report id (monthly, quarterly, ...).")] = None,
    period: Annotated[Optional[str], _option("period", "2024-05, 2024-Q1, 2024-H1, 2024-9M or 2024.")] = None,
    unit: Unit = None,
    on: Annotated[Optional[str], _option("on", "Date sent (2024-05-13 or 13/05/2024); default today in Vietnam.")] = None,
    note: Annotated[Optional[str], _option("note", "Free text: document number, who sent it ...")] = None,
    undo: Annotated[bool, _option("undo", "Withdraw this submission (a mistaken record); needs --why.")] = False,
    why: Annotated[Optional[str], _option("why", "Why it is corrected (with --on/--note) or withdrawn (with --undo); kept in the history.")] = None,
    source: Annotated[Optional[Path], _option("from", "Import a submissions sheet or an incoming-documents register (.csv, .xlsx).")] = None,
    dry_run: Annotated[bool, _option("dry-run", "--from: show every match and skipped row; change nothing.")] = False,
    db: Db = None, plans_dir: PlansDir = None, calendar: Calendar = None, lang: Lang = None,
) -> None:
    """Record that a report was sent (--why corrects a record, --undo --why withdraws one, both kept in the history; --from imports a whole file)."""
    from dvcq.output import render

    s = _settings(plans_dir, calendar, db, lang, unit, [plan] if plan else None)
    if source is not None:
        found = api.import_file(s, source, plan, dry_run, api.login_name())
        _show(render.imported(found, s.lang), settings=s)
        raise typer.Exit(1 if found.unmatched else 0)
    if not (report and period):
        raise DvcqError(msg="error.report_period")
    if undo or why is not None:
        from dvcq.output import history

        if undo:
            found = api.withdraw(s, plan, report, period, unit, why, api.login_name())
        else:
            sent = api.parse_date(on, "--on") if on else None
            found = api.correct(s, plan, report, period, unit, sent, note, why, api.login_name())
        _show(history.changed(found, s.lang), settings=s)
        return
    sent = api.parse_date(on, "--on") if on else None
    _show(render.submitted(api.submit(s, plan, report, period, unit, sent, note, api.login_name()), s.lang), settings=s)


@app.command()
def submissions(
    plan: Annotated[Optional[str], _option("plan", "Only this plan.")] = None,
    unit: Annotated[Optional[str], _option("unit", "Only this unit.")] = None,
    period: Annotated[Optional[str], _option("period", "Only this period.")] = None,
    as_of: Annotated[Optional[str], _option("as-of", "The ledger as it stood on this date: sent by then, corrections and withdrawals made by then.")] = None,
    fmt: Table = "table", excel: Excel = False, lang: Lang = None, db: Db = None, plans_dir: PlansDir = None,
) -> None:
    """List recorded submissions, with how late each was."""
    from dvcq.output import render

    render.format_options(fmt, excel)
    s = _settings(plans_dir, db=db, lang=lang)
    day = api.parse_date(as_of, "--as-of") if as_of else None
    _show(render.submissions(api.submissions(s, plan, unit, period, day), fmt, excel, s.lang), settings=s)


@app.command()
def overdue(
    plan: Annotated[Optional[List[str]], _option("plan", "Only these plans (repeatable); default: the profile's, else all.")] = None,
    unit: Unit = None,
    as_of: Annotated[Optional[str], _option("as-of", "Judge as of this date; default today in Vietnam.")] = None,
    within: Annotated[str, _option("within", "Days ahead that count as due soon.")] = "7",
    show_all: Annotated[bool, _option("all", "Also list upcoming and submitted obligations.")] = False,
    fmt: Table = "table", excel: Excel = False, lang: Lang = None,
    quiet: Annotated[bool, _option("quiet", "Print nothing when nothing is overdue or due soon (for cron).")] = False,
    db: Db = None, plans_dir: PlansDir = None, calendar: Calendar = None,
) -> None:
    """Who is late: every obligation's status. Exit 0 if nothing is overdue, 1 if something is, 2 on bad input."""
    from dvcq.output import render

    render.format_options(fmt, excel)
    if not within.strip().isdigit():
        raise DvcqError(msg="error.within", value=within)
    s = _settings(plans_dir, calendar, db, lang, unit, plan)
    found = api.overdue(s, api.parse_date(as_of, "--as-of") if as_of else None, int(within), show_all)
    _show(render.overdue(found, fmt, s.lang, excel, quiet), settings=s)
    said_unjudged = found.no_ledger and not show_all and fmt == "table"  # the one line: nobody can be judged late yet
    raise typer.Exit(1 if found.is_overdue and not said_unjudged else 0)


@app.command("calendar")
def calendar_view(plan: PlanId = None, year: Year = None, month: Month = None, unit: Unit = None, lang: Lang = None,
                  plans_dir: PlansDir = None, calendar: Calendar = None) -> None:
    """The year as a grid: deadlines, days off, Saturdays worked and today marked."""
    from dvcq.output import render

    s = _settings(plans_dir, calendar, lang=lang)
    found = api.calendar(s, plan, api.parse_year(year), api.parse_month(month), unit)
    _show(render.calendar(found, s.lang), settings=s)


@app.command()
def scorecard(
    plan: Annotated[Optional[List[str]], _option("plan", "Only these plans (repeatable); default: the profile's, else all.")] = None,
    year: Year = None,
    as_of: Annotated[Optional[str], _option("as-of", "Count what is due by this date; default today in Vietnam or the year's end.")] = None,
    fmt: Annotated[str, _option("format", "table, json, csv or xlsx (a workbook: give --output).", ("table", "json", "csv", "xlsx"))] = "table",
    excel: Excel = False, output: Output = None, lang: Lang = None, db: Db = None, plans_dir: PlansDir = None,
    force: Force = False,
) -> None:
    """Per unit: reports owed, sent on time, late (total days), missing, on-time rate; worst first."""
    from dvcq.output import render

    render.format_options(fmt, excel)
    if fmt == "xlsx" and output is None:
        raise DvcqError(msg="error.xlsx_output")
    s = _settings(plans_dir, db=db, lang=lang, plans=plan)
    writer = api.output_writer(s, output, force)
    found = api.scorecard(s, api.parse_year(year) or api.today().year,
                          api.parse_date(as_of, "--as-of") if as_of else None)
    _show(render.scorecard(found, fmt, s.lang, excel), output, s, writer)


@app.command()
def letter(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .docx to write (with --each: one per unit, named after it).")],
    as_of: Annotated[Optional[str], _option("as-of", "Late as of this date (the letter's date); default today in Vietnam.")] = None,
    plan: Annotated[Optional[List[str]], _option("plan", "Only these plans (repeatable); default: the profile's, else all.")] = None,
    unit: Unit = None,
    reply_by: Annotated[Optional[str], _option("reply-by", "Send by this date; default 5 working days after the letter's.")] = None,
    each: Annotated[bool, _option("each", "One letter per unit instead of one for all.")] = False,
    lang: Lang = None, db: Db = None, plans_dir: PlansDir = None, calendar: Calendar = None, force: Force = False,
) -> None:
    """A công văn đôn đốc (Decree 30/2020 form) to the units whose reports are overdue."""
    from dvcq.output import render

    s = _settings(plans_dir, calendar, db, lang, unit, plan)
    writer = api.output_writer(s, output, force)
    found = api.letters(s, output, api.parse_date(as_of, "--as-of") if as_of else None,
                        api.parse_date(reply_by, "--reply-by") if reply_by else None, each)
    _show(render.letters(found, s.lang, writer), settings=s)


@app.command()
def draft(
    document: Annotated[Path, typer.Argument(help="The plan document: .txt, .docx, or .pdf with a text layer.")],
    plan_id: Annotated[Optional[str], _option("id", "The plan id to give it (default: from the issuer).")] = None,
    output: Output = None, lang: Lang = None, force: Force = False,
    explain: Annotated[bool, _option("explain", "On stderr: each sentence with a deadline or a report, and what the draft made of it.")] = False,
) -> None:
    """Write a plan file from a plan document; review its TODOs, then `dvcq check` it."""
    from dvcq.output import render

    s = _settings(lang=lang)
    writer = api.output_writer(s, output, force, [document])
    _show(render.drafted(api.draft(s, document, plan_id, explain)), output, s, writer)


plan_app = typer.Typer(help="Write plan files: `dvcq plan next ID --year Y` starts next year's plan from this one.")
app.add_typer(plan_app, name="plan")


@plan_app.command("next")
def plan_next(
    plan: Annotated[str, typer.Argument(help="Plan id, e.g. thai-nguyen.")],
    year: Annotated[str, _option("year", "The new edition's year.")],
    output: Output = None, plans_dir: PlansDir = None, force: Force = False, lang: Lang = None,
) -> None:
    """Next year's plan from this one: same rules, dates moved to the new year, each marked for review."""
    from dvcq.output import render

    s = _settings(plans_dir, lang=lang)
    writer = api.output_writer(s, output, force)
    _show(render.planned(api.plan_next_flagged(s, plan, api.parse_year(year))), output, s, writer)


ledger_app = typer.Typer(help="The ledger itself: copy it between SQLite and PostgreSQL, check it.")
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("copy")
def ledger_copy(
    source: Annotated[str, typer.Option("--from", help="The ledger to copy: a file or a postgresql:// URL.")],
    target: Annotated[str, typer.Option("--to", help="Where to: a file or a postgresql:// URL (empty, or made).")],
    lang: Lang = None,
) -> None:
    """Copy every submission to another ledger, verified by row counts and checksums."""
    from dvcq.output import render

    _show(render.ledger_report(api.ledger_copy(source, target), _settings(lang=lang).lang))


@app.command("history")
def history_cmd(
    plan: Annotated[Optional[str], _option("plan", "Only this plan.")] = None,
    unit: Annotated[Optional[str], _option("unit", "Only this unit.")] = None,
    period: Annotated[Optional[str], _option("period", "Only this period.")] = None,
    fmt: Table = "table", excel: Excel = False, lang: Lang = None, db: Db = None,
) -> None:
    """Every change to the ledger, oldest first: recorded, corrected, withdrawn; when, who, why, from where."""
    from dvcq.output import history, render

    render.format_options(fmt, excel)
    s = _settings(db=db, lang=lang)
    _show(history.history(api.history(s, plan, unit, period), fmt, excel, s.lang), settings=s)


@ledger_app.command("verify")
@ledger_app.command("check")  # the older name: the same check
def ledger_verify(db: Db = None, lang: Lang = None) -> None:
    """The integrity check, and the history: each state derivable from its events, no event missing. Exit 1 on a problem."""
    from dvcq.output import render

    s = _settings(db=db, lang=lang)
    found = api.ledger_check(s)
    _show(render.ledger_report(found, s.lang), settings=s)
    raise typer.Exit(1 if found.problems else 0)


@ledger_app.command("grant")
def ledger_grant(
    name: Annotated[str, typer.Argument(help="A login on the PostgreSQL server.")],
    role: Annotated[str, _option("role", "reader (reads), clerk (also records and corrects) or desk (also withdraws).",
                                 ("reader", "clerk", "desk"))],
    db: Db = None, lang: Lang = None,
) -> None:
    """Give a login a role on the shared ledger (PostgreSQL); the server enforces it."""
    from dvcq.output import history

    s = _settings(db=db, lang=lang)
    _show(history.granted(api.ledger_grant(s, role, name), s.lang))


@app.command()
def schema() -> None:
    """Print the JSON Schema of a plan file (for editors and other tools)."""
    _show(api.schema())


@app.command()
def board(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the site into (index.html, a page per unit, its style and script).")],
    plan: Annotated[Optional[List[str]], _option("plan", "Only these plans (repeatable); default: the profile's, else all.")] = None,
    as_of: Annotated[Optional[str], _option("as-of", "The state as of this date; default today in Vietnam.")] = None,
    unit: Unit = None, lang: Lang = None, db: Db = None, plans_dir: PlansDir = None, calendar: Calendar = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that holds other files.")] = False,
) -> None:
    """The status board: a static site (no network) of who is late, what is due and the year per unit."""
    from dvcq.output import board as site

    s = _settings(plans_dir, calendar, db, lang, unit, plan)
    write = api.site_writer(s, output, force)
    found = api.board(s, api.parse_date(as_of, "--as-of") if as_of else None)
    _show(site.write_site(found, s.lang, write, output), settings=s)


# Exit codes: 0 fine; 1 something overdue (overdue), a problem found (check), an unmatched row
# (submit --from); 2 bad input; INTERNAL_ERROR a bug in dvcq, never confused with the others by cron.
INTERNAL_ERROR = 70  # EX_SOFTWARE of sysexits.h
STDOUT_FAILED = 74  # EX_IOERR: standard output is full (/dev/full, a full disk) or closed (issue 22)


class StdoutFailed(Exception):
    """The answer could not be written to standard output."""


def _stdout_failed(reason: str, lang: str = "vi") -> None:
    print(f"dvcq: {_said(lang, 'error.prefix')}: {_said(lang, 'error.stdout', reason=reason)}", file=sys.stderr)
    import contextlib
    import os

    with contextlib.suppress(OSError):  # what is still buffered must not fail again at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.exit(STDOUT_FAILED)


def _shows_help(words: list[str]) -> bool:
    """A run that shows help: --help anywhere, no command at all, or a group without its command."""
    return not words or "--help" in words or words[-1] in ("plan", "ledger")


def _option_value(words: list[str], name: str) -> Optional[str]:
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def _only_the_command_run(words: list[str]) -> typer.Typer:
    """The application with just the command this run names. Typer reads the signature of every
    command when it builds the group (a third of dvcq's start-up for 20 commands), so a run builds
    only its own; a word that names no command keeps them all, for click's own error."""
    name = next((w for i, w in enumerate(words) if not w.startswith("-")
                 and not (i and words[i - 1] == "--config")), None)
    named = [info for info in app.registered_commands
             if (info.name or info.callback.__name__.replace("_", "-")) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not named and not groups:
        return app
    import copy

    only = copy.copy(app)  # the same settings and root callback (--config); the lists are new
    only.registered_commands, only.registered_groups = named, groups
    return only


def _translated(words: list[str]):
    """The command line with every help text in the run's language, chosen as --lang is (the flag,
    DVCQ_LANG, the profile; a profile that cannot be read leaves the default). Only a run that
    shows help builds it, so no other run reads anything more."""
    import typer.main
    import typer.rich_utils as rich_help

    from dvcq.core.messages.help import frame_text, help_text

    flag = _option_value(words, "--lang")
    config = _option_value(words, "--config")
    try:
        lang = api.resolve({"lang": flag if flag in api.LANGS else None}, Path(config) if config else None).lang
    except DvcqError:
        lang = api.Settings().lang
    command = typer.main.get_command(app)

    def walk(cmd) -> None:
        cmd.options_metavar = frame_text(lang, "[OPTIONS]")  # the usage line's words too (issue 23)
        if getattr(cmd, "subcommand_metavar", None):
            cmd.subcommand_metavar = frame_text(lang, cmd.subcommand_metavar)
        if cmd.help:
            cmd.help = help_text(lang, cmd.help)
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = help_text(lang, param.help)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)
    walk(command)
    for name, text in (("OPTIONS_PANEL_TITLE", "Options"), ("COMMANDS_PANEL_TITLE", "Commands"),
                       ("ARGUMENTS_PANEL_TITLE", "Arguments"), ("DEFAULT_STRING", "[default: {}]"),
                       ("REQUIRED_LONG_STRING", "[required]"), ("ERRORS_PANEL_TITLE", "Error")):
        setattr(rich_help, name, frame_text(lang, text))
    try:  # typer's own click: the "Usage:" prefix, and the --help option's line through its gettext
        from typer._click import core as click_core, formatting as click_formatting

        help_option = click_core.Command.get_help_option

        def get_help_option(self, ctx):
            option = help_option(self, ctx)
            if option is not None:
                option.help = frame_text(lang, "Show this message and exit.")
            return option
        click_core.Command.get_help_option = get_help_option
        usage = click_formatting.HelpFormatter.write_usage

        def write_usage(self, prog, args="", prefix=None):
            return usage(self, prog, args, frame_text(lang, "Usage:") + " " if prefix is None else prefix)
        click_formatting.HelpFormatter.write_usage = write_usage
    except (ImportError, AttributeError):  # another typer: those two lines stay in English
        return command
    return command


def _error_lang(words: list[str]) -> str:
    """The language to say an error in, chosen as --lang is (the flag, DVCQ_LANG, the profile); a
    profile that cannot be read leaves DVCQ_LANG or the default. Asked only when there is an error."""
    import os

    flag = _option_value(words, "--lang")
    if flag in api.LANGS:
        return flag
    config = _option_value(words, "--config")
    try:
        return api.resolve({}, Path(config) if config else None).lang
    except Exception:  # noqa: BLE001 - the error being said matters more than the profile's
        env = os.environ.get("DVCQ_LANG", "")
        return env if env in api.LANGS else api.Settings().lang


def _said(lang: str, msg_id: str, **values) -> str:
    from dvcq.core.messages import say

    return say(lang, msg_id, **values)


def _fail(words: list[str], text) -> None:
    """An error in one line on stderr, in the run's language; `text` says itself given the language."""
    lang = _error_lang(words)
    print(f"dvcq: {_said(lang, 'error.prefix')}: {text(lang)}", file=sys.stderr)


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point: every user mistake becomes one line on stderr and exit 2, never a traceback."""
    words = (sys.argv[1:] if argv is None else list(argv)) or ["--help"]  # `dvcq` alone: its help, exit 0
    if sys.stdout is None:  # started with standard output closed (`dvcq ... >&-`)
        _fail(words, lambda lang: _said(lang, "error.stdout", reason="closed"))
        sys.exit(STDOUT_FAILED)
    try:
        if _shows_help(words):  # the help in the run's language (flag, DVCQ_LANG, profile), from the catalog
            code = _translated(words).main(args=words, prog_name="dvcq", standalone_mode=False)
        else:
            code = _only_the_command_run(words)(args=argv, prog_name="dvcq", standalone_mode=False)
    except StdoutFailed as exc:
        _stdout_failed(str(exc), _error_lang(words))
    except PlanError as exc:  # "file:line:col: error: message [code]", in the run's language
        print(f"dvcq: {exc.says(_error_lang(words))}", file=sys.stderr)
        sys.exit(2)
    except DvcqError as exc:
        _fail(words, exc.says)
        sys.exit(2)
    except BrokenPipeError:  # `dvcq deadlines | head`
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:
        # Typer vendors its own copy of click, so match click's exception interface, not its classes
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            from dvcq.core.messages.usage import usage_error

            _fail(words, lambda lang: usage_error(exc, lang))
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Abort":
            print(f"dvcq: {_said(_error_lang(words), 'error.aborted')}", file=sys.stderr)
            sys.exit(130)
        import os

        if os.environ.get("DVCQ_DEBUG"):
            raise
        where = exc.__traceback__
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        at = f" at {where.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{where.tb_lineno}" if where else ""
        said = _said(_error_lang(words), "error.internal", kind=type(exc).__name__, at=at,
                     text=str(exc).splitlines()[0] if str(exc) else "")
        print(f"dvcq: {said}", file=sys.stderr)
        sys.exit(INTERNAL_ERROR)
    except KeyboardInterrupt:
        print(f"dvcq: {_said(_error_lang(words), 'error.interrupted')}", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
