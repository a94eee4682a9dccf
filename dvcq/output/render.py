"""Turning deadlines into what people and machines read: Rich tables, JSON, CSV."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Iterable

from dvcq.core.engine import Deadline, Schedule

JSON_KEYS = ("plan", "report", "title", "every", "period", "due", "effective_due", "past_written_day",
             "window_start", "window_end", "window_basis", "window_after_due", "merged_into", "sender",
             "recipient", "source", "erratum", "projected", "edition", "after_plan_end")

WEEKDAY_SHORT = {"vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
                 "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}

LABELS = {
    "vi": {
        "report": "Báo cáo", "period": "Kỳ", "window": "Số liệu", "due": "Hạn (theo văn bản)",
        "due_both": "Hạn theo văn bản → Hạn thực tế",
        "effective": "Hạn thực tế", "route": "Gửi → Nhận", "merged": "lồng ghép vào",
        "projected": "dự kiến (suy từ kế hoạch năm {edition})", "title": "{plan} — {issuer}, {document}, năm {year}",
        "on_request": "theo yêu cầu (không có hạn)", "after_end": "sau khi kế hoạch hết hiệu lực",
        "decree": "KH không quy định; NĐ 09:", "after_due": "(hết vào/sau hạn nộp)",
        "foot_past": "! hạn \"trước ngày N\" bị dời sang ngày N hoặc sau (BLDS 2015, Điều 148 khoản 5); "
                     "đọc đúng chữ \"trước\" thì phải nộp sớm hơn (xem roll: previous).",
        "foot_decree": "NĐ 09: kế hoạch không quy định khoảng số liệu; đây là khoảng theo Nghị định 09/2019/NĐ-CP, "
                       "Điều 12, không phải của kế hoạch.",
        "foot_after_due": "Khoảng số liệu hết vào hoặc sau hạn nộp: không dùng được cho báo cáo này "
                          "(Nghị định 09/2019/NĐ-CP, Điều 8 khoản 5 điểm b cần ít nhất một ngày làm việc giữa).",
        "foot_erratum": "† {report} {period}: {erratum}",
        "none": "Không có hạn nào khớp điều kiện lọc.", "unannounced":
            "Lịch nghỉ năm {year} chưa được công bố: ngày nghỉ tính theo quy tắc (Tết, Giỗ Tổ theo âm lịch), chưa có ngày nghỉ bù/hoán đổi.",
        "id": "Mã", "issuer": "Cơ quan ban hành", "document": "Văn bản", "years": "Năm", "rules": "Số quy định",
    },
    "en": {
        "report": "Report", "period": "Period", "window": "Data window", "due": "Due (as written)",
        "due_both": "Due as written → Effective due",
        "effective": "Effective due", "route": "Sender → recipient", "merged": "merged into",
        "projected": "projected (from the {edition} plan)", "title": "{plan} — {issuer}, {document}, year {year}",
        "on_request": "on request (no deadline)", "after_end": "after the plan ended",
        "decree": "plan sets none; Decree 09:", "after_due": "(ends on/after the deadline)",
        "foot_past": "! a \"trước ngày N\" (before day N) deadline moved onto day N or later (Civil Code 2015 "
                     "art. 148(5)); a literal reading of \"before\" wants it earlier (see roll: previous).",
        "foot_decree": "Decree 09: the plan sets no data window; this is Decree 09/2019/NĐ-CP art. 12's, not the plan's.",
        "foot_after_due": "A data window ending on or after the deadline cannot be this report's "
                          "(Decree 09/2019/NĐ-CP art. 8(5)(b) wants at least one working day between).",
        "foot_erratum": "† {report} {period}: {erratum}",
        "none": "No deadline matches the filters.", "unannounced":
            "Days off for {year} are not announced yet: computed by rule (lunar Tết, Giỗ Tổ), no swaps known.",
        "id": "Id", "issuer": "Issuer", "document": "Document", "years": "Years", "rules": "Rules",
    },
}


def fmt_date(day: dt.date | None, lang: str = "vi", weekday: bool = True) -> str:
    if day is None:
        return ""
    text = day.strftime("%d/%m/%Y")
    return f"{text} ({WEEKDAY_SHORT[lang][day.weekday()]})" if weekday else text


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def deadline_record(d: Deadline) -> dict:
    """The JSON shape of one deadline: exactly JSON_KEYS."""
    return {
        "plan": d.plan, "report": d.report, "title": d.title, "every": d.rule.every, "period": d.period,
        "due": iso(d.due), "effective_due": iso(d.effective_due), "past_written_day": d.past_written_day,
        "window_start": iso(d.window_start), "window_end": iso(d.window_end), "window_basis": d.window_basis,
        "window_after_due": d.window_after_due,
        "merged_into": str(d.merged_into) if d.merged_into else None, "sender": d.sender, "recipient": d.recipient,
        "source": {"section": d.source.section, "quote": d.source.quote, "erratum": d.source.erratum},
        "erratum": d.source.erratum, "projected": d.projected, "edition": d.edition, "after_plan_end": d.after_end,
    }


def to_json(schedule: Schedule, rows: Iterable[Deadline]) -> str:
    import json

    payload = {"plan": schedule.plan.id, "year": schedule.year,
               "deadlines": [deadline_record(d) for d in rows]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def with_bom(text: str, excel: bool) -> str:
    """Excel reads UTF-8 Vietnamese right only with a BOM; other tools dislike it, so only on request."""
    return ("\ufeff" + text) if excel else text


def to_csv(rows: Iterable[Deadline], excel: bool = False) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JSON_KEYS)
    for d in rows:
        record = deadline_record(d)
        src = d.source
        record["source"] = f"{src.section}: {src.quote}" if src.section else src.quote
        for key, value in record.items():
            if isinstance(value, bool):
                record[key] = "true" if value else "false"  # as in the JSON, not Python's False
        writer.writerow(["" if record[k] is None else record[k] for k in JSON_KEYS])
    return with_bom(buffer.getvalue(), excel)


def console(stderr: bool = False):
    """A Rich console that is plain when piped or when NO_COLOR is set."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    width = None if tty or os.environ.get("COLUMNS") else 120  # piped (mail, files): the wide layout, no wider
    return Console(file=stream, width=width, no_color=bool(os.environ.get("NO_COLOR")) or None,
                   highlight=False, emoji=False)


