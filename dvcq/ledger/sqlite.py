"""The submissions ledger: what was sent, by whom, when. SQLite in WAL mode.

The schema is versioned with PRAGMA user_version; `MIGRATIONS[i]` takes a ledger from version i to
i + 1 inside one transaction, so a newer dvcq opens an older ledger without losing a row. Writers
take the write lock up front (BEGIN IMMEDIATE) and wait for each other (busy_timeout), so many
clerks recording at once never see "database is locked".

A file that is not a dvcq ledger is never written to: it is probed read-only first (its header by
hand, then a read-only connection) and opened for writing only once it is known to be ours. A new
ledger is built beside its final name and linked into place whole, so no one ever sees it half-made.
Every failure reaches the caller as one `DvcqError` line naming the ledger, never a traceback.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from dvcq.core.errors import DvcqError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000

MIGRATIONS: list[tuple[str, ...]] = [
    # 0 -> 1: the submissions themselves; one row per (plan, report, period, unit)
    (
        """CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            plan TEXT NOT NULL,
            report TEXT NOT NULL,
            period TEXT NOT NULL,
            unit TEXT NOT NULL DEFAULT '',
            submitted_on TEXT NOT NULL,
            note TEXT,
            recorded_at TEXT NOT NULL,
            UNIQUE (plan, report, period, unit)
        )""",
    ),
    # 1 -> 2: who recorded it, and an index for `overdue`, which reads by plan and period
    (
        "ALTER TABLE submissions ADD COLUMN recorded_by TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX submissions_by_plan_period ON submissions (plan, period)",
    ),
    # 2 -> 3: `overdue` reads the sent dates of a few years (period >= '2023' AND period < '2026'):
    # a range on period, answered from this index alone (it covers every column that read needs)
    (
        "CREATE INDEX submissions_by_period ON submissions (period, plan, report, unit, submitted_on)",
    ),
    # 3 -> 4: a national `overdue` reads plan by plan (plan = ? AND period in a range): an index that
    # covers that read too, so no row is looked up in the table (0.7 s instead of 2.6 s for 700 plans
    # on a ledger filled in the order reports arrive); it replaces the (plan, period) one
    (
        "DROP INDEX submissions_by_plan_period",
        "CREATE INDEX submissions_by_plan_covering ON submissions (plan, period, report, unit, submitted_on)",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)
# the columns a file must have in its `submissions` table to be taken for a dvcq ledger
LEDGER_COLUMNS = {"plan", "report", "period", "unit", "submitted_on", "note", "recorded_at"}
TEXT_FIELDS = ("plan", "report", "period", "unit", "note", "recorded_by")


@dataclass(frozen=True)
class Submission:
    plan: str
    report: str
    period: str
    unit: str
    submitted_on: dt.date
    note: str | None = None
    recorded_at: str = ""
    recorded_by: str = ""


class LedgerMissing(DvcqError):
    """`Ledger.open(..., create=False)` found no ledger. `explicit` is True when the caller named the
    place (a path or URL), False for the default place, so the caller can word its advice."""

    def __init__(self, path, explicit: bool):
        self.path, self.explicit = path, explicit
        if explicit:
            text = f"{path}: no ledger here yet; record a submission first (dvcq submit)"
        else:
            text = f"no ledger yet at {path} (the default place); record a submission first (dvcq submit)"
        super().__init__(text)


def default_path() -> Path:
    """The per-user ledger. Flags, environment and profiles are the caller's business: it resolves
    them and passes an explicit path to `Ledger.open`."""
    from dvcq.planfiles.files import default_ledger_path

    return default_ledger_path()


PG_SCHEMES = ("postgresql://", "postgres://")


def is_pg_url(where) -> bool:
    return isinstance(where, str) and where[:13].lower().startswith(PG_SCHEMES)


def _split_url(url: str):
    """(scheme, userinfo or None, rest of the authority, path and query) of a PostgreSQL URL."""
    m = re.match(r"(?is)([a-z]+://)([^/?#]*)(.*)$", url)
    if not m:
        return None
    scheme, authority, tail = m.groups()
    userinfo, at, hosts = authority.rpartition("@")
    return scheme, (userinfo if at else None), hosts, tail


def redact_url(url: str) -> str:
    """The URL with its password, if any, shown as ***: postgresql://user:***@host/db (also a
    password=... query parameter). What every message, repr and error names a PostgreSQL ledger by."""
    parts = _split_url(url)
    if parts is None:
        return url
    scheme, userinfo, hosts, tail = parts
    if userinfo is not None and ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    tail = re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", tail)
    return scheme + (f"{userinfo}@" if userinfo is not None else "") + hosts + tail


def url_secrets(url: str) -> list[str]:
    """The password(s) in a URL as written and as decoded, to scrub from any text shown."""
    parts = _split_url(url)
    found: list[str] = []
    if parts is None:
        return found
    _, userinfo, _, tail = parts
    if userinfo is not None and ":" in userinfo:
        found.append(userinfo.split(":", 1)[1])
    found.extend(re.findall(r"(?i)[?&]password=([^&#]*)", tail))
    return [variant for secret in found if secret for variant in {secret, unquote(secret)}]


def one_line(exc: BaseException) -> str:
    """An exception's text on one line (libpq and SQLite messages may span several)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror  # the path is named by the caller; "[Errno 13] ... '/the/path'" says it twice
    return " ".join(str(exc).split()) or type(exc).__name__


