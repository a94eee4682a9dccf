"""Issue 21: a ledger that holds up at scoring time. Nothing is erased: every change is an event kept
for ever (recorded, corrected with --why, withdrawn with --undo --why), with when, who and from which
command; the state is what the events give; `--as-of D` reads the ledger as it stood on D.

Hà Giang's quarterly report of 2024-Q1 is due on 14/03/2024 (tests/test_ledger.py: on 10/06/2024 it
is 88 days overdue, and 10/06 - 88 days = 14/03). Sent on 20/03 it is 6 days late; on 13/03, on time.

PostgreSQL tests need DVCQ_TEST_PG (.ci/run starts a server whose `dvcq` superuser can create roles).
"""
import datetime as dt
import json
import multiprocessing
import secrets
import sqlite3

import pytest

from conftest import run_cli
from dvcq.core import clock
from dvcq.core.errors import DvcqError
from dvcq.ledger import Ledger, Submission
from dvcq.ledger.base import Event
from test_ledger_backends import PG_URL, pg_admin  # noqa: E402
from test_ledger_backends import ledger, ledger_at, pg_schemas, place  # noqa: F401,F811  (fixtures)

D = dt.date
Q1 = ("--plan", "ha-giang", "--report", "quarterly", "--period", "2024-Q1")


def cli(db, *args, user=None):
    env = {"LOGNAME": user, "USER": user} if user else None
    r = run_cli(*args, "--db", str(db), env=env)
    return r


def ok(r):
    assert r.returncode == 0, r.stderr
    return r.stdout


def history(db, *args):
    return json.loads(ok(cli(db, "history", "--format", "json", *args)))


def scorecard(db, as_of):
    [row] = json.loads(ok(cli(db, "scorecard", "--plan", "ha-giang", "--year", "2024", "--as-of", as_of,
                              "--format", "json")))["units"]
    return row["on_time"], row["late"], row["days_late"]


def today_vn() -> dt.date:
    return clock.today()


# -- item 1: history, not deletion ---------------------------------------------------------------
def full_story(db, first_user, second_user):
    """Recorded late, corrected to the day it was really sent, withdrawn, recorded again."""
    ok(cli(db, "submit", *Q1, "--on", "2024-03-20", "--note", "CV 15/UBND", user=first_user))
    said = ok(cli(db, "submit", *Q1, "--on", "2024-03-13", "--why", "sổ công văn đến ghi ngày 13/03", user=first_user))
    assert said.startswith("đã sửa:") and "13/03/2024" in said and "20/03/2024" in said
    said = ok(cli(db, "submit", *Q1, "--undo", "--why", "ghi nhầm đơn vị", user=second_user))
    assert said.startswith("đã rút:") and "lý do: ghi nhầm đơn vị" in said
    ok(cli(db, "submit", *Q1, "--on", "2024-03-13", "--note", "CV 15/UBND", user=second_user))


