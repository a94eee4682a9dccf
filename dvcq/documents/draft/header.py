"""The plan's header (issuer, number, date, year, title), errata, the key tasks of an appendix table,
and verbatim quotes checked against the input."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from dvcq.core.text import slug as _slug
from dvcq.documents.draft.lines import _Block, _is_caps
from dvcq.documents.draft.reading import PLAN_YEARS
from dvcq.documents.draft.kinds import _ROMANS


# ================================================================================================
# The header: issuer, number, date, year, title
# ================================================================================================


@dataclass
class _Header:
    plan_id: str = ""
    issuer: str = ""
    document: str = ""
    code: str = ""  # issuing code: "UBND", "SGTVT"
    number: str = ""
    issued: str = ""  # "2024-04-02" or "2024-03"
    issued_date: dt.date | None = None
    issued_text: str = ""
    year: int | None = None
    title: str = ""
    province: str = ""
    body: str = ""  # the issuing body's own name ("Sở Giao thông vận tải")
    notes: list[str] = field(default_factory=list)





def _words_title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def _province_mentions(text: str) -> Counter:
    found: Counter = Counter()
    for m in re.finditer(r"\btỉnh\s+((?:[^\W\d_][\w]*)(?:\s+[^\W\d_][\w]*){0,3})", text):
        words = m.group(1).split()
        name = []
        for w in words:
            if not w[:1].isupper() or w in ("Ban", "Quy", "Về", "Kế", "Quyết", "Chương", "Nghị", "Đề", "Chỉ", "Thông",
                                            "Luật", "Đảng", "Hướng", "Ủy", "UBND", "Giai"):
                break
            name.append(w)
        if name:
            found[" ".join(name[:3])] += 1
            if len(name) > 2:
                found[" ".join(name[:2])] += 1
    return found


def _header(blocks: list[_Block], text: str, lines: list[str]) -> _Header:
    h = _Header()
    head_blocks = blocks[:60]
    # the header is often a two-column table (number left, place and date right): its cells apart
    head = [cell.strip() for b in head_blocks for cell in (b.text.split("\t") if b.kind == "row" else [b.text])]
    # Số: 60 /KH-UBND
    for text_ in head:
        m = re.match(r"Số\s*:\s*(\d*)\s*/\s*([A-ZĐ]+(?:\s*-\s*[A-ZĐ&]+)*)", text_)
        if m:
            kind = re.sub(r"\s+", "", m.group(2))
            h.number = m.group(1)
            h.document = f"{h.number}/{kind}" if h.number else f"/{kind} (số để trống)"
            h.code = kind.split("-", 1)[1] if "-" in kind else ""
            break
    # Thái Nguyên, ngày 02 tháng 4 năm 2024
    place = ""
    for text_ in head:
        m = re.match(r"([^\W\d_][^,]{1,40}),\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", text_)
        if m:
            place = m.group(1).strip()
            day, month, year = (int(m.group(2)) if m.group(2) else None), int(m.group(3)), int(m.group(4))
            h.issued_text = m.group(0).strip()
            try:
                if not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
                    raise ValueError(year)
                if day:
                    h.issued_date = dt.date(year, month, day)
                    h.issued = h.issued_date.isoformat()
                elif 1 <= month <= 12:
                    h.issued = f"{year:04d}-{month:02d}"
                    h.issued_text += " (ngày để trống)"
            except ValueError:
                h.notes.append(f"ngày ban hành «{h.issued_text}» không phải một ngày có thật")
            break
    # the issuing body, from the header block in capitals, the number's code, or the text
    top = " ".join(lines[:40])
    level, province = "tỉnh", ""
    m = re.search(r"(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+(TỈNH|THÀNH\s+PHỐ)\s+(\S+(?:\s+\S+){0,3})", top)
    if m:
        words = []
        for w in m.group(2).split():  # the name ends where the capitals do ("TỈNH HÀ GIANG -------")
            if not _is_caps(w) or w.startswith(("CỘNG", "SỐ")):
                break
            words.append(w)
        if words:
            level = "tỉnh" if m.group(1) == "TỈNH" else "thành phố"
            province = _words_title(" ".join(words))
            h.code = h.code or "UBND"
    mentions = _province_mentions(text)
    if place and (mentions.get(place) or not mentions):
        province = province or place
    if mentions and not province:
        province = mentions.most_common(1)[0][0]
    if province:
        # prefer the text's own spelling of the name ("Hà Giang" over "HÀ GIANG" title-cased)
        for name in mentions:
            if _slug(name) == _slug(province):
                province = name
                break
    h.province = province
    if not h.code and re.search(r"\b(?:UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân)\s+tỉnh\s+(?:ban\s+hành|xây\s+dựng)",
                                text[:5000]):
        h.code = "UBND"
    if not h.code and re.search(r"TM\.\s*(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN", text):
        h.code = "UBND"
    if h.code == "UBND":
        h.issuer = f"UBND {level} {province}".strip()
        h.body = "UBND tỉnh"
    elif h.code:
        body = _body_from_code(h.code, text)
        h.body = body or h.code
        h.issuer = f"{h.body} {level} {province}".strip() if province else h.body
    # the year and the title
    for i, text_ in enumerate(head):
        if _is_caps(text_) and re.fullmatch(r"KẾ\s+HOẠCH(?:\s+.*)?", text_):
            rest = text_[len("KẾ HOẠCH"):].strip()
            sub = rest or (head[i + 1] if i + 1 < len(head) else "")
            sub = _PREAMBLE.split(sub, maxsplit=1)[0]  # a subtitle run on into the preamble (from a PDF)
            if sub and len(sub) < 300:
                h.title = _title(sub, province)
            break
    m = re.search(r"\bnăm\s+(\d{4})\b", h.title)
    if m and PLAN_YEARS[0] <= int(m.group(1)) <= PLAN_YEARS[1]:
        h.year = int(m.group(1))
    elif h.issued:
        h.year = int(h.issued[:4])
    else:
        years = Counter(int(y) for y in re.findall(r"\b(?:năm|/)\s*((?:19|20)\d{2})\b", text)
                        if PLAN_YEARS[0] <= int(y) <= PLAN_YEARS[1])
        h.year = years.most_common(1)[0][0] if years else None
    slug = _slug(province) if province else ""
    if h.code and h.code != "UBND":
        slug = f"{slug}-{_slug(h.code)}" if slug else _slug(h.code)
    h.plan_id = slug
    return h


_PREAMBLE = re.compile(r"(?<=\S{4})\s+(?=(?:Căn\s+cứ|Thực\s+hiện\s+(?:Kết\s+luận|Nghị\s+quyết|Nghị\s+định|Chỉ\s+thị|"
                       r"Quyết\s+định|Chương\s+trình|Kế\s+hoạch|Công\s+văn|Thông\s+tư|Luật|Hướng\s+dẫn)|Theo\s+đề\s+nghị|"
                       r"Xét\s+đề\s+nghị|Trên\s+cơ\s+sở)\b)")


def _body_from_code(code: str, text: str) -> str | None:
    """The body a number's code stands for: "SGTVT" is the "Sở Giao thông vận tải" the text names."""
    if len(code) < 2:
        return None
    for m in re.finditer(r"\b(Sở|Ban|Văn\s+phòng|Thanh\s+tra)\s+((?:\S+\s+){0,6}\S+)", text):
        head, words = m.group(1), m.group(2).split()
        initials = "".join(w[0] for w in head.split())
        if not code.startswith(initials.upper()):
            continue
        want = code[len(initials):]
        for k in range(1, len(words) + 1):
            got = "".join(w[0] for w in words[:k]).upper()
            if got == want:
                return f"{head} {' '.join(words[:k])}"
            if not want.startswith(got):
                break
    return None


