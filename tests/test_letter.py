"""The chase-up letter (công văn đôn đốc): read the .docx back with python-docx and check the form
Decree 30/2020/NĐ-CP asks for and the content the official relies on."""
import datetime as dt
import io
import subprocess
import sys
import time
import unicodedata

import pytest

from dvcq.output.letter import Letter, OverdueItem, date_line_vi, letter_docx, period_label_vi

docx = pytest.importorskip("docx")
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

D = dt.date
AS_OF = D(2026, 11, 25)
TNR = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def item(unit, title, label, due):
    return OverdueItem(unit, title, label, due, (AS_OF - due).days)


ITEMS = (
    item("UBND huyện Đại Từ", "Báo cáo tháng", "tháng 10/2026", D(2026, 10, 19)),
    item("Sở Xây dựng", "Báo cáo quý", "quý III/2026", D(2026, 9, 14)),
    item("UBND huyện Đại Từ", "Báo cáo quý", "quý III/2026", D(2026, 9, 14)),
    item("Sở Tài chính", "Báo cáo tháng", "tháng 10/2026", D(2026, 10, 19)),
    item("UBND huyện Phú Bình", "Báo cáo tháng", "tháng 9/2026", D(2026, 9, 14)),
    item("Sở Xây dựng", "Báo cáo tháng", "tháng 10/2026", D(2026, 10, 19)),
    item("Đài Phát thanh - Truyền hình Thái Nguyên", "Báo cáo 9 tháng", "9 tháng năm 2026", D(2026, 10, 12)),
    item("Sở Tài chính", "Báo cáo 9 tháng", "9 tháng năm 2026", D(2026, 10, 12)),
)
LETTER = Letter(
    issuer_parent="UBND TỈNH THÁI NGUYÊN",
    issuer="SỞ NỘI VỤ",
    number="Số:        /SNV-XDCQ",
    place="Thái Nguyên",
    date=AS_OF,
    subject="đôn đốc gửi báo cáo công tác dân vận chính quyền",
    addressees=("Sở Tài chính", "Sở Xây dựng", "UBND huyện Đại Từ"),
    plan_ref="Kế hoạch số 60/KH-UBND ngày 02/4/2024 của UBND tỉnh Thái Nguyên",
    items=ITEMS,
    reply_by=D(2026, 12, 2),
    signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    signer_name="Nguyễn Văn An",
    recipients_extra=("Giám đốc Sở (b/c)", "Lưu: VT, XDCQ."),
)


def read(letter: Letter):
    return docx.Document(io.BytesIO(letter_docx(letter)))


@pytest.fixture(scope="module")
def doc():
    return read(LETTER)


def body_texts(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def all_runs(d):
    for p in d.paragraphs:
        yield from p.runs
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


# -- words -----------------------------------------------------------------------------------

@pytest.mark.parametrize("label, words", [
    ("2026-10", "tháng 10/2026"),
    ("2026-01", "tháng 1/2026"),
    ("2026-5", "tháng 5/2026"),
    ("2026-Q1", "quý I/2026"),
    ("2026-Q2", "quý II/2026"),
    ("2026-q3", "quý III/2026"),
    ("2026-Q4", "quý IV/2026"),
    ("2026-H1", "6 tháng đầu năm 2026"),
    ("2026-H2", "6 tháng cuối năm 2026"),
    ("2026-9M", "9 tháng năm 2026"),
    ("2026", "năm 2026"),
    (" 2026-Q1 ", "quý I/2026"),
])
def test_period_label_vi(label, words):
    assert period_label_vi(label) == words


@pytest.mark.parametrize("label", ["2026-13", "2026-00", "2026-Q5", "2026-H3", "26-10", "tháng 10", "", "2026-6M"])
def test_period_label_vi_rejects(label):
    with pytest.raises(ValueError):
        period_label_vi(label)


@pytest.mark.parametrize("day, line", [
    (D(2026, 11, 25), "Thái Nguyên, ngày 25 tháng 11 năm 2026"),
    (D(2026, 2, 5), "Thái Nguyên, ngày 05 tháng 02 năm 2026"),  # Decree 30: days < 10, months 1 and 2
    (D(2026, 1, 1), "Thái Nguyên, ngày 01 tháng 01 năm 2026"),
    (D(2026, 3, 9), "Thái Nguyên, ngày 09 tháng 3 năm 2026"),
    (D(2026, 12, 31), "Thái Nguyên, ngày 31 tháng 12 năm 2026"),
    (D(2026, 10, 10), "Thái Nguyên, ngày 10 tháng 10 năm 2026"),
])
def test_date_line_vi(day, line):
    assert date_line_vi("Thái Nguyên", day) == line


def test_import_does_not_load_python_docx():
    code = "import sys, dvcq.output.letter; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- page and fonts --------------------------------------------------------------------------

def test_a4_and_margins(doc):
    s = doc.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm)) == (20, 20)
    assert (round(s.left_margin.mm), round(s.right_margin.mm)) == (30, 15)


