"""dvcq ledger backends: SQLite against PostgreSQL in one run, each measure as a ratio PG / SQLite.

    python bench/backends.py                       # SQLite only unless DVCQ_TEST_PG is set
    python bench/backends.py --pg postgresql://... # a server (a fresh schema is made and dropped)
    python bench/backends.py --quick               # smoke sizes

Measures, on each backend, through the library API (`dvcq.ledger.Ledger`):
  - `record`: single submissions, one transaction each (what `dvcq submit` does), per second;
  - `record_many` of 10,000 submissions (one transaction), and the same list again (all present);
  - `sent_dates` at national scale: 34 provinces x 120 units x 10 years, 12 reports per unit and
    year (8 monthly, Q1, H1, 9M, the year), a few never sent: about 475,000 rows. The read is the
    one `dvcq overdue --as-of 2024-06-25` makes (years 2023-2025: about 95,000 rows), median of runs;
    also a cold first read on a new connection.
Results go to bench/results/backends.json with the settings that bear on them: SQLite in WAL with
synchronous=NORMAL; the server's synchronous_commit and fsync, which .ci/run's throwaway server
sets to off and on (durable within a fraction of a second, never corrupt, like SQLite's).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dvcq.ledger import Ledger, Submission  # noqa: E402

REPORTS = [("monthly", f"{m:02d}") for m in (1, 2, 4, 5, 7, 8, 10, 11)] + [
    ("quarterly", "Q1"), ("semiannual", "H1"), ("nine-months", "9M"), ("annual", "")]


def national(provinces: int, units: int, years: list[int]) -> list[Submission]:
    """Every unit of every province sends every report of these years, a few never."""
    subs = []
    for p in range(provinces):
        plan = f"province-{p:02d}"
        for year in years:
            for n in range(units):
                if (n + year + p) % 37 == 0:
                    continue  # this unit sent nothing that year
                for i, (report, label) in enumerate(REPORTS):
                    period = f"{year}-{label}" if label else str(year)
                    sent = dt.date(year, min(12, i + 1), 10 + (n * 7 + i) % 15)
                    subs.append(Submission(plan, report, period, f"unit-{n:03d}", sent, None, "", "bench"))
    return subs


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench_backend(where, singles: int, bulk: int, scale: list[Submission], read_years: list[str], runs: int) -> dict:
    out: dict = {}
    with Ledger.open(where) as ledger:
        single = [Submission("single", "monthly", f"{2000 + i // 12}-{i % 12 + 1:02d}", f"u{i % 5}", dt.date(2024, 1, 1))
                  for i in range(singles)]
        seconds = timed(lambda: [ledger.record(s) for s in single])
        out["record_per_s"] = singles / seconds
        batch = [Submission("bulk", "monthly", f"{2000 + i // 1000}-{i % 12 + 1:02d}", f"unit-{i % 1000}",
                            dt.date(2024, 1, 1)) for i in range(bulk)]
        out["record_many_s"] = timed(lambda: ledger.record_many(batch))
        out["record_many_again_s"] = timed(lambda: ledger.record_many(batch))
        out["fill_s"] = timed(lambda: ledger.record_many(scale))
        out["rows"] = len(ledger.rows())
    with Ledger.open(where) as ledger:
        sent: dict = {}
        out["sent_dates_cold_s"] = timed(lambda: sent.update(ledger.sent_dates(read_years)))
        times = []
        for _ in range(runs):
            times.append(timed(lambda: ledger.sent_dates(read_years)))
        out["sent_dates_s"] = statistics.median(times)
        out["sent_dates_rows"] = len(sent)
        out["integrity_problems"] = len(ledger.integrity())
        if ledger.backend == "postgresql":
            settings = dict(ledger.conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'server_version')"))
            out["settings"] = settings
        else:
            out["settings"] = {"journal_mode": ledger.conn.execute("PRAGMA journal_mode").fetchone()[0],
                               "synchronous": {0: "off", 1: "normal", 2: "full", 3: "extra"}[
                                   ledger.conn.execute("PRAGMA synchronous").fetchone()[0]]}
    return out


def pg_place(url: str):
    """A fresh schema for the run; returns (URL whose search_path is it, drop())."""
    import psycopg

    schema = f"dvcq_bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")

    def drop():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", drop


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=os.environ.get("DVCQ_TEST_PG"), help="PostgreSQL URL (default DVCQ_TEST_PG)")
    ap.add_argument("--quick", action="store_true", help="smoke sizes")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "backends.json")
    args = ap.parse_args()
    provinces, units, nyears = (3, 10, 3) if args.quick else (34, 120, 10)
    singles, bulk, runs = (200, 1_000, 3) if args.quick else (2_000, 10_000, 7)
    years = list(range(2024 - nyears + 1, 2025))
    read_years = ["2023", "2024", "2025"]  # what `overdue --as-of 2024-06-25` reads
    scale = national(provinces, units, years)

    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "cpus": os.cpu_count()},
                     "sizes": {"provinces": provinces, "units": units, "years": nyears, "scale_rows": len(scale),
                               "singles": singles, "record_many": bulk, "read_years": read_years, "runs": runs},
                     "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="dvcq-bench-") as work:
        print(f"SQLite: {len(scale):,} rows at national scale ...", flush=True)
        results["sqlite"] = bench_backend(Path(work) / "ledger.sqlite3", singles, bulk, scale, read_years, runs)
    if args.pg:
        from dvcq.ledger import redact_url

        url, drop = pg_place(args.pg)
        try:
            print(f"PostgreSQL ({redact_url(args.pg)}): the same ...", flush=True)
            results["postgresql"] = bench_backend(url, singles, bulk, scale, read_years, runs)
        finally:
            drop()
    else:
        print("PostgreSQL skipped: give --pg postgresql://... or set DVCQ_TEST_PG (.ci/run starts a server)")

    s, p = results["sqlite"], results.get("postgresql")
    rows = [("record, single submissions (per s)", "record_per_s", "{:,.0f}", True),
            (f"record_many of {bulk:,} (s)", "record_many_s", "{:.3f}", False),
            (f"record_many of {bulk:,} again, all present (s)", "record_many_again_s", "{:.3f}", False),
            (f"fill: record_many of {len(scale):,} (s)", "fill_s", "{:.2f}", False),
            (f"sent_dates {read_years[0]}-{read_years[-1]}, median (s)", "sent_dates_s", "{:.3f}", False),
            ("sent_dates, first read on a new connection (s)", "sent_dates_cold_s", "{:.3f}", False)]
    ratios = {}
    lines = [f"{'measure':50} {'SQLite':>10} {'PostgreSQL':>11} {'PG/SQLite':>10}"]
    for label, key, fmt, higher_is_better in rows:
        pg_text = fmt.format(p[key]) if p else "-"
        ratio = ""
        if p:
            # a ratio of times: > 1 means PostgreSQL takes longer (for per-second rates, the inverse)
            ratios[key] = (s[key] / p[key]) if higher_is_better else (p[key] / s[key])
            ratio = f"{ratios[key]:.2f}x"
        lines.append(f"{label:50} {fmt.format(s[key]):>10} {pg_text:>11} {ratio:>10}")
    lines.append(f"{'rows read by sent_dates / rows in the ledger':50} {s['sent_dates_rows']:,} / {s['rows']:,}")
    settings = f"SQLite {s['settings']}" + (f"; PostgreSQL {p['settings']}" if p else "")
    lines.append(f"settings: {settings}")
    lines.append("PG/SQLite is a ratio of times (for record per second, of the time per record): > 1, PostgreSQL is slower")
    results["ratios_pg_over_sqlite"] = ratios
    print("\n".join(lines))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
