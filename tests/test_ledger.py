"""The submissions ledger and `dvcq overdue`, driven through a whole year of Hà Giang's plan.

Hà Giang 2024 (73/KH-UBND), worked out by hand from its sentences: own plan before 29/02 → due
28/02 (Wed); quarterly before the 15th of the last month → 14/03 (Thu), 14/06 (Fri), 14/09 (Sat →
Mon 16/09), 14/12 (Sat → Mon 16/12); 6-month before 15/5 → 14/05 (Tue); annual before 15/11 →
14/11 (Thu). The plan lists no units: one obligation per deadline.
"""
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli
from dvcq.core.errors import DvcqError
from dvcq.ledger import MIGRATIONS, SCHEMA_VERSION, Ledger, Submission


@pytest.fixture
def db(tmp_path):
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def empty_db(db):
    """An empty ledger: one named with --db must exist before a command reads it (issue 12)."""
    Ledger.open(db, create=True).close()
    return db


def overdue(db, as_of, *extra):
    if not db.exists():  # a ledger named with --db must exist before a command reads it (issue 12)
        Ledger.open(db, create=True).close()
    r = run_cli("overdue", "--plan", "ha-giang", "--as-of", as_of, "--format", "json", "--all", "--db", str(db), *extra)
    assert r.returncode in (0, 1), r.stderr
    items = {(i["report"], i["period"]): i for i in json.loads(r.stdout)["items"]}
    return r.returncode, items


def status(items, report, period):
    i = items[(report, period)]
    return i["status"], i["days_late"]


def submit(db, report, period, on, *extra):
    r = run_cli("submit", "--plan", "ha-giang", "--report", report, "--period", period, "--on", on, "--db", str(db), *extra)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_year_of_ha_giang(db):
    code, items = overdue(db, "2024-02-20")
    assert code == 0 and status(items, "plan-submission", "2024") == ("upcoming", -8)
    code, items = overdue(db, "22/02/2024")
    assert code == 0 and status(items, "plan-submission", "2024") == ("due-soon", -6)
    code, items = overdue(db, "2024-02-28")
    assert code == 0 and status(items, "plan-submission", "2024") == ("due-today", 0)
    code, items = overdue(db, "2024-02-29")
    assert code == 1 and status(items, "plan-submission", "2024") == ("overdue", 1)

    assert "muộn 2 ngày" in submit(db, "plan-submission", "2024", "2024-03-01")  # vi, the run's language (issue 23)
    assert "đúng hạn" in submit(db, "quarterly", "2024-Q1", "14/03/2024")
    code, items = overdue(db, "2024-03-14")
    assert code == 0
    assert status(items, "plan-submission", "2024") == ("submitted-late", 2)
    assert items[("plan-submission", "2024")]["submitted_on"] == "2024-03-01"
    assert status(items, "quarterly", "2024-Q1") == ("submitted", 0)

    code, items = overdue(db, "2024-05-10")
    assert code == 0 and status(items, "semiannual", "2024-H1") == ("due-soon", -4)
    code, items = overdue(db, "2024-05-15")
    assert code == 1 and status(items, "semiannual", "2024-H1") == ("overdue", 1)
    assert status(items, "quarterly", "2024-Q2") == ("upcoming", -30)

    submit(db, "semiannual", "2024-H1", "2024-05-14")
    submit(db, "quarterly", "2024-Q2", "2024-06-14")
    # Q3 is due 14/09, a Saturday: effective Monday 16/09
    code, items = overdue(db, "2024-09-14")
    assert code == 0 and status(items, "quarterly", "2024-Q3") == ("due-soon", -2)
    code, items = overdue(db, "2024-09-16")
    assert code == 0 and status(items, "quarterly", "2024-Q3") == ("due-today", 0)
    code, items = overdue(db, "2024-09-17")
    assert code == 1 and status(items, "quarterly", "2024-Q3") == ("overdue", 1)

    submit(db, "quarterly", "2024-Q3", "2024-09-16")
    submit(db, "annual", "2024", "2024-11-14")
    code, items = overdue(db, "2024-12-16")
    assert code == 0 and status(items, "quarterly", "2024-Q4") == ("due-today", 0)
    # last year's report is still chased in January
    code, items = overdue(db, "2025-01-06")
    assert code == 1 and status(items, "quarterly", "2024-Q4") == ("overdue", 21)
    assert [i["status"] for i in items.values()].count("overdue") == 1


