"""Công văn đôn đốc: the official letter that asks late units for their overdue reports.

Pure: a `Letter` in, the bytes of a .docx out; no I/O, no clock. The layout follows Decree
30/2020/NĐ-CP, Phụ lục I (thể thức văn bản hành chính, mẫu công văn): A4, margins 20/20/30/15 mm,
Times New Roman 14 pt, the header as a borderless two-column table (issuer, number and "V/v" on the
left; Quốc hiệu, Tiêu ngữ and the place-and-date line on the right), "Kính gửi:" with the dashes
under its colon, "./." after the last sentence, "Nơi nhận:" and the signature block at the foot.

python-docx is imported inside `letter_docx` so that `import dvcq.output.letter` costs nothing for the
commands that never write a letter.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["OverdueItem", "Letter", "letter_docx", "period_label_vi", "date_line_vi"]


@dataclass(frozen=True)
class OverdueItem:
    unit_name: str  # "UBND huyện Đại Từ"
    report_title: str  # "Báo cáo tháng"
    period_label: str  # "tháng 10/2026", "quý I/2026", ... (see period_label_vi)
    effective_due: dt.date
    days_late: int  # as-of day minus effective_due, as dvcq.core.obligations counts it
    projected_year: int = 0  # the period's year when no plan document covers it (its date follows an earlier plan's rules)


@dataclass(frozen=True)
class Letter:
    issuer_parent: str  # cơ quan chủ quản, "UBND TỈNH THÁI NGUYÊN"; "" for none
    issuer: str  # "SỞ NỘI VỤ"; written as given in mixed case ("Sở Nội vụ") it is used verbatim in the body
    number: str  # "Số:      /SNV-XDCQ": the blanks are left for the clerk
    place: str  # "Thái Nguyên"
    date: dt.date
    subject: str  # trích yếu after "V/v"
    addressees: tuple[str, ...]
    plan_ref: str  # "Kế hoạch số 60/KH-UBND ngày 02/4/2024 của UBND tỉnh Thái Nguyên"
    items: tuple[OverdueItem, ...]
    reply_by: dt.date
    signer_title: str = "GIÁM ĐỐC"  # "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str = ""  # "" leaves only the space for the signature
    recipients_extra: tuple[str, ...] = ("Lưu: VT, XDCQ.",)
    plan_short: str = ""  # "Kế hoạch số 60/KH-UBND": how the body refers back to the plan (projected periods)


# -- words -----------------------------------------------------------------------------------

def period_label_vi(label: str) -> str:
    """dvcq's period label in Vietnamese words.

    "2026-10" → "tháng 10/2026", "2026-Q1" → "quý I/2026", "2026-H1" → "6 tháng đầu năm 2026",
    "2026-H2" → "6 tháng cuối năm 2026", "2026-9M" → "9 tháng năm 2026", "2026" → "năm 2026".
    Raises ValueError for anything else.
    """
    from dvcq.core.model import Period

    return Period.parse(label).spoken_vi  # the one period syntax; ValueError for anything else


def date_line_vi(place: str, day: dt.date) -> str:
    """'Thái Nguyên, ngày 25 tháng 11 năm 2026'.

    Decree 30, Phụ lục I: days below 10 and the months 1 and 2 take a leading 0 ("ngày 05 tháng
    02", "ngày 09 tháng 3"), so that nobody can turn "tháng 1" into "tháng 11" with a pen.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{_clean(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(text: str) -> str:
    """NFC (Word and LibreOffice show NFD Vietnamese with detached marks) and no characters that
    XML forbids (a vertical tab pasted from Excel would make python-docx raise)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


# Sentence case for an issuer written in capitals: "SỞ NỘI VỤ" → "Sở Nội vụ". Only used in the
# body ("... gửi báo cáo về Sở Nội vụ"); pass the issuer in mixed case to bypass it.
_AGENCY_KINDS = (("ủy", "ban", "nhân", "dân"), ("uỷ", "ban", "nhân", "dân"), ("văn", "phòng"),
                 ("thanh", "tra"), ("chi", "cục"), ("tổng", "cục"), ("trung", "tâm"), ("sở",),
                 ("ban",), ("phòng",), ("cục",), ("bộ",))
_PLACE_KINDS = (("thành", "phố"), ("thị", "xã"), ("thị", "trấn"), ("tỉnh",), ("huyện",),
                ("quận",), ("xã",), ("phường",))
_ACRONYMS = {"UBND", "HĐND", "MTTQ", "ĐBQH", "TNCS", "CNTT"}


def _body_name(name: str) -> str:
    name = _clean(name).strip()
    if name != name.upper():
        return name
    words = name.split()
    low = [w.lower() for w in words]
    out = list(low)

    def kind_at(i: int, kinds) -> int:
        return next((len(k) for k in kinds if tuple(low[i:i + len(k)]) == k), 0)

    i, start, proper = 0, "conj", False  # start: the next word begins a name ("kind") or a part of one
    while i < len(words):
        if words[i] in _ACRONYMS:
            out[i], start = words[i], None
        elif proper:
            out[i] = low[i][:1].upper() + low[i][1:]
        elif i and start != "conj" and (n := kind_at(i, _PLACE_KINDS)):
            i += n  # "tỉnh", "huyện" stay lower-case, the place named after them is proper
            proper = True
            continue
        elif n := kind_at(i, _AGENCY_KINDS):
            out[i] = low[i][:1].upper() + low[i][1:]
            i += n  # the body's own name starts after its kind: "Sở | Nội vụ"
            start = "kind"
            continue
        else:
            if start:
                out[i] = low[i][:1].upper() + low[i][1:]
            start = "conj" if low[i] in {"-", "–", "và"} or low[i].endswith(",") else None
        i += 1
    return " ".join(out)


# -- measuring text (to size the rules under the headers and to centre "Kính gửi:") ----------

# Advance widths (1/1000 em) of Times New Roman, taken from its metric clone Liberation Serif,
# for ASCII 32..126. A Vietnamese letter is as wide as its base letter; the horn of ơ/ư adds a bit.
_W_REGULAR = [int(x) for x in (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 "
    "500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 "
    "556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 "
    "500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 480 200 480 541").split()]
_W_BOLD = [int(x) for x in (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 500 "
    "500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 "
    "611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 556 444 556 444 333 500 "
    "556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 394 220 394 520").split()]


def _text_pt(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in points of one line of `text` in Times New Roman."""
    table = _W_BOLD if bold else _W_REGULAR
    total = 0
    for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")):
        if ch == "\u031b":
            total += 50  # horn
        elif unicodedata.combining(ch):
            continue
        elif 32 <= ord(ch) <= 126:
            total += table[ord(ch) - 32]
        else:
            total += 500
    return total * size / 1000


# -- the document ----------------------------------------------------------------------------

FONT = "Times New Roman"
BODY_PT = 14
# text width: A4 210 mm minus 30 mm left and 15 mm right margins
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_COLS_MM = (63, TEXT_MM - 63)  # the Quốc hiệu, 13 pt bold, is 96 mm long: one line on the right
ITEM_COLS_MM = (9, 50, 32, 30, 23, 21)  # "UBND huyện Phú Bình", "tháng 10/2026", "dd/mm/yyyy": one line
ITEM_PAD_MM = 1.2  # left and right cell margins of that table
ITEM_HEADS = ("TT", "Cơ quan, đơn vị", "Báo cáo", "Kỳ", "Hạn", "Số ngày quá hạn")
FOOTER_COLS_MM = (80, TEXT_MM - 80)
CELL_PAD_MM = 1.9  # Word's default left and right cell margins (108 twips)
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PT_PER_MM = 72 / 25.4


def _as_of(letter: Letter) -> dt.date:
    """The day the days-late column was counted on: effective due + days late when every item
    agrees on it (as dvcq's overdue list does), else the letter's date."""
    days = {item.effective_due + dt.timedelta(days=item.days_late) for item in letter.items}
    return days.pop() if len(days) == 1 else letter.date


# Vietnamese alphabetical order: ă, â after a, đ after d, ê after e, ô, ơ after o, ư after u; the
# tone marks decide only between otherwise equal words (không dấu, huyền, hỏi, ngã, sắc, nặng).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _vi_key(text: str) -> tuple:
    """Sort key: letters in Vietnamese order, numbers by value ("phường 2" before "phường 10")."""
    primary: list[tuple] = []
    tones: list[int] = []
    for part in re.split(r"(\d+)", unicodedata.normalize("NFD", _clean(text).lower().replace("đ", "d\u0001"))):
        if part.isdigit():
            primary.append((1, int(part), 0))
            tones.append(0)
            continue
        for ch in part:
            if ch in _LETTER_MARKS and primary:
                primary[-1] = primary[-1][:2] + (_LETTER_MARKS[ch],)
            elif ch == "\u0001" and primary:
                primary[-1] = primary[-1][:2] + (1,)
            elif ch in _TONES:
                if tones:
                    tones[-1] = _TONES[ch]
            elif not unicodedata.combining(ch):
                primary.append((0, "", 0) if ch.isspace() else (2, ch, 0))
                tones.append(0)
    return tuple(primary), tuple(tones)


def _grouped(items: tuple[OverdueItem, ...]) -> list[tuple[str, list[OverdueItem]]]:
    """Items by unit (Vietnamese alphabetical order), each unit's reports by due date."""
    groups: dict[str, list[OverdueItem]] = {}
    for item in items:
        groups.setdefault(_clean(item.unit_name).strip(), []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: _vi_key(kv[0]))
    return [(unit, sorted(rows, key=lambda it: (it.effective_due, _vi_key(it.report_title))))
            for unit, rows in ordered]


def _one_unit(letter: Letter) -> str:
    """The unit's name when the letter chases one unit only and is addressed to it alone; else ""."""
    units = {_clean(item.unit_name).strip() for item in letter.items}
    addressees = [a for a in (_clean(a).strip() for a in letter.addressees) if a]
    if len(units) == 1 and len(addressees) == 1:
        (unit,) = units
        return unit
    return ""


def _years_vi(years: list[int]) -> str:
    """[2025, 2026] -> '2025, 2026'."""
    return ", ".join(str(y) for y in years)


def _check(letter: Letter) -> None:
    if not letter.items:
        raise ValueError("a chase-up letter needs at least one overdue item")
    if not any(a.strip() for a in letter.addressees):
        raise ValueError("a công văn needs at least one addressee (Kính gửi)")
    not_late = [f"{i.unit_name} – {i.report_title} {i.period_label}" for i in letter.items if i.days_late <= 0]
    if not_late:
        raise ValueError("not overdue (days_late <= 0): " + "; ".join(not_late))
    if letter.reply_by <= letter.date:
        raise ValueError(f"reply_by {_dmy(letter.reply_by)} is not after the letter's date {_dmy(letter.date)}")


def _listed(lines: list[str], last: str) -> list[str]:
    """'- a;' ... '- z.': Decree 30's punctuation for Kính gửi and Nơi nhận lists."""
    bare = [re.sub(r"^[-–•\s]+", "", _clean(x)).rstrip(" ;.,") for x in lines]
    bare = [x for x in bare if x]
    return [f"- {x}{last if i == len(bare) - 1 else ';'}" for i, x in enumerate(bare)]


class _Writer:
    """Small helpers over python-docx; one instance per document."""

    def __init__(self):
        import docx
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.Mm, self.Pt, self.qn, self.El = Mm, Pt, qn, OxmlElement
        self.ALIGN = WD_ALIGN_PARAGRAPH
        self.TABLE_ALIGN = WD_TABLE_ALIGNMENT
        self.doc = docx.Document()
        self._setup()

    # styles, page
    def _fonts(self, rpr) -> None:
        qn = self.qn
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = self.El("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)  # a theme font would win over the name
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)

    def _setup(self) -> None:
        doc, qn, Mm, Pt = self.doc, self.qn, self.Mm, self.Pt
        styles = doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        self._fonts(rpr)
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:val"), "vi-VN")
        lang.set(qn("w:eastAsia"), "vi-VN")
        for el in styles.iter(qn("w:rFonts")):
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                el.attrib.pop(qn(attr), None)
        normal = doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        self._fonts(normal.element.get_or_add_rPr())
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        doc.core_properties.language = "vi-VN"

        section = doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance = section.footer_distance = Mm(10)
        # Decree 30: page numbers centred in the top margin, none on the first page
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False  # an empty header of its own
        p = section.header.paragraphs[0]
        p.alignment = self.ALIGN.CENTER
        field = self.El("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        field.append(self.run(p, "1")._r)
        p._p.append(field)

    # paragraphs and runs
    def run(self, p, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False):
        r = p.add_run(_clean(text))
        r.font.name = FONT
        self._fonts(r._r.get_or_add_rPr())
        r.font.size = self.Pt(size)
        if bold:
            r.font.bold = True
        if italic:
            r.font.italic = True
        return r

    def para(self, container, text: str = "", *, size: float = BODY_PT, bold=False, italic=False,
             align=None, first_indent_mm: float = 0, left_mm: float = 0, before: float = 0,
             after: float = 0, line: float | None = None, exact_pt: float | None = None, keep=False,
             border_bottom=False):
        p = container.add_paragraph()
        if border_bottom:  # first: w:pBdr comes before spacing, ind and jc in w:pPr
            borders = self.El("w:pBdr")
            bottom = self.El("w:bottom")
            for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
                bottom.set(self.qn(k), v)
            borders.append(bottom)
            p._p.get_or_add_pPr().append(borders)
        pf = p.paragraph_format
        p.alignment = self.ALIGN.CENTER if align is None else align
        if first_indent_mm:
            pf.first_line_indent = self.Mm(first_indent_mm)
        if left_mm:
            pf.left_indent = self.Mm(left_mm)
        pf.space_before, pf.space_after = self.Pt(before), self.Pt(after)
        if exact_pt is not None:
            from docx.enum.text import WD_LINE_SPACING
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = self.Pt(exact_pt)
        elif line is not None:
            pf.line_spacing = line
        if keep:
            pf.keep_with_next = True
        if text:
            self.run(p, text, size, bold, italic)
        return p

    def mark_size(self, p, size: float) -> None:
        """The size of an empty paragraph's mark, which sets its height (w:rPr ends w:pPr)."""
        rpr = self.El("w:rPr")
        for tag in ("w:sz", "w:szCs"):
            el = self.El(tag)
            el.set(self.qn("w:val"), str(round(size * 2)))
            rpr.append(el)
        p._p.get_or_add_pPr().append(rpr)

    def rule(self, container, length_mm: float, width_mm: float, before_pt: float = 2.5) -> None:
        """A centred horizontal line `length_mm` long in a column `width_mm` wide: the bottom
        border of an empty paragraph squeezed between indents, 1 pt tall; `before_pt` keeps it
        clear of the dot under "Ụ" and "ạ" in the line above."""
        side = max(0.0, (width_mm - length_mm) / 2)
        p = self.para(container, left_mm=side, exact_pt=1, before=before_pt, border_bottom=True)
        p.paragraph_format.right_indent = self.Mm(side)

    # tables
    def table(self, rows: int, cols_mm: tuple[float, ...], grid: bool, pad_mm: float | None = None):
        t = self.doc.add_table(rows=rows, cols=len(cols_mm))
        if grid:
            t.style = self.doc.styles["Table Grid"]
        if pad_mm is not None:
            margins = self.El("w:tblCellMar")
            for side in ("w:left", "w:right"):
                el = self.El(side)
                el.set(self.qn("w:w"), str(round(pad_mm * 1440 / 25.4)))
                el.set(self.qn("w:type"), "dxa")
                margins.append(el)
            look = t._tbl.tblPr.find(self.qn("w:tblLook"))
            if look is not None:
                look.addprevious(margins)  # w:tblCellMar comes right before w:tblLook
            else:
                t._tbl.tblPr.append(margins)
        t.alignment = self.TABLE_ALIGN.CENTER
        t.autofit = False  # w:tblLayout fixed: the widths below hold in Word and LibreOffice
        for col, mm in zip(t._tbl.tblGrid.gridCol_lst, cols_mm):
            col.w = self.Mm(mm)
        for row in t.rows:
            for cell, mm in zip(row.cells, cols_mm):
                cell.width = self.Mm(mm)
        return t

    def row_flags(self, row, *, header=False, cant_split=True) -> None:
        trpr = row._tr.get_or_add_trPr()
        if cant_split:
            trpr.append(self.El("w:cantSplit"))
        if header:
            trpr.append(self.El("w:tblHeader"))

    @staticmethod
    def empty(cell):
        """A new cell holds one empty paragraph: take it out so content starts at the top."""
        for p in list(cell.paragraphs):
            p._p.getparent().remove(p._p)
        return cell

    def to_bytes(self) -> bytes:
        import io
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def letter_docx(letter: Letter) -> bytes:
    """The chase-up letter as .docx bytes. Raises ValueError for a letter that should not be sent:
    no items, no addressee, an item that is not late, or a reply-by day not after the letter."""
    _check(letter)
    w = _Writer()
    doc, Mm, ALIGN = w.doc, w.Mm, w.ALIGN
    issuer_body = _body_name(letter.issuer)

    # -- header: issuer | Quốc hiệu ----------------------------------------------------------
    head = w.table(1, HEADER_COLS_MM, grid=False)
    left, right = (w.empty(c) for c in head.rows[0].cells)
    left_mm, right_mm = HEADER_COLS_MM[0] - 2 * CELL_PAD_MM, HEADER_COLS_MM[1] - 2 * CELL_PAD_MM
    row_pt = 16  # both columns on the same exact line pitch, so their lines face each other
    if letter.issuer_parent.strip():
        w.para(left, letter.issuer_parent.strip().upper(), size=13, exact_pt=row_pt)
    issuer = letter.issuer.strip().upper()
    w.para(left, issuer, size=13, bold=True, exact_pt=row_pt)
    issuer_mm = min(_text_pt(issuer, 13, bold=True) / PT_PER_MM, left_mm)
    w.rule(left, max(issuer_mm * 0.4, 15), left_mm)
    number = _clean(letter.number).rstrip()  # leading blanks are the room left for the clerk
    if not number.strip().lower().startswith("số"):
        number = "Số:" + (number if number[:1].isspace() else " " + number)
    w.para(left, number, size=13, before=6, exact_pt=row_pt)
    w.para(left, f"V/v {_clean(letter.subject).strip()}", size=12, before=3, line=1.0)

    w.para(right, QUOC_HIEU, size=13, bold=True, exact_pt=row_pt)
    w.para(right, TIEU_NGU, size=14, bold=True, exact_pt=row_pt)
    w.rule(right, _text_pt(TIEU_NGU, 14, bold=True) / PT_PER_MM, right_mm)
    w.para(right, date_line_vi(letter.place.strip(), letter.date), size=14, italic=True,
           before=6 if letter.issuer_parent.strip() else 2, exact_pt=row_pt + 2)

    # -- Kính gửi ------------------------------------------------------------------------------
    addressees = [a for a in (_clean(a).strip() for a in letter.addressees) if a]
    if len(addressees) == 1:
        only = re.sub(r"^[-–•\s]+", "", addressees[0]).rstrip(" ;,")
        w.para(doc, f"Kính gửi: {only}", before=18, after=12)
    else:
        lines = _listed(addressees, ".")
        kg_mm = _text_pt("Kính gửi", BODY_PT) / PT_PER_MM  # the dashes stand under the colon
        dash_mm = _text_pt("- ", BODY_PT) / PT_PER_MM
        longest = max(_text_pt(x, BODY_PT) for x in lines) / PT_PER_MM
        indent = max(0.0, min((TEXT_MM - kg_mm - longest) / 2, TEXT_MM / 2 - kg_mm))
        w.para(doc, "Kính gửi:", align=ALIGN.LEFT, left_mm=indent, before=18)
        for i, text in enumerate(lines):
            p = w.para(doc, text, align=ALIGN.LEFT, left_mm=indent + kg_mm + dash_mm,
                       after=12 if i == len(lines) - 1 else 0)
            p.paragraph_format.first_line_indent = Mm(-dash_mm)  # wrapped lines align after "- "

    # -- body ------------------------------------------------------------------------------------
    def body(text: str, **kw):
        return w.para(doc, text, align=ALIGN.JUSTIFY, first_indent_mm=12.7, after=6, line=1.15, **kw)

    one = _one_unit(letter)  # one unit late: the letter speaks to it, in the singular
    pending = sorted({item.projected_year for item in letter.items if item.projected_year})
    body(f"Thực hiện {_clean(letter.plan_ref).strip()}, các cơ quan, đơn vị có trách nhiệm gửi báo cáo "
         f"định kỳ về {issuer_body} đúng thời hạn quy định để tổng hợp, báo cáo cấp có thẩm quyền.")
    if pending:
        # the plan's document covers earlier years only: say whose dates these are, in the body
        plan_short = _clean(letter.plan_short).strip() or "Kế hoạch nêu trên"
        body(f"Trong khi chờ ban hành kế hoạch năm {_years_vi(pending)}, thời hạn gửi báo cáo định kỳ của "
             f"{'năm' if len(pending) == 1 else 'các năm'} này thực hiện theo {plan_short} (các kỳ báo cáo "
             f"đánh dấu * dưới đây).")
    if one:
        body(f"Đến ngày {_dmy(_as_of(letter))}, {one} chưa gửi "
             f"{'báo cáo sau' if len(letter.items) == 1 else 'các báo cáo sau'}:", keep=True)
    else:
        body(f"Đến ngày {_dmy(_as_of(letter))}, các cơ quan, đơn vị sau chưa gửi báo cáo:", keep=True)

    groups = _grouped(letter.items)
    n_rows = 1 + sum(len(rows) for _, rows in groups)
    table = w.table(n_rows, ITEM_COLS_MM, grid=True, pad_mm=ITEM_PAD_MM)
    aligns = (ALIGN.CENTER, ALIGN.LEFT, ALIGN.LEFT, ALIGN.CENTER, ALIGN.CENTER, ALIGN.CENTER)
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    def fill(cell, text: str, align, bold=False):
        w.empty(cell)
        w.para(cell, text, size=12, bold=bold, align=align, before=2, after=2, line=1.0)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    rows = table.rows
    w.row_flags(rows[0], header=True)
    for cell, text in zip(rows[0].cells, ITEM_HEADS):
        fill(cell, text, ALIGN.CENTER, bold=True)
    r = 1
    for tt, (unit, unit_items) in enumerate(groups, 1):
        for k, item in enumerate(unit_items):
            row = rows[r]
            w.row_flags(row)
            cells = row.cells
            period = _clean(item.period_label).strip() + ("*" if item.projected_year else "")
            texts = (str(tt), unit, _clean(item.report_title).strip(), period, _dmy(item.effective_due),
                     str(item.days_late))
            for c, (cell, text, align) in enumerate(zip(cells, texts, aligns)):
                if c < 2 and len(unit_items) > 1:
                    # one unit, several reports: TT and unit span the unit's rows
                    cell._tc.vMerge = "continue" if k else "restart"
                    if k:
                        w.empty(cell)
                        w.mark_size(w.para(cell, before=2, after=2, line=1.0), 12)
                        continue
                fill(cell, text, align)
            r += 1

    if pending:
        w.para(doc, f"* Kỳ báo cáo năm {_years_vi(pending)}: thời hạn theo {_clean(letter.plan_short).strip() or 'Kế hoạch nêu trên'}, "
               "trong khi chờ kế hoạch của năm.", size=12, italic=True, align=ALIGN.LEFT, before=3)
    # reply_by is the last day that counts: "chậm nhất ngày" (inclusive). "trước ngày" would make the
    # day before the last one, by the reading dvcq gives plans ("trước ngày 15": the 14th)
    whom = one or "các cơ quan, đơn vị nêu trên"
    body(f"Để bảo đảm tiến độ tổng hợp, báo cáo theo quy định, {issuer_body} đề nghị {whom} "
         f"khẩn trương hoàn thành và gửi báo cáo về {issuer_body} "
         f"chậm nhất ngày {_dmy(letter.reply_by)}.", before=6)
    # the closing sentence goes with the signature block if that has to turn the page
    if one:
        body(f"{issuer_body} đề nghị {one} quan tâm, thực hiện./.", keep=True)
    else:
        body(f"{issuer_body} đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.", keep=True)

    # -- Nơi nhận | signature ----------------------------------------------------------------
    foot = w.table(1, FOOTER_COLS_MM, grid=False)
    w.row_flags(foot.rows[0])
    left, right = (w.empty(c) for c in foot.rows[0].cells)
    w.para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=ALIGN.LEFT, before=6)
    for text in _listed(["Như trên", *letter.recipients_extra], "."):
        w.para(left, text, size=11, align=ALIGN.LEFT)
    titles = [t.strip().upper() for t in _clean(letter.signer_title).split("\n") if t.strip()]
    for i, text in enumerate(titles):
        w.para(right, text, size=14, bold=True, before=6 if i == 0 else 0)
    for _ in range(4):
        w.para(right, "", size=14)
    if letter.signer_name.strip():
        w.para(right, letter.signer_name.strip(), size=14, bold=True)
    return w.to_bytes()
