"""The .xlsx reader's fast path (issue 22: a 1,048,576-row .xlsx imported in 16 s, 13 of them expat
calling Python for each of 26 million elements). Rows laid out as spreadsheet programs write them are
read by one regex per piece inflated; anything else in a piece (CDATA, comments, rich text, single
quotes, an unknown entity ...) is read by expat from that piece's first row on. Either way a sheet
reads the same, and a bad one is refused with the same line: each test writes a sheet by hand, says
what it must read as, and checks the fast reader and expat alone (fast=False) both read exactly that.
"""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from dvcq.documents import xlsxrows
from dvcq.documents.xlsx import XlsxError, read_first_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = ["Đơn vị", "Báo cáo", "Kỳ", "Ngày gửi", "Sở Y tế", "monthly"]
# cellXfs: 0 General, 1 a built-in date (14: m/d/yyyy), 2 a custom dd/mm/yyyy (164)
STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')
LIMITS = (1_048_576, 20_000_000, 400_000_000)


def book(sheet_data: str, root: str = f'<worksheet xmlns="{MAIN}">', tail: str = "</worksheet>", head: str = "",
         before: str = '<dimension ref="A1:B2"/>', encoding: str = "utf-8", sheet_data_tag: str = "sheetData",
         sst: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>')
        z.writestr("xl/sharedStrings.xml", sst if sst is not None else
                   f'<sst xmlns="{MAIN}" count="6">' + "".join(f"<si><t>{s}</t></si>" for s in STRINGS) + "</sst>")
        z.writestr("xl/styles.xml", STYLES)
        text = f"{head}{root}{before}<{sheet_data_tag}>{sheet_data}</{sheet_data_tag}>{tail}"
        z.writestr("xl/worksheets/sheet1.xml", text.encode(encoding))
    return buf.getvalue()


def both(data: bytes, limits=LIMITS):
    """What the fast reader reads, having checked that expat alone reads the same (rows, or the
    same error on the same row)."""
    got = []
    for fast in (True, False):
        try:
            got.append(("rows", read_first_sheet(data, *limits, fast=fast)))
        except XlsxError as exc:
            got.append(("error", str(exc), exc.row))
    assert got[0] == got[1], f"fast reader: {got[0]!r}\nexpat: {got[1]!r}"
    return got[0][1] if got[0][0] == "rows" else got[0]


PLAIN = ('<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
         '<c r="D1" t="s"><v>3</v></c></row>'
         '<row r="2"><c r="A2" s="0" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c>'
         '<c r="C2" t="inlineStr"><is><t xml:space="preserve"> 2024-05 </t></is></c><c r="D2" s="1"><v>45422</v></c></row>')
PLAIN_ROWS = [(1, ["Đơn vị", "Báo cáo", "Kỳ", "Ngày gửi"]), (2, ["Sở Y tế", "monthly", "2024-05", "10/05/2024"])]
# 45422 days after 30/12/1899 is 10/05/2024: 2024-01-01 is serial 45292, + 130 days (Jan 31, Feb 29,
# Mar 31, Apr 30 = 121, then 9 more) is 10 May


def test_the_plain_layout_reads_by_the_fast_path(monkeypatch):
    read = []
    real = xlsxrows.SheetRows.read
    monkeypatch.setattr(xlsxrows.SheetRows, "read", lambda self, *a: read.append(1) or real(self, *a))
    assert both(book(PLAIN)) == PLAIN_ROWS
    assert read  # the fast reader was used (a test of speed would be slower and flakier)


@pytest.mark.parametrize("variant", ["cdata", "comment", "rich text", "single quotes", "attributes in another order",
                                     "processing instruction", "pretty-printed", "windows line ends"])
def test_a_sheet_written_otherwise_reads_the_same(variant):
    sheet = {
        "cdata": PLAIN.replace("<t xml:space=\"preserve\"> 2024-05 </t>", "<t><![CDATA[ 2024-05 ]]></t>"),
        "comment": PLAIN.replace('<row r="2">', '<!-- <row r="9"><c r="A9"><v>1</v></c></row> --><row r="2">'),
        "rich text": PLAIN.replace('<t xml:space="preserve"> 2024-05 </t>', "<r><t>2024</t></r><r><rPr><b/></rPr><t>-05</t></r>"),
        "single quotes": PLAIN.replace('r="A2" s="0" t="s"', "r='A2' s='0' t='s'"),
        "attributes in another order": PLAIN.replace('r="A2" s="0" t="s"', 't="s" s="0" r="A2"'),
        "processing instruction": PLAIN.replace('<row r="2">', '<?mso x?><row r="2">'),
        "pretty-printed": PLAIN.replace("<row", "\n  <row").replace("<c ", "\n    <c ").replace("<v>", "\n      <v>")
                               .replace("</c>", "\n    </c>").replace("</row>", "\n  </row>"),
        "windows line ends": PLAIN.replace("<row", "\r\n  <row").replace("<c ", "\r\n    <c ").replace("</row>", "\r\n  </row>"),
    }[variant]
    assert both(book(sheet)) == PLAIN_ROWS


def test_namespace_prefixes_read_the_same_fast_or_not(monkeypatch):
    prefixed = (PLAIN.replace("<row", "<x:row").replace("</row>", "</x:row>").replace("<c ", "<x:c ")
                .replace("</c>", "</x:c>").replace("<v>", "<x:v>").replace("</v>", "</x:v>").replace("<is>", "<x:is>")
                .replace("</is>", "</x:is>").replace("<t ", "<x:t ").replace("</t>", "</x:t>")
                .replace('spans="1:4"', 'spans="1:4" x14ac:dyDescent="0.25"'))
    root = f'<x:worksheet xmlns:x="{MAIN}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
    data = book(prefixed, root=root, tail="</x:worksheet>", before="", sheet_data_tag="x:sheetData")
    read = []
    real = xlsxrows.SheetRows.read
    monkeypatch.setattr(xlsxrows.SheetRows, "read", lambda self, *a: read.append(1) or real(self, *a))
    assert both(data) == PLAIN_ROWS
    assert read
    # a prefix the root does not declare is not well-formed: refused, on either path
    undeclared = book(prefixed, root=root.replace("xmlns:x14ac=", "xmlns:y14ac="), tail="</x:worksheet>", before="",
                      sheet_data_tag="x:sheetData")
    assert both(undeclared)[0] == "error"


def test_entities_and_character_references_read_as_the_characters_they_name():
    sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Sở Tài chính &amp; Kế hoạch</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>Th&#7901;i h&#x1EA1;n &lt;15&gt; &quot;x&quot; &apos;y&apos;</t></is></c>'
             '<c r="C1" t="str"><f>A1&amp;"x"</f><v>a &amp; b</v></c>'
             '<c r="D1" t="inlineStr"><is><t>BC m&#7899;i</t></is></c></row>')  # U+1EDB is ớ
    assert both(book(sheet)) == [(1, ["Sở Tài chính & Kế hoạch", "Thời hạn <15> \"x\" 'y'", "a & b", "BC mới"])]


