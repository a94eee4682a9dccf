"""Issue 22's goals: every bomb refused in under 5 s and 200 MB; `submit --from` of a
1,048,576-row sheet under 10 s and 300 MB (a .csv, the goal's measure; the same rows as an .xlsx are
measured too, against the same targets, then as Excel itself writes them (every text a shared
string, dates as serial numbers); each .xlsx once more with expat reading every element, as before
the fast reader: the "before" of the same run). Each input is made here; each command runs in a child
that reports its own wall time and peak RSS (it may exit 2: a refusal is the expected answer).

    python bench/bombs.py            # every case, full size
    python bench/bombs.py --quick    # small sizes, targets not judged
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PY = sys.executable
MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
if r.returncode not in (0, 1, 2):
    sys.stderr.write(r.stderr.decode(errors="replace")); sys.exit(3)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, u.ru_maxrss / 1024, r.returncode, u.ru_utime + u.ru_stime)
"""
# `dvcq` with every element of the .xlsx read by expat, as before the fast reader: the "before" of
# the same run (judged against no target)
EXPAT_ONLY = ("import functools, sys; import dvcq.documents.xlsx as x; "
              "x.iter_first_sheet = functools.partial(x.iter_first_sheet, fast=False); "
              "sys.argv[0] = 'dvcq'; from dvcq.cli import main; main()")
BOMB_S, BOMB_MB = 5.0, 200.0
ROWS_S, ROWS_MB = 10.0, 300.0
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _book(part: str, chunks, n: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        if part != "xl/worksheets/sheet1.xml":
            z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{NS}"><sheetData/></worksheet>')
        with z.open(part, "w", force_zip64=True) as fh:
            fh.write(f'<worksheet xmlns="{NS}"><sheetData>'.encode())
            for _ in range(n):
                fh.write(chunks)
    return buf.getvalue()


def bombs(folder: Path, quick: bool) -> dict[str, Path]:
    """name -> file: .xlsx that inflate to ~1 GB (quick: ~60 MB) in the sheet, in a comment, in styles.xml."""
    n = 10 if quick else 170
    made = {
        "xlsx-rows": (_book("xl/worksheets/sheet1.xml", b"<row/>" * 1_000_000, n), "xlsx"),
        "xlsx-comment": (_book("xl/worksheets/sheet1.xml", b"<!--" + b" " * 6_000_000 + b"-->", n), "xlsx"),
        "xlsx-styles": (_book("xl/styles.xml", b"<x/>" * 1_500_000, n), "xlsx"),
        "xlsx-shared-strings": (_book("xl/sharedStrings.xml", b"<si><t>a</t></si>" * 400_000, n), "xlsx"),
    }
    out = {}
    for name, (data, ext) in made.items():
        path = folder / f"{name}.{ext}"
        path.write_bytes(data)
        out[name] = path
    return out


def big_sheet(folder: Path, rows: int) -> Path:
    units = ["UBND huyện Đại Từ", "Sở Y tế", "Sở Tài chính", "Thanh tra tỉnh", "UBND thành phố Sông Công"]
    path = folder / f"sheet-{rows}.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Đơn vị,Báo cáo,Kỳ,Ngày gửi,Ghi chú\n")
        for i in range(rows - 1):
            m = i % 12 + 1
            fh.write(f"{units[i % 5]},monthly,2024-{m:02d},{10 + i % 3:02d}/{m:02d}/2024,row {i}\n")
    return path


