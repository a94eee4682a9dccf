"""Dates as people read them (15/02/2024 (T5)) and as machines do (ISO)."""
from __future__ import annotations

import datetime as dt

from dvcq.core.messages import words


def fmt_date(day: dt.date | None, lang: str = "vi", weekday: bool = True) -> str:
    if day is None:
        return ""
    text = day.strftime("%d/%m/%Y")
    return f"{text} ({words(lang, 'weekday.short')[day.weekday()]})" if weekday else text


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
