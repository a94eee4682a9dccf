"""No input crashes dvcq, every read is bounded: each finding of the hardening issue, in every command.

A bad plan value is one located line (exit 2 for the runtime, 1 for `check`); a device, a FIFO or a
huge file is refused while reading, fast; a bug in dvcq itself exits 70, never 1 (which cron reads as
"something is overdue").
"""
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, run_cli

PLAN = """id: hx
issuer: UBND tỉnh Thử
issued: {issued}
years: [2024]
reports:
  - {merge}id: annual
    title: {title}
    every: {every}
    due: {due}
"""
DEFAULTS = {"issued": "2024-01-10", "merge": "", "title": "Báo cáo năm", "every": "year", "due": "{by: {day: 1, month: 3}}"}

CASES = {  # the list: each must be a located line naming the field
    "bool-maybe": ({"title": "!!bool maybe"}, 7, "bad-value"),
    "int-empty": ({"title": '!!int ""'}, 7, "bad-value"),
    "float-empty": ({"title": '!!float ""'}, 7, "bad-value"),
    "merge-scalar": ({"merge": "<<: 5\n    "}, 6, "bad-value"),
    "merge-list": ({"merge": "<<: [1, 2]\n    "}, 6, "bad-value"),
    "months-offset": ({"every": "month", "due": "{by: {day: 1, months_offset: 100000}}"}, 9, "bad-value"),
    "year-offset": ({"due": "{by: {day: 1, month: 3, year_offset: 10000}}"}, 9, "bad-value"),
    "date-year-1": ({"every": "once", "due": "{before: {date: 0001-01-01}}"}, 9, "bad-value"),
    "issued-9999": ({"issued": "9999-12-31"}, 3, "bad-value"),
}


def plan_text(**changes) -> str:
    return PLAN.format(**{**DEFAULTS, **changes})


@pytest.mark.parametrize("name", CASES)
def test_bad_plan_values_are_one_located_line_in_every_command(tmp_path, name):
    changes, line, code = CASES[name]
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "hx.yaml").write_text(plan_text(**changes), encoding="utf-8")
    for args, expected in ((["deadlines", "--plan", "hx", "--year", "2024"], 2),
                           (["overdue", "--plan", "hx", "--as-of", "2024-05-01"], 2),
                           (["check", str(folder / "hx.yaml")], 1)):
        extra = [] if args[0] == "check" else ["--plans-dir", str(folder)]
        r = run_cli(*args, *extra, env={"DVCQ_DB": str(tmp_path / "none.sqlite3")})
        assert r.returncode == expected, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
        assert f"hx.yaml:{line}:" in r.stdout + r.stderr and f"[{code}]" in r.stdout + r.stderr, r.stdout + r.stderr


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "huge-sparse", "directory"])
@pytest.mark.usefixtures("english")
def test_a_strange_file_in_a_plans_dir_costs_other_plans_nothing(tmp_path, kind):
    folder = tmp_path / "plans"
    folder.mkdir()
    target = folder / "x.yaml"
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "huge-sparse":
        with open(target, "wb") as fh:  # 1 GiB, no disk used
            fh.truncate(1 << 30)
    else:
        target.mkdir()
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "dvcq", "deadlines", "--plan", "thai-nguyen", "--year", "2024",
                        "--format", "json", "--plans-dir", str(folder)], capture_output=True, text=True, timeout=30,
                       env={**os.environ, "NO_COLOR": "1"})
    assert time.perf_counter() - t < 5
    assert '"plan": "thai-nguyen"' in r.stdout  # the plan asked for still works
    if kind != "directory":  # a folder named x.yaml is not a plan file at all
        assert r.returncode == 2 and "x.yaml:1:1: error:" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "dvcq", "plans", "--plans-dir", str(folder)], capture_output=True,
                       text=True, timeout=30, env={**os.environ, "NO_COLOR": "1"})
    assert "thai-nguyen" in r.stdout and "Traceback" not in r.stderr


