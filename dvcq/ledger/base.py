"""The ledger's interface, whatever the backend: what a submission is, the errors, the URL helpers
(a PostgreSQL URL is named without its password everywhere), the checks every submission passes
before anything is written, and `copy_ledger` between any two ledgers.

The backends (`dvcq.ledger.sqlite`, `dvcq.ledger.postgres`) import this module and never each
other; `dvcq.ledger.open_ledger` (and `Ledger.open`) picks one by what it is given.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from dvcq.core.errors import DvcqError

# the schema version both backends migrate to (each has its own migrations to get there)
SCHEMA_VERSION = 4

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



# how `Ledger.open` picks a backend: set by the package (`dvcq.ledger.open_ledger`), which is
# imported before this module whenever this module is, so the interface never imports a backend
_OPENER: list = []


class Ledger:
    """A ledger, opened with `Ledger.open` (a path: SQLite; a postgresql:// URL: PostgreSQL); a
    context manager. The backends implement the methods below."""

    backend = ""
    path: object = None
    created: bool = False

    @classmethod
    def open(cls, where=None, *, create: bool = True) -> "Ledger":
        """Open (and migrate) a ledger; None means the default place (`default_path()`). With
        create=False and no ledger there, raises `LedgerMissing`; with create=True a new ledger is
        made and `created` is True. What is not a dvcq ledger is refused untouched."""
        return _OPENER[0](where, create=create)

    def __repr__(self) -> str:
        return f"<Ledger {self.backend} {self.path}>"

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError

    def record(self, s: Submission) -> Submission | None:
        """Record a submission. Returns the existing one if it was already recorded (nothing changes)."""
        raise NotImplementedError

    def record_many(self, subs, *, keep_recorded_at: bool = False) -> tuple[int, int]:
        """Record many submissions in one transaction: all or nothing. Returns (added, already
        there); a submission already recorded (or repeated in the list) changes nothing, so
        importing the same list twice adds nothing. Every submission is checked before anything is
        written. recorded_at is now, or with keep_recorded_at each submission's own (if it has one)."""
        return self._insert_rows(rows_of(subs, keep_recorded_at))

    def _insert_rows(self, rows: list[Row]) -> tuple[int, int]:
        raise NotImplementedError

    def undo(self, plan: str, report: str, period: str, unit: str) -> Submission | None:
        raise NotImplementedError

    def submissions(self, plan=None, unit=None, period=None, periods_like=None, *, as_of=None) -> list[Submission]:
        raise NotImplementedError

    def sent_dates(self, years, as_of=None, plan=None) -> dict[tuple[str, str, str, str], str]:
        raise NotImplementedError

    def sent_keys(self, plan: str, years, as_of=None) -> dict[str, str]:
        raise NotImplementedError

    def rows(self) -> list[Row]:
        raise NotImplementedError

    def integrity(self) -> list[str]:
        raise NotImplementedError


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