def _title(sub: str, province: str) -> str:
    sub = sub.strip(" .")
    if _is_caps(sub):
        sub = sub.lower()
        if province:
            sub = re.sub(re.escape(province.lower()), province, sub)
        sub = sub.replace("việt nam", "Việt Nam")
    elif sub[:1].isupper() and not sub[1:2].isupper():
        sub = sub[0].lower() + sub[1:]
    return f"Kế hoạch {sub}"


# ================================================================================================
# Errata: one document cited with two dates
# ================================================================================================

_CITED = re.compile(r"\b(Kế\s+hoạch|Đề\s+án|Quyết\s+định|Nghị\s+quyết|Chỉ\s+thị|Kết\s+luận|Chương\s+trình|Quy\s+định)"
                    r"\s+số\s+(\d{1,5}\s*[-/]\s*[\wĐđ&/.\-]+?)\s*,?\s*ngày\s+"
                    r"(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})")


def _errata(blocks: list[_Block], header: _Header) -> list[str]:
    seen: dict[tuple[str, str], dict[dt.date, str]] = {}
    for b in blocks:
        for m in _CITED.finditer(b.text):
            try:
                day = dt.date(int(m.group(5)), int(m.group(4)), int(m.group(3)))
            except ValueError:
                continue
            kind = " ".join(m.group(1).split())
            number = re.sub(r"\s+", "", m.group(2))
            where = b.section if b.kind != "footnote" else f"chú thích {b.marker}"
            seen.setdefault((kind, number), {}).setdefault(day, where or "đầu văn bản")
    out = []
    own = header.document.split(" ")[0] if header.number else ""
    for (kind, number), dates in seen.items():
        if own and kind == "Kế hoạch" and number == own and header.issued_date:
            other = {d: w for d, w in dates.items() if d != header.issued_date}
            for d, w in other.items():
                out.append(f"Trang đầu ghi ngày {header.issued_date:%d/%m/%Y}; {w} ghi 'Kế hoạch số {number} ngày "
                           f"{d:%d/%m/%Y}': dùng ngày trên trang đầu (kiểm tra lại).")
            continue
        by_day: dict[tuple[int, int], list[dt.date]] = {}
        for d in dates:
            by_day.setdefault((d.month, d.day), []).append(d)
        for same in by_day.values():
            if len(same) > 1:
                written = "; ".join(f"{dates[d]}: {d:%d/%m/%Y}" for d in sorted(same))
                out.append(f"{kind} số {number} được ghi với hai năm khác nhau ({written}): một chỗ là lỗi đánh máy (kiểm tra lại).")
    return out


