"""Every rule of every seed plan, with dates worked out by hand from the quoted sentence.

Weekdays used below (checked against a printed calendar): 13/01/2024 Sat, 13/02/2024 is Mùng 4
Tết Giáp Thìn (Tết 10/02/2024; days off 08-14/02), 13/04/2024 Sat, 13/07/2024 Sat, 13/10/2024
Sun, 14/09/2024 Sat, 14/12/2024 Sat, 09/03/2024 Sat, 09/06/2024 Sun, 09/11/2024 Sat,
31/03/2024 Sun, 30/06/2024 Sun, 14/12/2025 Sun, 31/10/2026 Sat.
"""
import pytest

from dvcq.core.engine import schedule

from conftest import D

# (plan, year, report, period, due, effective_due, window_start, window_end, merged_into)
N = None
CASES = [
    # Thái Nguyên IV.9 "Báo cáo tháng: Gửi trước ngày 14 của tháng, số liệu từ ngày 14 tháng trước
    # tới ngày báo cáo": due the 13th, window 14th of the previous month to the 13th.
    ("thai-nguyen", 2024, "monthly", "2024-01", "13/01/2024", "15/01/2024", "14/12/2023", "13/01/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-02", "13/02/2024", "15/02/2024", "14/01/2024", "13/02/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-03", N, N, N, N, "quarterly:2024-Q1"),
    ("thai-nguyen", 2024, "monthly", "2024-04", "13/04/2024", "15/04/2024", "14/03/2024", "13/04/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-05", "13/05/2024", "13/05/2024", "14/04/2024", "13/05/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-06", N, N, N, N, "semiannual:2024-H1"),
    ("thai-nguyen", 2024, "monthly", "2024-07", "13/07/2024", "15/07/2024", "14/06/2024", "13/07/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-08", "13/08/2024", "13/08/2024", "14/07/2024", "13/08/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-09", N, N, N, N, "quarterly:2024-Q3"),
    ("thai-nguyen", 2024, "monthly", "2024-10", "13/10/2024", "14/10/2024", "14/09/2024", "13/10/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-11", "13/11/2024", "13/11/2024", "14/10/2024", "13/11/2024", N),
    ("thai-nguyen", 2024, "monthly", "2024-12", N, N, N, N, "annual:2024"),
    # "Báo cáo quý I và quý III: Gửi trước ngày 19 của tháng cuối quý": 18/3 and 18/9; window is
    # the quarter's three monthly windows (choice recorded in the YAML).
    ("thai-nguyen", 2024, "quarterly", "2024-Q1", "18/03/2024", "18/03/2024", "14/12/2023", "13/03/2024", N),
    ("thai-nguyen", 2024, "quarterly", "2024-Q3", "18/09/2024", "18/09/2024", "14/06/2024", "13/09/2024", N),
    # "Báo cáo 6 tháng: Gửi trước ngày 14/6 hằng năm"
    ("thai-nguyen", 2024, "semiannual", "2024-H1", "13/06/2024", "13/06/2024", "14/12/2023", "13/06/2024", N),
    # "Báo cáo năm: Gửi trước ngày 14/11 hằng năm; mốc số liệu ... từ ngày 14/11 năm trước đến ngày báo cáo"
    ("thai-nguyen", 2024, "annual", "2024", "13/11/2024", "13/11/2024", "14/11/2023", "13/11/2024", N),
    # Phụ lục: completion periods, due on the period's last day
    ("thai-nguyen", 2024, "task-1", "2024-03", "31/03/2024", "01/04/2024", N, N, N),
    ("thai-nguyen", 2024, "task-5", "2024-Q4", "31/12/2024", "31/12/2024", N, N, N),
    ("thai-nguyen", 2024, "task-16", "2024-Q2", "30/06/2024", "01/07/2024", N, N, N),
    ("thai-nguyen", 2024, "task-16", "2024-Q3", "30/09/2024", "30/09/2024", N, N, N),
    ("thai-nguyen", 2024, "task-3", "2024", "31/12/2024", "31/12/2024", N, N, N),
    # Hà Giang II.11 "Báo cáo quý: trước ngày 15 tháng cuối của quý"; no window in the text, so
    # Decree 09/2019 art. 12: 15th of the month before the quarter to the 14th of its last month.
    ("ha-giang", 2024, "quarterly", "2024-Q1", "14/03/2024", "14/03/2024", "15/12/2023", "14/03/2024", N),
    ("ha-giang", 2024, "quarterly", "2024-Q2", "14/06/2024", "14/06/2024", "15/03/2024", "14/06/2024", N),
    ("ha-giang", 2024, "quarterly", "2024-Q3", "14/09/2024", "16/09/2024", "15/06/2024", "14/09/2024", N),
    ("ha-giang", 2024, "quarterly", "2024-Q4", "14/12/2024", "16/12/2024", "15/09/2024", "14/12/2024", N),
    # "Báo cáo 6 tháng đầu năm: trước ngày 15/5/2024." / "Báo cáo năm: trước 15/11/2024."
    ("ha-giang", 2024, "semiannual", "2024-H1", "14/05/2024", "14/05/2024", "15/12/2023", "14/06/2024", N),
    ("ha-giang", 2024, "annual", "2024", "14/11/2024", "14/11/2024", "15/12/2023", "14/12/2024", N),
    # III.1 "... gửi UBND tỉnh ... trước ngày 29/02/2024."
    ("ha-giang", 2024, "plan-submission", "2024", "28/02/2024", "28/02/2024", N, N, N),
    # Sở GTVT II.11: the department to the province, as the provincial plan
    ("ha-giang-sgtvt", 2024, "quarterly", "2024-Q1", "14/03/2024", "14/03/2024", "15/12/2023", "14/03/2024", N),
    ("ha-giang-sgtvt", 2024, "quarterly", "2024-Q3", "14/09/2024", "16/09/2024", "15/06/2024", "14/09/2024", N),
    ("ha-giang-sgtvt", 2024, "semiannual", "2024-H1", "14/05/2024", "14/05/2024", "15/12/2023", "14/06/2024", N),
    ("ha-giang-sgtvt", 2024, "annual", "2024", "14/11/2024", "14/11/2024", "15/12/2023", "14/12/2024", N),
    # III.3, the units to the department: "báo cáo quý trước ngày 10 tháng cuối quý; báo cáo 6
    # tháng đầu năm trước ngày 10/5/2023 [read 2024], báo cáo năm trước 10/11/2024"
    ("ha-giang-sgtvt", 2024, "unit-quarterly", "2024-Q1", "09/03/2024", "11/03/2024", "15/12/2023", "14/03/2024", N),
    ("ha-giang-sgtvt", 2024, "unit-quarterly", "2024-Q2", "09/06/2024", "10/06/2024", "15/03/2024", "14/06/2024", N),
    ("ha-giang-sgtvt", 2024, "unit-quarterly", "2024-Q3", "09/09/2024", "09/09/2024", "15/06/2024", "14/09/2024", N),
    ("ha-giang-sgtvt", 2024, "unit-quarterly", "2024-Q4", "09/12/2024", "09/12/2024", "15/09/2024", "14/12/2024", N),
    ("ha-giang-sgtvt", 2024, "unit-semiannual", "2024-H1", "09/05/2024", "09/05/2024", "15/12/2023", "14/06/2024", N),
    ("ha-giang-sgtvt", 2024, "unit-annual", "2024", "09/11/2024", "11/11/2024", "15/12/2023", "14/12/2024", N),
    # Hậu Giang III.2 "... trình UBND tỉnh trước ngày 29 tháng 11 năm 2024."
    ("hau-giang", 2024, "annual", "2024", "28/11/2024", "28/11/2024", "15/12/2023", "14/12/2024", N),
    # Tây Ninh IV.1 "chậm nhất 28/3/2025" (inclusive), "trước ngày 15/11/2025"; IV.2.a "trước ngày 15/12/2025"
    ("tay-ninh", 2025, "plan-submission", "2025", "28/03/2025", "28/03/2025", N, N, N),
    ("tay-ninh", 2025, "self-assessment", "2025", "14/11/2025", "14/11/2025", N, N, N),
    ("tay-ninh", 2025, "scoring-decision", "2025", "14/12/2025", "15/12/2025", N, N, N),
    # IV.3 "Báo cáo 6 tháng: Trước ngày 20/5/2025." "Báo cáo năm 2025: Trước ngày 01/11/2025."
    ("tay-ninh", 2025, "semiannual", "2025-H1", "19/05/2025", "19/05/2025", "15/12/2024", "14/06/2025", N),
    ("tay-ninh", 2025, "annual", "2025", "31/10/2025", "31/10/2025", "15/12/2024", "14/12/2025", N),
    # projected years: the recurring rules applied to a year the plan does not cover
    ("thai-nguyen", 2025, "monthly", "2025-02", "13/02/2025", "13/02/2025", "14/01/2025", "13/02/2025", N),
    ("thai-nguyen", 2025, "annual", "2025", "13/11/2025", "13/11/2025", "14/11/2024", "13/11/2025", N),
    ("ha-giang", 2025, "semiannual", "2025-H1", "14/05/2025", "14/05/2025", "15/12/2024", "14/06/2025", N),
    ("tay-ninh", 2026, "annual", "2026", "31/10/2026", "02/11/2026", "15/12/2025", "14/12/2026", N),
    # "hàng năm": "trước ngày 15/11" in 2026 is Saturday 14/11 → Monday 16/11; "trước ngày 15/12" is Monday 14/12
    ("tay-ninh", 2026, "self-assessment", "2026", "14/11/2026", "16/11/2026", N, N, N),
    ("tay-ninh", 2026, "scoring-decision", "2026", "14/12/2026", "14/12/2026", N, N, N),
]


