"""Inputs for bench/run.py: generated provincial plans, a ledger of their submissions, an
incoming-documents register, a plan in phrase form, a far-dated rule and the hostile files.

Every generator is deterministic, so two runs measure the same work.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def generated_plan(index: int, units: int, years: list[int]) -> str:
    """A provincial plan: `units` reporting units, monthly reports (months 3, 6, 9, 12 merged into
    the quarter, half and year), Q1 and Q3, the half and the year: 12 obligations a unit a year."""
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


def write_plans(folder: Path, count: int, units: int, years: list[int]) -> list[str]:
    """`count` generated plans in `folder`; returns their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(count):
        (folder / f"province-{i:02d}.yaml").write_text(generated_plan(i, units, years), encoding="utf-8")
        ids.append(f"province-{i:02d}")
    return ids


def fill_ledger(db: Path, plan_ids: list[str], units: int, years: list[int], order: str = "sent") -> int:
    """Every unit of every generated plan sends every report of these years: most on time, some
    3 days late ((n * 7 + year) % 11 == 0), a few never ((n + year) % 29 == 0). The generated plans
    differ only in their ids, so one template plan's schedule gives every plan's rows.

    order "sent": rows go in as a ledger grows, in the order they were sent, so the table's row order
    is time and one plan's rows are spread over all of it, as in a real ledger. order "plan": plan
    by plan, each plan's rows together (kinder to a read by plan than a real ledger is). Either way
    with the ledger's own indexes in place, in one executemany; the ledger is made and migrated by
    dvcq itself and checkpointed afterwards (no WAL left for the readers). Returns the row count."""
    from dvcq.core.engine import schedule
    from dvcq.ledger import Ledger
    from dvcq.planfiles.loader import load_plan
    from dvcq.planfiles.daysoff import load_calendar

    cal = load_calendar()
    template = load_plan(Path("template.yaml"), generated_plan(0, 1, years).encode())
    slots = [(d.report, d.period, d.effective_due) for year in years for d in schedule(template, year, cal).deadlines
             if not d.merged_into and d.effective_due is not None and not d.after_end]
    per_plan = []
    for report, period, due in slots:
        year = int(period[:4])
        for n in range(units):
            if (n + year) % 29 == 0:
                continue  # never sent
            late = 3 if (n * 7 + year) % 11 == 0 else 0
            per_plan.append((report, period, f"unit-{n:02d}", (due + dt.timedelta(days=late)).isoformat()))
    per_plan.sort(key=lambda r: r[3] if order == "sent" else r)
    if order == "sent":
        rows = ((plan, report, period, unit, sent) for report, period, unit, sent in per_plan for plan in plan_ids)
    else:
        rows = ((plan, report, period, unit, sent) for plan in plan_ids for report, period, unit, sent in per_plan)
    Ledger.open(db).close()  # created and migrated by dvcq
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # the fill only: a bench ledger need not survive a crash
        conn.execute("PRAGMA cache_size = -400000")  # 400 MB: the indexes stay in memory while filling
        recorded_at = "2025-01-01T00:00:00+00:00"
        conn.execute("BEGIN")
        first = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]  # a second fill adds its own
        # as events, the way dvcq records them (the ledger's triggers make the state rows); one row
        # in a hundred is then corrected, on a day after the bench's as-of dates, so `overdue --as-of`
        # and `scorecard --as-of` replay those from their events
        conn.executemany(
            "INSERT INTO events (plan, report, period, unit, n, kind, submitted_on, note, recorded_at, recorded_by)"
            " VALUES (?, ?, ?, ?, 1, 'recorded', ?, NULL, ?, 'bench')", (row + (recorded_at,) for row in rows))
        conn.execute(
            "INSERT INTO events (plan, report, period, unit, n, kind, submitted_on, note, why, recorded_at, recorded_by)"
            " SELECT plan, report, period, unit, 2, 'corrected', date(submitted_on, '-1 day'), NULL, 'bench',"
            " '2025-02-01T00:00:00+00:00', 'bench' FROM events WHERE id % 100 = 0 AND id > ? AND kind = 'recorded'",
            (first,))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    finally:
        conn.close()


