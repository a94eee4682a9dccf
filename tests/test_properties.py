"""Rules that hold for every date, checked over many years and generated rules."""
import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dvcq.core.engine import PERIODS_PER_YEAR, Period, add_months, apply_roll, resolve, schedule
from dvcq.core.model import DayRef, Due, Plan, Rule, Source, Window

YEARS = st.integers(min_value=1996, max_value=2080)
SRC = Source("test", "test")


def plan_with(*rules, years=(2024,)) -> Plan:
    return Plan(id="p", issuer="x", document="", issued=None, issued_text="", years=years, title="",
                roll="next", rules=tuple(rules), path="p.yaml")


@st.composite
def recurring_rules(draw):
    every = draw(st.sampled_from(["month", "quarter", "half", "year"]))
    kind = draw(st.sampled_from(["before", "by"]))
    form = draw(st.sampled_from(["period_month", "month"]))
    day = draw(st.integers(1, 28) | st.just("last"))
    if form == "month":
        ref = DayRef(day=day, month=draw(st.integers(1, 12)), year_offset=draw(st.integers(-1, 1)))
    else:
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[every]
        ref = DayRef(day=day, period_month=draw(st.sampled_from([1, -1, months])),
                     months_offset=draw(st.integers(-2, 2)))
    n = PERIODS_PER_YEAR[every]
    subset = draw(st.none() | st.sets(st.integers(1, n), min_size=1).map(lambda s: tuple(sorted(s))))
    return Rule(id="r", title="r", every=every, due=Due(kind, ref), source=SRC, periods=subset)


@settings(max_examples=300, deadline=None)
@given(rule=recurring_rules(), year=YEARS)
def test_effective_due_is_a_working_day_never_before_due(cal, rule, year):
    for d in schedule(plan_with(rule), year, cal, roll="next").deadlines:
        assert d.effective_due >= d.due
        assert cal.is_working_day(d.effective_due)
        # nothing between due and effective_due was a working day
        day = d.due
        while day < d.effective_due:
            assert not cal.is_working_day(day)
            day += dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1996, 1, 1), dt.date(2080, 12, 31)))
def test_previous_and_keep_rolls(cal, day):
    back, _ = apply_roll(day, "previous", cal)
    assert back <= day and cal.is_working_day(back)
    assert apply_roll(day, "keep", cal)[0] == day


@settings(max_examples=300, deadline=None)
@given(rule=recurring_rules(), year=YEARS)
def test_every_period_of_a_recurring_report_has_exactly_one_row(cal, rule, year):
    rows = schedule(plan_with(rule), year, cal).deadlines
    counts = Counter(d.period for d in rows)
    expected = {Period(rule.every, year, n).label for n in (rule.periods or range(1, PERIODS_PER_YEAR[rule.every] + 1))}
    assert set(counts) == expected and set(counts.values()) == {1}


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(1, 28), year=YEARS)
def test_chained_monthly_windows_tile(cal, cut, year):
    """'Gửi trước ngày N, số liệu từ ngày N tháng trước tới ngày báo cáo': windows of consecutive
    months meet exactly, across the turn of the year too."""
    rule = Rule(id="monthly", title="m", every="month", due=Due("before", DayRef(day=cut, period_month=-1)),
                source=SRC, window=Window(DayRef(day=cut, period_month=1, months_offset=-1), None, "plan"))
    rows = list(schedule(plan_with(rule), year, cal).deadlines) + list(schedule(plan_with(rule), year + 1, cal).deadlines)
    for a, b in zip(rows, rows[1:]):
        assert b.window_start == a.window_end + dt.timedelta(days=1)
        assert a.window_end == a.due


@settings(max_examples=60, deadline=None)
@given(year=YEARS)
def test_thai_nguyen_monthly_windows_tile_and_merged_months_end_with_their_target(catalog, cal, year):
    """Thái Nguyên: the monthly rule's windows tile across all twelve months (merged ones too),
    and a merged month's window ends where the report absorbing it ends (months 3, 6, 9).
    December folds into an annual report whose window closes on 13/11: the YAML notes that quirk."""
    plan = catalog.edition("thai-nguyen", year)
    monthly = plan.rule("monthly")
    windows = []
    for m in range(1, 13):
        period = Period("month", year, m)
        start = resolve(monthly.window.start, period, plan.year)
        end = resolve(monthly.due.ref, period, plan.year) - dt.timedelta(days=1)
        windows.append((start, end))
    for (_, end), (start, _) in zip(windows, windows[1:]):
        assert start == end + dt.timedelta(days=1)
    rows = {(d.report, d.period): d for d in schedule(plan, year, cal).deadlines}
    for month in (3, 6, 9):
        merged = rows[("monthly", f"{year}-{month:02d}")]
        target = rows[tuple(merged.merged_into.split(":"))]
        start, end = windows[month - 1]
        assert target.window_start <= start and end == target.window_end


def test_add_months_round_trip():
    for y in (1999, 2024):
        for m in range(1, 13):
            for k in range(-25, 26):
                assert add_months(*add_months(y, m, k), -k) == (y, m)
