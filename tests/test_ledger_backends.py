"""The ledger's library API, the same tests on every backend (`ledger_at` yields where a ledger lives).

The PostgreSQL runs need a server: DVCQ_TEST_PG=postgresql://... (.ci/run starts a throwaway one
and sets it). Each test gets a schema of its own in that database, dropped afterwards.
"""
import datetime as dt
import os
import secrets

import pytest

from dvcq.core.errors import DvcqError
from dvcq.ledger import Ledger, Submission

D = dt.date
PG_URL = os.environ.get("DVCQ_TEST_PG", "")
PG_HOW = "PostgreSQL tests need a server: set DVCQ_TEST_PG=postgresql://user@host/db or run .ci/run"


def need_pg():
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but DVCQ_TEST_PG is not set: .ci/run should have started PostgreSQL")
        pytest.skip(PG_HOW)


def with_search_path(url, schema):
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_schemas():
    """Makes fresh schemas in the test database: new() -> (schema, URL whose search_path is it)."""
    need_pg()
    made = []

    def new():
        schema = f"t_{secrets.token_hex(6)}"
        pg_admin(f"CREATE SCHEMA {schema}")
        made.append(schema)
        return schema, with_search_path(PG_URL, schema)

    yield new
    for schema in made:
        pg_admin(f"DROP SCHEMA {schema} CASCADE")


def pg_admin(statement, args=None, url=None):
    """One statement on a connection of its own (the server may have restarted since the last)."""
    import psycopg

    with psycopg.connect(url or PG_URL, autocommit=True) as conn:
        cursor = conn.execute(statement, args)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture(params=["sqlite", "postgresql"])
def place(request, tmp_path):
    """new_place() -> where a fresh, empty ledger can be made: an SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        counter = iter(range(1000))
        return lambda: tmp_path / f"ledger{next(counter)}.sqlite3"
    new = request.getfixturevalue("pg_schemas")
    return lambda: new()[1]


@pytest.fixture
def ledger_at(place):
    return place()


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


def test_missing_then_created_then_reopened(ledger_at):
    from dvcq.ledger import LedgerMissing

    with pytest.raises(LedgerMissing) as err:
        Ledger.open(ledger_at, create=False)
    assert err.value.explicit is True and "no ledger here yet" in str(err.value) and "\n" not in str(err.value)
    with Ledger.open(ledger_at) as made:
        assert made.created is True and made.submissions() == []
        made.record(S("2024"))
    with Ledger.open(ledger_at, create=False) as again:
        assert again.created is False and len(again.submissions()) == 1


def test_text_no_backend_can_store_is_refused(ledger):
    for bad, message in [("CV \udcff", "note: not valid UTF-8 text"), ("CV\x001", "note: contains a NUL character")]:
        with pytest.raises(DvcqError, match=message):
            ledger.record(S("2024", note=bad))
        with pytest.raises(DvcqError, match=message):
            ledger.record_many([S("2023"), S("2024", note=bad)])
    assert ledger.submissions() == []
    assert ledger.record(S("2024", "Sở Nội vụ", note="Công văn số 12/UBND — đã gửi")) is None
    assert ledger.submissions()[0].note == "Công văn số 12/UBND — đã gửi"


def test_record_undo_and_submissions_as_before(ledger):
    assert ledger.record(S("2024", "u", note="CV 12/UBND", recorded_by="vanthu")) is None
    again = ledger.record(S("2024", "u", on=D(2024, 2, 2)))
    assert again is not None and again.submitted_on == D(2024, 1, 10) and again.note == "CV 12/UBND"
    [row] = ledger.submissions()
    # who: as told on SQLite (the OS login dvcq passes); on PostgreSQL the server's current_user,
    # whatever the client says
    who = "vanthu" if ledger.backend == "sqlite" else ledger.conn.execute("SELECT current_user").fetchone()[0]
    assert (row.plan, row.report, row.period, row.unit, row.submitted_on, row.note, row.recorded_by) == (
        "p", "r", "2024", "u", D(2024, 1, 10), "CV 12/UBND", who)
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
        ledger.conn.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF NEW.unit = '{unit}' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; RETURN NEW; END $$")
        ledger.conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON dvcq_submissions FOR EACH ROW EXECUTE FUNCTION refuse()")


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


def test_copy_ledger_copies_every_row_and_verifies(ledger, place):
    from dvcq.ledger import copy_ledger

    ledger.record_many(many(700, note="CV 1/UBND", recorded_by="vanthu") + [S("2024", "ghi chú", note=None)])
    original = ledger.submissions()
    with Ledger.open(place()) as dst:
        report = copy_ledger(ledger, dst)
        assert report["rows_src"] == report["rows_dst"] == 701 and report["copied"] == 701
        assert report["checksum_src"] == report["checksum_dst"]
        assert dst.submissions() == original  # recorded_at and recorded_by kept
        again = copy_ledger(ledger, dst)  # a rerun (say after an interruption) adds nothing
        assert (again["copied"], again["already"], again["checksum_dst"]) == (0, 701, report["checksum_dst"])
        # and back: the copy holds the same rows, so copying it into the original changes nothing
        assert copy_ledger(dst, ledger)["copied"] == 0


def test_copy_ledger_refuses_a_destination_holding_other_rows(ledger, place):
    from dvcq.ledger import copy_ledger

    ledger.record_many(many(50))
    with Ledger.open(place()) as dst:
        dst.record(S("2000-01", "u0", on=D(2024, 2, 2)))  # same key, another date
        with pytest.raises(DvcqError, match="differ"):
            copy_ledger(ledger, dst)
        assert len(dst.submissions()) == 1
    with Ledger.open(place()) as dst:
        dst.record(S("1990", "only-here"))
        with pytest.raises(DvcqError, match="differ"):
            copy_ledger(ledger, dst)
        assert len(dst.submissions()) == 1
