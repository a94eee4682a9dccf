"""Statements: what a sentence asks for (the reports it names, their deadline and data-window
phrases, merges, other deadlines), and who sends and who receives."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvcq.core import phrases
from dvcq.documents.draft.lines import _Block, _DEADLINE_WORDS, _Folded, _clauses, _fold1, _trim


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
_MERGE_WORDS = re.compile(r"lồng\s+ghép|tích\s+hợp|gộp", re.I)
_REPORT_WORD = _Folded(r"\bbáo\s+cáo\b", re.I)
_MONTHS_IN_PERIOD = re.compile(r"số\s+liệu\s+(?:chốt\s+)?(\d{1,2}|ba|sáu|chín)\s+tháng\s+(?:trong|của)\s+(quý|năm|kỳ)", re.I)
_NUMBER_WORDS = {"ba": 3, "sáu": 6, "chín": 9}


_MORE_DEADLINE_WORDS = _Folded(r"kể\s+từ\s+ngày|trong\s+thời\s+hạn|\bhạn\s+(?:nộp|gửi|báo\s+cáo)", re.I)
_A_DATE = _Folded(r"\b\d{1,2}\s*/\s*\d{1,2}\b|\bngày\s+\d{1,2}\s+(?:tháng|của)\b", re.I)
_SEND_OR_REPORT = _Folded(r"\b(?:gửi|nộp|báo\s+cáo|hoàn\s+thành)\b", re.I)


def _is_dated(sentence: str) -> bool:
    """A sentence the draft must account for (a rule or a # TODO): it holds a deadline word or
    names a report kind, or it gives a date for sending or finishing something."""
    return bool(_DEADLINE_WORDS.search(sentence) or _MORE_DEADLINE_WORDS.search(sentence) or _LABEL.search(sentence)
                or (_A_DATE.search(sentence) and _SEND_OR_REPORT.search(sentence)))


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


_LISTED_KIND = _Folded(r"\s*(?:,|và|hoặc)\s*(?:(?:báo\s+cáo|bc)\s+)?(?P<label>(?:6|sáu)\s+tháng(?:\s+\(?(?:đầu|cuối)\s+năm\)?)?"
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


def _head_due(head: str, every: str) -> tuple[str, dict] | None:
    """A deadline written before the report it is for: "Chậm nhất ngày 15 (mười lăm) của tháng báo cáo
    đối với báo cáo định kỳ hằng tháng" gives «chậm nhất ngày 15 của tháng báo cáo»."""
    if not _DEADLINE_WORDS.search(head):
        return None
    head = _HEAD_TAIL.sub("", _HEAD_NUMBER_WORDS.sub("", head))
    return _find_due(head, every)


def _statements(sentence: str, block: _Block, plan_year: int | None) -> list[_Statement]:
    """The reports and deadlines one sentence states, found wherever they stand in its clauses: a
    report with its deadline after it, a deadline before the reports it is for, a report whose
    data window comes first and its deadline in the next clause, a report sent on request."""
    out: list[_Statement] = []
    waiting: list[_Statement] = []  # reports of an earlier clause still without a deadline
    for a, b in _clauses(sentence):
        clause = sentence[a:b]
        if _MERGE_WORDS.search(clause) and re.search(r"tháng\s+\d", clause, re.I):
            out.append(_merge_statement(sentence, (a, b), block))
            continue
        labels = _with_listed_kinds(clause, [m for m in _LABEL.finditer(clause)
                                             if not re.search(r"(ngày|tới|đến)\s*$", clause[:m.start()], re.I)])
        if labels:
            pending: list[_Statement] = []
            head = clause[:labels[0].start()]
            for i, m in enumerate(labels):
                end = labels[i + 1].start() if i + 1 < len(labels) else len(clause)
                seg_span = _trim(sentence, a + m.start(), a + end)
                segment = sentence[seg_span[0]:seg_span[1]]
                every, periods = _label_frequency(m.group("label"))
                st = _Statement("report", sentence, seg_span, block, every, periods, label=m.group("label"))
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
                    if not rest or rest.lower() in ("và", "và các"):
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
        if not _DEADLINE_WORDS.search(clause):
            continue
        out.append(_other_deadline(sentence, _trim(sentence, a, b), block, plan_year))
    if waiting:  # a report named with no deadline anywhere in its sentence: for a person to read
        out.append(_todo(sentence, _trim(sentence, 0, len(sentence)), block, NO_DEADLINE))
    return out


def _todo(sentence: str, span: tuple[int, int], block: _Block, why: str) -> _Statement:
    return _Statement("todo", sentence, span, block, why=why)


def _merge_statement(sentence: str, span: tuple[int, int], block: _Block) -> _Statement:
    span = _trim(sentence, *span)
    clause = sentence[span[0]:span[1]]
    m = re.search(r"tháng\s+((?:\d{1,2}\s*(?:,|và)\s*)*\d{1,2})\b.*?(?:lồng\s+ghép|tích\s+hợp|gộp)\D*?vào\s+(.*)$",
                  clause, re.I)
    if not m:
        return _todo(sentence, span, block, _why("merge-unread"))
    months = [int(x) for x in re.findall(r"\d{1,2}", m.group(1))]
    targets = [t.strip() for t in re.split(r"\s*,\s*|\s+và\s+", m.group(2)) if t.strip()]
    if len(targets) == 1:
        targets = targets * len(months)
    if len(targets) != len(months) or not all(1 <= x <= 12 for x in months):
        return _todo(sentence, span, block, _why("merge-count"))
    return _Statement("merge", sentence, span, block, merge=list(zip(months, targets)))


_PLAN_WORDS = re.compile(r"\bkế\s+hoạch\b", re.I)
_SEND_WORDS = re.compile(r"\b(gửi|nộp|ban\s+hành)\b", re.I)


def _other_deadline(sentence: str, span: tuple[int, int], block: _Block, plan_year: int | None) -> _Statement:
    clause = sentence[span[0]:span[1]]
    every = phrases.frequency_words(sentence) or "once"
    low = clause.lower()
    whole = sentence.lower()
    if _REPORT_WORD.search(clause[:(_DEADLINE_WORDS.search(clause) or re.search("$", clause)).start()]):
        return _unlabelled_report(sentence, span, block, plan_year)
    if ("xếp loại" in low or "quyết định đánh giá" in low) and ("chấm điểm" in whole or "đánh giá" in whole):
        kind = "scoring-decision"
    elif "chấm điểm" in low or "tự đánh giá" in low:
        kind = "self-assessment"
    elif _PLAN_WORDS.search(clause) and _SEND_WORDS.search(clause):
        kind = "plan-submission"
    else:
        return _todo(sentence, span, block, _why("not-a-report"))
    if kind == "plan-submission":
        every = "once"
    st = _Statement(kind, sentence, span, block, every)
    due = _find_due(clause, every)
    if due is None:
        return _todo(sentence, span, block, _why("no-due"))
    st.due_text, st.due = due
    return st


def _unlabelled_report(sentence: str, span: tuple[int, int], block: _Block, plan_year: int | None) -> _Statement:
    """"Báo cáo kết quả thực hiện ... năm 2024 về Sở Nội vụ ... trước ngày 29 tháng 11 năm 2024": a report
    whose kind is not written right after "báo cáo"."""
    clause = sentence[span[0]:span[1]]
    start = _REPORT_WORD.search(clause).start()
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


# ================================================================================================
# Who sends, who receives
# ================================================================================================

_BODY_HEADS = ("Các", "Sở", "UBND", "Ủy ban", "Uỷ ban", "Ban", "Văn phòng", "Thanh tra", "Thanh Tra", "Bộ", "Công an",
               "Đài", "Báo", "Hội", "Liên đoàn", "Tỉnh đoàn", "Phòng", "Trung tâm", "Cục", "Chi cục", "Kho bạc")
_RECEIVER_HEADS = ("Sở", "UBND", "Ủy ban", "Uỷ ban", "Ban", "Văn phòng", "Thanh tra", "Bộ", "Tỉnh ủy", "Phòng",
                   "Hội đồng", "Chủ tịch")
_STOP_WORDS = {"để", "tổng", "trình", "trước", "chậm", "theo", "quyết", "báo", "trong", "và", "hoặc", "kèm", "ngày",
               "qua", "tham", "xem", "chậm", "muộn", "định", "đúng", "số", "thời", "hạn", "chấm", "xếp", "đánh",
               "thẩm", "như", "không", "kết", "về", "để", "chậm", "trước", "trong", "tổng"}


def _body_after(text: str, start: int) -> str:
    """The name of a body that starts at text[start:], up to a word that is no longer part of it, and
    with a bracket "(qua ...)" after it."""
    words = []
    for m in re.finditer(r"[^\s,;.():]+|[,;.():]", text[start:]):
        w = m.group(0)
        if w in ",;.():" or (words and w.lower() in _STOP_WORDS) or len(words) >= 9:
            break
        words.append(w)
    name = " ".join(words)
    rest = text[start + len(name):] if text[start:start + len(name)] == name else ""
    qua = re.match(r"\s*\((qua\s+[^()]{2,80})\)", rest)
    if qua:
        name += f" ({qua.group(1).strip()})"
    return name


_HEAD_WORDS = re.compile(r"\b(?:sở|ủy ban|uỷ ban|văn phòng|ban|phòng|thanh tra|bộ|tỉnh ủy|hội đồng|chủ tịch|trung tâm)\b")


def _uncapped(text: str) -> str:
    """A text in capitals in lower case, a body's head word capitalised ("GỬI SỞ NỘI VỤ" -> "gửi Sở nội vụ"):
    the same length, so a name found in it is cut from the text as written."""
    return _HEAD_WORDS.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:], text.lower())


