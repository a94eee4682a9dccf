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


def many(n, unit="u", on=D(2024, 1, 10), **kw):
    return [S(f"{2000 + i // 12}-{i % 12 + 1:02d}", f"{unit}{i % 17}", on, **kw) for i in range(n)]


def test_record_many_is_idempotent_and_counts(ledger):
    subs = many(300, note="CV", recorded_by="import")
    assert ledger.record_many(subs) == (300, 0)
    assert ledger.record_many(subs) == (0, 300)
    assert ledger.record_many(subs[:10] + many(320)[300:] + subs[:1]) == (20, 11)  # in-list repeats are "already"
    assert len(ledger.submissions()) == 320
    assert ledger.record_many([]) == (0, 0)


def test_record_many_is_all_or_nothing(ledger):
    ledger.record(S("1999", "kept"))
    bad = many(50) + [S("2024", "x", note="CV \udcff")] + many(60, unit="w")
    with pytest.raises(DvcqError, match="note: not valid UTF-8 text"):
        ledger.record_many(bad)
    assert [s.unit for s in ledger.submissions()] == ["kept"]
    with pytest.raises(DvcqError, match="submitted_on: expected a date"):
        ledger.record_many(many(5) + [S("2024", "x", on="2024-01-01")])
    assert len(ledger.submissions()) == 1


def test_record_many_rolls_back_on_an_error_from_the_database(ledger, ledger_at):
    """A failure inside the database half-way through (here a trigger refusing one row) leaves
    nothing of the batch behind."""
    add_refusing_trigger(ledger, unit="refused")
    subs = many(500) + [S("2024", "refused")] + many(500, unit="w")
    with pytest.raises(DvcqError) as err:
        ledger.record_many(subs)
    assert "\n" not in str(err.value)
    assert ledger.submissions() == []
    assert ledger.record_many(many(500)) == (500, 0)  # and the ledger is usable afterwards


def add_refusing_trigger(ledger, unit):
    if ledger.backend == "sqlite":
        ledger.conn.execute(f"CREATE TEMP TRIGGER refuse BEFORE INSERT ON submissions WHEN NEW.unit = '{unit}'"
                            " BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
    else:
        raise AssertionError(ledger.backend)


def test_record_many_of_ten_thousand_is_fast(ledger):
    import time

    subs = [S(f"{2000 + i // 1000}-{i % 12 + 1:02d}", f"unit-{i % 1000}") for i in range(10_000)]
    assert len({(s.period, s.unit) for s in subs}) == 10_000
    start = time.perf_counter()
    assert ledger.record_many(subs) == (10_000, 0)
    first = time.perf_counter() - start
    start = time.perf_counter()
    assert ledger.record_many(subs) == (0, 10_000)
    again = time.perf_counter() - start
    assert first < 1.0 and again < 1.0, (first, again)
    assert len(ledger.sent_dates([])) == 10_000


def test_integrity_of_a_sound_ledger_is_empty(ledger):
    assert ledger.integrity() == []
    ledger.record_many(many(1000))
    assert ledger.integrity() == []


def other_place(ledger_at, tmp_path, name):
    return tmp_path / f"{name}.sqlite3"


def test_copy_ledger_copies_every_row_and_verifies(ledger, ledger_at, tmp_path):
    from dvcq.ledger import copy_ledger

    ledger.record_many(many(700, note="CV 1/UBND", recorded_by="vanthu") + [S("2024", "ghi chú", note=None)])
    original = ledger.submissions()
    with Ledger.open(other_place(ledger_at, tmp_path, "copy")) as dst:
        report = copy_ledger(ledger, dst)
        assert report["rows_src"] == report["rows_dst"] == 701 and report["copied"] == 701
        assert report["checksum_src"] == report["checksum_dst"]
        assert dst.submissions() == original  # recorded_at and recorded_by kept
        again = copy_ledger(ledger, dst)  # a rerun (say after an interruption) adds nothing
        assert (again["copied"], again["already"], again["checksum_dst"]) == (0, 701, report["checksum_dst"])
        # and back: the copy holds the same rows, so copying it into the original changes nothing
        assert copy_ledger(dst, ledger)["copied"] == 0


def test_copy_ledger_refuses_a_destination_holding_other_rows(ledger, ledger_at, tmp_path):
    from dvcq.ledger import copy_ledger

    ledger.record_many(many(50))
    with Ledger.open(other_place(ledger_at, tmp_path, "differs")) as dst:
        dst.record(S("2000-01", "u0", on=D(2024, 2, 2)))  # same key, another date
        with pytest.raises(DvcqError, match="differ"):
            copy_ledger(ledger, dst)
        assert len(dst.submissions()) == 1
    with Ledger.open(other_place(ledger_at, tmp_path, "extra")) as dst:
        dst.record(S("1990", "only-here"))
        with pytest.raises(DvcqError, match="differ"):
            copy_ledger(ledger, dst)
        assert len(dst.submissions()) == 1
