"""Issue 23: what an official sees. Run as a user runs it: the command line, in Vietnamese and English.

Dates are derived by hand from the plan texts:
- Thái Nguyên (60/KH-UBND, 2024) IV.9: "Báo cáo tháng: Gửi trước ngày 14 của tháng" -> the last
  on-time day is the 13th ("trước" is exclusive). January 2027: 13/01/2027 is a Wednesday, a
  working day. November 2027: 13/11/2027 is a Saturday -> Monday 15/11/2027. December 2027:
  13/12/2027 (a Monday). 2027 has no plan of its own: the 2024 rules are projected onto it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import run_cli


def faketime_cli(when: str, *args, env=None):
    full = {**os.environ, "TZ": "UTC", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(["faketime", when, sys.executable, "-m", "dvcq", *args], capture_output=True, text=True,
                          env=full, timeout=60)


needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime not installed (.ci/run installs it)")


def periods(stdout: str) -> list[str]:
    return [d["period"] for d in json.loads(stdout)["deadlines"] if d["report"] == "monthly"]


# -- item 3: what do I owe next ---------------------------------------------------------------------
def test_from_alone_runs_twelve_months_across_the_year_end():
    """--from 04/12/2026 without --to used to stop at 31/12/2026 and say nothing was due, hiding
    13/01/2027. Twelve months from 04/12/2026 end on 03/12/2027: November 2027's report (moved to
    15/11/2027) is in, December 2027's (13/12/2027) is not."""
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "2026-12-04", "--format", "json")
    assert r.returncode == 0, r.stderr
    found = {d["period"]: d for d in json.loads(r.stdout)["deadlines"] if d["report"] == "monthly"}
    assert found["2027-01"]["effective_due"] == "2027-01-13"
    assert found["2027-11"]["effective_due"] == "2027-11-15"
    assert "2027-12" not in found and "2026-11" not in found
    assert all(d["projected"] for d in found.values())


@pytest.mark.parametrize("lang,title", [("vi", "từ 04/12/2026 đến 03/12/2027"), ("en", "04/12/2026 to 03/12/2027")])
def test_open_range_table_names_its_range(lang, title):
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "04/12/2026", "--lang", lang, env={"COLUMNS": "160"})
    assert r.returncode == 0, r.stderr
    assert title in r.stdout and "13/01/2027" in r.stdout
    assert "năm 2026" not in r.stdout.splitlines()[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_backwards_range_is_one_line_and_exit_2(lang):
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "2026-12-04", "--to", "2026-12-01", "--lang", lang)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "01/12/2026" in r.stderr and "04/12/2026" in r.stderr


@needs_faketime
def test_from_today_and_next_days():
    """On 04/12/2026 (in Vietnam): --next 30 runs to 03/01/2027, before January's 13/01/2027;
    --next 45 runs to 18/01/2027 and shows it; --from today alone shows it too."""
    when = "2026-12-04 03:00:00"
    r = faketime_cli(when, "deadlines", "--plan", "thai-nguyen", "--next", "30", "--format", "json")
    assert r.returncode == 0 and "2027-01" not in periods(r.stdout)
    r = faketime_cli(when, "deadlines", "--plan", "thai-nguyen", "--next", "45", "--format", "json")
    assert r.returncode == 0 and periods(r.stdout) == ["2027-01"]
    r = faketime_cli(when, "deadlines", "--plan", "thai-nguyen", "--from", "today", "--format", "json")
    assert r.returncode == 0 and periods(r.stdout)[0] == "2027-01"


def test_next_days_from_a_given_day():
    """--from 01/02/2027 --next 20 runs to 21/02/2027: February 2027's report, "trước ngày 14" ->
    13/02/2027, a Saturday in Tết (Tết Đinh Mùi is 06/02/2027)."""
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--from", "2027-02-01", "--next", "20", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert periods(r.stdout) == ["2027-02"]


def test_next_is_a_number_of_days():
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--next", "soon")
    assert r.returncode == 2 and "--next" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# -- item 1: projected years marked everywhere; the letter says whose dates they are -----------------
@pytest.fixture()
def ledger(tmp_path):
    """A ledger holding one record (Đại Từ's May 2024 report, sent on its day), so that the rest is
    judged against something recorded."""
    db = tmp_path / "ledger.sqlite3"
    r = run_cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-05", "--unit", "dai-tu",
                "--on", "2024-05-13", "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


