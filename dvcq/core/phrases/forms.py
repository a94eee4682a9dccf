"""Canonical forms of the structured rules, and the canonical phrase written for each."""
from __future__ import annotations

import calendar
import datetime as dt

from dvcq.core.model import FREQUENCIES
from dvcq.core.phrases.vocabulary import (MAX_COUNT, MONTHS_PER_PERIOD, RENDER_ANCHOR, RENDER_COUNT_BY,
                                          RENDER_KIND, RENDER_NO_WINDOW, RENDER_PERIOD, RENDER_PERIOD_END,
                                          RENDER_YEAR_OFFSET, YEARS)

def _check_every(every: str) -> int:
    if every not in FREQUENCIES:
        raise ValueError(f"unknown frequency {every!r}: one of {', '.join(FREQUENCIES)}")
    return MONTHS_PER_PERIOD[every]


# ================================================================================================
# Canonical forms
# ================================================================================================


def _relative(day, period_month: int | None, months_offset: int, months: int) -> dict:
    """One spelling for each month a period-relative ref can name. The engine clamps
    period_month into the period, then adds months_offset; we do the same, then write the month
    as: inside the period, period_month (the last month by default); after it, months_offset
    from the last month; before it, months_offset from the first. A monthly period has one month,
    so any offset is counted from period_month 1 and an unshifted ref names no month at all."""
    pm = -1 if period_month is None else period_month
    index = pm - 1 if pm > 0 else months + pm
    index = max(0, min(months - 1, index)) + months_offset
    ref = {"day": day}
    if months == 1:
        if index:
            ref.update(period_month=1, months_offset=index)
    elif index < 0:
        ref.update(period_month=1, months_offset=index)
    elif index < months - 1:
        ref["period_month"] = index + 1
    elif index > months - 1:
        ref["months_offset"] = index - (months - 1)
    return ref


def _int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    return value


def _day_value(ref: dict):
    day = ref.get("day")
    if day == "last":
        return day
    day = _int(day, "'day'")
    if not 1 <= day <= 31:
        raise ValueError(f"'day' is 1-31 or 'last', not {day}")
    return day


def _only(ref: dict, allowed: set[str], form: str) -> None:
    extra = set(ref) - allowed
    if extra:
        raise ValueError(f"{form} takes {', '.join(sorted(allowed))}; not {', '.join(sorted(extra))}")


def _normalise_ref(ref, every: str, counts: bool) -> dict:
    months = _check_every(every)
    if not isinstance(ref, dict):
        raise ValueError(f"a day is a mapping, not {ref!r}")
    if "date" in ref:
        _only(ref, {"date"}, "a written date")
        date = ref["date"]
        if not isinstance(date, dt.date):
            raise ValueError(f"'date' must be a date, not {date!r}")
        if not YEARS[0] <= date.year <= YEARS[1]:
            raise ValueError(f"years are {YEARS[0]}-{YEARS[1]}, not {date.year}")
        return {"date": dt.date(date.year, date.month, date.day)}
    if "after" in ref:
        if not counts:
            raise ValueError("a data window is bounded by calendar days, not by a count of days")
        _only(ref, {"after", "days", "working_days"}, "a count of days")
        after = ref["after"]
        if isinstance(after, dict):  # counted from a day the text names: "kể từ ngày 25 hằng tháng"
            if "after" in after:
                raise ValueError("a count of days starts from a day, not from another count of days")
            after = _normalise_ref(after, every, counts=False)
        elif after not in RENDER_ANCHOR:
            raise ValueError(f"'after' is one of {', '.join(RENDER_ANCHOR)} or a day, not {after!r}")
        units = [k for k in ("days", "working_days") if k in ref]
        if len(units) != 1:
            raise ValueError("a count of days gives exactly one of 'days', 'working_days'")
        n = _int(ref[units[0]], f"'{units[0]}'")
        if not 1 <= n <= MAX_COUNT:
            raise ValueError(f"'{units[0]}' is 1-{MAX_COUNT}, not {n}")
        return {"after": after, units[0]: n}
    day = _day_value(ref)
    if "month" in ref:
        _only(ref, {"day", "month", "year_offset"}, "a day and month")
        month = _int(ref["month"], "'month'")
        if not 1 <= month <= 12:
            raise ValueError(f"'month' is 1-12, not {month}")
        if day != "last" and day > calendar.monthrange(2024, month)[1]:
            raise ValueError(f"month {month} has no day {day}")
        out = {"day": day, "month": month}
        year_offset = _int(ref.get("year_offset", 0), "'year_offset'")
        if year_offset:
            out["year_offset"] = year_offset
        return out
    _only(ref, {"day", "period_month", "months_offset"}, "a day of the period")
    pm = ref.get("period_month")
    if pm is not None and (_int(pm, "'period_month'") == 0 or abs(pm) > 12):
        raise ValueError("'period_month' counts months of the period: 1 the first, -1 the last")
    return _relative(day, pm, _int(ref.get("months_offset", 0), "'months_offset'"), months)


