"""The ledger's interface, whatever the backend: what a submission is, the errors, the URL helpers
(a PostgreSQL URL is named without its password everywhere), the checks every submission passes
before anything is written, and `copy_ledger` between any two ledgers.

The backends (`dvcq.ledger.sqlite`, `dvcq.ledger.postgres`) import this module and never each
other; `dvcq.ledger.open_ledger` (and `Ledger.open`) picks one by what it is given.

History, not deletion: every change is an `Event` kept for ever (recorded, corrected, withdrawn;
when, who, why, from which command), numbered per report from 1. The backends write events only;
the state (`submissions`, what every read answers from) is what the events give, kept by the
database's own triggers. `--as-of D` is the ledger as it stood on D (`fold`): the current state,
with only the reports changed after D replayed from their events. `history_problems` is what
`verify` checks: no event missing, each possible where it stands, each state what its events give.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from dvcq.core.errors import DvcqError
from dvcq.core.messages import Said  # a problem said in the run's language where it is printed

# the schema version both backends migrate to (each has its own migrations to get there)
SCHEMA_VERSION = 5

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
    source: str | None = None  # the command that recorded it: "submit --from FILE row N"


# What the history holds: every change to the ledger, kept for ever, in the order it was made.
KINDS = ("recorded", "corrected", "withdrawn")
EVENT_FIELDS = ("id", "plan", "report", "period", "unit", "n", "kind", "submitted_on", "note", "why", "source",
                "recorded_at", "recorded_by")
# the columns of an event as the backends read them (submitted_on as ISO text), in EVENT_FIELDS order
EVENT_COLUMNS = ", ".join(EVENT_FIELDS)


@dataclass(frozen=True)
class Event:
    """One change to the ledger. `n` numbers the events of one (plan, report, period, unit) from 1:
    a gap means an event is missing. `recorded_at` is UTC (ISO), `recorded_by` the OS login
    (SQLite) or the PostgreSQL role (the server's `current_user`)."""
    id: int
    plan: str
    report: str
    period: str
    unit: str
    n: int
    kind: str  # recorded | corrected | withdrawn
    submitted_on: dt.date | None  # None when withdrawn
    note: str | None
    why: str | None
    source: str | None
    recorded_at: str
    recorded_by: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.plan, self.report, self.period, self.unit)


def event_of(r) -> Event:
    day = r[7]
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], day, r[8], r[9], r[10], r[11], r[12])


