"""The ledger's history drawn: `dvcq history` as a table, CSV or JSON, and the one-line answers of
a correction (`submit --why`) and a withdrawal (`submit --undo --why`).

Draws answers only (`api.History`, `api.Changed`); reads no file, queries no ledger.
"""
from __future__ import annotations

import json

from dvcq.core.messages import say
from dvcq.output.records import csv_text, with_bom
from dvcq.output.render import Rendered

HISTORY_KEYS = ("id", "recorded_at", "recorded_by", "kind", "plan", "report", "period", "unit", "n", "submitted_on",
                "note", "why", "source")


def _record(e) -> dict:
    return {"id": e.id, "recorded_at": e.recorded_at, "recorded_by": e.recorded_by, "kind": e.kind, "plan": e.plan,
            "report": e.report, "period": e.period, "unit": e.unit, "n": e.n,
            "submitted_on": e.submitted_on.isoformat() if e.submitted_on else None, "note": e.note, "why": e.why,
            "source": e.source}


def _what(d, unit, lang: str) -> str:
    return f"{d.plan} {d.report} {d.period}" + (say(lang, "history.by", unit=unit) if unit else "")


def history(found, fmt: str = "table", excel: bool = False, lang: str = "vi") -> Rendered:
    """Every event, oldest first: when (UTC), who, what, on which report, the date sent it gives,
    why and from which command. JSON and CSV keep the field names and kinds as they are stored."""
    records = [_record(e) for e in found.events]
    if fmt == "json":
        return Rendered(json.dumps(records, ensure_ascii=False, indent=2) + "\n", found.notes)
    if fmt == "csv":
        return Rendered(with_bom(csv_text(HISTORY_KEYS, records), excel), found.notes)
    if not records:
        return Rendered(say(lang, "history.none") + "\n", found.notes)
    kinds = {kind: say(lang, f"history.{kind}") for kind in ("recorded", "corrected", "withdrawn")}
    lines = []
    for e in found.events:
        what = " ".join(x for x in (e.plan, e.report, e.period, e.unit) if x)
        sent = say(lang, "history.sent", sent=f"{e.submitted_on:%d/%m/%Y}") if e.submitted_on else ""
        note = f" ({e.note})" if e.note else ""
        why = say(lang, "history.why", why=e.why) if e.why else ""
        source = say(lang, "history.from", source=e.source) if e.source else ""
        lines.append(f"{e.recorded_at}  {e.recorded_by or '?'}  {kinds.get(e.kind, e.kind)}  {what}{sent}{note}{why}"
                     f"{source}\n")
    return Rendered("".join(lines), found.notes)


def changed(found, lang: str = "vi") -> Rendered:
    """A correction or a withdrawal, said in one line, with the reason kept in the history."""
    ob = found.obligation
    what = _what(ob.deadline, ob.unit, lang)
    before = f"{found.before.submitted_on:%d/%m/%Y}" + (f" ({found.before.note})" if found.before.note else "")
    if found.after is None:
        return Rendered(say(lang, "submit.withdrawn", what=what, before=before, why=found.why) + "\n", found.notes)
    after = f"{found.after.submitted_on:%d/%m/%Y}" + (f" ({found.after.note})" if found.after.note else "")
    return Rendered(say(lang, "submit.corrected", what=what, after=after, before=before, why=found.why) + "\n",
                    found.notes)


def granted(found, lang: str = "vi") -> Rendered:
    return Rendered(say(lang, "ledger.granted", **found) + "\n")
