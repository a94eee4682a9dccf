"""Read plan YAML into typed `Plan` objects, collecting located problems like pre-commit does.

`read_plan` returns the plan (or None) and every schema problem found, each pointing at the
YAML node at fault; `load_plan` raises `PlanError` when any of them is an error.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from pathlib import Path
from typing import Any

from dvcq.planfiles import planformat as fmt
from dvcq.planfiles import yamlpos
from dvcq.core.errors import PlanError, Problem
from dvcq.core.messages import Said  # a problem said in the run's language where it is printed
from dvcq.planfiles.files import UNITS_LIMIT, read_capped, shown_key
from dvcq.core.model import (DECREE_09_WINDOW, FIRST_YEAR, FREQUENCIES, FREQUENCY, LAST_YEAR, PERIOD_EXAMPLES, ROLLS, DayRef, Due,
                    Period, Plan, PlanEnd, Rule, Source, Unit, Window, parse_date_text)

# The keys each mapping may have, as the format declares them (dvcq/planformat.py)
PLAN_KEYS, REPORT_KEYS, TASK_KEYS = fmt.PLAN.names, fmt.REPORT.names, fmt.TASK.names
DUE_KEYS, WINDOW_KEYS, DAYREF_KEYS = fmt.DUE.names, fmt.WINDOW.names, fmt.DAYREF.names
SOURCE_KEYS, UNIT_KEYS = fmt.SOURCE.names, fmt.UNIT.names
ID_RE = re.compile(fmt.ID_PATTERN)
_MISSING = object()
ANCHORS = ("period-end", "window-end")
WINDOW_KEYWORDS = ("none", "decree-09")
# A units file may list every commune of the country (tens of thousands of bodies): larger bounds
# than a plan's, still bounded.
UNITS_NODES = 2_000_000
_UNREAD = object()  # a phrase that could not be read: its error is already reported
# Offsets and counts that keep every computed date within FIRST_YEAR..LAST_YEAR for plans of
# 1990-2100: generous for any real plan text, small enough that no date arithmetic overflows.
MAX_YEAR_OFFSET, MAX_MONTHS_OFFSET, MAX_COUNT = 10, 120, 3660


class _Reader:
    """Walks the loaded document, turning values into model fields and mistakes into Problems."""

    def __init__(self, doc: yamlpos.Located, file: str):
        self.doc, self.file = doc, file
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------
    def error(self, path, code: str, message: str, *, key: bool = False) -> None:
        line, col = self.doc.where_key(path) if key else self.doc.where(path)
        said = (message.msg_id, message.values) if isinstance(message, Said) else (None, None)
        self.problems.append(Problem(self.file, line, col, "error", code, str(message), *said))

    def invalid(self, value: yamlpos.InvalidScalar, path) -> None:
        if value.is_date:
            self.error(path, "bad-date", Said("plan.not_real_date", name=self.name(path), text=value.text, reason=value.reason))
        else:
            self.error(path, "bad-value", Said("plan.not_valid", name=self.name(path), text=value.text,
                                               tag=value.tag.rsplit(':', 1)[-1], reason=value.reason))

    def name(self, path) -> str:
        return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(".[", "[")

    # -- typed getters ---------------------------------------------------------------------
    def mapping(self, value, path, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, "wrong-type", Said("plan.must_be_mapping", name=self.name(path) or Said("plan.the_file"),
                                                kind=_kind(value)))
            return None
        for key in value:
            if key not in allowed:
                hint = _close(str(key), sorted(allowed))
                tip = Said("plan.did_you_mean", hint=hint[0]) if hint else Said("plan.expected_one_of", keys=", ".join(sorted(allowed)))
                self.error(path + (key,), "unknown-key", Said("plan.unknown_key", key=shown_key(key),
                                                              where=self.name(path) or Said("plan.the_plan"), tip=tip), key=True)
        return value

    def get(self, mapping: dict, path, key: str, types, *, required=False, default=None):
        value = mapping.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(path, "missing-field", Said("plan.needs", name=self.name(path) or Said("plan.the_plan"), key=key))
            return default
        if isinstance(value, yamlpos.InvalidScalar):
            self.invalid(value, path + (key,))
            return default
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
            wanted = [_type_name(t) for t in _tuple(types)]
            want = Said("kind.text") if str in _tuple(types) else wanted[0] if len(wanted) == 1 else Said("plan.or", a=wanted[0], b=wanted[1])
            self.error(path + (key,), "wrong-type", Said("plan.must_be", name=self.name(path + (key,)), want=want, kind=_kind(value)))
            return default
        return value

    def text(self, mapping, path, key, *, required=False) -> str | None:
        value = self.get(mapping, path, key, (str, int, float), required=required)
        return None if value is None else str(value).strip()

    def codes(self, mapping, path) -> tuple[str, ...]:
        value = self.get(mapping, path, "ignore", (list, str), default=[])
        items = [value] if isinstance(value, str) else value
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.error(path + ("ignore", i), "wrong-type", Said("plan.ignore_text"))
            else:
                out.append(item)
        return tuple(out)

    def date(self, value, path) -> dt.date | None:
        if isinstance(value, yamlpos.InvalidScalar):
            self.invalid(value, path)
            return None
        day = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            day = parse_date_text(value)
            if day is None:
                self.error(path, "bad-date", Said("plan.date_text", name=self.name(path), text=value))
                return None
        else:
            self.error(path, "wrong-type", Said("plan.must_be_date", name=self.name(path), kind=_kind(value)))
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.error(path, "bad-value", Said("plan.outside_years", name=self.name(path), first=FIRST_YEAR, last=LAST_YEAR,
                                               day=f"{day.day:02d}/{day.month:02d}/{day.year:04d}"))
            return None
        return day

    # -- plan parts ------------------------------------------------------------------------
    def dayref(self, value, path, years: tuple[int, ...]) -> DayRef | None:
        m = self.mapping(value, path, DAYREF_KEYS)
        if m is None:
            return None
        forms = [k for k in ("date", "month", "period_month", "after") if m.get(k) is not None]
        if len(forms) > 1:
            self.error(path, "bad-value", Said("plan.mixes", name=self.name(path),
                                               forms=Said("plan.both", a=forms[0], b=" and ".join(forms[1:]))))
            return None
        if "after" in m:
            return self.counted(m, path, years)
        if "date" in m:
            if "day" in m:
                self.error(path + ("day",), "bad-value", Said("plan.day_with_date", name=self.name(path)))
            day = self.date(m["date"], path + ("date",))
            return DayRef(date=day) if day else None
        day = m.get("day", _MISSING)
        if day is _MISSING or day is None:
            self.error(path, "missing-field", Said("plan.needs_day", name=self.name(path)))
            return None
        if day != "last" and (not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 31):
            self.error(path + ("day",), "bad-date", Said("plan.not_a_day", name=self.name(path + ('day',)), day=day))
            return None
        month = self.get(m, path, "month", int)
        year_offset = self.bounded(m, path, "year_offset", MAX_YEAR_OFFSET)
        period_month = self.get(m, path, "period_month", int)
        months_offset = self.bounded(m, path, "months_offset", MAX_MONTHS_OFFSET)
        if year_offset is None or months_offset is None:
            return None
        if month is not None:
            if not 1 <= month <= 12:
                self.error(path + ("month",), "bad-date", Said("plan.not_a_month", name=self.name(path + ('month',)), month=month))
                return None
            if isinstance(day, int):
                # a fixed day/month must exist in every year it is used for, 29/2 included
                for year in years or (2024,):
                    y = year + year_offset
                    if day > _cal.monthrange(y, month)[1]:
                        self.error(path + ("day",), "bad-date", Said("plan.no_such_day", name=self.name(path), day=day, month=month, year=y))
                        return None
            if months_offset:
                self.error(path + ("months_offset",), "bad-value", Said("plan.months_offset_fixed"))
        else:
            if period_month is None:
                period_month = -1  # "ngày N" alone: of the period's last month (its only month, if monthly)
            if period_month == 0 or abs(period_month) > 12:
                self.error(path + ("period_month",), "bad-value", Said("plan.period_month_range"))
                return None
            if year_offset:
                self.error(path + ("year_offset",), "bad-value", Said("plan.year_offset_period"))
        return DayRef(day=day, month=month, year_offset=year_offset, period_month=period_month, months_offset=months_offset)

    def counted(self, m: dict, path, years: tuple[int, ...] = ()) -> DayRef | None:
        """"N (working) days from the end of the period / from the data cut-off / from a named day"."""
        anchor = m["after"]
        named = None
        if isinstance(anchor, dict):  # "kể từ ngày 25 hằng tháng": counted from a day the text names
            if any(anchor.get(k) is not None for k in ("after", "days", "working_days")):
                self.error(path + ("after",), "bad-value", Said("plan.count_from_count", name=self.name(path)))
                return None
            named = self.dayref(anchor, path + ("after",), years)
            if named is None:
                return None
            anchor = "day"
        elif anchor not in ANCHORS:
            self.error(path + ("after",), "bad-value", Said("plan.anchor", anchor=anchor, known=", ".join(ANCHORS)))
            return None
        count_key = self.one_of(m, path, ("days", "working_days"), "plan.count_named_needs" if named else "plan.count_after_needs",
                                anchor=anchor)
        if count_key is None:
            return None
        stray = [k for k in ("day", "month", "year_offset", "period_month", "months_offset") if k in m]
        if stray:
            self.error(path + (stray[0],), "bad-value", Said("plan.stray_with_after", name=self.name(path), key=stray[0]))
            return None
        count = self.bounded(m, path, count_key, MAX_COUNT)
        if count is None:
            return None
        if count < 1:
            self.error(path + (count_key,), "bad-value", Said("plan.count_days", key=count_key, count=count))
            return None
        return DayRef(after=anchor, count=count, working=count_key == "working_days", anchor=named)

    def bounded(self, m: dict, path, key: str, limit: int) -> int | None:
        """A whole number within ±limit (0 when absent), so every date it makes stays in range."""
        value = self.get(m, path, key, int, default=0)
        if abs(value) > limit:
            self.error(path + (key,), "bad-value", Said("plan.out_of_range", key=key, value=value, limit=limit))
            return None
        return value

    def phrase(self, m: dict, path, key: str, every: str | None):
        """A due date or window written in the plan's own words becomes the structured form the
        YAML can spell out; a phrase the grammar cannot read is an error at the word that stopped it."""
        value = m[key]
        if not isinstance(value, str) or value in WINDOW_KEYWORDS or every is None:
            return value
        from dvcq.core import phrases

        try:
            return (phrases.parse_due if key == "due" else phrases.parse_window)(value, every)
        except phrases.PhraseError as exc:
            line, col = self.doc.where(path + (key,))
            before = value[:exc.offset]
            line += before.count("\n")
            col = (len(before) - before.rfind("\n")) if "\n" in before else col + len(before) + ((path + (key,)) in self.doc.quoted)
            said = Said("plan.phrase", name=self.name(path + (key,)), why=exc.said)
            self.problems.append(Problem(self.file, line, col, "error", "unparsed-phrase", str(said), said.msg_id, said.values))
            return _UNREAD

    def due(self, value, path, years) -> Due | None:
        if value is _UNREAD:
            return None
        m = self.mapping(value, path, DUE_KEYS)
        if m is None:
            return None
        kind = self.one_of(m, path, ("before", "by"), "plan.due_needs")
        if kind is None:
            return None
        ref = self.dayref(m[kind], path + (kind,), years)
        return Due(kind, ref) if ref else None

    def one_of(self, m: dict, path, keys: tuple[str, ...], msg_id: str, **values) -> str | None:
        """The one key of `keys` the mapping has; none or several is an error at the mapping (message `msg_id`)."""
        present = [k for k in keys if k in m]
        if len(present) != 1:
            self.error(path, "missing-field" if not present else "bad-value", Said(msg_id, name=self.name(path), **values))
            return None
        return present[0]

    def window(self, value, path, years) -> Window | None:
        if value is _UNREAD:
            return None
        if value == "decree-09":
            return DECREE_09_WINDOW
        if value == "none":
            return None
        m = self.mapping(value, path, WINDOW_KEYS)
        if m is None:
            return None
        if "from" not in m:
            self.error(path, "missing-field", Said("plan.needs", name=self.name(path), key="from"))
            return None
        start = self.dayref(m["from"], path + ("from",), years)
        to = m.get("to", "due")
        end = None if to == "due" else self.dayref(to, path + ("to",), years)
        if start is None or (to != "due" and end is None):
            return None
        return Window(start=start, end=end, basis="plan")

    def source(self, m, path) -> Source:
        value = m.get("source")
        if value is None:
            return Source(section="", quote="")
        s = self.mapping(value, path + ("source",), SOURCE_KEYS)
        if s is None:
            return Source(section="", quote="")
        sp = path + ("source",)
        return Source(section=self.text(s, sp, "section") or "", quote=self.text(s, sp, "quote") or "",
                      erratum=self.text(s, sp, "erratum"))

    def report(self, value, path, years) -> Rule | None:
        m = self.mapping(value, path, REPORT_KEYS)
        if m is None:
            return None
        rid = self.text(m, path, "id", required=True)
        if rid is not None and not ID_RE.match(rid):
            self.error(path + ("id",), "bad-value", Said("plan.report_id", id=rid))
        every = self.text(m, path, "every", required=True)
        if every is not None and every not in FREQUENCIES:
            hint = _close(every, FREQUENCIES)
            self.error(path + ("every",), "unknown-frequency", Said("plan.unknown_frequency", every=every, known=", ".join(FREQUENCIES),
                                                                    tip=Said("plan.did_you_mean", hint=hint[0]) if hint else ""))
            every = None
        dated = every is None or FREQUENCY[every].dated
        due = self.due(self.phrase(m, path, "due", every), path + ("due",), years) if m.get("due") is not None else None
        if m.get("due") is None and dated:
            self.error(path, "missing-field", Said("plan.needs", name=self.name(path), key="due"))
        elif m.get("due") is not None and not dated:
            self.error(path + ("due",), "bad-value", Said("plan.on_request_due", name=self.name(path)))
            due = None
        periods = None
        raw_periods = self.get(m, path, "periods", list)
        if raw_periods is not None and every:
            n = FREQUENCY[every].count
            good = []
            for i, p in enumerate(raw_periods):
                if not isinstance(p, int) or isinstance(p, bool) or not 1 <= p <= n:
                    self.error(path + ("periods", i), "bad-value", Said("plan.periods", number=p, every=every, count=n))
                else:
                    good.append(p)
            periods = tuple(sorted(set(good)))
        if "window" in m:
            window = self.window(self.phrase(m, path, "window", every), path + ("window",), years)
        else:
            # Decree 09/2019/NĐ-CP art. 12 applies where the plan is silent; one-offs have no window
            window = DECREE_09_WINDOW if every is not None and FREQUENCY[every].recurring and dated else None
        if window and window.end is None and due and due.ref.after == "window-end":
            self.error(path + ("window", "to"), "bad-value",
                       Said("plan.window_circular"))
            window = None
        if window is None and due and due.ref.after == "window-end":
            # "kể từ ngày chốt số liệu" with no data window to count from (a one-off has none)
            self.error(path + ("due",), "bad-reference",
                       Said("plan.due_no_window", name=self.name(path)))
            due = None
        # the periods folded into a longer report (lồng ghép): months, quarters or halves, by number
        merged: dict[int, str] = {}
        raw_merged = self.get(m, path, "merged", dict, default={})
        count = FREQUENCY[every].count if every in FREQUENCY and FREQUENCY[every].recurring else 1
        if raw_merged and count == 1:
            self.error(path + ("merged",), "bad-value", Said("plan.merged_not_within_year", every=every))
            raw_merged = {}
        for number, target in raw_merged.items():
            mp = path + ("merged", number)
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= count:
                self.error(mp, "bad-value", Said("plan.merged_period", number=number, every=every, count=count), key=True)
            elif not isinstance(target, str):
                self.error(mp, "wrong-type", Said("plan.merged_period_target", number=number))
            else:
                merged[number] = target
        roll = self.text(m, path, "roll")
        if roll is not None and roll not in ROLLS:
            self.error(path + ("roll",), "bad-value", Said("plan.roll", roll=roll, known=", ".join(ROLLS)))
            roll = None
        if rid is None or every is None or (due is None and dated):
            return None
        return Rule(
            id=rid, title=self.text(m, path, "title", required=True) or rid, every=every, due=due,
            source=self.source(m, path), sender=self.text(m, path, "sender"),
            recipient=self.text(m, path, "recipient"), periods=periods, window=window, merged=merged,
            feeds=self.text(m, path, "feeds"), roll=roll, note=self.text(m, path, "note"),
            ignore=self.codes(m, path), per_unit=self.get(m, path, "per_unit", bool, default=True),
            line=self.doc.where(path)[0], at=self.positions(path, m), review=self.text(m, path, "review"),
        )

    def task(self, value, path) -> Rule | None:
        m = self.mapping(value, path, TASK_KEYS)
        if m is None:
            return None
        tid = self.text(m, path, "id", required=True)
        if tid is not None and not re.fullmatch(r"task-\d+", tid):
            self.error(path + ("id",), "bad-value", Said("plan.task_id", id=tid))
        complete = self.get(m, path, "complete", list, required=True, default=[])
        periods = []
        for i, p in enumerate(complete):
            try:
                if not isinstance(p, (str, int)) or isinstance(p, bool):
                    raise ValueError(Said("period.not_a_period", text=p, examples=PERIOD_EXAMPLES))
                periods.append(Period.parse(str(p)))
            except ValueError as exc:
                self.error(path + ("complete", i), "bad-value", Said("plan.complete", why=exc.args[0] if exc.args else str(exc)))
        if tid is None:
            return None
        return Rule(
            id=tid, title=self.text(m, path, "title", required=True) or tid, every="once", due=None,
            source=self.source(m, path), sender=self.text(m, path, "lead"), lead=self.text(m, path, "lead"),
            partners=self.text(m, path, "partners"), task_periods=tuple(periods),
            note=self.text(m, path, "note") or self.text(m, path, "complete_text"),
            ignore=self.codes(m, path), line=self.doc.where(path)[0], at=self.positions(path, m), kind="task",
            review=self.text(m, path, "review"),
        )

    def units(self, value, path) -> tuple[Unit, ...]:
        """An inline list of units, or the path of a units file beside the plan."""
        if isinstance(value, str):
            units_path = (Path(self.file).parent / value)
            try:
                doc = yamlpos.load(read_capped(units_path, UNITS_LIMIT), str(units_path), UNITS_LIMIT, UNITS_NODES)
            except PlanError as exc:
                self.problems.extend(exc.problems)
                return ()
            sub = _Reader(doc, str(units_path))
            top = sub.mapping(doc.value or {}, (), fmt.UNITS_FILE.names)
            result = sub.unit_list((top or {}).get("units") or [], ("units",))
            self.problems.extend(sub.problems)
            return result
        return self.unit_list(value, path)

    def unit_list(self, value, path) -> tuple[Unit, ...]:
        if not isinstance(value, list):
            self.error(path, "wrong-type", Said("plan.units_list", name=self.name(path)))
            return ()
        out, seen = [], set()
        for i, item in enumerate(value):
            p = path + (i,)
            m = self.mapping(item, p, UNIT_KEYS)
            if m is None:
                continue
            uid = self.text(m, p, "id", required=True)
            if uid is None:
                continue
            if not ID_RE.match(uid):
                self.error(p + ("id",), "bad-value", Said("plan.unit_id", id=uid))
            if uid in seen:
                self.error(p + ("id",), "duplicate-id", Said("plan.unit_twice", id=uid))
            seen.add(uid)
            aliases = self.get(m, p, "aliases", list, default=[])
            start = self.date(m["from"], p + ("from",)) if m.get("from") is not None else None
            end = self.date(m["until"], p + ("until",)) if m.get("until") is not None else None
            if start and end and end < start:
                self.error(p + ("until",), "bad-value", Said("plan.unit_until", id=uid, end=end, start=start))
            out.append(Unit(id=uid, name=self.text(m, p, "name") or uid, kind=self.text(m, p, "kind") or "",
                            aliases=tuple(str(a) for a in aliases), start=start, end=end,
                            became=self.text(m, p, "became"), note=self.text(m, p, "note")))
        return tuple(out)

    def plan_end(self, value) -> PlanEnd | None:
        m = self.mapping(value, ("ends",), fmt.PLAN_END.names)
        if m is None:
            return None
        on = self.date(m["date"], ("ends", "date")) if m.get("date") is not None else None
        if on is None:
            if m.get("date") is None:
                self.error(("ends",), "missing-field", Said("plan.ends_date"))
            return None
        return PlanEnd(date=on, why=self.text(m, ("ends",), "why", required=True) or "",
                       successor=self.text(m, ("ends",), "successor"))

    def positions(self, path, m: dict) -> dict[str, tuple[int, int]]:
        """Where a rule's parts are, so later checks point at them without walking the YAML again."""
        at = {"rule": self.doc.where(path)}
        for key in m:
            at[str(key)] = self.doc.where(path + (key,))
        due = m.get("due")
        if isinstance(due, dict):
            kind = "before" if "before" in due else "by"
            ref = due.get(kind)
            at["due"] = self.doc.where(path + ("due", kind))
            # the written day itself: where a slip like 10/5/2023 is
            for key in ("date", "day", "month"):
                if isinstance(ref, dict) and key in ref:
                    at["due"] = self.doc.where(path + ("due", kind, key))
                    break
        return at

    def plan(self) -> Plan | None:
        value = self.doc.value
        if value is None:
            self.error((), "empty-file", Said("plan.empty"))
            return None
        m = self.mapping(value, (), PLAN_KEYS)
        if m is None:
            self.problems[-1] = Problem.of(self.file, 1, 1, "error", "not-a-mapping", "plan.top_level", kind=_kind(value))
            return None
        pid = self.text(m, (), "id", required=True)
        if pid is not None and not ID_RE.match(pid):
            self.error(("id",), "bad-value", Said("plan.plan_id", id=pid))
        raw_years = self.get(m, (), "years", (list, int), required=True, default=[])
        years = []
        for i, y in enumerate([raw_years] if isinstance(raw_years, int) else raw_years):
            if not isinstance(y, int) or isinstance(y, bool) or not 1990 <= y <= 2100:
                self.error(("years", i) if isinstance(raw_years, list) else ("years",), "bad-value", Said("plan.not_a_year", year=y))
            else:
                years.append(y)
        years_t = tuple(sorted(set(years)))
        issued = None
        issued_raw = m.get("issued")
        if issued_raw is not None:
            # "ngày tháng 3 năm 2024": a blank day is written 2024-03 and kept as month precision
            if isinstance(issued_raw, str) and re.fullmatch(r"\d{4}-\d{2}", issued_raw.strip()):
                y, mo = (int(x) for x in issued_raw.strip().split("-"))
                issued = dt.date(y, mo, 1) if 1 <= mo <= 12 and FIRST_YEAR <= y <= LAST_YEAR else None
                if issued is None:
                    self.error(("issued",), "bad-date", Said("plan.issued_month", text=issued_raw, first=FIRST_YEAR, last=LAST_YEAR))
            else:
                issued = self.date(issued_raw, ("issued",))
        roll = self.text(m, (), "roll") or "next"
        if roll not in ROLLS:
            self.error(("roll",), "bad-value", Said("plan.roll", roll=roll, known=", ".join(ROLLS)))
            roll = "next"
        rules: list[Rule] = []
        reports = self.get(m, (), "reports", list, default=[])
        for i, r in enumerate(reports):
            rule = self.report(r, ("reports", i), years_t)
            if rule:
                rules.append(rule)
        for i, t in enumerate(self.get(m, (), "tasks", list, default=[])):
            rule = self.task(t, ("tasks", i))
            if rule:
                rules.append(rule)
        if not reports and not m.get("tasks"):
            self.error((), "missing-field", Said("plan.no_rules"))
        self._cross_check(rules, m)
        errata = self.get(m, (), "errata", list, default=[])
        notes = self.get(m, (), "notes", list, default=[])
        end = self.plan_end(m["ends"]) if m.get("ends") is not None else None
        units = self.units(m["units"], ("units",)) if m.get("units") is not None else ()
        if pid is None or not years_t:
            return None
        return Plan(
            id=pid, issuer=self.text(m, (), "issuer", required=True) or "", document=self.text(m, (), "document") or "",
            issued=issued, issued_text=self.text(m, (), "issued_text") or (str(issued_raw) if issued_raw else ""),
            years=years_t, title=self.text(m, (), "title") or "", roll=roll, rules=tuple(rules),
            path=self.file, errata=tuple(str(e) for e in errata), ignore=self.codes(m, ()), units=units, end=end,
            units_file=str(Path(self.file).parent / m["units"]) if isinstance(m.get("units"), str) else None,
            notes=tuple(str(n) for n in notes),
            at={str(key): self.doc.where((key,)) for key in m},
        )

    def _cross_check(self, rules: list[Rule], m: dict) -> None:
        """References between rules: duplicate ids, merge targets, chain targets."""
        seen: dict[str, int] = {}
        by_id = {}
        index = {}
        for section in ("reports", "tasks"):
            items = m.get(section)
            for i, r in enumerate(items if isinstance(items, list) else []):
                if isinstance(r, dict) and isinstance(r.get("id"), str):
                    index.setdefault(r["id"], []).append((section, i))
        for rule in rules:
            if rule.id in seen:
                places = index.get(rule.id, [])
                path = (places[1][0], places[1][1], "id") if len(places) > 1 else ()
                self.error(path, "duplicate-id", Said("plan.duplicate_id", id=rule.id, line=seen[rule.id]))
            seen.setdefault(rule.id, rule.line)
            by_id[rule.id] = rule
        for rule in rules:
            section, i = index.get(rule.id, [("reports", 0)])[0]
            for number, target_id in rule.merged.items():
                target = by_id.get(target_id)
                path = (section, i, "merged", number)
                if target is None:
                    self.error(path, "bad-reference", Said("plan.merged_period_unknown", number=number, target=target_id))
                    continue
                # the target's period must end with this one: longer, recurring, and listed
                last = Period(rule.every, 2000, number).last_month
                into = Period.of_month(target.every, 2000, last) if target.recurring else None
                if (into is None or FREQUENCY[target.every].months <= FREQUENCY[rule.every].months
                        or into.last_month != last or (target.periods and into.number not in target.periods)):
                    self.error(path, "bad-reference", Said("plan.merged_period_no_period", number=number, target=target_id))
            if rule.feeds and rule.feeds not in by_id:
                self.error((section, i, "feeds"), "bad-reference", Said("plan.feeds_unknown", target=rule.feeds))