def big_book(folder: Path, rows: int, excel: bool = False) -> Path:
    """The same sheet as big_sheet, as an .xlsx: shared strings for unit, report and period (as Excel
    writes them), the date and the note as inline strings. `excel`: laid out wholly as Excel writes
    it: every text a shared string (a million notes: a million <si>), the date a serial number in a
    date style, each row with spans and x14ac:dyDescent."""
    import datetime as dt

    units = ["UBND huyện Đại Từ", "Sở Y tế", "Sở Tài chính", "Thanh tra tỉnh", "UBND thành phố Sông Công"]
    strings = ["Đơn vị", "Báo cáo", "Kỳ", "Ngày gửi", "Ghi chú", *units, "monthly", *(f"2024-{m:02d}" for m in range(1, 13))]
    at = {s: i for i, s in enumerate(strings)}
    path = folder / f"sheet-{rows}{'-excel' if excel else ''}.xlsx"
    x14ac = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{NS}"><sheets><sheet name="a" sheetId="1"/></sheets></workbook>')
        z.writestr("xl/styles.xml", f'<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
                                    "</cellXfs></styleSheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<sst xmlns="{NS}">'.encode() + "".join(f"<si><t>{s}</t></si>" for s in strings).encode())
            for i in range(rows - 1 if excel else 0):
                fh.write(f"<si><t>row {i}</t></si>".encode())
            fh.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            attrs = ' spans="1:5" x14ac:dyDescent="0.25"' if excel else ""
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" xmlns:x14ac="{x14ac}">'
                     f'<dimension ref="A1:E{rows}"/><sheetData><row r="1"{attrs}>'.encode()
                     + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDE")).encode() + b"</row>")
            chunk = []
            for i in range(rows - 1):
                r, m = i + 2, i % 12 + 1
                head = (f'<row r="{r}"{attrs}><c r="A{r}" t="s"><v>{at[units[i % 5]]}</v></c><c r="B{r}" t="s"><v>{at["monthly"]}'
                        f'</v></c><c r="C{r}" t="s"><v>{at[f"2024-{m:02d}"]}</v></c>')
                if excel:
                    serial = (dt.date(2024, m, 10 + i % 3) - dt.date(1899, 12, 30)).days
                    chunk.append(f'{head}<c r="D{r}" s="1"><v>{serial}</v></c><c r="E{r}" t="s"><v>{len(strings) + i}</v></c></row>')
                else:
                    chunk.append(f'{head}<c r="D{r}" t="inlineStr"><is><t>{10 + i % 3:02d}/{m:02d}/2024</t></is></c>'
                                 f'<c r="E{r}" t="inlineStr"><is><t>row {i}</t></is></c></row>')
                if len(chunk) >= 10_000:
                    fh.write("".join(chunk).encode())
                    chunk.clear()
            fh.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return path


def measure(argv: list[str], env: dict) -> tuple[float, float, int, float]:
    """Wall seconds, peak MB, exit code, and CPU seconds (user + system: what the wall time is when
    the machine is not shared)."""
    out = subprocess.run([PY, "-c", MEASURE, *argv], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{out.stderr}")
    wall, mb, code, cpu = out.stdout.split()
    return float(wall), float(mb), int(code), float(cpu)


def run(quick: bool = False) -> dict:
    """Every case: {name: {seconds, peak_mb, exit, target_s, target_mb, met}}."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DVCQ_NO_CACHE": "1", "XDG_DATA_HOME": str(work / "data"),
               "XDG_CONFIG_HOME": str(work / "config"), "XDG_CACHE_HOME": str(work / "cache")}
        for name, path in bombs(work, quick).items():
            wall, mb, code, cpu = measure([PY, "-m", "dvcq", "submit", "--plan", "thai-nguyen", "--from", str(path),
                                           "--db", str(work / "bomb.sqlite3"), "--dry-run"], env)
            results[name] = {"seconds": round(wall, 3), "cpu_s": round(cpu, 3), "peak_mb": round(mb, 1), "exit": code,
                             "target_s": BOMB_S, "target_mb": BOMB_MB,
                             "met": None if quick else (code == 2 and wall < BOMB_S and mb < BOMB_MB)}
        rows = 20_000 if quick else 1_048_576
        book, excel = big_book(work, rows), big_book(work, rows, excel=True)
        for name, sheet, how in ((f"submit-from-{rows}-rows", big_sheet(work, rows), ["-m", "dvcq"]),  # the goal's measure
                                 (f"submit-from-{rows}-xlsx", book, ["-m", "dvcq"]),  # the same rows as .xlsx
                                 (f"submit-from-{rows}-xlsx-expat", book, ["-c", EXPAT_ONLY]),  # as before the fast reader
                                 (f"submit-from-{rows}-xlsx-excel", excel, ["-m", "dvcq"]),  # as Excel writes them
                                 (f"submit-from-{rows}-xlsx-excel-expat", excel, ["-c", EXPAT_ONLY])):
            wall, mb, code, cpu = measure([PY, *how, "submit", "--plan", "thai-nguyen", "--from", str(sheet),
                                           "--db", str(work / f"{name}.sqlite3")], env)
            judged = how == ["-m", "dvcq"]
            results[name] = {"seconds": round(wall, 3), "cpu_s": round(cpu, 3), "peak_mb": round(mb, 1), "exit": code,
                             "target_s": ROWS_S if judged else None, "target_mb": ROWS_MB if judged else None,
                             "met": None if quick or not judged else (code == 0 and wall < ROWS_S and mb < ROWS_MB)}
            if sheet.suffix == ".csv":
                sheet.unlink()
        book.unlink()
        excel.unlink()
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    got = run(args.quick)
    for name, r in got.items():
        met = {True: "met", False: "MISSED", None: "-"}[r["met"]]
        ts, tmb = (format(r[k], "g") if r[k] else "-" for k in ("target_s", "target_mb"))
        print(f"{name:36} {r['seconds']:8.2f} s (< {ts}; CPU {r['cpu_s']:.2f} s) {r['peak_mb']:8.0f} MB (< {tmb}) "
              f"exit {r['exit']}  {met}")
    print(json.dumps(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
