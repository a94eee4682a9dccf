"""The ledger's history drawn: `dvcq history` as a table, CSV or JSON, and the one-line answers of
a correction (`submit --why`) and a withdrawal (`submit --undo --why`).

Draws answers only (`api.History`, `api.Changed`); reads no file, queries no ledger.
"""
from __future__ import annotations

import json

from dvcq.output.records import csv_text, with_bom
from dvcq.output.render import Rendered

HISTORY_KEYS = ("id", "recorded_at", "recorded_by", "kind", "plan", "report", "period", "unit", "n", "submitted_on",
                "note", "why", "source")


def _record(e) -> dict:
    return {"id": e.id, "recorded_at": e.recorded_at, "recorded_by": e.recorded_by, "kind": e.kind, "plan": e.plan,
            "report": e.report, "period": e.period, "unit": e.unit, "n": e.n,
            "submitted_on": e.submitted_on.isoformat() if e.submitted_on else None, "note": e.note, "why": e.why,
            "source": e.source}


def history(found, fmt: str = "table", excel: bool = False) -> Rendered:
    """Every event, oldest first: when (UTC), who, what, on which report, the date sent it gives,
    why and from which command."""
    records = [_record(e) for e in found.events]
    if fmt == "json":
        return Rendered(json.dumps(records, ensure_ascii=False, indent=2) + "\n", found.notes)
    if fmt == "csv":
        return Rendered(with_bom(csv_text(HISTORY_KEYS, records), excel), found.notes)
    if not records:
        return Rendered("no events\n", found.notes)
    lines = []
    for e in found.events:
        what = " ".join(x for x in (e.plan, e.report, e.period, e.unit) if x)
        sent = f" sent {e.submitted_on:%d/%m/%Y}" if e.submitted_on else ""
        note = f" ({e.note})" if e.note else ""
        why = f"  why: {e.why}" if e.why else ""
        source = f"  from: {e.source}" if e.source else ""
        lines.append(f"{e.recorded_at}  {e.recorded_by or '?'}  {e.kind}  {what}{sent}{note}{why}{source}\n")
    return Rendered("".join(lines), found.notes)


def changed(found) -> Rendered:
    """A correction or a withdrawal, said in one line, with the reason kept in the history."""
    ob = found.obligation
    d = ob.deadline
    who = f" by {ob.unit}" if ob.unit else ""
    what = f"{d.plan} {d.report} {d.period}{who}"
    before = f"{found.before.submitted_on:%d/%m/%Y}" + (f" ({found.before.note})" if found.before.note else "")
    if found.after is None:
        return Rendered(f"withdrawn: {what} (was recorded as sent {before}); why: {found.why}\n", found.notes)
    after = f"{found.after.submitted_on:%d/%m/%Y}" + (f" ({found.after.note})" if found.after.note else "")
    return Rendered(f"corrected: {what} sent {after} (was {before}); why: {found.why}\n", found.notes)


def granted(found) -> Rendered:
    return Rendered(f"{found['name']}: {found['role']} on {found['ledger']} (member of {found['group']})\n")
