"""The rule shapes real regimes use, each written as a phrase, with dates worked out by hand.

Weekdays (from a printed calendar): 14/03/2026 Sat, 16/03/2026 Mon; 30/09/2026 Wed, 30/10/2026 Fri;
10/01/2027 Sun, 11/01/2027 Mon; 05/06/2026 Fri; 04/07/2026 Sat, 06/07/2026 Mon; 10/01/2026 Sat (a
Saturday worked, Công văn 12729/VPCP-KGVX), 09/01/2026 Fri; 31/12/2025 Wed, 01/01/2026 Thu (Tết Dương
lịch), 02/01/2026 Fri (off, swapped).
"""
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import D, run_cli
from dvcq.core.engine import schedule
from dvcq.planfiles.loader import load_plan

PLAN = """id: shapes
issuer: UBND tỉnh Thử
years: [2026]
reports:
  - id: data-check
    title: Báo cáo nhanh sau chốt số liệu
    every: quarter
    window: "số liệu từ ngày 15 tháng cuối quý trước đến ngày 14 tháng cuối quý"
    due: "trong thời hạn 03 (ba) ngày làm việc kể từ ngày chốt số liệu"
    source: {section: "1", quote: "x"}
  - id: nine-months
    title: Báo cáo 9 tháng
    every: nine-months
    due: "chậm nhất là 30 ngày kể từ ngày kết thúc kỳ báo cáo"
    source: {section: "1", quote: "x"}
  - id: annual
    title: Báo cáo năm
    every: year
    due: "chậm nhất ngày 10 tháng 01 năm sau"
    window: "số liệu tính từ ngày 15/12 năm trước đến ngày 14/12"
    source: {section: "1", quote: "x"}
  - id: monthly-next
    title: Báo cáo tháng
    every: month
    due: "trước ngày 05 của tháng sau tháng báo cáo"
    window: none
    source: {section: "1", quote: "x"}
  - id: half-adjacent
    title: Báo cáo 6 tháng
    every: half
    periods: [2]
    due: "trước ngày 10 tháng 01 của năm liền kề năm báo cáo"
    window: none
    source: {section: "1", quote: "x"}
  - id: q2-days
    title: Báo cáo quý II
    every: quarter
    periods: [2]
    due: "chậm nhất 4 ngày kể từ ngày kết thúc quý"
    window: none
    source: {section: "1", quote: "x"}
  - id: ad-hoc
    title: Báo cáo đột xuất, chuyên đề
    every: on-request
    source: {section: "1", quote: "x"}
"""


@pytest.fixture(scope="module")
def rows(tmp_path_factory, cal):
    folder = tmp_path_factory.mktemp("shapes")
    (folder / "shapes.yaml").write_text(PLAN, encoding="utf-8")
    plan = load_plan(folder / "shapes.yaml")
    return {(d.report, d.period): d for d in schedule(plan, 2026, cal).deadlines}, folder


@pytest.mark.parametrize("report,period,due,effective,wstart,wend", [
    # window to 14/03/2026 (Sat); 3 working days counted from the day after: Mon 16, Tue 17, Wed 18/03
    ("data-check", "2026-Q1", "18/03/2026", "18/03/2026", "15/12/2025", "14/03/2026"),
    # window to 14/12/2026 (Mon): 15, 16, 17/12
    ("data-check", "2026-Q4", "17/12/2026", "17/12/2026", "15/09/2026", "14/12/2026"),
    # January to September ends 30/09/2026; +30 days = 30/10/2026 (Fri). Decree 09's window: 15/12/2025-14/09/2026
    ("nine-months", "2026-9M", "30/10/2026", "30/10/2026", "15/12/2025", "14/09/2026"),
    # "chậm nhất ngày 10 tháng 01 năm sau": 10/01/2027 is a Sunday → Monday 11/01/2027
    ("annual", "2026", "10/01/2027", "11/01/2027", "15/12/2025", "14/12/2026"),
    # "trước ngày 05 của tháng sau tháng báo cáo": May's report before 05/06 → 04/06/2026 (Thu)
    ("monthly-next", "2026-05", "04/06/2026", "04/06/2026", None, None),
    # December's: before 05/01/2027 → 04/01/2027 (Mon)
    ("monthly-next", "2026-12", "04/01/2027", "04/01/2027", None, None),
    # "năm liền kề năm báo cáo" is the next year: before 10/01/2027 → Saturday 09/01 → Monday 11/01/2027
    ("half-adjacent", "2026-H2", "09/01/2027", "11/01/2027", None, None),
    # Q2 ends 30/06/2026; 4 days after, counting from 01/07: 04/07/2026 (Sat) → Monday 06/07
    ("q2-days", "2026-Q2", "04/07/2026", "06/07/2026", None, None),
])
def test_rule_shape(rows, report, period, due, effective, wstart, wend):
    d = rows[0][(report, period)]
    assert (d.due, d.effective_due) == (D(due), D(effective))
    assert (d.window_start, d.window_end) == ((D(wstart), D(wend)) if wstart else (None, None))