def _date(text):
    return None if text is None else D(text)


@pytest.mark.parametrize("plan_id,year,report,period,due,effective,wstart,wend,merged", CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_rule(catalog, cal, plan_id, year, report, period, due, effective, wstart, wend, merged):
    plan = catalog.edition(plan_id, year)
    rows = [d for d in schedule(plan, year, cal).deadlines if d.report == report and d.period == period]
    assert len(rows) == 1, f"expected one row for {report} {period}, got {len(rows)}"
    d = rows[0]
    assert (d.due, d.effective_due) == (_date(due), _date(effective))
    assert (d.window_start, d.window_end) == (_date(wstart), _date(wend))
    assert d.merged_into == merged
    assert d.projected == (year not in plan.years)


def test_every_rule_of_every_seed_plan_is_covered(catalog):
    """A rule added to a plan without a hand-checked row above fails here."""
    covered = {(c[0], c[2]) for c in CASES}
    tasks_checked_by_pattern = {"thai-nguyen"}  # its 'Năm 2024' tasks share task-3's rule shape
    for plan in catalog.plans:
        for rule in plan.rules:
            if rule.is_task and plan.id in tasks_checked_by_pattern:
                continue
            assert (plan.id, rule.id) in covered, f"{plan.id}/{rule.id} has no hand-checked case"


def test_merged_months_are_not_deadlines(catalog, cal):
    rows = schedule(catalog.edition("thai-nguyen", 2024), 2024, cal).deadlines
    monthly = {d.period: d for d in rows if d.report == "monthly"}
    assert sorted(p for p, d in monthly.items() if d.merged_into) == ["2024-03", "2024-06", "2024-09", "2024-12"]
    assert all(d.due is None and d.effective_due is None for d in monthly.values() if d.merged_into)


def test_two_tier_chain_units_report_before_the_department(catalog, cal):
    """Sở GTVT: units → department before the 10th; department → province before the 15th."""
    plan = catalog.edition("ha-giang-sgtvt", 2024)
    rows = schedule(plan, 2024, cal).deadlines
    by_key = {(d.report, d.period): d for d in rows}
    for rule in plan.rules:
        if not rule.feeds:
            continue
        for d in rows:
            if d.report == rule.id:
                outer = by_key[(rule.feeds, d.period)]
                assert d.due < outer.due
                assert d.recipient.startswith("Sở Giao thông vận tải") and outer.sender == "Sở Giao thông vận tải"


def test_projected_year_leaves_out_one_offs_and_tasks(catalog, cal):
    plan = catalog.edition("tay-ninh", 2026)
    rows = schedule(plan, 2026, cal).deadlines
    # the self-assessment and the scoring recur ("hàng năm", IV.2.a); the plan's own one-off does not
    assert {d.report for d in rows} == {"semiannual", "annual", "self-assessment", "scoring-decision"}
    assert all(d.projected for d in rows)
    tn = schedule(catalog.edition("thai-nguyen", 2025), 2025, cal).deadlines
    assert not any(d.report.startswith("task-") for d in tn)


@pytest.mark.parametrize("roll,expected", [("next", "15/02/2024"), ("previous", "07/02/2024"), ("keep", "13/02/2024")])
def test_roll_choices_for_tet_2024(catalog, cal, roll, expected):
    """February's report is due 13/02/2024, Mùng 4 Tết. Civil servants were off Thursday 08/02
    (29 Tết) to Wednesday 14/02: next lands on Thursday 15/02, previous on Wednesday 07/02."""
    plan = catalog.edition("thai-nguyen", 2024)
    d = next(x for x in schedule(plan, 2024, cal, roll=roll).deadlines if x.period == "2024-02")
    assert d.due == D("13/02/2024")
    assert d.effective_due == D(expected)