def test_default_output_lists_news_worst_first_and_quiet_is_silent(empty_db):
    r = run_cli("overdue", "--plan", "ha-giang", "--as-of", "2024-06-10", "--format", "json", "--db", str(empty_db))
    items = json.loads(r.stdout)["items"]
    assert [(i["report"], i["period"], i["status"]) for i in items] == [
        ("plan-submission", "2024", "overdue"), ("quarterly", "2024-Q1", "overdue"),
        ("semiannual", "2024-H1", "overdue"), ("quarterly", "2024-Q2", "due-soon")]
    assert [i["days_late"] for i in items] == [103, 88, 27, -4]
    assert set(items[0]) == {"plan", "report", "period", "unit", "due", "effective_due", "status", "days_late", "submitted_on",
                             "projected", "edition"}
    assert items[0]["projected"] is False and items[0]["edition"] == 2024
    assert r.returncode == 1


def test_quiet_prints_nothing_without_news(db):
    for report, period, on in [("plan-submission", "2024", "2024-02-28"), ("quarterly", "2024-Q1", "2024-03-14"),
                               ("semiannual", "2024-H1", "2024-05-14"), ("quarterly", "2024-Q2", "2024-06-14")]:
        submit(db, report, period, on)
    r = run_cli("overdue", "--plan", "ha-giang", "--as-of", "2024-07-01", "--quiet", "--db", str(db))
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    r = run_cli("overdue", "--plan", "ha-giang", "--as-of", "2024-09-12", "--quiet", "--db", str(db))
    assert r.returncode == 0 and "2024-Q3" in r.stdout  # due soon is news


def test_units_make_one_obligation_each(db):
    """Thái Nguyên's units file lists 32 bodies; Sở Nông nghiệp và Môi trường and Sở Dân tộc và Tôn
    giáo exist only from 01/3/2025, so May 2024's monthly report (due 13/05/2024) is owed by 30."""
    r = run_cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-05", "--unit", "dai-tu",
                "--on", "2024-05-13", "--db", str(db))
    assert r.returncode == 0, r.stderr
    r = run_cli("overdue", "--plan", "thai-nguyen", "--as-of", "2024-05-14", "--format", "json", "--all", "--db", str(db))
    may = [i for i in json.loads(r.stdout)["items"] if i["report"] == "monthly" and i["period"] == "2024-05"]
    assert len(may) == 30
    assert not {"so-nong-nghiep-moi-truong", "so-dan-toc-ton-giao"} & {i["unit"] for i in may}
    assert {i["status"] for i in may if i["unit"] != "dai-tu"} == {"overdue"}
    assert next(i for i in may if i["unit"] == "dai-tu")["status"] == "submitted"
    r = run_cli("overdue", "--plan", "thai-nguyen", "--unit", "dai-tu", "--as-of", "2024-05-14", "--format", "json", "--db", str(db))
    assert {i["unit"] for i in json.loads(r.stdout)["items"]} == {"dai-tu"}


