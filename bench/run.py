"""dvcq benchmarks: start-up and scale, each reported as a ratio measured in the same run.

    python bench/run.py            # full run (a few minutes); writes bench/results/latest.json
    python bench/run.py --quick    # smoke mode for CI: tiny sizes, checks that everything runs

Start-up: wall time of `dvcq deadlines ... --format json` and `dvcq overdue --quiet`, as a ratio to
`python -c "import typer, rich.console, rich.table, yaml"` (the floor of our stack), medians.
Scale: 63 generated provincial plans with 60 units and 10 years each, a ledger of 10 years of
submissions, `dvcq overdue --as-of` and `dvcq check` over them; then the ledger doubled.
Peak memory of every command comes from getrusage of the child that ran it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TARGETS = {
    "deadlines_startup_ratio": 1.3,
    "overdue_scale_seconds": 1.0,
    "overdue_growth_ratio": 2.0,  # ledger doubled: at most linear
    "check_scale_seconds": 1.0,
    "peak_memory_mb": 150.0,
    "hostile_check_seconds": 2.0,  # dvcq check on each hostile file (issue: within 2 s and 200 MB)
    "hostile_check_mb": 200.0,
}


def hostile_files(folder: Path) -> dict[str, Path]:
    """The inputs `dvcq check` must survive: each should give one clean error, fast."""
    bomb = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
    contents = {
        "huge-50mb.yaml": b"a: " + b"x" * 50_000_000 + b"\n",
        "deep-10000.yaml": b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        "alias-bomb.yaml": bomb.encode(),
        "python-tag.yaml": b"!!python/object/apply:os.system ['true']\n",
        "not-utf8.yaml": b"id: x\nissuer: H\xe0 Giang\n",
        "syntax.yaml": b"id: [unclosed\n",
        "empty.yaml": b"",
        "top-level-list.yaml": b"- a\n- b\n",
    }
    out = {}
    for name, data in contents.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    return out

# Runs the command in a child and reports its own wall time and peak RSS, so the numbers are the
# command's alone, not the harness's.
MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
if r.returncode not in (0, 1):
    sys.stderr.write(r.stderr.decode()); sys.exit(3)
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def measure(cmd: list[str], env: dict) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{out.stderr}")
    wall, rss = out.stdout.split()
    return float(wall), float(rss)


def median_of(cmd, env, runs) -> tuple[float, float]:
    measure(cmd, env)  # warm the OS file cache and .pyc files
    samples = [measure(cmd, env) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def interleaved(cmds: dict[str, list[str]], env, runs) -> dict[str, tuple[float, float]]:
    """Medians of commands run in turn (a, b, c, a, b, c ...), so a slow spell of the machine
    hits every command alike and the ratios stay fair."""
    for cmd in cmds.values():
        measure(cmd, env)
    samples: dict[str, list] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            samples[name].append(measure(cmd, env))
    return {name: (statistics.median(s[0] for s in v), max(s[1] for s in v)) for name, v in samples.items()}


def generated_plan(index: int, units: int, years: list[int]) -> str:
    unit_lines = "\n".join(f"  - {{id: unit-{u:02d}, name: Đơn vị {u:02d}, kind: sở}}" for u in range(units))
    return f"""id: province-{index:02d}
issuer: UBND tỉnh số {index:02d}
document: {index}/KH-UBND
issued: {years[0] - 1}-12-20
years: [{", ".join(map(str, years))}]
roll: next
units:
{unit_lines}
reports:
  - id: monthly
    title: Báo cáo tháng
    every: month
    due: {{before: {{day: 20}}}}
    window: {{from: {{day: 15, period_month: 1, months_offset: -1}}, to: {{day: 14, period_month: -1}}}}
    merged: {{3: quarterly, 6: semiannual, 9: quarterly, 12: annual}}
    source: {{section: IV, quote: "Báo cáo tháng trước ngày 20"}}
  - id: quarterly
    title: Báo cáo quý
    every: quarter
    periods: [1, 3]
    due: {{before: {{day: 20, period_month: -1}}}}
    source: {{section: IV, quote: "Báo cáo quý trước ngày 20 tháng cuối quý"}}
  - id: semiannual
    title: Báo cáo 6 tháng
    every: half
    periods: [1]
    due: {{before: {{day: 20, month: 6}}}}
    source: {{section: IV, quote: "Báo cáo 6 tháng trước ngày 20/6"}}
  - id: annual
    title: Báo cáo năm
    every: year
    due: {{before: {{day: 20, month: 12}}}}
    source: {{section: IV, quote: "Báo cáo năm trước ngày 20/12"}}
