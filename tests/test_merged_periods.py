"""Lồng ghép beyond months: a quarter or a half folded into the longer report whose period ends
with it ("Báo cáo quý II lồng ghép vào báo cáo 6 tháng, báo cáo quý IV lồng ghép vào báo cáo năm"),
written `merged: {2: semiannual, 4: annual}` on the quarterly rule, as months are on a monthly one."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dvcq.core.engine import schedule
from dvcq.planfiles.loader import read_plan

PLAN = """id: thu-merged
issuer: UBND tỉnh Thử
years: [2025]
reports:
  - id: monthly
    title: Báo cáo tháng
    every: month
    due: {before: {day: 20}}
    merged: {6: semiannual, 12: annual}
  - id: quarterly
    title: Báo cáo quý
    every: quarter
    due: {before: {day: 20, period_month: -1}}
    merged: {2: semiannual, 4: annual}
  - id: semiannual
    title: Báo cáo 6 tháng
    every: half
    periods: [1]
    due: {before: {day: 20, period_month: -1}}
  - id: annual
    title: Báo cáo năm
    every: year
    due: {before: {day: 1, month: 12}}
"""


def load(text: str):
    plan, found, _ = read_plan(Path("p.yaml"), text.encode("utf-8"))
    return plan, [(p.line, p.col, p.code, str(p.message)) for p in found]


def test_a_quarter_folds_into_the_report_whose_period_ends_with_it(cal):
    plan, found = load(PLAN)
    assert found == []
    rows = {(d.rule.id, d.span.label): d for d in schedule(plan, 2025, cal).deadlines}
    q1, q2, q3, q4 = (rows[("quarterly", f"2025-Q{n}")] for n in (1, 2, 3, 4))
    # Q1 and Q3 keep their own deadlines: "trước ngày 20" of March and September: 19/03, 19/09
    assert (q1.due, q1.merged_into) == (dt.date(2025, 3, 19), None)
    assert (q3.due, q3.merged_into) == (dt.date(2025, 9, 19), None)
    # Q2 is owed inside the 6-month report of H1, Q4 inside the annual report: no date of their own
    assert q2.due is None and (q2.merged_into.rule.id, q2.merged_into.period.label) == ("semiannual", "2025-H1")
    assert q4.due is None and (q4.merged_into.rule.id, q4.merged_into.period.label) == ("annual", "2025")
    # months fold as before: June into H1, December into the year
    assert rows[("monthly", "2025-06")].merged_into.period.label == "2025-H1"
    assert rows[("monthly", "2025-12")].merged_into.period.label == "2025"


@pytest.mark.parametrize("change,where,code,words", [
    # a quarter has no period 5
    ("merged: {2: semiannual, 4: annual}", "merged: {2: semiannual, 5: annual}", "bad-value", "1-4"),
    # the first quarter does not end a half-year: it cannot fold into one
    ("merged: {2: semiannual, 4: annual}", "merged: {1: semiannual, 4: annual}", "bad-reference", "period 1"),
    # a quarter cannot fold into a monthly report (not longer)
    ("merged: {2: semiannual, 4: annual}", "merged: {2: monthly, 4: annual}", "bad-reference", "period 2"),
    # the 6-month report lists only H1: Q4 cannot fold into its H2
    ("merged: {2: semiannual, 4: annual}", "merged: {2: semiannual, 4: semiannual}", "bad-reference", "period 4"),
    ("merged: {2: semiannual, 4: annual}", "merged: {2: semiannual, 4: nowhere}", "bad-reference", "'nowhere'"),
])
def test_a_fold_that_cannot_be_is_a_located_problem(change, where, code, words):
    plan, found = load(PLAN.replace(change, where))
    assert plan is None
    assert [f for f in found if f[0] == 14 and f[2] == code and words in f[3]], found


def test_an_annual_report_has_nothing_to_fold():
    plan, found = load(PLAN.replace("    due: {before: {day: 1, month: 12}}\n",
                                    "    due: {before: {day: 1, month: 12}}\n    merged: {1: semiannual}\n"))
    assert plan is None and [f for f in found if f[2] == "bad-value" and "merged" in f[3]], found
