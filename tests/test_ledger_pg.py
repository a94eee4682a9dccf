"""The shared ledger on a real PostgreSQL server: what only a server brings. Schema ownership,
migrations, passwords and libpq's environment, 16 writer processes, a writer killed mid-transaction,
the server restarted mid-run. Needs DVCQ_TEST_PG (set by .ci/run); skipped otherwise."""
import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from dvcq.core.errors import DvcqError
from dvcq.ledger import SCHEMA_VERSION, Ledger, LedgerMissing, Submission, copy_ledger
from test_ledger_backends import PG_URL, need_pg, pg_admin, pg_schemas, with_search_path  # noqa: F401 (fixture)

D = dt.date
pytestmark = pytest.mark.usefixtures("pg_required")


@pytest.fixture
def pg_required():
    need_pg()


@pytest.fixture
def fresh(pg_schemas):  # noqa: F811
    """(schema, URL) of an empty schema of its own."""
    return pg_schemas()


def S(period, unit="", on=D(2024, 1, 10), **kw):
    return Submission("p", "r", period, unit, on, **kw)


def server():
    """The test server's address for TCP (host, port, database); skips if it listens on no TCP address."""
    import psycopg

    with psycopg.connect(PG_URL) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()[0]
        port = conn.execute("SHOW port").fetchone()[0]
        db = conn.info.dbname
    if not listen or listen == "*":
        host = "127.0.0.1" if listen == "*" else None
    else:
        host = listen.split(",")[0].strip()
    if not host:
        pytest.skip("the test server listens on no TCP address")
    return host, int(port), db


