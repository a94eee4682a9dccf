"""Statements: what a sentence asks for (the reports it names, their deadline and data-window
phrases, merges, other deadlines), and who sends and who receives."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvcq.core import phrases
from dvcq.documents.draft.lines import _AsTyped, _Block, _DEADLINE_WORDS, _Folded, _clauses, _fold1, _trim


# ================================================================================================
# Statements: what a sentence asks for, with which deadline
# ================================================================================================

_ROMANS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_LABEL = _Folded(
    r"\bbáo\s+cáo\s+(?:(?:định\s+kỳ|kết\s+quả|sơ\s+kết|tổng\s+kết)\s+)?(?:(?:hằng|hàng)\s+)?(?P<label>"
    r"(?:6|sáu)(?:\s*\(sáu\))?\s+tháng(?:\s+\(?(?:đầu|cuối)\s+năm\)?)?(?:\s+\d{4})?"
    r"|(?:9|chín)(?:\s*\(chín\))?\s+tháng(?:\s+\(?đầu\s+năm\)?)?(?:\s+\d{4})?"
    r"|quý(?!\s+(?:định|chế|trình|mô|hoạch))(?:\s+(?-i:[IV]{1,3})(?:\s*(?:,|và)\s*(?:quý\s+)?(?-i:[IV]{1,3}))*)?(?:\s*/\s*\d{4})?"
    r"|tháng(?!\s+\d)"
    r"|năm(?:\s+\d{4})?"
    r"|(?P<request>đột\s+xuất|chuyên\s+đề|nhanh|theo\s+yêu\s+cầu|khi\s+có\s+yêu\s+cầu)"
    r")(?=[\s:,;.)]|$)", re.I)
_WINDOW_PHRASE = _Folded(r"(?:(?:mốc|thời\s+gian\s+lấy|thời\s+điểm\s+lấy|thời\s+gian\s+chốt|thời\s+điểm\s+chốt)\s+)?"
                            r"số\s+liệu[^;,]*"
                            r"|\btừ\s[^;,]*?\s(?:đến|tới)\s[^;,]*", re.I)  # a table cell: "Từ ngày 15 ... đến ..."
class _Why(str):
    """Why a sentence is left for review: in the plan's language (the file's # TODO), with its message
    id and values, so that --explain says it in the run's language."""


def _why(msg: str, **values) -> _Why:
    from dvcq.core.messages import say

    why = _Why(say("vi", f"draft.why.{msg}", **values))
    why.msg, why.values = f"draft.why.{msg}", values
    return why


NO_DEADLINE = _why("no-deadline")
_HEAD_NUMBER_WORDS = re.compile(r"\s*\((?:[^\W\d_]+\s*){1,4}\)")  # "ngày 15 (mười lăm)"
_MERGE_WORDS = _AsTyped(r"lồng\s+ghép|tích\s+hợp|gộp|tổng\s+hợp\s+(?:chung\s+)?(?:vào|trong)|thay\s+(?:thế\s+)?(?:bằng|cho)", re.I)
_REPORT_WORD = _Folded(r"\bbáo\s+cáo\b", re.I)
_MONTHS_IN_PERIOD = re.compile(r"số\s+liệu\s+(?:chốt\s+)?(\d{1,2}|ba|sáu|chín)\s+tháng\s+(?:trong|của)\s+(quý|năm|kỳ)", re.I)
_NUMBER_WORDS = {"ba": 3, "sáu": 6, "chín": 9}


