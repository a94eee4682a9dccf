"""Answers as records for machines: JSON and CSV, with the same keys in both."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from dvcq.output.safe import csv_cell
from dvcq.core.engine import Deadline, Schedule
from dvcq.output.dates import iso


JSON_KEYS = ("plan", "report", "title", "every", "period", "due", "effective_due", "past_written_day",
             "window_start", "window_end", "window_basis", "window_after_due", "merged_into", "sender",
             "recipient", "source", "erratum", "projected", "edition", "after_plan_end")


SUBMISSION_KEYS = ("plan", "report", "period", "unit", "submitted_on", "effective_due", "days_late", "note",
                   "recorded_at", "recorded_by")


OVERDUE_KEYS = ("plan", "report", "period", "unit", "due", "effective_due", "status", "days_late", "submitted_on",
                "projected", "edition")


SCORE_KEYS = ("plan", "unit", "name", "owed", "on_time", "late", "days_late", "missing", "on_time_rate")
SCORE_CSV_KEYS = SCORE_KEYS + ("projected",)  # true: the year has no plan document, dates follow an earlier one's


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


def csv_text(keys, records) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(keys)
    for r in records:
        writer.writerow([_cell(r[k]) for k in keys])
    return buffer.getvalue()


def _cell(value) -> str:
    """A CSV cell: booleans as the JSON writes them (true/false) in every CSV dvcq writes, never
    Python's True/False; None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)  # a name or note beginning with = + - @ is text, never a formula (issue 22)


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
        writer.writerow(["" if record[k] is None else csv_cell(record[k]) for k in JSON_KEYS])
    return with_bom(buffer.getvalue(), excel)


def submission_record(row) -> dict:
    """One recorded submission with how late it was (days after the effective due date; negative:
    early; null when its plan is no longer in use)."""
    s, due, late = row
    return {"plan": s.plan, "report": s.report, "period": s.period, "unit": s.unit or None,
            "submitted_on": s.submitted_on.isoformat(), "effective_due": iso(due), "days_late": late,
            "note": s.note, "recorded_at": vn_time(s.recorded_at), "recorded_by": s.recorded_by or None}


def vn_time(stamp: str | None) -> str | None:
    """A moment the ledger keeps in UTC, as it was in Vietnam (UTC+7, no daylight saving since
    1975): '2026-12-04T04:46:10+00:00' -> '2026-12-04T11:46:10+07:00'. Text that is not a time is
    shown as it is."""
    if not stamp:
        return stamp or None
    from dvcq.core.clock import VN_OFFSET

    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(VN_OFFSET).isoformat()


def submissions_json(rows) -> str:
    import json

    return json.dumps({"submissions": [submission_record(s) for s in rows]}, ensure_ascii=False, indent=2) + "\n"


def submissions_csv(rows) -> str:
    return csv_text(SUBMISSION_KEYS, [submission_record(s) for s in rows])


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
    return csv_text(OVERDUE_KEYS, [overdue_record(a) for a in rows])