@pytest.fixture
def role(fresh):
    """A login role with a password that may create in the test schema; (name, password, schema)."""
    schema, _ = fresh
    name, password = f"dvcq_pw_{secrets.token_hex(4)}", f"Mật-khẩu:@/?#%{secrets.token_hex(6)}"
    from psycopg import sql

    pg_admin(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
    pg_admin(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {name}")
    yield name, password, schema
    pg_admin(f"DROP OWNED BY {name}")
    pg_admin(f"DROP ROLE {name}")


def quote(text):
    from urllib.parse import quote as q

    return q(text, safe="")


def assert_hidden(exc_or_text, *secret_list):
    texts = [str(exc_or_text), repr(exc_or_text)]
    if isinstance(exc_or_text, BaseException):
        assert exc_or_text.__context__ is None and exc_or_text.__cause__ is None  # no libpq text riding along
    for text in texts:
        for secret in secret_list:
            assert secret not in text, text


# -- schema ---------------------------------------------------------------------------------------
def test_other_tables_are_fine_and_a_foreign_table_of_our_name_is_refused_untouched(fresh, pg_schemas):  # noqa: F811
    schema, url = fresh
    pg_admin(f"CREATE TABLE {schema}.budget (line text)")
    with Ledger.open(url) as ledger:
        ledger.record(S("2024"))
    assert pg_admin(f"SELECT count(*) FROM {schema}.budget") == [(0,)]

    for setup in [
        "CREATE TABLE {s}.dvcq_submissions (plan text, report text, n int); INSERT INTO {s}.dvcq_submissions VALUES ('a', 'b', 1)",
        "CREATE TABLE {s}.dvcq_meta (key text, value text); INSERT INTO {s}.dvcq_meta VALUES ('schema_version', '3')",
        "CREATE VIEW {s}.dvcq_meta AS SELECT 'owner'::text AS key, 'dvcq ledger'::text AS value",
    ]:
        other, other_url = pg_schemas()
        for statement in setup.format(s=other).split("; "):
            pg_admin(statement)
        before = pg_admin("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                          " WHERE n.nspname = %s ORDER BY 1", (other,))
        for create in (True, False):
            with pytest.raises(DvcqError, match="not a dvcq ledger's \\(left untouched\\)") as err:
                Ledger.open(other_url, create=create)
            assert "\n" not in str(err.value)
        after = pg_admin("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         " WHERE n.nspname = %s ORDER BY 1", (other,))
        assert after == before
        if "dvcq_submissions" in setup:
            assert pg_admin(f"SELECT * FROM {other}.dvcq_submissions") == [("a", "b", 1)]


def _pg_ledger_at(schema, version, rows):
    from dvcq.ledger.postgres import PG_MIGRATIONS

    from psycopg import sql

    names = {"subs": sql.Identifier(schema, "dvcq_submissions"), "meta": sql.Identifier(schema, "dvcq_meta")}
    for statements in PG_MIGRATIONS[:version]:
        for statement in statements:
            pg_admin(sql.SQL(statement).format(**names))
    pg_admin(sql.SQL("UPDATE {meta} SET value = %s WHERE key = 'schema_version'").format(**names), (str(version),))
    columns = "plan, report, period, unit, submitted_on, note, recorded_at" + (", recorded_by" if version >= 2 else "")
    for row in rows:
        pg_admin(sql.SQL(f"INSERT INTO {{subs}} ({columns}) VALUES ({', '.join(['%s'] * len(row))})").format(**names),
                 row)


@pytest.mark.parametrize("version", [1, 2])
def test_older_ledgers_are_migrated_keeping_every_row(fresh, version):
    schema, url = fresh
    rows = [("ha-giang", "quarterly", f"{y}-Q{q}", f"u{u}", f"{y}-0{q}-14", f"CV {y}{q}" if u else None,
             "2024-01-01T00:00:00+00:00") + (("vanthu",) if version >= 2 else ())
            for y in range(2015, 2025) for q in range(1, 5) for u in range(3)]
    _pg_ledger_at(schema, version, rows)
    with Ledger.open(url) as ledger:
        assert ledger.created is False and ledger.integrity() == []
        got = ledger.rows()
    assert pg_admin(f"SELECT value FROM {schema}.dvcq_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    expected = [r + (("",) if version < 2 else ()) for r in rows]
    assert sorted(got) == sorted(expected)


def test_a_newer_ledger_is_refused(fresh):
    schema, url = fresh
    Ledger.open(url).close()
    pg_admin(f"UPDATE {schema}.dvcq_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(DvcqError, match="ledger schema 99 is newer than this dvcq"):
        Ledger.open(url)


OPENER = textwrap.dedent("""
    import sys, time
    from dvcq.ledger import Ledger
    time.sleep(max(0, float(sys.argv[2]) - time.time()))
    with Ledger.open(sys.argv[1]) as ledger:
        print(ledger.created)
""")


def test_first_openers_do_not_race(fresh):
    """Eight processes open the same empty schema at the same instant: one creates, none fails."""
    _, url = fresh
    start = time.time() + 2.5
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, url, str(start)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(8)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, results
    assert sorted(out.strip() for out, _ in results) == ["False"] * 7 + ["True"]


def test_the_hot_read_can_use_the_period_index_in_a_vietnamese_database(fresh):
    """The test database sorts in Vietnamese (ICU vi-VN, see .ci/run); the period column compares
    byte by byte, so the range is right and the index answers it."""
    _, url = fresh
    with Ledger.open(url) as ledger:
        ledger.record_many([S(f"{2015 + i % 10}-{label}", f"u{i}") for i in range(20_000)
                            for label in ["Q1"] if True] + [S("2024-9M", "x"), S("2024", "y"), S("20240", "z")])
        ledger.conn.execute("VACUUM ANALYZE dvcq_submissions")
        [(query, args)] = ledger._sent_dates_queries([2024], None)
        plan = " ".join(r[0] for r in ledger.conn.execute(b"EXPLAIN " + query.as_bytes(ledger.conn), args))
        assert "dvcq_submissions_by_period" in plan, plan
        periods = {k[2] for k in ledger.sent_dates([2024])}
        assert periods == {"2024-Q1", "2024-9M", "2024", "20240"}


# -- passwords and libpq's environment ------------------------------------------------------------
def test_the_password_never_shows(role, fresh):
    name, password, schema = role
    host, port, db = server()
    options = f"options=-csearch_path%3D{schema}"
    url = f"postgresql://{name}:{quote(password)}@{host}:{port}/{db}?{options}"
    secret_list = [password, quote(password), password.split(":")[-1]]
    with Ledger.open(url) as ledger:
        assert ledger.record(S("2024")) is None
        for shown in (repr(ledger), str(ledger.path), repr(ledger.conn)):
            assert_hidden(shown, *secret_list)
        assert f"postgresql://{name}:***@{host}:{port}/{db}" in repr(ledger)

    wrong = f"postgresql://{name}:{quote('Sai-' + password)}@{host}:{port}/{db}?{options}"
    with pytest.raises(DvcqError, match="cannot connect to the ledger server.*password authentication failed") as err:
        Ledger.open(wrong)
    assert_hidden(err.value, *secret_list, "Sai-")

    free = _free_port()
    for bad in [f"postgresql://{name}:{quote(password)}@127.0.0.1:{free}/{db}",  # nothing listens there
                f"postgresql://{name}:{quote(password)}%zz@{host}:{port}/{db}",  # libpq echoes a bad %-escape
                f"postgresql://{name}@{host}:{port}/{db}?password={quote(password)}&port=notaport",
                f"postgres://{name}:{quote(password)}@{host}:{port}/{db}?{options}&sslmode=nonsense"]:
        with pytest.raises(DvcqError) as err:
            Ledger.open(bad)
        assert "\n" not in str(err.value)
        assert_hidden(err.value, *secret_list)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_passfile_and_libpq_environment(role, tmp_path, monkeypatch):
    """No password in the URL: libpq finds it in PGPASSFILE; PGHOST/PGPORT/PGUSER/PGDATABASE/PGOPTIONS
    fill in the rest, down to a bare postgresql:// URL."""
    name, password, schema = role
    host, port, db = server()
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pgpass of the machine's
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = f"postgresql://{name}@{host}:{port}/{db}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(DvcqError, match="cannot connect"):
        Ledger.open(url)
    passfile = tmp_path / "pgpass"
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    passfile.write_text(f"{host}:{port}:{db}:{name}:{escaped}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    with Ledger.open(url) as ledger:
        assert ledger.record(S("2024", "from-passfile")) is None
    for key, value in {"PGHOST": host, "PGPORT": str(port), "PGUSER": name, "PGDATABASE": db,
                       "PGOPTIONS": f"-csearch_path={schema}"}.items():
        monkeypatch.setenv(key, value)
    with Ledger.open("postgresql://") as ledger:
        assert [s.unit for s in ledger.submissions()] == ["from-passfile"]


def test_a_server_that_is_down_is_one_line():
    start = time.perf_counter()
    with pytest.raises(DvcqError) as err:
        Ledger.open(f"postgresql://dvcq@127.0.0.1:{_free_port()}/dvcq")
    text = str(err.value)
    assert text.startswith("postgresql://dvcq@127.0.0.1:") and "cannot connect to the ledger server" in text
    assert "\n" not in text and time.perf_counter() - start < 15


def test_missing_ledger_on_the_server(fresh):
    _, url = fresh
    with pytest.raises(LedgerMissing) as err:
        Ledger.open(url, create=False)
    assert err.value.path == url and err.value.explicit is True


# -- moving a ledger between backends -------------------------------------------------------------
def test_copy_between_sqlite_and_postgresql(tmp_path, fresh, pg_schemas):  # noqa: F811
    _, url = fresh
    rows = [S(f"{2015 + i % 10}-Q{i % 4 + 1}", f"đơn-vị-{i % 120}", D(2024, 1, 1) + dt.timedelta(days=i % 300),
              note=(f"CV {i}/UBND" if i % 3 else None), recorded_by="vanthu") for i in range(4000)]
    with Ledger.open(tmp_path / "a.sqlite3") as sqlite_ledger, Ledger.open(url) as pg_ledger:
        sqlite_ledger.record_many(rows)
        there = copy_ledger(sqlite_ledger, pg_ledger)
        assert there["rows_src"] == there["rows_dst"] == len({(r.period, r.unit) for r in rows})
        assert there["checksum_src"] == there["checksum_dst"]
        assert pg_ledger.submissions() == sqlite_ledger.submissions()  # same rows, same order
        assert pg_ledger.sent_dates([2020, 2021]) == sqlite_ledger.sent_dates([2020, 2021])
        with Ledger.open(tmp_path / "b.sqlite3") as back:
            report = copy_ledger(pg_ledger, back)
            assert report["checksum_dst"] == there["checksum_src"]
            assert back.submissions() == sqlite_ledger.submissions()


# -- many writers, a killed one, a restarted server -----------------------------------------------
WRITER = textwrap.dedent("""
    import datetime as dt, json, sys, time
    from dvcq.core.errors import DvcqError
    from dvcq.ledger import Ledger, Submission
    url, worker, shared, pause = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    subs = [Submission("p", "monthly", f"{2000 + i // 12}-{i % 12 + 1:02d}", f"w{worker}", dt.date(2024, 1, 1))
            for i in range(500 - shared)]
    subs += [Submission("p", "annual", f"{1900 + i}", "shared", dt.date(2024, 1, 1)) for i in range(shared)]
    subs = subs[worker % 7:] + subs[:worker % 7]  # writers meet the shared keys at different moments
    added = 0
    try:
        with Ledger.open(url) as ledger:
            half = len(subs) // 2
            for s in subs[:half]:
                added += ledger.record(s) is None
                time.sleep(pause)
            for start in range(half, len(subs), 50):
                added += ledger.record_many(subs[start:start + 50])[0]
                time.sleep(pause)
    except DvcqError as exc:
        print(json.dumps({"error": str(exc)}))
        sys.exit(3)
    print(json.dumps({"added": added}))
""")


def run_writers(url, count, shared, pause=0.0, timeout=120):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(w), str(shared), str(pause)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(count)]
    return procs, lambda: [(p.wait(timeout), *p.communicate()) for p in procs]


def test_sixteen_writer_processes(fresh):
    """16 processes x 500 submissions, 100 of each the same keys for all: none lost, none doubled,
    no error, and each shared key reported new to exactly one writer."""
    _, url = fresh
    Ledger.open(url).close()
    _, finish = run_writers(url, 16, shared=100)
    results = finish()
    assert [code for code, _, _ in results] == [0] * 16, [err for _, _, err in results if err]
    added = sum(json.loads(out)["added"] for _, out, _ in results)
    with Ledger.open(url) as ledger:
        total = ledger.conn.execute("SELECT count(*), count(DISTINCT (plan, report, period, unit)) FROM dvcq_submissions").fetchone()
        assert ledger.integrity() == []
    assert total == (16 * 400 + 100, 16 * 400 + 100) and added == 16 * 400 + 100


STALLED = textwrap.dedent("""
    import datetime as dt, sys
    from dvcq.ledger import Ledger, Submission
    ledger = Ledger.open(sys.argv[1])
    for i in range(20):
        ledger.record(Submission("p", "monthly", f"2000-{i + 1:02d}", "child", dt.date(2024, 1, 1)))
    print("inside", flush=True)
    ledger.record(Submission("p", "monthly", "2199-01", "child", dt.date(2024, 1, 1), note="stall"))
""")


def test_a_writer_killed_mid_transaction_loses_only_its_own_row(fresh):
    schema, url = fresh
    with Ledger.open(url) as ledger:
        # the server stalls inside the INSERT of that one row, inside record()'s transaction
        ledger.conn.execute("CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            " IF NEW.note = 'stall' THEN PERFORM pg_sleep(2); END IF; RETURN NEW; END $$")
        ledger.conn.execute("CREATE TRIGGER stall BEFORE INSERT ON dvcq_submissions FOR EACH ROW EXECUTE FUNCTION stall()")
        child = subprocess.Popen([sys.executable, "-c", STALLED, url], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "inside"
        deadline = time.monotonic() + 20
        while not pg_admin("SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        # others go on meanwhile
        assert ledger.record_many([S(f"2100-{i:02d}", "other") for i in range(1, 51)]) == (50, 0)
        while pg_admin("SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' OR (state = 'idle in transaction'"
                       " AND datname = current_database())"):
            assert time.monotonic() < deadline + 10
            time.sleep(0.05)
        units = [s.unit for s in ledger.submissions()]
        assert units.count("child") == 20 and units.count("other") == 50
        assert ledger.submissions(period="2199-01") == []
        assert ledger.record(S("2199-01", "child")) is None  # no lock or row left behind
        assert ledger.integrity() == []


def restart_server():
    ctl, data = os.environ.get("DVCQ_TEST_PG_CTL"), os.environ.get("DVCQ_TEST_PGDATA")
    if not ctl or not data:
        pytest.skip("restarting the server needs DVCQ_TEST_PG_CTL and DVCQ_TEST_PGDATA (set by .ci/run)")
    command = [ctl, "-D", data, "-l", os.path.join(os.path.dirname(data), "server.log"), "-m", "fast", "-w", "restart"]
    user = os.environ.get("DVCQ_TEST_PG_OSUSER")
    if user:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def test_the_server_restarted_mid_run_is_a_clear_error_and_a_rerun_completes(fresh):
    _, url = fresh
    if not os.environ.get("DVCQ_TEST_PG_CTL"):
        pytest.skip("restarting the server needs DVCQ_TEST_PG_CTL and DVCQ_TEST_PGDATA (set by .ci/run)")
    Ledger.open(url).close()
    _, finish = run_writers(url, 4, shared=50, pause=0.01)
    time.sleep(2.0)
    restart_server()
    results = finish()
    codes = [code for code, _, _ in results]
    assert set(codes) <= {0, 3} and 3 in codes, results
    for code, out, err in results:
        assert "Traceback" not in err, err
        if code == 3:
            message = json.loads(out)["error"]
            assert "\n" not in message and message.startswith(url.split("?")[0])
            assert "lost the connection to the ledger server" in message or "cannot connect" in message, message
            assert "run the command again" in message or "cannot connect" in message
    _, finish = run_writers(url, 4, shared=50)
    assert [code for code, _, _ in finish()] == [0] * 4
    with Ledger.open(url) as ledger:
        assert len(ledger.rows()) == 4 * 450 + 50 and ledger.integrity() == []
