"""Statements: what a sentence asks for, clause by clause: the reports it names and their deadline and
data-window phrases wherever they stand, deadlines shared or paired, other deadlines (the unit's plan,
the self-assessment, things sent or issued by a day). Report kinds are read in `kinds`, merges in
`merges`, which sentences count in `dated`, who sends and receives in `bodies`."""
from __future__ import annotations

import re

from dvcq.core import phrases
from dvcq.documents.draft.dated import _ON_REQUEST
from dvcq.documents.draft.kinds import (NO_DEADLINE, _LABEL, _REPORT_WORD, _Statement, _label_frequency, _todo, _why,
                                        _with_listed_kinds)
from dvcq.documents.draft.lines import _Block, _DEADLINE_WORDS, _Folded, _clauses, _fold1, _trim
from dvcq.documents.draft.merges import (_MERGE_ASIDE, _MERGE_VERB, _OTHER_MONTHS, _folded_periods, _merge_statements,
                                         _merged_months)


# ================================================================================================
# Statements: what a sentence asks for, with which deadline
# ================================================================================================

_WINDOW_PHRASE = _Folded(r"(?:(?:mốc|thời\s+gian\s+lấy|thời\s+điểm\s+lấy|thời\s+gian\s+chốt|thời\s+điểm\s+chốt)\s+)?"
                            r"số\s+liệu[^;,]*"
                            r"|\btừ\s[^;,]*?\s(?:đến|tới)\s[^;,]*", re.I)  # a table cell: "Từ ngày 15 ... đến ..."
_HEAD_NUMBER_WORDS = re.compile(r"\s*\((?:[^\W\d_]+\s*){1,4}\)")  # "ngày 15 (mười lăm)"
_MONTHS_IN_PERIOD = re.compile(r"số\s+liệu\s+(?:chốt\s+)?(\d{1,2}|ba|sáu|chín)\s+tháng\s+(?:trong|của)\s+(quý|năm|kỳ)", re.I)
_NUMBER_WORDS = {"ba": 3, "sáu": 6, "chín": 9}


_RUNS_ON = re.compile(r"\s+(?:để|nhằm|kèm\s+theo|theo|cho|về|tới|đến)\s+(?!ngày)", re.I)
_HAN_LA = _Folded(r"\bhạn\s+(?:chót\s+|cuối\s+)?(?:gửi|nộp)\b[^:]*?(?::|\blà\b)\s*(?=ngày\s+\d)", re.I)


def _find_due(segment: str, every: str) -> tuple[str, dict] | None:
    segment = _HEAD_NUMBER_WORDS.sub("", segment)
    found = phrases.due_phrases_in(segment, every)
    if not found:  # "trước ngày 10 tháng cuối quý để tổng hợp": the phrase ends where another begins
        found = [f for piece in _RUNS_ON.split(segment) for f in phrases.due_phrases_in(piece, every)][:1]
    if not found:  # "Hạn gửi báo cáo quý: ngày 15 tháng cuối quý", "Hạn nộp ... là ngày 19/9/2025": that day included
        han = _HAN_LA.search(segment)
        if han:
            found = phrases.due_phrases_in("chậm nhất " + segment[han.end():], every)
    if not found:
        return None
    text, due = found[0]
    text = text.rstrip(" .,;")
    if text.isupper():  # "CHẬM NHẤT NGÀY 10 THÁNG ĐẦU QUÝ SAU": as written
        return text, due
    return text[:1].lower() + text[1:], due  # "Trước ngày 20/5/2025" reads the same in lower case


def _find_window(segment: str, every: str) -> tuple[str, dict | str | None, str]:
    """(phrase, window, unread phrase): the data window a segment gives, if any."""
    m = _WINDOW_PHRASE.search(segment)
    if not m:
        return "", None, ""
    text = m.group(0).strip(" .,;)")
    text = text[:1].lower() + text[1:]
    try:
        return text, phrases.parse_window(text, every), ""
    except (phrases.PhraseError, ValueError):
        return "", None, text


_HEAD_TAIL = re.compile(r"[\s,:;–-]*(?:(?:đối\s+với|áp\s+dụng\s+(?:cho|với)|với|cho|là|gửi)\s*)?[\s,:;–-]*$", re.I)


# what stands between two reports listed together: "và", "và các", "và tổng kết" ("sơ kết 6 tháng và tổng kết năm")
_JOINS_NEXT = re.compile(_fold1(r"(?:và|hoặc)(?:\s+các)?(?:\s+(?:báo\s+cáo\s+)?(?:sơ|tổng)\s+kết)?"), re.I)
_AND = _Folded(r"\s+và\s+", re.I)
_PAIRED_TAIL = _Folded(r"\s+(?:tương\s+ứng|hằng\s+năm|hàng\s+năm)\s*$", re.I)