def _recipient(*texts: str) -> str | None:
    caps = [t for t in texts if t and t.isupper()]  # "GỬI SỞ NỘI VỤ TRƯỚC NGÀY 16/6": the same words in capitals
    if caps:
        found = _recipient(*(_uncapped(t) for t in caps))
        if found:
            at = _uncapped(caps[0]).find(found)
            return caps[0][at:at + len(found)] if at >= 0 else found.upper()
    pattern = re.compile(r"\b(?:gửi|về|nộp|tham\s+mưu|trình|cho|báo\s+cáo)\s+(?:cho\s+)?(?=(?:" + "|".join(re.escape(h) for h in _RECEIVER_HEADS)
                         + r")\b)")
    for text in texts:
        if not text:
            continue
        m = pattern.search(text)
        if m:
            name = _body_after(text, m.end())
            if name:
                return name
        qua = re.search(r"\(qua\s+((?:" + "|".join(re.escape(h) for h in _RECEIVER_HEADS) + r")\b[^()]*)\)", text)
        if qua:
            return _body_after(qua.group(1), 0)
    return None


_VERBS = (r"chấp\s+hành|thực\s+hiện|có\s+trách\s+nhiệm|báo\s+cáo|gửi|nộp|định\s+kỳ|chủ\s+động|tổng\s+hợp|xây\s+dựng|"
          r"hoàn\s+thành|ban\s+hành|tham\s+mưu|rà\s+soát|lập|đăng\s+ký|chịu\s+trách\s+nhiệm")
