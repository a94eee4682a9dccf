"""What each command shows: its answer as text, bytes or a drawing, with notes for stderr.

The drawing itself lives beside this module: `tables` (people), `records` (JSON/CSV), `workbook`
(.xlsx), `explain`, `calview`, `ics`, `letter`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from dvcq.core.messages import say, words
from dvcq.output import safe
from dvcq.output.dates import fmt_date
from dvcq.output.records import (SCORE_CSV_KEYS, csv_text, overdue_csv, overdue_json, submissions_csv, submissions_json,
                                 to_csv, to_json, with_bom)


def _tables():
    """The table drawing, imported when a table is drawn: a JSON or CSV run does not load it."""
    from dvcq.output import tables

    return tables


# -- what each command shows -----------------------------------------------------------------------
class Rendered:
    """A command's answer: `body` is text, bytes (CSV and ICS keep their CRLF) or a function that
    draws on a Rich console; `notes` go to stderr, each as one `dvcq: ...` line; `stderr` lines as is."""

    def __init__(self, body, notes=(), stderr=()):
        self.body, self.notes, self.stderr = body, tuple(notes), tuple(stderr)


def emit(rendered, output=None, lang: str = "vi", writer=None) -> None:
    """Notes to stderr, then the answer to stdout or to --output (through `writer(path, bytes)`, the
    safe writer, when given: atomic, never onto an input; issue 22)."""
    from dvcq.core.errors import DvcqError

    if not isinstance(rendered, Rendered):
        rendered = Rendered(rendered)
    for line in rendered.notes:
        print(f"dvcq: {line}", file=sys.stderr)
    body = rendered.body
    lazy = body is not None and not isinstance(body, (str, bytes)) and not callable(body)  # chunks of text
    if lazy and output is not None:
        body = "".join(body)
    if output is not None:
        made_folder(output, lang)
    try:
        if output is None:
            if callable(body):
                body(_tables().console())
            elif isinstance(body, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(body)
            elif lazy:  # written as it is drawn (submit --from of a million rows)
                tty = sys.stdout.isatty()
                try:
                    for chunk in body:
                        sys.stdout.write(safe.printable(chunk) if tty else chunk)
                except BrokenPipeError:  # `dvcq submit --from X | head`: the reader has what it wanted;
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the run ends as usual
            else:
                sys.stdout.write(safe.printable(body) if sys.stdout.isatty() else body)
        elif writer is not None:
            writer(output, safe.as_bytes(body))
        elif callable(body):
            from rich.console import Console

            with open(output, "w", encoding="utf-8") as fh:
                body(Console(file=fh, width=120, no_color=True, highlight=False, emoji=False))
        elif isinstance(body, bytes):
            output.write_bytes(body)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(body)
    except OSError as exc:
        if output is None:
            raise
        raise DvcqError(msg="output.cannot_write", path=output, why=exc.strerror or str(exc)) from None
    if output is not None and not callable(body):
        print(f"dvcq: {say(lang, 'output.wrote', path=output)}", file=sys.stderr)
    for line in rendered.stderr:
        print(line, file=sys.stderr)


def made_folder(output, lang: str) -> None:
    """--output into a folder that does not exist yet (`my-plans/x.yaml`): make it, and say so."""
    from dvcq.core.errors import DvcqError

    folder = Path(output).parent
    if folder.exists():
        return
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise DvcqError(msg="output.cannot_make_folder", folder=folder, why=exc.strerror or str(exc)) from None
    print(f"dvcq: {say(lang, 'output.made_folder', path=folder)}", file=sys.stderr)


def format_options(fmt: str, excel: bool, remind: str | None = None):
    """Options that only one format can use are an error with any other, not silently ignored.
    Returns the ics reminders."""
    from dvcq.core.errors import DvcqError

    if excel and fmt != "csv":
        raise DvcqError(msg="error.excel", fmt=fmt)
    if remind is not None and fmt != "ics":
        raise DvcqError(msg="error.remind", fmt=fmt)
    if fmt != "ics":
        return None
    from dvcq.output.ics import parse_remind

    return parse_remind(remind)


def deadlines(found, fmt: str, lang: str, excel: bool, reminders=None, ids: bool = False) -> Rendered:
    sched, rows = found.schedule, found.rows
    if fmt == "json":
        return Rendered(to_json(sched, rows), found.notes)
    if fmt == "csv":
        return Rendered(to_csv(rows, excel=excel), found.notes)
    if fmt == "ics":
        from dvcq.output.ics import to_ics

        return Rendered(to_ics(sched, rows, reminders, lang), found.notes)
    return Rendered(lambda out: _tables().deadlines_table(sched, rows, lang, out, found.unit, getattr(found, "span", None), ids),
                    found.notes)


def plans(found, fmt: str, lang: str, excel: bool) -> Rendered:
    import json

    records = [{"id": p.id, "issuer": p.issuer, "document": p.document, "years": list(p.years),
                "rules": len(p.rules), "units": len(p.units), "file": p.path} for p in found]
    if fmt == "json":
        return Rendered(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    if fmt == "csv":
        for r in records:
            r["years"] = " ".join(map(str, r["years"]))
        return Rendered(with_bom(csv_text(("id", "issuer", "document", "years", "rules", "units", "file"), records), excel))
    return Rendered(lambda out: _tables().plans_table(found, lang, out))


def explained(found, lang: str) -> Rendered:
    from dvcq.output.explain import explain_lines

    lines = explain_lines(found.schedule, found.rule, found.deadline, lang, found.literal_due, found.sources)
    return Rendered("".join(line + "\n" for line in lines), found.notes)


def checked(results, fmt: str, lang: str = "vi") -> Rendered:
    import json

    problems = [p for r in results for p in r.problems]
    if fmt == "json":
        return Rendered(json.dumps([p.record() for p in problems], ensure_ascii=False, indent=2) + "\n")
    if fmt == "github":
        def annotation(p):
            message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return f"::{p.level} file={p.file},line={p.line},col={p.col},title={p.code}::{message}\n"
        return Rendered("".join(annotation(p) for p in problems))
    errors = sum(p.level == "error" for p in problems)
    summary = say(lang, "check.summary", files=len(results), errors=errors, warnings=len(problems) - errors)
    return Rendered("".join(f"{p.text(lang)}\n" for p in problems), stderr=[summary])


def submitted(found, lang: str = "vi") -> Rendered:
    """submit's reply, in the run's language; the plan, report, period and unit as the user typed them."""
    ob = found.obligation
    d = ob.deadline
    who = say(lang, "submit.by", unit=ob.unit) if ob.unit else ""
    what = f"{d.plan} {d.report} {d.period}{who}"
    if found.removed is not None:
        return Rendered(say(lang, "submit.removed", what=what, sent=f"{found.removed.submitted_on:%d/%m/%Y}") + "\n")
    if found.existing is not None:
        return Rendered(say(lang, "submit.already", what=what, sent=f"{found.existing.submitted_on:%d/%m/%Y}") + "\n")
    timing = say(lang, "submit.late", days=found.days_late) if found.days_late > 0 else say(lang, "submit.on_time")
    return Rendered(say(lang, "submit.recorded", what=what, sent=f"{found.sent:%d/%m/%Y}",
                        due=f"{d.effective_due:%d/%m/%Y}", timing=timing) + "\n", found.notes)


def submissions(found, fmt: str, excel: bool, lang: str = "vi") -> Rendered:
    if fmt == "json":
        return Rendered(submissions_json(found.rows), found.notes)
    if fmt == "csv":
        return Rendered(with_bom(submissions_csv(found.rows), excel), found.notes)
    return Rendered(lambda out: _tables().submissions_table(found.rows, lang, out, getattr(found, "names", None)), found.notes)


def overdue(found, fmt: str, lang: str, excel: bool, quiet: bool = False) -> Rendered:
    """With `quiet`, nothing at all on a day with no news (cron mails only when there is output)."""
    if quiet and not found.news:
        return Rendered("", found.notes if fmt != "table" else ())
    if fmt == "json":
        return Rendered(overdue_json(found.as_of, found.shown, found.plans), found.notes)
    if fmt == "csv":
        return Rendered(with_bom(overdue_csv(found.shown), excel), found.notes)
    if getattr(found, "no_ledger", None) and not getattr(found, "everything", False):
        # nothing recorded yet: every report due would be listed as overdue; one line says so instead
        due = sum(a.status in ("overdue", "due-today") for a in found.shown)
        plans = say(lang, "overdue.plans", plans=", ".join(found.plans)) + "\n" if found.plans else ""
        return Rendered(say(lang, "overdue.no_ledger", day=fmt_date(found.as_of, lang), due=due,
                            path=found.no_ledger) + "\n" + plans)
    return Rendered(lambda out: _tables().overdue_table(found.as_of, found.shown, lang, out, found.plans), found.notes)


def settings(lines) -> Rendered:
    return Rendered("".join(f"{line}\n" for line in lines))


def calendar(found, lang: str) -> Rendered:
    from dvcq.output import calview

    def draw(out) -> None:
        # a terminal's own width; piped, the 80 columns of a mail or a printout (or COLUMNS)
        columns = out.width if out.is_terminal else int(os.environ.get("COLUMNS", "80") or 80)
        plan = found.schedule.plan  # the grid's title: whose deadlines, for whom
        title = say(lang, "table.title", plan=plan.id, issuer=plan.issuer, document=plan.document, year=found.schedule.year)
        if found.unit is not None:
            title += f" — {found.unit.name}"
        if found.schedule.projected:
            title += f" — {say(lang, 'table.projected', edition=plan.year)}"
        out.file.write(title + "\n\n")
        lines = calview.grid(found.schedule.year, found.months, found.rows, found.calendar, lang, found.today, columns)
        calview.print_grid(lines, out)
    return Rendered(draw, found.notes)


# -- the desk -------------------------------------------------------------------------------------
def imported(found, lang: str) -> Rendered:
    """Every matched row and every skipped one with its reason, one line each (a register of 10,000
    rows prints in a blink; a mail or a terminal reads it alike), then a count on stderr. The lines
    are drawn as they are written (a generator of chunks): a sheet of a million rows is never one string."""
    outcomes = found.outcomes
    each = getattr(outcomes, "each", None)
    pairs = each if each is not None else (lambda: ((o.row, o) for o in outcomes))
    recorded = {o.row for o in found.recorded}
    if hasattr(outcomes, "kinds"):  # counted by kind (desk.Outcomes), not row by row
        matched = outcomes.count("match")
        other = outcomes.count("skip", dvcq=False)
    else:
        matched = sum(o.status == "match" for o in outcomes)
        other = sum(o.status == "skip" and not o.dvcq for o in outcomes)
    counts = dict(file=found.file, unmatched=found.unmatched, other=other)
    if found.dry_run:
        summary = say(lang, "import.dry_run", rows=len(outcomes), matched=matched, reports=len(found.recorded), **counts)
    else:
        summary = say(lang, "import.done", added=found.added, existing=found.existing, **counts)
    return Rendered(_import_lines(pairs(), recorded, lang), found.notes, stderr=[summary])


def _import_lines(pairs, recorded: set, lang: str, chunk: int = 4096):
    """The report's lines, `chunk` at a time; each distinct outcome's text is made once."""
    from dvcq.core.messages import said as said_in  # a reason the desk gave by id, in the run's language

    said = {k: say(lang, k) for k in ("import.match", "import.duplicate", "import.skipped")}
    tails: dict[int, tuple] = {}  # id(outcome) -> (outcome, as recorded, as a duplicate or skipped)
    lines: list[str] = []
    for row, o in pairs:
        made = tails.get(id(o))
        if made is None or made[0] is not o:
            if o.status == "match":
                d = o.obligation.deadline
                rest = (f"\t{o.obligation.unit_name or '—'}\t{d.title}\t{d.period}\t"
                        f"{fmt_date(o.sent, lang, False)}\t{said_in(o.reason, lang)}\n")
                made = (o, f"\t{said['import.match']}{rest}", f"\t{said['import.duplicate']}{rest}")
            else:
                line = f"\t{said['import.skipped']}\t{o.text}\t{said_in(o.reason, lang)}\n"
                made = (o, line, line)
            tails[id(o)] = made
        lines.append(f"{row}{made[1] if row in recorded else made[2]}")
        if len(lines) >= chunk:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def scorecard(found, fmt: str, lang: str, excel: bool = False) -> Rendered:
    import json

    if fmt == "json":
        return Rendered(json.dumps(found.record(), ensure_ascii=False, indent=2) + "\n", found.notes)
    if fmt == "csv":
        records = [{**c.record(), "on_time_rate": "" if c.on_time_rate is None else c.on_time_rate,
                    "projected": found.year not in plan.years}
                   for plan, cards, _ in found.plans for c in cards]
        return Rendered(with_bom(csv_text(SCORE_CSV_KEYS, records), excel), found.notes)
    if fmt == "xlsx":
        from dvcq.output.workbook import scorecard_xlsx

        return Rendered(scorecard_xlsx(found, lang), found.notes)

    def draw(out) -> None:
        out.print(say(lang, "scorecard.title", year=found.year, as_of=fmt_date(found.as_of, lang)),
                  markup=False, highlight=False)
        for plan, cards, apart in found.plans:
            rows = [(c.name, str(c.owed), str(c.on_time), f"{c.late} ({c.days_late})" if c.late else "0",
                     str(c.missing), _tables()._rate(c.on_time_rate), str(c.tasks or "")) for c in cards]
            head = f"{plan.id} — {plan.issuer}, {plan.document}"
            if found.year not in plan.years:  # no document for this year: dates projected from an earlier one
                head += " " + say(lang, "scorecard.projected", edition=plan.year)
            import textwrap

            lines = textwrap.wrap(head, min(out.width, 120))
            lines += _tables().plain_table(words(lang, "scorecard.short"), rows, min(out.width, 120), rule="─" if out.is_terminal else "-")
            if apart:
                first = min(o.deadline.effective_due for o in apart)
                import textwrap

                lines += textwrap.wrap(say(lang, "scorecard.apart", count=len(apart), issued=plan.issued, first=first),
                                       min(out.width, 120))
            out.file.write("\n".join(lines) + "\n")
    return Rendered(draw, found.notes)


def letters(found, lang: str, writer=None) -> Rendered:
    """Write each letter's .docx; say what was written."""
    from dvcq.core.errors import DvcqError
    from dvcq.output.letter import letter_docx

    written = []
    for path, letter in found.letters:
        made_folder(path, lang)
        try:
            (writer or (lambda p, b: Path(p).write_bytes(b)))(path, letter_docx(letter))
        except OSError as exc:
            raise DvcqError(msg="output.cannot_write", path=path, why=exc.strerror or str(exc)) from None
        units = len({item.unit_name for item in letter.items})
        written.append(f"dvcq: {say(lang, 'letters.wrote', path=path, units=units, reports=len(letter.items))}")
    return Rendered("", found.notes, stderr=written)