def test_working_days_count_saturdays_worked_and_skip_days_off(cal):
    """From Wednesday 31/12/2025, 3 working days: 01/01 (Tết) and 02/01 (swapped) are off, 03-04/01 a
    weekend, then Monday 05/01, Tuesday 06/01, Wednesday 07/01. From Thursday 08/01/2026: Friday
    09/01, Saturday 10/01 (worked, làm bù), Monday 12/01."""
    assert cal.nth_working_day_after(D("31/12/2025"), 3) == D("07/01/2026")
    assert cal.nth_working_day_after(D("08/01/2026"), 3) == D("12/01/2026")


def test_on_request_is_listed_without_a_date_and_never_chased(rows, tmp_path):
    found, folder = rows
    d = found[("ad-hoc", "2026")]
    assert d.due is None and d.effective_due is None
    r = run_cli("deadlines", "--plan", "shapes", "--year", "2026", "--format", "json", "--plans-dir", str(folder))
    item = next(i for i in json.loads(r.stdout)["deadlines"] if i["report"] == "ad-hoc")
    assert (item["due"], item["every"]) == (None, "on-request")
    table = run_cli("deadlines", "--plan", "shapes", "--year", "2026", "--plans-dir", str(folder)).stdout
    assert "theo yêu cầu" in table
    from dvcq.ledger import Ledger

    Ledger.open(tmp_path / "l.sqlite3", create=True).close()
    r = run_cli("overdue", "--plan", "shapes", "--as-of", "2026-12-31", "--all", "--format", "json",
                "--plans-dir", str(folder), "--db", str(tmp_path / "l.sqlite3"))
    assert not [i for i in json.loads(r.stdout)["items"] if i["report"] == "ad-hoc"]


def test_explain_describes_a_counted_deadline(rows):
    folder = rows[1]
    r = run_cli("explain", "--plan", "shapes", "--report", "data-check", "--period", "2026-Q1", "--plans-dir", str(folder))
    assert r.returncode == 0, r.stderr
    assert "3 ngày làm việc kể từ ngày chốt số liệu" in r.stdout and "Hạn thực tế: 18/03/2026" in r.stdout


def test_nine_month_period_label_round_trips():
    from dvcq.core.model import Period

    p = Period.parse("2026-9M")
    assert (p.every, p.first_month, p.last_month, p.label, p.end) == ("nine-months", 1, 9, "2026-9M", dt.date(2026, 9, 30))


def test_every_shipped_rule_and_its_phrase_print_each_other(catalog):
    """A rule renders to a phrase the grammar reads back to the same rule (the structured form and
    the plan's words are two spellings of one thing), for every rule of every shipped plan."""
    from dvcq.core import phrases

    checked = 0
    for plan in catalog.plans:
        for rule in plan.rules:
            if rule.due is not None:
                spec = phrases.normalise_due(rule.due.spec(), rule.every)
                assert phrases.normalise_due(phrases.parse_due(phrases.render_due(spec, rule.every), rule.every),
                                             rule.every) == spec, (plan.id, rule.id)
                checked += 1
            if rule.window is not None and rule.window.basis == "plan":
                spec = phrases.normalise_window(rule.window.spec(), rule.every)
                text = phrases.render_window(spec, rule.every)
                assert phrases.normalise_window(phrases.parse_window(text, rule.every), rule.every) == spec, text
    assert checked >= 15


# ------------------------------------------------------------------------------------------------
# Counted from a day the text names, whole months and quarters, quarters inside longer periods
# (issue 19). 2025 from a printed calendar and the notices: Tết 25/01 (Sat) - 02/02 (Sun) off;
# Giỗ Tổ Monday 07/04; 30/04-01/05 off with Friday 02/05 swapped for Saturday 26/04 (worked);
# 20/12 a Saturday; 04/01/2026 a Sunday; 30/06 a Monday, 05/07 a Saturday, 30/09 a Tuesday.
# ------------------------------------------------------------------------------------------------

