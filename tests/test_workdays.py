"""Vietnam's public-sector working days, 2024-2026, and the user's own notices file."""
import pytest

from conftest import D, run_cli
from dvcq.errors import DvcqError
from dvcq.workdays import load_calendar

# Days off announced for civil servants (Labour Code 2019 art. 112 plus the yearly notices).
DAYS_OFF = [
    "01/01/2024", "08/02/2024", "09/02/2024", "12/02/2024", "13/02/2024", "14/02/2024",  # Tết Giáp Thìn
    "18/04/2024",  # Giỗ Tổ 10/3 âm lịch
    "29/04/2024", "30/04/2024", "01/05/2024",  # 29/4 swapped with Saturday 04/05
    "02/09/2024", "03/09/2024",
    "01/01/2025", "27/01/2025", "28/01/2025", "29/01/2025", "30/01/2025", "31/01/2025",  # Tết Ất Tỵ
    "07/04/2025", "30/04/2025", "01/05/2025", "02/05/2025", "01/09/2025", "02/09/2025",
    "01/01/2026", "02/01/2026",  # 02/01/2026 swapped with Saturday 10/01/2026: the package misses it
    "16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026", "20/02/2026",  # Tết Bính Ngọ
]
WORKED_SATURDAYS = ["04/05/2024", "26/04/2025", "10/01/2026"]
ORDINARY_WORKING_DAYS = ["15/02/2024", "03/01/2025", "05/01/2026", "09/01/2026", "23/02/2026"]


@pytest.mark.parametrize("day", DAYS_OFF)
def test_days_off(cal, day):
    assert not cal.is_working_day(D(day))


@pytest.mark.parametrize("day", WORKED_SATURDAYS + ORDINARY_WORKING_DAYS)
def test_working_days(cal, day):
    assert cal.is_working_day(D(day))


def test_worked_saturdays_are_marked(cal):
    assert all(cal.working_saturday(D(d)) for d in WORKED_SATURDAYS)
    assert not cal.working_saturday(D("03/01/2026"))


def test_reason_names_the_holiday(cal):
    assert cal.why_not_working(D("13/02/2024")) == "Mùng bốn Tết Nguyên Đán"
    assert cal.why_not_working(D("13/02/2024"), "en") == "Fourth Day of Lunar New Year"
    assert cal.why_not_working(D("14/09/2024")) == "Thứ Bảy"


def test_announced_years(cal):
    assert all(cal.announced(y) for y in (2024, 2025, 2026))
    assert not cal.announced(2027)


def test_user_notice_file_adds_a_day_off_and_a_worked_saturday(tmp_path):
    f = tmp_path / "notices.yaml"
    f.write_text("announced: [2027]\ndays_off:\n  - date: 2027-02-12\n    name: Nghỉ bù Tết\n"
                 "working_days:\n  - date: 2027-02-20\n    name: Làm bù\n", encoding="utf-8")
    cal = load_calendar((f,))
    assert not cal.is_working_day(D("12/02/2027"))
    assert cal.why_not_working(D("12/02/2027")) == "Nghỉ bù Tết"
    assert cal.is_working_day(D("20/02/2027"))
    assert cal.announced(2027)


def test_bad_notice_file_is_one_located_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("days_off:\n  - date: 2027-02-30\n", encoding="utf-8")
    with pytest.raises(DvcqError, match=r"bad\.yaml:2:5: error: days_off\[0\]\.date must be a real date"):
        load_calendar((f,))


def test_calendar_file_moves_a_deadline_from_the_cli(tmp_path):
    """Thái Nguyên's annual report is due 13/11/2024 (Wednesday); a user's notice declaring that
    day off moves it to Thursday 14/11 without touching any code."""
    f = tmp_path / "notices.yaml"
    f.write_text("days_off:\n  - date: 2024-11-13\n    name: Nghỉ đột xuất\n", encoding="utf-8")
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--report", "annual", "--format", "csv",
                env={"DVCQ_CALENDAR": str(f)})
    assert r.returncode == 0, r.stderr
    assert "2024-11-13,2024-11-14" in r.stdout


