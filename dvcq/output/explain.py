"""`dvcq explain`: one deadline's derivation in words, from the quoted sentence to the date."""
from __future__ import annotations

from dvcq.core.engine import Deadline, Schedule
from dvcq.core.model import DayRef, Rule
from dvcq.output.render import fmt_date


def describe_ref(ref: DayRef, lang: str, every: str = "") -> str:
    vi = lang == "vi"
    if ref.after is not None:
        unit = ("ngày làm việc" if vi else "working day(s)") if ref.working else ("ngày" if vi else "day(s)")
        anchor = {"period-end": "ngày kết thúc kỳ báo cáo" if vi else "the end of the period",
                  "window-end": "ngày chốt số liệu" if vi else "the data cut-off"}[ref.after]
        return f"{ref.count} {unit} kể từ {anchor}" if vi else f"{ref.count} {unit} after {anchor}"
    if ref.date is not None:
        if every and every != "once":  # a recurring rule's written date moves with the year
            return (f"ngày {ref.date:%d/%m} hằng năm (văn bản ghi {ref.date:%d/%m/%Y})" if vi
                    else f"{ref.date:%d/%m} each year (the text says {ref.date:%d/%m/%Y})")
        return ref.date.strftime("%d/%m/%Y")
    day = ("ngày cuối" if vi else "the last day") if ref.day == "last" else (f"ngày {ref.day}" if vi else f"day {ref.day}")
    if ref.month is not None:
        year = {0: "", -1: " năm trước" if vi else " of the previous year", 1: " năm sau" if vi else " of the next year"}
        suffix = year.get(ref.year_offset, f" (year {ref.year_offset:+d})")
        return f"{day} tháng {ref.month}{suffix}" if vi else f"{day} of month {ref.month}{suffix}"
    pm = ref.period_month if ref.period_month is not None else -1
    if every == "month":
        which = ("của tháng" if vi else "of the month") + {0: "", -1: (" trước" if vi else ", previous month")}.get(
            ref.months_offset, f" ({ref.months_offset:+d})")
        return f"{day} {which}"
    if vi:
        which = "tháng cuối của kỳ" if pm == -1 else ("tháng đầu của kỳ" if pm == 1 else f"tháng thứ {pm} của kỳ")
        shift = "" if not ref.months_offset else (f", lùi {-ref.months_offset} tháng" if ref.months_offset < 0 else f", thêm {ref.months_offset} tháng")
        return f"{day} của {which}{shift}"
    which = "the period's last month" if pm == -1 else ("the period's first month" if pm == 1 else f"month {pm} of the period")
    shift = "" if not ref.months_offset else f", shifted {ref.months_offset:+d} month(s)"
    return f"{day} of {which}{shift}"