def test_duplicate_submission_is_not_duplicated_and_undo_removes_it(db):
    submit(db, "quarterly", "2024-Q1", "2024-03-13")
    assert "đã ghi từ trước" in submit(db, "quarterly", "2024-Q1", "2024-03-14")  # vi (issue 23)
    r = run_cli("submissions", "--db", str(db), "--format", "json")
    rows = json.loads(r.stdout)["submissions"]
    assert len(rows) == 1 and rows[0]["submitted_on"] == "2024-03-13"
    assert "đã rút" in submit(db, "quarterly", "2024-Q1", "2024-03-13", "--undo", "--why", "ghi nhầm")
    assert json.loads(run_cli("submissions", "--db", str(db), "--format", "json").stdout)["submissions"] == []


@pytest.mark.parametrize("args,message", [
    (["--plan", "bac-kan", "--report", "annual", "--period", "2024"], "unknown plan 'bac-kan'"),
    (["--plan", "ha-giang", "--report", "monthly", "--period", "2024-05"], "unknown report 'monthly' in plan ha-giang; valid: quarterly"),
    (["--plan", "ha-giang", "--report", "quarterly", "--period", "2024-05"], "has no period '2024-05'; valid: 2024-Q1, 2024-Q2"),
    (["--plan", "ha-giang", "--report", "quarterly", "--period", "2024-Q1", "--unit", "dai-tu"], "lists no units: leave out --unit"),
    (["--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-05", "--unit", "ha-noi"], "unknown unit 'ha-noi' in plan thai-nguyen; valid: so-ke-hoach-dau-tu"),
    (["--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-06", "--unit", "dai-tu"], "merged into semiannual 2024-H1"),
    (["--plan", "ha-giang", "--report", "quarterly", "--period", "2024-Q1", "--on", "31/02/2024"], "--on: '31/02/2024' is not a date"),
    (["--plan", "ha-giang", "--report", "quarterly", "--period", "2024-Q1", "--on", "2099-01-01"], "is in the future"),
])
@pytest.mark.usefixtures("english")
def test_bad_submit_writes_nothing(db, args, message):
    submit(db, "annual", "2024", "2024-11-14")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    r = run_cli("submit", *args, "--db", str(db))
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert json.loads(run_cli("submissions", "--db", str(db), "--format", "json").stdout)["submissions"][0]["report"] == "annual"
    assert len(json.loads(run_cli("submissions", "--db", str(db), "--format", "json").stdout)["submissions"]) == 1
    del before  # WAL may checkpoint on close, so compare rows rather than bytes


@pytest.mark.usefixtures("english")
def test_overdue_bad_input_exit_2(db):
    for args, message in [(["--as-of", "2024-13-01"], "--as-of"), (["--plan", "nope"], "unknown plan"),
                          (["--within", "soon"], "--within"), (["--unit", "nobody"], "unknown unit 'nobody'")]:
        r = run_cli("overdue", *args, "--db", str(db))
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)


def _writer(path, worker, count, shared):
    ledger = Ledger.open(path)
    for i in range(count):
        ledger.record(Submission("p", "monthly", f"{2000 + i // 12}-{i % 12 + 1:02d}", f"unit-{worker}", dt.date(2024, 1, 1)))
        if i < shared:  # every worker also records the same rows: they must appear once
            ledger.record(Submission("p", "annual", str(2000 + i), "shared", dt.date(2024, 1, 1)))
    ledger.close()


def test_eight_processes_submitting_at_once(db):
    workers, count, shared = 8, 300, 50
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db, w, count, shared)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * workers
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == workers * count + shared
    assert conn.execute("SELECT count(*) FROM (SELECT DISTINCT plan, report, period, unit FROM submissions)").fetchone()[0] == workers * count + shared
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILLED_CHILD = textwrap.dedent("""
    import datetime as dt, sys, time
    from dvcq.ledger import Ledger, Submission
    ledger = Ledger.open(sys.argv[1])
    for i in range(100):
        ledger.record(Submission("p", "monthly", f"20{i:02d}-01", "u", dt.date(2024, 1, 1)))
    def stall():
        print("inside", flush=True)
        time.sleep(60)
        return 0
    ledger.conn.set_progress_handler(stall, 1)  # the next submit stalls mid-statement
    ledger.record(Submission("p", "monthly", "2199-01", "u", dt.date(2024, 1, 1)))
""")