PLAN_2025 = """id: named
issuer: UBND tỉnh Thử
years: [2025]
reports:
  - id: m25
    title: Báo cáo tháng
    every: month
    due: "trong thời hạn 05 ngày làm việc kể từ ngày 25 của tháng báo cáo"
    window: none
    source: {section: "1", quote: "x"}
  - id: m25-each
    title: Báo cáo tháng
    every: month
    due: "trong thời hạn 03 ngày làm việc kể từ ngày 25 hằng tháng"
    window: none
    source: {section: "1", quote: "x"}
  - id: cutoff-20
    title: Báo cáo tháng
    every: month
    due: "Trong thời hạn 02 (hai) ngày làm việc kể từ ngày chốt số liệu (ngày 20 hằng tháng)"
    window: none
    source: {section: "1", quote: "x"}
  - id: nine
    title: Báo cáo 9 tháng
    every: nine-months
    due: "trong thời hạn 07 ngày làm việc kể từ ngày kết thúc tháng 9"
    window: none
    source: {section: "1", quote: "x"}
  - id: q1
    title: Báo cáo quý I
    every: quarter
    periods: [1]
    due: "trong thời hạn 05 ngày làm việc kể từ ngày 31/3/2025"
    window: none
    source: {section: "1", quote: "x"}
  - id: annual
    title: Báo cáo năm
    every: year
    due: "chậm nhất 20 ngày kể từ ngày 15 tháng 12"
    window: none
    source: {section: "1", quote: "x"}
  - id: last-day
    title: Báo cáo quý
    every: quarter
    due: "gửi vào ngày cuối cùng của tháng cuối quý"
    window: none
    source: {section: "1", quote: "x"}
  - id: half-25
    title: Báo cáo 6 tháng
    every: half
    due: "chậm nhất là ngày 25 của tháng cuối quý"
    window: none
    source: {section: "1", quote: "x"}
  - id: whole-quarter
    title: Báo cáo quý
    every: quarter
    due: "trước ngày 10 tháng đầu quý sau"
    window: "số liệu tính từ ngày đầu đến ngày cuối cùng của quý"
    source: {section: "1", quote: "x"}
  - id: whole-month
    title: Báo cáo tháng
    every: month
    due: "trước ngày 05 của tháng sau tháng báo cáo"
    window: "số liệu tính trọn tháng báo cáo"
    source: {section: "1", quote: "x"}
  - id: h1
    title: Báo cáo 6 tháng đầu năm
    every: half
    periods: [1]
    due: "chậm nhất 05 ngày kể từ ngày 30/6"
    window: "từ ngày 01/01 đến hết ngày 30/6"
    source: {section: "1", quote: "x"}
  - id: half-list
    title: Báo cáo 6 tháng
    every: half
    due: "chậm nhất ngày 20 tháng 6 và ngày 20 tháng 12"
    window: none
    source: {section: "1", quote: "x"}
  - id: structured
    title: Báo cáo năm
    every: year
    due: {by: {after: {day: 15, month: 12}, working_days: 10}}
    window: none
    source: {section: "1", quote: "x"}
"""


@pytest.fixture(scope="module")
def rows_2025(tmp_path_factory, cal):
    folder = tmp_path_factory.mktemp("named")
    (folder / "named.yaml").write_text(PLAN_2025, encoding="utf-8")
    plan = load_plan(folder / "named.yaml")
    return {(d.report, d.period): d for d in schedule(plan, 2025, cal).deadlines}, folder