# A ledger row as every backend reads and writes it: the columns in this order, the date as ISO text
ROW_FIELDS = ("plan", "report", "period", "unit", "submitted_on", "note", "recorded_at", "recorded_by")
Row = tuple  # (plan, report, period, unit, submitted_on ISO, note or None, recorded_at, recorded_by)


def row_of(s: Submission, now: str, keep_recorded_at: bool = False) -> Row:
    check_submission(s)
    recorded_at = (s.recorded_at or now) if keep_recorded_at else now
    if not isinstance(recorded_at, str) or "\x00" in recorded_at:
        raise DvcqError(f"recorded_at: expected text, got {recorded_at!r}")
    return (s.plan, s.report, s.period, s.unit, s.submitted_on.isoformat(), s.note, recorded_at, s.recorded_by)


def submission_of(row: Row) -> Submission:
    return Submission(row[0], row[1], row[2], row[3], dt.date.fromisoformat(row[4]), row[5], row[6], row[7])


def rows_of(subs, keep_recorded_at: bool = False) -> list[Row]:
    """Validate every submission (naming the first bad one) before anything is written."""
    now = utc_now()
    rows = []
    for n, s in enumerate(subs, 1):
        try:
            rows.append(row_of(s, now, keep_recorded_at))
        except DvcqError as exc:
            key = " ".join(str(getattr(s, f, "?")).encode("utf-8", "backslashreplace").decode("ascii", "replace")
                           for f in ("plan", "report", "period", "unit"))
            raise DvcqError(f"submission {n} ({key}): {exc}") from None
    return rows


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def rows_checksum(rows) -> tuple[int, str]:
    """(count, checksum) of ledger rows, independent of their order: the sum of a 128-bit hash of
    each row, so the two sides of a copy can be compared whatever order each returns them in."""
    total = count = 0
    for row in rows:
        digest = hashlib.blake2b(repr(tuple(row)).encode("utf-8"), digest_size=16).digest()
        total = (total + int.from_bytes(digest, "big")) % (1 << 128)
        count += 1
    return count, f"{total:032x}"


