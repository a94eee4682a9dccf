"""Rules: ids, periods, two-tier chains and windows composed from the statements read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvcq.core import phrases
from dvcq.core.model import FREQUENCY, Period
from dvcq.documents.draft.header import _Header, _norm, _verbatim
from dvcq.documents.draft.lines import _fold1
from dvcq.documents.draft.bodies import _recipient, _sender
from dvcq.documents.draft.kinds import _LABEL, _Statement, _label_frequency, _todo, _why
from dvcq.documents.draft.statements import _MONTHS_IN_PERIOD, _NUMBER_WORDS


# ================================================================================================
# Rules
# ================================================================================================

_TITLES = {"plan-submission": "Gửi kế hoạch thực hiện công tác dân vận năm {year}",
           "self-assessment": "Gửi hồ sơ tự đánh giá, chấm điểm thi đua công tác dân vận",
           "scoring-decision": "Chấm điểm thi đua, tham mưu quyết định đánh giá, xếp loại công tác dân vận"}


@dataclass
class _Rule:
    id: str
    title: str
    every: str
    st: _Statement
    due_text: str
    periods: tuple[int, ...] | None = None
    window_text: str = ""
    window_none: bool = False
    merged: dict[int, str] = field(default_factory=dict)
    feeds: str | None = None
    sender: str | None = None
    recipient: str | None = None
    per_unit: bool = True
    quote: str = ""
    erratum: str | None = None
    note: str | None = None
    comments: list[str] = field(default_factory=list)
    todo: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)


def _fixed_month(due: dict) -> int | None:
    ref = next(iter(due.values()))
    if "date" in ref:
        return ref["date"].month
    if "month" in ref:
        return ref["month"]
    return None


def _make_rule(st: _Statement, year: int | None, source: str) -> _Rule:
    every = st.every
    due, due_text = st.due, st.due_text
    rule = _Rule(id="", title="", every=every, st=st, due_text=due_text, periods=st.periods)
    if st.kind == "report":
        label = " ".join(st.label.split())
        label = label.lower() if label.isupper() else label  # "BÁO CÁO QUÝ": titled "Báo cáo quý"
        label = re.sub(r"\s*/?\s*\d{4}$", "", label)
        word = "Bao cao" if _fold1(st.sentence) == st.sentence else "Báo cáo"  # a text typed without diacritics
        rule.title = f"{word} {label}".strip() if label else word
    elif st.kind == "submission":  # something sent or issued by a day: titled by what it is
        rule.title = st.label
    else:
        rule.title = _TITLES[st.kind].format(year=year or "")
    if not FREQUENCY[every].dated:  # "Báo cáo đột xuất: theo yêu cầu của UBND tỉnh": no date, listed
        rule.quote = _verbatim(st.text, source)
        return rule
    # a recurring report due in a year before the plan's would be due before its period began: a
    # slip, read as the plan's year ("10/5/2023" in a 2024 plan). A later year may be meant ("Báo
    # cáo năm 2024: trước ngày 15/01/2025"): kept as written, and `dvcq check` shows year-mismatch.
    ref = next(iter(due.values()))
    if "date" in ref and year and ref["date"].year < year and FREQUENCY[every].recurring:
        written = ref["date"]
        try:
            fixed = written.replace(year=year)
        except ValueError:  # 29/2 in a common year
            fixed = None
        if fixed is not None:
            kind = next(iter(due))
            due = {kind: {"date": fixed}}
            rule.due_text = phrases.render_due(due, every)
            rule.erratum = (f"Văn bản ghi «{due_text}» trong kế hoạch năm {year}: đọc là {fixed.day}/{fixed.month}/{fixed.year} "
                            "(kiểm tra lại).")
            rule.todo.append((st.text, _why("year-slip", written=written.year, year=year)))
    # one fixed day names one period: "Báo cáo 6 tháng: trước ngày 14/6" is the first half
    month = _fixed_month(due)
    if month is not None and every in ("quarter", "half"):
        number = Period.of_month(every, 2000, month).number
        if number > 1 and month == Period.of_month(every, 2000, month).first_month:
            number -= 1  # "Báo cáo 6 tháng: trước ngày 10 tháng 7": the half just ended, not the one begun
        if rule.periods and number not in rule.periods:
            rule.todo.append((st.text, _why("period-mismatch", due=due_text, periods=rule.periods)))
        elif not rule.periods:
            rule.periods = (number,)
            rule.comments.append(f"một ngày cố định ({due_text}) chỉ ứng với kỳ {number} trong năm")
    elif month is not None and every == "month" and not rule.periods:
        rule.periods = (month,)
    rule.window_text = st.window_text
    if st.kind != "report" and FREQUENCY[every].recurring:
        rule.window_none = True
        rule.comments.append("không phải báo cáo số liệu: không có thời gian chốt số liệu")
    elif st.kind == "report" and FREQUENCY[every].recurring and not st.window_text and not st.window_unread:
        rule.comments.append("văn bản không nêu thời gian chốt số liệu: áp dụng Nghị định 09/2019/NĐ-CP, điều 12")
    rule.quote = _verbatim(st.text, source)
    return rule


def _same_body(name: str | None, other: str | None) -> bool:
    """No name, or the same name whatever its case ("Các cơ quan" at a sentence's start, "các cơ quan" after "Ngoài ra,")."""
    return name is None or (other is not None and name.casefold() == other.casefold())


def _compose_window(rule: _Rule, monthly: _Rule | None) -> None:
    """"số liệu chốt 03 tháng trong quý": the quarter's three monthly data windows, as the plan's own
    monthly rule defines them; otherwise the window is left for review."""
    text = rule.st.window_unread
    m = _MONTHS_IN_PERIOD.search(text)
    count = None
    if m:
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1).lower()]
    mw = monthly.st.window if monthly is not None else None
    if count == FREQUENCY[rule.every].months and isinstance(mw, dict) and monthly.st.due:
        (kind, ref), = monthly.st.due.items()
        start = mw["from"]
        if mw["to"] == "due" and set(ref) == {"day"} and ref["day"] != "last" and start.get("period_month") in (None, 1):
            last_day = ref["day"] - 1 if kind == "before" else ref["day"]
            if last_day >= 1:
                window = {"from": {"day": start["day"], "period_month": 1, "months_offset": start.get("months_offset", 0)},
                          "to": {"day": last_day}}
                rule.window_text = phrases.render_window(window, rule.every)
                rule.note = (f"«{text}» đọc là {count} khoảng số liệu của báo cáo tháng trong kỳ "
                             f"(«{monthly.st.window_text}», hạn «{monthly.st.due_text}»): {rule.window_text}.")
                rule.todo.append((rule.st.text, _why("window-composed", text=text, window=rule.window_text)))
                return
    rule.todo.append((rule.st.text, _why("window-unread", text=text)))


