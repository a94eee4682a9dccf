"""Days off as of 04/12/2026 (issue 24): 2027 announced, 24/11 in law, the 2026 swaps cited by their notices.

Written by hand, not from the program:
- 2027 (Công văn 10065/VPCP-KGVX of 02/10/2026, as reported): Tết Đinh Mùi (mùng 1 = Saturday 06/02/2027)
  off Thursday 04/02 to Wednesday 10/02; Quốc khánh Thursday 02/09 and Friday 03/09 (with the weekend,
  02-05/09). No Saturday worked. The rest is the Labour Code's: 01/01 (Friday); Giỗ Tổ 10/3 âm lịch =
  Friday 16/04; 30/04 (Friday); 01/05 on a Saturday, so Monday 03/05 in lieu (art. 111(3)); 24/11
  (Wednesday) by Nghị quyết 28/2026/QH16, Điều 2. 2027 starts on a Friday and has 365 days: 261
  weekdays, 12 of them off, so 249 working days.
- 24/11 is a paid day off from 01/07/2026 (Nghị quyết 28/2026/QH16, Điều 2); 24/11/2026 (Tuesday) was
  one day, no swap. A weekend 24/11's day in lieu (26/11/2029, 25/11/2030) is the `holidays` package's
  reading, not settled law.
- 2026: Tết 16-20/02 and Monday 31/08 for Saturday 22/08 by Thông báo 9441/TB-BNV of 16/10/2025; no swap
  around 30/04 (Công văn 3383/BNV-CVL of 10/04/2026).
"""
import datetime as dt
import re

import pytest

from conftest import D, run_cli

N10065 = "Công văn 10065/VPCP-KGVX ngày 02/10/2026 (theo báo chí)"
N9441 = "Thông báo 9441/TB-BNV ngày 16/10/2025 (theo báo chí)"
N3383 = "Bộ luật Lao động 2019, Điều 112; không hoán đổi: Công văn 3383/BNV-CVL ngày 10/4/2026 (theo báo chí)"
CULTURE = "Nghị quyết 28/2026/QH16, Điều 2 (hiệu lực từ 01/7/2026; theo báo chí)"
LAW = "Bộ luật Lao động 2019, Điều 112"
NGHI_BU = "Bộ luật Lao động 2019, Điều 111 khoản 3"
WEEKEND = ("weekend", None)

# 2027, every day that departs from the Monday-Friday week, with its kind and source
LISTED_2027 = {
    "01/01/2027": ("holiday", LAW),
    # Tết Đinh Mùi: Thursday 04/02 to Wednesday 10/02, the weekend in it being Tết itself
    "04/02/2027": ("announced", N10065), "05/02/2027": ("announced", N10065), "06/02/2027": ("announced", N10065),
    "07/02/2027": ("announced", N10065), "08/02/2027": ("announced", N10065), "09/02/2027": ("announced", N10065),
    "10/02/2027": ("announced", N10065),
    "16/04/2027": ("holiday", LAW),  # Giỗ Tổ
    "30/04/2027": ("holiday", LAW), "01/05/2027": ("holiday", LAW), "02/05/2027": WEEKEND,
    "03/05/2027": ("in-lieu", NGHI_BU),  # 01/05 on a Saturday
    "02/09/2027": ("announced", N10065), "03/09/2027": ("announced", N10065),
    "04/09/2027": WEEKEND, "05/09/2027": WEEKEND,
    "24/11/2027": ("holiday", CULTURE),
}


def test_2027_is_announced(cal):
    assert cal.announced(2027)


def test_every_day_of_2027_with_its_source(cal):
    listed = {D(k): v for k, v in LISTED_2027.items()}
    day, weekdays_off = dt.date(2027, 1, 1), 0
    while day.year == 2027:
        kind, source = listed.get(day, (None, None) if day.weekday() < 5 else WEEKEND)
        got = cal.day_off(day)
        assert cal.is_working_day(day) == (kind is None), day
        if got is not None:
            assert (got.kind, got.source) == (kind, source), day
        assert cal.source_of(day) == source, day
        assert not cal.working_saturday(day), day  # no Saturday worked in 2027
        weekdays_off += day.weekday() < 5 and kind is not None
        day += dt.timedelta(days=1)
    assert weekdays_off == 12
    assert cal.working_days_between(dt.date(2026, 12, 31), dt.date(2028, 1, 1)) == 261 - 12


@pytest.mark.parametrize("day, name", [
    ("04/02/2027", "29 Tết"), ("06/02/2027", "Tết Nguyên Đán"), ("10/02/2027", "Mùng năm Tết Nguyên Đán"),
    ("02/09/2027", "Quốc khánh"), ("03/09/2027", "Quốc khánh"),
])
def test_2027_tet_and_national_day_cite_10065(cal, day, name):
    off = cal.day_off(D(day))
    assert off.name_vi == name and "10065/VPCP-KGVX" in off.source


