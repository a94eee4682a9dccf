"""Bench: `dvcq board` at national scale (issue 20): 34 provinces x 120 units x a year of ledger,
the whole site written; goal under 2 s and under 5 MB of HTML for the board (index.html).

    python bench/board.py                 # 34 x 120, 5 runs; prints the measures
    python bench/run.py --sections board  # the same, in the benchmark report

The ledger is bench/gen.py's (most reports on time, some 3 days late, a few never sent), for the
as-of year and the year before (overdue looks at last year's reports too).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

AS_OF = "2024-06-25"


def site_size(folder: Path) -> tuple[int, int, int]:
    """Bytes of index.html, bytes of every file of the site, and its number of pages."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return ((folder / "index.html").stat().st_size, sum(p.stat().st_size for p in files),
            sum(p.suffix == ".html" for p in files))


def board(rep, res: dict, work: Path, env: dict, provinces: int, units: int, runs: int) -> None:
    """The section of bench/run.py: times `dvcq board` (wall and peak memory of the child) and
    weighs what it wrote."""
    from run import Cmd, dvcq, interleaved, say

    say(f"board: {provinces} provinces x {units} units x a year: generating ...")
    base = work / "board"
    years = [2023, 2024]
    ids = gen.write_plans(base / "plans", provinces, units, [2024])
    db = base / "ledger.sqlite3"
    rows = gen.fill_ledger(db, ids, units, years)
    out = base / "site"
    argv = dvcq("board", "--plans-dir", str(base / "plans"), "--as-of", AS_OF, "--output", str(out))
    got = interleaved({"board": Cmd(argv, {**env, "DVCQ_DB": str(db)})}, runs)["board"]
    index, total, pages = site_size(out)
    tag = f"{provinces} x {units} x a year"
    res["board"] = {"provinces": provinces, "units": units, "ledger_rows": rows, "index_bytes": index,
                    "site_bytes": total, "pages": pages, **got.record()}
    rep.add("board.s", f"board --as-of at {tag}, whole site (s)", got.s, target=2.0, unit=" s", cmd=got.cmd)
    rep.add("board.mb", "  peak memory (MB)", got.mb, "{:.0f}", unit=" MB", cmd=got.cmd)
    rep.add("board.index_mb", "  index.html (MB of HTML)", index / 1e6, "{:.2f}", target=5.0, unit=" MB")
    rep.add("board.site_mb", f"  the whole site, {pages} pages (MB)", total / 1e6, "{:.1f}", unit=" MB")


def main() -> int:
    import os

    from run import Report

    quick = "--quick" in sys.argv
    work = Path(tempfile.mkdtemp(prefix="dvcq-bench-board-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVCQ_")}
    env.update({"NO_COLOR": "1", "XDG_CACHE_HOME": str(work / "xdg-cache"), "XDG_CONFIG_HOME": str(work / "xdg-config"),
                "XDG_DATA_HOME": str(work / "xdg-data")})
    rep, res = Report(quick), {}
    try:
        board(rep, res, work, env, 3 if quick else 34, 6 if quick else 120, 1 if quick else 5)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(rep.table())
    print({k: v for k, v in res["board"].items() if k not in ("walls",)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