def as_of_cutoff(day) -> str:
    """The first instant after `day` in Vietnam (UTC+7, no summer time), as the UTC ISO text events
    carry: a change made before it is part of the ledger as it stood on `day`."""
    start = dt.datetime.combine(dt.date.fromisoformat(iso_day(day)) + dt.timedelta(days=1), dt.time())
    return (start - dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def fold(events, as_of=None) -> Submission | None:
    """The state of one key from its events, in order (`n`). With `as_of`, as the ledger stood on
    that day: a first record counts from the day the report was sent, whenever it was typed in;
    corrections, withdrawals and records made again count from the day they were made."""
    cutoff = as_of_cutoff(as_of) if as_of is not None else None
    state = None
    for e in events:
        if cutoff is not None and e.n > 1 and e.recorded_at >= cutoff:
            break
        if e.kind == "withdrawn":
            state = None
        else:
            state = Submission(e.plan, e.report, e.period, e.unit, e.submitted_on, e.note, e.recorded_at,
                               e.recorded_by, e.source)
    if state is not None and as_of is not None and state.submitted_on.isoformat() > iso_day(as_of):
        return None
    return state


def history_problems(events, state: dict) -> list[str]:
    """What is wrong between the history and the state: each key's events numbered 1, 2, 3 ...
    with no gap, each event possible where it stands (a correction or withdrawal of something
    recorded, a record of something not recorded), and each state row exactly what its events give.
    `events`: every event ordered by key then n; `state`: key -> Submission as the ledger holds it."""
    problems: list[str] = []
    seen: set = set()
    current = None
    live = None
    expected = 1

    def close(key, live_state):
        held = state.get(key)
        derived = (live_state.submitted_on, live_state.note) if live_state else None
        if ((held.submitted_on, held.note) if held else None) != derived:
            problems.append(Said("ledger.p.state", key=" ".join(key).strip(), held=_said(held), derived=_said(live_state)))

    for e in events:
        if e.key != current:
            if current is not None:
                close(current, live)
            current, live, expected = e.key, None, 1
            seen.add(e.key)
        name = " ".join(e.key).strip()
        if e.n != expected:
            problems.append(Said("ledger.p.gap", key=name, expected=expected, found=e.n))
        expected = e.n + 1
        if e.kind == "recorded":
            if live is not None:
                problems.append(Said("ledger.p.twice", key=name, n=e.n))
            live = Submission(*e.key, e.submitted_on, e.note)
        elif e.kind in ("corrected", "withdrawn"):
            if live is None:
                problems.append(Said("ledger.p.nothing_recorded", key=name, n=e.n, kind=e.kind))
            live = Submission(*e.key, e.submitted_on, e.note) if e.kind == "corrected" else None
        else:
            problems.append(Said("ledger.p.kind", key=name, n=e.n, kind=e.kind))
    if current is not None:
        close(current, live)
    for key in sorted(set(state) - seen):
        problems.append(Said("ledger.p.no_event", key=" ".join(key).strip()))
    return problems


def _said(s: Submission | None) -> str:
    if s is None:
        return Said("ledger.p.nothing")
    return Said("ledger.p.sent_note", day=s.submitted_on, note=s.note) if s.note else Said("ledger.p.sent", day=s.submitted_on)


class LedgerMissing(DvcqError):
    """`Ledger.open(..., create=False)` found no ledger. `explicit` is True when the caller named the
    place (a path or URL), False for the default place, so the caller can word its advice."""

    def __init__(self, path, explicit: bool):
        self.path, self.explicit = path, explicit
        super().__init__(msg="ledger.missing_here" if explicit else "ledger.missing_default", path=path)


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


def said_of(exc: DvcqError):
    """An error's text to put inside another: a Said where it was said by id, so the whole is said in
    the run's language."""
    if exc.msg_id is not None:
        return Said(exc.msg_id, **exc.values)
    return exc.args[0] if exc.args else str(exc)


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
        raise DvcqError(msg="ledger.recorded_at", value=recorded_at)
    return (s.plan, s.report, s.period, s.unit, s.submitted_on.isoformat(), s.note, recorded_at, s.recorded_by,
            s.source)


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
            raise DvcqError(msg="ledger.submission_n", n=n, key=key, why=said_of(exc)) from None
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
    """Copy the whole history of `src` into `dst` (any backends): every event as it was (when, by
    whom, why, from which command), so the state there is the same.

    `dst` must be empty or hold only events identical to events of `src` (a rerun of an interrupted
    copy); otherwise nothing is copied. The copy is one transaction on `dst`, then verified: the
    state's row count and an order-independent checksum of both sides, and the same of the events,
    all reported; a mismatch raises."""
    src_events = src.events()
    dst_events = dst.events()
    mine = {(e.key, e.n): e for e in src_events}
    differing = [e for e in dst_events if mine.get((e.key, e.n), None) != _same(e, mine.get((e.key, e.n)))]
    if differing:
        first = " ".join(differing[0].key).strip()
        raise DvcqError(msg="ledger.copy_differs", dst=dst.path, count=len(differing), src=src.path, first=first)
    there = {(e.key, e.n) for e in dst_events}
    copied = dst._insert_events([e for e in src_events if (e.key, e.n) not in there])
    count_src, sum_src = rows_checksum(src.rows())
    count_dst, sum_dst = rows_checksum(dst.rows())
    events_src, esum_src = rows_checksum(_event_row(e) for e in src_events)
    events_dst, esum_dst = rows_checksum(_event_row(e) for e in dst.events())
    report = {"src": str(src.path), "dst": str(dst.path), "copied": copied, "already": len(src_events) - copied,
              "rows_src": count_src, "rows_dst": count_dst, "checksum_src": sum_src, "checksum_dst": sum_dst,
              "events_src": events_src, "events_dst": events_dst, "events_checksum_src": esum_src,
              "events_checksum_dst": esum_dst}
    if (count_src, sum_src, events_src, esum_src) != (count_dst, sum_dst, events_dst, esum_dst):
        raise DvcqError(msg="ledger.copy_mismatch", src=src.path, rows_src=count_src, events_src=events_src,
                        sum_src=sum_src, esum_src=esum_src, dst=dst.path, rows_dst=count_dst, events_dst=events_dst,
                        sum_dst=sum_dst, esum_dst=esum_dst)
    return report


def _event_row(e: "Event") -> tuple:
    """An event as compared between two ledgers: all but its id (each ledger numbers its own)."""
    return (*e.key, e.n, e.kind, e.submitted_on.isoformat() if e.submitted_on else None, e.note, e.why, e.source,
            e.recorded_at, e.recorded_by)


def _same(e: "Event", other: "Event | None"):
    """`e` when it matches `other` but for the id, else a marker that matches nothing."""
    return other if other is not None and _event_row(e) == _event_row(other) else object()


def check_text(field: str, value) -> None:
    """Optional text (a reason, a source, a note) as every backend stores it."""
    if value is None:
        return
    if not isinstance(value, str):
        raise DvcqError(msg="ledger.not_text", field=field, kind=type(value).__name__)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Refused rather than stored with U+FFFD: a note is a record (a dispatch number, a name in
        # Vietnamese). Text from a terminal in a legacy encoding (TCVN3, VNI, CP1258) would lose
        # every accented letter for good, silently; refusing lets the clerk fix the terminal and
        # type it again.
        raise DvcqError(msg="ledger.not_utf8", field=field) from None
    if "\x00" in value:
        raise DvcqError(msg="ledger.nul", field=field)


def unchanged(before: Submission, s: Submission) -> None:
    """A correction that changes nothing is refused, in every backend's words alike."""
    if (before.submitted_on, before.note) == (s.submitted_on, s.note):
        key = (s.plan, s.report, s.period, s.unit)
        raise DvcqError(msg="ledger.unchanged", key=" ".join(key).strip(), sent=s.submitted_on,
                        note=f" ({s.note})" if s.note else "")


def check_submission(s: Submission) -> None:
    """Refuse, before anything is written, what no backend could store faithfully."""
    for field in TEXT_FIELDS:
        value = getattr(s, field)
        if value is None and field == "note":
            continue
        if not isinstance(value, str):
            raise DvcqError(msg="ledger.not_text", field=field, kind=type(value).__name__)
        check_text(field, value)
    check_text("source", s.source)
    if not isinstance(s.submitted_on, dt.date) or isinstance(s.submitted_on, dt.datetime):
        raise DvcqError(msg="ledger.not_a_date", kind=type(s.submitted_on).__name__)



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

    def undo(self, plan: str, report: str, period: str, unit: str, why: str | None = None,
             who: str = "", source: str | None = None) -> Submission | None:
        """Withdraw a recorded submission (an event kept for ever, with `why`); returns what was
        withdrawn, or None if nothing was recorded."""
        check_text("why", why)
        check_text("source", source)
        key = (plan, report, period, unit)

        def write():
            existing = self._find(key)
            if existing is not None:
                self._add_event(key, "withdrawn", None, None, why, source, who)
            return existing

        return self._atomically(write)

    def correct(self, s: Submission, why: str) -> tuple[Submission, Submission] | None:
        """Correct a recorded submission's date sent or note (an event kept for ever, with `why`);
        returns (before, after), or None if nothing was recorded. Changing nothing is refused."""
        check_submission(s)
        check_text("why", why)
        key = (s.plan, s.report, s.period, s.unit)

        def write():
            before = self._find(key)
            if before is None:
                return None
            unchanged(before, s)
            self._add_event(key, "corrected", s.submitted_on, s.note, why, s.source, s.recorded_by)
            return before, self._find(key)

        return self._atomically(write)

    # What a backend gives the methods above: one transaction (retried where the database asks), the
    # current state of a key, and one event appended to the history.
    def _atomically(self, work):
        raise NotImplementedError

    def _find(self, key: tuple[str, str, str, str]) -> Submission | None:
        raise NotImplementedError

    def _add_event(self, key, kind: str, submitted_on, note, why, source, who: str) -> None:
        raise NotImplementedError

    def history(self, plan: str | None = None, unit: str | None = None, period: str | None = None) -> list[Event]:
        """Every event, oldest first, filtered."""
        raise NotImplementedError

    def events(self) -> list[Event]:
        """Every event ordered by key then number (what `verify` and `copy` read)."""
        raise NotImplementedError

    def _changed_keys(self, cutoff: str, plan: str | None) -> set:
        """Keys with a correction, withdrawal or new record made at or after `cutoff`."""
        raise NotImplementedError

    def _events_of(self, keys) -> dict:
        """key -> its events in order, for these keys."""
        raise NotImplementedError

    def _as_of(self, as_of, plan=None, unit=None, period=None, periods=None) -> dict:
        """key -> the state as the ledger stood on `as_of`, for the keys the current state cannot
        answer for (changed after that day) and the filters match; None where nothing stood."""
        if as_of is None:
            return {}
        keys = self._changed_keys(as_of_cutoff(as_of), plan)
        ranges = period_ranges(periods) if periods else None
        keys = [k for k in keys if (unit is None or k[3] == unit) and (period is None or k[2] == period)
                and (ranges is None or any(low <= k[2] < high for low, high in ranges))]
        if not keys:
            return {}
        return {key: fold(events, as_of) for key, events in self._events_of(keys).items()}

    def _patch_list(self, found: list[Submission], as_of, plan, unit, period, periods) -> list[Submission]:
        patch = self._as_of(as_of, plan, unit, period, periods)
        if not patch:
            return found
        by_key = {(s.plan, s.report, s.period, s.unit): s for s in found}
        for key, state in patch.items():
            by_key.pop(key, None)
            if state is not None:
                by_key[key] = state
        return sorted(by_key.values(), key=lambda s: (s.plan, s.period, s.report, s.unit))

    def _patch_sent(self, sent: dict, as_of, years, plan) -> dict:
        for key, state in self._as_of(as_of, plan, periods=list(years or ())).items():
            sent.pop(key, None)
            if state is not None:
                sent[key] = state.submitted_on.isoformat()
        return sent

    def _patch_keys(self, sent: dict, as_of, years, plan) -> dict:
        for key, state in self._as_of(as_of, plan, periods=list(years or ())).items():
            name = "\t".join(key[1:])
            sent.pop(name, None)
            if state is not None:
                sent[name] = state.submitted_on.isoformat()
        return sent

    def verify(self) -> list[str]:
        """The history checked against the state: see `history_problems`."""
        return history_problems(self.events(), {s[:4]: submission_of(s) for s in self.rows()})

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
            raise DvcqError(msg="plan.not_a_year", year=prefix)
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
        raise DvcqError(msg="ledger.as_of", kind=type(day).__name__)
    return day.isoformat()