def test_numbers_dates_formulas_booleans_and_gaps():
    sheet = ('<row r="3"><c r="A3"><v>7</v></c><c r="C3" s="2"><v>45422.5</v></c><c r="D3"><f>1+1</f><v>2</v></c>'
             '<c r="E3" t="b"><v>1</v></c><c r="F3" s="1"/><c r="H3"><f t="shared" ref="H3:H9" si="0"/><v>0.25</v></c></row>'
             '<row><c><v>1</v></c><c t="n"><v>007</v></c></row>'  # no r: the next row, the next column
             '<row r="9"/>')
    assert both(book(sheet)) == [(3, ["7", "", "10/05/2024 12:00", "2", "TRUE", "", "", "0.25"]), (4, ["1", "7"]), (9, [])]


@pytest.mark.parametrize("bad, row", [
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>&foo;</t></is></c></row>', 0),   # an entity never declared
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>', 0),    # not an XML character
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>a\x01b</t></is></c></row>', 0),  # a control character
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>', 0),
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1</c></row>', 0),  # not well-formed
    ('<row r="1"><c r="A1" r="B1"><v>1</v></c></row>', 0),  # an attribute twice
    ('<row r="1"><c r="XFE1"><v>1</v></c></row>', 1),  # past the last column, XFD
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>99</v></c></row>', 2),  # no such string
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1,5</v></c></row>', 2),  # not a number
    ('<row r="1"><c r="A1" t="s"><v>²</v></c></row>', 1),  # a digit, but not 0-9
    ('<row r="0"><c r="A1"><v>1</v></c></row>', 0),
])
def test_a_bad_sheet_is_refused_with_the_same_line_fast_or_not(bad, row):
    got = both(book(bad))
    assert got[0] == "error" and got[2] == row, got
    assert "cannot be inflated" not in got[1]  # a bad value is named, not taken for a bad zip