def test_times_new_roman_everywhere(doc):
    runs = list(all_runs(doc))
    assert len(runs) > 40
    for r in runs:
        assert r.font.name == TNR, r.text
        fonts = r._r.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == TNR and fonts.get(qn("w:cs")) == TNR, r.text
    # and the defaults, for whatever the clerk types in later; no theme font overrides them
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == TNR and fonts.get(qn("w:eastAsia")) == TNR
    assert fonts.get(qn("w:asciiTheme")) is None
    assert doc.styles["Normal"].font.name == TNR and doc.styles["Normal"].font.size.pt == 14


def test_body_paragraphs_justified_indented_14pt(doc):
    body = [p for p in doc.paragraphs if p.text.startswith(("Thực hiện", "Đến ngày", "Để bảo đảm"))]
    assert len(body) == 3
    for p in body:
        assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert 10 <= p.paragraph_format.first_line_indent.mm <= 12.7
        assert all(r.font.size.pt == 14 for r in p.runs)


def test_page_numbers_from_page_two(doc):
    s = doc.sections[0]
    assert s.different_first_page_header_footer
    assert s.first_page_header.paragraphs[0].text == ""
    fields = s.header._element.findall(".//" + qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]


# -- header ----------------------------------------------------------------------------------

def test_header_table(doc):
    head = doc.tables[0]
    left, right = head.rows[0].cells
    lines = [p.text for p in right.paragraphs if p.text]
    assert lines == [QUOC_HIEU, TIEU_NGU, "Thái Nguyên, ngày 25 tháng 11 năm 2026"]
    quoc_hieu, tieu_ngu, date_line = (p for p in right.paragraphs if p.text)
    assert quoc_hieu.runs[0].bold and tieu_ngu.runs[0].bold
    assert quoc_hieu.runs[0].font.size.pt == 13 and tieu_ngu.runs[0].font.size.pt == 14
    assert date_line.runs[0].italic
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH THÁI NGUYÊN", "SỞ NỘI VỤ", "Số:        /SNV-XDCQ",
        "V/v đôn đốc gửi báo cáo công tác dân vận chính quyền"]
    parent, issuer = [p for p in left.paragraphs if p.text][:2]
    assert not parent.runs[0].bold and issuer.runs[0].bold
    for p in (*left.paragraphs, *right.paragraphs):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # a line under the issuer and one under the Tiêu ngữ: bottom-bordered empty paragraphs
    for cell in (left, right):
        ruled = [p for p in cell.paragraphs if p._p.find(".//" + qn("w:pBdr")) is not None]
        assert len(ruled) == 1 and ruled[0].text == ""
    # borderless
    assert head.style is None or head.style.name != "Table Grid"