def normalise_day(ref: dict, every: str) -> dict:
    """The canonical DAYREF of a calendar day (no count of days)."""
    return _normalise_ref(ref, every, counts=False)


def normalise_due(due: dict, every: str) -> dict:
    """The one canonical dict for a DUE: defaults dropped, equivalent months written one way."""
    if not isinstance(due, dict) or len(due) != 1 or next(iter(due)) not in RENDER_KIND:
        raise ValueError(f"a deadline is {{before: DAY}} or {{by: DAY}}, not {due!r}")
    (kind, ref), = due.items()
    return {kind: _normalise_ref(ref, every, counts=True)}


def normalise_window(window, every: str) -> dict | str:
    """The canonical WINDOW: "none", or from/to with "to" always present ("due" if missing)."""
    if window == "none":
        _check_every(every)
        return "none"
    if not isinstance(window, dict) or "from" not in window or set(window) - {"from", "to"}:
        raise ValueError(f"a data window is 'none' or {{from: DAY, to: due | DAY}}, not {window!r}")
    end = window.get("to", "due")
    return {"from": _normalise_ref(window["from"], every, counts=False),
            "to": "due" if end == "due" else _normalise_ref(end, every, counts=False)}


# ================================================================================================
# Rendering: the canonical phrase for a canonical form
# ================================================================================================


def _render_months_away(k: int, every: str) -> str:
    if MONTHS_PER_PERIOD[every] == 1:
        if k in (1, -1):
            return "tháng sau" if k > 0 else "tháng trước"
        return f"tháng thứ {abs(k)} {'sau' if k > 0 else 'trước'} tháng báo cáo"
    unit = RENDER_PERIOD[every]
    if abs(k) == 1 and unit != "kỳ báo cáo":
        # the natural wording: the first month of the next quarter, the last of the one before
        return f"tháng đầu {unit} sau" if k > 0 else f"tháng cuối {unit} trước"
    where = "sau" if k > 0 else "trước"
    return f"tháng {where} kỳ báo cáo" if abs(k) == 1 else f"tháng thứ {abs(k)} {where} kỳ báo cáo"


def _render_month(ref: dict, every: str) -> str:
    pm, off = ref.get("period_month"), ref.get("months_offset", 0)
    if off:
        return _render_months_away(off, every)
    if MONTHS_PER_PERIOD[every] == 1:
        return "tháng báo cáo"
    unit = RENDER_PERIOD[every]
    if pm is None:
        return f"tháng cuối {unit}"
    return f"tháng đầu {unit}" if pm == 1 else f"tháng thứ {pm} của {unit}"


def _render_ref(ref: dict, every: str) -> str:
    if "date" in ref:
        d = ref["date"]
        return f"ngày {d.day}/{d.month}/{d.year}"
    if "after" in ref:
        raise ValueError("a count of days is rendered with its deadline")  # see _render_count
    day = ref["day"]
    if "month" in ref:
        offset = ref.get("year_offset", 0)
        if offset not in RENDER_YEAR_OFFSET:
            raise ValueError(f"year_offset {offset} has no wording (only -1, 0, 1)")
        head = f"ngày cuối tháng {ref['month']}" if day == "last" else f"ngày {day}/{ref['month']}"
        return head + RENDER_YEAR_OFFSET[offset]
    return f"ngày {'cuối' if day == 'last' else day} {_render_month(ref, every)}"


def _render_count(kind: str, ref: dict, every: str) -> str:
    after = ref["after"]
    anchor = (_render_ref(after, every) if isinstance(after, dict)
              else RENDER_ANCHOR[after].format(period=RENDER_PERIOD_END[every]))
    working = "working_days" in ref
    n = ref["working_days" if working else "days"]
    unit = "ngày làm việc" if working else "ngày"
    if kind == "before":
        return f"{RENDER_KIND['before']} {unit} thứ {n} kể từ {anchor}"
    return f"{RENDER_COUNT_BY} {n} {unit} kể từ {anchor}"


def render_due(due: dict, every: str) -> str:
    """A canonical Vietnamese phrase for ``due``; ``parse_due`` reads it back to the same form."""
    (kind, ref), = normalise_due(due, every).items()
    if "after" in ref:
        return _render_count(kind, ref, every)
    return f"{RENDER_KIND[kind]} {_render_ref(ref, every)}"


def render_window(window, every: str) -> str:
    """A canonical phrase for ``window``; ``parse_window`` reads it back to the same form."""
    window = normalise_window(window, every)
    if window == "none":
        return RENDER_NO_WINDOW
    end = "ngày báo cáo" if window["to"] == "due" else _render_ref(window["to"], every)
    return f"số liệu từ {_render_ref(window['from'], every)} đến {end}"
