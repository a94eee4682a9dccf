"""dvcq benchmarks: every measure against its target, each ratio measured within one run.

    python bench/run.py                  # full run (several minutes): 34, 63 and 700 plans, ...
    python bench/run.py --plans 700      # the scale section at 700 plans only (repeatable, or 34,63)
    python bench/run.py --quick          # smoke mode for CI: tiny sizes, every path once, exit 0
    python bench/run.py --pg URL         # also SQLite against PostgreSQL (bench/backends.py); or DVCQ_TEST_PG
    python bench/run.py --profile        # and cProfile each command that missed its target
    python bench/run.py --ledger-order plan  # generated ledgers plan by plan, not in the order sent

Sections (--sections picks some):
  startup   `deadlines --plan thai-nguyen --year 2024 --format json` and `overdue --quiet`, as
            ratios to the floor of our stack (`python -c "import typer, rich.console, rich.table,
            yaml"`), without and with a profile (dvcq.toml in the working directory naming the
            plan, a language and a ledger); all interleaved; cold start-up (DVCQ_NO_CACHE=1) too.
  scale     for each N (34, 63, 700): N generated plans x 60 units, a ledger of 10 years of their
            submissions; `overdue --as-of` over all of them (time, peak memory; warm and cold plan
            cache), `overdue --plan X` among the N against X alone, `check` of the N files. The
            ledger's rows go in the order they were sent, as a real ledger grows (one plan's
            rows spread over the whole table); --ledger-order plan puts each plan's together.
  national  issue 12: 34 provinces x 120 units x 10 years; `overdue --as-of`, and again with the
            ledger doubled by 10 earlier years (growth ratio); `scorecard --year 2024`.
  desk      issue 13: `submit --plan thai-nguyen --from` a 10,000-row incoming-documents register.
  far       `check` of a rule dated 2199-12-30, cold (DVCQ_NO_CACHE=1).
  phrases   issue 10: `deadlines` of a plan written in phrases against the same plan structured,
            cold (with the cache neither parses); `draft` of a 100-page .docx (bench/draft.py).
  backends  issue 15: bench/backends.py, when --pg or DVCQ_TEST_PG names a server; else skipped.
  hostile   `check` of each hostile file (50 MB, 10,000-deep, alias bomb, tags, not UTF-8 ...).
  bombs     issue 22 (bench/bombs.py): each .xlsx bomb (rows, one comment, styles.xml, shared
            strings; ~1 GB inflated) refused under 5 s and 200 MB; `submit --from` of a
            1,048,576-row sheet under 10 s and 300 MB.
  board     issue 20: `board` (the whole static site) at 34 provinces x 120 units x a year; the
            size of its index.html (bench/board.py).

Each command runs in a child that reports its own wall time and peak RSS (getrusage of its own
child), so the numbers are the command's, not the harness's. Commands compared with each other
run in turn (a, b, c, a, b, c, ...) and each gets the median of its runs, so a slow spell of the
machine hits all alike. Every run of dvcq has its own cache, config and data folders (XDG_*), so
no user's profile or ledger takes part; "warm" is that cache after one untimed run, "cold" is
DVCQ_NO_CACHE=1 (neither parsed plans nor the days-off tables are read from disk).
Results: a table on stdout and bench/results/latest.json (every sample kept).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import gen  # noqa: E402  (bench/gen.py)

PY = sys.executable
SECTIONS = ("startup", "scale", "national", "desk", "far", "phrases", "backends", "hostile", "board", "bombs")
AS_OF = "2024-06-25"  # overdue's day: Q2 half-way through its chase, last year's reports all due


# -- running commands ------------------------------------------------------------------------------
# Runs the command in a child and prints its own wall time and peak RSS, so the numbers are the
# command's alone, not the harness's. Exit 0 and 1 are answers (1: something overdue, a check
# warning, an unmatched register row); anything else is a failed benchmark.
MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
if r.returncode not in (0, 1):
    sys.stderr.write(r.stderr.decode(errors="replace")); sys.exit(3)
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


@dataclass
class Cmd:
    argv: list[str]
    env: dict
    cwd: Path | None = None
    prepare: Callable[[], None] | None = None  # before each run (e.g. a fresh ledger)


def dvcq(*args: str) -> list[str]:
    return [PY, "-m", "dvcq", *args]


def shown(argv: list[str]) -> str:
    """A command as a user would type it: `dvcq ...`, the harness's temporary paths shortened."""
    words = ["dvcq", *argv[3:]] if argv[:3] == [PY, "-m", "dvcq"] else ["python", *argv[1:]]
    return " ".join(w if len(w) < 60 else w[:25] + "…" + w[-30:] for w in words)


def measure(cmd: Cmd) -> tuple[float, float]:
    if cmd.prepare:
        cmd.prepare()
    out = subprocess.run([PY, "-c", MEASURE, *cmd.argv], env=cmd.env, cwd=cmd.cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd.argv)}\n{out.stderr}")
    wall, rss = out.stdout.split()
    return float(wall), float(rss)