@pytest.mark.parametrize("report,period,due,effective,wstart,wend", [
    # from Saturday 25/01 (Tết): 03, 04, 05, 06, 07/02
    ("m25", "2025-01", "07/02/2025", "07/02/2025", None, None),
    # from Wednesday 25/06: 26, 27, 30/06, 01, 02/07
    ("m25", "2025-06", "02/07/2025", "02/07/2025", None, None),
    # from Friday 25/04: Saturday 26/04 (worked), Monday 28, Tuesday 29/04
    ("m25-each", "2025-04", "29/04/2025", "29/04/2025", None, None),
    # from Thursday 25/09: 26, 29, 30/09
    ("m25-each", "2025-09", "30/09/2025", "30/09/2025", None, None),
    # from Saturday 20/12: Monday 22, Tuesday 23/12
    ("cutoff-20", "2025-12", "23/12/2025", "23/12/2025", None, None),
    # from Thursday 20/03: Friday 21, Monday 24/03
    ("cutoff-20", "2025-03", "24/03/2025", "24/03/2025", None, None),
    # from Tuesday 30/09: 01, 02, 03, 06, 07, 08, 09/10
    ("nine", "2025-9M", "09/10/2025", "09/10/2025", None, None),
    # from Monday 31/03: 01, 02, 03, 04/04, (07/04 Giỗ Tổ) 08/04
    ("q1", "2025-Q1", "08/04/2025", "08/04/2025", None, None),
    # 15/12 + 20 calendar days = Sunday 04/01/2026 -> Monday 05/01/2026
    ("annual", "2025", "04/01/2026", "05/01/2026", None, None),
    ("last-day", "2025-Q2", "30/06/2025", "30/06/2025", None, None),
    ("last-day", "2025-Q4", "31/12/2025", "31/12/2025", None, None),
    # the last month of the quarter ending each half: June, December
    ("half-25", "2025-H1", "25/06/2025", "25/06/2025", None, None),
    ("half-25", "2025-H2", "25/12/2025", "25/12/2025", None, None),
    # before 10/01/2026 -> 09/01/2026 (Fri); the data: the whole fourth quarter
    ("whole-quarter", "2025-Q4", "09/01/2026", "09/01/2026", "01/10/2025", "31/12/2025"),
    ("whole-quarter", "2025-Q1", "09/04/2025", "09/04/2025", "01/01/2025", "31/03/2025"),
    # February's report before 05/03 -> 04/03/2025 (Tue); the data: the whole of February
    ("whole-month", "2025-02", "04/03/2025", "04/03/2025", "01/02/2025", "28/02/2025"),
    ("whole-month", "2025-12", "04/01/2026", "05/01/2026", "01/12/2025", "31/12/2025"),
    # 30/06 + 5 = Saturday 05/07 -> Monday 07/07
    ("h1", "2025-H1", "05/07/2025", "07/07/2025", "01/01/2025", "30/06/2025"),
    # one day for each half: Friday 20/06, and Saturday 20/12 -> Monday 22/12
    ("half-list", "2025-H1", "20/06/2025", "20/06/2025", None, None),
    ("half-list", "2025-H2", "20/12/2025", "22/12/2025", None, None),
    # from Monday 15/12: 16-19 (4), 22-26 (9), Monday 29/12 (10)
    ("structured", "2025", "29/12/2025", "29/12/2025", None, None),
])
def test_named_day_shapes(rows_2025, report, period, due, effective, wstart, wend):
    d = rows_2025[0][(report, period)]
    assert (d.due, d.effective_due) == (D(due), D(effective))
    assert (d.window_start, d.window_end) == ((D(wstart), D(wend)) if wstart else (None, None))


def test_named_anchor_checks_explains_and_prints(rows_2025):
    folder = rows_2025[1]
    r = run_cli("check", str(folder / "named.yaml"), "--lang", "en")
    assert r.returncode == 0 and ": error: " not in r.stdout, r.stdout
    r = run_cli("explain", "--plan", "named", "--report", "m25", "--period", "2025-01", "--plans-dir", str(folder))
    assert r.returncode == 0, r.stderr
    assert "5 ngày làm việc kể từ ngày 25" in r.stdout and "07/02/2025" in r.stdout
    r = run_cli("deadlines", "--plan", "named", "--year", "2025", "--format", "json", "--plans-dir", str(folder))
    assert r.returncode == 0, r.stderr
    got = {(i["report"], i["period"]): i["due"] for i in json.loads(r.stdout)["deadlines"]}
    assert got[("nine", "2025-9M")] == "2025-10-09"


def test_structured_named_anchor_round_trips(rows_2025):
    from dvcq.core import phrases

    rule = rows_2025[0][("structured", "2025")].rule
    spec = rule.due.spec()
    assert spec == {"by": {"after": {"day": 15, "month": 12}, "working_days": 10}}
    assert phrases.parse_due(phrases.render_due(spec, "year"), "year") == spec