_SUBJECT_HEADS = (r"(?:Các|Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|UBND|Ủy\s+ban|Uỷ\s+ban|Sở|Phòng|Ban|Văn\s+phòng|Thanh\s+tra|"
                  r"Trung\s+tâm|Công\s+an|Bộ|Cục|Chi\s+cục|Hội|Tỉnh\s+đoàn|Liên\s+đoàn|Kho\s+bạc)\b")
_SUBJECT_AT = re.compile(r"(?:^|(?<=:\s)|(?<=,\s)|(?<=\bcủa\s))(?P<name>(?-i:" + _SUBJECT_HEADS + r")[^.:;()]{0,90}?|(?i:các)\s[^.:;()]{2,90}?)"
                         r"\s+(?=(?:" + _VERBS + r")\b)")


def _subject(text: str) -> str | None:
    """"Các cơ quan, đơn vị, địa phương chấp hành nghiêm ..." -> "Các cơ quan, đơn vị, địa phương"."""
    if text.isupper():  # "CÁC ĐƠN VỊ GỬI BÁO CÁO NĂM ...": read in title case, given back as written
        found = _subject(_uncapped(text))
        if found:
            at = _uncapped(text).find(found)
            return text[at:at + len(found)] if at >= 0 else None
    for m in _SUBJECT_AT.finditer(text):
        name = m.group("name").strip(" ,")
        if not _DEADLINE_WORDS.search(name) and not re.match(r"báo\s+cáo\b", name, re.I) and len(name.split()) >= 2:
            return name
    m = re.match(r"(Các\s[^.:;]{3,90}?)\s+(?:chấp\s+hành|thực\s+hiện|có\s+trách\s+nhiệm|báo\s+cáo|gửi|định\s+kỳ|chủ\s+động)\b",
                 text)
    if m:
        return m.group(1).strip(" ,")
    m = re.search(r"((?:Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|Các|UBND|Ủy\s+ban|Sở)\b[^:]{3,300}?)\s+(?:có|chịu)\s+trách\s+nhiệm",
                  text)
    if m:
        return m.group(1).strip(" ,")
    return None


def _names_bodies(heading: str) -> str | None:
    if re.match(r"báo\s+cáo\b", heading, re.I) or _DEADLINE_WORDS.search(heading):
        return None  # "Báo cáo 6 tháng: gửi trước ngày 25 tháng 6." names a report, not who sends it
    text = re.sub(r"^Đề\s+nghị\s+", "", heading).strip()
    text = re.sub(r"\s*(?:có\s+trách\s+nhiệm)?\s*:?$", "", text)
    if len(text) > 100 or not text.startswith(_BODY_HEADS) or text.count(" ") > 14:
        return None
    return text


def _sender(st: _Statement) -> str | None:
    sentence_start = _subject(st.sentence)
    if sentence_start:
        return sentence_start
    if st.block.kind == "bullet" and st.block.lead:
        lead = _subject(st.block.lead)
        if lead:
            return lead
    whose = re.search(r"\bbáo\s+cáo\b[^;]*?\bcủa\s+((?:các|Ủy\s+ban|UBND|Sở|Phòng|Ban)\b[^.;:()]{2,80}?)\s*[;.]?$", st.text)
    if whose and not _DEADLINE_WORDS.search(whose.group(1)):  # "... đối với báo cáo 6 tháng của các phòng, ban chuyên môn"
        return whose.group(1)
    owner = st.block.owner
    if owner and owner != st.block.text:  # the heading the block falls under ("a) Sở Nội vụ")
        named = _names_bodies(owner) or _subject(owner)
        if named:
            return named
    if st.block.parent:  # "1. Các cơ quan, đơn vị báo cáo định kỳ về Sở Nội vụ như sau:" over its items
        return _subject(st.block.parent)
    return None