def fill_pg(url: str, db: Path) -> int:
    """The events of the SQLite ledger `db` (as `fill_ledger` made them) into a PostgreSQL ledger,
    when and by whom kept (the ledger's owner may); returns the events copied."""
    import sqlite3 as sq

    from dvcq.ledger import Ledger

    conn = sq.connect(db)
    try:
        recorded = conn.execute("SELECT plan, report, period, unit, submitted_on, note, recorded_at, recorded_by"
                                " FROM events WHERE n = 1").fetchall()
        corrected = conn.execute("SELECT plan, report, period, unit, submitted_on, why, recorded_at FROM events"
                                 " WHERE n = 2").fetchall()
    finally:
        conn.close()
    with Ledger.open(url) as ledger:
        from dvcq.ledger import Submission

        ledger.record_many([Submission(*r[:4], dt.date.fromisoformat(r[4]), r[5], r[6], r[7]) for r in recorded],
                           keep_recorded_at=True)
        with ledger.conn.transaction(), ledger.conn.cursor() as cursor:
            cursor.executemany(ledger._q(
                "INSERT INTO {events} (plan, report, period, unit, kind, submitted_on, why, recorded_at, recorded_by)"
                " VALUES (%s, %s, %s, %s, 'corrected', %s, %s, %s, 'bench')"), corrected)
    return len(recorded) + len(corrected)


def empty_ledger(db: Path) -> Path:
    from dvcq.ledger import Ledger

    Ledger.open(db).close()
    return db


REGISTER_FIXTURE = REPO / "tests" / "fixtures" / "register-thai-nguyen-2024.csv"