@pytest.mark.parametrize("lang,mark", [("vi", "dự kiến*"), ("en", "projected*")])
def test_overdue_table_marks_each_projected_row(ledger, lang, mark):
    """As of 04/12/2026 Sở Tài chính's January 2025 report (due 13/01/2025) is 690 days late; 2025
    has no Thái Nguyên plan, so its date is projected from the 2024 plan, and the row says so."""
    r = run_cli("overdue", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2026-12-04",
                "--db", str(ledger), "--lang", lang, env={"COLUMNS": "160"})
    assert r.returncode == 1, r.stderr
    row = next(line for line in r.stdout.splitlines() if "2025-01" in line)
    assert "690" in row and "13/01/2025" in row
    assert r.stdout.count(mark) == 24  # 12 reports of 2025, 12 of 2026
    assert r.stdout.rstrip().splitlines()[-1].startswith("*")


def test_csv_marks_projected_rows_as_the_json_does(ledger):
    r = run_cli("overdue", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2026-12-04",
                "--db", str(ledger), "--format", "csv")
    lines = r.stdout.splitlines()
    head = lines[0].split(",")
    assert "projected" in head
    cells = [line.split(",")[head.index("projected")] for line in lines[1:]]
    assert cells and set(cells) == {"true"}  # the JSON's spelling, not Python's True
    r = run_cli("scorecard", "--plan", "thai-nguyen", "--year", "2026", "--as-of", "2026-12-04", "--db", str(ledger),
                "--format", "csv")
    lines = r.stdout.splitlines()
    assert lines[0].endswith(",projected") and all(line.endswith(",true") for line in lines[1:])
    r = run_cli("scorecard", "--plan", "thai-nguyen", "--year", "2024", "--as-of", "2024-12-20", "--db", str(ledger),
                "--format", "csv")
    assert all(line.endswith(",false") for line in r.stdout.splitlines()[1:])


@pytest.mark.parametrize("lang,words", [("vi", "chưa có kế hoạch"), ("en", "no plan for this year")])
def test_scorecard_says_its_year_is_projected(ledger, lang, words):
    r = run_cli("scorecard", "--plan", "thai-nguyen", "--year", "2026", "--as-of", "2026-12-04", "--db", str(ledger),
                "--lang", lang)
    assert r.returncode == 0, r.stderr
    assert words in r.stdout.splitlines()[1]
    r = run_cli("scorecard", "--plan", "thai-nguyen", "--year", "2024", "--as-of", "2024-12-20", "--db", str(ledger),
                "--lang", lang)
    assert words not in r.stdout


@pytest.mark.parametrize("lang,line", [
    ("vi", "Tình hình đến ngày 04/12/2026 (T6): chưa ghi nhận báo cáo nào"),
    ("en", "As of 04/12/2026 (Fri): nothing recorded yet"),
])
def test_overdue_with_no_ledger_yet_is_one_line(tmp_path, lang, line):
    """Before: 818 lines of everything overdue, for a ledger nobody had started."""
    r = run_cli("overdue", "--plan", "thai-nguyen", "--as-of", "2026-12-04", "--lang", lang,
                env={"XDG_DATA_HOME": str(tmp_path), "DVCQ_DB": ""})
    out = r.stdout.splitlines()
    assert out[0].startswith(line) and "380" in out[0] and len(out) == 2, r.stdout
    assert "--all" in out[0] and r.stderr == ""
    assert r.returncode == 0  # nothing recorded: nobody is judged late (cron is not told something is overdue)


@pytest.mark.parametrize("lang,words", [("vi", "không viết công văn"), ("en", "no letter written")])
def test_letter_with_no_ledger_yet_writes_nothing_and_says_so(tmp_path, lang, words):
    """Before: a 12-page letter chasing all 380 reports of 2025-2026, for a ledger nobody had started."""
    out = tmp_path / "don-doc.docx"
    r = run_cli("letter", "--plan", "thai-nguyen", "--as-of", "2026-12-04", "--output", str(out), "--lang", lang,
                env={"XDG_DATA_HOME": str(tmp_path), "DVCQ_DB": ""})
    assert r.returncode == 0 and r.stdout == ""
    assert len(r.stderr.splitlines()) == 1 and words in r.stderr, r.stderr
    assert not out.exists()