# ================================================================================================
# Key tasks of an appendix table
# ================================================================================================


@dataclass
class _Task:
    number: int
    title: str
    lead: str
    partners: str
    complete: list[str]
    complete_text: str
    quote: str
    row: int = 0  # the number the table gives the row (task ids stay unique if a table restarts at 1)


def _tasks(blocks: list[_Block]) -> tuple[list[_Task], list[tuple[_Task, str]], set[int]]:
    """The key tasks of appendix tables, those whose completion is no period, and the ids of the
    rows read as tasks (table headers included)."""
    rows = [b for b in blocks if b.kind == "row"]
    used: set[int] = set()
    columns: dict[str, int] = {}
    tasks: list[_Task] = []
    unread: list[tuple[_Task, str]] = []
    for row in rows:
        cells = row.text.split("\t")
        low = [c.lower() for c in cells]
        if any("chủ trì" in c for c in low) and any(("thời gian" in c or "hoàn thành" in c or "thời hạn" in c) for c in low):
            used.add(id(row))
            columns = {}
            for i, c in enumerate(low):
                if "chủ trì" in c:
                    columns["lead"] = i
                elif "phối hợp" in c:
                    columns["partners"] = i
                elif "thời gian" in c or "hoàn thành" in c or "thời hạn" in c:
                    columns["when"] = i
                elif ("nội dung" in c or "nhiệm vụ" in c or "công việc" in c) and "content" not in columns:
                    columns["content"] = i
            continue
        if not columns or not re.fullmatch(r"\d{1,3}\.?", cells[0].strip()):
            continue
        used.add(id(row))
        number = int(cells[0].strip().rstrip("."))
        row_number = number
        if any(t.number == number for t in tasks):  # a second table numbered from 1 again
            number = max(t.number for t in tasks) + 1

        def cell(name: str) -> str:
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        content = cell("content") or (cells[1].strip() if len(cells) > 1 else "")
        when = cell("when")
        complete, ok = _completion(when)
        first = columns.get("content", 1)
        task = _Task(number, content, cell("lead"), cell("partners"), complete, when,
                     " ".join(c for c in cells[first:] if c), row_number)
        tasks.append(task)
        if not ok:
            unread.append((task, f"thời gian hoàn thành «{when}» không phải một kỳ (tháng, quý, năm)"))
    return tasks, unread, used


def _completion(text: str) -> tuple[list[str], bool]:
    """"Tháng 3/2024" -> ["2024-03"]; "Quý II và Quý III/2024" -> ["2024-Q2", "2024-Q3"]; "Năm 2024" -> ["2024"]."""
    t = " ".join(text.split())
    m = re.fullmatch(r"[Tt]háng\s+((?:\d{1,2}\s*(?:,|và|-)\s*)*\d{1,2})\s*/\s*(\d{4})\.?", t)
    if m:
        months = [int(x) for x in re.findall(r"\d{1,2}", m.group(1))]
        if all(1 <= x <= 12 for x in months):
            return [f"{m.group(2)}-{x:02d}" for x in months], True
    m = re.fullmatch(r"[Qq]u[ýí]\s+((?:[IV]{1,3}\s*(?:,|và|-)\s*(?:[Qq]u[ýí]\s+)?)*[IV]{1,3})\s*/\s*(?:năm\s+)?(\d{4})\.?", t)
    if m:
        quarters = [_ROMANS[r] for r in re.findall(r"[IV]{1,3}", m.group(1)) if r in _ROMANS]
        if quarters:
            return [f"{m.group(2)}-Q{q}" for q in quarters], True
    m = re.fullmatch(r"(?:[Cc]ả\s+)?[Nn]ăm\s+(\d{4})\.?", t)
    if m:
        return [m.group(1)], True
    m = re.fullmatch(r"(?:6|[Ss]áu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})\.?", t)
    if m:
        return [f"{m.group(2)}-H{1 if m.group(1) == 'đầu' else 2}"], True
    return [], False


# ================================================================================================
# Verbatim quotes
# ================================================================================================


def _norm(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _verbatim(quote: str, source: str) -> str:
    """`quote` as fragments of `source` (both normalised), joined by " ... ": where the clean
    sentence runs over something the source has in between (a footnote marker, a page number)."""
    quote = _norm(quote)
    if not quote or quote in source:
        return quote
    fragments, i = [], 0
    while i < len(quote):
        lo, hi = i, len(quote)  # the longest prefix of quote[i:] found in the source
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if quote[i:mid] in source:
                lo = mid
            else:
                hi = mid - 1
        if lo == i:
            i += 1  # a character the source does not have here
            continue
        fragments.append(quote[i:lo].strip())
        i = lo
    kept = [f for f in fragments if sum(c.isalnum() for c in f) >= 2]
    return " ... ".join(kept)