@dataclass
class Sample:
    walls: list[float]
    rss: list[float]
    cmd: Cmd = field(repr=False, default=None)

    @property
    def s(self) -> float:
        return statistics.median(self.walls)

    @property
    def mb(self) -> float:
        return max(self.rss)

    def record(self) -> dict:
        return {"median_s": round(self.s, 4), "peak_mb": round(self.mb, 1), "walls": [round(w, 4) for w in self.walls],
                "command": shown(self.cmd.argv), "cold": bool(self.cmd.env.get("DVCQ_NO_CACHE"))}


def interleaved(cmds: dict[str, Cmd], runs: int, warm: bool = True) -> dict[str, Sample]:
    """Medians of commands run in turn (a, b, c, a, b, c ...), so a slow spell of the machine hits
    every command alike and the ratios stay fair. One untimed run of each first: the OS file cache,
    .pyc files and dvcq's own cache (where the command uses it) are warm."""
    if warm:
        for cmd in cmds.values():
            measure(cmd)
    samples = {name: Sample([], [], cmd) for name, cmd in cmds.items()}
    for _ in range(runs):
        for name, cmd in cmds.items():
            wall, rss = measure(cmd)
            samples[name].walls.append(wall)
            samples[name].rss.append(rss)
    return samples


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the report ------------------------------------------------------------------------------------
@dataclass
class Line:
    key: str
    measure: str
    value: float | str
    fmt: str = "{:.3f}"
    target: float | None = None
    op: str = "<"  # value op target is met
    unit: str = ""
    met: bool | None = None  # None: no target, or not judged (quick)
    cmd: Cmd | None = field(default=None, repr=False)

    def target_text(self) -> str:
        return "" if self.target is None else f"{self.op} {self.target:g}{self.unit}"

    def value_text(self) -> str:
        return self.value if isinstance(self.value, str) else self.fmt.format(self.value) + self.unit


class Report:
    def __init__(self, quick: bool):
        self.quick = quick
        self.lines: list[Line] = []

    def add(self, key, measure, value, fmt="{:.3f}", target=None, op="<", unit="", cmd=None) -> Line:
        line = Line(key, measure, value, fmt, target, op, unit, None, cmd)
        if target is not None and not self.quick and not isinstance(value, str):
            line.met = value < target if op == "<" else value <= target
        self.lines.append(line)
        return line

    def table(self) -> str:
        width = max(len(x.measure) for x in self.lines) if self.lines else 10
        out = [f"{'measure':{width}}  {'value':>14}  {'target':>10}  met"]
        for x in self.lines:
            met = "—" if x.target is None else ("n/j" if x.met is None else ("yes" if x.met else "NO"))
            if len(x.value_text()) > 14:  # a sentence (skipped ...): on its own, after the measure
                out.append(f"{x.measure:{width}}  {x.value_text()}")
                continue
            out.append(f"{x.measure:{width}}  {x.value_text():>14}  {x.target_text():>10}  {met}")
        return "\n".join(out)

    def records(self) -> list[dict]:
        return [{"key": x.key, "measure": x.measure, "value": x.value if isinstance(x.value, str) else round(x.value, 4),
                 "unit": x.unit.strip(), "target": x.target, "op": x.op if x.target is not None else None,
                 "met": x.met, "command": shown(x.cmd.argv) if x.cmd else None} for x in self.lines]