def docx_text(path) -> tuple[list[str], list[list[str]]]:
    import docx

    doc = docx.Document(str(path))
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows[1:]]
    return [p.text for p in doc.paragraphs], rows


def test_letter_for_projected_years_says_whose_dates_they_are(ledger, tmp_path):
    """On 04/12/2026 the letter chases Sở Tài chính's 24 reports of 2025 and 2026 under the 2024 plan
    (60/KH-UBND of 02/04/2024): its body says that the deadlines of those years follow that plan
    pending the new ones, and each projected period carries the mark that sentence refers to."""
    out = tmp_path / "don-doc.docx"
    r = run_cli("letter", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2026-12-04",
                "--db", str(ledger), "--output", str(out))
    assert r.returncode == 0, r.stderr
    paragraphs, rows = docx_text(out)
    text = "\n".join(paragraphs)
    assert "Trong khi chờ ban hành kế hoạch năm 2025, 2026, thời hạn gửi báo cáo định kỳ của các năm này " \
           "thực hiện theo Kế hoạch số 60/KH-UBND ngày 02/04/2024" in text
    assert len(rows) == 24 and all(row[3].endswith("*") for row in rows)
    assert ("Báo cáo tháng", "tháng 1/2025*", "13/01/2025", "690") in {tuple(row[2:]) for row in rows}


def test_letter_for_a_year_its_plan_covers_has_no_projection_sentence(ledger, tmp_path):
    out = tmp_path / "don-doc.docx"
    r = run_cli("letter", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2024-12-20",
                "--db", str(ledger), "--output", str(out))
    assert r.returncode == 0, r.stderr
    paragraphs, rows = docx_text(out)
    assert not any("Trong khi chờ" in p for p in paragraphs)
    assert rows and not any(row[3].endswith("*") for row in rows)


# -- item 4: the letter's words, the printed scorecard ------------------------------------------------
def test_letter_asks_by_an_inclusive_day_and_speaks_to_one_unit(ledger, tmp_path):
    """Reply by 5 working days after Friday 04/12/2026: Mon 07 ... Fri 11/12/2026, the last day that
    counts: "chậm nhất ngày 11/12/2026", never "trước ngày 11/12/2026" (which dvcq itself reads as
    the 10th). --each: each letter speaks to its one unit, in the singular."""
    out = tmp_path / "don-doc.docx"
    r = run_cli("letter", "--plan", "thai-nguyen", "--as-of", "2026-12-04", "--db", str(ledger), "--each",
                "--output", str(out))
    assert r.returncode == 0, r.stderr
    paragraphs, rows = docx_text(tmp_path / "don-doc-so-tai-chinh.docx")
    text = "\n".join(paragraphs)
    assert "gửi báo cáo về Sở Nội vụ chậm nhất ngày 11/12/2026." in text
    assert "trước ngày 11/12/2026" not in text
    assert "Đến ngày 04/12/2026, Sở Tài chính chưa gửi các báo cáo sau:" in text
    assert "Sở Nội vụ đề nghị Sở Tài chính khẩn trương hoàn thành" in text
    assert "các cơ quan, đơn vị nêu trên" not in text and "các cơ quan, đơn vị sau" not in text
    whole = tmp_path / "all.docx"
    assert run_cli("letter", "--plan", "thai-nguyen", "--as-of", "2026-12-04", "--db", str(ledger),
                   "--output", str(whole)).returncode == 0
    text = "\n".join(docx_text(whole)[0])
    assert "các cơ quan, đơn vị sau chưa gửi báo cáo:" in text and "chậm nhất ngày 11/12/2026." in text