def test_a_cell_past_the_limit_is_refused_at_its_row():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>1</v></c></row>' for n in range(1, 3001))
    assert both(book(rows), (1_048_576, 5_001, 400_000_000)) == ("error", "more than 5,001 cells: refused", 2501)
    assert both(book(rows), (2_000, 20_000_000, 400_000_000)) == ("error", "xl/worksheets/sheet1.xml: bad row number "
                                                                  "'2001'", 2000)
    unnumbered = "<row><c><v>1</v></c></row>" * 3000
    assert both(book(unnumbered), (2_000, 20_000_000, 400_000_000)) == ("error", "more than 2,000 rows: refused", 2001)


def test_a_non_utf8_sheet_and_a_sheet_data_in_a_comment_read_right():
    sheet = '<row r="1"><c r="A1" t="inlineStr"><is><t>café</t></is></c></row>'
    latin = book(sheet, head='<?xml version="1.0" encoding="ISO-8859-1"?>', encoding="latin-1")
    assert both(latin) == [(1, ["café"])]
    commented = book(sheet, before='<!-- <sheetData><row r="5"><c r="A5"><v>5</v></c></row> -->')
    assert both(commented) == [(1, ["café"])]


def test_a_row_longer_than_the_fast_readers_hold_is_read_by_expat():
    long = "x" * (xlsxrows.FAST_HOLD + 10)
    sheet = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long}</t></is></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
    assert both(book(sheet)) == [(1, [long]), (2, ["2"])]


def test_rows_read_after_a_piece_expat_read_carry_on_from_it():
    """A comment at row 2,000 (a piece expat reads), then rows on: every row once, in order."""
    rows = [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>r{n}</t></is></c></row>' for n in range(1, 6001)]
    rows.insert(2000, "<!-- x -->")
    got = both(book("".join(rows)))
    assert [n for n, _ in got] == list(range(1, 6001)) and got[-1] == (6000, ["r6000"])


@pytest.mark.parametrize("later", ['<c r="B{n}"><f>A{n}*2</f><v>{m}</v></c>', '\n  <c r="B{n}"><v>{m}</v></c>\n',
                                   '<c r="B{n}" t="inlineStr"><is><t xml:space="preserve">{m}</t></is></c>'])
def test_a_sheet_plain_at_first_and_written_otherwise_later_reads_every_row(later):
    """Rows as most sheets have them for 3,000 rows (the tight tokens), then formulas, white space or
    xml:space (the full tokens from that piece on): every row once, each cell right."""
    rows = [f'<row r="{n}"><c r="A{n}"><v>{n}</v></c>'
            + (later.format(n=n, m=2 * n) if n > 3000 else f'<c r="B{n}"><v>{2 * n}</v></c>') + "</row>"
            for n in range(1, 6001)]
    got = both(book("".join(rows)))
    assert got == [(n, [str(n), str(2 * n)]) for n in range(1, 6001)]


def test_an_xxe_in_a_sheet_read_fast_is_still_refused(tmp_path):
    data = book(PLAIN, head='<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
    got = both(data)
    assert got[0] == "error" and "DOCTYPE" in got[1]
    path = tmp_path / "x.xlsx"
    path.write_bytes(data)
    r = run_cli("submit", "--plan", "thai-nguyen", "--from", str(path), "--db", str(tmp_path / "l.sqlite3"),
                env={"DVCQ_NO_CACHE": "1"})
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "root:" not in r.stderr


SHARED = ['<si><t>Sở Y tế</t></si>', '<si><t xml:space="preserve"> Sở Tài chính &amp; KH </t></si>',
          "<si><t>m&#7899;i</t></si>", "<si><r><rPr><b/></rPr><t>BC </t></r><r><t>năm</t></r></si>",
          "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>",
          "<si><t><![CDATA[a < b]]></t></si>", "<si><t/></si>", "<si>\n  <t>x</t>\n</si>"]
SHARED_TEXT = ["Sở Y tế", "Sở Tài chính & KH", "mới", "BC năm", "東京", "a < b", "", "x"]  # stripped, as a cell reads


def shared_book(strings, prefix=""):
    p = f"{prefix}:" if prefix else ""
    sst = (f'<{p}sst xmlns{":" + prefix if prefix else ""}="{MAIN}" count="{len(strings)}">'
           + "".join(strings).replace("<si", f"<{p}si").replace("</si", f"</{p}si").replace("<t", f"<{p}t")
           .replace("</t", f"</{p}t").replace("<r>", f"<{p}r>").replace("</r>", f"</{p}r>") + f"</{p}sst>")
    row = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(strings)))
    return book(f'<row r="1">{row}</row>', sst=sst)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_shared_strings_read_the_same_fast_or_not(monkeypatch, prefix):
    taken = []
    real = xlsxrows.StringsReader.take
    monkeypatch.setattr(xlsxrows.StringsReader, "take", lambda self, piece: taken.append(1) or real(self, piece))
    assert both(shared_book(SHARED[:3] * 2, prefix)) == [(1, SHARED_TEXT[:3] * 2)]
    assert taken  # read by the fast reader
    assert both(shared_book(SHARED, prefix)) == [(1, SHARED_TEXT)]  # rich text, phonetic runs, CDATA: expat