def test_killed_mid_submit_leaves_a_sound_ledger(db):
    child = subprocess.Popen([sys.executable, "-c", KILLED_CHILD, str(db)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "inside"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    ledger = Ledger.open(db)
    assert ledger.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    periods = {s.period for s in ledger.submissions()}
    assert len(periods) == 100 and "2199-01" not in periods
    ledger.close()


def test_vietnamese_date_not_utc():
    """18:00 UTC on 14/05/2024 is already 01:00 on 15/05 in Vietnam."""
    from dvcq.core.clock import today

    assert today(dt.datetime(2024, 5, 14, 18, 0, tzinfo=dt.timezone.utc)) == dt.date(2024, 5, 15)
    assert today(dt.datetime(2024, 5, 14, 16, 59, tzinfo=dt.timezone.utc)) == dt.date(2024, 5, 14)


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime not installed (.ci/run installs it)")
def test_process_clock_at_utc_evening_uses_the_vietnamese_date(empty_db):
    db = empty_db
    """With the process clock at 2024-05-14 18:00 UTC on a UTC server, the 6-month report due
    14/05/2024 is already one day overdue: in Vietnam it is 15/05."""
    env = {**os.environ, "TZ": "UTC", "NO_COLOR": "1"}
    r = subprocess.run(["faketime", "2024-05-14 18:00:00", sys.executable, "-m", "dvcq", "overdue", "--plan", "ha-giang",
                        "--format", "json", "--db", str(db)], capture_output=True, text=True, env=env, timeout=60)
    data = json.loads(r.stdout)
    assert data["as_of"] == "2024-05-15"
    h1 = next(i for i in data["items"] if i["report"] == "semiannual")
    assert (h1["status"], h1["days_late"]) == ("overdue", 1) and r.returncode == 1


def test_not_a_ledger_is_refused_untouched(db):
    db.write_bytes(b"this is a spreadsheet, not a ledger\n" * 100)
    before = db.read_bytes()
    r = run_cli("submit", "--plan", "ha-giang", "--report", "annual", "--period", "2024", "--on", "2024-11-14", "--db", str(db),
                env={"DVCQ_LANG": "en"})
    assert r.returncode == 2 and "not an SQLite ledger (left untouched)" in r.stderr and "Traceback" not in r.stderr
    assert db.read_bytes() == before
    r = run_cli("overdue", "--db", str(db), "--as-of", "2024-06-01")
    assert r.returncode == 2 and db.read_bytes() == before


def test_foreign_sqlite_file_is_refused_untouched(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE budget (x)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DvcqError, match="not a dvcq ledger"):
        Ledger.open(db)
    assert db.read_bytes() == before


def test_corrupted_ledger_is_a_clean_error(db):
    submit(db, "annual", "2024", "2024-11-14")
    ledger = Ledger.open(db)
    ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ledger.close()
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page, keep the header
    db.write_bytes(bytes(data))
    r = run_cli("submissions", "--db", str(db))
    assert r.returncode == 2 and "Traceback" not in r.stderr and str(db) in r.stderr


def test_older_ledger_is_migrated_without_losing_rows(db):
    conn = sqlite3.connect(db)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at)"
                 " VALUES ('ha-giang', 'annual', '2024', '', '2024-11-14', 'CV 123', '2024-11-14T03:00:00+00:00')")
    conn.commit()
    conn.close()
    ledger = Ledger.open(db)
    assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    rows = ledger.submissions()
    assert [(s.plan, s.report, s.note, s.recorded_by) for s in rows] == [("ha-giang", "annual", "CV 123", "")]
    ledger.close()


# -- hardening: never write to what is not ours, never a traceback ---------------------------------
def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sidecars(path):
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def _foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE budget (line TEXT, amount INTEGER)")
    conn.execute("INSERT INTO budget VALUES ('xăng xe', 1200000)")
    conn.commit()
    conn.close()


