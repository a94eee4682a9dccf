"""The shared ledger on PostgreSQL, through psycopg 3: the same `Ledger` API as the SQLite file.

Imported only when a `postgresql://` (or `postgres://`) URL is opened, so SQLite users never load
psycopg. libpq reads the URL and, for whatever it leaves out, PGHOST/PGUSER/PGDATABASE/...,
PGPASSFILE and ~/.pgpass, as every PostgreSQL tool does.

Two tables in the connection's current schema (the first of its search_path; a deployment may
give dvcq a schema of its own with `?options=-csearch_path%3Ddvcq`): `dvcq_submissions`, the same
columns as the SQLite ledger, and `dvcq_meta`, which marks the tables as ours and holds the schema
version. `PG_MIGRATIONS[i]` takes the schema from version i to i + 1, like `MIGRATIONS` for
SQLite; all of them run in one transaction under an advisory lock, so two first openers never
race. A table of the same name that is not ours is refused untouched. The key columns compare
byte by byte (COLLATE "C") whatever the database's collation, as in SQLite: the period ranges of
`sent_dates` and the order of `submissions` are the same on both backends.

The URL's password is never shown: every message, repr and error names the ledger by
`redact_url(url)`, and libpq's own messages are scrubbed of it before they reach anyone.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import time

import psycopg
from psycopg import sql

from dvcq.core.errors import DvcqError
from dvcq.ledger.base import (LEDGER_COLUMNS, SCHEMA_VERSION, Ledger, LedgerMissing, Row, Submission, iso_day,
                              one_line, period_ranges, redact_url, row_of, url_secrets, utc_now)

OWNER = "dvcq ledger"
CONNECT_TIMEOUT_S = 10
BATCH_ROWS = 20_000  # rows per INSERT of record_many / copy (one transaction whatever the count)

PG_MIGRATIONS: list[tuple[str, ...]] = [
    # 0 -> 1: the marker and version table, and the submissions; one row per (plan, report, period, unit)
    (
        "CREATE TABLE {meta} (key text PRIMARY KEY, value text NOT NULL)",
        "INSERT INTO {meta} (key, value) VALUES ('owner', 'dvcq ledger'), ('schema_version', '0')",
        """CREATE TABLE {subs} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            plan text COLLATE "C" NOT NULL,
            report text COLLATE "C" NOT NULL,
            period text COLLATE "C" NOT NULL,
            unit text COLLATE "C" NOT NULL DEFAULT '',
            submitted_on date NOT NULL,
            note text,
            recorded_at text NOT NULL,
            UNIQUE (plan, report, period, unit)
        )""",
        "COMMENT ON TABLE {subs} IS 'dvcq: reports sent, one row per plan, report, period and unit'",
    ),
    # 1 -> 2: who recorded it, and an index for reads by plan and period
    (
        "ALTER TABLE {subs} ADD COLUMN recorded_by text NOT NULL DEFAULT ''",
        "CREATE INDEX dvcq_submissions_by_plan_period ON {subs} (plan, period)",
    ),
    # 2 -> 3: the period ranges of sent_dates, answered from the index alone
    (
        "CREATE INDEX dvcq_submissions_by_period ON {subs} (period, plan, report, unit, submitted_on)",
    ),
    # 3 -> 4: reads plan by plan answered from an index alone (see MIGRATIONS)
    (
        "DROP INDEX {schema}.dvcq_submissions_by_plan_period",
        "CREATE INDEX dvcq_submissions_by_plan_covering ON {subs} (plan, period, report, unit, submitted_on)",
    ),
]
assert len(PG_MIGRATIONS) == SCHEMA_VERSION, "a migration for each backend"
INDEXES = {"dvcq_submissions_by_plan_covering", "dvcq_submissions_by_period"}
COLUMNS = "plan, report, period, unit, submitted_on, note, recorded_at, recorded_by"
ISO_COLUMNS = "plan, report, period, unit, to_char(submitted_on, 'YYYY-MM-DD'), note, recorded_at, recorded_by"
# a lost connection: the server shut down or restarted, the network went, the client was cancelled
CONNECTION_SQLSTATES = ("08", "57P")


def guarded(doing: str):
    """Turn any psycopg error of a method into one DvcqError line naming the ledger, raised after
    the handler has finished, so it carries no __context__ (libpq's text) with it."""
    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except psycopg.Error as exc:
                message = self._message(exc, doing)
            raise DvcqError(message)
        return run
    return wrap


class PgLedger(Ledger):
    backend = "postgresql"

    def __init__(self, conn: psycopg.Connection, where: str, schema: str, secrets: list[str]):
        self.conn, self.path, self.created = conn, where, False
        self.schema, self._secrets = schema, secrets
        names = {"subs": sql.Identifier(schema, "dvcq_submissions"), "meta": sql.Identifier(schema, "dvcq_meta"),
                 "schema": sql.Identifier(schema)}
        self._q = lambda text: sql.SQL(text).format(**names)  # noqa: E731

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open_url(cls, url: str, *, create: bool = True) -> "PgLedger":
        where, secrets = redact_url(url), url_secrets(url)
        conn = message = None
        try:
            conn = psycopg.connect(url, autocommit=True, **_connect_options(url))
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            if schema is None:
                raise DvcqError(f"{where}: no schema to hold the ledger (its search_path names none that exists)")
            ledger = cls(conn, where, schema, secrets)
            version = ledger._version()
            if version == 0 and not create:
                raise LedgerMissing(where, True)
            if version > SCHEMA_VERSION:
                raise DvcqError(f"{where}: ledger schema {version} is newer than this dvcq ({SCHEMA_VERSION}); "
                                "upgrade dvcq")
            if version < SCHEMA_VERSION:
                ledger.created = ledger._migrate()
            return ledger
        except DvcqError:
            if conn is not None:
                conn.close()
            raise
        except psycopg.Error as exc:
            if conn is not None:
                conn.close()
            message = _scrub(f"{where}: {_describe(exc, 'open', conn)}", secrets)
        raise DvcqError(message)

    def _version(self) -> int:
        """The schema version of the ledger in this schema, 0 if there is none; raises if a table
        of ours by name is not ours, untouched."""
        found = dict(self.conn.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname IN ('dvcq_meta', 'dvcq_submissions')", (self.schema,)).fetchall())
        if not found:
            return 0
        foreign = DvcqError(f"{self.path}: a table {sorted(found)[0]} in schema {self.schema} is not a dvcq ledger's "
                            "(left untouched); use another schema or database")
        if found.get("dvcq_meta") != "r" or found.get("dvcq_submissions", "r") != "r":
            raise foreign
        if self._columns("dvcq_meta") != {"key", "value"}:
            raise foreign
        meta = dict(self.conn.execute(self._q("SELECT key, value FROM {meta}")).fetchall())
        if meta.get("owner") != OWNER or not str(meta.get("schema_version", "")).isdigit():
            raise foreign
        version = int(meta["schema_version"])
        if version >= 1 and not LEDGER_COLUMNS <= self._columns("dvcq_submissions"):
            raise foreign
        return version

    def _columns(self, table: str) -> set[str]:
        return {r[0] for r in self.conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
            (str(sql.Identifier(self.schema, table).as_string(self.conn)),))}

    def _migrate(self) -> bool:
        """Bring the schema to SCHEMA_VERSION in one transaction, under an advisory lock so that two
        first openers queue; returns True if this call created the ledger."""
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(self.schema),))
            current = self._version()  # another opener may have done it while we waited
            for target in range(current, SCHEMA_VERSION):
                for statement in PG_MIGRATIONS[target]:
                    self.conn.execute(self._q(statement))
                self.conn.execute(self._q("UPDATE {meta} SET value = %s WHERE key = 'schema_version'"),
                                  (str(target + 1),))
        return current == 0

    def _message(self, exc: psycopg.Error, doing: str) -> str:
        return _scrub(f"{self.path}: {_describe(exc, doing, self.conn)}", self._secrets)

    def close(self) -> None:
        self.conn.close()

    # -- writing ----------------------------------------------------------------------------
    @guarded("write to")
    def record(self, s: Submission) -> Submission | None:
        row = row_of(s, utc_now())
        insert = self._q(f"INSERT INTO {{subs}} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s::date, %s, %s, %s)"
                         " ON CONFLICT (plan, report, period, unit) DO NOTHING RETURNING id")
        for _ in range(5):
            with self.conn.transaction():
                if self.conn.execute(insert, row).fetchone() is not None:
                    return None
                existing = self._find(row[:4])
                if existing is not None:
                    return existing
            # the row we collided with was removed meanwhile (an undo): try again
        raise DvcqError(f"{self.path}: {s.plan} {s.report} {s.period} {s.unit}: recorded and removed "
                        "by others while we tried; try again")

    @guarded("write to")
    def _insert_rows(self, rows: list[Row]) -> tuple[int, int]:
        # In key order, so that two imports sharing keys take their row locks in the same order
        # and cannot deadlock; one INSERT per batch of arrays, all batches in one transaction.
        ordered = sorted(rows, key=lambda r: r[:4])
        insert = self._q(f"INSERT INTO {{subs}} ({COLUMNS}) SELECT * FROM unnest(%s::text[], %s::text[], %s::text[],"
                         " %s::text[], %s::date[], %s::text[], %s::text[], %s::text[])"
                         " ON CONFLICT (plan, report, period, unit) DO NOTHING")
        for attempt in range(3):
            added = 0
            try:
                with self.conn.transaction():
                    for start in range(0, len(ordered), BATCH_ROWS):
                        batch = ordered[start:start + BATCH_ROWS]
                        added += self.conn.execute(insert, [list(column) for column in zip(*batch)]).rowcount
                return added, len(rows) - added
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == 2:
                    raise
                time.sleep(0.05 * (attempt + 1))  # the whole batch was rolled back: safe to run again
        raise AssertionError("unreachable")

    @guarded("write to")
    def undo(self, plan: str, report: str, period: str, unit: str) -> Submission | None:
        row = self.conn.execute(self._q(
            f"DELETE FROM {{subs}} WHERE plan = %s AND report = %s AND period = %s AND unit = %s RETURNING {COLUMNS}"),
            (plan, report, period, unit)).fetchone()
        return _submission(row) if row else None

    def _find(self, key) -> Submission | None:
        row = self.conn.execute(self._q(
            f"SELECT {COLUMNS} FROM {{subs}} WHERE plan = %s AND report = %s AND period = %s AND unit = %s"),
            key).fetchone()
        return _submission(row) if row else None

    # -- reading ----------------------------------------------------------------------------
    @guarded("read")
    def submissions(self, plan: str | None = None, unit: str | None = None, period: str | None = None,
                    periods_like: list[str] | None = None, *, as_of: dt.date | None = None) -> list[Submission]:
        where, args = [sql.SQL("TRUE")], []
        for column, value in (("plan", plan), ("unit", unit), ("period", period)):
            if value is not None:
                where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                args.append(value)
        if periods_like:
            ranges = period_ranges(periods_like)
            where.append(sql.SQL("(" + " OR ".join("(period >= %s AND period < %s)" for _ in ranges) + ")"))
            args.extend(bound for r in ranges for bound in r)
        if as_of is not None:
            where.append(sql.SQL("submitted_on <= %s::date"))
            args.append(iso_day(as_of))
        query = self._q(f"SELECT {COLUMNS} FROM {{subs}} WHERE ") + sql.SQL(" AND ").join(where) + sql.SQL(
            " ORDER BY plan, period, report, unit")
        return [_submission(r) for r in self.conn.execute(query, args)]

    @guarded("read")
    def sent_dates(self, years, as_of: dt.date | None = None, plan: str | None = None) -> dict[tuple[str, str, str, str], str]:
        sent: dict[tuple[str, str, str, str], str] = {}
        for query, args in self._sent_dates_queries(years, as_of, plan):
            with self.conn.cursor() as cursor:
                for r in cursor.execute(query, args):
                    sent[(r[0], r[1], r[2], r[3])] = r[4]
        return sent

    @guarded("read")
    def sent_keys(self, plan: str, years, as_of: dt.date | None = None) -> dict[str, str]:
        sent: dict[str, str] = {}
        columns = "report || E'\\t' || period || E'\\t' || unit, to_char(submitted_on, 'YYYY-MM-DD')"
        for query, args in self._sent_dates_queries(years, as_of, plan, columns):
            with self.conn.cursor() as cursor:
                sent.update(cursor.execute(query, args).fetchall())
        return sent

    def _sent_dates_queries(self, years, as_of, plan=None,
                            columns="plan, report, period, unit, to_char(submitted_on, 'YYYY-MM-DD')"):
        """One range query per run of consecutive years (see Ledger.sent_dates)."""
        day = iso_day(as_of) if as_of is not None else None
        select = f"SELECT {columns} FROM {{subs}}"
        as_of_clause = (" AND submitted_on <= %s::date" if day else "") + (" AND plan = %s" if plan is not None else "")
        extra = ([day] if day else []) + ([plan] if plan is not None else [])
        years = list(years or ())
        queries = [(select + " WHERE period >= %s AND period < %s" + as_of_clause, [low, high] + extra)
                   for low, high in period_ranges(years)]
        if not years:
            queries.append((select + " WHERE TRUE" + as_of_clause, extra))
        return [(self._q(query), args) for query, args in queries]

    @guarded("read")
    def rows(self) -> list[Row]:
        with self.conn.cursor() as cursor:
            return cursor.execute(self._q(f"SELECT {ISO_COLUMNS} FROM {{subs}}")).fetchall()

    def integrity(self) -> list[str]:
        """Problems found, one line each; empty when sound: our marker and version, our indexes
        present and valid, no duplicate key (read from the table, not the index), ISO dates, and
        amcheck's check of each index where the amcheck extension is installed."""
        problems: list[str] = []
        try:
            version = self._version()
            if version != SCHEMA_VERSION:
                problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
            table = str(sql.Identifier(self.schema, "dvcq_submissions").as_string(self.conn))
            indexes = self.conn.execute(
                "SELECT c.relname, i.indisvalid AND i.indisready, c.oid FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(%s)", (table,)).fetchall()
            names = {name for name, _, _ in indexes}
            problems.extend(f"index {name} is missing" for name in sorted(INDEXES - names))
            problems.extend(f"index {name} is not valid (rebuild it: REINDEX)" for name, ok, _ in indexes if not ok)
            duplicates = self.conn.execute(self._q(
                "SELECT count(*) FROM (SELECT 1 FROM {subs} GROUP BY plan, report, period, unit HAVING count(*) > 1) d"
            )).fetchone()[0]
            if duplicates:
                problems.append(f"{duplicates} key(s) recorded more than once")
            if self.conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'").fetchone():
                for name, ok, oid in indexes:
                    try:
                        with self.conn.transaction():
                            self.conn.execute("SELECT bt_index_check(%s::oid, true)", (oid,))
                    except psycopg.errors.DataCorrupted as exc:
                        problems.append(f"index {name}: {one_line(exc)}")
        except DvcqError as exc:
            problems.append(str(exc))
        except psycopg.Error as exc:
            problems.append(self._message(exc, "check"))
        return problems