def _close(word: str, choices) -> list[str]:
    import difflib  # only when there is a typo to explain

    return difflib.get_close_matches(word, list(choices), n=1)


def _tuple(types) -> tuple:
    return types if isinstance(types, tuple) else (types,)


def _type_name(t) -> str:
    said = {str: "text", int: "whole", float: "number", list: "list", dict: "mapping", bool: "bool"}.get(t)
    return Said(f"kind.{said}") if said else t.__name__


def _kind(value: Any) -> str:
    if value is None:
        return Said("kind.nothing")
    if isinstance(value, bool):
        return Said("kind.bool")
    if isinstance(value, yamlpos.InvalidScalar):
        return Said("kind.invalid", text=value.text)
    said = {str: "text", int: "number", float: "number", list: "list", dict: "mapping"}.get(type(value))
    return Said(f"kind.{said}") if said else type(value).__name__


def read_plan(path: Path, data: bytes | None = None) -> tuple[Plan | None, list[Problem], yamlpos.Located | None]:
    """Parse and validate one plan file. Never raises for bad content: problems come back located."""
    name = str(path)
    try:
        raw = read_capped(path) if data is None else data
    except PlanError as exc:
        return None, exc.problems, None
    try:
        doc = yamlpos.load(raw, name)
    except PlanError as exc:
        return None, exc.problems, None
    reader = _Reader(doc, name)
    plan = reader.plan()
    return (plan if not reader.problems else None), reader.problems, doc


def load_plan(path: Path, data: bytes | None = None) -> Plan:
    plan, problems, _ = read_plan(path, data)
    errors = [p for p in problems if p.level == "error"]
    if errors or plan is None:
        raise PlanError(errors or problems)
    return plan