def test_more_shared_strings_than_cells_are_refused_fast_or_not():
    assert both(shared_book(SHARED[:1] * 40), (1_048_576, 30, 400_000_000)) == ("error", "more than 30 shared strings: "
                                                                                         "refused", 0)


CELL = st.sampled_from([
    '<c r="{c}{r}" t="s"><v>{i}</v></c>', '<c r="{c}{r}"><v>{n}</v></c>', '<c r="{c}{r}" s="1"><v>{n}</v></c>',
    '<c r="{c}{r}" t="inlineStr"><is><t>{x}</t></is></c>', '<c r="{c}{r}" s="2"/>', '<c t="s"><v>{i}</v></c>',
    '<c r="{c}{r}"><f>SUM(A1:A2)</f><v>{n}</v></c>', "<c r='{c}{r}' t='s'><v>{i}</v></c>",
    '<c r="{c}{r}" t="inlineStr"><is><t><![CDATA[{x}]]></t></is></c>', '<c r="{c}{r}" t="str"><v>{x}</v></c>',
    '<c r="{c}{r}" t="s"><v>{bad}</v></c>', '<c r="{c}{r}" t="inlineStr"><is><r><t>{x}</t></r></is></c>',
])
TEXT = st.sampled_from(["a", " Sở Y tế ", "&amp;", "&#7899;", "x&lt;y", "", "2024-05", "&bogus;", "\r\n"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.integers(0, 3), st.lists(st.tuples(CELL, st.integers(0, 4), TEXT,
                                                                      st.sampled_from(["0", "5", "6", "-1", "1.5"]),
                                                                      st.sampled_from(["3", "x", ""])), max_size=5)),
                     max_size=12),
       extra=st.sampled_from(["", "<!--c-->", " ", "<row/>"]), shared=st.lists(st.sampled_from(SHARED), max_size=8))
def test_random_sheets_read_the_same_fast_or_not(rows, extra, shared):
    out, number = [], 0
    for step, cells in rows:
        number += step
        out.append(f'<row r="{number}">' if step else "<row>")
        for k, (cell, col, text, n, bad) in enumerate(cells):
            out.append(cell.format(c="ABCDE"[(col + k) % 5], r=number or 1, i=col, n=n, x=text, bad=bad))
        out.append("</row>" + (extra if number % 3 == 0 else ""))
    both(book("".join(out), sst=f'<sst xmlns="{MAIN}">' + "".join(shared + SHARED) + "</sst>"))
