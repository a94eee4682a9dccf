"""The plan file format, declared once as data.

Each mapping a plan file has is a `Shape`: its keys, which are required, what each value may be
(a JSON Schema fragment, which may hold other shapes). The loader takes its allowed and required
keys from here, and `dvcq schema` (with the shipped `dvcq/data/plan.schema.json`) is generated
from the same declaration, so the two cannot drift apart. Meaning, positions and cross-references
are the loader's; this module only says what may be written where.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dvcq.core.model import FREQUENCIES, PERIOD_SYNTAX, ROLLS

ID_PATTERN = "^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True)
class Key:
    name: str
    value: Any  # a JSON Schema fragment; Shapes inside it are expanded
    required: bool = False


@dataclass(frozen=True)
class Shape:
    title: str
    keys: tuple[Key, ...]
    doc: str = ""
    extra: tuple[tuple[str, Any], ...] = ()  # more JSON Schema keywords for the mapping itself
    also: tuple[str, ...] = ()  # JSON types allowed instead of the mapping ("string": a phrase)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(k.name for k in self.keys)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if k.required)

    def json(self, codes: list[str]) -> dict:
        out: dict = {"type": ["object", *self.also] if self.also else "object", "additionalProperties": False}
        if self.doc:
            out["description"] = self.doc
        if self.required:
            out["required"] = list(self.required)
        out["properties"] = {k.name: _expand(k.value, codes) for k in self.keys}
        out.update(dict(self.extra))
        return out


CODES = object()  # placeholder for the list of check codes, filled in when the schema is built


def _expand(value, codes: list[str]):
    if isinstance(value, Shape):
        return value.json(codes)
    if value is CODES:
        return {"type": "array", "items": {"type": "string", "enum": codes}}
    if isinstance(value, dict):
        return {k: _expand(v, codes) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, codes) for v in value]
    return value


DATE = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": r"^\d{1,2}/\d{1,2}/\d{4}$"}]}
TEXT = {"type": ["string", "number"]}
STRING = {"type": "string"}
ID = {"type": "string", "pattern": ID_PATTERN}

_CALENDAR_DAY = (
    Key("day", {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 31}, {"const": "last"}]}),
    Key("date", DATE),
    Key("month", {"type": "integer", "minimum": 1, "maximum": 12}),
    Key("year_offset", {"type": "integer"}),
    Key("period_month", {"type": "integer", "minimum": -12, "maximum": 12, "not": {"const": 0}}),
    Key("months_offset", {"type": "integer"}),
)
NAMED_DAY = Shape("named day", _CALENDAR_DAY,
                  doc="The day a count starts from, named as the text names it ('kể từ ngày 25 hằng tháng': "
                      "{day: 25}; 'kể từ ngày 30/6': {day: 30, month: 6}).")
DAYREF = Shape("day", (
    *_CALENDAR_DAY,
    Key("after", {"anyOf": [{"enum": ["period-end", "window-end"]}, NAMED_DAY]}),
    Key("days", {"type": "integer", "minimum": 1}),
    Key("working_days", {"type": "integer", "minimum": 1}),
), doc="A day: {date} as written, {day, month[, year_offset]} for a fixed day of the year, "
       "{day[, period_month][, months_offset]} counted within the period, or {after, days | working_days} "
       "counted from the period's end, the data cut-off or a named day (from the day after it).")

DUE = Shape("due", (Key("before", DAYREF), Key("by", DAYREF)),
            doc="before = 'trước ngày' (exclusive); by = 'chậm nhất' (inclusive)",
            extra=(("minProperties", 1), ("maxProperties", 1)), also=("null",))
WINDOW = Shape("window", (Key("from", DAYREF, required=True), Key("to", {"anyOf": [{"const": "due"}, DAYREF]})))
SOURCE = Shape("source", (Key("section", TEXT), Key("quote", STRING), Key("erratum", STRING)))

REPORT = Shape("report", (
    Key("id", ID, required=True),
    Key("title", STRING, required=True),
    Key("every", {"enum": list(FREQUENCIES)}, required=True),
    Key("periods", {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}}),
    Key("due", DUE),  # required, except for every: on-request (no deadline of its own)
    Key("window", {"anyOf": [{"enum": ["decree-09", "none"]}, WINDOW]}),
    Key("merged", {"type": "object", "additionalProperties": {"type": "string"},
                   "propertyNames": {"pattern": "^(1[0-2]|[1-9])$"}}),
    Key("sender", TEXT), Key("recipient", TEXT), Key("feeds", STRING),
    Key("roll", {"enum": list(ROLLS)}),
    Key("source", SOURCE), Key("note", STRING), Key("ignore", CODES),
    Key("per_unit", {"type": "boolean", "description": "false: sent by one body, not by every unit"}),
    Key("review", {**STRING, "description": "the previous edition's wording, kept until the rule is reviewed"}),
))
UNIT = Shape("unit", (
    Key("id", ID, required=True), Key("name", STRING), Key("kind", STRING),
    Key("aliases", {"type": "array", "items": STRING, "description": "how registers write the name"}),
    Key("from", {**DATE, "description": "first day the body existed"}),
    Key("until", {**DATE, "description": "last day the body existed"}),
    Key("became", {**STRING, "description": "its successor: a unit id of this file, or a name"}),
    Key("note", STRING),
))
UNITS_FILE = Shape("units file", (Key("units", {"type": "array", "items": UNIT}),))
TASK = Shape("task", (
    Key("id", {"type": "string", "pattern": r"^task-\d+$"}, required=True),
    Key("title", STRING, required=True),
    Key("lead", TEXT), Key("partners", TEXT),
    Key("complete", {"type": "array", "items": {"type": ["string", "integer"], "pattern": f"^{PERIOD_SYNTAX}$"}},
        required=True),
    Key("complete_text", STRING), Key("source", SOURCE), Key("note", STRING), Key("ignore", CODES),
    Key("review", STRING),
))
PLAN_END = Shape("ends", (
    Key("date", {**DATE, "description": "the last day the plan applies"}, required=True),
    Key("why", STRING, required=True),
    Key("successor", {**STRING, "description": "a plan id, or the body or document that took over"}),
), doc="When the plan stops applying, why, and what replaced it.")
PLAN = Shape("plan", (
    Key("id", ID, required=True),
    Key("issuer", STRING, required=True),
    Key("document", STRING),
    Key("issued", {"anyOf": [DATE, {"type": "string", "pattern": r"^\d{4}-\d{2}$"}]}),
    Key("issued_text", STRING),
    Key("years", {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}, "minItems": 1}]},
        required=True),
    Key("title", STRING), Key("seed", STRING), Key("roll", {"enum": list(ROLLS)}),
    Key("errata", {"type": "array", "items": STRING}), Key("ignore", CODES),
    Key("ends", PLAN_END), Key("notes", {"type": "array", "items": STRING}),
    Key("reports", {"type": "array", "items": REPORT}), Key("tasks", {"type": "array", "items": TASK}),
    Key("units", {"anyOf": [{"type": "array", "items": UNIT},
                            {"type": "string", "description": "a units file, relative to this plan file"}]}),
), doc="One Kế hoạch thực hiện công tác dân vận chính quyền: its reporting regime as rules.")


def plan_schema(check_codes) -> dict:
    """The JSON Schema of a plan file; `check_codes` are the codes `ignore:` may name (the linter's,
    passed in so the format does not depend on the linter that reads it)."""
    body = PLAN.json(sorted(check_codes))
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "https://dvcq.invalid/plan.schema.json",
            "title": "dvcq plan file", **body}


def schema_json(check_codes) -> str:
    return json.dumps(plan_schema(check_codes), ensure_ascii=False, indent=2) + "\n"