def test_2027_days_around_tet_and_national_day_are_worked(cal):
    for day in ("03/02/2027", "11/02/2027", "12/02/2027", "01/09/2027", "06/09/2027"):
        assert cal.is_working_day(D(day)) and cal.day_off(D(day)) is None, day


def test_a_deadline_before_10_february_2027_moves_out_of_tet(cal):
    """'trước ngày 10 tháng 2': the last on-time day is 09/02 (mùng 4), in Tết; 10/02 is Tết too, so
    the next working day is Thursday 11/02/2027. The previous one is Wednesday 03/02."""
    written = D("09/02/2027")
    assert not cal.is_working_day(written)
    assert cal.roll(written, "next") == D("11/02/2027")
    assert cal.roll(written, "previous") == D("03/02/2027")
    assert cal.nth_working_day_after(D("03/02/2027"), 1) == D("11/02/2027")


def test_24_11_2026_is_one_day_off_by_resolution_28_2026(cal):
    off = cal.day_off(D("24/11/2026"))
    assert off.name_vi == "Ngày Văn hóa Việt Nam" and off.source == CULTURE
    assert "28/2026/QH16" in off.source and "80-NQ/TW" not in off.source
    # one day, no swap: the days around it are ordinary, no Saturday worked that month
    assert cal.is_working_day(D("23/11/2026")) and cal.is_working_day(D("25/11/2026"))
    assert not any(cal.working_saturday(dt.date(2026, 11, d)) for d in range(1, 31))
    assert cal.working_days_between(D("22/11/2026"), D("29/11/2026")) == 4
    assert cal.is_working_day(D("24/11/2025"))  # before 01/07/2026: an ordinary Monday


@pytest.mark.parametrize("in_lieu, weekend_day", [("26/11/2029", "24/11/2029"), ("25/11/2030", "24/11/2030")])
def test_a_weekend_24_11_day_in_lieu_is_the_packages_reading(cal, in_lieu, weekend_day):
    assert cal.day_off(D(weekend_day)).source == CULTURE
    source = cal.source_of(D(in_lieu))
    assert not cal.is_working_day(D(in_lieu))
    assert source.startswith("cách đọc của gói holidays (VN)") and "chưa xác nhận" in source
    assert "Bộ luật" not in source  # not presented as law


def test_2026_swaps_cite_their_notices(cal):
    assert cal.working_saturday(D("22/08/2026")) and cal.source_of(D("22/08/2026")) == N9441
    off = cal.day_off(D("31/08/2026"))
    assert off.kind == "announced" and off.source == N9441
    for day in ("16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026", "20/02/2026"):
        assert cal.day_off(D(day)).source == N9441, day
    assert not any("thanhnien" in (cal.source_of(dt.date(2026, 1, 1) + dt.timedelta(days=i)) or "")
                   for i in range(365))


def test_no_swap_around_30_april_2026(cal):
    assert cal.source_of(D("30/04/2026")) == N3383 and cal.source_of(D("01/05/2026")) == N3383
    # the Labour Code's days only: 29/04 and 04/05 worked, no Saturday worked around them
    assert cal.is_working_day(D("29/04/2026")) and cal.is_working_day(D("04/05/2026"))
    assert not any(cal.working_saturday(D(d)) for d in ("18/04/2026", "25/04/2026", "02/05/2026", "09/05/2026"))


# A day off or a Saturday worked "names a notice or a law": a Labour Code article, or a numbered text
# (Công văn / Thông báo / Nghị quyết / Nghị định / Quyết định N/[year/]CODE)
LAW_RE = re.compile(r"Bộ luật Lao động (1994|2012|2019), Điều \d+")
NOTICE_RE = re.compile(r"(Công văn|Thông báo|Nghị quyết|Nghị định|Quyết định) \d+/(\d{4}/)?[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*")


def _departures(cal, year):
    """Every day of the year that departs from the Monday-Friday week, but for ordinary weekends."""
    day = dt.date(year, 1, 1)
    while day.year == year:
        off = cal.day_off(day)
        if (off is not None and off.kind != "weekend") or cal.working_saturday(day):
            yield day
        day += dt.timedelta(days=1)


def test_every_announced_years_day_off_and_saturday_worked_names_a_notice_or_a_law(cal):
    years = sorted(cal.notices.announced)
    assert years == [2024, 2025, 2026, 2027]
    for year in years:
        days = list(_departures(cal, year))
        assert len(days) >= 10, year
        for day in days:
            source = cal.source_of(day)
            assert source and (LAW_RE.search(source) or NOTICE_RE.search(source)), (day, source)
            assert not source.startswith(("gói holidays", "tệp lịch", "thông báo, không rõ")), (day, source)


