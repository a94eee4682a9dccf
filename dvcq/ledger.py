"""The submissions ledger: what was sent, by whom, when. SQLite in WAL mode.

The schema is versioned with PRAGMA user_version; `MIGRATIONS[i]` takes a ledger from version i to
i + 1 inside one transaction, so a newer dvcq opens an older ledger without losing a row. Writers
take the write lock up front (BEGIN IMMEDIATE) and wait for each other (busy_timeout), so many
clerks recording at once never see "database is locked".
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import DvcqError

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
]
SCHEMA_VERSION = len(MIGRATIONS)


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


def default_path() -> Path:
    env = os.environ.get("DVCQ_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dvcq", appauthor=False)) / "ledger.sqlite3"


class Ledger:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path

    @classmethod
    def open(cls, path: Path | None = None, *, create: bool = True) -> "Ledger":
        """Open (and migrate) a ledger. A file that is not an SQLite ledger is refused untouched."""
        path = Path(path) if path else default_path()
        if path.is_dir():
            raise DvcqError(f"{path}: is a folder, not a ledger file")
        if path.exists() and path.stat().st_size > 0:
            with open(path, "rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise DvcqError(f"{path}: not an SQLite ledger (left untouched); give another --db")
        elif not create:
            raise DvcqError(f"{path}: no ledger here yet; record a submission first (dvcq submit)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise DvcqError(f"{path}: ledger schema {version} is newer than this dvcq ({SCHEMA_VERSION}); upgrade dvcq")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == 0 and tables:
                raise DvcqError(f"{path}: an SQLite file but not a dvcq ledger (left untouched)")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                _retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at checkpoint, never corrupt
            ledger = cls(conn, path)
            ledger._migrate()
            return ledger
        except sqlite3.DatabaseError as exc:
            raise DvcqError(f"{path}: cannot open the ledger: {exc}") from None

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

        return _retry(run)

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return

        def step():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            for target in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[target]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {target + 1}")

        self._transaction(step)

    def close(self) -> None:
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
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

        def write():
            existing = self._find((s.plan, s.report, s.period, s.unit))
            if existing is None:
                self.conn.execute(
                    "INSERT INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at, recorded_by)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (s.plan, s.report, s.period, s.unit, s.submitted_on.isoformat(), s.note, now, s.recorded_by))
            return existing

        return self._transaction(write)

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
                    periods_like: list[str] | None = None) -> list[Submission]:
        sql = ("SELECT plan, report, period, unit, submitted_on, note, recorded_at, recorded_by FROM submissions"
               " WHERE 1 = 1")
        args: list = []
        for column, value in (("plan", plan), ("unit", unit), ("period", period)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        if periods_like:
            # overdue reads only the years that matter: push that filter into SQL, not Python
            sql += " AND (" + " OR ".join("period LIKE ?" for _ in periods_like) + ")"
            args.extend(f"{p}%" for p in periods_like)
        sql += " ORDER BY plan, period, report, unit"
        try:
            return [_row(r) for r in self.conn.execute(sql, args)]
        except sqlite3.DatabaseError as exc:
            raise DvcqError(f"{self.path}: cannot read the ledger: {exc}") from None


    def sent_dates(self, periods_like: list[str]) -> dict[tuple[str, str, str, str], str]:
        """(plan, report, period, unit) -> ISO date sent, for periods starting with the given years.
        The hot path of `overdue`: key columns only, no ordering, no objects per row."""
        sql = "SELECT plan, report, period, unit, submitted_on FROM submissions"
        if periods_like:
            sql += " WHERE " + " OR ".join("period LIKE ?" for _ in periods_like)
        try:
            return {(r[0], r[1], r[2], r[3]): r[4] for r in self.conn.execute(sql, [f"{p}%" for p in periods_like])}
        except sqlite3.DatabaseError as exc:
            raise DvcqError(f"{self.path}: cannot read the ledger: {exc}") from None


def _row(r) -> Submission:
    return Submission(plan=r[0], report=r[1], period=r[2], unit=r[3], submitted_on=dt.date.fromisoformat(r[4]),
                      note=r[5], recorded_at=r[6], recorded_by=r[7] if len(r) > 7 else "")


def _retry(action, attempts: int = 20):
    """busy_timeout covers most waits; this covers the few cases SQLite reports at once
    (a lock upgrade, a WAL switch racing another opener)."""
    delay = 0.01
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise DvcqError(f"ledger: {exc}") from None
            if attempt == attempts - 1:
                raise DvcqError("ledger: still locked by another dvcq after waiting; try again") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