_MORE_DEADLINE_WORDS = _Folded(r"kể\s+từ\s+ngày|\bthời\s+hạn\b|\bhạn\s+(?:nộp|gửi|báo\s+cáo|hoàn\s+thành)", re.I)
# "đúng hạn", "quá hạn": a deadline word when what is sent or done on time is a report or a sending
_ON_TIME = _Folded(r"\b(?:đúng|quá|đến|trễ|trước)\s+hạn\b", re.I)
# a report named by its regime, without a kind after "báo cáo": "chế độ báo cáo định kỳ", "Định kỳ 6 tháng,
# năm, các đơn vị báo cáo ...", "Các báo cáo khác (nếu có) thực hiện theo yêu cầu ..."
_REGIME = _Folded(r"\bbáo\s+cáo\s+định\s+kỳ\b|\bđịnh\s+kỳ\s+(?:(?:hằng|hàng)\s+)?(?:6\s+tháng|9\s+tháng|quý|tháng|năm)\b", re.I)
_ON_REQUEST = _Folded(r"\b(?:theo|khi\s+có)\s+yêu\s+cầu\b", re.I)
# a date a thing is sent, issued or finished by; a date after a document's number or name is part of
# that name ("Kế hoạch số 12/KH-UBND ngày 20/01/2025"), not a date the sentence sets
_A_DATE = _Folded(r"\b\d{1,2}\s*/\s*\d{1,2}\b|\bngày\s+\d{1,2}\s+(?:tháng|của)\b|\btháng\s+\d{1,2}\s*/\s*\d{4}\b", re.I)
_SEND_OR_REPORT = _Folded(r"\b(?:gửi|nộp|báo\s+cáo|hoàn\s+thành|ban\s+hành)\b", re.I)
_CITED_DATE = _Folded(r"(?:\bsố\s+(?!liệu)[^\s,;]+(?:\s+[^\s,;]+)?|\b(?:Luật|Bộ\s+luật|Nghị\s+định|Nghị\s+quyết|Quyết\s+định|Chỉ\s+thị|Thông\s+tư|Kết\s+luận|"
                      r"Kế\s+hoạch|Công\s+văn|Quy\s+định|Đề\s+án|Chương\s+trình)\s+\S+"
                      # a law is cited by its title: "Luật Thực hiện dân chủ ở cơ sở ngày 10/11/2022"
                      r"|\b(?-i:Luật|Bộ\s+luật)(?:\s+(?!(?:gửi|nộp|trình|ban|hoàn|báo|trước|chậm)\b)[^\s,;.]+){1,10})"
                      r"\s*,?\s*ngày\s*$")


# "ngày 24/8/2021 của Ban Thường vụ Tỉnh ủy": a document's date, followed by who issued it
_ISSUED_BY = _Folded(r"[\d/]*(?:\s+năm\s+\d{4})?\s*,?\s*của\s+(?:Ban|Bộ|UBND|Ủy\s+ban|Uỷ\s+ban|Chính\s+phủ|Thủ\s+tướng|Tỉnh\s+ủy|"
                     r"Tỉnh\s+uỷ|HĐND|Hội\s+đồng|Sở|Quốc\s+hội|Chủ\s+tịch|Thanh\s+tra|Văn\s+phòng|Ủy\s+ban|Trung\s+ương)\b")
_PLACE_DATE = _Folded(r"^[^\W\d_][^,]{1,40},\s*ngày\s")  # "Hà Giang, ngày 28 tháng 02 năm 2024": the document's own


def _own_date(sentence: str) -> bool:
    """A date in the sentence that is not a cited document's (nor the document's own, under its number)."""
    if _PLACE_DATE.match(sentence):
        return False
    for m in _A_DATE.finditer(sentence):
        before = sentence[max(0, m.start() - 60):m.start()]
        if _CITED_DATE.search(before + ("ngày" if _fold1(m.group(0).lower()).startswith("ngay") else "")):
            continue
        if m.start() == 0 or _ISSUED_BY.match(sentence, m.end()):
            continue  # a citation broken over two lines ("14/8/2023 của Chính phủ ..."), or one naming its issuer
        return True
    return False


def _is_dated(sentence: str) -> bool:
    """A sentence the draft must account for (a rule or a # TODO): it holds a deadline word or
    names a report kind, or it gives a date for sending or finishing something."""
    if _DEADLINE_WORDS.search(sentence) or _MORE_DEADLINE_WORDS.search(sentence) or _LABEL.search(sentence):
        return True
    if _REPORT_WORD.search(sentence) and (_REGIME.search(sentence) or _ON_REQUEST.search(sentence)):
        return True
    return bool((_SEND_OR_REPORT.search(sentence) and _ON_TIME.search(sentence)) or _own_date(sentence))


@dataclass
class _Statement:
    kind: str  # "report" | "plan-submission" | "self-assessment" | "scoring-decision" | "merge" | "todo"
    sentence: str
    span: tuple[int, int]
    block: _Block
    every: str = "once"
    periods: tuple[int, ...] | None = None
    label: str = ""
    due_text: str = ""
    due: dict | None = None
    window_text: str = ""
    window: dict | str | None = None
    window_unread: str = ""
    merge: list[tuple[int, str]] = field(default_factory=list)  # (month, target phrase)
    folded: list[tuple[str, int, str]] = field(default_factory=list)  # (every, period number, target phrase)
    why: str = ""  # for a todo

    @property
    def text(self) -> str:
        return self.sentence[self.span[0]:self.span[1]]


def _label_frequency(label: str) -> tuple[str, tuple[int, ...] | None]:
    low = _fold1(re.sub(r"\s*\((sáu|chín)\)", "", label.lower()).replace("(", "").replace(")", ""))
    if re.match(r"dot\s+xuat|chuyen\s+de|nhanh|theo\s+yeu\s+cau|khi\s+co\s+yeu\s+cau", low):
        return "on-request", None
    if re.match(r"(6|sau)\s+thang", low):
        if "dau nam" in low:
            return "half", (1,)
        if "cuoi nam" in low:
            return "half", (2,)
        return "half", None
    if re.match(r"(9|chin)\s+thang", low):
        return "nine-months", None
    if low.startswith("quy") or low.startswith("qui"):
        numbers = tuple(sorted({_ROMANS[r] for r in re.findall(r"\b([IV]{1,3})\b", label) if r in _ROMANS}))
        return "quarter", numbers or None
    if low.startswith("thang"):
        return "month", None
    return "year", None


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