def _route(d: Deadline) -> str:
    if d.sender and d.recipient:
        return f"{d.sender} → {d.recipient}"
    return d.sender or d.recipient or ""


def deadlines_table(schedule: Schedule, rows: list[Deadline], lang: str, out, unit=None) -> None:
    """Six columns where there is room; under 150 columns (piped output is 120) a compact four,
    so a mail or an 80-column terminal still shows every fact without breaking a date in two."""
    from rich import box
    from rich.table import Table

    L = LABELS[lang]
    plan = schedule.plan
    tty = out.is_terminal
    narrow = out.width < 150
    table = Table(
        title=L["title"].format(plan=plan.id, issuer=plan.issuer, document=plan.document, year=schedule.year)
        + (f" — {unit.name}" if unit is not None else ""),
        box=box.SIMPLE_HEAD if tty else box.ASCII2, show_lines=narrow, title_justify="left",
    )
    keys = ("report", "period", "window", "due") if narrow else ("report", "period", "window", "due", "effective", "route")
    # the narrowest each date column may get without cutting a date: "→ 15/02/2024 (T5)", "14/01/2024 –"
    floor = {"window": 12, "due": 17} if narrow else {}
    for key in keys:
        dates = key in ("period", "window", "due", "effective")
        header = L["due_both"] if narrow and key == "due" else L[key]
        table.add_column(header, overflow="fold", no_wrap=dates and key not in floor,
                         ratio=None if dates else 1, min_width=floor.get(key))
    notes: dict[str, str] = {}  # footnotes the rows call for, in order of first use
    for d in rows:
        report = f"{d.title}\n[dim]{d.report}[/dim]" if tty else f"{d.title} ({d.report})"
        if narrow and _route(d):
            report += f"\n[dim]{_route(d)}[/dim]" if tty else f"\n{_route(d)}"
        if d.merged_into:
            due = f"{L['merged']} {d.merged_into.rule.title} ({d.merged_into.period})"
            cells = [report, d.period, "", due] if narrow else [report, d.period, "", due, "", _route(d)]
            table.add_row(*cells, style="dim" if tty else None)
            continue
        if d.effective_due is None:
            cells = [report, d.period, "", L["on_request"]]
            table.add_row(*(cells if narrow else cells + ["", _route(d)]))
            continue
        window = _window_cell(d, L, narrow, notes)
        effective = fmt_date(d.effective_due, lang) if d.moved else ""
        if d.past_written_day:
            effective += " !"
            notes.setdefault("past", L["foot_past"])
        if tty and effective:
            effective = f"[bold]{effective}[/bold]"
        written = fmt_date(d.due, lang)
        if d.source.erratum:
            written += " †"
            notes[f"erratum {d.report} {d.period}"] = L["foot_erratum"].format(
                report=d.report, period=d.period, erratum=d.source.erratum)
        if d.after_end:
            written += f"\n({L['after_end']})"
        if narrow:
            table.add_row(report, d.period, window, written + (f"\n→ {effective}" if effective else ""))
        else:
            table.add_row(report, d.period, window, written, effective, _route(d))
    if schedule.projected:
        table.caption = L["projected"].format(edition=plan.year)
    out.print(table)
    for text in notes.values():
        out.print(text, markup=False, highlight=False)
    if not rows:
        out.print(L["none"])


