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
# --tree DIR: measure the dvcq of another tree (for the figures before a change), imported from there
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve() if "--tree" in sys.argv[:-1] else HERE.parent
sys.path.insert(0, str(TREE))

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


def national_commands(pg: str | None, quick: bool, runs: int, tree: Path) -> dict:
    """`overdue --as-of` and `scorecard --year 2024` (the national section of bench/run.py) over the
    national ledger (34 provinces x 120 units x 10 years) on SQLite and on PostgreSQL, by the dvcq
    of `tree` (this checkout, or another for the figures before a change): its own bench/gen.py
    makes the plans and the ledger (with the history: as events, one in a hundred corrected after
    the as-of dates). Median wall time of `runs` runs of each command, the runs interleaved, after
    one untimed run (the plan cache warm)."""
    import importlib.util
    import subprocess

    spec = importlib.util.spec_from_file_location("tree_gen", tree / "bench" / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    provinces, units, nyears = (3, 20, 3) if quick else (34, 120, 10)
    years = list(range(2024 - nyears + 1, 2025))
    out: dict = {"tree": str(tree), "provinces": provinces, "units": units, "years": nyears}
    with tempfile.TemporaryDirectory(prefix="dvcq-bench-national-") as work:
        work = Path(work)
        ids = gen.write_plans(work / "plans", provinces, units, years)
        db = work / "ledger.sqlite3"
        out["fill_s"] = timed(lambda: out.__setitem__("rows", gen.fill_ledger(db, ids, units, years)))
        places = {"sqlite": str(db)}
        drop = None
        if pg:
            url, drop = pg_place(pg)
            if hasattr(gen, "fill_pg"):
                out["pg_fill_s"] = timed(lambda: gen.fill_pg(url, db))
            else:  # a dvcq before the history: its copy
                from dvcq.ledger import Ledger, copy_ledger
                with Ledger.open(db) as src, Ledger.open(url) as dst:
                    out["pg_fill_s"] = timed(lambda: copy_ledger(src, dst))
            places["postgresql"] = url
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("DVCQ_")}
            env.update({"NO_COLOR": "1", "PYTHONPATH": str(tree), "XDG_CACHE_HOME": str(work / "cache"),
                        "XDG_CONFIG_HOME": str(work / "config"), "XDG_DATA_HOME": str(work / "data")})
            commands = {"overdue": ["overdue", "--plans-dir", str(work / "plans"), "--as-of", "2024-06-25",
                                    "--format", "json"],
                        "scorecard": ["scorecard", "--plans-dir", str(work / "plans"), "--year", "2024",
                                      "--as-of", "2024-12-31"]}
            times: dict = {(b, c): [] for b in places for c in commands}
            for rnd in range(runs + 1):
                for (backend, name) in times:
                    argv = [sys.executable, "-m", "dvcq", *commands[name]]
                    start = time.perf_counter()
                    r = subprocess.run(argv, env={**env, "DVCQ_DB": places[backend]}, cwd=work, capture_output=True)
                    took = time.perf_counter() - start
                    if r.returncode not in (0, 1):
                        raise SystemExit(f"{name} on {backend}: exit {r.returncode}: {r.stderr.decode()[-500:]}")
                    if rnd:
                        times[(backend, name)].append(took)
                    elif name == "overdue":
                        out[f"{backend}_overdue_items"] = len(json.loads(r.stdout)["items"])
            for (backend, name), samples in times.items():
                out[f"{backend}_{name}_s"] = statistics.median(samples)
        finally:
            if drop:
                drop()
    return out


def compare_national(before: dict, after: dict) -> list[str]:
    lines = [f"{'national, median of runs (s)':34} {'before':>8} {'after':>8} {'after/before':>13}"]
    for backend in ("sqlite", "postgresql"):
        for name in ("overdue", "scorecard"):
            key = f"{backend}_{name}_s"
            if key in before and key in after:
                lines.append(f"{name + ' on ' + backend:34} {before[key]:8.3f} {after[key]:8.3f} "
                             f"{after[key] / before[key]:12.2f}x")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=os.environ.get("DVCQ_TEST_PG"), help="PostgreSQL URL (default DVCQ_TEST_PG)")
    ap.add_argument("--quick", action="store_true", help="smoke sizes")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "backends.json")
    ap.add_argument("--national", action="store_true",
                    help="overdue and scorecard over the national ledger on both backends, this dvcq against --before")
    ap.add_argument("--before", type=Path, help="--national: a tree of the dvcq to compare with (git archive of a commit)")
    ap.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.national:
        runs = 3 if args.quick else 7
        if args.tree:  # one tree's figures, for the run that asked (see --before)
            args.out.write_text(json.dumps(national_commands(args.pg, args.quick, runs, TREE)), encoding="utf-8")
            return 0
        results = {}
        if args.before:
            import subprocess

            with tempfile.TemporaryDirectory() as scratch:
                got = Path(scratch) / "before.json"
                subprocess.run([sys.executable, __file__, "--national", "--tree", str(args.before.resolve()),
                                "--out", str(got)] + (["--quick"] if args.quick else []) + (
                                   ["--pg", args.pg] if args.pg else []), check=True,
                               env={**os.environ, "PYTHONPATH": str(args.before.resolve())})
                results["before"] = json.loads(got.read_text(encoding="utf-8"))
        results["after"] = national_commands(args.pg, args.quick, runs, TREE)
        print(json.dumps(results, indent=2))
        if args.before:
            print("\n".join(compare_national(results["before"], results["after"])))
        out = args.out.with_name("national-history.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")
        return 0
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