def _foreign_sqlite_wal(path):
    """Another program's database in WAL mode: a read-only connection would leave -wal/-shm files."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE budget (line TEXT)")
    conn.commit()
    conn.close()


def _wrecked_ledger(path):
    """A real dvcq ledger (WAL mode) whose schema page was overwritten with garbage."""
    with Ledger.open(path) as ledger:
        ledger.record(Submission("ha-giang", "annual", "2024", "", dt.date(2024, 11, 14)))
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make,message", [
    (_foreign_sqlite, "not a dvcq ledger"),
    (_foreign_sqlite_wal, "not a dvcq ledger"),
    (lambda p: p.write_text("plan,report,period\nha-giang,annual,2024\n", encoding="utf-8"), "not an SQLite ledger"),
    (lambda p: p.write_bytes(b""), "empty file"),
    (_wrecked_ledger, "cannot read"),
], ids=["foreign-sqlite", "foreign-sqlite-wal", "text", "empty", "page-corrupted-ledger"])
@pytest.mark.parametrize("create", [True, False])
def test_what_is_not_a_ledger_is_never_written(tmp_path, make, message, create):
    path = tmp_path / "ledger.sqlite3"
    make(path)
    before, files = _sha(path), _sidecars(path)
    with pytest.raises(DvcqError, match=message) as err:
        Ledger.open(path, create=create)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert _sha(path) == before and _sidecars(path) == files == []  # not even the WAL switch, no -wal/-shm left


def _one_line_error(action, *needles):
    with pytest.raises(DvcqError) as err:
        action()
    text = str(err.value)
    assert "\n" not in text and all(n in text for n in needles), text
    return text


def test_a_folder_that_cannot_be_made_is_a_clean_error():
    _one_line_error(lambda: Ledger.open("/dev/null/x/l.sqlite3"), "/dev/null/x/l.sqlite3")


def test_a_folder_is_not_a_ledger(tmp_path):
    _one_line_error(lambda: Ledger.open(tmp_path), str(tmp_path), "folder")


READ_ONLY_CHILD = textwrap.dedent("""
    import datetime as dt, sys
    from dvcq.core.errors import DvcqError
    from dvcq.ledger import Ledger, Submission
    for target in sys.argv[1:]:
        try:
            with Ledger.open(target) as ledger:
                ledger.record(Submission("p", "annual", "2024", "", dt.date(2024, 1, 1)))
        except DvcqError as exc:
            print(exc)
        else:
            print("no error")
""")


def test_a_read_only_folder_is_a_clean_error(tmp_path):
    """Both creating a ledger there and writing to one already there. As root (CI), the child runs
    without CAP_DAC_OVERRIDE, so the folder's mode applies to it as to anyone."""
    folder = tmp_path / "ro"
    folder.mkdir()
    with Ledger.open(folder / "old.sqlite3") as ledger:
        ledger.record(Submission("p", "annual", "2023", "", dt.date(2023, 1, 1)))
    folder.chmod(0o555)
    cmd = [sys.executable, "-c", READ_ONLY_CHILD, str(folder / "new" / "l.sqlite3"), str(folder / "new.sqlite3"),
           str(folder / "old.sqlite3")]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a folder read-only for this process")
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *cmd]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and "Traceback" not in r.stderr and len(lines) == 3, (r.stdout, r.stderr)
    assert "cannot create the folder" in lines[0] and "cannot create a ledger in" in lines[1]
    assert "cannot open the ledger (is its folder writable?)" in lines[2]
    for line, name in zip(lines, ["new/l.sqlite3", "new.sqlite3", "old.sqlite3"]):
        assert str(folder / name) in line, line
    assert sorted(os.listdir(folder)) == ["old.sqlite3"]  # no temporary file, no -wal/-shm left