"""


def fill_ledger(db: Path, plans_dir: Path, years: list[int]) -> int:
    """Every unit sends every report of these years, most on time, some late, a few never."""
    from dvcq.engine import schedule
    from dvcq.ledger import Ledger
    from dvcq.loader import load_plan
    from dvcq.workdays import load_calendar

    cal = load_calendar()
    Ledger.open(db).close()  # create and migrate
    conn = sqlite3.connect(db)
    rows = []
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for path in sorted(plans_dir.glob("*.yaml")):
        plan = load_plan(path)
        for year in years:
            for d in schedule(plan, year, cal).deadlines:
                if d.merged_into:
                    continue
                for n, unit in enumerate(plan.units):
                    if (n + year) % 29 == 0:
                        continue  # never sent
                    late = 3 if (n * 7 + year) % 11 == 0 else 0
                    rows.append((plan.id, d.report, d.period, unit.id,
                                 (d.effective_due + dt.timedelta(days=late)).isoformat(), None, now, "bench"))
    conn.executemany("INSERT OR IGNORE INTO submissions (plan, report, period, unit, submitted_on, note, recorded_at,"
                     " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    count = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    conn.close()
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke mode: tiny sizes, 3 runs")
    ap.add_argument("--runs", type=int, default=None, help="start-up runs per command (default 15, quick 3)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 15)
    provinces, units, nyears = (3, 4, 2) if args.quick else (63, 60, 10)
    last_year = 2024
    years = list(range(last_year - nyears + 1, last_year + 1))

    work = Path(tempfile.mkdtemp(prefix="dvcq-bench-"))
    env = {**os.environ, "NO_COLOR": "1", "DVCQ_DB": str(work / "empty.sqlite3")}
    env.pop("DVCQ_PLANS", None)
    py = sys.executable
    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "cpus": os.cpu_count()}, "quick": args.quick, "runs": runs}

    startup = interleaved({
        "floor": [py, "-c", "import typer, rich.console, rich.table, yaml"],
        "deadlines": [py, "-m", "dvcq", "deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "json"],
        "overdue": [py, "-m", "dvcq", "overdue", "--quiet"],
    }, env, runs)
    (floor, floor_mb), (deadlines, deadlines_mb), (overdue_q, overdue_q_mb) = (
        startup["floor"], startup["deadlines"], startup["overdue"])
    results["startup"] = {
        "floor_s": floor, "deadlines_s": deadlines, "overdue_quiet_s": overdue_q,
        "deadlines_startup_ratio": deadlines / floor, "overdue_startup_ratio": overdue_q / floor,
        "peak_mb": {"floor": floor_mb, "deadlines": deadlines_mb, "overdue_quiet": overdue_q_mb},
    }

    plans_dir = work / "plans"
    plans_dir.mkdir()
    for i in range(provinces):
        (plans_dir / f"province-{i:02d}.yaml").write_text(generated_plan(i, units, years), encoding="utf-8")
    db = work / "ledger.sqlite3"
    t = time.perf_counter()
    rows = fill_ledger(db, plans_dir, years)
    fill_s = time.perf_counter() - t
    scale_env = {**env, "DVCQ_DB": str(db)}
    as_of = f"{last_year}-06-25"
    overdue_cmd = [py, "-m", "dvcq", "overdue", "--plans-dir", str(plans_dir), "--as-of", as_of, "--format", "json"]
    check_cmd = [py, "-m", "dvcq", "check", str(plans_dir)]
    scale_runs = max(3, runs // 3)
    overdue_s, overdue_mb = median_of(overdue_cmd, scale_env, scale_runs)
    check_s, check_mb = median_of(check_cmd, scale_env, scale_runs)
    # double the ledger with ten earlier years of submissions
    earlier = [y - nyears for y in years]
    for path in plans_dir.glob("*.yaml"):  # the older editions, to generate their rows
        path.write_text(path.read_text(encoding="utf-8").replace(
            f"years: [{', '.join(map(str, years))}]", f"years: [{', '.join(map(str, earlier + years))}]"), encoding="utf-8")
    rows2 = fill_ledger(db, plans_dir, earlier)
    for path in plans_dir.glob("*.yaml"):
        path.write_text(generated_plan(int(path.stem.split("-")[1]), units, years), encoding="utf-8")
    overdue2_s, overdue2_mb = median_of(overdue_cmd, scale_env, scale_runs)
    results["scale"] = {
        "provinces": provinces, "units": units, "years": nyears, "ledger_rows": rows, "ledger_rows_doubled": rows2,
        "fill_s": fill_s, "overdue_s": overdue_s, "overdue_doubled_s": overdue2_s,
        "overdue_growth_ratio": overdue2_s / overdue_s, "check_s": check_s,
        "peak_mb": {"overdue": overdue_mb, "overdue_doubled": overdue2_mb, "check": check_mb},
    }
    hostile_dir = work / "hostile"
    hostile_dir.mkdir()
    hostile = {name: measure([py, "-m", "dvcq", "check", str(path)], env) for name, path in hostile_files(hostile_dir).items()}
    worst_s = max(t for t, _ in hostile.values())
    worst_mb = max(m for _, m in hostile.values())
    results["hostile"] = {name: {"seconds": t, "peak_mb": m} for name, (t, m) in hostile.items()}
    peak = max(deadlines_mb, overdue_q_mb, overdue_mb, overdue2_mb, check_mb)
    verdict = {
        "deadlines_startup_ratio": results["startup"]["deadlines_startup_ratio"] <= TARGETS["deadlines_startup_ratio"],
        "overdue_scale_seconds": overdue_s < TARGETS["overdue_scale_seconds"],
        "overdue_growth_ratio": results["scale"]["overdue_growth_ratio"] <= TARGETS["overdue_growth_ratio"],
        "check_scale_seconds": check_s < TARGETS["check_scale_seconds"],
        "peak_memory_mb": peak < TARGETS["peak_memory_mb"],
        "hostile_check_seconds": worst_s < TARGETS["hostile_check_seconds"],
        "hostile_check_mb": worst_mb < TARGETS["hostile_check_mb"],
    }
    results["targets"] = TARGETS
    results["met"] = verdict

    lines = [
        f"{'measure':44} {'value':>12}  target",
        f"{'floor: import typer, rich, yaml (median s)':44} {floor:12.3f}",
        f"{'deadlines start-up, x floor':44} {deadlines / floor:12.2f}  <= {TARGETS['deadlines_startup_ratio']}",
        f"{'overdue --quiet start-up, x floor':44} {overdue_q / floor:12.2f}",
        f"{f'ledger rows ({provinces} plans x {units} units x {nyears} y)':44} {rows:12,d}",
        f"{'overdue at scale (s)':44} {overdue_s:12.3f}  < {TARGETS['overdue_scale_seconds']}",
        f"{f'overdue, ledger doubled to {rows2:,} rows (s)':44} {overdue2_s:12.3f}",
        f"{'overdue growth ratio (doubled / base)':44} {overdue2_s / overdue_s:12.2f}  <= {TARGETS['overdue_growth_ratio']}",
        f"{f'check of {provinces} plans (s)':44} {check_s:12.3f}  < {TARGETS['check_scale_seconds']}",
        f"{'peak memory of any command (MB)':44} {peak:12.1f}  < {TARGETS['peak_memory_mb']}",
        f"{f'check, worst of {len(hostile)} hostile files (s)':44} {worst_s:12.3f}  < {TARGETS['hostile_check_seconds']}",
        f"{'check, hostile files, peak memory (MB)':44} {worst_mb:12.1f}  < {TARGETS['hostile_check_mb']}",
    ]
    print("\n".join(lines))
    missed = [k for k, ok in verdict.items() if not ok]
    print("targets missed: " + (", ".join(missed) if missed else "none") + (" (quick mode: sizes too small to judge)" if args.quick else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