# -- sections --------------------------------------------------------------------------------------
def startup(rep: Report, res: dict, work: Path, env: dict, runs: int) -> None:
    say("start-up ...")
    nowhere = work / "cwd"
    nowhere.mkdir()
    prof = work / "profile"
    prof.mkdir()
    gen.empty_ledger(prof / "ledger.sqlite3")
    (prof / "dvcq.toml").write_text('plans = ["thai-nguyen"]\nlang = "vi"\ndb = "ledger.sqlite3"\n', encoding="utf-8")
    penv = {k: v for k, v in env.items() if k != "DVCQ_DB"}  # the profile names the ledger
    deadlines = dvcq("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "json")
    cmds = {
        "floor": Cmd([PY, "-c", "import typer, rich.console, rich.table, yaml"], env, nowhere),
        "deadlines": Cmd(deadlines, env, nowhere),
        "deadlines_profile": Cmd(deadlines, penv, prof),
        "overdue_quiet": Cmd(dvcq("overdue", "--quiet"), env, nowhere),
        "overdue_quiet_profile": Cmd(dvcq("overdue", "--quiet"), penv, prof),
        "overdue_quiet_json": Cmd(dvcq("overdue", "--quiet", "--format", "json"), env, nowhere),
        "deadlines_cold": Cmd(deadlines, {**env, "DVCQ_NO_CACHE": "1"}, nowhere),
    }
    # dvcq's own sources compiled on every run, as when PYTHONDONTWRITEBYTECODE=1 is set and dvcq is
    # an editable install (no .pyc beside it): a bytecode cache that has everything but dvcq
    import dvcq as package

    nopyc = work / "pyc-without-dvcq"
    subprocess.run(deadlines, env={**env, "PYTHONPYCACHEPREFIX": str(nopyc)}, cwd=nowhere, stdout=subprocess.DEVNULL)
    ours = nopyc / str(Path(package.__file__).resolve().parent).lstrip(os.sep)
    if ours.is_dir():
        shutil.rmtree(ours)
        cmds["deadlines_nopyc"] = Cmd(deadlines, {**env, "PYTHONPYCACHEPREFIX": str(nopyc), "PYTHONDONTWRITEBYTECODE": "1"},
                                      nowhere)
    got = interleaved(cmds, runs)
    floor = got["floor"].s
    res["startup"] = {name: s.record() for name, s in got.items()}
    res["startup"]["profile"] = (prof / "dvcq.toml").read_text(encoding="utf-8")
    res["startup"]["overdue_quiet_items"] = overdue_items(cmds["overdue_quiet_json"])
    rep.add("startup.floor_s", "floor: python -c 'import typer, rich, yaml' (s)", floor, cmd=cmds["floor"])
    for name, label, target in (
            ("deadlines", "deadlines --plan thai-nguyen start-up, x floor", 1.3),
            ("deadlines_profile", "  the same with a dvcq.toml profile, x floor", 1.3),
            ("overdue_quiet", "overdue --quiet start-up, x floor", None),
            ("overdue_quiet_profile", "  the same with a dvcq.toml profile, x floor", None),
            ("overdue_quiet_json", "  the same --format json (no table drawn), x floor", None),
            ("deadlines_cold", "deadlines start-up, cold (DVCQ_NO_CACHE=1), x floor", None),
            ("deadlines_nopyc", "deadlines start-up, dvcq's .py compiled each run, x floor", None)):
        if name in got:
            rep.add(f"startup.{name}_ratio", label, got[name].s / floor, "{:.2f}", target, "<=", "x", cmd=cmds[name])
        if target is not None:  # the margin: dvcq's own time over the floor, and what the target allows
            rep.add(f"startup.{name}_over_floor_ms", f"  dvcq's time over the floor (ms; the target allows {(target - 1) * floor * 1000:.0f})",
                    (got[name].s - floor) * 1000, "{:.0f}")
    # issue 18: dataclasses(slots=True) for the use cases' answers unless that costs over 2 ms a run
    import answers  # bench/answers.py

    cost = answers.measure(3 if rep.quick else 15)
    res["startup"]["answers"] = cost
    rep.add("startup.answers_as_dataclasses_ms",
            f"  the {cost['classes']} api answers as dataclass(slots=True), ms a run (> 2: api.answer kept)",
            cost["cost_ms"], "{:.1f}")
    profile_misses(rep)


def overdue_items(cmd: Cmd) -> int | None:
    """How many rows an `overdue --format json` run shows."""
    out = subprocess.run(cmd.argv, env=cmd.env, cwd=cmd.cwd, capture_output=True, text=True).stdout
    try:
        return len(json.loads(out)["items"])
    except (ValueError, KeyError):
        return None


def scale(rep: Report, res: dict, work: Path, env: dict, sizes: list[int], units: int, years: list[int], runs: int,
          order: str) -> None:
    res["scale"] = {}
    for n in sizes:
        say(f"scale: {n} plans x {units} units x {len(years)} years: generating ...")
        base = work / f"scale-{n}"
        ids = gen.write_plans(base / "plans", n, units, years)
        solo = base / "solo"
        solo.mkdir()
        shutil.copy(base / "plans" / f"{ids[0]}.yaml", solo)
        t = time.perf_counter()
        rows = gen.fill_ledger(base / "ledger.sqlite3", ids, units, years, order)
        fill_s = time.perf_counter() - t
        say(f"  ledger: {rows:,} rows in {fill_s:.1f} s; measuring ...")
        e = {**env, "DVCQ_DB": str(base / "ledger.sqlite3")}
        cold = {**e, "DVCQ_NO_CACHE": "1"}
        all_ = dvcq("overdue", "--plans-dir", str(base / "plans"), "--as-of", AS_OF, "--format", "json")
        among = dvcq("overdue", "--plan", ids[0], "--plans-dir", str(base / "plans"), "--as-of", AS_OF, "--format", "json")
        alone = dvcq("overdue", "--plan", ids[0], "--plans-dir", str(solo), "--as-of", AS_OF, "--format", "json")
        cmds = {
            "overdue": Cmd(all_, e), "overdue_cold": Cmd(all_, cold),
            "one_among": Cmd(among, e), "one_alone": Cmd(alone, e),
            "one_among_cold": Cmd(among, cold), "one_alone_cold": Cmd(alone, cold),
            "check": Cmd(dvcq("check", str(base / "plans")), e),
        }
        got = interleaved(cmds, runs)
        res["scale"][str(n)] = {"plans": n, "units": units, "years": len(years), "ledger_rows": rows, "ledger_order": order,
                                "overdue_items": overdue_items(cmds["overdue"]),
                                "fill_s": round(fill_s, 2), **{k: s.record() for k, s in got.items()}}
        # targets: 700 from the brief (2 s, 300 MB); 63 from the README's table (1 s, 150 MB, check 1 s)
        t_s, t_mb, t_check = {700: (2.0, 300.0, None), 63: (1.0, 150.0, 1.0)}.get(n, (None, None, None))
        rep.add(f"scale.{n}.ledger_rows", f"ledger at {n} plans x {units} units x {len(years)} y (rows; fill s)",
                f"{rows:,}; {fill_s:.1f}")
        rep.add(f"scale.{n}.overdue_s", f"overdue --as-of, {n} plans, warm cache (s)", got["overdue"].s, target=t_s,
                unit=" s", cmd=cmds["overdue"])
        rep.add(f"scale.{n}.overdue_mb", f"  peak memory (MB)", got["overdue"].mb, "{:.0f}", t_mb, unit=" MB",
                cmd=cmds["overdue"])
        rep.add(f"scale.{n}.overdue_cold_ratio", f"  cold cache (DVCQ_NO_CACHE=1), x warm",
                got["overdue_cold"].s / got["overdue"].s, "{:.2f}", unit="x", cmd=cmds["overdue_cold"])
        rep.add(f"scale.{n}.overdue_cold_s", f"  cold cache (s)", got["overdue_cold"].s, unit=" s", cmd=cmds["overdue_cold"])
        rep.add(f"scale.{n}.one_plan_ratio", f"overdue --plan X among {n} / X alone, warm", got["one_among"].s / got["one_alone"].s,
                "{:.2f}", 1.5, "<=", "x", cmd=cmds["one_among"])
        rep.add(f"scale.{n}.one_plan_cold_ratio", f"  the same, cold cache", got["one_among_cold"].s / got["one_alone_cold"].s,
                "{:.2f}", unit="x", cmd=cmds["one_among_cold"])
        rep.add(f"scale.{n}.one_alone_s", f"  X alone, warm (s)", got["one_alone"].s, unit=" s", cmd=cmds["one_alone"])
        rep.add(f"scale.{n}.check_s", f"check of the {n} plans (s)", got["check"].s, target=t_check, unit=" s", cmd=cmds["check"])
        rep.add(f"scale.{n}.check_mb", f"  peak memory (MB)", got["check"].mb, "{:.0f}", unit=" MB", cmd=cmds["check"])
        profile_misses(rep)
        shutil.rmtree(base / "plans")  # a 700-plan ledger is over 1 GB: free it before the next size
        for f in base.glob("ledger.sqlite3*"):
            f.unlink()


def national(rep: Report, res: dict, work: Path, env: dict, provinces: int, units: int, years: list[int], runs: int,
             order: str) -> None:
    say(f"national: {provinces} provinces x {units} units x {len(years)} years: generating ...")
    base = work / "national"
    ids = gen.write_plans(base / "plans", provinces, units, years)
    db, db2 = base / "ledger.sqlite3", base / "ledger-doubled.sqlite3"
    t = time.perf_counter()
    rows = gen.fill_ledger(db, ids, units, years, order)
    fill_s = time.perf_counter() - t
    shutil.copy(db, db2)
    earlier = [y - len(years) for y in years]
    rows2 = gen.fill_ledger(db2, ids, units, earlier, order)  # the doubled ledger: ten earlier years
    say(f"  ledger: {rows:,} rows ({fill_s:.1f} s), doubled {rows2:,}; measuring ...")
    e, e2 = {**env, "DVCQ_DB": str(db)}, {**env, "DVCQ_DB": str(db2)}
    over = dvcq("overdue", "--plans-dir", str(base / "plans"), "--as-of", AS_OF, "--format", "json")
    year = str(years[-1])
    card = dvcq("scorecard", "--plans-dir", str(base / "plans"), "--year", year, "--as-of", f"{year}-12-31")
    cmds = {
        "overdue": Cmd(over, e), "overdue_doubled": Cmd(over, e2), "overdue_cold": Cmd(over, {**e, "DVCQ_NO_CACHE": "1"}),
        "scorecard": Cmd(card, e), "scorecard_json": Cmd(card + ["--format", "json"], e),
        "scorecard_cold": Cmd(card, {**e, "DVCQ_NO_CACHE": "1"}),
    }
    got = interleaved(cmds, runs)
    res["national"] = {"provinces": provinces, "units": units, "years": len(years), "ledger_rows": rows,
                       "ledger_rows_doubled": rows2, "fill_s": round(fill_s, 2), **{k: s.record() for k, s in got.items()}}
    tag = f"{provinces} x {units} x {len(years)} y"
    rep.add("national.ledger_rows", f"national ledger {tag} (rows; doubled)", f"{rows:,}; {rows2:,}")
    rep.add("national.overdue_s", f"overdue --as-of at {tag}, warm (s)", got["overdue"].s, target=1.0, unit=" s",
            cmd=cmds["overdue"])
    rep.add("national.overdue_mb", "  peak memory (MB)", got["overdue"].mb, "{:.0f}", unit=" MB", cmd=cmds["overdue"])
    rep.add("national.overdue_cold_ratio", "  cold cache, x warm", got["overdue_cold"].s / got["overdue"].s, "{:.2f}",
            unit="x", cmd=cmds["overdue_cold"])
    rep.add("national.overdue_growth_ratio", f"  ledger doubled ({len(years)} earlier years), x base",
            got["overdue_doubled"].s / got["overdue"].s, "{:.2f}", 2.0, "<=", "x", cmd=cmds["overdue_doubled"])
    rep.add("national.scorecard_s", f"scorecard --year {year} at {tag}, table (s)", got["scorecard"].s, target=1.0,
            unit=" s", cmd=cmds["scorecard"])
    rep.add("national.scorecard_mb", "  peak memory (MB)", got["scorecard"].mb, "{:.0f}", unit=" MB", cmd=cmds["scorecard"])
    rep.add("national.scorecard_json_ratio", "  --format json, x table", got["scorecard_json"].s / got["scorecard"].s,
            "{:.2f}", unit="x", cmd=cmds["scorecard_json"])
    rep.add("national.scorecard_cold_ratio", "  cold cache, x warm", got["scorecard_cold"].s / got["scorecard"].s,
            "{:.2f}", unit="x", cmd=cmds["scorecard_cold"])
    profile_misses(rep)


def desk(rep: Report, res: dict, work: Path, env: dict, rows: int, units: int, years: list[int], runs: int) -> None:
    """Two registers of `rows` rows: the Thái Nguyên fixture repeated (real spellings and senders;
    its reports are 302 obligations, so most rows repeat one already matched), and one generated
    for a plan of `units` units, every report row a different obligation."""
    say(f"desk: submit --from a {rows:,}-row register ...")
    base = work / "desk"
    base.mkdir()
    fixture_csv, generated_csv = base / "register-fixture.csv", base / "register-generated.csv"
    written = gen.register(fixture_csv, rows)
    gen.write_plans(base / "plans", 1, units, years)
    written_gen = gen.generated_register(generated_csv, rows, units, years)

    def fresh(name: str):
        def new_ledger():
            for f in base.glob(f"{name}.sqlite3*"):
                f.unlink()
        return new_ledger

    def ledger(name: str) -> dict:
        return {**env, "DVCQ_DB": str(base / f"{name}.sqlite3")}

    cmd = dvcq("submit", "--plan", "thai-nguyen", "--from", str(fixture_csv))
    cmd_gen = dvcq("submit", "--plan", "province-00", "--plans-dir", str(base / "plans"), "--from", str(generated_csv))
    cmds = {
        "submit": Cmd(cmd, ledger("fresh"), prepare=fresh("fresh")),
        "submit_again": Cmd(cmd, ledger("again")),  # every row already recorded (after the warm-up run)
        "dry_run": Cmd(cmd + ["--dry-run"], ledger("fresh")),
        "submit_cold": Cmd(cmd, {**ledger("fresh"), "DVCQ_NO_CACHE": "1"}, prepare=fresh("fresh")),
        "submit_generated": Cmd(cmd_gen, ledger("fresh-gen"), prepare=fresh("fresh-gen")),
    }
    got = interleaved(cmds, runs)
    import sqlite3

    def count(name: str) -> int:
        with sqlite3.connect(base / f"{name}.sqlite3") as conn:
            return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]

    recorded, recorded_gen = count("again"), count("fresh-gen")
    res["desk"] = {"register_rows": written, "recorded": recorded, "generated_register_rows": written_gen,
                   "generated_recorded": recorded_gen, **{k: s.record() for k, s in got.items()}}
    rep.add("desk.submit_s", f"submit --from a {written:,}-row register (fixture x{written / 444:.0f}), new ledger (s)",
            got["submit"].s, target=1.0, unit=" s", cmd=cmds["submit"])
    rep.add("desk.submit_mb", f"  peak memory (MB); {recorded:,} submissions recorded", got["submit"].mb, "{:.0f}",
            unit=" MB", cmd=cmds["submit"])
    rep.add("desk.submit_again_ratio", "  again, every row already there, x new", got["submit_again"].s / got["submit"].s,
            "{:.2f}", unit="x", cmd=cmds["submit_again"])
    rep.add("desk.dry_run_ratio", "  --dry-run, x new", got["dry_run"].s / got["submit"].s, "{:.2f}", unit="x",
            cmd=cmds["dry_run"])
    rep.add("desk.submit_cold_ratio", "  cold cache, x warm", got["submit_cold"].s / got["submit"].s, "{:.2f}", unit="x",
            cmd=cmds["submit_cold"])
    rep.add("desk.submit_generated_s", f"submit --from a generated {written_gen:,}-row register, {units} units (s)",
            got["submit_generated"].s, target=1.0, unit=" s", cmd=cmds["submit_generated"])
    rep.add("desk.submit_generated_mb", f"  peak memory (MB); {recorded_gen:,} submissions recorded",
            got["submit_generated"].mb, "{:.0f}", unit=" MB", cmd=cmds["submit_generated"])
    profile_misses(rep)