class _Kind:
    """A report kind listed after another ("Báo cáo quý, 6 tháng, năm"): read like a label match."""

    def __init__(self, start: int, end: int, label: str):
        self._start, self._end, self._label = start, end, label

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, name=0) -> str:
        return self._label


_LISTED_KIND = _Folded(r"\s*(?:,|và|hoặc)\s*(?:(?:báo\s+cáo|bc)\s+)?(?:(?:sơ|tổng)\s+kết\s+)?(?P<label>(?:6|sáu)\s+tháng(?:\s+\(?(?:đầu|cuối)\s+năm\)?)?"
                          r"|(?:9|chín)\s+tháng|quý(?:\s+(?-i:[IV]{1,3}))?|năm(?!\s+\d)|tháng(?!\s+\d))(?=[\s:,;.)]|$)", re.I)


def _with_listed_kinds(clause: str, labels: list) -> list:
    out = []
    for m in labels:
        out.append(m)
        at = m.end()
        while True:
            k = _LISTED_KIND.match(clause, at)
            if not k or any(x.start() <= k.start("label") < x.end() for x in labels):
                break
            out.append(_Kind(k.start("label"), k.end("label"), k.group("label")))
            at = k.end()
    return out


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
                        p.span = (p.span[0], seg_span[1])
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


def _todo(sentence: str, span: tuple[int, int], block: _Block, why: str) -> _Statement:
    return _Statement("todo", sentence, span, block, why=why)


# ================================================================================================
# Merges: months whose report goes into another report
# ================================================================================================

# the report before the verb goes into the one after it ("Báo cáo tháng 12 lồng ghép vào báo cáo năm", "... được
# thay thế bằng ...", "... không gửi riêng mà tổng hợp chung trong ..."), or the one before it is sent instead
# of the month's ("tháng cuối quý gửi báo cáo quý thay cho báo cáo tháng")
_INTO = r"lồng\s+ghép|tích\s+hợp|gộp|tổng\s+hợp\s+(?:chung\s+)?(?:vào|trong)|thay\s+thế\s+bằng|thay\s+bằng"
_INSTEAD = r"thay\s+(?:thế\s+)?cho"
_MERGE_VERB = _AsTyped(rf"\b(?:(?P<into>{_INTO})|(?P<instead>{_INSTEAD}))\b", re.I)
_MERGED_MONTHS = _Folded(r"\btháng\s+(\d{1,2}(?:\s*(?:,|và|;)\s*(?:tháng\s+)?\d{1,2})*)\b(?!\s*(?:năm\s+\d|/\s*\d))"
                         r"|\b(?:các\s+)?tháng\s+cuối\s+(?:của\s+)?(quý|năm)\b", re.I)


def _merged_months(text: str) -> tuple[list[int], int]:
    """The months a text names as merged ("tháng 3, 6, 9 và 12", "tháng 6 và tháng 12", "các tháng cuối quý"),
    and where the last mention ends (0: none)."""
    months: list[int] = []
    end = 0
    for m in _MERGED_MONTHS.finditer(text):
        if m.group(1):
            months += [int(x) for x in re.findall(r"\d{1,2}", m.group(1))]
        else:
            months += [3, 6, 9, 12] if _fold1(m.group(2).lower()) == "quy" else [12]
        end = m.end()
    return months, end


def _report_kinds(text: str) -> list[tuple[str, int | None, str]]:
    """The reports a text names, in order: (every, period number or None, phrase)."""
    labels = _with_listed_kinds(text, [m for m in _LABEL.finditer(text)])
    out = []
    for m in labels:
        every, periods = _label_frequency(m.group("label"))
        if every == "on-request":
            continue
        out.append((every, periods[0] if periods and len(periods) == 1 else None, f"báo cáo {m.group('label')}"))
    return out


_MERGE_ASIDE = _AsTyped(r"\(((?:trừ|ngoại\s+trừ|riêng)?[^()]*?\b(?:lồng\s+ghép|tích\s+hợp|gộp)\b[^()]*)\)", re.I)
_OTHER_MONTHS = _Folded(r"\s*(?:các|những)\s+tháng\s+(?:còn\s+lại|khác)\b", re.I)
_BARE_QUARTERS = _Folded(r"\bquý\s+((?-i:[IV]{1,3})(?:\s*(?:,|và)\s*(?:quý\s+)?(?-i:[IV]{1,3}))*)\b", re.I)