def test_disk_cache_is_used_and_a_broken_one_is_ignored(tmp_path):
    import json

    from dvcq.workdays import SHIPPED_NOTICES, WorkCalendar, read_notices

    cache = tmp_path / "days-off.json"
    first = WorkCalendar(read_notices(SHIPPED_NOTICES), cache)
    assert not first.is_working_day(D("13/02/2024"))
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert "2024-02-13" in data["years"]["2024"]["off"]
    # a second calendar answers from the file: prove it by planting a day there
    data["years"]["2024"]["off"]["2024-07-03"] = ["Ngày thử", "Test day"]
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert WorkCalendar(read_notices(SHIPPED_NOTICES), cache).why_not_working(D("03/07/2024")) == "Ngày thử"
    # a cache from another holidays version, or garbage, is recomputed from the package
    data["holidays"] = "some-other-version"
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert WorkCalendar(read_notices(SHIPPED_NOTICES), cache).is_working_day(D("03/07/2024"))
    cache.write_text("{not json", encoding="utf-8")
    assert not WorkCalendar(read_notices(SHIPPED_NOTICES), cache).is_working_day(D("13/02/2024"))


# --- notices files are user input: bounded reads, strict format ---------------------------------

def _cli_quick(*args, timeout=20, env=None):
    """Like run_cli, with a short timeout: a read that blocks fails the test instead of hanging it."""
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "dvcq", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})


def test_read_capped_reads_a_regular_file_up_to_its_limit(tmp_path):
    from dvcq.workdays import read_capped

    f = tmp_path / "n.yaml"
    f.write_bytes(b"x" * 100)
    assert read_capped(f, 100) == b"x" * 100
    with pytest.raises(DvcqError, match=r"n\.yaml:1:1: error: file is larger than 99 bytes \[too-large\]"):
        read_capped(f, 99)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory", "missing"])
def test_calendar_that_is_not_a_regular_file_is_one_clean_line(tmp_path, kind):
    import os

    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        target = tmp_path / "notices.fifo"
        os.mkfifo(target)  # nobody ever writes to it: a blocking open would hang
        expected = "a FIFO"
    elif kind == "dev-zero":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        target, expected = "/dev/zero", "a device"
    elif kind == "directory":
        target, expected = tmp_path, "a directory"
    else:
        target, expected = tmp_path / "nope.yaml", "No such file"
    r = _cli_quick("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--calendar", str(target))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0].startswith(f"dvcq: error: {target}:1:1: error: cannot read") and expected in lines[0]


def test_huge_calendar_file_is_refused_while_reading(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    r = _cli_quick("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--calendar", str(f))
    assert r.returncode == 2
    assert r.stderr.strip() == f"dvcq: error: {f}:1:1: error: file is larger than 1,000,000 bytes [too-large]"


@pytest.mark.parametrize("text, where, message", [
    ("days_off:\n  - date: 2027-02-12\n    nam: Nghỉ\n", "3:5", r"days_off\[0\]: unknown key 'nam' \(expected date, name, name_en, source\) \[unknown-key\]"),
    ("working_days:\n  - {date: 2027-02-20, source: 12}\n", "2:32", r"working_days\[0\]\.source must be text \[wrong-type\]"),
    ("days_off: 2027-02-12\n", "1:11", r"days_off must be a list \[wrong-type\]"),
    ("announced: 2027\n", "1:12", r"announced must be a list \[wrong-type\]"),
    ("announced: [true]\n", "1:13", r"announced lists years, True is not one \[bad-value\]"),
    ("days_off:\n  - date: 2027-02-12 08:00:00\n", "2:5", r"days_off\[0\]\.date must be a real date"),
])
def test_bad_notice_entry_is_located(tmp_path, text, where, message):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(DvcqError, match=rf"bad\.yaml:{where}: error: {message}"):
        load_calendar((f,))


def test_notice_source_is_optional_and_defaults_to_the_file(tmp_path):
    f = tmp_path / "notices.yaml"
    f.write_text("days_off:\n  - {date: 2027-02-12, name: Nghỉ bù Tết, source: Thông báo 1/TB-UBND ngày 5/1/2027}\n"
                 "working_days:\n  - {date: 2027-02-20}\n", encoding="utf-8")
    from dvcq.workdays import read_notices

    n = read_notices(f)
    assert n.sources[D("12/02/2027")] == "Thông báo 1/TB-UBND ngày 5/1/2027"
    assert n.sources[D("20/02/2027")] == f"tệp lịch {f}"
    assert n.working_days[D("20/02/2027")] == ("Ngày làm bù", "Ngày làm bù")


def test_every_shipped_notice_names_its_source():
    import yaml

    from dvcq.workdays import SHIPPED_NOTICES

    doc = yaml.safe_load(SHIPPED_NOTICES.read_text(encoding="utf-8"))
    entries = doc["days_off"] + doc["working_days"]
    assert entries and all(e.get("source") and e.get("name_en") for e in entries)