@pytest.mark.parametrize("due,col,code", [
    # a one-off has no data window: the cut-off it counts from does not exist (at the value, column 10)
    ('"trong thời hạn 03 ngày làm việc kể từ ngày chốt số liệu"', 10, "bad-reference"),
    # at "30" of {day: 30 ...}
    ("{by: {after: {day: 30, month: 2}, days: 3}}", 29, "bad-date"),
    # at the anchor's "{"
    ("{by: {after: {after: period-end, days: 2}, days: 3}}", 23, "bad-value"),
    # at the count's "{": it gives no number of days
    ("{by: {after: {day: 5}}}", 15, "missing-field"),
    # at "nhận": character 34 of the phrase, which starts after the quote in column 10
    ('"trong thời hạn 05 ngày kể từ ngày nhận văn bản"', 45, "unparsed-phrase"),
])
def test_a_count_without_its_day_is_a_located_error(tmp_path, due, col, code):
    text = ("id: bad\nissuer: UBND tỉnh Thử\nyears: [2025]\nreports:\n  - id: one\n    title: Báo cáo\n"
            f"    every: once\n    due: {due}\n    source: {{section: '1', quote: x}}\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    r = run_cli("check", str(path), "--lang", "en")
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert f"bad.yaml:8:{col}: error: " in r.stdout and f"[{code}]" in r.stdout, r.stdout
    r = run_cli("deadlines", "--plan", "bad", "--year", "2025", "--plans-dir", str(tmp_path))
    assert r.returncode != 70, r.stderr


WORKING_DAY_YEARS = (2024, 2027)  # the years checked day by day against the notices


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(dt.date(WORKING_DAY_YEARS[0], 1, 1), dt.date(WORKING_DAY_YEARS[1], 10, 31)),
       n=st.integers(1, 40))
def test_n_working_days_from_a_named_day_land_on_the_nth_working_day_after_it(cal, start, n):
    """For every day X and every N: "trong thời hạn N ngày làm việc kể từ ngày X" is a working day
    after X, with exactly N working days from the day after X to it (Civil Code art. 147)."""
    from dvcq.core import phrases
    from dvcq.core.engine import resolve
    from dvcq.core.model import DayRef, Period

    due = phrases.parse_due(f"trong thời hạn {n:02d} ngày làm việc kể từ ngày {start.day}/{start.month}/{start.year}",
                            "once")
    spec = due["by"]
    assert spec == {"after": {"date": start}, "working_days": n}
    ref = DayRef(after="day", anchor=DayRef(date=spec["after"]["date"]), count=n, working=True)
    last = resolve(ref, Period("once", start.year), start.year, cal)
    assert last > start and cal.is_working_day(last)
    counted = [start + dt.timedelta(days=k) for k in range(1, (last - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in counted) == n


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.integers(1, 31), n=st.integers(1, 25), year=st.integers(*WORKING_DAY_YEARS))
def test_every_month_counts_from_its_own_named_day(cal, day, n, year):
    """"trong thời hạn N ngày làm việc kể từ ngày D hằng tháng": each month's report is due on a
    working day with exactly N working days after day D of that month (its last day when the month
    is shorter), and the rows come in the months' order."""
    from dvcq.core import phrases
    from dvcq.core.model import DayRef, Due, Plan, Rule, Source

    spec = phrases.parse_due(f"trong thời hạn {n} ngày làm việc kể từ ngày {day} hằng tháng", "month")
    assert spec == {"by": {"after": {"day": day}, "working_days": n}}
    rule = Rule(id="m", title="m", every="month", source=Source("1", "x"),
                due=Due("by", DayRef(after="day", anchor=DayRef(day=day, period_month=-1), count=n, working=True)))
    plan = Plan(id="p", issuer="x", document="", issued=None, issued_text="", years=(year,), title="", roll="next",
                rules=(rule,), path="p.yaml")
    rows = schedule(plan, year, cal).deadlines
    assert [d.span.number for d in rows] == list(range(1, 13))
    for d in rows:
        last = (dt.date(year, d.span.number % 12 + 1, 1) if d.span.number < 12 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
        anchor = dt.date(year, d.span.number, min(day, last.day))
        assert d.due > anchor and cal.is_working_day(d.due) and d.effective_due == d.due
        assert sum(cal.is_working_day(anchor + dt.timedelta(days=k)) for k in range(1, (d.due - anchor).days + 1)) == n