def register(path: Path, rows: int, fixture: Path = REGISTER_FIXTURE) -> int:
    """An incoming-documents register (sổ văn bản đến) of `rows` rows: the Thái Nguyên fixture (a
    year of a real register's kinds of rows: reports in every spelling, and the letters, invitations
    and proposals around them) repeated, each copy's Số đến shifted past the last, so every entry
    number is unique as in a register. Returns the number of data rows written."""
    with open(fixture, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    number = header.index("Số đến")
    step = max(int(r[number]) for r in body) + 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    written = 0
    copy = 0
    while written < rows:
        for r in body:
            if written == rows:
                break
            r = list(r)
            r[number] = str(int(r[number]) + copy * step)
            writer.writerow(r)
            written += 1
        copy += 1
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return written


def phrase_pair(folder: Path, plan: Path = REPO / "plans" / "thai-nguyen.yaml", plan_id: str = "bench-phrases") -> tuple[Path, Path]:
    """The same plan twice, in folder/structured and folder/phrases: every report's `due:` and
    `window:` in the structured form, and the same written as phrases (phrases.render_due and
    render_window, which parse back to the same form). Both are dumped by the same YAML writer, so
    they differ in those values only. The plan gets its own id, so a one-plan command reads one file."""
    import shutil

    import yaml

    from dvcq.core.phrases import render_due, render_window

    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["id"] = plan_id
    phrased = yaml.safe_load(plan.read_text(encoding="utf-8"))
    phrased["id"] = plan_id
    for rule in phrased.get("reports", []):
        if isinstance(rule.get("due"), dict):
            rule["due"] = render_due(rule["due"], rule["every"])
        if isinstance(rule.get("window"), dict):
            rule["window"] = render_window(rule["window"], rule["every"])
    out = []
    for name, content in (("structured", data), ("phrases", phrased)):
        d = folder / name
        d.mkdir(parents=True, exist_ok=True)
        if (plan.parent / "units").is_dir():
            shutil.copytree(plan.parent / "units", d / "units", dirs_exist_ok=True)
        (d / f"{plan_id}.yaml").write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out.append(d)
    return out[0], out[1]


def far_plan(path: Path, due: str = "2199-12-30") -> Path:
    """A plan whose one rule is dated far ahead (a slip of the pen: 2199 for 2019)."""
    path.write_text(f"""id: far
issuer: UBND tỉnh Thử
document: 1/KH-UBND
issued: 2024-01-10
years: [2024]
reports:
  - id: annual
    title: Báo cáo năm
    every: year
    due: {{before: {{date: {due}}}}}
    window: {{from: {{day: 15, month: 10}}, to: {{day: 20, month: 10}}}}
    source: {{section: "1", quote: "Báo cáo năm"}}
""", encoding="utf-8")
    return path


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
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, data in contents.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    return out


def generated_register(path: Path, rows: int, units: int, years: list[int]) -> int:
    """An incoming-documents register of up to `rows` distinct reports for a generated plan
    (`generated_plan(0, units, years)`): every unit's 12 reports a year (8 monthly, Q1, Q3, the
    half, the year), the plan's years from the last back until there are enough, each received a few days before
    it was due, its subject in one of the spellings registers use, and a letter that is no report
    between every ten. Returns the number of data rows (reports and letters)."""
    from dvcq.core.engine import schedule
    from dvcq.planfiles.loader import load_plan
    from dvcq.planfiles.daysoff import load_calendar

    cal = load_calendar()
    plan = load_plan(Path("template.yaml"), generated_plan(0, 1, years).encode())
    month = ("Báo cáo kết quả thực hiện công tác dân vận chính quyền tháng {m:02d} năm {y}",
             "BC kết quả công tác DVCQ T{m}/{y}",
             "Báo cáo công tác dân vận của cơ quan nhà nước tháng {m}/{y}",
             "BAO CAO CONG TAC DAN VAN CHINH QUYEN THANG {m:02d} NAM {y}")
    other = {"quarterly": "Báo cáo kết quả công tác dân vận chính quyền quý {q} năm {y}",
             "semiannual": "Báo cáo công tác dân vận chính quyền 6 tháng đầu năm {y}",
             "annual": "Báo cáo kết quả thực hiện công tác dân vận chính quyền năm {y}"}
    letters = ("V/v thẩm định dự toán kinh phí năm {y}", "Giấy mời dự Hội nghị sơ kết công tác dân vận",
               "Tờ trình đề nghị phê duyệt đề án vị trí việc làm")
    entries = []  # (received, sender, subject)
    year = years[-1]
    while len(entries) < rows and year >= years[0]:
        for d in schedule(plan, year, cal).deadlines:
            if d.merged_into or d.effective_due is None:
                continue
            for n in range(units):
                received = d.effective_due - dt.timedelta(days=(n * 3 + year) % 6)
                if d.report == "monthly":
                    subject = month[(n + d.span.number) % len(month)].format(m=d.span.number, y=year)
                else:
                    subject = other[d.report].format(q="I" if d.span.number == 1 else "III", y=year)
                entries.append((received, f"Đơn vị {n:02d}", subject))
                if len(entries) % 10 == 9:
                    entries.append((received, f"Đơn vị {n:02d}", letters[n % len(letters)].format(y=year)))
        year -= 1
    entries = sorted(entries[:rows])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Số đến", "Ngày đến", "Cơ quan ban hành", "Số ký hiệu", "Ngày văn bản", "Trích yếu",
                     "Đơn vị xử lý", "Ghi chú"])
    for number, (received, sender, subject) in enumerate(entries, 1):
        writer.writerow([number, f"{received:%d/%m/%Y}", sender, f"{number}/BC-DV", f"{received - dt.timedelta(days=1):%d/%m/%Y}",
                         subject, "Phòng XDCQ&CTTN", ""])
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return len(entries)
