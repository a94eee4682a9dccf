"""The rule shapes real regimes use, each written as a phrase, with dates worked out by hand.

Weekdays (from a printed calendar): 14/03/2026 Sat, 16/03/2026 Mon; 30/09/2026 Wed, 30/10/2026 Fri;
10/01/2027 Sun, 11/01/2027 Mon; 05/06/2026 Fri; 04/07/2026 Sat, 06/07/2026 Mon; 10/01/2026 Sat (a
Saturday worked, Công văn 12729/VPCP-KGVX), 09/01/2026 Fri; 31/12/2025 Wed, 01/01/2026 Thu (Tết Dương
lịch), 02/01/2026 Fri (off, swapped).
"""
import datetime as dt
import json

import pytest

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
