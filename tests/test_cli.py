"""The commands as users type them: output shapes, filters, errors (one line, exit 2)."""
import csv
import io
import json

import pytest

from conftest import run_cli
from dvcq.output.records import JSON_KEYS


def test_deadlines_json_shape():
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["plan"] == "thai-nguyen" and data["year"] == 2024
    for item in data["deadlines"]:
        assert tuple(item) == JSON_KEYS
    feb = next(i for i in data["deadlines"] if i["report"] == "monthly" and i["period"] == "2024-02")
    assert (feb["due"], feb["effective_due"]) == ("2024-02-13", "2024-02-15")
    assert feb["source"]["section"] == "IV.9"
    assert {i["report"] for i in data["deadlines"]} >= {"monthly", "quarterly", "semiannual", "annual", "task-1"}


def test_table_shows_written_and_effective_dates_in_vietnamese():
    # the wide layout (piped output is 80 columns unless $COLUMNS says more, issue 23)
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--report", "monthly", env={"COLUMNS": "120"})
    assert r.returncode == 0, r.stderr
    assert "13/02/2024 (T3)" in r.stdout and "15/02/2024 (T5)" in r.stdout
    assert "lồng ghép vào Báo cáo quý (2024-Q1)" in r.stdout
    assert "\x1b[" not in r.stdout  # piped with NO_COLOR: no escape codes
    assert not set("┏━┃│╇") & set(r.stdout)  # piped: plain ASCII borders


def test_table_in_english():
    r = run_cli("deadlines", "--plan", "tay-ninh", "--year", "2025", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "Effective due" in r.stdout and "14/12/2025 (Sun)" in r.stdout and "15/12/2025 (Mon)" in r.stdout


def test_csv_has_header_and_iso_dates():
    r = run_cli("deadlines", "--plan", "ha-giang", "--year", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert tuple(rows[0]) == JSON_KEYS
    first = rows[0]
    assert (first["report"], first["due"]) == ("plan-submission", "2024-02-28")


def test_sender_filter_ignores_case_and_accents():
    r = run_cli("deadlines", "--plan", "ha-giang-sgtvt", "--year", "2024", "--sender", "phong, ban", "--format", "json")
    reports = {i["report"] for i in json.loads(r.stdout)["deadlines"]}
    assert reports == {"unit-quarterly", "unit-semiannual", "unit-annual"}


def test_projected_year_is_marked_and_said_on_stderr():
    r = run_cli("deadlines", "--plan", "tay-ninh", "--year", "2026", "--format", "json")
    assert r.returncode == 0
    items = json.loads(r.stdout)["deadlines"]
    assert items and all(i["projected"] for i in items)
    assert "projected" in r.stderr and "2025" in r.stderr


def test_year_without_announced_days_off_says_so():
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2028", "--format", "json")
    assert r.returncode == 0
    assert "chưa được công bố" in r.stderr


def test_plans_lists_the_five_seed_plans():
    r = run_cli("plans", "--format", "json")
    ids = {p["id"]: p for p in json.loads(r.stdout)}
    assert set(ids) == {"ha-giang", "ha-giang-sgtvt", "thai-nguyen", "hau-giang", "tay-ninh"}
    assert ids["thai-nguyen"]["rules"] == 4 + 16 and ids["tay-ninh"]["years"] == [2025]


def test_explain_tells_why_the_date_moved():
    r = run_cli("explain", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-02")
    assert r.returncode == 0, r.stderr
    assert "Gửi trước ngày 14 của tháng" in r.stdout
    assert "13/02/2024 là Mùng bốn Tết Nguyên Đán" in r.stdout
    assert "Hạn thực tế: 15/02/2024" in r.stdout
    assert "Số liệu: 14/01/2024 – 13/02/2024" in r.stdout


def test_explain_shows_the_erratum():
    r = run_cli("explain", "--plan", "ha-giang-sgtvt", "--report", "unit-semiannual", "--period", "2024-H1", "--lang", "en")
    assert "10/5/2023" in r.stdout and "Due (as written): 09/05/2024" in r.stdout


def test_user_plans_dir(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "id: so-noi-vu-x\nissuer: Sở X\nyears: [2024]\nreports:\n"
        "  - id: annual\n    title: Báo cáo năm\n    every: year\n    due: {by: {day: 28, month: 3}}\n"
        "    window: none\n", encoding="utf-8")
    r = run_cli("deadlines", "--plan", "so-noi-vu-x", "--year", "2024", "--format", "json", "--plans-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["deadlines"][0]["due"] == "2024-03-28"  # "chậm nhất": inclusive
    r = run_cli("deadlines", "--plan", "so-noi-vu-x", "--year", "2024", "--format", "json", env={"DVCQ_PLANS": str(tmp_path)})
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args,message", [
    (["deadlines", "--plan", "bac-kan"], "unknown plan 'bac-kan'; known plans: ha-giang"),
    (["deadlines", "--plan", "thai-nguyen", "--report", "weekly"], "unknown report 'weekly' in plan thai-nguyen; known: monthly"),
    (["deadlines", "--plan", "thai-nguyen", "--year", "24x"], "--year: '24x' is not a year"),
    (["deadlines", "--plan", "thai-nguyen", "--format", "xml"], "--format: 'xml' is not one of table, json, csv"),
    (["deadlines", "--plan", "thai-nguyen", "--roll", "later"], "--roll: 'later' is not one of next, previous, keep"),
    (["deadlines", "--plan", "thai-nguyen", "--plans-dir", "/nonexistent/plans"], "plans directory /nonexistent/plans does not exist"),
    (["explain", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-13"], "month 13 does not exist"),
    (["explain", "--plan", "thai-nguyen", "--report", "monthly", "--period", "Q1"], "is not a period"),
    (["explain", "--plan", "thai-nguyen", "--report", "quarterly", "--period", "2024-Q2"], "has no period '2024-Q2'; its periods in 2024: 2024-Q1, 2024-Q3"),
    (["deadlines"], "Missing option '--plan'"),
    (["deadlines", "--plan", "thai-nguyen", "--bogus"], "No such option: --bogus"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    r = run_cli(*args, env={"DVCQ_LANG": "en"})  # the English messages; tests/test_one_language.py has the Vietnamese
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_broken_plan_file_is_named_with_line(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: x\nissuer: y\nyears: [2024]\nreports:\n  - id: a\n    evry: month\n",
                                          encoding="utf-8")
    r = run_cli("plans", "--plans-dir", str(tmp_path), "--lang", "en")
    assert r.returncode == 2
    assert "broken.yaml:6:5: error: unknown key 'evry'" in r.stderr and "did you mean 'every'?" in r.stderr
    assert "Traceback" not in r.stderr


def test_80_column_table_keeps_dates_whole():
    r = run_cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert "13/02/2024 (T3)" in r.stdout and "→ 15/02/2024 (T5)" in r.stdout
    assert "14/01/2024 –" in r.stdout  # the window wraps between its two dates, not inside one