def _window_cell(d: Deadline, L: dict, narrow: bool, notes: dict) -> str:
    """The plan's own window as dates; a window the plan does not set is labelled as Decree 09's,
    and one that closes on or after the deadline says so."""
    if not d.window_start:
        return ""
    start, end = fmt_date(d.window_start, "vi", False), fmt_date(d.window_end, "vi", False)
    text = f"{start} –\n{end}" if narrow else f"{start} – {end}"
    if d.window_basis == "decree-09":
        notes.setdefault("decree", L["foot_decree"])
        text = f"{L['decree']}\n{text}" if narrow else f"{L['decree']} {text}"
        if d.window_after_due:
            notes.setdefault("after_due", L["foot_after_due"])
            text += f"\n{L['after_due']}" if narrow else f" {L['after_due']}"
    return text


def plans_table(plans, lang: str, out) -> None:
    from rich import box
    from rich.table import Table

    L = LABELS[lang]
    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else box.ASCII2)
    for key in ("id", "issuer", "document", "years", "rules"):
        table.add_column(L[key], overflow="fold")
    for p in plans:
        table.add_row(p.id, p.issuer, p.document, ", ".join(map(str, p.years)), str(len(p.rules)))
    out.print(table)


# -- ledger and overdue --------------------------------------------------------------------
SUBMISSION_KEYS = ("plan", "report", "period", "unit", "submitted_on", "effective_due", "days_late", "note",
                   "recorded_at", "recorded_by")
OVERDUE_KEYS = ("plan", "report", "period", "unit", "due", "effective_due", "status", "days_late", "submitted_on",
                "projected", "edition")
STATUS_LABELS = {
    "vi": {"overdue": "QUÁ HẠN", "due-today": "hạn hôm nay", "due-soon": "sắp đến hạn", "submitted": "đã gửi",
           "submitted-late": "gửi muộn", "upcoming": "chưa đến hạn"},
    "en": {"overdue": "OVERDUE", "due-today": "due today", "due-soon": "due soon", "submitted": "submitted",
           "submitted-late": "submitted late", "upcoming": "upcoming"},
}
OVERDUE_HEAD = {
    "vi": ("Trạng thái", "Số ngày", "Kế hoạch", "Báo cáo", "Kỳ", "Đơn vị", "Hạn thực tế", "Đã gửi",
           "Tình hình đến ngày {day}: {overdue} quá hạn, {today} hạn hôm nay, {soon} sắp đến hạn",
           "Không có báo cáo nào quá hạn hay sắp đến hạn."),
    "en": ("Status", "Days", "Plan", "Report", "Period", "Unit", "Effective due", "Sent",
           "As of {day}: {overdue} overdue, {today} due today, {soon} due soon",
           "Nothing is overdue or due soon."),
}