def test_header_without_parent_and_number_without_prefix():
    d = read(Letter(**{**LETTER.__dict__, "issuer_parent": "", "issuer": "Sở Nội vụ", "number": "   /SNV-XDCQ"}))
    left = d.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs if p.text][:2] == ["SỞ NỘI VỤ", "Số:   /SNV-XDCQ"]


# -- Kính gửi --------------------------------------------------------------------------------

def test_addressees_in_order(doc):
    texts = body_texts(doc)
    start = texts.index("Kính gửi:")
    assert texts[start + 1:start + 4] == ["- Sở Tài chính;", "- Sở Xây dựng;", "- UBND huyện Đại Từ."]
    # the dashes stand under the colon: indented further than "Kính gửi:"
    paras = doc.paragraphs
    assert paras[start + 1].paragraph_format.left_indent > (paras[start].paragraph_format.left_indent or 0)


def test_one_addressee_on_the_same_line():
    d = read(Letter(**{**LETTER.__dict__, "addressees": ("- UBND các huyện, thành phố;",)}))
    lines = [t for t in body_texts(d) if t.startswith("Kính gửi")]
    assert lines == ["Kính gửi: UBND các huyện, thành phố"]


# -- body and the table of overdue reports ---------------------------------------------------

def test_body_names_the_plan_the_day_and_the_reply_by_date(doc):
    text = "\n".join(body_texts(doc))
    assert "Thực hiện Kế hoạch số 60/KH-UBND ngày 02/4/2024 của UBND tỉnh Thái Nguyên," in text
    assert "Đến ngày 25/11/2026, các cơ quan, đơn vị sau chưa gửi báo cáo:" in text
    assert "gửi báo cáo về Sở Nội vụ chậm nhất ngày 02/12/2026." in text  # inclusive (issue 23)
    assert text.rstrip().endswith("./.")


def test_one_row_per_item(doc):
    table = doc.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Cơ quan, đơn vị", "Báo cáo", "Kỳ", "Hạn", "Số ngày quá hạn"]
    assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs)
    assert len(rows) == 1 + len(ITEMS)
    expected = sorted((i.unit_name, i.report_title, i.period_label, i.effective_due.strftime("%d/%m/%Y"),
                       str(i.days_late)) for i in ITEMS)
    assert sorted(tuple(r[1:]) for r in rows[1:]) == expected
    assert ("Sở Tài chính", "Báo cáo tháng", "tháng 10/2026", "19/10/2026", "37") in [tuple(r[1:]) for r in rows]


def test_rows_grouped_by_unit_then_due_date(doc):
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows][1:]
    units = [r[1] for r in rows]
    # Vietnamese order: Đ after D and before S; a unit's rows together, numbered once
    assert list(dict.fromkeys(units)) == ["Đài Phát thanh - Truyền hình Thái Nguyên", "Sở Tài chính",
                                          "Sở Xây dựng", "UBND huyện Đại Từ", "UBND huyện Phú Bình"]
    assert [r[0] for r in rows] == ["1", "2", "2", "3", "3", "4", "4", "5"]
    dai_tu = [r for r in rows if r[1] == "UBND huyện Đại Từ"]
    assert [r[4] for r in dai_tu] == ["14/09/2026", "19/10/2026"]
    tai_chinh = [r for r in rows if r[1] == "Sở Tài chính"]
    assert [r[2] for r in tai_chinh] == ["Báo cáo 9 tháng", "Báo cáo tháng"]


def test_table_fits_the_text_width(doc):
    widths = [col.w.mm for col in doc.tables[1]._tbl.tblGrid.gridCol_lst]
    assert len(widths) == 6 and abs(sum(widths) - 165) < 0.5
    header = [col.w.mm for col in doc.tables[0]._tbl.tblGrid.gridCol_lst]
    assert abs(sum(header) - 165) < 0.5


# -- Nơi nhận and signature ------------------------------------------------------------------