def test_printed_scorecard_has_its_title_on_every_page_no_ids_and_a_status(ledger, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "xep-loai.xlsx"
    r = run_cli("scorecard", "--plan", "thai-nguyen", "--year", "2024", "--as-of", "2024-12-20", "--db", str(ledger),
                "--format", "xlsx", "--output", str(out))
    assert r.returncode == 0, r.stderr
    book = load_workbook(out)
    for ws in book.worksheets[:2]:
        top = ws.cell(row=1, column=1).value
        assert top == "Kết quả gửi báo cáo năm 2024, tính đến ngày 20/12/2024"
        assert "Kế hoạch số 60/KH-UBND ngày 02/04/2024 của UBND tỉnh Thái Nguyên" in ws.cell(row=2, column=1).value
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:$")  # title to headers, on every page
        values = {c.value for row in ws.iter_rows() for c in row}
        assert not {"thai-nguyen", "so-tai-chinh", "dai-tu", "Mã"} & values, "no internal ids"
    details = book.worksheets[1]
    top = next(r for r in range(1, 10) if details.cell(row=r, column=2).value == "Đơn vị")
    head = [c.value for c in details[top]]
    status, days = head.index("Trạng thái"), head.index("Số ngày muộn / quá hạn")
    lines = {(row[1].value, row[3].value): row for row in details.iter_rows(min_row=top + 1)}
    # Đại Từ's May report, due Monday 13/05/2024, sent that day: on time, no days
    may = lines[("UBND huyện Đại Từ", "2024-05")]
    assert may[status].value == "đúng hạn" and may[days].value is None
    # its April report, due 15/04/2024 (13/04 a Saturday), never sent: overdue by 249 days on 20/12/2024
    april = lines[("UBND huyện Đại Từ", "2024-04")]
    assert april[status].value == "chưa gửi, quá hạn" and april[days].value == 249
    assert all(row[days].value is None or row[days].value > 0 for row in lines.values()), "no negative days"


# -- item 5: newcomer paths -----------------------------------------------------------------------------
def test_every_command_of_the_readme_use_block_runs():
    """Before: `deadlines --plan ha-giang-sgtvt` without --year asked for this year, after the plan
    ended (28/02/2025), and failed."""
    import re
    import shlex

    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Use"):readme.index("`explain` shows how")]
    commands = [shlex.split(line.split("  #")[0].strip())[1:] for line in block.splitlines()
                if re.match(r"^    dvcq ", line)]
    assert len(commands) >= 5
    for args in commands:
        r = run_cli(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.strip(), args
        assert "no deadline matches" not in r.stderr and "không có hạn nào" not in r.stderr, args


def test_output_into_a_folder_that_does_not_exist_makes_it_and_says_so(tmp_path):
    target = tmp_path / "my-plans" / "thai-nguyen-2027.yaml"
    r = run_cli("plan", "next", "thai-nguyen", "--year", "2027", "--output", str(target))
    assert r.returncode == 0, r.stderr
    assert target.exists() and target.read_text(encoding="utf-8").startswith("# Next edition of thai-nguyen")
    assert f"đã tạo thư mục {target.parent}" in r.stderr


@pytest.mark.parametrize("lang,said", [("vi", "dùng tệp {mine} thay cho {shipped} (cùng mã, cùng năm)"),
                                       ("en", "{mine} is used instead of {shipped} (same id, same year)")])
def test_a_users_plan_replacing_a_shipped_one_is_said(tmp_path, lang, said):
    from conftest import REPO

    mine = tmp_path / "my-plans"
    mine.mkdir()
    shipped = REPO / "plans" / "ha-giang.yaml"
    (mine / "ha-giang.yaml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    (mine / "units").mkdir()
    r = run_cli("deadlines", "--plan", "ha-giang", "--year", "2024", "--plans-dir", str(mine), "--lang", lang)
    assert r.returncode == 0, r.stderr
    assert said.format(mine=mine / "ha-giang.yaml", shipped=shipped) in r.stderr
    r = run_cli("deadlines", "--plan", "ha-giang", "--year", "2024", "--lang", lang)
    assert r.stderr == ""  # the shipped plan alone: nothing to say


@pytest.mark.parametrize("lang,meaning", [("vi", "hạn dự kiến"), ("en", "projected deadline")])
def test_calendar_marks_each_projected_day(lang, meaning):
    """Thái Nguyên has no plan for 2026: January's "trước ngày 14" from the 2024 plan gives 13/01/2026,
    a Tuesday (01/01/2026 is a Thursday), which no document sets: its cell is "13?", not "13*", and
    its line says so. In 2024, the plan's own year, 13/01/2024 is a Saturday -> Monday 15/01: "15*"."""
    r = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2026", "--month", "1", "--lang", lang)
    assert r.returncode == 0, r.stderr
    grid = r.stdout.split("\n\n")[1]
    assert "13?" in grid and "*" not in grid
    assert f"? {meaning}" in r.stdout
    assert any(line.startswith("13/01 ? ") and "2026-01" in line for line in r.stdout.splitlines())
    assert "2024" in r.stdout.split("13/01 ? ")[1]  # the footnote names the plan the date follows
    r = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2024", "--month", "1", "--lang", lang)
    assert "15*" in r.stdout and "?" not in r.stdout and meaning not in r.stdout


def test_calendar_names_its_plan_and_unit():
    r = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2024", "--month", "4", "--unit", "dai-tu")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "thai-nguyen — UBND tỉnh Thái Nguyên, 60/KH-UBND, năm 2024 — UBND huyện Đại Từ"
    r = run_cli("calendar", "--plan", "ha-giang", "--year", "2024", "--month", "9", "--lang", "en")
    assert r.stdout.splitlines()[0] == "ha-giang — UBND tỉnh Hà Giang, 73/KH-UBND, year 2024"


@pytest.mark.parametrize("args", [
    ("deadlines", "--plan", "thai-nguyen", "--year", "2024"),
    ("deadlines", "--plan", "ha-giang", "--year", "2024", "--lang", "en"),
    ("plans",),
    ("overdue", "--plan", "ha-giang", "--as-of", "2024-06-10", "--all"),
    ("scorecard", "--plan", "thai-nguyen", "--year", "2024", "--as-of", "2024-12-20"),
    ("submissions",),
])
def test_piped_tables_fit_80_columns_or_COLUMNS(tmp_path, args):
    db = tmp_path / "l.sqlite3"
    assert run_cli("submit", "--plan", "ha-giang", "--report", "plan-submission", "--period", "2024", "--on",
                   "2024-05-01", "--db", str(db)).returncode == 0
    extra = ("--db", str(db)) if args[0] in ("overdue", "scorecard", "submissions") else ()
    r = run_cli(*args, *extra)
    assert r.stdout and max(len(line) for line in r.stdout.splitlines()) <= 80, r.stdout
    r = run_cli(*args, *extra, env={"COLUMNS": "100"})
    assert max(len(line) for line in r.stdout.splitlines()) <= 100


def test_plan_next_flags_key_tasks_led_by_bodies_that_no_longer_exist(tmp_path):
    """Thái Nguyên 2024's key tasks 11, 13 and 14 are led by Sở Kế hoạch và Đầu tư, Ban Dân tộc and
    Sở Lao động - Thương binh và Xã hội, which the units file ends on 28/02/2025 (merged into Sở Tài
    chính, Sở Dân tộc và Tôn giáo and Sở Nội vụ: Decree 45/2025); tasks led by "UBND các huyện" name
    the district level, gone from 01/07/2025 (Resolution 202/2025/QH15). Task 1 (Sở Nội vụ) is fine."""
    out = tmp_path / "t.yaml"
    r = run_cli("plan", "next", "thai-nguyen", "--year", "2027", "--output", str(out))
    assert r.returncode == 0, r.stderr
    flagged = {line.split(":")[1].strip() for line in r.stderr.splitlines() if "chủ trì" in line}
    assert {"task-11", "task-13", "task-14", "task-2", "task-10"} <= flagged and "task-1" not in flagged
    assert any("task-14" in line and "28/02/2025" in line and "Sở Nội vụ" in line for line in r.stderr.splitlines())
    import yaml

    tasks = {t["id"]: t for t in yaml.safe_load(out.read_text(encoding="utf-8"))["tasks"]}
    assert tasks["task-11"]["review"].startswith("CHỦ TRÌ KHÔNG CÒN: Sở Kế hoạch và Đầu tư (đến 28/02/2025, nay là Sở Tài chính)")
    assert not tasks["task-1"]["review"].startswith("CHỦ TRÌ")
    r = run_cli("check", str(out))
    assert "task-11" in r.stdout  # still marked for review


def test_config_takes_config_after_the_subcommand(tmp_path):
    profile = tmp_path / "dvcq.toml"
    profile.write_text('lang = "en"\nunit = "so-tai-chinh"\n', encoding="utf-8")
    after = run_cli("config", "--config", str(profile))
    before = run_cli("--config", str(profile), "config")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    assert f"unit = so-tai-chinh   (profile {profile}:2)" in after.stdout


# -- item 2: one language -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang,recorded,late,already", [
    ("vi", "đã ghi: ha-giang quarterly 2024-Q1 gửi ngày 21/03/2024, hạn 14/03/2024: muộn 7 ngày", None, "đã ghi từ trước"),
    ("en", "recorded: ha-giang quarterly 2024-Q1 sent 21/03/2024, due 14/03/2024: 7 day(s) late", None, "already recorded"),
])
def test_submit_replies_in_the_runs_language(tmp_path, lang, recorded, late, already):
    """Hà Giang's quarterly report: "trước ngày 15 tháng cuối quý" -> 14/03/2024 (a Thursday); sent
    21/03/2024: 7 days late. Before: "recorded: ... 7 day(s) late" whatever the language."""
    db = str(tmp_path / "l.sqlite3")
    args = ("submit", "--plan", "ha-giang", "--report", "quarterly", "--period", "2024-Q1", "--on", "2024-03-21",
            "--db", db, "--lang", lang)
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == recorded
    assert run_cli(*args).stdout.startswith(already)


@pytest.mark.parametrize("lang,summary", [("vi", "đã kiểm tra 5 tệp: 0 lỗi, 0 cảnh báo"),
                                          ("en", "5 file(s) checked: 0 error(s), 0 warning(s)")])
def test_check_summary_in_the_runs_language(lang, summary):
    r = run_cli("check", "--lang", lang)
    assert r.returncode == 0 and r.stderr.strip() == summary


def test_ledger_check_and_copy_in_the_runs_language(ledger, tmp_path):
    r = run_cli("ledger", "check", "--db", str(ledger), "--lang", "vi")
    assert r.stdout.strip() == f"{ledger}: không có lỗi"
    r = run_cli("ledger", "copy", "--from", str(ledger), "--to", str(tmp_path / "b.sqlite3"), "--lang", "vi")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("đã chép 1 dòng (0 dòng đã có)") and "số dòng: 1 = 1; tổng kiểm:" in r.stdout


def test_recorded_at_is_shown_in_vietnam_time(ledger):
    r = run_cli("submissions", "--db", str(ledger), "--format", "json")
    (item,) = json.loads(r.stdout)["submissions"]
    stamp = dt.datetime.fromisoformat(item["recorded_at"])
    assert stamp.utcoffset() == dt.timedelta(hours=7)
    assert abs(dt.datetime.now(dt.timezone.utc) - stamp) < dt.timedelta(minutes=10)
    r = run_cli("submissions", "--db", str(ledger), "--format", "csv")
    assert r.stdout.splitlines()[1].split(",")[8].endswith("+07:00")


def test_tables_show_names_not_ids_unless_asked(ledger):
    r = run_cli("submissions", "--db", str(ledger), env={"COLUMNS": "140"})
    row = next(line for line in r.stdout.splitlines() if "2024-05" in line)
    assert "Báo cáo tháng" in row and "UBND huyện Đại Từ" in row and "monthly" not in row and "dai-tu" not in row
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--report", "monthly", env={"COLUMNS": "160"})
    assert "Báo cáo tháng" in r.stdout and "(monthly)" not in r.stdout
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--report", "monthly", "--ids",
                env={"COLUMNS": "160"})
    assert "Báo cáo tháng (monthly)" in r.stdout
    r = run_cli("overdue", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2024-12-20",
                "--db", str(ledger), env={"COLUMNS": "160"})
    assert "Báo cáo tháng" in r.stdout and "(monthly)" not in r.stdout