def copy_ledger(src: "Ledger", dst: "Ledger") -> dict:
    """Copy every row of `src` into `dst` (any backends), keeping when and by whom each was recorded.

    `dst` must be empty or hold only rows identical to rows of `src` (a rerun of an interrupted
    copy); otherwise nothing is copied. The copy is one transaction on `dst`, then verified: row
    count and an order-independent checksum of both sides, both reported; a mismatch raises."""
    src_rows = src.rows()
    dst_rows = dst.rows()
    if dst_rows:
        by_key = {row[:4]: row for row in src_rows}
        differing = [row for row in dst_rows if by_key.get(row[:4]) != row]
        if differing:
            first = " ".join(differing[0][:4]).strip()
            raise DvcqError(f"{dst.path}: holds {len(differing)} row(s) that differ from {src.path} or are not in it "
                            f"(first: {first}); nothing copied. Copy into an empty ledger.")
    copied, already = dst._insert_rows(src_rows)
    count_src, sum_src = rows_checksum(src_rows)
    count_dst, sum_dst = rows_checksum(dst.rows())
    report = {"src": str(src.path), "dst": str(dst.path), "copied": copied, "already": already,
              "rows_src": count_src, "rows_dst": count_dst, "checksum_src": sum_src, "checksum_dst": sum_dst}
    if (count_src, sum_src) != (count_dst, sum_dst):
        raise DvcqError(f"the copy does not match: {src.path} {count_src} rows (checksum {sum_src}), "
                        f"{dst.path} {count_dst} rows (checksum {sum_dst})")
    return report