def _paired_dues(segment: str, everys: list[str]) -> list[tuple[str, dict]] | None:
    """Deadlines joined by "và", one for each report listed before them, in order: "trước ngày 15/6 và
    ngày 15/11", "chậm nhất ngày 20 của tháng báo cáo và của tháng cuối quý tương ứng" (a later one takes
    what it leaves out from the first). None unless there are as many as reports, each read."""
    if "on-request" in everys:
        return None
    dw = _DEADLINE_WORDS.search(segment)
    if not dw:
        return None
    part = re.split(r"[,;(]", _HEAD_NUMBER_WORDS.sub("", segment[dw.start():]))[0].rstrip(" .")
    cuts = [m.span() for m in _AND.finditer(part)]
    if len(cuts) + 1 != len(everys):
        return None
    parts = [part[a:b] for a, b in zip([0] + [e for _, e in cuts], [s for s, _ in cuts] + [len(part)])]
    first, word = parts[0], re.sub(r"\s*(?:ngày|ngay)$", "", dw.group(0))
    out = []
    for k, (piece, every) in enumerate(zip(parts, everys)):
        tail = _PAIRED_TAIL.search(piece)
        piece = piece[:tail.start()] if tail else piece
        if k and not _DEADLINE_WORDS.match(piece):
            low = _fold1(piece.lower())
            if low.startswith("ngay "):
                piece = f"{word} {piece}"
            elif low.startswith(("cua ", "thang ")):
                at = _fold1(first.lower()).find(" " + low.split()[0] + " ")
                if at < 0:
                    return None
                piece = f"{first[:at]} {piece}"
            else:
                return None
        due = _find_due(piece, every)
        if due is None:
            return None
        out.append(due)
    return out


def _head_due(head: str, every: str) -> tuple[str, dict] | None:
    """A deadline written before the report it is for: "Chậm nhất ngày 15 (mười lăm) của tháng báo cáo
    đối với báo cáo định kỳ hằng tháng" gives «chậm nhất ngày 15 của tháng báo cáo»."""
    if not _DEADLINE_WORDS.search(head):
        return None
    head = _HEAD_TAIL.sub("", _HEAD_NUMBER_WORDS.sub("", head))
    return _find_due(head, every)


# "ban hành trong tháng 6/2025": a deadline naming a whole month, with its number (by the month's last day)
_WITHIN_MONTH = _Folded(r"\btrong\s+tháng\s+\d{1,2}\s*(?:/\s*\d{4}|năm\s+\d{4})?\b", re.I)