def _submission(r) -> Submission:
    return Submission(plan=r[0], report=r[1], period=r[2], unit=r[3], submitted_on=r[4], note=r[5],
                      recorded_at=r[6], recorded_by=r[7])


def _connect_options(url: str) -> dict:
    """Defaults only where neither the URL nor the environment says otherwise."""
    options = {}
    if "connect_timeout" not in url and not os.environ.get("PGCONNECT_TIMEOUT"):
        options["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in url and not os.environ.get("PGAPPNAME"):
        options["application_name"] = "dvcq"
    return options


def _lock_key(schema: str) -> int:
    return int.from_bytes(hashlib.sha256(f"dvcq ledger migration {schema}".encode()).digest()[:8], "big", signed=True)


def _describe(exc: psycopg.Error, doing: str, conn: psycopg.Connection | None) -> str:
    text = one_line(exc)
    state = getattr(exc, "sqlstate", None) or ""
    if conn is None:  # psycopg.connect itself failed
        if isinstance(exc, psycopg.ProgrammingError):
            return f"not a PostgreSQL URL libpq accepts: {text}"
        return f"cannot connect to the ledger server: {text}"
    if conn.broken or conn.closed or state.startswith(CONNECTION_SQLSTATES):
        return (f"lost the connection to the ledger server ({text}); what was not committed was not recorded: "
                "run the command again")
    return f"cannot {doing} the ledger: {text}"


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text
