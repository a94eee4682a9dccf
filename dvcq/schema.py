"""The JSON Schema of a plan file, for editors (yaml-language-server) and other tools.

The loader is the authority; tests keep this schema's keys equal to the loader's key sets and
check that the shipped plans validate against it.
"""
from __future__ import annotations

import json

from .check import CODES
from .model import FREQUENCIES, ROLLS

_DATE = {"anyOf": [{"type": "string", "format": "date"},
                   {"type": "string", "pattern": r"^\d{1,2}/\d{1,2}/\d{4}$"}]}
_TEXT = {"type": ["string", "number"]}
_CODES = {"type": "array", "items": {"type": "string", "enum": sorted(CODES)}}

DAYREF = {
    "type": "object", "additionalProperties": False,
    "description": "A day: {date} as written, {day, month[, year_offset]} for a fixed day of the year, "
                   "or {day[, period_month][, months_offset]} counted within the period.",
    "properties": {
        "day": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 31}, {"const": "last"}]},
        "date": _DATE,
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "year_offset": {"type": "integer"},
        "period_month": {"type": "integer", "minimum": -12, "maximum": 12, "not": {"const": 0}},
        "months_offset": {"type": "integer"},
    },
}
SOURCE = {
    "type": "object", "additionalProperties": False,
    "properties": {"section": _TEXT, "quote": {"type": "string"}, "erratum": {"type": "string"}},
}
REPORT = {
    "type": "object", "additionalProperties": False, "required": ["id", "title", "every", "due"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "title": {"type": "string"},
        "every": {"enum": list(FREQUENCIES)},
        "periods": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}},
        "due": {"type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
                "properties": {"before": DAYREF, "by": DAYREF},
                "description": "before = 'trước ngày' (exclusive); by = 'chậm nhất' (inclusive)"},
        "window": {"anyOf": [
            {"enum": ["decree-09", "none"]},
            {"type": "object", "additionalProperties": False, "required": ["from"],
             "properties": {"from": DAYREF, "to": {"anyOf": [{"const": "due"}, DAYREF]}}},
        ]},
        "merged": {"type": "object", "additionalProperties": {"type": "string"},
                   "propertyNames": {"pattern": "^(1[0-2]|[1-9])$"}},
        "sender": _TEXT, "recipient": _TEXT, "feeds": {"type": "string"},
        "roll": {"enum": list(ROLLS)}, "source": SOURCE, "note": {"type": "string"}, "ignore": _CODES,
        "per_unit": {"type": "boolean", "description": "false: sent by one body, not by every unit"},
    },
}
UNIT = {
    "type": "object", "additionalProperties": False, "required": ["id"],
    "properties": {"id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}, "name": {"type": "string"},
                   "kind": {"type": "string"}},
}
TASK = {
    "type": "object", "additionalProperties": False, "required": ["id", "title", "complete"],
    "properties": {
        "id": {"type": "string", "pattern": r"^task-\d+$"}, "title": {"type": "string"},
        "lead": _TEXT, "partners": _TEXT,
        "complete": {"type": "array", "items": {"type": ["string", "integer"],
                                                "pattern": r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$"}},
        "complete_text": {"type": "string"}, "source": SOURCE, "note": {"type": "string"}, "ignore": _CODES,
    },
}
PLAN_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://dvcq.invalid/plan.schema.json",
    "title": "dvcq plan file",
    "description": "One Kế hoạch thực hiện công tác dân vận chính quyền: its reporting regime as rules.",
    "type": "object", "additionalProperties": False, "required": ["id", "issuer", "years"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "issuer": {"type": "string"}, "document": {"type": "string"},
        "issued": {"anyOf": [_DATE, {"type": "string", "pattern": r"^\d{4}-\d{2}$"}]},
        "issued_text": {"type": "string"},
        "years": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}, "minItems": 1}]},
        "title": {"type": "string"}, "seed": {"type": "string"}, "roll": {"enum": list(ROLLS)},
        "errata": {"type": "array", "items": {"type": "string"}}, "ignore": _CODES,
        "reports": {"type": "array", "items": REPORT}, "tasks": {"type": "array", "items": TASK},
        "units": {"anyOf": [{"type": "array", "items": UNIT},
                            {"type": "string", "description": "a units file, relative to this plan file"}]},
    },
}


def schema_json() -> str:
    return json.dumps(PLAN_SCHEMA, ensure_ascii=False, indent=2) + "\n"