def far(rep: Report, res: dict, work: Path, env: dict, runs: int) -> None:
    say("far: check of a rule dated 2199-12-30 ...")
    path = gen.far_plan(work / "far-2199.yaml")
    cmds = {"cold": Cmd(dvcq("check", str(path)), {**env, "DVCQ_NO_CACHE": "1"}),
            "warm": Cmd(dvcq("check", str(path)), env)}
    got = interleaved(cmds, runs)
    res["far"] = {k: s.record() for k, s in got.items()}
    rep.add("far.check_cold_s", "check of a rule dated 2199-12-30, cold (s)", got["cold"].s, target=1.0, unit=" s",
            cmd=cmds["cold"])
    rep.add("far.check_warm_ratio", "  warm cache, x cold", got["warm"].s / got["cold"].s, "{:.2f}", unit="x",
            cmd=cmds["warm"])
    profile_misses(rep)


def phrases(rep: Report, res: dict, work: Path, env: dict, runs: int, quick: bool) -> None:
    say("phrases: the same plan structured and in phrases ...")
    structured, phrased = gen.phrase_pair(work / "phrases")
    args = ["--plan", "bench-phrases", "--year", "2024", "--format", "json"]
    cold = {**env, "DVCQ_NO_CACHE": "1"}
    cmds = {
        "structured": Cmd(dvcq("deadlines", *args, "--plans-dir", str(structured)), cold),
        "phrases": Cmd(dvcq("deadlines", *args, "--plans-dir", str(phrased)), cold),
        "structured_warm": Cmd(dvcq("deadlines", *args, "--plans-dir", str(structured)), env),
        "phrases_warm": Cmd(dvcq("deadlines", *args, "--plans-dir", str(phrased)), env),
    }
    got = interleaved(cmds, runs)
    outputs = [subprocess.run(cmds[k].argv, env=cold, capture_output=True, text=True).stdout for k in ("structured", "phrases")]
    same = outputs[0] == outputs[1] and bool(outputs[0].strip())
    # the parse alone, in this process: load_plan of each file, in alternating rounds, medians
    from dvcq.planfiles.loader import load_plan

    files = {name: (folder / "bench-phrases.yaml", (folder / "bench-phrases.yaml").read_bytes())
             for name, folder in (("structured", structured), ("phrases", phrased))}
    times: dict = {name: [] for name in files}
    for _ in range(2 if quick else 10):
        for name, (f, data) in files.items():
            for _ in range(20):
                t = time.perf_counter()
                load_plan(f, data)
                times[name].append(time.perf_counter() - t)
    parse = {name: statistics.median(v) for name, v in times.items()}
    res["phrases"] = {"same_deadlines_json": same, "load_plan_s": {k: round(v, 5) for k, v in parse.items()},
                      **{k: s.record() for k, s in got.items()}}
    rep.add("phrases.cold_ratio", "deadlines, plan in phrases / structured, cold (x)", got["phrases"].s / got["structured"].s,
            "{:.3f}", 1.10, "<", "x", cmd=cmds["phrases"])
    rep.add("phrases.same_output", "  the two plans give the same deadlines JSON", "yes" if same else "NO")
    rep.add("phrases.load_plan_ratio", f"  load_plan alone, phrases / structured ({parse['structured'] * 1000:.1f} ms) (x)",
            parse["phrases"] / parse["structured"], "{:.3f}", unit="x")
    rep.add("phrases.parse_share", "  load_plan in phrases - structured, / deadlines wall",
            (parse["phrases"] - parse["structured"]) / got["structured"].s, "{:.2%}")
    rep.add("phrases.warm_ratio", "  the same, warm cache (neither parses) (x)",
            got["phrases_warm"].s / got["structured_warm"].s, "{:.3f}", unit="x", cmd=cmds["phrases_warm"])
    profile_misses(rep)
    # draft of a 100-page .docx: bench/draft.py's own measure, in this process
    import draft as bench_draft

    if not (bench_draft.SEEDS / bench_draft.SEED).is_file():
        res["draft"] = {"skipped": f"{bench_draft.SEEDS / bench_draft.SEED} not found"}
        rep.add("draft.total_s", "draft of a 100-page .docx", "skipped: no shared/seeds")
        return
    say("phrases: draft of a 100-page .docx (bench/draft.py) ...")
    d = bench_draft.run(1 if quick else 5)
    res["draft"] = d
    rep.add("draft.total_s", f"draft of a {d['document']['pages']}-page .docx, read + draft (s)", d["total_seconds_median"],
            target=bench_draft.TARGET_SECONDS, unit=" s")
    rep.add("draft.same_rules", "  its rules are the seed's own", "yes" if d["same_rules_as_the_seed"] else "NO")