def test_every_shipped_entry_names_a_notice_or_a_law():
    import yaml

    from dvcq.planfiles.daysoff import SHIPPED_NOTICES

    doc = yaml.safe_load(SHIPPED_NOTICES.read_text(encoding="utf-8"))
    entries = doc["days_off"] + doc["working_days"]
    assert {e["date"].year for e in entries} >= {2026, 2027}
    for e in entries:
        assert e["date"].year in doc["announced"], e
        assert LAW_RE.search(e["source"]) or NOTICE_RE.search(e["source"]), e


# --- the command line --------------------------------------------------------------------------------

def _flat(text: str) -> str:
    return " ".join(text.split())  # the legend wraps at 80 columns


@pytest.mark.parametrize("lang, unannounced", [("vi", "chưa được công bố"), ("en", "not announced")])
def test_calendar_2027_cites_10065_and_says_nothing_of_an_unannounced_year(lang, unannounced):
    r = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2027", "--lang", lang)
    assert r.returncode == 0, r.stderr
    out = _flat(r.stdout)
    assert "04/02–10/02 - " in out and "02/09–03/09 - " in out
    tet = out[out.index("04/02–10/02 - "):]
    assert tet.split(")")[0].endswith("Công văn 10065/VPCP-KGVX ngày 02/10/2026 (theo báo chí")
    national = out[out.index("02/09–03/09 - "):]
    assert "Công văn 10065/VPCP-KGVX ngày 02/10/2026" in national.split(")")[0]
    assert "24/11 - " in out and "Nghị quyết 28/2026/QH16, Điều 2" in out[out.index("24/11 - "):]
    assert "80-NQ/TW" not in out
    assert not re.search(r"^\d\d/\d\d \+ ", r.stdout, re.M)  # no Saturday worked in the legend
    assert unannounced not in r.stderr


PLAN = """\
id: thu-tet-2027
issuer: UBND tỉnh Thử
document: 1/KH-UBND
issued: 2027-01-05
issued_text: "Thử, ngày 05 tháng 01 năm 2027"
years: [2027]
title: Kế hoạch thử
roll: next
reports:
  - id: annual
    title: Báo cáo năm 2026
    every: once
    sender: Các sở, ban, ngành
    recipient: Sở Nội vụ
    due: {before: {date: 2027-02-10}}
    source:
      section: III.1
      quote: "Gửi báo cáo về Sở Nội vụ trước ngày 10 tháng 2 năm 2027."
"""


@pytest.fixture
def tet_plan(tmp_path):
    (tmp_path / "thu-tet-2027.yaml").write_text(PLAN, encoding="utf-8")
    return tmp_path


def test_explain_a_deadline_moved_out_of_tet_2027_cites_10065(tet_plan):
    r = run_cli("explain", "--plan", "thu-tet-2027", "--report", "annual", "--period", "2027",
                "--plans-dir", str(tet_plan))
    assert r.returncode == 0, r.stderr
    assert "Hạn (theo văn bản): 09/02/2027" in r.stdout
    assert ("09/02/2027 là Mùng bốn Tết Nguyên Đán (Công văn 10065/VPCP-KGVX ngày 02/10/2026 (theo báo chí)); "
            "10/02/2027 là Mùng năm Tết Nguyên Đán (Công văn 10065/VPCP-KGVX ngày 02/10/2026 (theo báo chí))") in r.stdout
    assert "Hạn thực tế: 11/02/2027" in r.stdout
    assert "chưa được công bố" not in r.stderr and "chưa được công bố" not in r.stdout


def test_explain_in_english_and_deadlines_agree(tet_plan):
    r = run_cli("explain", "--plan", "thu-tet-2027", "--report", "annual", "--period", "2027",
                "--plans-dir", str(tet_plan), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "09/02/2027 is Fourth Day of Lunar New Year (Công văn 10065/VPCP-KGVX" in r.stdout
    assert "Effective due: 11/02/2027" in r.stdout and "not announced" not in r.stderr
    r = run_cli("deadlines", "--plan", "thu-tet-2027", "--year", "2027", "--format", "csv",
                "--plans-dir", str(tet_plan))
    assert r.returncode == 0, r.stderr
    assert "2027-02-09,2027-02-11" in r.stdout
    assert "chưa được công bố" not in r.stderr


def test_an_unannounced_year_still_says_so():
    r = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2028")
    assert r.returncode == 0 and "Lịch nghỉ năm 2028 chưa được công bố" in r.stderr
