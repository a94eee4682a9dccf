"""Who sends, who receives: the bodies a sentence names ("Các sở, ban, ngành", "Sở Nội vụ"), read with
or without diacritics ("Cac so, ban, nganh gui bao cao ve So Noi vu") and in capitals; a name is
always cut from the text as written. Nothing but a body's name is ever a sender or a recipient: a
subject such as "Các tháng cuối quý" or "Các báo cáo khác" is none."""
from __future__ import annotations

import re

from dvcq.documents.draft.lines import _DEADLINE_WORDS, _AsTyped as _Folded, _fold1


_BODY_HEADS = ("Các", "Sở", "UBND", "Ủy ban", "Uỷ ban", "Ban", "Văn phòng", "Thanh tra", "Thanh Tra", "Bộ", "Công an",
               "Đài", "Báo", "Hội", "Liên đoàn", "Tỉnh đoàn", "Phòng", "Trung tâm", "Cục", "Chi cục", "Kho bạc")
_FOLDED_HEADS = tuple(sorted({_fold1(h) for h in _BODY_HEADS}))
_RECEIVER_HEADS = ("Sở", "UBND", "Ủy ban", "Uỷ ban", "Ban", "Văn phòng", "Thanh tra", "Bộ", "Tỉnh ủy", "Phòng",
                   "Hội đồng", "Chủ tịch")
# words a name stops before, as written and without diacritics ("để", "de"); compared as written, so that
# "số" stops a name and "Sở" does not
_STOP_WORDS = {f(w) for f in (str, _fold1) for w in (
    "để", "tổng", "trình", "trước", "chậm", "theo", "quyết", "báo", "trong", "và", "hoặc", "kèm", "ngày", "qua", "tham",
    "xem", "muộn", "định", "đúng", "số", "thời", "hạn", "chấm", "xếp", "đánh", "thẩm", "như", "không", "kết", "về")}
# stop words that, capitalised, begin a name in a text without diacritics ("So" is "Sở", "Bao" is "Báo")
_NAME_NOT_STOP = {"so", "bao"}
_ISSUES = _Folded(r"\s+ban\s+hành\b")
_HEADS = "|".join(re.escape(h) for h in _RECEIVER_HEADS)
_TO = _Folded(r"\b(?:gửi|về|nộp|tham\s+mưu|trình|cho|báo\s+cáo)\s+(?:cho\s+)?(?=(?:" + _HEADS + r")\b)")
_QUA = _Folded(r"\(qua\s+((?:" + _HEADS + r")\b[^()]*)\)")
_QUA_AFTER = _Folded(r"\s*\((qua\s+[^()]{2,80})\)")


def _body_after(text: str, start: int) -> str:
    """The name of a body that starts at text[start:], up to a word that is no longer part of it, and
    with a bracket "(qua ...)" after it."""
    words, end = 0, start
    issue = _ISSUES.search(text, start)  # "tham mưu Ủy ban nhân dân tỉnh ban hành ...": the name ends before the verb
    for m in re.finditer(r"[^\s,;.():]+|[,;.():]", text[start:issue.start() if issue else len(text)]):
        w = m.group(0)
        fw = w.lower()
        stop = fw in _STOP_WORDS and not (w[:1].isupper() and fw in _NAME_NOT_STOP)
        if w in ",;.():" or (words and stop) or words >= 9:
            break
        words, end = words + 1, start + m.end()
    name = " ".join(text[start:end].split())
    qua = _QUA_AFTER.match(text, end) if words else None
    if qua:
        name += f" ({qua.group(1).strip()})"
    return name


_HEAD_WORDS = _Folded(r"\b(?:sở|ủy ban|uỷ ban|văn phòng|ban|phòng|thanh tra|bộ|tỉnh ủy|hội đồng|chủ tịch|trung tâm)\b")


def _uncapped(text: str) -> str:
    """A text in capitals in lower case, a body's head word capitalised ("GỬI SỞ NỘI VỤ" -> "gửi Sở nội vụ"):
    the same length, so a name found in it is cut from the text as written."""
    low = list(text.lower())
    for m in _HEAD_WORDS.finditer("".join(low)):
        low[m.start()] = low[m.start()].upper()
    return "".join(low)


def _recipient(*texts: str) -> str | None:
    caps = [t for t in texts if t and t.isupper()]  # "GỬI SỞ NỘI VỤ TRƯỚC NGÀY 16/6": the same words in capitals
    if caps:
        found = _recipient(*(_uncapped(t) for t in caps))
        if found:
            at = _uncapped(caps[0]).find(found)
            return caps[0][at:at + len(found)] if at >= 0 else found.upper()
    for text in texts:
        if not text:
            continue
        m = _TO.search(text)
        if m:
            name = _body_after(text, m.end())
            if name:
                return name
        qua = _QUA.search(text)
        if qua:
            return _body_after(qua.group(1), 0)
    return None


_VERBS = (r"chấp\s+hành|thực\s+hiện|có\s+trách\s+nhiệm|báo\s+cáo|gửi|nộp|định\s+kỳ|chủ\s+động|tổng\s+hợp|xây\s+dựng|"
          r"hoàn\s+thành|ban\s+hành|tham\s+mưu|rà\s+soát|(?<!công\s)lập|đăng\s+ký|chịu\s+trách\s+nhiệm")
_SUBJECT_HEADS = (r"(?:Các|Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|UBND|Ủy\s+ban|Uỷ\s+ban|Sở|Phòng|Ban|Văn\s+phòng|Thanh\s+tra|"
                  r"Trung\s+tâm|Công\s+an|Bộ|Cục|Chi\s+cục|Hội|Tỉnh\s+đoàn|Liên\s+đoàn|Kho\s+bạc)\b")