def backends(rep: Report, res: dict, work: Path, env: dict, pg: str | None, quick: bool, out_dir: Path) -> None:
    if not pg:
        res["backends"] = {"skipped": "no --pg URL and no DVCQ_TEST_PG"}
        rep.add("backends", "backends (SQLite vs PostgreSQL)", "skipped: give --pg or DVCQ_TEST_PG")
        say("backends: skipped (give --pg postgresql://... or set DVCQ_TEST_PG)")
        return
    say("backends: bench/backends.py ...")
    out = out_dir / "backends.json"
    r = subprocess.run([PY, str(HERE / "backends.py"), "--pg", pg, "--out", str(out)] + (["--quick"] if quick else []),
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench/backends.py failed:\n{r.stderr}")
    data = json.loads(out.read_text(encoding="utf-8"))
    res["backends"] = data
    s, p, ratio = data["sqlite"], data["postgresql"], data["ratios_pg_over_sqlite"]
    for key, label, fmt in (("record_per_s", "record, one per transaction (per s)", "{:,.0f}"),
                            ("record_many_s", f"record_many of {data['sizes']['record_many']:,} (s)", "{:.3f}"),
                            ("sent_dates_s", f"sent_dates of 3 years of {data['sizes']['scale_rows']:,} rows (s)", "{:.3f}")):
        rep.add(f"backends.{key}", f"{label}: SQLite / PostgreSQL", f"{fmt.format(s[key])} / {fmt.format(p[key])}")
        rep.add(f"backends.{key}_ratio", "  PostgreSQL, x SQLite (time)", ratio[key], "{:.2f}", unit="x")


def hostile(rep: Report, res: dict, work: Path, env: dict) -> None:
    say("hostile files ...")
    got = {name: (measure(Cmd(dvcq("check", str(path)), env)), path)
           for name, path in gen.hostile_files(work / "hostile").items()}
    res["hostile"] = {name: {"seconds": round(t, 4), "peak_mb": round(m, 1)} for name, ((t, m), _) in got.items()}
    worst = max(got, key=lambda k: got[k][0][0])
    biggest = max(got, key=lambda k: got[k][0][1])
    rep.add("hostile.worst_s", f"check, worst of {len(got)} hostile files ({worst}) (s)", got[worst][0][0], target=2.0,
            unit=" s", cmd=Cmd(dvcq("check", str(got[worst][1])), env))
    rep.add("hostile.worst_mb", f"  peak memory, worst ({biggest}) (MB)", got[biggest][0][1], "{:.0f}", 200.0, unit=" MB",
            cmd=Cmd(dvcq("check", str(got[biggest][1])), env))
    profile_misses(rep)


def bombs(rep: Report, res: dict, quick: bool) -> None:
    say("bombs and a 1,048,576-row sheet ...")
    import bombs as bench_bombs  # bench/bombs.py

    got = res["bombs"] = bench_bombs.run(quick)
    for name, r in got.items():
        rep.add(f"bombs.{name}_s", f"{name}: {'refused' if r['exit'] == 2 else 'exit ' + str(r['exit'])} (s)",
                r["seconds"], target=r["target_s"], unit=" s")
        rep.add(f"bombs.{name}_mb", "  peak memory (MB)", r["peak_mb"], "{:.0f}", r["target_mb"], unit=" MB")


# -- profiles of the misses ------------------------------------------------------------------------
PROFILE: dict = {"dir": None, "done": {}}  # --profile: where to write, and what was profiled


def profile_misses(rep: Report) -> None:
    """With --profile: cProfile each command that missed its target (called at the end of each
    section, while its files exist): the top of the profile by cumulative and by own time, in
    bench/results/profile-KEY.txt."""
    import pstats

    out_dir = PROFILE["dir"]
    if out_dir is None:
        return
    found = PROFILE["done"]
    for line in rep.lines:
        if line.met is not False or line.cmd is None or line.cmd.argv[:3] != [PY, "-m", "dvcq"] or line.key in found:
            continue
        say(f"profiling {line.key} ...")
        prof = out_dir / f"profile-{line.key}.prof"
        if line.cmd.prepare:
            line.cmd.prepare()
        r = subprocess.run([PY, "-m", "cProfile", "-o", str(prof), *line.cmd.argv[1:]], env=line.cmd.env,
                           cwd=line.cmd.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode not in (0, 1):
            found[line.key] = f"failed: {r.stderr.strip()[-300:]}"
            continue
        text = out_dir / f"profile-{line.key}.txt"
        with open(text, "w", encoding="utf-8") as fh:
            fh.write(f"{line.measure}: {line.value_text()} (target {line.target_text()})\n{shown(line.cmd.argv)}\n\n")
            stats = pstats.Stats(str(prof), stream=fh)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
        found[line.key] = str(text)


# -- main ------------------------------------------------------------------------------------------
def sizes_of(values: list[str] | None, default: list[int]) -> list[int]:
    if not values:
        return default
    return [int(x) for v in values for x in v.split(",") if x.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke mode: tiny sizes, few runs, targets not judged")
    ap.add_argument("--plans", action="append", metavar="N", help="plans for the scale section (repeatable or 34,63,700)")
    ap.add_argument("--runs", type=int, default=None, help="start-up runs per command (default 21, quick 2; the phrase pair twice as many)")
    ap.add_argument("--scale-runs", type=int, default=None, help="runs per command at scale (default 5, quick 1)")
    ap.add_argument("--ledger-order", choices=("sent", "plan"), default="sent",
                    help="rows of the generated ledgers in the order sent (as a ledger grows; default) or plan by plan")
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"some of {','.join(SECTIONS)}")
    ap.add_argument("--pg", default=os.environ.get("DVCQ_TEST_PG"), help="PostgreSQL URL for backends (or DVCQ_TEST_PG)")
    ap.add_argument("--profile", action="store_true", help="cProfile each command that missed its target")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = ap.parse_args()
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"--sections: unknown {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    quick = args.quick
    runs = args.runs or (2 if quick else 21)
    scale_runs = args.scale_runs or (1 if quick else 5)
    sizes = sizes_of(args.plans, [3] if quick else [34, 63, 700])
    last_year = 2024
    years = list(range(last_year - (1 if quick else 9), last_year + 1))
    out_dir = args.out.parent
    out_dir.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix="dvcq-bench-"))
    started = time.perf_counter()
    # every dvcq run: its own cache, config and data folders, no user settings, no colour
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVCQ_")}
    env.update({"NO_COLOR": "1", "XDG_CACHE_HOME": str(work / "xdg-cache"), "XDG_CONFIG_HOME": str(work / "xdg-config"),
                "XDG_DATA_HOME": str(work / "xdg-data"), "DVCQ_DB": str(gen.empty_ledger(work / "empty.sqlite3")),
                # bytecode cached as on an installed dvcq, whatever this shell says (PYTHONDONTWRITEBYTECODE=1
                # would compile dvcq's sources on every run of an editable install); in a folder of the
                # run's own, so nothing is written beside the sources
                "PYTHONPYCACHEPREFIX": str(work / "pyc")})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "dvcq"], capture_output=True,
                                text=True).stdout.strip())
    res: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                             "load_at_start": os.getloadavg()},
                 "commit": commit, "dvcq_modified": dirty, "date": dt.datetime.now().isoformat(timespec="seconds"),
                 "quick": quick, "ledger_order": args.ledger_order, "runs": runs, "scale_runs": scale_runs, "sections": sections,
                 "environment": {"PYTHONDONTWRITEBYTECODE in the shell": os.environ.get("PYTHONDONTWRITEBYTECODE"),
                                 "bytecode": "cached in the run's own PYTHONPYCACHEPREFIX, warmed by an untimed run"}}
    rep = Report(quick)
    if args.profile and not quick:
        PROFILE["dir"] = out_dir
    try:
        if "startup" in sections:
            startup(rep, res, work, env, runs)
        if "scale" in sections:
            scale(rep, res, work, env, sizes, 4 if quick else 60, years, scale_runs, args.ledger_order)
        if "national" in sections:
            national(rep, res, work, env, 3 if quick else 34, 6 if quick else 120, years, scale_runs, args.ledger_order)
        if "desk" in sections:
            desk(rep, res, work, env, 500 if quick else 10_000, 6 if quick else 120, years, scale_runs)
        if "far" in sections:
            far(rep, res, work, env, 1 if quick else 7)
        if "phrases" in sections:
            phrases(rep, res, work, env, 2 * runs, quick)  # a 10% target in a noisy machine: more runs
        if "backends" in sections:
            backends(rep, res, work, env, args.pg, quick, out_dir)
        if "hostile" in sections:
            hostile(rep, res, work, env)
        if "bombs" in sections:
            bombs(rep, res, quick)
        if "board" in sections:
            import board as board_bench  # bench/board.py

            board_bench.board(rep, res, work, env, 3 if quick else 34, 6 if quick else 120, scale_runs)
        res["profiles"] = PROFILE["done"]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    res["lines"] = rep.records()
    res["met"] = {x.key: x.met for x in rep.lines if x.target is not None}
    res["missed"] = [x.key for x in rep.lines if x.met is False]
    res["machine"]["load_at_end"] = os.getloadavg()
    res["seconds"] = round(time.perf_counter() - started, 1)
    print(rep.table())
    judged = [x for x in rep.lines if x.met is not None]
    if quick:
        print("quick mode: sizes too small to judge; every measurement path ran")
    else:
        print(f"targets met: {sum(x.met for x in judged)} of {len(judged)}; missed: "
              + (", ".join(res["missed"]) or "none"))
    if dirty:
        print("note: dvcq/ has uncommitted changes: these numbers are not of a commit")
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({res['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
