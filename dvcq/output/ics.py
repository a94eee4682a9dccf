"""iCalendar (RFC 5545) export: one all-day event per deadline, on its effective due date."""
from __future__ import annotations

import datetime as dt

from dvcq.core.engine import Deadline, Schedule
from dvcq.core.messages import say


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
        raise DvcqError(msg="ics.remind_days", text=text) from None
    if any(d < 0 or d > 365 for d in days):
        raise DvcqError(msg="ics.remind_range", text=text)
    return days


def uid(d: Deadline) -> str:
    """Stable across runs and releases, so re-importing updates the event instead of adding one."""
    return f"{d.plan}.{d.report}.{d.period}@dvcq"


def description(d: Deadline, lang: str) -> str:
    lines = []
    if d.moved:
        lines.append(say(lang, "ics.moved", due=d.due, effective=d.effective_due))
    if d.past_written_day:
        lines.append(say(lang, "ics.past_written", written=d.written))
    if d.window_start and d.window_basis == "decree-09":
        lines.append(say(lang, "ics.window.decree_after_due", start=d.window_start, end=d.window_end)
                     if d.window_after_due else say(lang, "ics.window.decree", start=d.window_start, end=d.window_end))
    elif d.window_start:
        lines.append(say(lang, "ics.window", start=d.window_start, end=d.window_end))
    if d.sender or d.recipient:
        lines.append(say(lang, "ics.route", sender=d.sender or "?", recipient=d.recipient or "?"))
    if d.source.quote:
        lines.append(say(lang, "ics.source", section=d.source.section, quote=d.source.quote))
    if d.source.erratum:
        lines.append(say(lang, "ics.erratum", erratum=d.source.erratum))
    if d.projected:
        lines.append(say(lang, "ics.projected"))
    return "\n".join(lines)


def to_ics(schedule: Schedule, rows: list[Deadline], remind: list[int], lang: str = "vi",
           stamp: dt.datetime | None = None) -> bytes:
    from icalendar import Alarm, Calendar, Event

    plan = schedule.plan
    cal = Calendar()
    cal.add("prodid", "-//dvcq//dvcq deadlines//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", say(lang, "ics.calendar_name", plan=plan.id, year=schedule.year, issuer=plan.issuer))
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for d in rows:
        if d.effective_due is None or d.after_end:
            continue  # a merged month, a report on request, a deadline after the plan ended: nothing to do that day
        event = Event()
        event.add("uid", uid(d))
        event.add("dtstamp", stamp)
        event.add("dtstart", d.effective_due)  # a date: VALUE=DATE, an all-day event
        event.add("dtend", d.effective_due + dt.timedelta(days=1))  # RFC 5545: DTEND is exclusive
        event.add("summary", say(lang, "ics.summary_projected", title=d.title, period=d.period) if d.projected
                  else say(lang, "ics.summary", title=d.title, period=d.period))
        event.add("description", description(d, lang))
        event.add("categories", [plan.id, d.report])
        event.add("transp", "TRANSPARENT")
        for days in remind:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", say(lang, "ics.alarm", title=d.title, period=d.period, due=d.effective_due))
            alarm.add("trigger", dt.timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
