"""Vietnam's public-sector working days, 2024-2026, and the user's own notices file."""
import pytest

from conftest import D, run_cli
from dvcq.core.errors import DvcqError
from dvcq.planfiles.daysoff import load_calendar

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
    assert all(cal.announced(y) for y in (2024, 2025, 2026, 2027))  # 2027: Công văn 10065/VPCP-KGVX
    assert not cal.announced(2028)


def test_user_notice_file_adds_a_day_off_and_a_worked_saturday(tmp_path):
    f = tmp_path / "notices.yaml"
    f.write_text("announced: [2028]\ndays_off:\n  - date: 2027-02-12\n    name: Nghỉ bù Tết\n"
                 "working_days:\n  - date: 2027-02-20\n    name: Làm bù\n", encoding="utf-8")
    cal = load_calendar((f,))
    assert not cal.is_working_day(D("12/02/2027"))
    assert cal.why_not_working(D("12/02/2027")) == "Nghỉ bù Tết"
    assert cal.is_working_day(D("20/02/2027"))
    assert cal.announced(2028)


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


# --- 2025 and 2026, day by day, with sources ----------------------------------------------------
# Written by hand from the reform notes (days off 2025-2026 and their notices) and the Labour Code
# 2019: art. 112 (holidays; 112(3): the Prime Minister sets the Tết days), art. 111(3) (nghỉ bù).

LAW = "Bộ luật Lao động 2019, Điều 112"
TET = "Bộ luật Lao động 2019, Điều 112 khoản 3; ngày theo quy tắc của gói holidays (VN)"
NGHI_BU = "Bộ luật Lao động 2019, Điều 111 khoản 3"
N8726 = "Công văn 8726/VPCP-KGVX ngày 26/11/2024 (theo báo chí); gói holidays dẫn Thông báo 6150/TB-BLĐTBXH năm 2024"
N12729 = "Công văn 12729/VPCP-KGVX ngày 25/12/2025"
N9441 = "Thông báo 9441/TB-BNV ngày 16/10/2025 (theo báo chí)"
N3383 = "Bộ luật Lao động 2019, Điều 112; không hoán đổi: Công văn 3383/BNV-CVL ngày 10/4/2026 (theo báo chí)"
CULTURE = "Nghị quyết 28/2026/QH16, Điều 2 (hiệu lực từ 01/7/2026; theo báo chí)"
WEEKEND = ("weekend", None)

