"""iCalendar (RFC 5545) export: one all-day event per deadline, on its effective due date."""
from __future__ import annotations

import datetime as dt

from dvcq.core.engine import Deadline, Schedule


def parse_remind(text: str | None) -> list[int]:
    """'7,3,1' -> [7, 3, 1]; 'none' -> []; default 3 and 1 days before."""
    from dvcq.core.errors import DvcqError

    if text is None:
        return [3, 1]
    if text.strip().lower() == "none":
        return []
    try:
        days = sorted({int(x) for x in text.split(",") if x.strip()}, reverse=True)
    except ValueError:
        raise DvcqError(f"--remind: {text!r} is not days before, like 7,3,1 (or none)") from None
    if any(d < 0 or d > 365 for d in days):
        raise DvcqError(f"--remind: {text!r}: days before must be 0 to 365")
    return days


def uid(d: Deadline) -> str:
    """Stable across runs and releases, so re-importing updates the event instead of adding one."""
    return f"{d.plan}.{d.report}.{d.period}@dvcq"


def description(d: Deadline, lang: str) -> str:
    vi = lang == "vi"
    lines = []
    if d.moved:
        lines.append((f"Hạn ghi trong văn bản: {d.due:%d/%m/%Y}; dời sang ngày làm việc {d.effective_due:%d/%m/%Y}"
                      if vi else f"Due as written: {d.due:%d/%m/%Y}; moved to working day {d.effective_due:%d/%m/%Y}"))
    if d.past_written_day:
        lines.append((f"Lưu ý: văn bản ghi \"trước ngày {d.written:%d/%m/%Y}\"; hạn đã dời vào ngày đó hoặc sau, đọc đúng "
                      "chữ \"trước\" thì phải nộp sớm hơn") if vi else
                     (f"Note: the text says \"before {d.written:%d/%m/%Y}\"; the deadline moved onto that day or later, "
                      "a literal reading wants it earlier"))
    if d.window_start and d.window_basis == "decree-09":
        span = f"{d.window_start:%d/%m/%Y} – {d.window_end:%d/%m/%Y}"
        after = ((", kết thúc vào hoặc sau hạn nộp: không dùng được (Điều 8 khoản 5 điểm b)" if vi
                  else ", ending on or after the deadline: not usable (art. 8(5)(b))") if d.window_after_due else "")
        lines.append((f"Số liệu: kế hoạch không quy định; theo Nghị định 09/2019/NĐ-CP, Điều 12: {span}{after}" if vi
                      else f"Data window: the plan sets none; Decree 09/2019/NĐ-CP art. 12: {span}{after}"))
    elif d.window_start:
        lines.append(f"{'Số liệu' if vi else 'Data window'}: {d.window_start:%d/%m/%Y} – {d.window_end:%d/%m/%Y}")
    if d.sender or d.recipient:
        lines.append(f"{'Gửi → Nhận' if vi else 'Sender → recipient'}: {d.sender or '?'} → {d.recipient or '?'}")
    if d.source.quote:
        lines.append(f"{'Nguồn' if vi else 'Source'} ({d.source.section}): «{d.source.quote}»")
    if d.source.erratum:
        lines.append(f"{'Đính chính' if vi else 'Erratum'}: {d.source.erratum}")
    if d.projected:
        lines.append("Dự kiến: suy từ kế hoạch năm trước" if vi else "Projected from an earlier year's plan")
    return "\n".join(lines)


def to_ics(schedule: Schedule, rows: list[Deadline], remind: list[int], lang: str = "vi",
           stamp: dt.datetime | None = None) -> bytes:
    from icalendar import Alarm, Calendar, Event

    plan = schedule.plan
    cal = Calendar()
    cal.add("prodid", "-//dvcq//dvcq deadlines//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{plan.id} {schedule.year} — {plan.issuer}")
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for d in rows:
        if d.effective_due is None or d.after_end:
            continue  # a merged month, a report on request, a deadline after the plan ended: nothing to do that day
        event = Event()
        event.add("uid", uid(d))
        event.add("dtstamp", stamp)
        event.add("dtstart", d.effective_due)  # a date: VALUE=DATE, an all-day event
        event.add("dtend", d.effective_due + dt.timedelta(days=1))  # RFC 5545: DTEND is exclusive
        projected = (" (dự kiến)" if lang == "vi" else " (projected)") if d.projected else ""
        event.add("summary", f"{d.title} — {d.period}{projected}")
        event.add("description", description(d, lang))
        event.add("categories", [plan.id, d.report])
        event.add("transp", "TRANSPARENT")
        for days in remind:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{d.title} — {d.period}: " + (f"hạn {d.effective_due:%d/%m/%Y}" if lang == "vi"
                                                                      else f"due {d.effective_due:%d/%m/%Y}"))
            alarm.add("trigger", dt.timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