def test_footer(doc):
    left, right = doc.tables[-1].rows[0].cells
    noi_nhan = left.paragraphs[0]
    assert noi_nhan.text == "Nơi nhận:" and noi_nhan.runs[0].bold and noi_nhan.runs[0].italic
    assert noi_nhan.runs[0].font.size.pt == 12
    assert [p.text for p in left.paragraphs[1:]] == ["- Như trên;", "- Giám đốc Sở (b/c);", "- Lưu: VT, XDCQ."]
    assert all(r.font.size.pt == 11 for p in left.paragraphs[1:] for r in p.runs)
    signed = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signed] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    assert all(p.runs[0].bold and p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in signed)
    texts = [p.text for p in right.paragraphs]
    assert texts[texts.index("PHÓ GIÁM ĐỐC") + 1:texts.index("Nguyễn Văn An")] == [""] * 4  # room to sign


def test_no_signer_name_leaves_the_space():
    d = read(Letter(**{**LETTER.__dict__, "signer_title": "Giám đốc", "signer_name": ""}))
    right = d.tables[-1].rows[0].cells[1]
    assert [p.text for p in right.paragraphs if p.text] == ["GIÁM ĐỐC"]
    assert len(right.paragraphs) >= 4


# -- Vietnamese text and bad input -----------------------------------------------------------

def test_decomposed_input_comes_out_composed():
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    d = read(Letter(**{**LETTER.__dict__, "addressees": tuple(nfd(a) for a in LETTER.addressees),
                       "items": tuple(OverdueItem(nfd(i.unit_name), nfd(i.report_title), nfd(i.period_label),
                                                  i.effective_due, i.days_late) for i in ITEMS)}))
    texts = body_texts(d) + [c.text for row in d.tables[1].rows for c in row.cells]
    assert "- UBND huyện Đại Từ." in texts and "UBND huyện Đại Từ" in texts
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_control_characters_from_a_spreadsheet_do_not_break_the_file():
    d = read(Letter(**{**LETTER.__dict__, "addressees": ("Sở Tài\x0b chính", "Sở Xây dựng")}))
    assert "- Sở Tài chính;" in body_texts(d)


@pytest.mark.parametrize("change, message", [
    ({"items": ()}, "at least one overdue item"),
    ({"addressees": ()}, "addressee"),
    ({"addressees": (" ",)}, "addressee"),
    ({"items": (OverdueItem("Sở Tài chính", "Báo cáo tháng", "tháng 11/2026", AS_OF, 0),)}, "not overdue"),
    ({"reply_by": AS_OF}, "not after"),
])
def test_refuses_a_letter_that_should_not_go_out(change, message):
    with pytest.raises(ValueError, match=message):
        letter_docx(Letter(**{**LETTER.__dict__, **change}))


def test_issuer_in_capitals_reads_naturally_in_the_body():
    d = read(Letter(**{**LETTER.__dict__, "issuer": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"}))
    assert "gửi báo cáo về Sở Lao động - Thương binh và Xã hội chậm nhất ngày" in "\n".join(body_texts(d))


# -- size ------------------------------------------------------------------------------------

def test_150_items_under_two_seconds():
    units = [f"UBND xã {n}" for n in range(1, 51)]
    many = tuple(item(units[i % 50], "Báo cáo tháng", f"tháng {i % 9 + 1}/2026", D(2026, i % 9 + 1, 14))
                 for i in range(150))
    letter = Letter(**{**LETTER.__dict__, "items": many})
    start = time.perf_counter()
    data = letter_docx(letter)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    rows = docx.Document(io.BytesIO(data)).tables[1].rows
    assert len(rows) == 151
    assert [c.text for c in rows[1].cells][:2] == ["1", "UBND xã 1"]
    assert [c.text for c in rows[-1].cells][:2] == ["50", "UBND xã 50"]  # 2 before 10, 10 before 50
    header = rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated at the top of every page
