"""`dvcq explain`: one deadline's derivation in words, from the quoted sentence to the date."""
from __future__ import annotations

from dvcq.core.engine import Deadline, Schedule
from dvcq.core.messages import say
from dvcq.core.model import DayRef, Rule
from dvcq.output.dates import fmt_date


def describe_ref(ref: DayRef, lang: str, every: str = "") -> str:
    if ref.after is not None:
        unit = say(lang, "explain.unit.working_days") if ref.working else say(lang, "explain.unit.days")
        anchor = (describe_ref(ref.anchor, lang, every) if ref.after == "day"
                  else say(lang, "explain.anchor.period_end") if ref.after == "period-end"
                  else say(lang, "explain.anchor.window_end") if ref.after == "window-end" else None)
        if anchor is None:
            raise KeyError(ref.after)
        return say(lang, "explain.ref.after", count=ref.count, unit=unit, anchor=anchor)
    if ref.date is not None:
        if every and every != "once":  # a recurring rule's written date moves with the year
            return say(lang, "explain.ref.date_yearly", date=ref.date)
        return ref.date.strftime("%d/%m/%Y")
    day = say(lang, "explain.day.last") if ref.day == "last" else say(lang, "explain.day.n", day=ref.day)
    if ref.month is not None:
        if ref.year_offset == 0:
            return say(lang, "explain.ref.fixed", day=day, month=ref.month)
        if ref.year_offset == -1:
            return say(lang, "explain.ref.fixed_previous_year", day=day, month=ref.month)
        if ref.year_offset == 1:
            return say(lang, "explain.ref.fixed_next_year", day=day, month=ref.month)
        return say(lang, "explain.ref.fixed_other_year", day=day, month=ref.month, offset=ref.year_offset)
    pm = ref.period_month if ref.period_month is not None else -1
    if every == "month":
        if ref.months_offset == 0:
            return say(lang, "explain.ref.monthly", day=day)
        if ref.months_offset == -1:
            return say(lang, "explain.ref.monthly_previous", day=day)
        return say(lang, "explain.ref.monthly_shifted", day=day, offset=ref.months_offset)
    which = (say(lang, "explain.period.last") if pm == -1 else say(lang, "explain.period.first") if pm == 1
             else say(lang, "explain.period.nth", month=pm))
    shift = ("" if not ref.months_offset else say(lang, "explain.shift.back", months=-ref.months_offset)
             if ref.months_offset < 0 else say(lang, "explain.shift.forward", months=ref.months_offset))
    return say(lang, "explain.ref.in_period", day=day, which=which, shift=shift)


def explain_lines(sched: Schedule, rule: Rule, d: Deadline, lang: str, literal_due=None, sources=None) -> list[str]:
    """`literal_due`: where a literal reading of "trước" puts a deadline the roll carried onto day N."""
    plan = sched.plan
    out = [say(lang, "explain.head", title=d.title, report=d.report, period=d.period, plan=plan.id,
               document=plan.document)]
    src = rule.source
    quote = src.quote.replace("\t", " | ")  # appendix rows keep their table cells
    out.append(say(lang, "explain.source", section=src.section or "?", quote=quote))
    if src.erratum:
        out.append(say(lang, "explain.erratum", erratum=src.erratum))
    if d.merged_into:
        target_id, title, period = d.merged_into.rule.id, d.merged_into.rule.title, d.merged_into.period.label
        target = next((t for t in sched.deadlines if t.rule is d.merged_into.rule and t.span == d.merged_into.period), None)
        if target and target.effective_due:
            out.append(say(lang, "explain.merged_due", title=title, target=target_id, period=period,
                           due=fmt_date(target.effective_due, lang)))
        else:
            out.append(say(lang, "explain.merged", title=title, target=target_id, period=period))
        return out
    if rule.is_task:
        out.append(say(lang, "explain.rule.task"))
    elif d.due_kind == "before":
        out.append(say(lang, "explain.rule.before", written=describe_ref(rule.due.ref, lang, rule.every)))
        out.append(say(lang, "explain.written", date=fmt_date(d.written, lang)))
    else:
        out.append(say(lang, "explain.rule.by", written=describe_ref(rule.due.ref, lang, rule.every)))
    out.append(say(lang, "explain.due", date=fmt_date(d.due, lang)))
    if d.moved_because:
        sources = sources or {}
        reasons = "; ".join(say(lang, "explain.moved.reason_source", day=fmt_date(day, lang, False), why=why,
                                source=sources[day]) if sources.get(day)
                            else say(lang, "explain.moved.reason", day=fmt_date(day, lang, False), why=why)
                            for day, why in d.moved_because)
        law = (say(lang, "explain.law.next") if d.roll == "next"
               else say(lang, "explain.law.previous") if d.roll == "previous" else d.roll)
        out.append(say(lang, "explain.moved", law=law, reasons=reasons))
    elif d.roll == "keep" and d.due and d.effective_due == d.due:
        out.append(say(lang, "explain.not_moved"))
    out.append(say(lang, "explain.effective", date=fmt_date(d.effective_due, lang)))
    if d.past_written_day:
        if literal_due:
            out.append(say(lang, "explain.past_written_literal", written=d.written, literal=fmt_date(literal_due, lang)))
        else:
            out.append(say(lang, "explain.past_written", written=d.written))
    if d.after_end:
        end = sched.plan.end
        out.append(say(lang, "explain.after_end", end=end.date, why=end.why))
    if d.window_start:
        start, stop = fmt_date(d.window_start, lang, False), fmt_date(d.window_end, lang, False)
        if d.window_basis == "decree-09" and d.window_after_due:
            out.append(say(lang, "explain.window.decree_after_due", start=start, end=stop))
        else:
            basis = (say(lang, "explain.basis.decree") if d.window_basis == "decree-09"
                     else say(lang, "explain.basis.plan") if d.window_basis == "plan" else "")
            out.append(say(lang, "explain.window", start=start, end=stop, basis=basis))
    if rule.is_task:
        out.append(say(lang, "explain.lead", lead=rule.lead or "?", partners=rule.partners or "—"))
    elif d.sender or d.recipient:
        out.append(say(lang, "explain.route", sender=d.sender or "?", recipient=d.recipient or "?"))
    if rule.note:
        out.append(say(lang, "explain.note", note=rule.note))
    if d.projected:
        out.append(say(lang, "explain.projected", year=plan.year))
    return out