def _statements(sentence: str, block: _Block, plan_year: int | None) -> list[_Statement]:
    """The reports and deadlines one sentence states, found wherever they stand in its clauses: a
    report with its deadline after it, a deadline before the reports it is for, a report whose
    data window comes first and its deadline in the next clause, a report sent on request."""
    out: list[_Statement] = []
    waiting: list[_Statement] = []  # reports of an earlier clause still without a deadline
    named = [_fold1(m.group("label").lower()) for m in _LABEL.finditer(sentence)]
    for a, b in _clauses(sentence):
        clause = sentence[a:b]
        aside = _MERGE_ASIDE.search(clause)
        if aside:  # "Báo cáo tháng (trừ tháng 6 và tháng 12 đã lồng ghép vào ...) gửi chậm nhất ngày 19 hằng tháng"
            out += _merge_statements(sentence, (a + aside.start(1), a + aside.end(1)), block)
            clause = clause[:aside.start()] + " " * (aside.end() - aside.start()) + clause[aside.end():]
        verb = _MERGE_VERB.search(clause)
        if verb and _REPORT_WORD.search(clause) and (_merged_months(clause)[0] or _folded_periods(clause[:verb.start()])):
            out += _merge_statements(sentence, (a, b), block)
            continue
        if _OTHER_MONTHS.match(clause) and any(st.kind == "merge" and st.merge for st in out) \
                and _DEADLINE_WORDS.search(clause):
            # "...; các tháng còn lại gửi trước ngày 20 của tháng": the monthly report, for the months not merged
            due = _find_due(clause, "month")
            if due:
                st = _Statement("report", sentence, _trim(sentence, a, b), block, "month", label="tháng")
                st.due_text, st.due = due
                out.append(st)
                continue
        # "Số liệu báo cáo tháng chốt vào ngày 20; báo cáo tháng gửi ...": the report's data, not the report
        # (when the sentence names that report again)
        labels = _with_listed_kinds(clause, [m for m in _LABEL.finditer(clause)
                                             if not re.search(r"(ngày|tới|đến)\s*$", clause[:m.start()], re.I)
                                             and not (re.search(r"số\s+liệu\s*$", clause[:m.start()], re.I)
                                                      and named.count(_fold1(m.group("label").lower())) > 1)])
        if labels:
            pending: list[_Statement] = []
            head = clause[:labels[0].start()]
            for i, m in enumerate(labels):
                end = labels[i + 1].start() if i + 1 < len(labels) else len(clause)
                seg_span = _trim(sentence, a + m.start(), a + end)
                segment = sentence[seg_span[0]:seg_span[1]]
                every, periods = _label_frequency(m.group("label"))
                st = _Statement("report", sentence, seg_span, block, every, periods, label=m.group("label"))
                paired = _paired_dues(segment, [p.every for p in pending] + [every]) if pending else None
                if paired:  # "Báo cáo 6 tháng và năm lần lượt gửi trước ngày 15/6 và ngày 15/11": one deadline each
                    for p, (text, due) in zip([*pending, st], paired):
                        p.due_text, p.due = text, due
                        p.span = (pending[0].span[0], seg_span[1])  # each quotes the reports and the deadlines
                        out.append(p)
                    pending = []
                    continue
                due = _find_due(segment, "once" if every == "on-request" else every)
                if due is None:
                    due = _head_due(head, every)
                    han = _HAN_LA.search(clause)
                    if due is None and han:  # "Hạn gửi báo cáo quý: ngày 15 tháng cuối quý"
                        due = _find_due(clause[han.start():], "once" if every == "on-request" else every)
                    if due is not None:  # the deadline stands before the reports: the quote starts there
                        st.span = _trim(sentence, a, seg_span[1])
                if every == "on-request":
                    if due is None:
                        out.append(st)  # "Báo cáo đột xuất: theo yêu cầu của UBND tỉnh"
                        continue
                    st.every = every = "once"  # "báo cáo chuyên đề ... trước ngày 30/6": a one-off
                if due is None:
                    rest = segment[m.end() - m.start():].strip(" ,:")
                    if not rest or _JOINS_NEXT.fullmatch(_fold1(rest)):
                        pending.append(st)  # "Báo cáo 6 tháng và báo cáo năm: trước ..." shares the next deadline
                    elif _DEADLINE_WORDS.search(segment):
                        left = []
                        for p in pending:  # the reports listed before it may read the phrase they share
                            shared = _find_due(segment, p.every)
                            if shared is None:
                                left.append(p)
                                continue
                            p.due_text, p.due = shared
                            p.span = (p.span[0], seg_span[1])
                            p.window_text, p.window, p.window_unread = _find_window(segment, p.every)
                            out.append(p)
                        pending = left
                        out.append(_todo(sentence, seg_span, block, _why("no-due")))
                    else:  # "Báo cáo tháng: số liệu tính từ ...; gửi ... trong thời hạn ...": the next clause
                        st.window_text, st.window, st.window_unread = _find_window(segment, every)
                        waiting.append(st)
                    continue
                st.due_text, st.due = due
                st.window_text, st.window, st.window_unread = _find_window(segment, every)
                for p in pending:  # its quote runs on to the deadline it shares
                    p.due_text, p.due = _find_due(segment, p.every) or (st.due_text, st.due)
                    p.span = (p.span[0], seg_span[1])
                    p.window_text, p.window, p.window_unread = _find_window(segment, p.every)
                    out.append(p)
                pending = []
                out.append(st)
            waiting.extend(pending)  # "Báo cáo quý và báo cáo năm; ..." : a later clause may date them
            continue
        # a clause with no report of its own: the deadline of reports named before it ...
        if waiting and _DEADLINE_WORDS.search(clause):
            left = []
            for st in waiting:
                due = _find_due(clause, st.every)
                if due is None:
                    left.append(st)
                    continue
                st.due_text, st.due = due
                if not st.window and not st.window_unread:
                    st.window_text, st.window, st.window_unread = _find_window(clause, st.every)
                st.span = (st.span[0], _trim(sentence, a, b)[1])
                out.append(st)
            if len(left) < len(waiting):
                waiting = left
                continue
        # ... a data window for the report before it ...
        window_m = _WINDOW_PHRASE.search(clause)
        last = out[-1] if out else None
        if window_m and last is not None and last.kind == "report" and not last.window and not last.window_unread \
                and not _DEADLINE_WORDS.search(clause):
            last.window_text, last.window, last.window_unread = _find_window(clause, last.every)
            last.span = (last.span[0], _trim(sentence, a, b)[1])
            continue
        if not _DEADLINE_WORDS.search(clause) and not _WITHIN_MONTH.search(clause):
            if _REPORT_WORD.search(clause) and _ON_REQUEST.search(clause) and not waiting:
                # "Các báo cáo khác (nếu có) thực hiện theo yêu cầu của Ủy ban nhân dân tỉnh": reports on request
                out.append(_Statement("report", sentence, _trim(sentence, a, b), block, "on-request", label="theo yêu cầu"))
            continue
        out.append(_other_deadline(sentence, _trim(sentence, a, b), block, plan_year))
    if waiting:  # a report named with no deadline anywhere in its sentence: for a person to read
        out.append(_todo(sentence, _trim(sentence, 0, len(sentence)), block, NO_DEADLINE))
    for st in out:
        _count_from_named_cutoff(st, block)
    return out


