"""The ledger's library API, the same tests on every backend (`ledger_at` yields where a ledger lives)."""
import datetime as dt

import pytest

from dvcq.errors import DvcqError
from dvcq.ledger import Ledger, Submission

D = dt.date


@pytest.fixture(params=["sqlite"])
def ledger_at(request, tmp_path):
    """Where a fresh, empty ledger can be made: an SQLite path."""
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def ledger(ledger_at):
    with Ledger.open(ledger_at) as opened:
        yield opened


def S(period, unit="", on=D(2024, 1, 10), report="r", plan="p", **kw):
    return Submission(plan, report, period, unit, on, **kw)


LABELS = ["2023", "2023-12", "2023-Q4", "2023-H2", "2024", "2024-01", "2024-05", "2024-12", "2024-Q1", "2024-Q4",
          "2024-H1", "2024-H2", "2024-9M", "2025", "2025-01", "2025-Q1", "2026", "2026-9M", "2027-H1"]


def test_sent_dates_selects_the_periods_of_the_given_years(ledger):
    for n, label in enumerate(LABELS):
        ledger.record(S(label, on=D(2024, 1, 1) + dt.timedelta(days=n)))
    periods = lambda years: sorted(k[2] for k in ledger.sent_dates(years))  # noqa: E731
    assert periods([2024]) == [p for p in sorted(LABELS) if p.startswith("2024")]
    assert periods(["2023", "2024", "2025"]) == [p for p in sorted(LABELS) if p[:4] in ("2023", "2024", "2025")]
    assert periods([2023, 2025]) == [p for p in sorted(LABELS) if p[:4] in ("2023", "2025")]  # not contiguous
    assert periods([2030]) == []
    assert periods([]) == sorted(LABELS)  # as before: no years, every row
    sent = ledger.sent_dates([2024])
    assert sent[("p", "r", "2024-9M", "")] == (D(2024, 1, 1) + dt.timedelta(days=LABELS.index("2024-9M"))).isoformat()


def test_as_of_sees_only_what_was_sent_by_then(ledger):
    ledger.record(S("2024-Q1", "a", D(2024, 3, 10)))
    ledger.record(S("2024-Q1", "b", D(2024, 3, 14)))
    ledger.record(S("2024-Q1", "c", D(2024, 3, 15)))
    assert sorted(k[3] for k in ledger.sent_dates([2024], as_of=D(2024, 3, 14))) == ["a", "b"]
    assert sorted(k[3] for k in ledger.sent_dates([2024], as_of=D(2024, 3, 9))) == []
    assert len(ledger.sent_dates([2024])) == 3
    assert [s.unit for s in ledger.submissions(as_of=D(2024, 3, 14))] == ["a", "b"]
    assert [s.unit for s in ledger.submissions(plan="p", period="2024-Q1", as_of=D(2024, 3, 15))] == ["a", "b", "c"]
    assert ledger.submissions(unit="c", as_of=D(2024, 3, 14)) == []


def test_record_undo_and_submissions_as_before(ledger):
    assert ledger.record(S("2024", "u", note="CV 12/UBND", recorded_by="vanthu")) is None
    again = ledger.record(S("2024", "u", on=D(2024, 2, 2)))
    assert again is not None and again.submitted_on == D(2024, 1, 10) and again.note == "CV 12/UBND"
    [row] = ledger.submissions()
    assert (row.plan, row.report, row.period, row.unit, row.submitted_on, row.note, row.recorded_by) == (
        "p", "r", "2024", "u", D(2024, 1, 10), "CV 12/UBND", "vanthu")
    assert row.recorded_at.endswith("+00:00")
    assert ledger.undo("p", "r", "2024", "u") == row
    assert ledger.undo("p", "r", "2024", "u") is None
    assert ledger.submissions() == []