# date -> (kind, source); every day not listed is an ordinary working day (Mon-Fri) or weekend
LISTED = {
    # 2025
    "01/01/2025": ("holiday", LAW),
    # Tết Ất Tỵ 25/1-2/2
    "25/01/2025": WEEKEND, "26/01/2025": WEEKEND, "27/01/2025": ("in-lieu", TET), "28/01/2025": ("holiday", LAW),
    "29/01/2025": ("holiday", LAW), "30/01/2025": ("holiday", LAW), "31/01/2025": ("holiday", LAW),
    "01/02/2025": ("holiday", LAW), "02/02/2025": WEEKEND,
    "07/04/2025": ("holiday", LAW),  # Giỗ Tổ
    # 30/4-4/5, Friday 2/5 swapped for Saturday 26/4
    "26/04/2025": ("worked", N8726), "30/04/2025": ("holiday", LAW), "01/05/2025": ("holiday", LAW),
    "02/05/2025": ("announced", N8726), "03/05/2025": WEEKEND, "04/05/2025": WEEKEND,
    # Quốc khánh 30/8-2/9, 1/9 the extra day
    "30/08/2025": WEEKEND, "31/08/2025": WEEKEND, "01/09/2025": ("holiday", LAW), "02/09/2025": ("holiday", LAW),
    # 2026: 1/1-4/1, Friday 2/1 swapped for Saturday 10/1
    "01/01/2026": ("holiday", LAW), "02/01/2026": ("announced", N12729), "03/01/2026": WEEKEND,
    "04/01/2026": WEEKEND, "10/01/2026": ("worked", N12729),
    # Tết Bính Ngọ 14/2-22/2, the weekdays by Thông báo 9441/TB-BNV
    "14/02/2026": WEEKEND, "15/02/2026": WEEKEND, "16/02/2026": ("announced", N9441),
    "17/02/2026": ("announced", N9441), "18/02/2026": ("announced", N9441), "19/02/2026": ("announced", N9441),
    "20/02/2026": ("announced", N9441), "21/02/2026": WEEKEND, "22/02/2026": WEEKEND,
    # Giỗ Tổ on Sunday 26/4, Monday 27/4 in lieu; 30/4-3/5, no swap (Công văn 3383/BNV-CVL)
    "26/04/2026": ("holiday", LAW), "27/04/2026": ("in-lieu", NGHI_BU),
    "30/04/2026": ("announced", N3383), "01/05/2026": ("announced", N3383), "02/05/2026": WEEKEND,
    "03/05/2026": WEEKEND,
    # Quốc khánh 29/8-2/9, Monday 31/8 swapped for Saturday 22/8 (Thông báo 9441/TB-BNV)
    "22/08/2026": ("worked", N9441), "29/08/2026": WEEKEND, "30/08/2026": WEEKEND,
    "31/08/2026": ("announced", N9441), "01/09/2026": ("holiday", LAW), "02/09/2026": ("holiday", LAW),
    # 24/11 Ngày Văn hóa Việt Nam: Nghị quyết 28/2026/QH16, Điều 2, from 01/7/2026
    "24/11/2026": ("holiday", CULTURE),
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_the_year_with_its_source(cal, year):
    import datetime as dt

    listed = {D(k): v for k, v in LISTED.items()}
    day, seen = dt.date(year, 1, 1), []
    while day.year == year:
        kind, source = listed.get(day, (None, None) if day.weekday() < 5 else WEEKEND)
        working = kind in (None, "worked")
        got = cal.day_off(day)
        assert cal.is_working_day(day) == working, day
        assert (got is None) == working, (day, got)
        if got is not None:
            assert (got.kind, got.source) == (kind, source), day
        assert cal.source_of(day) == source, day
        assert cal.working_saturday(day) == (kind == "worked"), day
        seen.append((day, kind))
        day += dt.timedelta(days=1)
    weekdays_off = sum(1 for d, k in seen if d.weekday() < 5 and k not in (None, "worked"))
    saturdays_worked = sum(1 for d, k in seen if k == "worked")
    assert (weekdays_off, saturdays_worked) == ((12, 1) if year == 2025 else (14, 2))
    # 261 weekdays in each year; the arithmetic agrees with the day by day
    assert cal.working_days_between(dt.date(year - 1, 12, 31), dt.date(year + 1, 1, 1)) == 261 - weekdays_off + saturdays_worked


def test_day_off_names_in_both_languages(cal):
    off = cal.day_off(D("02/05/2025"))
    assert off.name_vi == "Ngày nghỉ (thay cho ngày 26/04/2025)" and off.name("en") == off.name_en
    assert cal.day_off(D("10/01/2026")) is None  # a Saturday worked is no day off ...
    assert cal.source_of(D("10/01/2026")) == N12729  # ... but has its source
    assert cal.why_not_working(D("22/08/2026")) is None
    assert cal.why_not_working(D("27/04/2026")) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert cal.day_off(D("15/07/2026")) is None and cal.source_of(D("15/07/2026")) is None


def test_sources_before_the_2019_code_and_of_other_package_swaps(cal):
    assert cal.source_of(D("02/09/2019")) == "Bộ luật Lao động 2012, Điều 115"
    assert cal.source_of(D("29/04/2019")) == "Công văn 6519/VPCP-KGVX năm 2018 (theo gói holidays)"
    assert cal.source_of(D("04/05/2024")) == "Công văn 2450/VPCP-KGVX năm 2024 (theo gói holidays)"
    assert cal.source_of(D("19/02/2010")) == "gói holidays (VN)"  # a swap the package gives no reference for
    assert cal.source_of(D("03/05/2010")) == "Bộ luật Lao động 1994, Điều 73"


def test_user_notice_source(tmp_path):
    f = tmp_path / "notices.yaml"
    f.write_text("days_off:\n  - {date: 2027-11-15, name: Nghỉ, source: Quyết định 9/QĐ-UBND ngày 1/11/2027}\n"
                 "working_days:\n  - {date: 2027-11-13}\n  - {date: 2027-05-03, name: Làm việc}\n", encoding="utf-8")
    cal = load_calendar((f,))
    assert cal.day_off(D("15/11/2027")).source == "Quyết định 9/QĐ-UBND ngày 1/11/2027"
    assert cal.source_of(D("13/11/2027")) == f"tệp lịch {f}"
    # a holiday's nghỉ bù declared worked: a working day, and it says why
    assert cal.is_working_day(D("03/05/2027")) and cal.source_of(D("03/05/2027")) == f"tệp lịch {f}"


def test_years_the_package_does_not_know_are_said_to_be_so(cal):
    assert cal.rules_known(2100) and not cal.rules_known(2101) and not cal.rules_known(1900)
    assert cal.is_working_day(D("01/01/2150"))  # no Tết Dương lịch known: only weekends count


# --- the disk cache of the holidays package's tables -------------------------------------------

def _calendar(cache):
    from dvcq.planfiles.daysoff import SHIPPED_NOTICES, read_notices
    from dvcq.planfiles.daysoff import calendar as WorkCalendar

    return WorkCalendar(read_notices(SHIPPED_NOTICES), cache)


def _no_package(monkeypatch):
    """Prove an answer comes from the disk: computing a year from the package fails the test."""
    import dvcq.planfiles.daysoff

    def refuse(years):
        raise AssertionError(f"computed {years} from the package")
    monkeypatch.setattr(dvcq.planfiles.daysoff, "_package_tables", refuse)


def test_disk_cache_is_one_file_per_year_and_is_used(tmp_path, monkeypatch):
    import json

    from dvcq.planfiles.daysoff import cache_key

    assert not _calendar(tmp_path).is_working_day(D("13/02/2024"))
    folder = tmp_path / cache_key()
    assert sorted(p.name for p in folder.iterdir()) == ["2024.json"]  # no temporary file left behind
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    assert ["2024-02-13", "Mùng bốn Tết Nguyên Đán", "Fourth Day of Lunar New Year", "law"] in data["off"]
    # a second calendar answers from the file: prove it by planting a day there
    data["off"].append(["2024-07-03", "Ngày thử", "Test day", "swap"])
    (folder / "2024.json").write_text(json.dumps(data), encoding="utf-8")
    _no_package(monkeypatch)
    assert _calendar(tmp_path).why_not_working(D("03/07/2024")) == "Ngày thử"


def test_only_the_years_of_plans_go_to_disk(tmp_path):
    """A far count (a slip such as 2199 in a plan) computes its years in memory, not 200 files."""
    import datetime as dt

    from dvcq.planfiles.daysoff import cache_key

    cal = _calendar(tmp_path)
    assert cal.working_days_between(dt.date(1985, 1, 1), dt.date(2199, 12, 30)) > 50_000
    years = sorted(int(p.stem) for p in (tmp_path / cache_key()).glob("*.json"))
    assert years == list(range(1990, 2101))


def test_cache_key_is_the_versions_not_the_install_path():
    import importlib.metadata
    import sys

    import dvcq
    from dvcq.planfiles.daysoff import cache_key, holidays_version

    assert holidays_version() == importlib.metadata.version("holidays")
    key = cache_key()
    assert key.startswith(f"holidays-{importlib.metadata.version('holidays')}+dvcq-{dvcq.__version__}+f")
    assert "site-packages" not in key and sys.prefix not in key and "/" not in key


def test_reading_the_holidays_version_imports_neither_the_package_nor_importlib_metadata():
    import subprocess
    import sys

    code = ("import sys; from dvcq.planfiles.daysoff import holidays_version; v = holidays_version(); "
            "print(v, 'holidays' in sys.modules, 'importlib.metadata' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    version, holidays_imported, metadata_imported = r.stdout.split()
    assert version[0].isdigit() and holidays_imported == metadata_imported == "False", r.stdout + r.stderr


def test_two_processes_computing_different_years_keep_both(tmp_path, monkeypatch):
    from dvcq.planfiles.daysoff import cache_key

    first, second = _calendar(tmp_path), _calendar(tmp_path)  # as two processes would, both started empty
    assert first.is_working_day(D("15/07/2024"))
    assert not second.is_working_day(D("01/01/2030"))
    folder = tmp_path / cache_key()
    before = (folder / "2024.json").stat().st_mtime_ns
    assert _calendar(tmp_path).is_working_day(D("15/07/2031"))  # a new year writes its own file only
    assert (folder / "2024.json").stat().st_mtime_ns == before
    assert {p.name for p in folder.iterdir()} == {"2024.json", "2030.json", "2031.json"}
    _no_package(monkeypatch)
    third = _calendar(tmp_path)
    assert not third.is_working_day(D("13/02/2024")) and not third.is_working_day(D("01/01/2030"))


@pytest.mark.parametrize("garbage", [
    b"{not json",
    b"\xff\xfe not utf-8",
    b"[]",
    b"null",
    b'{"off": {}, "worked": []}',
    b'{"off": [], "worked": [], "extra": 1}',
    b'{"off": [["2024-02-13", "Tet", "Tet"]], "worked": []}',  # the first format, without the origin
    b'{"off": [["2024-02-13", "Tet", "Tet", 3]], "worked": []}',
    b'{"off": [["2024-02-13", "Tet", "Tet", "rumour"]], "worked": []}',
    b'{"off": [["2024-13-45", "x", "x", "law"]], "worked": []}',
    b'{"off": [["2023-02-13", "another year", "x", "law"]], "worked": []}',
    b'{"off": [], "worked": [20240504]}',
    b'{"off": [], "worked": "2024-05-04"}',
    b"[" * 50_000 + b"]" * 50_000,
])
def test_a_corrupt_year_file_is_ignored_and_rebuilt(tmp_path, garbage):
    import json

    from dvcq.planfiles.daysoff import cache_key

    folder = tmp_path / cache_key()
    folder.mkdir()
    (folder / "2024.json").write_bytes(garbage)
    cal = _calendar(tmp_path)
    assert not cal.is_working_day(D("13/02/2024")) and cal.is_working_day(D("04/05/2024"))
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    assert ["2024-02-13", "Mùng bốn Tết Nguyên Đán", "Fourth Day of Lunar New Year", "law"] in data["off"]


def test_an_unwritable_cache_is_only_slower(tmp_path):
    from dvcq.planfiles.daysoff import cache_key

    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert not _calendar(blocked).is_working_day(D("13/02/2024"))  # the cache folder cannot be made
    (tmp_path / "c" / cache_key() / "2024.json").mkdir(parents=True)  # a folder where the year's file goes
    assert not _calendar(tmp_path / "c").is_working_day(D("13/02/2024"))
    assert not list((tmp_path / "c" / cache_key()).glob("*.tmp"))


# --- notices files are user input: bounded reads, strict format ---------------------------------

def _cli_quick(*args, timeout=20, env=None):
    """Like run_cli, with a short timeout: a read that blocks fails the test instead of hanging it."""
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "dvcq", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})