@pytest.mark.usefixtures("english")
def test_units_and_calendar_files_that_are_devices_or_fifos_are_refused_fast(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "hx.yaml").write_text(plan_text() + "units: /dev/zero\n", encoding="utf-8")
    r = run_cli("deadlines", "--plan", "hx", "--year", "2024", "--plans-dir", str(folder))
    assert r.returncode == 2 and "/dev/zero:1:1: error: cannot read a device" in r.stderr
    fifo = tmp_path / "notices.yaml"
    os.mkfifo(fifo)
    for env, args in (({}, ["--calendar", "/dev/zero"]), ({"DVCQ_CALENDAR": str(fifo)}, [])):
        r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", *args, env=env)
        assert r.returncode == 2 and ":1:1: error: cannot read a" in r.stderr and len(r.stderr.splitlines()) == 1


@pytest.mark.usefixtures("english")
def test_ledger_inputs_that_used_to_crash_are_one_line(tmp_path):
    db = tmp_path / "l.sqlite3"
    note = subprocess.run([sys.executable, "-m", "dvcq", "submit", "--plan", "ha-giang", "--report", "annual",
                           "--period", "2024", "--on", "2024-11-10", "--db", str(db), "--note", b"\xff"],
                          capture_output=True, timeout=60)
    assert note.returncode == 2 and b"note: not valid UTF-8 text" in note.stderr and b"Traceback" not in note.stderr
    r = run_cli("submit", "--plan", "ha-giang", "--report", "annual", "--period", "2024", "--on", "2024-11-10",
                "--db", "/dev/null/x/l.sqlite3")
    assert r.returncode == 2 and "/dev/null/x/l.sqlite3" in r.stderr and len(r.stderr.splitlines()) == 1


def test_a_bug_in_dvcq_exits_70_with_one_line_not_1():
    code = ("import dvcq.cli as c, dvcq.api as a\n"
            "a.plans = lambda s: 1 / 0\n"
            "c.main(['plans'])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 70
    assert r.stderr.startswith("dvcq: internal error: ZeroDivisionError") and len(r.stderr.splitlines()) == 1
    assert "Traceback" not in r.stderr


# -- random values in every field of a real plan ---------------------------------------------------
SHIPPED = sorted((REPO / "plans").glob("*.yaml"))
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=True),
    st.text(max_size=40), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(["last", "due", "none", "decree-09", "before", "by", "month", "quarter", "trước ngày 15",
                     "chậm nhất ngày 31/4/2024", "2024-13", "2024-Q9", "once", "on-request", "nine-months"]),
    st.lists(st.integers(min_value=-5, max_value=40), max_size=4),
    st.dictionaries(st.sampled_from(["day", "month", "date", "before", "by", "after", "days", "period_month",
                                     "months_offset", "year_offset", "from", "to", "working_days"]),
                    st.integers(min_value=-400, max_value=400) | st.just("last"), max_size=3),
)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def _replace(doc, path, new):
    if not path:
        return new
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = new
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_values_in_any_field_never_crash(data, cal):
    from dvcq.planfiles.check import semantic_problems
    from dvcq.core.engine import schedule
    from dvcq.core.errors import DvcqError
    from dvcq.planfiles.loader import read_plan

    source = data.draw(st.sampled_from(SHIPPED))
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc.pop("units", None)  # a units file is a path relative to the plan: tested on its own above
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        doc = _replace(doc, path, data.draw(VALUES))
        paths = list(_paths(doc))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    plan, problems, _ = read_plan(Path("random.yaml"), text.encode("utf-8"))
    assert all(p.line >= 1 and p.col >= 1 and p.code for p in problems)
    if plan is None:
        return
    try:
        for year in (*plan.years, plan.years[-1] + 1):
            if plan.in_force(year):
                schedule(plan, year, cal)
        semantic_problems(plan, cal)
    except DvcqError:
        pass  # a clean, one-line refusal is fine; anything else is a crash


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