def submission_record(row) -> dict:
    """One recorded submission with how late it was (days after the effective due date; negative:
    early; null when its plan is no longer in use)."""
    s, due, late = row
    return {"plan": s.plan, "report": s.report, "period": s.period, "unit": s.unit or None,
            "submitted_on": s.submitted_on.isoformat(), "effective_due": iso(due), "days_late": late,
            "note": s.note, "recorded_at": s.recorded_at, "recorded_by": s.recorded_by or None}


def submissions_json(rows) -> str:
    import json

    return json.dumps({"submissions": [submission_record(s) for s in rows]}, ensure_ascii=False, indent=2) + "\n"


def _csv(keys, records) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(keys)
    for r in records:
        writer.writerow(["" if r[k] is None else r[k] for k in keys])
    return buffer.getvalue()


def submissions_csv(rows) -> str:
    return _csv(SUBMISSION_KEYS, [submission_record(s) for s in rows])


SUBMISSION_HEAD = {
    "vi": ("Kế hoạch", "Báo cáo", "Kỳ", "Đơn vị", "Ngày gửi", "Hạn thực tế", "Số ngày muộn", "Ghi chú"),
    "en": ("Plan", "Report", "Period", "Unit", "Sent", "Effective due", "Days late", "Note"),
}


def submissions_table(rows, lang: str, out) -> None:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else box.ASCII2)
    for i, head in enumerate(SUBMISSION_HEAD[lang]):
        table.add_column(head, overflow="fold", no_wrap=i in (2, 4, 5, 6))
    for row in rows:
        s, due, late = row
        lateness = "" if late is None else str(late) if late > 0 else ("đúng hạn" if lang == "vi" else "on time")
        table.add_row(s.plan, s.report, s.period, s.unit or "—", fmt_date(s.submitted_on, lang, False),
                      fmt_date(due, lang, False), lateness, s.note or "")
    out.print(table)


def overdue_record(a) -> dict:
    d = a.deadline
    return {"plan": d.plan, "report": d.report, "period": d.period, "unit": a.obligation.unit or None,
            "due": iso(d.due), "effective_due": iso(d.effective_due), "status": a.status,
            "days_late": a.days_late, "submitted_on": iso(a.submitted_on), "projected": d.projected,
            "edition": d.edition}


def overdue_json(as_of: dt.date, rows, plans=()) -> str:
    import json

    # one item a line: still read at a glance, and written by json's C encoder (indent= forces its
    # pure-Python one, which took 0.9 s for the 25,000 items of a national run)
    head = json.dumps({"as_of": as_of.isoformat(), "plans": list(plans)}, ensure_ascii=False)[:-1]
    items = ",\n".join("  " + json.dumps(overdue_record(a), ensure_ascii=False) for a in rows)
    return f'{head}, "items": [\n{items}\n]}}\n' if rows else f'{head}, "items": []}}\n'



def overdue_csv(rows) -> str:
    return _csv(OVERDUE_KEYS, [overdue_record(a) for a in rows])


