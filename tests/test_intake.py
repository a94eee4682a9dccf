"""dvcq.documents.intake: reading a register export (sổ văn bản đến) and matching its rows.

The fixture tests/fixtures/register-thai-nguyen-2024.csv is a 2024 incoming-documents register of
Thái Nguyên's Sở Nội vụ as its document system exports it; register-thai-nguyen-2024.expected.csv says,
row by row and written by hand, which unit sent it, which report and period it is, and whether an
importer should take it ("match") or skip it, and why.
"""
import csv
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from dvcq.documents import intake
from dvcq.documents.intake import (IntakeError, Subject, UnitRef, match_unit, parse_date_cell, read_sheet, read_subject,
                         read_units)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REGISTER = FIXTURES / "register-thai-nguyen-2024.csv"
EXPECTED = FIXTURES / "register-thai-nguyen-2024.expected.csv"
UNITS_FILE = REPO / "plans" / "units" / "thai-nguyen.yaml"
UNITS = read_units(UNITS_FILE)
PROVINCE = "Thái Nguyên"
HEADER = ["Số đến", "Ngày đến", "Cơ quan ban hành", "Số ký hiệu", "Ngày văn bản", "Trích yếu", "Đơn vị xử lý", "Ghi chú"]


def outcome(row, file="register"):
    """What an importer does with a register row: (unit, every, period, outcome) as the expected file
    writes them. Skips, first reason first: another province, not a DVCQ report, a body that is not a
    reporting unit, a period that cannot be read. A year left out of the trích yếu is the year received."""
    uid, how = match_unit(row.cells["sender"], UNITS, PROVINCE)
    received = parse_date_cell(row.cells["received_on"], row.number, "received_on", file)
    subject = read_subject(row.cells["subject"], default_year=received.year)
    if how.startswith("other province"):
        result = "skip:other province"
    elif not subject.is_dvcq_report:
        result = "skip:not a DVCQ report"
    elif uid is None:
        result = "skip:unknown body"
    elif subject.period is None:
        result = "skip:period unreadable"
    else:
        result = "match"
    return (uid or "", subject.every or "", subject.period or "", result), how, subject.reason


def expected_rows():
    with EXPECTED.open(encoding="utf-8", newline="") as f:
        return {int(r["row"]): (r["unit"], r["every"], r["period"], r["outcome"]) for r in csv.DictReader(f)}


# --------------------------------------------------------------------------------------------------
# The fixture, row by row

def test_fixture_every_row_as_expected():
    sheet = read_sheet(REGISTER)
    expected = expected_rows()
    assert sheet.kind == "register"
    assert [r.number for r in sheet.rows] == sorted(expected), "the expected file must list every row of the register"
    wrong = []
    for row in sheet.rows:
        got, how, reason = outcome(row)
        if got != expected[row.number]:
            wrong.append(f"row {row.number}: {row.cells['sender']!r} | {row.cells['subject']!r}\n"
                         f"    expected {expected[row.number]}\n    got      {got} (unit: {how}; subject: {reason})")
    assert not wrong, f"{len(wrong)} of {len(sheet.rows)} rows differ from {EXPECTED.name}:\n" + "\n".join(wrong)


def test_fixture_is_a_year_of_register():
    sheet = read_sheet(REGISTER)
    expected = expected_rows()
    assert len(sheet.rows) >= 300
    assert sheet.columns == ("number", "received_on", "sender", "reference", "document_date", "subject", "handler", "note")
    outcomes = [e[3] for e in expected.values()]
    assert {"match", "skip:not a DVCQ report", "skip:unknown body", "skip:other province",
            "skip:period unreadable"} <= set(outcomes)
    periods = {e[2] for e in expected.values() if e[3] == "match"}
    # the regime's periods, March/June/September merged months sent all the same, and a "9 tháng"
    assert {f"2024-{m:02d}" for m in (1, 2, 4, 5, 7, 8, 10, 11)} | {"2024-Q1", "2024-Q3", "2024-H1", "2024"} <= periods
    assert {"2024-03", "2024-06", "2024-09", "2024-9M"} <= periods
    ids = {u.id for u in UNITS}
    assert {e[0] for e in expected.values() if e[0]} <= ids
    received = [parse_date_cell(r.cells["received_on"], r.number, "received_on", "f") for r in sheet.rows]
    assert received == sorted(received), "a register runs in the order documents arrive"
    numbers = [int(r.cells["number"]) for r in sheet.rows]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert dt.date(2024, 4, 13) in received  # a Saturday
    assert dt.date(2024, 4, 30) in received and dt.date(2024, 2, 13) in received  # days off