def test_writing_to_a_ledger_with_garbage_pages_is_a_clean_error(db):
    with Ledger.open(db) as ledger:
        for i in range(400):
            ledger.record(Submission("p", "monthly", f"{2000 + i // 12}-{i % 12 + 1:02d}", f"unit-{i % 7}",
                                     dt.date(2024, 1, 1), note="x" * 200))
        ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    data[4096:] = b"\x5a" * (len(data) - 4096)  # every page but the first (header and schema) is garbage
    db.write_bytes(bytes(data))
    with Ledger.open(db) as ledger:  # the first page is sound, so it opens
        _one_line_error(lambda: ledger.submissions(), str(db), "cannot read")
        _one_line_error(lambda: ledger.sent_dates(["2001"]), str(db), "cannot read")
        _one_line_error(lambda: ledger.record(Submission("p", "annual", "2030", "", dt.date(2024, 1, 1))),
                        str(db), "cannot write")
        _one_line_error(lambda: ledger.undo("p", "monthly", "2001-01", "unit-0"), str(db))


@pytest.mark.parametrize("field", ["note", "unit", "recorded_by"])
def test_text_that_is_not_utf8_is_refused_naming_the_field(db, field):
    """`$'\\xff'` on the command line reaches Python as the lone surrogate U+DCFF."""
    values = {"plan": "p", "report": "annual", "period": "2024", "unit": "u", "submitted_on": dt.date(2024, 1, 1),
              "note": "CV 12", "recorded_by": "vanthu"}
    values[field] = "CV \udcff"
    with Ledger.open(db) as ledger:
        _one_line_error(lambda: ledger.record(Submission(**values)), f"{field}: not valid UTF-8 text")
        assert ledger.submissions() == []


def test_missing_ledger_says_whether_the_path_was_given(tmp_path, monkeypatch):
    from dvcq.ledger import base as ledger_module
    from dvcq.ledger import LedgerMissing

    with pytest.raises(LedgerMissing) as err:
        Ledger.open(tmp_path / "none.sqlite3", create=False)
    assert err.value.path == tmp_path / "none.sqlite3" and err.value.explicit is True
    assert isinstance(err.value, DvcqError) and str(tmp_path / "none.sqlite3") in str(err.value)
    assert not (tmp_path / "none.sqlite3").exists()
    monkeypatch.setattr(ledger_module, "default_path", lambda: tmp_path / "default" / "ledger.sqlite3")
    with pytest.raises(LedgerMissing) as err:
        Ledger.open(None, create=False)
    assert err.value.explicit is False and err.value.path == tmp_path / "default" / "ledger.sqlite3"
    with Ledger.open(None) as ledger:
        assert ledger.created is True and ledger.path == tmp_path / "default" / "ledger.sqlite3"
    with Ledger.open(None) as ledger:
        assert ledger.created is False


def test_default_path_is_the_user_data_folder_not_the_environment(monkeypatch, tmp_path):
    from platformdirs import user_data_dir

    from dvcq.ledger import default_path

    monkeypatch.setenv("DVCQ_DB", str(tmp_path / "env.sqlite3"))
    assert default_path() == Path(user_data_dir("dvcq", appauthor=False)) / "ledger.sqlite3"