def _count_from_named_cutoff(st: _Statement, block: _Block) -> None:
    """"... trong thời hạn 03 ngày làm việc kể từ ngày chốt số liệu, số liệu chốt vào ngày 05 hằng tháng": a
    count from the data cut-off, with no data window to end it, counts from the cut-off day the sentence
    (or its paragraph) names: written as plans write it, the day in brackets."""
    if st.kind != "report" or not st.due or st.window:
        return
    (_, ref), = st.due.items()
    if ref.get("after") != "window-end":
        return
    for text in (st.sentence, block.text):
        cutoff = phrases.cutoff_in(text, st.every)
        if cutoff is None:
            continue
        try:
            st.due_text, st.due = phrases.count_from_cutoff(st.due_text, cutoff[0], st.every)
        except (phrases.PhraseError, ValueError):
            continue
        return  # the data window the cut-off ends is still for a person to write (window_unread, a # TODO)


_PLAN_WORDS = re.compile(r"\bkế\s+hoạch\b", re.I)
# a plan of another kind ("Kế hoạch kiểm tra ...", "kế hoạch tuyên truyền"): titled by what it is, not as the unit's own plan
_OTHER_PLAN = re.compile(r"\bkế\s+hoạch\s+(?:kiểm\s+tra|tuyên\s+truyền|tổ\s+chức|khảo\s+sát|giám\s+sát|thanh\s+tra|đào\s+tạo|"
                         r"bồi\s+dưỡng|thi\s+đua|đối\s+thoại|tiếp\s+xúc)\b", re.I)
_SEND_WORDS = re.compile(r"\b(gửi|nộp|ban\s+hành)\b", re.I)


def _other_deadline(sentence: str, span: tuple[int, int], block: _Block, plan_year: int | None) -> _Statement:
    clause = sentence[span[0]:span[1]]
    every = phrases.frequency_words(sentence) or "once"
    low = clause.lower()
    whole = sentence.lower()
    if _REPORT_WORD.search(clause[:(_DEADLINE_WORDS.search(clause) or re.search("$", clause)).start()]) \
            or _FOR_REPORT.search(clause):
        return _unlabelled_report(sentence, span, block, plan_year)
    if ("xếp loại" in low or "quyết định đánh giá" in low) and ("chấm điểm" in whole or "đánh giá" in whole):
        kind = "scoring-decision"
    elif "chấm điểm" in low or "tự đánh giá" in low:
        kind = "self-assessment"
    elif _PLAN_WORDS.search(clause) and _SEND_WORDS.search(clause) and not _OTHER_PLAN.search(clause):
        kind = "plan-submission"  # the unit's own plan for carrying this one out
    elif _SUBMITTED.search(clause[:(_DEADLINE_WORDS.search(clause) or re.search("$", clause)).start()] or clause):
        kind = "submission"  # "Đăng ký mô hình ... gửi Sở Nội vụ trước ngày 30/4", "Hạn gửi hồ sơ ...: trước ngày 25/10"
    else:
        return _todo(sentence, span, block, _why("not-a-report"))
    if kind == "plan-submission":
        every = "once"
    st = _Statement(kind, sentence, span, block, every)
    if kind == "submission":
        st.label = _what_is_sent(clause)
    due = _find_due(clause, every)
    if due is None:
        return _todo(sentence, span, block, _why("no-due"))
    st.due_text, st.due = due
    return st