# -- item 2: no English sentence in a vi run, help included ---------------------------------------------
ENGLISH = {"the", "and", "of", "this", "that", "is", "are", "to", "from", "with", "for", "each", "every", "default",
           "only", "show", "exit", "usage", "options", "commands", "arguments", "write", "file", "files", "date",
           "recorded", "late", "due", "sent", "checked", "error", "errors", "warning", "warnings", "rows",
           "copied", "ok", "nothing", "plan", "report", "unit", "projected", "days", "message", "already"}


def english_words(text: str) -> set[str]:
    """Words of an English sentence left in `text`, after what is not prose: options (--lang), metavars
    (<str>), code (`dvcq plans`), paths, ids such as so-tai-chinh, and the usage line's OPTIONS."""
    import re

    text = re.sub(r"^│\s+\*?\s*[a-z][\w-]*", " ", text, flags=re.M)  # a command's or an argument's name
    text = re.sub(r"^\s*(?:Cách dùng|Usage): dvcq.*$", " ", text, flags=re.M)  # checked on its own
    text = re.sub(r"\b\w+: (?:true|false)\b", " ", text)  # a JSON field named (projected: true)
    text = re.sub(r"^\w+ = ", " ", text, flags=re.M)  # a profile's key (dvcq config)
    text = re.sub(r"`[^`]*`|<\w+>|{\w+}|--?[a-z][\w-]*|\S*/\S*|\b\w+(?:-\w+)+\b|\[[A-Z.\s]+\]|\b[A-Z]{2,}\b",
                  " ", text)
    return {w for w in re.findall(r"\w+", text.lower()) if w in ENGLISH}