def overdue_table(as_of: dt.date, rows, lang: str, out, plans=()) -> None:
    from rich import box
    from rich.table import Table

    head = OVERDUE_HEAD[lang]
    labels = STATUS_LABELS[lang]
    counts = {s: sum(a.status == s for a in rows) for s in ("overdue", "due-today", "due-soon")}
    out.print(head[8].format(day=fmt_date(as_of, lang), overdue=counts["overdue"], today=counts["due-today"],
                             soon=counts["due-soon"]))
    if plans:
        out.print(("Kế hoạch: " if lang == "vi" else "Plans: ") + ", ".join(plans), markup=False)
    if not rows:
        out.print(head[9])
        return
    narrow = out.width < 120
    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else box.ASCII2, show_lines=narrow)
    # status, days, period and dates never break; the report (and, when narrow, plan and unit
    # folded under it) takes what width is left
    columns = (0, 1, 3, 4, 6, 7) if narrow else range(8)
    for i in columns:
        table.add_column(head[i], overflow="fold", no_wrap=i != 3 and i != 5, ratio=1 if i in (3, 5) else None)
    style = {"overdue": "bold red", "due-today": "bold yellow", "due-soon": "yellow"}
    for a in rows:
        d = a.deadline
        days = str(a.days_late) if a.status in ("overdue", "submitted-late") else (
            f"{-a.days_late}" if a.status in ("due-soon", "upcoming") else "0")
        unit = a.obligation.unit_name or a.obligation.unit or "—"
        report = f"{d.title} ({d.report})"
        cells = [labels[a.status], days, d.plan, report, d.period, unit, fmt_date(d.effective_due, lang),
                 fmt_date(a.submitted_on, lang, False)]
        if narrow:
            cells[3] = f"{report}\n{d.plan}" + (f" · {unit}" if a.obligation.unit else "")
            cells = [cells[i] for i in columns]
        table.add_row(*cells, style=style.get(a.status) if out.is_terminal else None)
    out.print(table)


# -- what each command shows -----------------------------------------------------------------------
class Rendered:
    """A command's answer: `body` is text, bytes (CSV and ICS keep their CRLF) or a function that
    draws on a Rich console; `notes` go to stderr, each as one `dvcq: ...` line; `stderr` lines as is."""

    def __init__(self, body, notes=(), stderr=()):
        self.body, self.notes, self.stderr = body, tuple(notes), tuple(stderr)


