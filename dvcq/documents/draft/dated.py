"""Which sentences the draft must account for (issue 19: recall is total): a deadline word, a report
kind or a report regime, a report on request, or a date of the sentence's own (not a cited document's)."""
from __future__ import annotations

import re

from dvcq.documents.draft.kinds import _LABEL, _REPORT_WORD
from dvcq.documents.draft.lines import _DEADLINE_WORDS, _Folded, _fold1

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