def check_submission(s: Submission) -> None:
    """Refuse, before anything is written, what no backend could store faithfully."""
    for field in TEXT_FIELDS:
        value = getattr(s, field)
        if value is None and field == "note":
            continue
        if not isinstance(value, str):
            raise DvcqError(f"{field}: expected text, got {type(value).__name__}; nothing recorded")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Refused rather than stored with U+FFFD: a note is a record (a dispatch number, a name in
            # Vietnamese). Text from a terminal in a legacy encoding (TCVN3, VNI, CP1258) would lose
            # every accented letter for good, silently; refusing lets the clerk fix the terminal and
            # type it again.
            raise DvcqError(f"{field}: not valid UTF-8 text (check the terminal's encoding); nothing recorded") from None
        if "\x00" in value:
            raise DvcqError(f"{field}: contains a NUL character (no backend stores it); nothing recorded")
    if not isinstance(s.submitted_on, dt.date) or isinstance(s.submitted_on, dt.datetime):
        raise DvcqError(f"submitted_on: expected a date, got {type(s.submitted_on).__name__}; nothing recorded")


class Ledger:
    """A ledger, opened with `Ledger.open`; a context manager."""

    backend = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: Path, *, created: bool = False):
        self.conn, self.path, self.created = conn, path, created

    def __repr__(self) -> str:
        return f"<Ledger {self.backend} {self.path}>"

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, create: bool = True) -> "Ledger":
        """Open (and migrate) a ledger; None means the default place (`default_path()`).

        With create=False and no ledger there, raises `LedgerMissing`; with create=True a new ledger
        is made and `created` is True. A file that is not a dvcq ledger is refused untouched.
        A `postgresql://` or `postgres://` URL opens the shared ledger on PostgreSQL (ledger_pg)."""
        if is_pg_url(path):
            from dvcq.ledger.postgres import PgLedger

            return PgLedger.open_url(path, create=create)
        explicit = path is not None
        path = Path(path) if explicit else default_path()
        try:
            return cls._open_sqlite(path, create, explicit)
        except DvcqError:
            raise
        except (sqlite3.Error, OSError, UnicodeError) as exc:
            hint = " (is its folder writable?)" if "readonly" in str(exc) else ""
            raise DvcqError(f"{path}: cannot open the ledger{hint}: {one_line(exc)}") from None

    @classmethod
    def _open_sqlite(cls, path: Path, create: bool, explicit: bool) -> "Ledger":
        created = False
        if path.is_dir():
            raise DvcqError(f"{path}: is a folder, not a ledger file")
        if not path.exists():
            if not create:
                raise LedgerMissing(path, explicit)
            created = _create_sqlite(path)
        _probe_sqlite(path)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                _retry(lambda: conn.execute("PRAGMA journal_mode = WAL"), path)
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at checkpoint, never corrupt
            ledger = cls(conn, path, created=created)
            ledger._migrate()
            return ledger
        except BaseException:
            conn.close()
            raise

    @contextmanager
    def _errors(self, doing: str):
        """Any failure below becomes one line naming the ledger."""
        try:
            yield
        except DvcqError:
            raise
        except (sqlite3.Error, OSError, UnicodeError) as exc:
            raise DvcqError(f"{self.path}: cannot {doing} the ledger: {one_line(exc)}") from None

    def _transaction(self, work):
        """Run work() inside BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so two
        writers queue on busy_timeout instead of failing on a lock upgrade; retried if SQLite
        still reports the database busy."""
        def run():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                self.conn.execute("COMMIT")
                return result
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

        with self._errors("write to"):
            return _retry(run, self.path)

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return

        def step():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            _apply_migrations(self.conn, current)

        self._transaction(step)

    def close(self) -> None:
        with self._errors("close"):
            self.conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _find(self, key: tuple[str, str, str, str]) -> Submission | None:
        row = self.conn.execute(
            "SELECT plan, report, period, unit, submitted_on, note, recorded_at, recorded_by FROM submissions"
            " WHERE plan = ? AND report = ? AND period = ? AND unit = ?", key).fetchone()
        return _row(row) if row else None

    # -- writing --------------------------------------------------------------------------
    def record(self, s: Submission) -> Submission | None:
        """Record a submission. Returns the existing one if it was already recorded (nothing changes)."""
        check_submission(s)
        now = utc_now()

        def write():
            existing = self._find((s.plan, s.report, s.period, s.unit))
            if existing is None:
                self.conn.execute(
                    "INSERT INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at, recorded_by)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (s.plan, s.report, s.period, s.unit, s.submitted_on.isoformat(), s.note, now, s.recorded_by))
            return existing

        return self._transaction(write)

    def record_many(self, subs, *, keep_recorded_at: bool = False) -> tuple[int, int]:
        """Record many submissions in one transaction: all or nothing. Returns (added, already
        there); a submission already recorded (or repeated in the list) changes nothing, so
        importing the same list twice adds nothing. Every submission is checked before anything is
        written. recorded_at is now, or with keep_recorded_at each submission's own (if it has one)."""
        return self._insert_rows(rows_of(subs, keep_recorded_at))

    def _insert_rows(self, rows: list[Row]) -> tuple[int, int]:
        def write():
            cursor = self.conn.executemany(
                "INSERT INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at, recorded_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan, report, period, unit) DO NOTHING", rows)
            return cursor.rowcount

        added = self._transaction(write) if rows else 0
        return added, len(rows) - added

    def undo(self, plan: str, report: str, period: str, unit: str) -> Submission | None:
        """Remove one recorded submission; returns what was removed, or None if there was none."""
        key = (plan, report, period, unit)

        def delete():
            existing = self._find(key)
            self.conn.execute("DELETE FROM submissions WHERE plan = ? AND report = ? AND period = ? AND unit = ?", key)
            return existing

        return self._transaction(delete)

    # -- reading --------------------------------------------------------------------------
    def submissions(self, plan: str | None = None, unit: str | None = None, period: str | None = None,
                    periods_like: list[str] | None = None, *, as_of: dt.date | None = None) -> list[Submission]:
        """What the ledger holds, filtered; `periods_like`: periods starting with these prefixes
        (years); `as_of`: only what was sent on or before that day."""
        sql = ("SELECT plan, report, period, unit, submitted_on, note, recorded_at, recorded_by FROM submissions"
               " WHERE 1 = 1")
        args: list = []
        for column, value in (("plan", plan), ("unit", unit), ("period", period)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        if periods_like:
            ranges = period_ranges(periods_like)
            sql += " AND (" + " OR ".join("(period >= ? AND period < ?)" for _ in ranges) + ")"
            args.extend(bound for r in ranges for bound in r)
        if as_of is not None:
            sql += " AND submitted_on <= ?"
            args.append(iso_day(as_of))
        sql += " ORDER BY plan, period, report, unit"
        with self._errors("read"):
            return [_row(r) for r in self.conn.execute(sql, args)]

    def sent_dates(self, years, as_of: dt.date | None = None, plan: str | None = None) -> dict[tuple[str, str, str, str], str]:
        """(plan, report, period, unit) -> ISO date sent, for the periods of the given years (ints, or
        strings such as "2024"; any period label starting with the year: 2024, 2024-05, 2024-Q1,
        2024-H1, 2024-9M), sent on or before `as_of` if given, of one plan if given (a national
        `overdue` reads plan by plan, so memory holds one plan's rows at a time). No years: every row.

        The hot path of `overdue`: one range per run of consecutive years (period >= '2023' AND
        period < '2026') on a covering index; key columns only, no ordering, no objects per row."""
        sent: dict[tuple[str, str, str, str], str] = {}
        with self._errors("read"):
            for query, args in self._sent_queries("plan, report, period, unit, submitted_on", years, as_of, plan):
                sent.update({(r[0], r[1], r[2], r[3]): r[4] for r in self.conn.execute(query, args)})
        return sent

    def sent_keys(self, plan: str, years, as_of: dt.date | None = None) -> dict[str, str]:
        """The hot path of a national `overdue`: one plan's "report\tperiod\tunit" -> ISO date sent,
        joined in SQL and read straight into a dict (no tuple built per row in Python)."""
        with self._errors("read"):
            sent: dict[str, str] = {}
            for query, args in self._sent_queries("report || char(9) || period || char(9) || unit, submitted_on",
                                                  years, as_of, plan):
                sent.update(self.conn.execute(query, args).fetchall())
            return sent

    def _sent_queries(self, columns: str, years, as_of, plan) -> list[tuple[str, list]]:
        day = iso_day(as_of) if as_of is not None else None
        sql = f"SELECT {columns} FROM submissions"
        queries: list[tuple[str, list]] = []
        years = list(years or ())
        only = " AND plan = ?" if plan is not None else ""
        for low, high in period_ranges(years):
            queries.append((sql + " WHERE period >= ? AND period < ?" + (" AND submitted_on <= ?" if day else "") + only,
                            [low, high] + ([day] if day else []) + ([plan] if plan is not None else [])))
        if not years:
            queries.append((sql + " WHERE 1 = 1" + (" AND submitted_on <= ?" if day else "") + only,
                            ([day] if day else []) + ([plan] if plan is not None else [])))
        return queries


    def rows(self) -> list[Row]:
        """Every row, as plain tuples (ROW_FIELDS), read in one snapshot."""
        with self._errors("read"):
            return self.conn.execute(
                "SELECT plan, report, period, unit, submitted_on, note, recorded_at, recorded_by FROM submissions"
            ).fetchall()

    def integrity(self) -> list[str]:
        """Problems found in the ledger, one line each; empty when it is sound. SQLite's own check
        of every page and index, then the ledger's rules (schema version, ISO dates)."""
        problems: list[str] = []
        try:
            found = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
            if found != ["ok"]:
                problems.extend(one_line(p) for p in found)
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
            bad = self.conn.execute("SELECT count(*) FROM submissions WHERE submitted_on NOT GLOB"
                                    " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'").fetchone()[0]
            if bad:
                problems.append(f"{bad} row(s) whose submitted_on is not an ISO date")
        except sqlite3.Error as exc:
            problems.append(one_line(exc))
        return problems


def period_ranges(prefixes) -> list[tuple[str, str]]:
    """Periods starting with any of these prefixes (years as ints or text) as the fewest half-open
    ranges [low, high): "2024" -> ("2024", "2025"); 2023, 2024, 2025 -> ("2023", "2026"). Text
    compares byte by byte (SQLite's BINARY, PostgreSQL's "C"), so every label beginning with
    "2024" sorts between "2024" and "2025" and an index on period answers the range."""
    bounds = []
    for prefix in prefixes:
        if isinstance(prefix, int) and not isinstance(prefix, bool) and 0 < prefix <= 9999:
            prefix = f"{prefix:04d}"
        if not isinstance(prefix, str) or not prefix:
            raise DvcqError(f"years: {prefix!r} is not a year")
        bounds.append((prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)))
    merged: list[tuple[str, str]] = []
    for low, high in sorted(bounds):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def iso_day(day) -> str:
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise DvcqError(f"as_of: expected a date, got {type(day).__name__}")
    return day.isoformat()


def _row(r) -> Submission:
    return Submission(plan=r[0], report=r[1], period=r[2], unit=r[3], submitted_on=dt.date.fromisoformat(r[4]),
                      note=r[5], recorded_at=r[6], recorded_by=r[7] if len(r) > 7 else "")


def _apply_migrations(conn: sqlite3.Connection, current: int) -> None:
    for target in range(current, SCHEMA_VERSION):
        for statement in MIGRATIONS[target]:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {target + 1}")


def _sqlite_uri(path: Path, **params: str) -> str:
    """A `file:` URI for a path whatever its characters (?, #, %, bytes that are not UTF-8)."""
    absolute = path.absolute()
    if sys.platform == "win32":
        name = "/" + quote(absolute.as_posix().encode("utf-8"))
    else:
        name = quote(os.fsencode(absolute))
    return f"file:{name}?" + "&".join(f"{k}={v}" for k, v in params.items())


def _probe_sqlite(path: Path) -> None:
    """Decide, without writing a byte, whether the file at `path` is a dvcq ledger; raise if not.

    A read-only connection to a WAL-mode file would still create -wal and -shm files beside it and
    leave them there, so when no other connection has made them the probe reads the file as
    immutable (no locks, no side files). Such a read can race a checkpoint of a live ledger, so a
    failed immutable read is tried again before the file is refused."""
    with open(path, "rb") as fh:
        header = fh.read(100)
    if not header:
        raise DvcqError(f"{path}: an empty file, not a ledger (left untouched); delete it or give another path")
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise DvcqError(f"{path}: not an SQLite ledger (left untouched); give another --db")
    wal_file = header[18] == 2 and header[19] == 2
    attempts = 3
    for attempt in range(attempts):
        side_files = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
        immutable = wal_file and not side_files
        params = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
        try:
            conn = sqlite3.connect(_sqlite_uri(path, **params), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                columns = {r[1] for r in conn.execute("PRAGMA table_info(submissions)")}
            finally:
                conn.close()
            break
        except sqlite3.DatabaseError as exc:
            if immutable and attempt < attempts - 1:
                time.sleep(0.05)
                continue
            raise DvcqError(f"{path}: cannot read the ledger (damaged, or not a dvcq ledger; left untouched): "
                            f"{one_line(exc)}") from None
    if version < 1 or not LEDGER_COLUMNS <= columns:
        raise DvcqError(f"{path}: an SQLite file but not a dvcq ledger (left untouched); give another --db")
    if version > SCHEMA_VERSION:
        raise DvcqError(f"{path}: ledger schema {version} is newer than this dvcq ({SCHEMA_VERSION}); upgrade dvcq")


def _create_sqlite(path: Path) -> bool:
    """Make a new ledger at `path`, whole: built under a temporary name beside it, then hard-linked
    into place, which fails if another process got there first (then theirs is used). Returns True
    if this call made the ledger at `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DvcqError(f"{path}: cannot create the folder {path.parent}: {one_line(exc)}") from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            conn.execute("PRAGMA user_version").fetchone()  # opens the file for real
        except sqlite3.Error as exc:
            raise DvcqError(f"{path}: cannot create a ledger in {path.parent} (is the folder writable?): "
                            f"{one_line(exc)}") from None
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            _apply_migrations(conn, 0)
            conn.execute("COMMIT")
        finally:
            conn.close()
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        except OSError:
            # a file system without hard links: rename, unless someone made the ledger meanwhile
            if path.exists():
                return False
            os.replace(tmp, path)
            return True
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _retry(action, where, attempts: int = 20):
    """busy_timeout covers most waits; this covers the few cases SQLite reports at once
    (a lock upgrade, a WAL switch racing another opener)."""
    delay = 0.01
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if attempt == attempts - 1:
                raise DvcqError(f"{where}: still locked by another dvcq after waiting; try again") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
