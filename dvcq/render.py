"""Turning deadlines into what people and machines read: Rich tables, JSON, CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from typing import Iterable

from .engine import Deadline, Schedule

JSON_KEYS = ("plan", "report", "title", "period", "due", "effective_due", "window_start", "window_end",
             "merged_into", "sender", "recipient", "source", "projected")

WEEKDAY_SHORT = {"vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
                 "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}

LABELS = {
    "vi": {
        "report": "Báo cáo", "period": "Kỳ", "window": "Số liệu", "due": "Hạn (theo văn bản)",
        "effective": "Hạn thực tế", "route": "Gửi → Nhận", "merged": "lồng ghép vào",
        "projected": "dự kiến (suy từ kế hoạch năm {edition})", "title": "{plan} — {issuer}, {document}, năm {year}",
        "none": "Không có hạn nào khớp điều kiện lọc.", "unannounced":
            "Lịch nghỉ năm {year} chưa được công bố: ngày nghỉ tính theo quy tắc (Tết, Giỗ Tổ theo âm lịch), chưa có ngày nghỉ bù/hoán đổi.",
        "id": "Mã", "issuer": "Cơ quan ban hành", "document": "Văn bản", "years": "Năm", "rules": "Số quy định",
    },
    "en": {
        "report": "Report", "period": "Period", "window": "Data window", "due": "Due (as written)",
        "effective": "Effective due", "route": "Sender → recipient", "merged": "merged into",
        "projected": "projected (from the {edition} plan)", "title": "{plan} — {issuer}, {document}, year {year}",
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
        "plan": d.plan, "report": d.report, "title": d.title, "period": d.period,
        "due": iso(d.due), "effective_due": iso(d.effective_due),
        "window_start": iso(d.window_start), "window_end": iso(d.window_end),
        "merged_into": d.merged_into, "sender": d.sender, "recipient": d.recipient,
        "source": {"section": d.source.section, "quote": d.source.quote, "erratum": d.source.erratum},
        "projected": d.projected,
    }


def to_json(schedule: Schedule, rows: Iterable[Deadline]) -> str:
    payload = {"plan": schedule.plan.id, "year": schedule.year, "deadlines": [deadline_record(d) for d in rows]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Iterable[Deadline], excel: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JSON_KEYS)
    for d in rows:
        record = deadline_record(d)
        src = d.source
        record["source"] = f"{src.section}: {src.quote}" if src.section else src.quote
        writer.writerow(["" if record[k] is None else record[k] for k in JSON_KEYS])
    text = buffer.getvalue()
    # Excel only reads UTF-8 Vietnamese correctly with a BOM; other tools dislike it
    return ("\ufeff" + text) if excel else text


def console(stderr: bool = False):
    """A Rich console that is plain when piped or when NO_COLOR is set."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    width = None if tty or os.environ.get("COLUMNS") else 200  # piped output: don't wrap at 80
    return Console(file=stream, width=width, no_color=bool(os.environ.get("NO_COLOR")) or None,
                   highlight=False, emoji=False)


def _route(d: Deadline) -> str:
    if d.sender and d.recipient:
        return f"{d.sender} → {d.recipient}"
    return d.sender or d.recipient or ""


def deadlines_table(schedule: Schedule, rows: list[Deadline], lang: str, out) -> None:
    from rich import box
    from rich.table import Table

    L = LABELS[lang]
    plan = schedule.plan
    tty = out.is_terminal
    table = Table(
        title=L["title"].format(plan=plan.id, issuer=plan.issuer, document=plan.document, year=schedule.year),
        box=box.SIMPLE_HEAD if tty else box.ASCII2, show_lines=False, title_justify="left",
    )
    for key in ("report", "period", "window", "due", "effective", "route"):
        table.add_column(L[key], overflow="fold")
    titles = {r.id: r.title for r in plan.rules}
    for d in rows:
        report = f"{d.title}\n[dim]{d.report}[/dim]" if tty else f"{d.title} ({d.report})"
        if d.merged_into:
            target_id, _, target_period = d.merged_into.partition(":")
            due = f"{L['merged']} {titles.get(target_id, target_id)} ({target_period})"
            table.add_row(report, d.period, "", due, "", _route(d), style="dim" if tty else None)
            continue
        window = f"{fmt_date(d.window_start, lang, False)} – {fmt_date(d.window_end, lang, False)}" if d.window_start else ""
        effective = fmt_date(d.effective_due, lang) if d.moved else ""
        table.add_row(report, d.period, window, fmt_date(d.due, lang),
                      f"[bold]{effective}[/bold]" if (effective and tty) else effective, _route(d))
    if schedule.projected:
        table.caption = L["projected"].format(edition=plan.year)
    out.print(table)
    if not rows:
        out.print(L["none"])


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