def _v2_ledger(path, rows):
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for statement in statements:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.executemany("INSERT INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at, recorded_by)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def test_v2_ledger_is_migrated_keeping_every_row(db):
    rows = [("ha-giang", "quarterly", f"{y}-Q{q}", f"u{u}", f"{y}-0{q}-14", f"CV {y}{q}{u}" if u else None,
             "2024-01-01T00:00:00+00:00", "vanthu") for y in range(2015, 2025) for q in range(1, 5) for u in range(3)]
    _v2_ledger(db, rows)
    with Ledger.open(db) as ledger:
        assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        indexes = {r[1] for r in ledger.conn.execute("PRAGMA index_list(submissions)")}
        assert "submissions_by_period" in indexes
        got = [(s.plan, s.report, s.period, s.unit, s.submitted_on.isoformat(), s.note, s.recorded_at, s.recorded_by)
               for s in ledger.submissions()]
    assert sorted(got) == sorted(rows)


def test_the_hot_read_uses_an_index(db):
    """`overdue` reads the sent dates of a few years: a range on an index, never a scan of the table."""
    with Ledger.open(db) as ledger:
        ledger.record(Submission("p", "annual", "2024", "", dt.date(2024, 1, 1)))
        executed = []
        ledger.conn.set_trace_callback(executed.append)
        ledger.sent_dates(["2023", "2024", "2025"], as_of=dt.date(2024, 6, 1))
        ledger.sent_dates([2021, 2024])
        ledger.conn.set_trace_callback(None)
        selects = [sql for sql in executed if sql.lstrip().upper().startswith("SELECT")]
        assert selects and all("LIKE" not in sql.upper() for sql in selects)
        changes = [sql for sql in selects if "FROM events" in sql]
        selects = [sql for sql in selects if sql not in changes]
        for sql in changes:  # the as-of read looks again only at what changed after the day
            plan = " | ".join(r[-1] for r in ledger.conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "events_changes" in plan and "SCAN" not in plan, (sql, plan)
        for sql in selects:
            plan = " | ".join(r[-1] for r in ledger.conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "USING COVERING INDEX submissions_by_period" in plan and "SCAN" not in plan, (sql, plan)


def test_copy_that_does_not_arrive_intact_is_an_error(db, tmp_path):
    """The copy is checked by counting and checksumming both sides: a destination that changes
    rows on the way in (here a trigger rewriting notes) is caught."""
    from dvcq.ledger import copy_ledger

    with Ledger.open(db) as src, Ledger.open(tmp_path / "dst.sqlite3") as dst:
        src.record_many([Submission("p", "annual", str(y), "", dt.date(2024, 1, 1), note="CV") for y in range(2000, 2020)])
        dst.conn.execute("CREATE TEMP TRIGGER mangle AFTER INSERT ON submissions BEGIN"
                         " UPDATE submissions SET note = 'changed' WHERE id = NEW.id; END")
        with pytest.raises(DvcqError, match="copy does not match") as err:
            copy_ledger(src, dst)
        assert str(db) in str(err.value) and "20 rows" in str(err.value)


def test_integrity_reports_a_damaged_ledger(db):
    with Ledger.open(db) as ledger:
        ledger.record_many([Submission("p", "monthly", f"{2000 + i // 12}-{i % 12 + 1:02d}", f"unit-{i % 7}",
                                       dt.date(2024, 1, 1), note="x" * 100) for i in range(2000)])
        ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    page = len(data) // 4096 - 2  # an index or table page near the end
    data[page * 4096 + 8: page * 4096 + 200] = b"\x00" * 192
    db.write_bytes(bytes(data))
    with Ledger.open(db) as ledger:
        problems = ledger.integrity()
    assert problems and all(isinstance(p, str) and "\n" not in p for p in problems), problems


def test_the_sqlite_ledger_never_imports_psycopg(db):
    code = textwrap.dedent("""
        import datetime as dt, sys
        from dvcq.ledger import Ledger, Submission, copy_ledger
        with Ledger.open(sys.argv[1]) as ledger, Ledger.open(sys.argv[1] + ".copy") as other:
            ledger.record(Submission("p", "annual", "2024", "", dt.date(2024, 1, 1)))
            ledger.record_many([Submission("p", "annual", "2023", "", dt.date(2023, 1, 1))])
            ledger.sent_dates([2024]), ledger.submissions(), ledger.integrity(), copy_ledger(ledger, other)
        assert not [m for m in sys.modules if m.startswith("psycopg")], sorted(sys.modules)
    """)
    r = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
