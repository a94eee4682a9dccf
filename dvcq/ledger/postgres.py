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
from dvcq.core.messages import Said
from dvcq.ledger.base import (EVENT_COLUMNS, LEDGER_COLUMNS, SCHEMA_VERSION, Event, Ledger, LedgerMissing, Row,
                              Submission, check_submission, event_of, iso_day, one_line, period_ranges,
                              redact_url, rows_of, said_of, url_secrets)

OWNER = "dvcq ledger"
CONNECT_TIMEOUT_S = 10
BATCH_ROWS = 20_000
# the server's roles `dvcq ledger grant` gives logins (group roles, one set per server)
ROLES = {"reader": "dvcq_reader", "clerk": "dvcq_clerk", "desk": "dvcq_desk"}  # rows per INSERT of record_many / copy (one transaction whatever the count)

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
    # 4 -> 5: history, not deletion (see the SQLite MIGRATIONS). Who and when come from the server:
    # `current_user` and its clock are the columns' defaults, and a role given rights by `dvcq ledger
    # grant` may write every column but those (nor `n`, nor the state table, which only the trigger
    # writes, as the ledger's owner). No one updates or deletes an event, the owner included.
    (
        """CREATE TABLE {events} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            plan text COLLATE "C" NOT NULL,
            report text COLLATE "C" NOT NULL,
            period text COLLATE "C" NOT NULL,
            unit text COLLATE "C" NOT NULL DEFAULT '',
            n integer NOT NULL DEFAULT 1 CHECK (n >= 1),
            kind text NOT NULL CHECK (kind IN ('recorded', 'corrected', 'withdrawn')),
            submitted_on date CHECK ((kind = 'withdrawn') = (submitted_on IS NULL)),
            note text,
            why text,
            source text,
            recorded_at text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
            recorded_by text NOT NULL DEFAULT current_user,
            UNIQUE (plan, report, period, unit, n)
        )""",
        "COMMENT ON TABLE {events} IS 'dvcq: every change to the ledger, kept for ever'",
        "INSERT INTO {events} (plan, report, period, unit, n, kind, submitted_on, note, recorded_at, recorded_by)"
        " SELECT plan, report, period, unit, 1, 'recorded', submitted_on, note, recorded_at, recorded_by"
        " FROM {subs} ORDER BY id",
        "CREATE INDEX dvcq_events_changes ON {events} (recorded_at, plan, report, period, unit) WHERE n > 1",
        "CREATE INDEX dvcq_events_changes_by_plan ON {events} (plan, recorded_at, report, period, unit) WHERE n > 1",
        """CREATE FUNCTION {schema}.dvcq_event_apply() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $f$
        BEGIN
            SELECT coalesce(max(e.n), 0) + 1 INTO NEW.n FROM {events} e
            WHERE e.plan = NEW.plan AND e.report = NEW.report AND e.period = NEW.period AND e.unit = NEW.unit;
            IF NEW.kind = 'recorded' THEN
                INSERT INTO {subs} (plan, report, period, unit, submitted_on, note, recorded_at, recorded_by)
                VALUES (NEW.plan, NEW.report, NEW.period, NEW.unit, NEW.submitted_on, NEW.note, NEW.recorded_at,
                        NEW.recorded_by);
            ELSIF NEW.kind = 'corrected' THEN
                UPDATE {subs} s SET submitted_on = NEW.submitted_on, note = NEW.note, recorded_at = NEW.recorded_at,
                    recorded_by = NEW.recorded_by
                WHERE s.plan = NEW.plan AND s.report = NEW.report AND s.period = NEW.period AND s.unit = NEW.unit;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'not recorded: nothing to correct' USING ERRCODE = 'no_data_found';
                END IF;
            ELSE
                DELETE FROM {subs} s
                WHERE s.plan = NEW.plan AND s.report = NEW.report AND s.period = NEW.period AND s.unit = NEW.unit;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'not recorded: nothing to withdraw' USING ERRCODE = 'no_data_found';
                END IF;
            END IF;
            RETURN NEW;
        END
        $f$""",
        "CREATE TRIGGER dvcq_events_apply BEFORE INSERT ON {events} FOR EACH ROW EXECUTE FUNCTION {schema}.dvcq_event_apply()",
        """CREATE FUNCTION {schema}.dvcq_event_kept() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            RAISE EXCEPTION 'dvcq ledger events are kept for ever: never updated nor deleted'
                USING ERRCODE = 'insufficient_privilege';
        END
        $f$""",
        "CREATE TRIGGER dvcq_events_kept BEFORE UPDATE OR DELETE ON {events} FOR EACH ROW"
        " EXECUTE FUNCTION {schema}.dvcq_event_kept()",
        "CREATE TRIGGER dvcq_events_kept_whole BEFORE TRUNCATE ON {events} FOR EACH STATEMENT"
        " EXECUTE FUNCTION {schema}.dvcq_event_kept()",
        "CREATE TRIGGER dvcq_submissions_kept_whole BEFORE TRUNCATE ON {subs} FOR EACH STATEMENT"
        " EXECUTE FUNCTION {schema}.dvcq_event_kept()",
        "REVOKE ALL ON FUNCTION {schema}.dvcq_event_apply() FROM PUBLIC",
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
                 "events": sql.Identifier(schema, "dvcq_events"), "schema": sql.Identifier(schema)}
        self._names = names
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
                raise DvcqError(msg="ledger.pg_no_schema", where=where)
            ledger = cls(conn, where, schema, secrets)
            version = ledger._version()
            if version == 0 and not create:
                raise LedgerMissing(where, True)
            if version > SCHEMA_VERSION:
                raise DvcqError(msg="ledger.newer", where=where, version=version, expected=SCHEMA_VERSION)
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
            message = _describe(exc, "open", conn, where, secrets)
        raise DvcqError(message)

    def _version(self) -> int:
        """The schema version of the ledger in this schema, 0 if there is none; raises if a table
        of ours by name is not ours, untouched."""
        found = dict(self.conn.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname IN ('dvcq_meta', 'dvcq_submissions')", (self.schema,)).fetchall())
        if not found:
            return 0
        foreign = DvcqError(msg="ledger.pg_foreign", where=self.path, table=sorted(found)[0], schema=self.schema)
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
        return _describe(exc, doing, self.conn, self.path, self._secrets)

    def close(self) -> None:
        self.conn.close()

    # -- writing: events only; the trigger keeps the state, the server says who and when -----
    _EVENT = "INSERT INTO {events} (plan, report, period, unit, kind, submitted_on, note, why, source)"

    def _retrying(self, work, attempts: int = 8):
        """work() in a transaction, run again when another writer's commit collided with it (the
        same key recorded, the same event number taken, a deadlock): all or nothing each time."""
        for attempt in range(attempts):
            try:
                with self.conn.transaction():
                    return work()
            except (psycopg.errors.UniqueViolation, psycopg.errors.DeadlockDetected,
                    psycopg.errors.SerializationFailure):
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    @guarded("write to")
    def record(self, s: Submission) -> Submission | None:
        check_submission(s)
        key = (s.plan, s.report, s.period, s.unit)

        def write():
            existing = self._find(key)
            if existing is None:
                self.conn.execute(self._q(self._EVENT + " VALUES (%s, %s, %s, %s, 'recorded', %s, %s, NULL, %s)"),
                                  (*key, s.submitted_on, s.note, s.source))
            return existing

        return self._retrying(write)

    @guarded("write to")
    def _insert_rows(self, rows: list[Row], keep: bool = False) -> tuple[int, int]:
        # In key order, so that two imports sharing keys take their row locks in the same order
        # and cannot deadlock; one INSERT per batch of arrays, all batches in one transaction.
        first: dict = {}
        for row in rows:
            first.setdefault(row[:4], row)
        ordered = sorted(first.values(), key=lambda r: r[:4])
        columns = [[r[i] for r in ordered] for i in range(6)] + [[r[8] if len(r) > 8 else None for r in ordered]]
        who = ""
        if keep:  # a copy keeps when and by whom (the ledger's owner only: no role is granted these columns)
            columns += [[r[6] for r in ordered], [r[7] for r in ordered]]
            who = ", recorded_at, recorded_by"
        types = "%s::text[], %s::text[], %s::text[], %s::text[], %s::date[], %s::text[], %s::text[]" + (
            ", %s::text[], %s::text[]" if keep else "")
        names = "p, r, pe, u, d, note, src" + (", at, by" if keep else "")
        insert = self._q(
            f"INSERT INTO {{events}} (plan, report, period, unit, kind, submitted_on, note, source{who})"
            f" SELECT i.p, i.r, i.pe, i.u, 'recorded', i.d, i.note, i.src{', i.at, i.by' if keep else ''}"
            f" FROM unnest({types}) AS i({names}) WHERE NOT EXISTS (SELECT 1 FROM {{subs}} s"
            " WHERE s.plan = i.p AND s.report = i.r AND s.period = i.pe AND s.unit = i.u)")

        def write():
            added = 0
            for start in range(0, len(ordered), BATCH_ROWS):
                added += self.conn.execute(insert, [c[start:start + BATCH_ROWS] for c in columns]).rowcount
            return added

        added = self._retrying(write) if ordered else 0
        return added, len(rows) - added

    def record_many(self, subs, *, keep_recorded_at: bool = False) -> tuple[int, int]:
        return self._insert_rows(rows_of(subs, keep_recorded_at), keep=keep_recorded_at)

    @guarded("write to")
    def _insert_events(self, events) -> int:
        insert = self._q(
            "INSERT INTO {events} (plan, report, period, unit, kind, submitted_on, note, why, source, recorded_at,"
            " recorded_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")

        def write():
            there = {(r[0], r[1], r[2], r[3], r[4]) for r in self.conn.execute(
                self._q("SELECT plan, report, period, unit, n FROM {events}")).fetchall()}
            todo = [e for e in events if (*e.key, e.n) not in there]
            with self.conn.cursor() as cursor:
                cursor.executemany(insert, [(*e.key, e.kind, e.submitted_on, e.note, e.why, e.source, e.recorded_at,
                                             e.recorded_by) for e in todo])
            return len(todo)

        return self._retrying(write) if events else 0

    @guarded("write to")
    def _atomically(self, work):
        return self._retrying(work)

    def _add_event(self, key, kind: str, submitted_on, note, why, source, who: str) -> None:
        # who and when: the server's current_user and clock (the columns' defaults), never the client's
        self.conn.execute(self._q(self._EVENT + " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"),
                          (*key, kind, submitted_on, note, why, source))

    # -- the history ------------------------------------------------------------------------
    @guarded("read")
    def history(self, plan: str | None = None, unit: str | None = None, period: str | None = None) -> list[Event]:
        where, args = [sql.SQL("TRUE")], []
        for column, value in (("plan", plan), ("unit", unit), ("period", period)):
            if value is not None:
                where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                args.append(value)
        query = self._q(f"SELECT {EVENT_COLUMNS} FROM {{events}} WHERE ") + sql.SQL(" AND ").join(where) + sql.SQL(
            " ORDER BY id")
        return [event_of(r) for r in self.conn.execute(query, args)]

    @guarded("read")
    def events(self) -> list[Event]:
        with self.conn.cursor() as cursor:
            return [event_of(r) for r in cursor.execute(self._q(
                f"SELECT {EVENT_COLUMNS} FROM {{events}} ORDER BY plan, report, period, unit, n"))]

    def _changed_keys(self, cutoff: str, plan: str | None) -> set:
        query = "SELECT plan, report, period, unit FROM {events} WHERE n > 1 AND recorded_at >= %s"
        if plan is not None:
            return set(self.conn.execute(self._q(query + " AND plan = %s"), (cutoff, plan)).fetchall())
        return set(self.conn.execute(self._q(query), (cutoff,)).fetchall())

    def _events_of(self, keys) -> dict:
        found: dict = {tuple(k): [] for k in keys}
        query = self._q(f"SELECT {EVENT_COLUMNS} FROM {{events}} WHERE (plan, report, period, unit) IN"
                        " (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])) ORDER BY n")
        for r in self.conn.execute(query, [list(c) for c in zip(*found)]):
            found[(r[1], r[2], r[3], r[4])].append(event_of(r))
        return found

    # -- roles on a shared ledger -------------------------------------------------------------
    @guarded("set roles on")
    def grant(self, role: str, name: str) -> dict:
        """Give the login `name` one role on this ledger, enforced by the server's own privileges:
        a reader reads; a clerk also records and corrects; the desk also withdraws. No one may
        update or delete an event, nor write the state table, who or when. Any other dvcq role the
        login had is taken back. Needs the ledger's owner with the right to create roles."""
        if role not in ROLES:
            raise DvcqError(msg="ledger.role", role=role, known=", ".join(ROLES))
        with self.conn.transaction():
            if self.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None:
                raise DvcqError(msg="ledger.pg_no_login", where=self.path, name=name)
            for group in ROLES.values():
                if self.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is None:
                    self.conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
            groups = sql.SQL(", ").join(sql.Identifier(g) for g in ROLES.values())
            writers = sql.SQL(", ").join(sql.Identifier(ROLES[r]) for r in ("clerk", "desk"))
            fmt = {"groups": groups, "writers": writers, "clerk": sql.Identifier(ROLES["clerk"]),
                   "desk": sql.Identifier(ROLES["desk"])}
            q = lambda text: sql.SQL(text).format(**self._names, **fmt)  # noqa: E731
            for statement in (
                "GRANT USAGE ON SCHEMA {schema} TO {groups}",
                "GRANT SELECT ON {meta}, {subs}, {events} TO {groups}",
                "GRANT INSERT (plan, report, period, unit, kind, submitted_on, note, why, source) ON {events} TO {writers}",
                "ALTER TABLE {events} ENABLE ROW LEVEL SECURITY",
            ):
                self.conn.execute(q(statement))
            policies = {r[0] for r in self.conn.execute(
                "SELECT policyname FROM pg_policies WHERE schemaname = %s AND tablename = 'dvcq_events'", (self.schema,))}
            for policy, text in (
                ("dvcq_read", "CREATE POLICY dvcq_read ON {events} FOR SELECT USING (true)"),
                ("dvcq_clerk_write", "CREATE POLICY dvcq_clerk_write ON {events} FOR INSERT TO {clerk}"
                                     " WITH CHECK (kind <> 'withdrawn')"),
                ("dvcq_desk_write", "CREATE POLICY dvcq_desk_write ON {events} FOR INSERT TO {desk} WITH CHECK (true)"),
            ):
                if policy not in policies:
                    self.conn.execute(q(text))
            for other, group in ROLES.items():
                statement = "GRANT {} TO {}" if other == role else "REVOKE {} FROM {}"
                self.conn.execute(sql.SQL(statement).format(sql.Identifier(group), sql.Identifier(name)))
        return {"name": name, "role": role, "group": ROLES[role]}

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
        found = [_submission(r) for r in self.conn.execute(query, args)]
        return self._patch_list(found, as_of, plan, unit, period, periods_like)

    @guarded("read")
    def sent_dates(self, years, as_of: dt.date | None = None, plan: str | None = None) -> dict[tuple[str, str, str, str], str]:
        sent: dict[tuple[str, str, str, str], str] = {}
        for query, args in self._sent_dates_queries(years, as_of, plan):
            with self.conn.cursor() as cursor:
                for r in cursor.execute(query, args):
                    sent[(r[0], r[1], r[2], r[3])] = r[4]
        return self._patch_sent(sent, as_of, years, plan)

    @guarded("read")
    def sent_keys(self, plan: str, years, as_of: dt.date | None = None) -> dict[str, str]:
        sent: dict[str, str] = {}
        columns = "report || E'\\t' || period || E'\\t' || unit, to_char(submitted_on, 'YYYY-MM-DD')"
        for query, args in self._sent_dates_queries(years, as_of, plan, columns):
            with self.conn.cursor() as cursor:
                sent.update(cursor.execute(query, args).fetchall())
        return self._patch_keys(sent, as_of, years, plan)

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
                problems.append(Said("ledger.p.version", version=version, expected=SCHEMA_VERSION))
            table = str(sql.Identifier(self.schema, "dvcq_submissions").as_string(self.conn))
            indexes = self.conn.execute(
                "SELECT c.relname, i.indisvalid AND i.indisready, c.oid FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(%s)", (table,)).fetchall()
            names = {name for name, _, _ in indexes}
            problems.extend(Said("ledger.p.index_missing", name=name) for name in sorted(INDEXES - names))
            problems.extend(Said("ledger.p.index_invalid", name=name) for name, ok, _ in indexes if not ok)
            duplicates = self.conn.execute(self._q(
                "SELECT count(*) FROM (SELECT 1 FROM {subs} GROUP BY plan, report, period, unit HAVING count(*) > 1) d"
            )).fetchone()[0]
            if duplicates:
                problems.append(Said("ledger.p.duplicates", count=duplicates))
            if version == SCHEMA_VERSION:
                problems.extend(self.verify())
            if self.conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'").fetchone():
                for name, ok, oid in indexes:
                    try:
                        with self.conn.transaction():
                            self.conn.execute("SELECT bt_index_check(%s::oid, true)", (oid,))
                    except psycopg.errors.DataCorrupted as exc:
                        problems.append(Said("ledger.p.index_check", name=name, why=one_line(exc)))
        except DvcqError as exc:
            problems.append(said_of(exc))
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


def _describe(exc: psycopg.Error, doing: str, conn: psycopg.Connection | None, where: str, secrets: list[str]) -> Said:
    """The one line for a psycopg error, naming the ledger (`where`, already redacted): dvcq's sentence,
    said in the run's language, around libpq's own words with any password in them scrubbed."""
    text, where = _scrub(one_line(exc), secrets), _scrub(str(where), secrets)
    state = getattr(exc, "sqlstate", None) or ""
    if conn is None:  # psycopg.connect itself failed
        if isinstance(exc, psycopg.ProgrammingError):
            return Said("ledger.pg_bad_url", where=where, why=text)
        return Said("ledger.pg_cannot_connect", where=where, why=text)
    if conn.broken or conn.closed or state.startswith(CONNECTION_SQLSTATES):
        return Said("ledger.pg_lost", where=where, why=text)
    return Said(f"ledger.cannot.{doing.replace(' ', '_')}", where=where, why=text)


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text
