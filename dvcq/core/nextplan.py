"""`dvcq plan next`: next year's plan file from this year's, the way a new plan is really written.

The new edition keeps every rule and moves each written date to the new year; the document number
and issue date are left for the user; units that ended before the new year are dropped; every rule
is marked for review with the previous wording kept (`review:`), which `dvcq check` warns about
until someone has compared it with the new document. Pure: a plan's raw YAML in, YAML text out.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re

from dvcq.core.model import Plan, Period, Unit

PLACEHOLDER_DOCUMENT = "(số văn bản: điền khi ban hành)"


def _shift(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, _cal.monthrange(year, day.month)[1]))  # 29/2 -> 28/2


def _shift_dates(value, years: int):
    """Every written date inside a due or window moves with the year; relative days stay as they are."""
    if isinstance(value, dt.date):
        return _shift(value, years)
    if isinstance(value, dict):
        return {k: _shift_dates(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, years) for v in value]
    return value


def _year_words(text, old: int, new: int):
    """'... năm 2024' -> '... năm 2027' in titles; other numbers are left alone."""
    return re.sub(rf"\b{old}\b", str(new), text) if isinstance(text, str) else text


def _unit_record(u: Unit) -> dict:
    out: dict = {"id": u.id, "name": u.name}
    if u.kind:
        out["kind"] = u.kind
    if u.aliases:
        out["aliases"] = list(u.aliases)
    if u.start:
        out["from"] = u.start
    if u.end:
        out["until"] = u.end
    if u.became:
        out["became"] = u.became
    if u.note:
        out["note"] = u.note
    return out


def next_edition(plan: Plan, raw: dict, year: int) -> dict:
    """The next edition's plan as plain YAML data."""
    shift = year - plan.year
    out: dict = {}
    for key, value in raw.items():
        if key in ("issued", "issued_text", "errata", "seed", "ends", "ignore"):
            continue  # facts of the old document, not of the new one
        if key == "years":
            out["years"] = [year]
        elif key == "document":
            out["document"] = PLACEHOLDER_DOCUMENT
        elif key == "title":
            out["title"] = _year_words(value, plan.year, year)
        elif key == "units":
            first_day = dt.date(year, 1, 1)
            out["units"] = [_unit_record(u) for u in plan.units if u.end is None or u.end >= first_day]
        elif key in ("reports", "tasks"):
            out[key] = [_next_rule(item, shift, plan.year, year) for item in value]
        else:
            out[key] = value
    if "document" not in out:
        out["document"] = PLACEHOLDER_DOCUMENT
    return out


def _next_rule(item: dict, shift: int, old: int, new: int) -> dict:
    rule: dict = {}
    source = dict(item.get("source") or {})
    for key, value in item.items():
        if key in ("due", "window"):
            rule[key] = _shift_dates(value, shift)
        elif key in ("title", "complete_text"):
            rule[key] = _year_words(value, old, new)
        elif key == "complete":
            rule[key] = [_next_period(p, shift) for p in value]
        elif key in ("source", "review"):
            continue
        else:
            rule[key] = value
    # the old wording stays beside the rule until someone checks it against the new document
    rule["review"] = str(source.get("quote") or item.get("review") or "")
    source.pop("erratum", None)  # the old document's slip is not the new one's
    if source:
        rule["source"] = source
    return rule


def _next_period(label, shift: int) -> str:
    period = Period.parse(str(label))
    moved = Period(period.every, period.year + shift, period.number)
    return moved.label


def to_yaml(plan: Plan, data: dict, year: int) -> str:
    import yaml

    head = (f"# Next edition of {plan.id} ({plan.document}, {plan.year}), written by `dvcq plan next` for {year}.\n"
            f"# To do before use: the document number and issue date (document:, issued:, issued_text:);\n"
            f"# each rule against the new text: update source.quote, then delete its 'review:' line\n"
            f"# (`dvcq check` warns on each rule still marked). Editors: `dvcq schema > plan.schema.json`.\n")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
    return head + body


# Resolution 202/2025/QH15: local government has two levels from 01/07/2025; no district (huyện) level
DISTRICT_LEVEL_ENDED = dt.date(2025, 7, 1)


def gone_leads(plan, year: int, lang: str = "vi") -> list[tuple[str, str, str]]:
    """(task id, lead, why) for each key task whose lead names a body that no longer exists in
    `year`: a unit of the plan that ended before it, or the district level the 2025 reform abolished."""
    from dvcq.core.messages import say
    from dvcq.core.text import fold

    first = dt.date(year, 1, 1)
    out = []
    for rule in plan.rules:
        if not rule.is_task or not rule.lead:
            continue
        lead = fold(rule.lead)
        ended = [u for u in plan.units if u.end is not None and u.end < first and fold(u.name) in lead]
        if ended:
            def now(u) -> str:
                if not u.became:
                    return ""
                successor = plan.unit(u.became)
                return say(lang, "note.gone-lead.became", name=successor.name if successor else u.became)
            why = "; ".join(say(lang, "note.gone-lead.unit", name=u.name, end=f"{u.end:%d/%m/%Y}", became=now(u))
                            for u in ended)
            out.append((rule.id, rule.lead, why))
        elif first > DISTRICT_LEVEL_ENDED and re.search(r"\bhuyen\b", lead):
            out.append((rule.id, rule.lead, say(lang, "note.gone-lead.district")))
    return out
