"""`dvcq calendar`: a year (or a month) as a grid, weeks from Monday, deadlines marked.

Every mark is a character as well as a colour, so the grid reads the same piped, printed or under
NO_COLOR. Cells are three characters ("13*"), so three months fit in 67 columns.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field

from dvcq.core.engine import Deadline
from dvcq.core.messages import say, words
from dvcq.core.workdays import WorkCalendar

MONTH_WIDTH = 21  # 7 cells of 3 characters: the day, then its mark (or a space)

# marker -> (style, the message id of its meaning); the first that applies to a day wins
MARKS = {
    "*": ("bold white on red", "calview.mark.deadline"),
    "?": ("bold black on yellow", "calview.mark.projected"),  # a deadline no document sets (issue 23)
    "~": ("bold red", "calview.mark.moved"),
    "@": ("reverse", "calview.mark.today"),
    "-": ("red", "calview.mark.day_off"),
    "+": ("green", "calview.mark.saturday_worked"),
}


@dataclass
class DayInfo:
    deadlines: list[Deadline] = field(default_factory=list)  # due (effective) this day
    moved_from: list[Deadline] = field(default_factory=list)  # as written this day, moved away


def _marks(deadlines: list[Deadline]) -> dict[dt.date, DayInfo]:
    days: dict[dt.date, DayInfo] = {}
    for d in deadlines:
        if d.effective_due is None:
            continue
        days.setdefault(d.effective_due, DayInfo()).deadlines.append(d)
        if d.moved:
            days.setdefault(d.due, DayInfo()).moved_from.append(d)
    return days


def _mark(day: dt.date, info: DayInfo | None, cal: WorkCalendar, today: dt.date | None) -> str:
    if info and info.deadlines:
        return "?" if all(d.projected for d in info.deadlines) else "*"
    if info and info.moved_from:
        return "~"
    if day == today:
        return "@"
    if cal.working_saturday(day):
        return "+"
    if not cal.is_working_day(day) and day.weekday() < 5 or _official_weekend_day_off(day, cal):
        return "-"
    return " "


def _official_weekend_day_off(day: dt.date, cal: WorkCalendar) -> bool:
    """A holiday that falls on a weekend (Tết often does) is still marked as a day off."""
    if day.weekday() < 5:
        return False
    reason = cal.why_not_working(day)
    return reason is not None and reason not in ("Thứ Bảy", "Chủ nhật")


Segment = tuple[str, str | None]  # text, Rich style (None: plain)


def month_lines(year: int, month: int, days: dict[dt.date, DayInfo], cal: WorkCalendar, lang: str,
                today: dt.date | None) -> list[list[Segment]]:
    """One month as lines of styled segments, each line MONTH_WIDTH characters wide."""
    title = say(lang, "calview.month_title", month=words(lang, "calview.months")[month - 1], year=year)
    lines: list[list[Segment]] = [[(title.center(MONTH_WIDTH), "bold")], [(say(lang, "calview.week_head"), "dim")]]
    for week in _cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        segments: list[Segment] = []
        for day in week:
            if day.month != month:
                segments.append(("   ", None))
                continue
            mark = _mark(day, days.get(day), cal, today)
            style = MARKS[mark][0] if mark != " " else None
            segments.append((f"{day.day:2d}{mark}", style))
        lines.append(segments)
    while len(lines) < 8:  # every month 8 lines tall, so months side by side line up
        lines.append([(" " * MONTH_WIDTH, None)])
    return lines


def _width(line: list[Segment]) -> int:
    return sum(len(t) for t, _ in line)


def grid(year: int, months: list[int], deadlines: list[Deadline], cal: WorkCalendar, lang: str,
         today: dt.date | None, columns: int = 80) -> list[list[Segment]]:
    """Months side by side (three a row when `columns` allows, fewer when narrow), then a legend."""
    days = _marks(deadlines)
    per_row = max(1, min(3, (columns + 2) // (MONTH_WIDTH + 2)))
    out: list[list[Segment]] = []
    for start in range(0, len(months), per_row):
        block = [month_lines(year, m, days, cal, lang, today) for m in months[start:start + per_row]]
        for row in range(8):
            line: list[Segment] = []
            for i, month in enumerate(block):
                part = month[row]
                line.extend(part)
                if i < len(block) - 1:
                    line.append((" " * (MONTH_WIDTH - _width(part) + 2), None))
            out.append(_rstrip(line))
        while out and not out[-1]:  # months are padded to line up; the block's end needs no padding
            out.pop()
        out.append([])
    out.extend(legend(year, months, days, cal, lang, today, columns))
    return out


def _rstrip(line: list[Segment]) -> list[Segment]:
    while line and not line[-1][0].strip():
        line = line[:-1]
    if line:
        text, style = line[-1]
        line = line[:-1] + [(text.rstrip(), style)]
    return line


def _fit(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(room - 1, 10)] + "…"


def legend(year, months, days, cal: WorkCalendar, lang, today, columns: int = 80) -> list[list[Segment]]:
    past = False  # a "trước ngày N" deadline moved onto day N or later is in view
    columns = max(columns, 40)
    head = f"{say(lang, 'calview.legend')}: "
    out: list[list[Segment]] = [[(head, "bold")]]
    shown = set(months)
    in_view = [d for day, info in days.items() if day.year == year and day.month in shown for d in info.deadlines]
    projected = sorted({d.edition for d in in_view if d.projected})  # the editions the projected days follow
    for mark, (style, meaning) in MARKS.items():
        if mark == "?" and not projected:
            continue
        entry = f" {say(lang, meaning)}  "
        if _width(out[-1]) + 1 + len(entry.rstrip()) > columns:  # wrap the key under itself
            out[-1] = _rstrip(out[-1])
            out.append([(" " * len(head), None)])
        out[-1].extend([(mark, style), (entry, None)])
    out[-1] = _rstrip(out[-1])
    for day in sorted(d for d in days if d.year == year and d.month in shown):
        info = days[day]
        for d in info.deadlines:
            moved = ""
            if d.moved:
                moved = " " + say(lang, "calview.moved", due=d.due)
            if d.past_written_day:
                moved += " !"
                past = True
            tail = f" {d.period} [{d.report}]{moved}"
            title = _fit(d.title, columns - 8 - len(tail))
            mark = "?" if d.projected else "*"
            out.append([(f"{day:%d/%m} ", None), (mark, MARKS[mark][0]), (f" {title}{tail}", None)])
        for d in info.moved_from:
            tail = " " + say(lang, "calview.moved_to", period=d.period, day=d.effective_due)
            out.append([(f"{day:%d/%m} ", None), ("~", MARKS["~"][0]),
                        (f" {_fit(d.title, columns - 8 - len(tail))}{tail}", None)])
    # name the days off in view, grouping runs such as Tết
    runs: list[tuple[dt.date, dt.date, str, list[str]]] = []  # first, last, name, the notices/laws behind it
    for month in months:
        for day in _cal.Calendar().itermonthdates(year, month):
            if day.month != month:
                continue
            if _mark(day, None, cal, None) == "-":
                name, source = cal.why_not_working(day, lang), cal.source_of(day)
                if runs and runs[-1][2] == _family(name) and (day - runs[-1][1]).days <= 3:
                    runs[-1] = (runs[-1][0], day, runs[-1][2], runs[-1][3])
                else:
                    runs.append((day, day, _family(name), []))
                if source and source not in runs[-1][3]:
                    runs[-1][3].append(source)
            elif cal.working_saturday(day):
                source = cal.source_of(day)
                text = (say(lang, "calview.saturday_worked_source", source=source) if source
                        else say(lang, "calview.mark.saturday_worked"))
                for i, part in enumerate(_wrap(text, columns - 8)):
                    out.append([(f"{day:%d/%m} ", None), ("+", MARKS["+"][0]), (" " + part, None)] if i == 0
                               else [(" " * 8 + part, None)])
    for first, last, name, sources in runs:
        span = f"{first:%d/%m}" if first == last else f"{first:%d/%m}–{last:%d/%m}"
        text = name + (f" ({'; '.join(sources)})" if sources else "")
        lead = len(span) + 3
        for i, part in enumerate(_wrap(text, columns - lead)):
            out.append([(f"{span} ", None), ("-", MARKS["-"][0]), (f" {part}", None)] if i == 0
                       else [(" " * lead + part.lstrip(), None)])
    if today and today.year == year and today.month in shown:
        out.append([(f"{today:%d/%m} ", None), ("@", MARKS["@"][0]), (" " + say(lang, "calview.mark.today"), None)])
    if past:
        text = say(lang, "calview.past_note")
        out.extend([[(line, None)] for line in _wrap(text, columns)])
    for edition in projected:
        out.extend([[(line, None)] for line in _wrap(say(lang, "calview.foot_projected", edition=edition), columns)])
    return out


def _wrap(text: str, columns: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, columns, subsequent_indent="  ")


def _family(name: str | None) -> str:
    """'Mùng hai Tết Nguyên Đán' and 'Giao thừa Tết Nguyên Đán' are one run: Tết Nguyên Đán."""
    if not name:
        return ""
    if "Tết" in name and "Dương lịch" not in name:
        return "Tết Nguyên Đán"  # "29 Tết", "Giao thừa", "Mùng hai" ...
    for key in ("Lunar New Year", "Quốc khánh", "National Day"):
        if key in name:
            return key
    return name


def print_grid(lines: list[list[Segment]], out) -> None:
    """Styled on a colour terminal; exactly `plain` otherwise (piped, NO_COLOR)."""
    if out.is_terminal and not out.no_color and out.color_system:
        from rich.text import Text

        for line in lines:
            out.print(Text.assemble(*[(t, s or "") for t, s in line]), soft_wrap=True)
    else:
        out.file.write(plain(lines))


def plain(lines: list[list[Segment]]) -> str:
    return "\n".join("".join(t for t, _ in line) for line in lines) + "\n"