_SUBJECT_AT = _Folded(r"(?:^|(?<=:\s)|(?<=,\s)|(?<=\bcủa\s))(?P<name>(?-i:" + _SUBJECT_HEADS + r")[^.:;()]{0,160}?|(?i:các)\s[^.:;()]{2,90}?)"
                      r"\s+(?=(?:" + _VERBS + r")\b)")
_PLAIN_SUBJECT = _Folded(r"(Các\s[^.:;]{3,90}?)\s+(?:chấp\s+hành|thực\s+hiện|có\s+trách\s+nhiệm|báo\s+cáo|gửi|định\s+kỳ|"
                         r"chủ\s+động)\b")
_RESPONSIBLE = _Folded(r"((?:Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|Các|UBND|Ủy\s+ban|Sở)\b[^:]{3,300}?)\s+(?:có|chịu)\s+trách\s+nhiệm")
# "Các" followed by bodies, never by a time or a thing ("Các tháng cuối quý", "Các báo cáo khác")
_PLURAL_BODY = _Folded(r"các\s+(?:cơ\s+quan|đơn\s+vị|địa\s+phương|sở|ban|ngành|phòng|ubnd|ủy\s+ban|uỷ\s+ban|huyện|xã|phường|"
                       r"thị\s+xã|thành\s+phố|tổ\s+chức|hội|đoàn|doanh\s+nghiệp|trường|bệnh\s+viện|trung\s+tâm|chi\s+cục|cục|"
                       r"văn\s+phòng|thanh\s+tra|bộ|đài|cấp|thành\s+viên|hội\s+đồng|chủ\s+tịch|thủ\s+trưởng|công\s+an|"
                       r"kho\s+bạc|liên\s+đoàn|tỉnh|đồng\s+chí|chủ\s+đầu\s+tư)\b", re.I)
_A_REPORT = _Folded(r"báo\s+cáo\b", re.I)


_NOT_IN_A_NAME = _Folded(r"\bthời\s+(?:hạn|gian)\b|\bhạn\b|\bngày\b", re.I)


def _named(name: str) -> bool:
    """A subject that names bodies: not "Các tháng cuối quý", not "Báo cáo tháng", not "Ban Thường vụ Tỉnh ủy,
    thời hạn" (a clause run on past the name)."""
    if _A_REPORT.match(name) or _DEADLINE_WORDS.search(name) or _NOT_IN_A_NAME.search(name):
        return False
    return not _fold1(name[:4]).lower().startswith("cac ") or bool(_PLURAL_BODY.match(name))



def _subject(text: str) -> str | None:
    """"Các cơ quan, đơn vị, địa phương chấp hành nghiêm ..." -> "Các cơ quan, đơn vị, địa phương"."""
    if text.isupper():  # "CÁC ĐƠN VỊ GỬI BÁO CÁO NĂM ...": read in title case, given back as written
        found = _subject(_uncapped(text))
        if found:
            at = _uncapped(text).find(found)
            return text[at:at + len(found)] if at >= 0 else None
    for m in _SUBJECT_AT.finditer(text):
        name = m.group("name").strip(" ,")
        if _named(name) and len(name.split()) >= 2:
            return name
    for pattern in (_PLAIN_SUBJECT, _RESPONSIBLE):
        m = pattern.match(text) if pattern is _PLAIN_SUBJECT else pattern.search(text)
        if m and _named(m.group(1).strip(" ,")):
            return m.group(1).strip(" ,")
    return None


def _ascii(text: str) -> bool:
    return _fold1(text) == text


def _names_bodies(heading: str) -> str | None:
    if _A_REPORT.match(heading) or _DEADLINE_WORDS.search(heading):
        return None  # "Báo cáo 6 tháng: gửi trước ngày 25 tháng 6." names a report, not who sends it
    text = re.sub(r"^Đề\s+nghị\s+", "", heading).strip()
    text = re.sub(r"\s*(?:có\s+trách\s+nhiệm)?\s*:?$", "", text)
    heads = _FOLDED_HEADS if _ascii(text) else _BODY_HEADS
    if len(text) > 100 or not text.startswith(heads) or text.count(" ") > 14 or not _named(text):
        return None
    return text


_WHOSE = _Folded(r"\bbáo\s+cáo\b[^;]*?(?<!yêu\scầu\s)\bcủa\s+((?:các|Ủy\s+ban|UBND|Sở|Phòng|Ban)\b[^.;:()]{2,80}?)\s*[;.]?$")


def _sender(st) -> str | None:
    """Who sends the report of a statement: the sentence's own subject, the lead-in of its list, the
    body the report is said to be of, the heading it falls under, the lead-in over its items."""
    sentence_start = _subject(st.sentence)
    if sentence_start:
        return sentence_start
    if st.block.kind == "bullet" and st.block.lead:
        lead = _subject(st.block.lead)
        if lead:
            return lead
    whose = _WHOSE.search(st.text)
    if whose and _named(whose.group(1)):  # "... đối với báo cáo 6 tháng của các phòng, ban chuyên môn"
        return whose.group(1)
    owner = st.block.owner
    if owner and owner != st.block.text:  # the heading the block falls under ("a) Sở Nội vụ")
        named = _names_bodies(owner) or _subject(owner)
        if named:
            return named
    if st.block.parent:  # "1. Các cơ quan, đơn vị báo cáo định kỳ về Sở Nội vụ như sau:" over its items
        return _subject(st.block.parent)
    return None