def _folded_periods(text: str) -> list[tuple[str, int]]:
    """The quarters or halves a text names as merged ("báo cáo quý II và quý IV", "riêng quý III", "báo
    cáo 6 tháng cuối năm"): (every, number)."""
    out = []
    for m in _with_listed_kinds(text, list(_LABEL.finditer(text))):
        every, periods = _label_frequency(m.group("label"))
        if every in ("quarter", "half") and periods:
            out += [(every, n) for n in periods]
    if not out:
        for m in _BARE_QUARTERS.finditer(text):
            out += [("quarter", _ROMANS[r]) for r in re.findall(r"[IV]{1,3}", m.group(1)) if r in _ROMANS]
    return out


def _ends_in(every: str, number: int | None, month: int) -> bool:
    """Whether a report's period (one period, or any when number is None) ends in month."""
    ends = {"quarter": (3, 6, 9, 12), "half": (6, 12), "nine-months": (9,), "year": (12,), "month": tuple(range(1, 13))}
    if month not in ends.get(every, ()):
        return False
    return number is None or {"quarter": (month + 2) // 3, "half": (month + 5) // 6}.get(every, 1) == number


def _merge_statements(sentence: str, span: tuple[int, int], block: _Block) -> list[_Statement]:
    """The merges of one clause, each verb with the months before it and the reports after it (or, with
    "thay cho", before it): several in one clause ("Báo cáo tháng 6 được lồng ghép vào báo cáo 6 tháng,
    báo cáo tháng 12 lồng ghép vào báo cáo năm"); one target for all the months, one target each (in
    order: "lần lượt", "tương ứng"), or each month into the report whose period ends in it."""
    a, b = _trim(sentence, *span)
    clause = sentence[a:b]
    verbs = list(_MERGE_VERB.finditer(clause))
    out: list[_Statement] = []
    start = 0
    for i, verb in enumerate(verbs):
        stop = verbs[i + 1].start() if i + 1 < len(verbs) else len(clause)
        before, after = clause[start:verb.start()], clause[verb.end():stop]
        months, _ = _merged_months(before)
        if i + 1 < len(verbs):  # the next merge's months begin where this merge's reports end
            nxt = _MERGED_MONTHS.search(after)
            if nxt:
                cut = after.rfind(",", 0, nxt.start())
                after = after[:cut if cut >= 0 else nxt.start()]
        if verb.group("instead"):  # "tháng cuối quý gửi báo cáo quý thay cho báo cáo tháng"
            replaced = _report_kinds(after)
            if not replaced or replaced[0][0] != "month":
                months = []
            _, months_end = _merged_months(before)
            targets = _report_kinds(before[months_end:])
        else:
            targets = _report_kinds(after)
        piece = _trim(sentence, a + start, a + verb.end() + len(after))
        start = verb.end() + len(after)
        if not months:  # "Báo cáo quý IV được thay thế bằng báo cáo năm", "riêng quý III lồng ghép trong báo cáo 9 tháng"
            folded = _folded_periods(before)
            if folded and targets and (len(targets) in (1, len(folded))):
                pairs = zip(folded, targets if len(targets) == len(folded) else targets * len(folded))
                out.append(_Statement("merge", sentence, piece, block,
                                      folded=[(every, number, t[2]) for (every, number), t in pairs]))
            elif folded:
                out.append(_todo(sentence, piece, block, _why("merge-count")))
            continue
        if not targets:
            out.append(_todo(sentence, piece, block, _why("merge-unread")))
            continue
        also = _folded_periods(before) if len(targets) == 1 else []
        if also:  # "báo cáo tháng 12 và báo cáo quý IV được lồng ghép vào báo cáo năm": a quarter with the month
            out.append(_Statement("merge", sentence, piece, block, folded=[(e, n, targets[0][2]) for e, n in also]))
        if len(targets) == 1:
            pairs = [(month, targets[0]) for month in months]
        elif len(targets) == len(months):
            pairs = list(zip(months, targets))
        else:
            fits = [[t for t in targets if _ends_in(t[0], t[1], month)] for month in months]
            if any(len(f) != 1 for f in fits):
                out.append(_todo(sentence, piece, block, _why("merge-count")))
                continue
            pairs = [(month, f[0]) for month, f in zip(months, fits)]
        if not all(1 <= month <= 12 for month, _ in pairs):
            out.append(_todo(sentence, piece, block, _why("merge-count")))
            continue
        out.append(_Statement("merge", sentence, piece, block, merge=[(month, t[2]) for month, t in pairs]))
    if not out:
        out.append(_todo(sentence, (a, b), block, _why("merge-unread")))
    return out


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