HELP_PAGES = [(), ("deadlines",), ("config",), ("plans",), ("explain",), ("check",), ("submit",), ("submissions",),
              ("overdue",), ("calendar",), ("scorecard",), ("letter",), ("draft",), ("history",), ("schema",), ("board",),
              ("plan",), ("plan", "next"), ("ledger",), ("ledger", "copy"), ("ledger", "check"),
              ("ledger", "verify"), ("ledger", "grant")]


@pytest.mark.parametrize("page", HELP_PAGES, ids=lambda p: " ".join(p) or "dvcq")
def test_help_follows_the_language(page, tmp_path):
    """`--help` in a vi run (the default, DVCQ_LANG or the profile, as --lang) is Vietnamese: the
    commands' and options' texts and the words around them; in an en run, English."""
    r = run_cli(*page, "--help", env={"COLUMNS": "100"})
    assert r.returncode == 0, r.stderr
    assert "Cách dùng:" in r.stdout and "Hiện hướng dẫn này rồi thoát." in r.stdout
    assert english_words(r.stdout) == set(), r.stdout
    r = run_cli(*page, "--help", env={"COLUMNS": "100", "DVCQ_LANG": "en"})
    assert "Usage:" in r.stdout and "Show this message and exit." in r.stdout
    profile = tmp_path / "dvcq.toml"
    profile.write_text('lang = "en"\n', encoding="utf-8")
    r = run_cli("--config", str(profile), *page, "--help", env={"COLUMNS": "100"})
    assert "Usage:" in r.stdout