def explain_lines(sched: Schedule, rule: Rule, d: Deadline, lang: str, literal_due=None, sources=None) -> list[str]:
    """`literal_due`: where a literal reading of "trước" puts a deadline the roll carried onto day N."""
    vi = lang == "vi"
    plan = sched.plan
    out = [f"{d.title} ({d.report}), {'kỳ' if vi else 'period'} {d.period} — {plan.id}, {plan.document}"]
    src = rule.source
    quote = src.quote.replace("\t", " | ")  # appendix rows keep their table cells
    out.append(f"{'Nguồn' if vi else 'Source'} ({src.section or '?'}): «{quote}»")
    if src.erratum:
        out.append(f"{'Đính chính' if vi else 'Erratum'}: {src.erratum}")
    if d.merged_into:
        target_id, title, period = d.merged_into.rule.id, d.merged_into.rule.title, d.merged_into.period.label
        target = next((t for t in sched.deadlines if t.rule is d.merged_into.rule and t.span == d.merged_into.period), None)
        when = f" ({'hạn' if vi else 'due'} {fmt_date(target.effective_due, lang)})" if target and target.effective_due else ""
        out.append((f"Tháng này được lồng ghép vào {title} ({target_id}) kỳ {period}{when}: không có hạn riêng."
                    if vi else f"This month is merged into {title} ({target_id}), period {period}{when}: no deadline of its own."))
        return out
    if rule.is_task:
        out.append(("Quy tắc: hoàn thành trong kỳ, hạn là ngày cuối của kỳ" if vi
                    else "Rule: to be completed within the period, so due on its last day"))
    elif d.due_kind == "before":
        written = describe_ref(rule.due.ref, lang, rule.every)
        out.append((f"Quy tắc: trước {written} (không kể ngày đó) → ngày cuối đúng hạn là ngày hôm trước" if vi
                    else f"Rule: before {written} (exclusive) → the last on-time day is the day before"))
        out.append(f"{'Ngày ghi trong văn bản' if vi else 'Date named in the text'}: {fmt_date(d.written, lang)}")
    else:
        written = describe_ref(rule.due.ref, lang, rule.every)
        out.append((f"Quy tắc: chậm nhất {written} (kể cả ngày đó)" if vi else f"Rule: by {written} (inclusive)"))
    out.append(f"{'Hạn (theo văn bản)' if vi else 'Due (as written)'}: {fmt_date(d.due, lang)}")
    if d.moved_because:
        sources = sources or {}
        reasons = "; ".join(f"{fmt_date(day, lang, False)} {'là' if vi else 'is'} {why}"
                            + (f" ({sources[day]})" if sources.get(day) else "") for day, why in d.moved_because)
        law = {"next": "Bộ luật Dân sự 2015, Điều 148 khoản 5: dời sang ngày làm việc tiếp theo" if vi
                else "Civil Code 2015 art. 148(5): moved to the next working day",
                "previous": "theo kế hoạch: dời về ngày làm việc liền trước" if vi
                else "plan rule: moved back to the previous working day"}.get(d.roll, d.roll)
        out.append(f"{'Dời hạn' if vi else 'Moved'} ({law}): {reasons}")
    elif d.roll == "keep" and d.due and d.effective_due == d.due:
        out.append("Không dời hạn (--roll keep)" if vi else "Not moved (--roll keep)")
    out.append(f"{'Hạn thực tế' if vi else 'Effective due'}: {fmt_date(d.effective_due, lang)}")
    if d.past_written_day:
        n = f"{d.written:%d/%m/%Y}"
        earlier = f", {fmt_date(literal_due, lang)}" if literal_due else ""
        out.append((f"Lưu ý: văn bản ghi \"trước ngày {n}\" mà hạn thực tế rơi vào ngày đó hoặc sau; đọc đúng chữ "
                    f"\"trước\" thì phải nộp sớm hơn, vào ngày làm việc liền trước{earlier} (roll: previous)") if vi else
                   (f"Note: the text says \"before {n}\" and the effective date falls on or after that day; a literal "
                    f"reading of \"before\" wants it earlier, on the working day before{earlier} (roll: previous)"))
    if d.after_end:
        end = sched.plan.end
        out.append((f"Kế hoạch hết hiệu lực từ sau ngày {end.date:%d/%m/%Y} ({end.why}): hạn này sau ngày đó, không còn phải nộp"
                    if vi else f"The plan stopped applying after {end.date:%d/%m/%Y} ({end.why}): this deadline falls "
                    "later and is not owed"))
    if d.window_start:
        span = f"{fmt_date(d.window_start, lang, False)} – {fmt_date(d.window_end, lang, False)}"
        if d.window_basis == "decree-09" and d.window_after_due:
            out.append((f"Số liệu: kế hoạch không quy định. Khoảng theo Nghị định 09/2019/NĐ-CP, Điều 12 là {span}, "
                        "kết thúc vào hoặc sau hạn nộp nên không dùng được: Điều 8 khoản 5 điểm b cần ít nhất một ngày "
                        "làm việc giữa ngày chốt số liệu và hạn nộp") if vi else
                       (f"Data window: the plan sets none. Decree 09/2019/NĐ-CP art. 12's would be {span}, which ends on "
                        "or after the deadline, so it cannot be this report's: art. 8(5)(b) wants at least one working "
                        "day between the cut-off and the deadline"))
        else:
            basis = {"decree-09": "kế hoạch không quy định: theo Nghị định 09/2019/NĐ-CP, Điều 12" if vi
                     else "the plan is silent: Decree 09/2019/NĐ-CP art. 12",
                     "plan": "theo kế hoạch" if vi else "as the plan states"}.get(d.window_basis or "", "")
            out.append(f"{'Số liệu' if vi else 'Data window'}: {span} ({basis})")
    if rule.is_task:
        out.append(f"{'Chủ trì' if vi else 'Lead'}: {rule.lead or '?'}; {'phối hợp' if vi else 'with'}: {rule.partners or '—'}")
    elif d.sender or d.recipient:
        out.append(f"{'Gửi → Nhận' if vi else 'Sender → recipient'}: {d.sender or '?'} → {d.recipient or '?'}")
    if rule.note:
        out.append(f"{'Ghi chú' if vi else 'Note'}: {rule.note}")
    if d.projected:
        out.append(f"{'Dự kiến: suy từ kế hoạch năm' if vi else 'Projected from the plan of'} {plan.year}")
    return out