def _target(phrase: str) -> tuple[str, int | None] | None:
    t = re.sub(r"^(?:báo\s+cáo\s+)", "", phrase.strip(), flags=re.I).strip(" .)")
    m = _LABEL.match("báo cáo " + t)
    if not m or m.end() - len("báo cáo ") < len(t) - 1:
        return None
    every, periods = _label_frequency(m.group("label"))
    return every, (periods[0] if periods and len(periods) == 1 else None)


def _assemble(statements: list[_Statement], header: _Header, source: str) -> tuple[list[_Rule], list[_Statement]]:
    year = header.year
    rules: list[_Rule] = []
    todos: list[_Statement] = []
    merges: list[_Statement] = []
    for st in statements:
        if st.kind == "todo":
            todos.append(st)
        elif st.kind == "merge":
            merges.append(st)
        else:
            rules.append(_make_rule(st, year, source))
    # footnotes restate the body's deadlines: keep what is new, as a todo
    main, notes = [], []
    for r in rules:
        (notes if r.st.block.kind == "footnote" else main).append(r)
    for r in notes:
        if not any(m.every == r.every and m.st.due == r.st.due for m in main):
            todos.append(_todo(r.st.sentence, r.st.span, r.st.block, _why("footnote-only")))
    rules = main
    # "Báo cáo quý I, 6 tháng, quý III ... trước ngày 16 của tháng cuối kỳ": one quarterly rule, periods I and III
    joined: dict[tuple, _Rule] = {}
    for r in list(rules):
        if r.st.kind != "report" or not r.periods or r.erratum or _fixed_month(r.st.due or {"x": {}}) is not None:
            continue
        key = (id(r.st.block), r.st.sentence, r.every, repr(r.st.due), r.window_text)
        first = joined.setdefault(key, r)
        if first is not r:
            first.periods = tuple(sorted(set(first.periods) | set(r.periods)))
            first.st.span = (min(first.st.span[0], r.st.span[0]), max(first.st.span[1], r.st.span[1]))
            first.quote = _verbatim(first.st.text, source)
            rules.remove(r)
    for r in rules:
        r.sender = _sender(r.st)
        r.recipient = _recipient(r.st.text, r.st.sentence, r.st.block.lead, r.st.block.parent)
        if r.sender and not r.sender.startswith("Các") and "," not in r.sender and ";" not in r.sender \
                and not r.sender.lower().startswith(("thủ trưởng", "chủ tịch")):
            r.per_unit = False  # one body's own task, not every unit's
    # ids; two reports of one kind and period: a unit-level report feeding the body's own
    groups: dict[tuple, list[_Rule]] = {}
    restated: list[_Rule] = []
    for r in rules:
        key = (r.st.kind, r.every, r.periods) if r.st.kind == "report" else (r.st.kind,)
        groups.setdefault(key, []).append(r)
    for key, group in groups.items():
        base = FREQUENCY[group[0].every].default_id if group[0].st.kind == "report" else group[0].st.kind
        if len(group) == 2 and header.body and header.code != "UBND":
            inner = [r for r in group if r.recipient and r.recipient.startswith(header.body)]
            if len(inner) == 1:
                outer = next(r for r in group if r is not inner[0])
                outer.id, inner[0].id, inner[0].feeds = base, f"unit-{base}", base
                continue
        kept: list[_Rule] = []
        alike: dict[tuple[str, str], list[_Rule]] = {}  # kept rules by due and window: linear in the rules
        for r in group:
            key = (repr(r.st.due), r.window_text)
            same = next((k for k in alike.get(key, ())
                         if _same_body(r.sender, k.sender) and _same_body(r.recipient, k.recipient)), None)
            if same is not None:  # the text says it again: one rule, the other place noted
                same.comments.append(f"văn bản nêu lại ở {r.st.block.section or 'đầu văn bản'}: «{_norm(r.st.text)}»")
                restated.append(r)
                continue
            r.id = base if not kept else f"{base}-{len(kept) + 1}"
            if kept:
                r.todo.append((r.st.text, _why("two-rules", first=kept[0].id, second=r.id)))
            kept.append(r)
            alike.setdefault(key, []).append(r)
    gone = {id(x) for x in restated}
    rules = [r for r in rules if id(r) not in gone]
    taken: set[str] = set()
    for r in rules:  # ids stay unique whatever the groups made
        rid, k = r.id, 2
        while rid in taken:
            rid, k = f"{r.id}-{k}", k + 1
        r.id = rid
        taken.add(rid)
    # a six-month report and an annual one: the annual report stands for the second half
    if any(r.every == "year" and r.st.kind == "report" for r in rules):
        for r in rules:
            if r.every == "half" and r.st.kind == "report" and not r.periods:
                r.periods = (1,)
                r.comments.append("báo cáo năm thay cho báo cáo 6 tháng cuối năm: chỉ kỳ 1")
    # data windows read through the plan's monthly rule
    monthly = next((r for r in rules if r.every == "month" and r.st.kind == "report" and r.st.window), None)
    for r in rules:
        if r.st.window_unread:
            _compose_window(r, monthly)
    # merged months
    for st in merges:
        if st.folded:
            _fold_periods(st, rules, todos, source)
            continue
        target_rules = {}
        ok = True
        for month, phrase in st.merge:
            found = _target(phrase)
            rule = None
            if found:
                every, number = found
                number = number or Period.of_month(every, 2000, month).number
                if Period.of_month(every, 2000, month).number == number:
                    rule = next((r for r in rules if r.every == every and r.st.kind == "report" and not r.feeds
                                 and (not r.periods or number in r.periods)), None)
            if rule is None:
                ok = False
                continue
            target_rules[month] = rule.id
        source_rule = next((r for r in rules if r.every == "month" and r.st.kind == "report"
                            and r.st.sentence == st.sentence), None) or \
            next((r for r in rules if r.every == "month" and r.st.kind == "report"), None)
        if source_rule is None:
            todos.append(_todo(st.sentence, st.span, st.block, _why("merge-unmatched")))
            continue
        if not ok:  # "báo cáo tháng 12 lồng ghép trong báo cáo năm", the annual report not dated in the text:
            # no monthly report for that month all the same; merged: waits for the report it goes into
            todos.append(_todo(st.sentence, st.span, st.block, _why("merge-unmatched")))
            gone = {month: phrase for month, phrase in st.merge if month not in target_rules}
            source_rule.periods = tuple(m for m in (source_rule.periods or range(1, 13)) if m not in gone)
            source_rule.comments += [f"tháng {m} lồng ghép vào {phrase}, mà văn bản không nêu hạn: không có báo cáo "
                                     f"tháng {m} riêng (thêm báo cáo đó rồi ghi merged)" for m, phrase in gone.items()]
        source_rule.merged.update(target_rules)
        if _verbatim(st.text, source) not in source_rule.quote:
            source_rule.quote = f"{source_rule.quote} ... {_verbatim(st.text, source)}"
    return rules, todos


