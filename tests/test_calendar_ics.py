"""`dvcq calendar` grid and iCalendar export."""
import datetime as dt
import io
from pathlib import Path

import pytest

from conftest import D, run_cli
from dvcq.output import calview
from dvcq.core.engine import schedule

GOLDEN = Path(__file__).parent / "golden"


def grid_lines(catalog, cal, plan_id, year, months, today=None, columns=80):
    plan = catalog.edition(plan_id, year)
    rows = [d for d in schedule(plan, year, cal).deadlines if d.effective_due]
    return calview.grid(year, months, rows, cal, "vi", today, columns)


def test_golden_month_plain(catalog, cal):
    """February 2024 in Thái Nguyên: Tết off 08-14/02 (the 10th and 11th are a weekend, still
    marked as Tết), the monthly report written 13/02 (~) moved to 15/02 (*)."""
    text = calview.plain(grid_lines(catalog, cal, "thai-nguyen", 2024, [2]))
    expected = (GOLDEN / "thai-nguyen-2024-02.txt").read_text(encoding="utf-8")
    assert text == expected
    week = text.splitlines()[3:5]
    assert week == [" 5  6  7  8- 9-10-11-", "12-13~14-15*16 17 18"]


def test_golden_month_colour(catalog, cal):
    from rich.console import Console

    buffer = io.StringIO()
    out = Console(file=buffer, force_terminal=True, color_system="standard", width=80, highlight=False)
    calview.print_grid(grid_lines(catalog, cal, "thai-nguyen", 2024, [2], today=D("20/02/2024")), out)
    expected = (GOLDEN / "thai-nguyen-2024-02.ansi").read_text(encoding="utf-8")
    assert buffer.getvalue() == expected
    assert "\x1b[" in expected and "20@" in expected  # colour, and markers still there


def test_cli_grid_fits_80_columns_and_marks_survive_no_color():
    r = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2024")
    assert r.returncode == 0, r.stderr
    assert "\x1b[" not in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    # issue 23: a title names the plan, then a blank line, then the months
    assert r.stdout.splitlines()[0] == "thai-nguyen — UBND tỉnh Thái Nguyên, 60/KH-UBND, năm 2024"
    assert r.stdout.splitlines()[2].split() == ["Tháng", "1", "2024", "Tháng", "2", "2024", "Tháng", "3", "2024"]
    assert "04/05 + thứ Bảy làm bù" in r.stdout  # 29/04/2024 swapped with Saturday 04/05
    assert "09/02–14/02 - Tết Nguyên Đán" in r.stdout or "08/02–14/02 - Tết Nguyên Đán" in r.stdout


def test_narrow_terminal_gets_fewer_months_per_row(catalog, cal):
    lines = grid_lines(catalog, cal, "ha-giang", 2024, [1, 2, 3], columns=50)
    assert calview.plain(lines).splitlines()[0].split() == ["Tháng", "1", "2024", "Tháng", "2", "2024"]


@pytest.mark.usefixtures("english")
def test_calendar_english_and_bad_month():
    r = run_cli("calendar", "--plan", "ha-giang", "--year", "2024", "--month", "9", "--lang", "en")
    assert "Mo Tu We Th Fr Sa Su" in r.stdout and "16/09 * " in r.stdout
    r = run_cli("calendar", "--plan", "ha-giang", "--month", "13")
    assert r.returncode == 2 and "--month: '13' is not a month" in r.stderr


def parse_ics(data: bytes):
    from icalendar import Calendar

    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_ics_events_match_deadlines_and_uids_are_stable(tmp_path, catalog, cal):
    out = tmp_path / "tn.ics"
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "ics", "--output", str(out))
    assert r.returncode == 0, r.stderr
    first = out.read_bytes()
    events = parse_ics(first)
    expected = {(d.report, d.period): d for d in schedule(catalog.edition("thai-nguyen", 2024), 2024, cal).deadlines
                if d.effective_due}
    assert len(events) == len(expected)
    for ev in events:
        report, period = str(ev["uid"]).removesuffix("@dvcq").split(".", 2)[1:]
        d = expected[(report, period)]
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        assert not isinstance(start, dt.datetime) and start == d.effective_due  # all-day: VALUE=DATE
        assert end == d.effective_due + dt.timedelta(days=1)
        assert period in str(ev["summary"])
        assert sorted(a.decoded("trigger") for a in ev.walk("VALARM")) == [dt.timedelta(days=-3), dt.timedelta(days=-1)]
    feb = next(e for e in events if str(e["uid"]) == "thai-nguyen.monthly.2024-02@dvcq")
    assert feb.decoded("dtstart") == D("15/02/2024")
    text = str(feb["description"])
    assert "13/02/2024" in text and "14/01/2024 – 13/02/2024" in text and "Gửi trước ngày 14" in text
    assert b"DTSTART;VALUE=DATE:20240215" in first
    run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "ics", "--output", str(out))
    assert [str(e["uid"]) for e in parse_ics(out.read_bytes())] == [str(e["uid"]) for e in events]
    assert len({str(e["uid"]) for e in events}) == len(events)


@pytest.mark.parametrize("remind,triggers", [("7,3,1", [-7, -3, -1]), ("none", [])])
def test_ics_reminders(remind, triggers):
    r = run_cli("deadlines", "--plan", "tay-ninh", "--year", "2025", "--format", "ics", "--remind", remind)
    for ev in parse_ics(r.stdout.encode()):
        assert sorted(a.decoded("trigger").days for a in ev.walk("VALARM")) == triggers


def test_ics_bad_remind():
    r = run_cli("deadlines", "--plan", "tay-ninh", "--format", "ics", "--remind", "soon")
    assert r.returncode == 2 and "--remind" in r.stderr


def test_csv_excel_bom_and_vietnamese(tmp_path):
    plain = run_cli("deadlines", "--plan", "hau-giang", "--year", "2024", "--format", "csv").stdout
    assert not plain.startswith("\ufeff") and "Báo cáo kết quả thực hiện công tác dân vận chính quyền năm" in plain
    out = tmp_path / "hg.csv"
    run_cli("deadlines", "--plan", "hau-giang", "--year", "2024", "--format", "csv", "--excel", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Sở Nội vụ".encode() in raw and b"\r\n" in raw
    r = run_cli("plans", "--format", "csv")
    assert r.stdout.splitlines()[0] == "id,issuer,document,years,rules,units,file"


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
