"""Issue 23: what an official sees. Run as a user runs it: the command line, in Vietnamese and English.

Dates are derived by hand from the plan texts:
- Thái Nguyên (60/KH-UBND, 2024) IV.9: "Báo cáo tháng: Gửi trước ngày 14 của tháng" -> the last
  on-time day is the 13th ("trước" is exclusive). January 2027: 13/01/2027 is a Wednesday, a
  working day. November 2027: 13/11/2027 is a Saturday -> Monday 15/11/2027. December 2027:
  13/12/2027 (a Monday). 2027 has no plan of its own: the 2024 rules are projected onto it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import run_cli


def faketime_cli(when: str, *args, env=None):
    full = {**os.environ, "TZ": "UTC", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(["faketime", when, sys.executable, "-m", "dvcq", *args], capture_output=True, text=True,
                          env=full, timeout=60)


needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime not installed (.ci/run installs it)")


def periods(stdout: str) -> list[str]:
    return [d["period"] for d in json.loads(stdout)["deadlines"] if d["report"] == "monthly"]


# -- item 3: what do I owe next ---------------------------------------------------------------------
def test_from_alone_runs_twelve_months_across_the_year_end():
    """--from 04/12/2026 without --to used to stop at 31/12/2026 and say nothing was due, hiding
    13/01/2027. Twelve months from 04/12/2026 end on 03/12/2027: November 2027's report (moved to
    15/11/2027) is in, December 2027's (13/12/2027) is not."""
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "2026-12-04", "--format", "json")
    assert r.returncode == 0, r.stderr
    found = {d["period"]: d for d in json.loads(r.stdout)["deadlines"] if d["report"] == "monthly"}
    assert found["2027-01"]["effective_due"] == "2027-01-13"
    assert found["2027-11"]["effective_due"] == "2027-11-15"
    assert "2027-12" not in found and "2026-11" not in found
    assert all(d["projected"] for d in found.values())


@pytest.mark.parametrize("lang,title", [("vi", "từ 04/12/2026 đến 03/12/2027"), ("en", "04/12/2026 to 03/12/2027")])
def test_open_range_table_names_its_range(lang, title):
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "04/12/2026", "--lang", lang, env={"COLUMNS": "160"})
    assert r.returncode == 0, r.stderr
    assert title in r.stdout and "13/01/2027" in r.stdout
    assert "năm 2026" not in r.stdout.splitlines()[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_backwards_range_is_one_line_and_exit_2(lang):
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "2026-12-04", "--to", "2026-12-01", "--lang", lang)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "01/12/2026" in r.stderr and "04/12/2026" in r.stderr


@needs_faketime
def test_from_today_and_next_days():
    """On 04/12/2026 (in Vietnam): --next 30 runs to 03/01/2027, before January's 13/01/2027;
    --next 45 runs to 18/01/2027 and shows it; --from today alone shows it too."""
    when = "2026-12-04 03:00:00"
    r = faketime_cli(when, "deadlines", "--plan", "thai-nguyen", "--next", "30", "--format", "json")
    assert r.returncode == 0 and "2027-01" not in periods(r.stdout)
    r = faketime_cli(when, "deadlines", "--plan", "thai-nguyen", "--next", "45", "--format", "json")
    assert r.returncode == 0 and periods(r.stdout) == ["2027-01"]
    r = faketime_cli(when, "deadlines", "--plan", "thai-nguyen", "--from", "today", "--format", "json")
    assert r.returncode == 0 and periods(r.stdout)[0] == "2027-01"


def test_next_days_from_a_given_day():
    """--from 01/02/2027 --next 20 runs to 21/02/2027: February 2027's report, "trước ngày 14" ->
    13/02/2027, a Saturday in Tết (Tết Đinh Mùi is 06/02/2027)."""
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "2027-02-01", "--next", "20", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert periods(r.stdout) == ["2027-02"]


def test_next_is_a_number_of_days():
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--next", "soon")
    assert r.returncode == 2 and "--next" in r.stderr and len(r.stderr.strip().splitlines()) == 1