def test_record_correct_withdraw_record_again_as_two_users_sqlite(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    full_story(db, "lan", "minh")
    events = history(db)
    assert [(e["kind"], e["n"], e["recorded_by"], e["submitted_on"], e["why"]) for e in events] == [
        ("recorded", 1, "lan", "2024-03-20", None),
        ("corrected", 2, "lan", "2024-03-13", "sổ công văn đến ghi ngày 13/03"),
        ("withdrawn", 3, "minh", None, "ghi nhầm đơn vị"),
        ("recorded", 4, "minh", "2024-03-13", None)]
    assert events[1]["note"] == "CV 15/UBND"  # a correction of the date keeps the note
    assert [e["source"] for e in events] == ["submit", "submit --why", "submit --undo", "submit"]
    # the state is the last event's
    [row] = json.loads(ok(cli(db, "submissions", "--format", "json")))["submissions"]
    assert row["submitted_on"] == "2024-03-13"
    # the ledger as it stood yesterday: the first record (6 days late); today: on time
    yesterday = (today_vn() - dt.timedelta(days=1)).isoformat()
    assert scorecard(db, yesterday) == (0, 1, 6)
    assert scorecard(db, today_vn().isoformat()) == (1, 0, 0)
    # CSV and the table say the same
    csv_text = ok(cli(db, "history", "--format", "csv"))
    assert csv_text.splitlines()[0].startswith("id,recorded_at,recorded_by,kind") and "ghi nhầm đơn vị" in csv_text
    table = ok(cli(db, "history", "--plan", "ha-giang", "--period", "2024-Q1", "--lang", "en"))
    assert table.count("\n") == 4 and "  minh  withdrawn  ha-giang quarterly 2024-Q1  why: ghi nhầm đơn vị" in table
    table = ok(cli(db, "history", "--plan", "ha-giang"))
    assert "  lan  sửa  ha-giang quarterly 2024-Q1 gửi ngày 13/03/2024 (CV 15/UBND)  lý do: sổ công văn" in table
    assert history(db, "--period", "2024-Q2") == []
    assert ok(cli(db, "ledger", "verify", "--lang", "en")).endswith(": ok\n")


def test_a_withdrawal_needs_a_reason_and_nothing_changes_without_one(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    ok(cli(db, "submit", *Q1, "--on", "2024-03-20"))
    r = cli(db, "submit", *Q1, "--undo")
    assert r.returncode == 2 and "--why" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli(db, "submit", *Q1, "--on", "2024-03-20", "--why", "lại", "--lang", "en")
    assert r.returncode == 2 and "nothing to correct" in r.stderr
    assert [e["kind"] for e in history(db)] == ["recorded"]


def test_an_import_names_its_file_and_row(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    sheet = tmp_path / "nop-bao-cao.csv"
    sheet.write_text("report,period,unit,sent_on,note\n"
                     "quarterly,2024-Q1,,2024-03-13,CV 1\n"
                     "quarterly,2024-Q2,,2024-06-13,CV 2\n", encoding="utf-8")
    r = cli(db, "submit", "--plan", "ha-giang", "--from", str(sheet))
    assert r.returncode == 0, r.stderr
    sources = {e["period"]: e["source"] for e in history(db)}
    assert sources == {"2024-Q1": "submit --from nop-bao-cao.csv row 2",
                       "2024-Q2": "submit --from nop-bao-cao.csv row 3"}


def events_story():
    """Recorded on 25/03 as sent 20/03; corrected on 10/04 (10:00 in Vietnam) to 13/03; withdrawn on
    01/05; recorded again on 02/05 as sent 14/03."""
    def e(n, kind, on, at):
        return Event(0, "p", "r", "2024-Q1", "u", n, kind, on, None, "why" if n > 1 else None, None, at, "lan")
    return [e(1, "recorded", D(2024, 3, 20), "2024-03-25T02:00:00+00:00"),
            e(2, "corrected", D(2024, 3, 13), "2024-04-10T03:00:00+00:00"),
            e(3, "withdrawn", None, "2024-05-01T02:00:00+00:00"),
            e(4, "recorded", D(2024, 3, 14), "2024-05-02T02:00:00+00:00")]


@pytest.mark.parametrize("day,sent", [
    (D(2024, 3, 19), None),            # not sent yet
    (D(2024, 3, 21), "2024-03-20"),    # the first record counts from the day sent, though typed in on 25/03
    (D(2024, 4, 9), "2024-03-20"),     # the correction was made on 10/04
    (D(2024, 4, 10), "2024-03-13"),    # ... at 10:00 in Vietnam: part of the ledger as it stood that day
    (D(2024, 5, 1), None),             # withdrawn
    (D(2024, 5, 2), "2024-03-14"),     # recorded again
    (None, "2024-03-14"),
])
def test_as_of_reads_the_ledger_as_it_stood(ledger, day, sent):
    assert ledger._insert_events(events_story()) == 4
    rows = ledger.submissions(as_of=day)
    assert [r.submitted_on.isoformat() for r in rows] == ([sent] if sent else [])
    assert ledger.sent_dates([2024], as_of=day).get(("p", "r", "2024-Q1", "u")) == sent
    assert ledger.sent_keys("p", [2024], as_of=day).get("r\t2024-Q1\tu") == sent
    assert ledger.verify() == []


def test_copy_keeps_the_whole_history(ledger, place):
    from dvcq.ledger import copy_ledger

    ledger._insert_events(events_story())
    with Ledger.open(place()) as other:
        report = copy_ledger(ledger, other)
        assert report["events_src"] == report["events_dst"] == 4 and report["rows_dst"] == 1
        assert [(e.kind, e.recorded_at, e.recorded_by, e.why) for e in other.history()] == [
            (e.kind, e.recorded_at, e.recorded_by, e.why) for e in events_story()]


# -- the migration: today's rows become "recorded" events, nothing lost --------------------------
OLD_ROWS = [("ha-giang", "quarterly", f"{y}-Q{q}", f"u{u}", f"{y}-0{q}-14", f"CV {y}{q}{u}" if u else None,
             f"2024-0{q}-0{u + 1}T08:00:00+00:00", "vanthu") for y in range(2020, 2025) for q in range(1, 5)
            for u in range(3)]


def test_a_schema_4_sqlite_ledger_becomes_its_history(tmp_path):
    from dvcq.ledger.sqlite import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:4]:
        for statement in statements:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executemany("INSERT INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at, recorded_by)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", OLD_ROWS)
    conn.commit()
    conn.close()
    with Ledger.open(path) as ledger:
        events = ledger.history()
        assert sorted((e.plan, e.report, e.period, e.unit, e.submitted_on.isoformat(), e.note, e.recorded_at,
                       e.recorded_by) for e in events) == sorted(OLD_ROWS)
        assert {(e.kind, e.n) for e in events} == {("recorded", 1)}
        assert sorted(ledger.rows()) == sorted(OLD_ROWS)
        assert ledger.integrity() == []


def test_a_schema_4_postgresql_ledger_becomes_its_history(pg_schemas):
    import psycopg
    from psycopg import sql

    from dvcq.ledger.postgres import PG_MIGRATIONS

    schema, url = pg_schemas()
    names = {"subs": sql.Identifier(schema, "dvcq_submissions"), "meta": sql.Identifier(schema, "dvcq_meta"),
             "events": sql.Identifier(schema, "dvcq_events"), "schema": sql.Identifier(schema)}
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for statements in PG_MIGRATIONS[:4]:
            for statement in statements:
                conn.execute(sql.SQL(statement).format(**names))
        conn.execute(sql.SQL("UPDATE {meta} SET value = '4' WHERE key = 'schema_version'").format(**names))
        with conn.cursor() as cursor:
            cursor.executemany(sql.SQL("INSERT INTO {subs} (plan, report, period, unit, submitted_on, note, recorded_at,"
                                       " recorded_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)").format(**names), OLD_ROWS)
    with Ledger.open(url) as ledger:
        events = ledger.history()
        assert sorted((e.plan, e.report, e.period, e.unit, e.submitted_on.isoformat(), e.note, e.recorded_at,
                       e.recorded_by) for e in events) == sorted(OLD_ROWS)
        assert {(e.kind, e.n) for e in events} == {("recorded", 1)}
        assert ledger.integrity() == []


# -- events are kept: nobody updates or deletes one ---------------------------------------------
def test_sqlite_events_are_never_updated_nor_deleted(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        ledger.record(Submission("p", "r", "2024", "", D(2024, 1, 10)))
    conn = sqlite3.connect(path)
    for statement in ("UPDATE events SET submitted_on = '2024-01-01'", "DELETE FROM events"):
        with pytest.raises(sqlite3.DatabaseError, match="kept for ever"):
            conn.execute(statement)
    conn.close()


@pytest.mark.usefixtures("english")
def test_verify_finds_a_missing_event_and_a_state_its_events_do_not_give(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    with Ledger.open(db) as ledger:
        ledger._insert_events(events_story())
    assert ok(cli(db, "ledger", "verify", "--lang", "en")).endswith(": ok\n")
    conn = sqlite3.connect(db)  # someone with the file and sqlite3 at hand
    conn.execute("DROP TRIGGER events_kept_delete")
    conn.execute("DELETE FROM events WHERE n = 2")
    conn.execute("UPDATE submissions SET submitted_on = '2024-03-01'")
    conn.commit()
    conn.close()
    r = cli(db, "ledger", "verify", "--lang", "en")
    assert r.returncode == 1
    assert "p r 2024-Q1 u: event 2 is missing (found 3 next)" in r.stdout
    assert "p r 2024-Q1 u: the ledger holds sent 2024-03-01 but its events give sent 2024-03-14" in r.stdout


# -- item 2 and 3: roles on a shared ledger, who and when from the server ------------------------
def as_role(url_with_path: str, role: str) -> str:
    """The same ledger, connecting as another role (the test server trusts its Unix socket)."""
    prefix, rest = url_with_path.split("@", 1)
    return f"postgresql://{role}@{rest}"


@pytest.fixture
def shared(pg_schemas):
    """A ledger on PostgreSQL and three logins given a role each with `dvcq ledger grant`."""
    schema, url = pg_schemas()
    tag = secrets.token_hex(3)
    logins = {role: f"{role}_{tag}" for role in ("reader", "clerk", "desk")}
    for name in logins.values():
        pg_admin(f"CREATE ROLE {name} LOGIN")
    try:
        for role, name in logins.items():
            r = run_cli("ledger", "grant", "--role", role, name, "--db", url)
            assert r.returncode == 0, r.stderr
            assert f"{name}: vai trò {role}" in r.stdout
        yield schema, url, logins
    finally:  # the logins own nothing and hold no privilege themselves, only a membership
        for name in logins.values():
            pg_admin(f"DROP ROLE IF EXISTS {name}")


def try_sql(url, statement, args=None):
    """Run one statement as the URL's role: None if it passed, else the SQLSTATE."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(statement, args)
            return None
        except psycopg.Error as exc:
            return exc.sqlstate


INSERT = ("INSERT INTO dvcq_events (plan, report, period, unit, kind, submitted_on, why)"
          " VALUES ('p', 'r', %s, '', %s, %s, 'test')")
DENIED = "42501"  # insufficient_privilege, also what a row-level policy or the keeping trigger says


def test_each_role_may_do_only_its_part_enforced_by_the_database(shared):
    schema, url, logins = shared
    reader, clerk, desk = (as_role(url, logins[r]) for r in ("reader", "clerk", "desk"))
    # a reader reads, and writes nothing
    assert try_sql(reader, "SELECT count(*) FROM dvcq_events") is None
    assert try_sql(reader, "SELECT count(*) FROM dvcq_submissions") is None
    assert try_sql(reader, INSERT, ("2024", "recorded", D(2024, 1, 1))) == DENIED
    # a clerk records and corrects, withdraws nothing
    assert try_sql(clerk, INSERT, ("2024", "recorded", D(2024, 1, 10))) is None
    assert try_sql(clerk, INSERT, ("2024", "corrected", D(2024, 1, 9))) is None
    assert try_sql(clerk, INSERT, ("2024", "withdrawn", None)) == DENIED
    # who and when are not the client's to say
    assert try_sql(clerk, "INSERT INTO dvcq_events (plan, report, period, unit, kind, submitted_on, recorded_by)"
                          " VALUES ('p', 'r', '2023', '', 'recorded', '2023-01-05', 'someone_else')") == DENIED
    assert try_sql(clerk, "INSERT INTO dvcq_events (plan, report, period, unit, kind, submitted_on, recorded_at)"
                          " VALUES ('p', 'r', '2023', '', 'recorded', '2023-01-05', '2023-01-05T00:00:00+00:00')") == DENIED
    # nor is the state: only the events' trigger writes it
    for role_url in (reader, clerk, desk):
        assert try_sql(role_url, "UPDATE dvcq_submissions SET submitted_on = '2024-01-01'") == DENIED
        assert try_sql(role_url, "DELETE FROM dvcq_submissions") == DENIED
    # only the desk withdraws
    assert try_sql(desk, INSERT, ("2024", "withdrawn", None)) is None
    # nobody updates or deletes an event: not a role, not the ledger's owner
    for role_url in (reader, clerk, desk, url):
        assert try_sql(role_url, "UPDATE dvcq_events SET submitted_on = '2020-01-01'") == DENIED
        assert try_sql(role_url, "DELETE FROM dvcq_events") == DENIED
        assert try_sql(role_url, "TRUNCATE dvcq_events") == DENIED
    with Ledger.open(url) as ledger:
        assert [(e.kind, e.recorded_by) for e in ledger.history()] == [
            ("recorded", logins["clerk"]), ("corrected", logins["clerk"]), ("withdrawn", logins["desk"])]
        assert ledger.submissions() == [] and ledger.integrity() == []
    # through dvcq: the clerk's withdrawal is refused by the server, in one line
    ok(cli(clerk, "submit", *Q1, "--on", "2024-03-20"))
    r = cli(clerk, "submit", *Q1, "--undo", "--why", "nhầm")
    assert r.returncode == 2 and "row-level security" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli(reader, "submit", "--plan", "ha-giang", "--report", "quarterly", "--period", "2024-Q2", "--on", "2024-06-13")
    assert r.returncode == 2 and "permission denied" in r.stderr


def test_record_correct_withdraw_record_again_as_two_roles_postgresql(shared):
    schema, url, logins = shared
    clerk, desk = as_role(url, logins["clerk"]), as_role(url, logins["desk"])
    # whatever the client's environment says, the server says who
    ok(cli(clerk, "submit", *Q1, "--on", "2024-03-20", "--note", "CV 15/UBND", user="mallory"))
    ok(cli(clerk, "submit", *Q1, "--on", "2024-03-13", "--why", "sổ công văn đến ghi ngày 13/03", user="mallory"))
    ok(cli(desk, "submit", *Q1, "--undo", "--why", "ghi nhầm đơn vị", user="mallory"))
    ok(cli(clerk, "submit", *Q1, "--on", "2024-03-13", user="mallory"))
    events = history(desk)
    assert [(e["kind"], e["n"], e["recorded_by"], e["submitted_on"]) for e in events] == [
        ("recorded", 1, logins["clerk"], "2024-03-20"), ("corrected", 2, logins["clerk"], "2024-03-13"),
        ("withdrawn", 3, logins["desk"], None), ("recorded", 4, logins["clerk"], "2024-03-13")]
    assert [e["source"] for e in events] == ["submit", "submit --why", "submit --undo", "submit"]
    yesterday = (today_vn() - dt.timedelta(days=1)).isoformat()
    assert scorecard(desk, yesterday) == (0, 1, 6)
    assert scorecard(desk, today_vn().isoformat()) == (1, 0, 0)


def test_postgresql_when_is_the_servers_clock(pg_schemas):
    schema, url = pg_schemas()
    with Ledger.open(url) as ledger:
        ledger.record(Submission("p", "r", "2024", "", D(2024, 1, 10), recorded_by="mallory",
                                 recorded_at="1999-01-01T00:00:00+00:00"))
        [event] = ledger.history()
        server_now = ledger.conn.execute("SELECT now()").fetchone()[0]
        me = ledger.conn.execute("SELECT current_user").fetchone()[0]
    at = dt.datetime.fromisoformat(event.recorded_at)
    assert event.recorded_by == me and abs((server_now - at).total_seconds()) < 60


# -- many writers at once -------------------------------------------------------------------------
def _writer(url, w, barrier):
    barrier.wait()
    with Ledger.open(url) as ledger:
        base = (w // 2) * 500  # writers 2k and 2k + 1 record the same 500 reports
        for k in range(500):
            ledger.record(Submission("p", "monthly", f"{2000 + (base + k) // 12}-{(base + k) % 12 + 1:02d}", "u",
                                     D(2024, 1, 10)))
        if w % 2 == 0:  # and one of them corrects 100 of them
            for k in range(100):
                ledger.correct(Submission("p", "monthly", f"{2000 + (base + k) // 12}-{(base + k) % 12 + 1:02d}", "u",
                                          D(2024, 1, 9)), "ngày trên dấu bưu điện")


def test_sixteen_writers_lose_and_duplicate_nothing(pg_schemas):
    schema, url = pg_schemas()
    Ledger.open(url).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(16)
    writers = [ctx.Process(target=_writer, args=(url, w, barrier)) for w in range(16)]
    for p in writers:
        p.start()
    for p in writers:
        p.join(300)
    assert [p.exitcode for p in writers] == [0] * 16
    with Ledger.open(url) as ledger:
        events = ledger.events()
        rows = ledger.submissions()
        assert len(rows) == 8 * 500 and len({(r.period, r.unit) for r in rows}) == 4000
        assert len(events) == 8 * 500 + 8 * 100
        assert sum(e.kind == "corrected" for e in events) == 800
        assert sum(r.submitted_on == D(2024, 1, 9) for r in rows) == 800
        assert ledger.integrity() == []


def test_sqlite_says_it_is_single_user(tmp_path):
    r = run_cli("ledger", "grant", "--role", "clerk", "lan", "--db", str(tmp_path / "l.sqlite3"), "--lang", "en")
    assert r.returncode == 2 and "single-user" in r.stderr
    assert not (tmp_path / "l.sqlite3").exists()  # refused before anything was made


def test_an_unknown_login_is_a_clear_error(pg_schemas):
    schema, url = pg_schemas()
    r = run_cli("ledger", "grant", "--role", "clerk", "no_such_login_x", "--db", url)
    assert r.returncode == 2 and "createuser" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    with pytest.raises(DvcqError):
        with Ledger.open(url) as ledger:
            ledger.grant("boss", "x")


def test_postgresql_verify_finds_a_state_written_behind_the_events_back(pg_schemas):
    schema, url = pg_schemas()
    with Ledger.open(url) as ledger:
        ledger._insert_events(events_story())
    assert ok(cli(url, "ledger", "verify", "--lang", "en")).endswith(": ok\n")
    pg_admin(f"UPDATE {schema}.dvcq_submissions SET submitted_on = '2024-03-01'")  # the owner, by hand
    r = cli(url, "ledger", "verify", "--lang", "en")
    assert r.returncode == 1
    assert "p r 2024-Q1 u: the ledger holds sent 2024-03-01 but its events give sent 2024-03-14" in r.stdout


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