def test_read_capped_reads_a_regular_file_up_to_its_limit(tmp_path):
    from dvcq.planfiles.daysoff import read_capped

    f = tmp_path / "n.yaml"
    f.write_bytes(b"x" * 100)
    assert read_capped(f, 100) == b"x" * 100
    with pytest.raises(DvcqError, match=r"n\.yaml:1:1: error: file is larger than 99 bytes \[too-large\]"):
        read_capped(f, 99)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory", "missing"])
@pytest.mark.usefixtures("english")
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
    assert lines[0].startswith(f"dvcq: {target}:1:1: error: cannot read") and expected in lines[0]


@pytest.mark.usefixtures("english")
def test_huge_calendar_file_is_refused_while_reading(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    r = _cli_quick("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--calendar", str(f))
    assert r.returncode == 2
    assert r.stderr.strip() == f"dvcq: {f}:1:1: error: file is larger than 1,000,000 bytes [too-large]"


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
    from dvcq.planfiles.daysoff import read_notices

    n = read_notices(f)
    assert n.sources[D("12/02/2027")] == "Thông báo 1/TB-UBND ngày 5/1/2027"
    assert n.sources[D("20/02/2027")] == f"tệp lịch {f}"
    assert n.working_days[D("20/02/2027")] == ("Ngày làm bù", "Ngày làm bù")


def test_every_shipped_notice_names_its_source():
    import yaml

    from dvcq.planfiles.daysoff import SHIPPED_NOTICES

    doc = yaml.safe_load(SHIPPED_NOTICES.read_text(encoding="utf-8"))
    entries = doc["days_off"] + doc["working_days"]
    assert entries and all(e.get("source") and e.get("name_en") for e in entries)


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