def _fold_periods(st: _Statement, rules: list[_Rule], todos: list[_Statement], source: str) -> None:
    """"Báo cáo quý IV lồng ghép trong báo cáo năm": merged: {4: annual} on the quarterly rule, as months are on a
    monthly one. Into a report the text does not date, the quarter is left out of the rule's periods (no report
    of its own all the same), the merge said in a comment and left for review."""
    for every, number, phrase in st.folded:
        rule = next((r for r in rules if r.every == every and r.st.kind == "report" and not r.feeds), None)
        if rule is None:
            todos.append(_todo(st.sentence, st.span, st.block, _why("merge-unmatched")))
            return
        found = _target(phrase)
        if found and found[0] == every:  # a quarter "into" the quarterly report: no merge to make
            continue
        last_month = number * FREQUENCY[every].months
        target = next((r for r in rules if found and r.every == found[0] and r.st.kind == "report" and not r.feeds
                       and (not r.periods or Period.of_month(r.every, 2000, last_month).number in r.periods)), None)
        if target is not None:
            rule.merged[number] = target.id
        else:
            count = 12 // FREQUENCY[every].months
            rule.periods = tuple(p for p in (rule.periods or range(1, count + 1)) if p != number)
            name = Period(every, 2000, number).say_vi(with_year=False)  # "quý II", "6 tháng đầu năm"
            rule.comments.append(f"{name} lồng ghép vào {phrase}, mà văn bản không nêu hạn "
                                 "của báo cáo đó: không có báo cáo riêng (thêm báo cáo đó rồi ghi merged)")
            todos.append(_todo(st.sentence, st.span, st.block, _why("merge-unmatched")))
            return
        if _verbatim(st.text, source) not in rule.quote:
            rule.quote = f"{rule.quote} ... {_verbatim(st.text, source)}"