def test_xlsx_with_title_rows_and_date_cells_reads_back_the_same(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    source = read_sheet(REGISTER)
    with REGISTER.open(encoding="utf-8-sig", newline="") as f:
        raw = list(csv.reader(f))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"])
    ws.append(["Sở Nội vụ tỉnh Thái Nguyên - Năm 2024"])
    ws.append(raw[0])
    for cells in raw[1:]:
        values = list(cells)
        values[0] = int(values[0])
        for i in (1, 4):  # real date cells, as the document system writes them
            d, m, y = (int(x) for x in values[i].split("/"))
            values[i] = dt.datetime(y, m, d)
        ws.append(values)
    for cell in ws["B"][3:] + ws["E"][3:]:
        cell.number_format = "DD/MM/YYYY"
    path = tmp_path / "so-den-2024.xlsx"
    wb.save(path)

    back = read_sheet(path)
    assert (back.kind, back.columns) == (source.kind, source.columns)
    assert [r.number for r in back.rows] == [r.number + 2 for r in source.rows]  # two title rows above the header
    assert [r.cells for r in back.rows] == [r.cells for r in source.rows]
    assert [outcome(r)[0] for r in back.rows] == [outcome(r)[0] for r in source.rows]


# --------------------------------------------------------------------------------------------------
# Units

@pytest.mark.parametrize("text,unit,how", [
    ("Sở Tài chính", "so-tai-chinh", "exact"),
    ("SỞ TÀI CHÍNH", "so-tai-chinh", "exact"),
    ("So Tai chinh", "so-tai-chinh", "exact"),
    ("Sở Tài chính tỉnh Thái Nguyên", "so-tai-chinh", "exact"),
    ("Sở Tài chính Thái Nguyên", "so-tai-chinh", "exact"),
    ("  Sở   Tài chính,  tỉnh Thái Nguyên ", "so-tai-chinh", "exact"),
    ("Sở Tài chánh", "so-tai-chinh", "fuzzy"),
    ("STC", "so-tai-chinh", "alias"),
    ("Sở KH&ĐT", "so-ke-hoach-dau-tu", "alias"),
    ("Sở Kế hoạch & Đầu tư", "so-ke-hoach-dau-tu", "exact"),
    ("Sở Kế hoạch - Đầu tư", "so-ke-hoach-dau-tu", "exact"),   # "-" and "và" are both nothing
    ("Sở GD-ĐT tỉnh Thái Nguyên", "so-giao-duc-dao-tao", "alias"),
    ("Sở YT", "so-y-te", "abbreviation"),
    ("Sở VH, TT&DL", "so-van-hoa-the-thao-du-lich", "alias"),
    ("Sở LĐTB&XH", "so-lao-dong-tbxh", "abbreviation"),
    ("Sở TC", "so-tai-chinh", "abbreviation"),
    ("Sở Công Thươnng", "so-cong-thuong", "fuzzy"),
    ("UBND huyen Dai Tu", "dai-tu", "exact"),
    ("UBND H. Đại Từ", "dai-tu", "exact"),
    ("Huyện Đại Từ", "dai-tu", "exact"),
    ("Ủy ban nhân dân huyện Đại Từ, tỉnh Thái Nguyên", "dai-tu", "exact"),
    ("UB huyện Đại Từ", "dai-tu", "exact"),
    ("UBND TP Thái Nguyên", "tp-thai-nguyen", "exact"),
    ("UBND T.P Thái Nguyên", "tp-thai-nguyen", "exact"),
    ("Uỷ ban nhân dân thành phố Thái Nguyên tỉnh Thái Nguyên", "tp-thai-nguyen", "exact"),
    ("UBND TP. Sông Công", "tp-song-cong", "exact"),
    ("UBND thị xã Phổ Yên", "tp-pho-yen", "alias"),
    ("UBND huyện Định Hoá", "dinh-hoa", "exact"),
    ("UBND huyện Võ Nhay", "vo-nhai", "fuzzy"),
    ("UBND huyện Đồng Hỉ", "dong-hy", "fuzzy"),
    ("Thanh tra tỉnh", "thanh-tra-tinh", "exact"),
    ("Ban Dân tộc", "ban-dan-toc", "exact"),                   # "tỉnh" after a name is dropped
    ("Ban DT tỉnh", "ban-dan-toc", "alias"),
    ("Bộ CHQS tỉnh", "bo-chi-huy-quan-su", "alias"),
    ("Công an tỉnh Thái Nguyên", "cong-an-tinh", "exact"),
    ("VP UBND tỉnh", "van-phong-ubnd", "alias"),
    ("BQL các KCN Thái Nguyên", "ban-quan-ly-kcn", "alias"),
])
def test_match_unit(text, unit, how):
    got, why = match_unit(text, UNITS, PROVINCE)
    assert got == unit, why
    assert why.split()[0] == how
    if how == "fuzzy":
        assert 88 <= int(why.split()[1]) < 100


@pytest.mark.parametrize("text,reason", [
    ("Sở Tài chính tỉnh Bắc Kạn", "other province (Bắc Kạn)"),       # merged with Thái Nguyên only in 2025
    ("Sở Tài chánh tỉnh Bắc Giang", "other province (Bắc Giang)"),
    ("Sở Y tế Hà Nội", "other province (Hà Nội)"),
    ("UBND huyện Chợ Mới, tỉnh Bắc Kạn", "other province (Bắc Kạn)"),
    ("Sở Nội vụ", "no unit like"),                   # the receiver itself, one letter from "Sở Ngoại vụ"
    ("Sở Nội vụ tỉnh Thái Nguyên", "no unit like"),
    ("UBND tỉnh Thái Nguyên", "no unit like"),
    ("Ban Dân vận Tỉnh ủy", "no unit like"),         # not "Ban Dân tộc"
    ("Báo Thái Nguyên", "no unit like"),             # left out of the units file on purpose
    ("Đài PT-TH Thái Nguyên", "no unit like"),
    ("Phòng Nội vụ huyện Phú Bình", "no unit like"),  # a phòng of the district, not its UBND
    ("Công an huyện Đại Từ", "no unit like"),
    ("Sở Tư pháp tỉnh Bắc Kạn", "other province (Bắc Kạn)"),
    ("Sở Tài nguyên", "no unit like"),               # too little to tell
    ("Sở TP", "no unit like"),                       # "TP" is "thành phố", never a guess at Sở Tư pháp
    ("", "empty"),
])
def test_match_unit_refuses(text, reason):
    got, why = match_unit(text, UNITS, PROVINCE)
    assert got is None and why.startswith(reason), why


def test_fuzzy_never_confuses_close_names():
    assert match_unit("Sở Tài chính", UNITS, PROVINCE)[0] != "so-tu-phap"
    assert match_unit("Sở Tư pháp", UNITS, PROVINCE)[0] == "so-tu-phap"
    assert match_unit("UBND huyện Phú Lươg", UNITS, PROVINCE)[0] == "phu-luong"
    assert match_unit("UBND huyện Phú Bìn", UNITS, PROVINCE)[0] == "phu-binh"
    two = [UnitRef("so-a", "Sở Tài chính"), UnitRef("so-b", "Sở Tài chính")]
    assert match_unit("Sở Tài chính", two) == (None, "ambiguous: so-a, so-b")
    close = [UnitRef("so-a", "Sở Tài chính"), UnitRef("so-b", "Sở Tài chínhh")]
    assert match_unit("Sở Tài chánh", close) == (None, "ambiguous: so-a, so-b")  # 92 and 88: too close to call


def test_match_unit_without_a_province_keeps_place_names():
    units = [UnitRef("tp", "UBND thành phố Thái Nguyên"), UnitRef("stc", "Sở Tài chính")]
    assert match_unit("UBND TP Thái Nguyên", units) == ("tp", "exact")
    assert match_unit("Sở Tài chính Bắc Kạn", units)[0] is None
    # with the province, its name after a unit's name is dropped, but not from "thành phố Thái Nguyên"
    assert match_unit("Sở Tài chính Thái Nguyên", units, "Thái Nguyên") == ("stc", "exact")
    assert match_unit("Thành phố Thái Nguyên", units, "Thái Nguyên") == ("tp", "exact")


# --------------------------------------------------------------------------------------------------
# Subjects

S = Subject
DV = "DVCQ report"


@pytest.mark.parametrize("text,every,period", [
    ("Báo cáo kết quả thực hiện công tác dân vận chính quyền quý I năm 2024", "quarter", "2024-Q1"),
    ("BC công tác DVCQ 6 tháng đầu năm 2024", "half", "2024-H1"),
    ("BC DVCQ 6T/2024", "half", "2024-H1"),
    ("Báo cáo sơ kết công tác dân vận chính quyền 6 tháng năm 2024", "half", "2024-H1"),
    ("Báo cáo công tác dân vận chính quyền 6 tháng cuối năm 2024", "half", "2024-H2"),
    ("Báo cáo công tác dân vận chính quyền năm 2024", "year", "2024"),
    ("Báo cáo tổng kết công tác dân vận năm 2024, phương hướng nhiệm vụ năm 2025", "year", "2024"),
    ("BC DVCQ tháng 5/2024", "month", "2024-05"),
    ("Báo cáo công tác dân vận tháng 05 năm 2024", "month", "2024-05"),
    ("BC kết quả công tác DVCQ T11/2024", "month", "2024-11"),
    ("BAO CAO CONG TAC DAN VAN CHINH QUYEN THANG 7 NAM 2024", "month", "2024-07"),
    ("Báo cáo công tác dân vận tháng 3 năm 2024", "month", "2024-03"),       # merged month, read as written
    ("BC DVCQ QII/2024", "quarter", "2024-Q2"),
    ("Báo cáo dân vận CQ quý 2/2024", "quarter", "2024-Q2"),
    ("Báo cáo công tác dân vận Q.III năm 2024", "quarter", "2024-Q3"),
    ("Báo cáo kết quả thực hiện công tác dân vận chính quyền quý III và nhiệm vụ quý IV năm 2024", "quarter", "2024-Q3"),
    ("Báo cáo công tác dân vận chính quyền 9 tháng năm 2024", "nine-months", "2024-9M"),
    ("Báo cáo công tác dân vận 9 tháng đầu năm 2024", "nine-months", "2024-9M"),
    ("Báo cáo kết quả công tác dân vận của cơ quan nhà nước quý I/2024", "quarter", "2024-Q1"),
    ("Kết quả thực hiện công tác dân vận chính quyền tháng 4 năm 2024", "month", "2024-04"),
    ("V/v báo cáo kết quả công tác dân vận chính quyền tháng 8/2024", "month", "2024-08"),
    ("Báo cáo công tác dân vận tháng 10", "month", "2024-10"),                # year from default_year
    ("Báo cáo DVCQ quý I (số liệu từ 14/12/2023 đến 13/3/2024)", "quarter", "2024-Q1"),
    ("Báo cáo DVCQ quý III và nhiệm vụ trọng tâm quý IV năm 2024", "quarter", "2024-Q3"),
    ("Báo cáo công tác dân vận chính quyền tháng 12/2023", "month", "2023-12"),
])
def test_read_subject_dvcq(text, every, period):
    s = read_subject(text, default_year=2024)
    assert (s.is_dvcq_report, s.every, s.period) == (True, every, period), s.reason


@pytest.mark.parametrize("text,reason", [
    ("Báo cáo kết quả công tác cải cách hành chính quý I/2024", "cải cách hành chính"),
    ("BC kết quả thực hiện công tác CCHC quý III/2024", "cải cách hành chính"),
    ("Báo cáo tình hình kinh tế - xã hội tháng 5", "kinh tế - xã hội"),
    ("Báo cáo tình hình KT-XH 6 tháng đầu năm 2024", "kinh tế - xã hội"),
    ("Báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở 6 tháng đầu năm 2024", "dân chủ ở cơ sở"),
    ("Báo cáo công tác dân tộc 6 tháng đầu năm 2024", "dân tộc"),          # dân tộc is not dân vận
    ("Giấy mời họp sơ kết công tác dân vận chính quyền 6 tháng đầu năm 2024", "giấy mời"),
    ("GM dự Lễ kỷ niệm Ngày truyền thống", "giấy mời"),
    ("Công văn về việc đôn đốc báo cáo công tác dân vận chính quyền", "công văn"),
    ("V/v đề nghị tuyển dụng công chức cấp xã", "công văn"),
    ("Tờ trình đề nghị khen thưởng tập thể có thành tích trong công tác dân vận", "tờ trình"),
    ("Kế hoạch thực hiện công tác dân vận chính quyền năm 2024", "kế hoạch"),
    ("Quyết định về việc kiện toàn Ban Chỉ đạo thực hiện dân chủ ở cơ sở", "quyết định"),
    ("Báo cáo kết quả xây dựng mô hình \"Dân vận khéo\" năm 2024", "Dân vận khéo"),
    ("Báo cáo chuyên đề công tác dân vận vùng đồng bào có đạo", "chuyên đề"),
    ("V/v báo cáo số lượng đơn vị hành chính cấp xã", "not on dân vận"),
])
def test_read_subject_not_dvcq(text, reason):
    s = read_subject(text, default_year=2024)
    assert (s.is_dvcq_report, s.every, s.period) == (False, None, None)
    assert reason in s.reason, s.reason


@pytest.mark.parametrize("text,default_year,why", [
    ("Báo cáo kết quả công tác dân vận chính quyền (số liệu từ ngày 14/4 đến ngày 13/5/2024)", 2024, "no period"),
    ("Báo cáo công tác dân vận chính quyền", 2024, "no period"),
    ("Báo cáo DVCQ quý", 2024, "no period"),
    ("Báo cáo công tác dân vận tháng 13/2024", 2024, "not a month"),
    ("Báo cáo công tác dân vận quý I", None, "no year"),
])
def test_read_subject_dvcq_without_period(text, default_year, why):
    s = read_subject(text, default_year=default_year)
    assert s.is_dvcq_report and s.period is None
    assert why in s.reason


# --------------------------------------------------------------------------------------------------
# Dates

@pytest.mark.parametrize("cell,expected", [
    ("13/04/2024", dt.date(2024, 4, 13)),
    ("3/4/2024", dt.date(2024, 4, 3)),
    ("3/4/24", dt.date(2024, 4, 3)),
    ("29/02/2024", dt.date(2024, 2, 29)),
    ("2024-04-13", dt.date(2024, 4, 13)),
    ("13-04-2024", dt.date(2024, 4, 13)),
    ("13.04.2024", dt.date(2024, 4, 13)),
    ("13/04/2024 08:15", dt.date(2024, 4, 13)),
    (" 13/04/2024 ", dt.date(2024, 4, 13)),
    (dt.datetime(2024, 4, 13, 8, 15), dt.date(2024, 4, 13)),
    (dt.date(2024, 4, 13), dt.date(2024, 4, 13)),
    (45395, dt.date(2024, 4, 13)),          # an Excel serial in a cell not formatted as a date
    ("45395", dt.date(2024, 4, 13)),
])
def test_parse_date_cell(cell, expected):
    assert parse_date_cell(cell, 7, "received_on", "so-den.csv") == expected


@pytest.mark.parametrize("cell,why", [
    ("31/4/2024", "April 2024 has 30 days"),
    ("29/02/2023", "February 2023 has 28 days"),
    ("0/1/2024", "January 2024 has 31 days"),
    ("13/13/2024", "no month 13"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("hôm qua", "not a date"),
    ("", "empty date"),
    ("01/01/1900", "not plausible"),
])
def test_parse_date_cell_rejects(cell, why):
    with pytest.raises(IntakeError) as e:
        parse_date_cell(cell, 17, "received_on", "so-den.csv")
    assert (e.value.row, e.value.column) == (17, "received_on")
    assert str(e.value).startswith("so-den.csv: row 17, column received_on: ")
    assert why in str(e.value)


# --------------------------------------------------------------------------------------------------
# Headers

def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_header_under_title_rows_semicolons_and_numbering_row(tmp_path):
    p = write(tmp_path / "so-den.csv",
              "\ufeffSỔ ĐĂNG KÝ VĂN BẢN ĐẾN;;;;;\nNăm 2024;;;;;\n;;;;;\n"
              "Số đến;Ngày đến;Nơi gửi;Số, ký hiệu;Ngày ký;Trích yếu nội dung;Người xử lý\n"
              "(1);(2);(3);(4);(5);(6);(7)\n"
              "12;05/01/2024;Sở Y tế;5/BC-SYT;04/01/2024;Báo cáo DVCQ tháng 1/2024;Phòng XDCQ&CTTN\n"
              ";;;;;;\n"
              "13;06/01/2024;UBND huyện Đại Từ;9/BC-UBND;05/01/2024;Báo cáo DVCQ tháng 1/2024;\n")
    sheet = read_sheet(p)
    assert sheet.kind == "register"
    assert sheet.columns == ("number", "received_on", "sender", "reference", "document_date", "subject", "handler")
    assert [r.number for r in sheet.rows] == [6, 8]
    assert sheet.rows[0].cells["reference"] == "5/BC-SYT" and sheet.rows[1].cells["sender"] == "UBND huyện Đại Từ"


def test_english_register_header(tmp_path):
    p = write(tmp_path / "register.csv",
              "Number,Received on,Sender,Reference,Document date,Subject,Note\n"
              "1,2024-01-05,Sở Y tế,5/BC-SYT,2024-01-04,BC DVCQ tháng 1/2024,\n")
    sheet = read_sheet(p)
    assert sheet.kind == "register" and sheet.rows[0].cells["received_on"] == "2024-01-05"
    assert sheet.rows[0].number == 2


@pytest.mark.parametrize("header", ["Đơn vị,Báo cáo,Kỳ,Ngày gửi,Ghi chú", "unit,report,period,date sent,note",
                                    "Unit,Report,Period,Sent on,Note"])
def test_submissions_header(tmp_path, header):
    p = write(tmp_path / "nop.csv", f"{header}\ndai-tu,monthly,2024-05,13/05/2024,\n")
    sheet = read_sheet(p)
    assert sheet.kind == "submissions"
    assert sheet.columns == ("unit", "report", "period", "sent_on", "note")
    assert sheet.rows[0].cells == {"unit": "dai-tu", "report": "monthly", "period": "2024-05",
                                   "sent_on": "13/05/2024", "note": ""}


def test_missing_required_column_is_named(tmp_path):
    p = write(tmp_path / "so-den.csv", "SỔ VĂN BẢN ĐẾN\nSố đến,Cơ quan ban hành,Số ký hiệu,Ngày văn bản,Trích yếu\n"
                                       "1,Sở Y tế,5/BC-SYT,04/01/2024,BC\n")
    with pytest.raises(IntakeError) as e:
        read_sheet(p)
    assert (e.value.row, e.value.column) == (2, "received_on")
    assert "Ngày đến" in str(e.value) and "so-den.csv" in str(e.value)


def test_missing_column_in_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["Đơn vị", "Báo cáo", "Ghi chú", "Kỳ"])
    wb.active.append(["dai-tu", "monthly", "", "2024-05"])
    wb.save(tmp_path / "nop.xlsx")
    with pytest.raises(IntakeError) as e:
        read_sheet(tmp_path / "nop.xlsx")
    assert (e.value.row, e.value.column) == (1, "sent_on") and "Ngày gửi" in str(e.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(IntakeError, match="no header row"):
        read_sheet(write(tmp_path / "a.csv", "hello,world\n1,2\n"))
    latin = tmp_path / "b.csv"
    latin.write_bytes("Số đến,Ngày đến\n".encode() + b"S\xf5 T\xe0i ch\xednh\n")  # a legacy 8-bit export
    with pytest.raises(IntakeError, match=r"row 2: not UTF-8"):
        read_sheet(latin)
    with pytest.raises(IntakeError, match="use .csv or .xlsx"):
        read_sheet(write(tmp_path / "c.ods", "x"))
    with pytest.raises(IntakeError, match="not a readable .xlsx"):
        read_sheet(write(tmp_path / "d.xlsx", "not a zip"))


# --------------------------------------------------------------------------------------------------
# The units file the matcher reads

def test_units_file_lifetimes():
    doc = yaml.safe_load(UNITS_FILE.read_text(encoding="utf-8"))
    units = {u["id"]: u for u in doc["units"]}
    assert len(units) == len(doc["units"])
    districts = [u for u in units.values() if u["kind"] == "huyện"]
    assert len(districts) == 9
    assert {u["until"] for u in districts} == {dt.date(2025, 6, 30)}
    merged = {"so-giao-thong-van-tai": "so-xay-dung", "so-ke-hoach-dau-tu": "so-tai-chinh",
              "so-lao-dong-tbxh": "Sở Nội vụ", "so-tai-nguyen-moi-truong": "so-nong-nghiep-moi-truong",
              "so-nong-nghiep-ptnt": "so-nong-nghiep-moi-truong", "so-thong-tin-truyen-thong": "so-khoa-hoc-cong-nghe",
              "ban-dan-toc": "so-dan-toc-ton-giao"}
    for uid, successor in merged.items():
        assert (units[uid]["until"], units[uid]["became"]) == (dt.date(2025, 2, 28), successor)
        assert "unconfirmed" in units[uid]["note"]
    for u in units.values():
        if u.get("became", "").startswith(("so-", "ban-")):
            assert u["became"] in units and units[u["became"]].get("until") is None
        assert 2 <= len(u["aliases"]) <= 4, u["id"]
    assert {units["so-nong-nghiep-moi-truong"]["from"], units["so-dan-toc-ton-giao"]["from"]} == {dt.date(2025, 3, 1)}
    assert "so-noi-vu" not in units and "bao-thai-nguyen" not in units and "dai-pt-th" not in units
    for name in (u.name for u in UNITS):
        assert match_unit(name, UNITS, PROVINCE)[1] == "exact"
        assert match_unit(name + " tỉnh Thái Nguyên", UNITS, PROVINCE)[1] == "exact"


# --------------------------------------------------------------------------------------------------
# Cost

def test_import_is_cheap():
    code = "import sys, dvcq.documents.intake; print(sorted(m for m in ('openpyxl', 'rapidfuzz') if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_ten_thousand_rows_under_a_second(tmp_path):
    with REGISTER.open(encoding="utf-8-sig", newline="") as f:
        raw = list(csv.reader(f))
    body = raw[1:]
    big = tmp_path / "so-den-10000.csv"
    with big.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(raw[0])
        for i in range(10_000):
            w.writerow(body[i % len(body)])
    best = float("inf")
    for _ in range(3):
        intake._INDEXES.clear()           # no warm caches from the other tests
        intake._read_subject.cache_clear()
        start = time.perf_counter()
        sheet = read_sheet(big)
        found = 0
        for row in sheet.rows:
            received = parse_date_cell(row.cells["received_on"], row.number, "received_on", big.name)
            uid, _ = match_unit(row.cells["sender"], UNITS, PROVINCE)
            s = read_subject(row.cells["subject"], received.year)
            found += bool(uid and s.is_dvcq_report and s.period)
        best = min(best, time.perf_counter() - start)
    assert len(sheet.rows) == 10_000 and found > 6000
    assert best < 1.0, f"10,000 rows took {best:.2f} s"