def planned(found) -> Rendered:
    """`plan next`: the file; each key task whose lead no longer exists, on stderr."""
    return Rendered(found.yaml, found.notes)


def drafted(found) -> Rendered:
    """The drafted file; the summary as notes and, with --explain, each sentence seen on stderr."""
    return Rendered(found.draft.yaml, found.notes, getattr(found, "explained", ()))


def ledger_report(found, lang: str = "en") -> Rendered:
    """ledger copy / check (and verify): what was copied and compared, each problem, or that all is
    well. `lang` is the run's; a caller that does not pass it keeps the English it had."""
    if found.copy is not None:
        c = found.copy
        return Rendered(say(lang, "ledger.copied", **{k: c[k] for k in ("copied", "already", "src", "dst")}) + "\n"
                        + say(lang, "ledger.compared", **{k: c[k] for k in ("rows_src", "rows_dst", "checksum_src",
                                                                             "checksum_dst")}) + "\n", found.notes)
    if not found.ledger:
        return Rendered("", found.notes)
    if found.problems:
        from dvcq.core.messages import said  # a problem the ledger gave by id, in the run's language

        return Rendered("".join(say(lang, "ledger.problem", ledger=found.ledger, problem=said(p, lang)) + "\n"
                                for p in found.problems), found.notes)
    return Rendered(say(lang, "ledger.ok", ledger=found.ledger) + "\n", found.notes)