def test_help_language_from_the_flag():
    r = run_cli("deadlines", "--help", "--lang", "en", env={"COLUMNS": "100"})
    assert "Every deadline of a plan" in r.stdout
    r = run_cli("deadlines", "--help", "--lang", "vi", env={"COLUMNS": "100", "DVCQ_LANG": "en"})
    assert "Mọi hạn nộp của một kế hoạch" in r.stdout


def test_a_vi_run_prints_no_english_sentence(ledger, tmp_path):
    """The commands this issue covered, run in Vietnamese: every word a user reads is Vietnamese
    (the plan's own words, ids, dates and paths aside)."""
    db = ("--db", str(ledger))
    runs = [
        ("deadlines", "--plan", "thai-nguyen", "--from", "2026-12-04"),
        ("deadlines", "--plan", "ha-giang", "--year", "2024"),
        ("overdue", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2026-12-04", *db),
        ("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-07", "--unit", "dai-tu",
         "--on", "2024-07-20", *db),
        ("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-07", "--unit", "dai-tu",
         "--on", "2024-07-20", *db),
        ("submissions", *db),
        ("scorecard", "--plan", "thai-nguyen", "--year", "2024", "--as-of", "2024-12-20", *db),
        ("check",),
        ("ledger", "check", *db),
        ("calendar", "--plan", "thai-nguyen", "--year", "2024", "--month", "2"),
        ("config",),
        ("letter", "--plan", "thai-nguyen", "--unit", "so-tai-chinh", "--as-of", "2024-12-20", *db,
         "--output", str(tmp_path / "cv.docx")),
    ]
    for args in runs:
        r = run_cli(*args, env={"COLUMNS": "120"})
        assert r.returncode in (0, 1), (args, r.stderr)
        assert english_words(r.stdout + r.stderr) == set(), (args, r.stdout + r.stderr)
