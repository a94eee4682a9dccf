"""`submit --from` streams a sheet (issue 22: a 1,048,576-row sheet in under 10 s and 300 MB): rows are
read as they are reached, rows that read alike share one outcome, and the report is written as drawn.
Nothing of what a user sees changes: the earliest row of an obligation is the one recorded, the others
are listed as duplicates, a bad row anywhere refuses the whole file before anything is written.

Dates by hand from Kế hoạch 60/KH-UBND (Thái Nguyên) IV.9: the monthly report of 05/2024 is sent
"trước ngày 14", so due 13/05/2024 (a Monday); its period began on 01/05/2024.
"""
import os
import sqlite3
import subprocess
import sys
import pytest

from conftest import run_cli
from dvcq.documents.intake import IntakeError, open_sheet

HEADER = "Đơn vị,Báo cáo,Kỳ,Ngày gửi,Ghi chú\n"


def sheet(path, lines):
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def env(tmp_path):
    return {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"), "DVCQ_NO_CACHE": "1"}


def test_open_sheet_reads_rows_only_as_they_are_reached(tmp_path):
    p = sheet(tmp_path / "t.csv", ["Sở Y tế,monthly,2024-05,10/05/2024,CV 1"] * 3)
    got = open_sheet(p)
    assert got.kind == "submissions"
    rows = got.rows
    assert not isinstance(rows, (list, tuple))  # an iterator, not a list held whole
    first = next(iter(rows))
    assert (first.number, first.cells["unit"], first.cells["note"]) == (2, "Sở Y tế", "CV 1")
    assert len(list(rows)) == 2


def test_an_unclosed_quote_is_refused_before_any_row(tmp_path):
    p = sheet(tmp_path / "s.csv", ["Sở Y tế,monthly,2024-05,10/05/2024,CV 1", 'Sở Y tế,monthly,"2024-05,x,y'])
    try:
        open_sheet(p)
    except IntakeError as exc:
        assert exc.row == 3 and "never closed" in exc.message
    else:
        raise AssertionError("a quote never closed was not refused")


def test_repeated_rows_record_the_earliest_and_list_the_others(tmp_path):
    p = sheet(tmp_path / "s.csv", [
        "Sở Y tế,monthly,2024-05,13/05/2024,CV 1",   # row 2: on the due day, not the earliest
        "Sở Y tế,monthly,2024-05,10/05/2024,CV 2",   # row 3: the earliest: recorded, with its note
        "Sở Y tế,monthly,2024-05,10/05/2024,CV 3",   # row 4: the same day, a later row: a duplicate
        "Sở Y tế,monthly,2024-05,13/05/2024,CV 4",   # row 5: reads as row 2 (its note aside)
    ])
    db = tmp_path / "l.sqlite3"
    r = run_cli("submit", "--plan", "thai-nguyen", "--from", str(p), "--db", str(db), "--lang", "en", env=env(tmp_path))
    assert r.returncode == 0, r.stderr
    lines = [line.split("\t")[:2] for line in r.stdout.splitlines()]
    assert lines == [["2", "duplicate"], ["3", "match"], ["4", "duplicate"], ["5", "duplicate"]]
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT report, period, unit, submitted_on, note FROM submissions").fetchall()
    assert [(rep, per, on, note) for rep, per, _, on, note in rows] == [("monthly", "2024-05", "2024-05-10", "CV 2")]


@pytest.mark.usefixtures("english")
def test_a_bad_row_after_thousands_of_good_ones_refuses_the_file(tmp_path):
    good = [f"Sở Y tế,monthly,2024-05,10/05/2024,row {i}" for i in range(3000)]
    p = sheet(tmp_path / "s.csv", good + ["Sở Y tế,monthly,2024-04,31/04/2024,bad"])  # April has 30 days
    db = tmp_path / "l.sqlite3"
    r = run_cli("submit", "--plan", "thai-nguyen", "--from", str(p), "--db", str(db), env=env(tmp_path))
    assert r.returncode == 2 and "row 3002" in r.stderr and "nothing imported" in r.stderr
    assert r.stdout == "" and not db.exists()


MEASURE = r"""
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def test_two_hundred_thousand_rows_are_imported_in_bounded_memory(tmp_path):
    units = ["UBND huyện Đại Từ", "Sở Y tế", "Sở Tài chính", "Thanh tra tỉnh"]
    p = tmp_path / "big.csv"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(200_000):
            m = i % 12 + 1
            fh.write(f"{units[i % 4]},monthly,2024-{m:02d},{10 + i % 3:02d}/{m:02d}/2024,row {i}\n")
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "dvcq", "submit", "--plan", "thai-nguyen",
                          "--from", str(p), "--dry-run"], capture_output=True, text=True,
                         env={**os.environ, **env(tmp_path)}, timeout=120)
    code, mb = map(int, out.stdout.split())
    assert code == 0, out.stderr
    assert mb < 120  # 270 MB when every row was kept as an object and the report as one string


def test_a_reader_that_stops_early_leaves_the_import_to_finish(tmp_path):
    """`dvcq submit --from X | head`: the pipe closed by its reader is not an error (README: exit 0);
    the count still reaches stderr."""
    p = sheet(tmp_path / "s.csv", [f"Sở Y tế,monthly,2024-05,10/05/2024,row {i}" for i in range(50_000)])
    run = subprocess.Popen([sys.executable, "-m", "dvcq", "submit", "--plan", "thai-nguyen", "--from", str(p),
                            "--dry-run", "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env={**os.environ, **env(tmp_path)})
    first = run.stdout.readline()
    run.stdout.close()
    err = run.stderr.read().decode()
    assert run.wait(timeout=60) == 0, err
    assert first.startswith(b"2\tmatch\t") and "50000 rows" in err


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
