"""The ledger's commands, the same on SQLite and on a shared PostgreSQL ledger (--db URL).

Hà Giang 2024, by hand from 73/KH-UBND: quarterly "trước ngày 15 tháng cuối của quý" → Q1 due
14/03/2024 (Thursday), Q2 14/06/2024 (Friday); 6-month "trước ngày 15/5/2024" → 14/05/2024 (Tuesday).
The plan lists no units: one obligation per deadline.
"""
import json

import pytest

from conftest import run_cli
from test_ledger_backends import pg_schemas, place  # noqa: F401 (fixtures: an SQLite path or a fresh PostgreSQL schema)


@pytest.fixture
def db(place):  # noqa: F811
    return str(place())


def items(db, as_of):
    r = run_cli("overdue", "--plan", "ha-giang", "--as-of", as_of, "--format", "json", "--all", "--db", db)
    assert r.returncode in (0, 1), r.stderr
    return {(i["report"], i["period"]): (i["status"], i["days_late"]) for i in json.loads(r.stdout)["items"]}


def submit(db, report, period, on):
    r = run_cli("submit", "--plan", "ha-giang", "--report", report, "--period", period, "--on", on, "--db", db)
    assert r.returncode == 0, r.stderr
    return r.stdout + r.stderr


def test_submit_overdue_submissions_on_either_backend(db):
    r = run_cli("overdue", "--plan", "ha-giang", "--as-of", "2024-03-20", "--db", db, "--lang", "en")
    assert r.returncode == 2 and "no ledger there" in r.stderr  # named, missing: an error, not an empty ledger
    assert "đã tạo sổ theo dõi mới" in submit(db, "quarterly", "2024-Q1", "2024-03-14")  # said once, when made
    assert "đã ghi từ trước" in submit(db, "quarterly", "2024-Q1", "2024-03-15")  # one language (issue 23)
    submit(db, "semiannual", "2024-H1", "2024-05-16")
    got = items(db, "2024-06-20")
    assert got[("quarterly", "2024-Q1")] == ("submitted", 0)
    assert got[("semiannual", "2024-H1")] == ("submitted-late", 2)  # sent 16/05, due 14/05
    assert got[("quarterly", "2024-Q2")] == ("overdue", 6)  # due 14/06
    # as of 15/05 the 6-month report had not been sent yet
    assert items(db, "2024-05-15")[("semiannual", "2024-H1")] == ("overdue", 1)
    r = run_cli("submissions", "--db", db, "--format", "json", "--as-of", "2024-05-15")
    rows = json.loads(r.stdout)["submissions"]
    assert [(s["report"], s["days_late"]) for s in rows] == [("quarterly", 0)]


def test_ledger_copy_both_ways_and_check(db, tmp_path):
    submit(db, "quarterly", "2024-Q1", "2024-03-13")
    submit(db, "quarterly", "2024-Q2", "2024-06-17")
    other = str(tmp_path / "copy.sqlite3")
    r = run_cli("ledger", "copy", "--from", db, "--to", other, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "rows: 2 = 2" in r.stdout
    src, dst = r.stdout.split("checksum: ")[1].split()[0], r.stdout.split("= ")[-1].strip()
    assert src == dst
    back = run_cli("submissions", "--db", other, "--format", "json")
    assert [(s["period"], s["submitted_on"]) for s in json.loads(back.stdout)["submissions"]] == [
        ("2024-Q1", "2024-03-13"), ("2024-Q2", "2024-06-17")]
    r = run_cli("ledger", "check", "--db", db, "--lang", "en")
    assert r.returncode == 0 and r.stdout.strip().endswith(": ok"), r.stdout + r.stderr


def test_a_password_never_shows(tmp_path):
    r = run_cli("overdue", "--db", "postgresql://clerk:s3cret-pw@127.0.0.1:1/dvcq")
    assert r.returncode == 2 and "s3cret-pw" not in r.stderr + r.stdout and "***" in r.stderr