# something sent, filed or issued by a deadline: what the plan tracks besides reports (an event held by a
# day, "Tổ chức hội nghị sơ kết trước ngày 30/6", is not: it stays for review)
_SUBMITTED = _Folded(r"\b(?:gửi|nộp|ban\s+hành|đăng\s+ký|trình|hồ\s+sơ|quyết\s+định)\b", re.I)
_WHAT_LEAD = _Folded(r"^(?:(?:thời\s+)?hạn\s+(?:chót\s+|cuối\s+)?(?=gửi|nộp|đăng|trình|ban)|thời\s+gian\s+(?=gửi|nộp|đăng|trình|ban))", re.I)
_WHAT_TAIL = _Folded(r"\s+(?:gửi|về|tới|đến|cho)\s+(?=(?:Sở|UBND|Ủy\s+ban|Uỷ\s+ban|Ban|Văn\s+phòng|Phòng|Bộ|Hội\s+đồng)\b).*$"
                     r"|[\s,:;]+$")


def _what_is_sent(clause: str) -> str:
    """A one-off's title: the clause before its deadline, without the body that does it or the one it
    goes to ("Sở Nội vụ tổng hợp, tham mưu ... ban hành quyết định xếp loại trước ngày 20/12" -> "Tổng
    hợp, tham mưu ... ban hành quyết định xếp loại")."""
    from dvcq.documents.draft.bodies import _subject

    deadline = _DEADLINE_WORDS.search(clause) or _WITHIN_MONTH.search(clause)
    head = clause[:deadline.start()] if deadline and deadline.start() > 0 else clause
    head = re.sub(r"\s+(?:được|sẽ\s+được)\s+(?:ban\s+hành|gửi|nộp|trình)\s*$", "", head.strip())
    who = _subject(head)
    if who and head.startswith(who):
        head = head[len(who):]
    lead = _WHAT_LEAD.search(head.strip())
    head = head.strip()[lead.end() if lead else 0:]
    tail = _WHAT_TAIL.search(head)
    head = " ".join((head[:tail.start()] if tail else head).split()).strip(" ,:;")
    if len(head) > 120:
        head = head[:117].rsplit(" ", 1)[0] + " ..."
    return head[:1].upper() + head[1:] if head else "Việc có thời hạn"


_FOR_REPORT = _Folded(r"\b(?:đối\s+với|cho)\s+(?:các\s+)?báo\s+cáo\b", re.I)


def _unlabelled_report(sentence: str, span: tuple[int, int], block: _Block, plan_year: int | None) -> _Statement:
    """"Báo cáo kết quả thực hiện ... năm 2024 về Sở Nội vụ ... trước ngày 29 tháng 11 năm 2024": a report
    whose kind is not written right after "báo cáo"."""
    clause = sentence[span[0]:span[1]]
    start = _REPORT_WORD.search(clause).start()
    first = _DEADLINE_WORDS.search(clause)
    if first and first.start() < start:  # "Trước ngày 05 tháng 12 đối với báo cáo kết quả ... năm 2025": after its deadline
        before = _HEAD_TAIL.sub("", clause[:start])
        head = clause[start:]
        every = phrases.frequency_words(head) or ("year" if plan_year and re.search(rf"\bnăm\s+{plan_year}\b", head) else "once")
        label = re.sub(r"\s+(?:năm\s+)?\d{4}\s*$", "", re.split(r"\s+(?:về|gửi|cho|tới|đến)\s+|\s*\(", head, maxsplit=1)[0])
        st = _Statement("report", sentence, span, block, every, None, label=label[len("báo cáo"):].strip(" :;."))
        due = _find_due(before, every)
        if due is None:
            return _todo(sentence, span, block, _why("no-due"))
        st.due_text, st.due = due
        return st
    span = (span[0] + start, span[1])
    clause = sentence[span[0]:span[1]]
    deadline = _DEADLINE_WORDS.search(clause)
    head = clause[:deadline.start()] if deadline else clause
    every = phrases.frequency_words(head)
    if every is None and plan_year and re.search(rf"\bnăm\s+{plan_year}\b", head):
        every = "year"  # the report on the plan's year
    every = every or "once"
    label = re.split(r"\s+(?:về|gửi|cho|trước|chậm|tới|đến)\s+|\s*\(", head, maxsplit=1)[0]
    label = re.sub(r"\s+\d{4}\s*$", "", label).strip(" :")
    st = _Statement("report", sentence, span, block, every, None, label=label[len("báo cáo"):].strip())
    due = _find_due(clause, every)
    if due is None:
        return _todo(sentence, span, block, _why("no-due"))
    st.due_text, st.due = due
    st.window_text, st.window, st.window_unread = _find_window(clause, every)
    return st