def emit(rendered, output=None, lang: str = "vi") -> None:
    """Notes to stderr, then the answer to stdout or to --output."""
    from dvcq.core.errors import DvcqError

    if not isinstance(rendered, Rendered):
        rendered = Rendered(rendered)
    for line in rendered.notes:
        print(f"dvcq: {line}", file=sys.stderr)
    body = rendered.body
    try:
        if output is None:
            if callable(body):
                body(console())
            elif isinstance(body, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(body)
            else:
                sys.stdout.write(body)
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
        raise DvcqError(f"--output: cannot write {output}: {exc.strerror or exc}") from None
    if output is not None and not callable(body):
        print(f"dvcq: {'đã ghi' if lang == 'vi' else 'wrote'} {output}", file=sys.stderr)
    for line in rendered.stderr:
        print(line, file=sys.stderr)


def format_options(fmt: str, excel: bool, remind: str | None = None):
    """Options that only one format can use are an error with any other, not silently ignored.
    Returns the ics reminders."""
    from dvcq.core.errors import DvcqError

    if excel and fmt != "csv":
        raise DvcqError(f"--excel: only CSV has a byte-order mark for Excel; add --format csv (not {fmt})")
    if remind is not None and fmt != "ics":
        raise DvcqError(f"--remind: reminders are for --format ics (not {fmt})")
    if fmt != "ics":
        return None
    from dvcq.output.ics import parse_remind

    return parse_remind(remind)


def deadlines(found, fmt: str, lang: str, excel: bool, reminders=None) -> Rendered:
    sched, rows = found.schedule, found.rows
    if fmt == "json":
        return Rendered(to_json(sched, rows), found.notes)
    if fmt == "csv":
        return Rendered(to_csv(rows, excel=excel), found.notes)
    if fmt == "ics":
        from dvcq.output.ics import to_ics

        return Rendered(to_ics(sched, rows, reminders, lang), found.notes)
    return Rendered(lambda out: deadlines_table(sched, rows, lang, out, found.unit), found.notes)


def plans(found, fmt: str, lang: str, excel: bool) -> Rendered:
    import json

    records = [{"id": p.id, "issuer": p.issuer, "document": p.document, "years": list(p.years),
                "rules": len(p.rules), "units": len(p.units), "file": p.path} for p in found]
    if fmt == "json":
        return Rendered(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    if fmt == "csv":
        for r in records:
            r["years"] = " ".join(map(str, r["years"]))
        return Rendered(with_bom(_csv(("id", "issuer", "document", "years", "rules", "units", "file"), records), excel))
    return Rendered(lambda out: plans_table(found, lang, out))


def explained(found, lang: str) -> Rendered:
    from dvcq.output.explain import explain_lines

    lines = explain_lines(found.schedule, found.rule, found.deadline, lang, found.literal_due, found.sources)
    return Rendered("".join(line + "\n" for line in lines), found.notes)


def checked(results, fmt: str) -> Rendered:
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
    summary = f"{len(results)} file(s) checked: {errors} error(s), {len(problems) - errors} warning(s)"
    return Rendered("".join(f"{p}\n" for p in problems), stderr=[summary])


def submitted(found) -> Rendered:
    ob = found.obligation
    d = ob.deadline
    who = f" by {ob.unit}" if ob.unit else ""
    what = f"{d.plan} {d.report} {d.period}{who}"
    if found.removed is not None:
        return Rendered(f"removed: {what} (was recorded as sent {found.removed.submitted_on:%d/%m/%Y})\n")
    if found.existing is not None:
        return Rendered(f"already recorded: {what} sent {found.existing.submitted_on:%d/%m/%Y}"
                        " (unchanged; use --undo first to correct it)\n")
    timing = f"{found.days_late} day(s) late" if found.days_late > 0 else "on time"
    return Rendered(f"recorded: {what} sent {found.sent:%d/%m/%Y}, due {d.effective_due:%d/%m/%Y}: {timing}\n",
                    found.notes)


def submissions(found, fmt: str, excel: bool, lang: str = "vi") -> Rendered:
    if fmt == "json":
        return Rendered(submissions_json(found.rows), found.notes)
    if fmt == "csv":
        return Rendered(with_bom(submissions_csv(found.rows), excel), found.notes)
    return Rendered(lambda out: submissions_table(found.rows, lang, out), found.notes)


def overdue(found, fmt: str, lang: str, excel: bool, quiet: bool = False) -> Rendered:
    """With `quiet`, nothing at all on a day with no news (cron mails only when there is output)."""
    if quiet and not found.news:
        return Rendered("", found.notes if fmt != "table" else ())
    if fmt == "json":
        return Rendered(overdue_json(found.as_of, found.shown, found.plans), found.notes)
    if fmt == "csv":
        return Rendered(with_bom(overdue_csv(found.shown), excel), found.notes)
    return Rendered(lambda out: overdue_table(found.as_of, found.shown, lang, out, found.plans), found.notes)


def settings(found) -> Rendered:
    from dvcq.planfiles.profile import describe

    return Rendered("".join(f"{line}\n" for line in describe(found.sources, found.lang)))


def calendar(found, lang: str) -> Rendered:
    from dvcq.output import calview

    def draw(out) -> None:
        # a terminal's own width; piped, the 80 columns of a mail or a printout (or COLUMNS)
        columns = out.width if out.is_terminal else int(os.environ.get("COLUMNS", "80") or 80)
        lines = calview.grid(found.schedule.year, found.months, found.rows, found.calendar, lang, found.today, columns)
        calview.print_grid(lines, out)
    return Rendered(draw, found.notes)


# -- the desk -------------------------------------------------------------------------------------
def imported(found, lang: str) -> Rendered:
    """Every matched row and every skipped one with its reason, one line each (a register of 10,000
    rows prints in a blink; a mail or a terminal reads it alike), then a count on stderr."""
    vi = lang == "vi"
    recorded = {o.row for o in found.recorded}
    lines = []
    for o in found.outcomes:
        if o.status == "match":
            d = o.obligation.deadline
            result = ("khớp" if vi else "match") if o.row in recorded else ("trùng" if vi else "duplicate")
            lines.append(f"{o.row}\t{result}\t{o.obligation.unit_name or '—'}\t{d.title}\t{d.period}\t"
                         f"{fmt_date(o.sent, lang, False)}\t{o.reason}\n")
        else:
            lines.append(f"{o.row}\t{'bỏ qua' if vi else 'skipped'}\t{o.text}\t{o.reason}\n")
    matched = sum(o.status == "match" for o in found.outcomes)
    skipped_dvcq = found.unmatched
    other = sum(o.status == "skip" and not o.dvcq for o in found.outcomes)
    if found.dry_run:
        summary = (f"{found.file}: {len(found.outcomes)} dòng: {matched} khớp ({len(found.recorded)} báo cáo), "
                   f"{skipped_dvcq} báo cáo DVCQ không khớp, {other} văn bản khác; chạy thử, chưa ghi gì" if vi else
                   f"{found.file}: {len(found.outcomes)} rows: {matched} matched ({len(found.recorded)} reports), "
                   f"{skipped_dvcq} DVCQ reports unmatched, {other} other documents; dry run, nothing recorded")
    else:
        summary = (f"{found.file}: đã ghi {found.added} báo cáo mới, {found.existing} đã có; "
                   f"{skipped_dvcq} báo cáo DVCQ không khớp, {other} văn bản khác bỏ qua" if vi else
                   f"{found.file}: recorded {found.added} new, {found.existing} already there; "
                   f"{skipped_dvcq} DVCQ reports unmatched, {other} other documents skipped")
    return Rendered("".join(lines), found.notes, stderr=[summary])


SCORE_HEAD = {
    "vi": ("Đơn vị", "Mã", "Phải nộp", "Đúng hạn", "Muộn", "Số ngày muộn", "Chưa nộp", "Tỷ lệ đúng hạn", "Nhiệm vụ chủ trì"),
    "en": ("Unit", "Id", "Owed", "On time", "Late", "Days late", "Missing", "On-time rate", "Key tasks led"),
}
# the terminal's columns, short enough for 80: late and its days in one, key tasks as "NV"
SCORE_SHORT = {
    "vi": ("Đơn vị", "Phải nộp", "Đúng hạn", "Muộn (ngày)", "Chưa nộp", "Đúng hạn %", "NV chủ trì"),
    "en": ("Unit", "Owed", "On time", "Late (days)", "Missing", "On time %", "Tasks led"),
}
SCORE_KEYS = ("plan", "unit", "name", "owed", "on_time", "late", "days_late", "missing", "on_time_rate")


def _rate(value, lang: str = "vi") -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def scorecard(found, fmt: str, lang: str, excel: bool = False) -> Rendered:
    import json

    if fmt == "json":
        return Rendered(json.dumps(found.record(), ensure_ascii=False, indent=2) + "\n", found.notes)
    if fmt == "csv":
        records = [{**c.record(), "on_time_rate": "" if c.on_time_rate is None else c.on_time_rate}
                   for _, cards, _ in found.plans for c in cards]
        return Rendered(with_bom(_csv(SCORE_KEYS, records), excel), found.notes)
    if fmt == "xlsx":
        return Rendered(scorecard_xlsx(found, lang), found.notes)
    vi = lang == "vi"

    def draw(out) -> None:
        out.print((f"Kết quả gửi báo cáo năm {found.year}, tính đến ngày {fmt_date(found.as_of, lang)}" if vi else
                   f"Reports of {found.year}, as of {fmt_date(found.as_of, lang)}"), markup=False, highlight=False)
        for plan, cards, apart in found.plans:
            rows = [(c.name, str(c.owed), str(c.on_time), f"{c.late} ({c.days_late})" if c.late else "0",
                     str(c.missing), _rate(c.on_time_rate), str(c.tasks or "")) for c in cards]
            lines = [f"{plan.id} — {plan.issuer}, {plan.document}"]
            lines += plain_table(SCORE_SHORT[lang], rows, min(out.width, 120), rule="─" if out.is_terminal else "-")
            if apart:
                first = min(o.deadline.effective_due for o in apart)
                lines.append(f"Không tính {len(apart)} nghĩa vụ đến hạn trước ngày ban hành kế hoạch "
                             f"({plan.issued:%d/%m/%Y}), từ {first:%d/%m/%Y}" if vi else
                             f"Not counted: {len(apart)} obligations due before the plan was issued "
                             f"({plan.issued:%d/%m/%Y}), from {first:%d/%m/%Y}")
            out.file.write("\n".join(lines) + "\n")
    return Rendered(draw, found.notes)


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
    lines.append(" " + rule * (name_width + sum(n + 2 for n in numbers) + 2))
    for row in rows:
        lines.extend(cells(row, False))
    return lines


def scorecard_xlsx(found, lang: str) -> bytes:
    """A workbook a Sở Nội vụ can file: a sheet per plan (units, worst first) and one listing every
    obligation counted; header row, frozen panes, dates as dates, rates as percentages."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_style = (Font(bold=True), PatternFill("solid", fgColor="DDE6F0"), Alignment(wrap_text=True, vertical="top"))
    vi = lang == "vi"
    book = Workbook()
    book.remove(book.active)

    def sheet(title, header, rows, widths, formats):
        ws = book.create_sheet(title[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = head_style
        ws.row_dimensions[1].height = 32  # two lines: wrapped headers stay inside their row
        for row in rows:
            ws.append(list(row))
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
            if formats.get(col):
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = formats[col]
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
        # printed as filed: A4 landscape, every column on the page, the header on each page
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"
        return ws

    for plan, cards, _ in found.plans:
        sheet(plan.id, SCORE_HEAD[lang],
              [(c.name, c.unit, c.owed, c.on_time, c.late, c.days_late, c.missing, c.on_time_rate, c.tasks)
               for c in cards],
              (42, 24, 10, 10, 8, 12, 10, 14, 12), {8: "0%"})
    detail_head = (("Kế hoạch", "Đơn vị", "Báo cáo", "Kỳ", "Hạn thực tế", "Ngày gửi", "Số ngày muộn") if vi else
                   ("Plan", "Unit", "Report", "Period", "Effective due", "Sent", "Days late"))
    details = [(plan.id, c.name, d.title, d.period, d.effective_due, on, (on - d.effective_due).days if on else None)
               for plan, cards, _ in found.plans for c in cards for d, on in c.items]
    sheet("Chi tiết" if vi else "Details", detail_head, details, (14, 42, 30, 10, 14, 14, 12),
          {5: "DD/MM/YYYY", 6: "DD/MM/YYYY"})
    info = book.create_sheet("Thông tin" if vi else "About")
    info.append(["Năm" if vi else "Year", found.year])
    info.append(["Tính đến ngày" if vi else "As of", found.as_of])
    info["B2"].number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def letters(found, lang: str) -> Rendered:
    """Write each letter's .docx; say what was written."""
    from dvcq.core.errors import DvcqError
    from dvcq.output.letter import letter_docx

    written = []
    for path, letter in found.letters:
        try:
            Path(path).write_bytes(letter_docx(letter))
        except OSError as exc:
            raise DvcqError(f"--output: cannot write {path}: {exc.strerror or exc}") from None
        units = len({item.unit_name for item in letter.items})
        written.append(f"dvcq: {'đã ghi' if lang == 'vi' else 'wrote'} {path} ({units} "
                       f"{'đơn vị' if lang == 'vi' else 'unit(s)'}, {len(letter.items)} "
                       f"{'báo cáo' if lang == 'vi' else 'report(s)'})")
    return Rendered("", found.notes, stderr=written)


def drafted(found) -> Rendered:
    return Rendered(found.draft.yaml, found.notes)


def ledger_report(found) -> Rendered:
    if found.copy is not None:
        c = found.copy
        return Rendered(f"copied {c['copied']} row(s) ({c['already']} already there) from {c['src']} to {c['dst']}\n"
                        f"rows: {c['rows_src']} = {c['rows_dst']}; checksum: {c['checksum_src']} = {c['checksum_dst']}\n",
                        found.notes)
    if not found.ledger:
        return Rendered("", found.notes)
    if found.problems:
        return Rendered("".join(f"{found.ledger}: {p}\n" for p in found.problems), found.notes)
    return Rendered(f"{found.ledger}: ok\n", found.notes)
