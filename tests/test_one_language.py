"""Issue 23 item 2, one language: every word a user reads follows --lang (Vietnamese by default).

Run as a user runs it: the command line, the same runs in `vi` and in `en`. A `vi` run prints no
English sentence (the heuristic of tests/test_official.py, with more English words: what is not
prose is left out: ids, paths, options, codes in brackets, the plan's own words); the same runs in
`en` are English. The runs cover --help, click's own usage errors, dvcq's errors of each kind,
check on broken plans, submit's replies, an import with skipped rows, ledger verify, plan next and
draft's summary.
"""
from __future__ import annotations

import re
import shutil
import sqlite3

import pytest

from conftest import REPO, run_cli
import test_official
from test_official import HELP_PAGES

# the words of an English sentence (test_official's and more): none may be left in a vi run
ENGLISH = test_official.ENGLISH | {
    "not", "no", "is", "was", "be", "cannot", "does", "give", "must", "which", "missing", "option", "invalid",
    "value", "such", "found", "read", "line", "row", "column", "unknown", "expected", "period", "event", "holds",
    "merged", "instead", "before", "after", "exist", "lists", "known", "argument", "command", "got", "wrote",
}


def plan_keys() -> str:
    import dvcq.planfiles.loader as loader

    keys = {k for name in dir(loader) if name.endswith("_KEYS") for k in getattr(loader, name)}
    return "|".join(sorted(keys, key=len, reverse=True))


def unkeyed(text: str) -> str:
    """A check's finding names the plan file's keys (`merged:`, 'day', "date, month, period_month, after"):
    they are the format's words, as options are the command line's; left out like them."""
    keys = plan_keys()
    text = re.sub(r"\b\w+(?:\[\d+\])?(?:\.\w+(?:\[\d+\])?)+", " ", text)  # a place in the file: reports[0].due.before
    text = re.sub(rf"'(?:{keys})'", " ", text)
    text = re.sub(rf"\b(?:{keys})(?=[:,])", " ", text)
    return re.sub(rf"(?<=, )(?:{keys})\b|(?<=và )(?:{keys})\b", " ", text)


def english(text: str) -> set[str]:
    saved = test_official.ENGLISH
    test_official.ENGLISH = ENGLISH
    try:
        return test_official.english_words(text)
    finally:
        test_official.ENGLISH = saved


REGISTER = REPO / "tests" / "fixtures" / "register-thai-nguyen-2024.csv"
CORPUS = REPO / "tests" / "check_corpus"
SEMANTIC = ["before-issue", "chain-order", "merge-candidate", "needs-review", "no-source", "quote-mismatch",
            "too-soon", "window-too-late", "year-mismatch"]
# schema problems said by dvcq itself (not those quoting PyYAML's or the phrase grammar's own words)
SCHEMA = ["unknown-key", "missing-field", "wrong-type", "bad-value", "duplicate-id", "empty-file", "not-a-mapping",
          "bad-reference", "duplicate-key", "yaml-tag", "bad-date-31-4", "bad-date-month-13", "bad-date-day-0",
          "unknown-frequency", "too-large"]


@pytest.fixture
def ledger(tmp_path):
    """A ledger with Đại Từ's May 2024 monthly report, sent 20/05/2024: Thái Nguyên's "trước ngày 14"
    makes 13/05/2024 the last day, so 7 days late."""
    db = tmp_path / "ledger.sqlite3"
    r = run_cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-05", "--unit", "dai-tu",
                "--on", "2024-05-20", "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


def runs(tmp_path, db) -> list[tuple]:
    """What a user runs: (args, the exit codes it may end with)."""
    d = str(db)
    sub = ("submit", "--plan", "thai-nguyen", "--report", "monthly")
    broken = tmp_path / "broken"
    broken.mkdir(exist_ok=True)
    for name in SEMANTIC + SCHEMA:  # each in a folder of its own: the corpus shares one plan id
        (broken / name).mkdir(exist_ok=True)
        shutil.copy(CORPUS / f"{name}.yaml", broken / name / f"{name}.yaml")
    return [
        # submit's replies and its refusals
        ((*sub, "--period", "2024-05", "--unit", "dai-tu", "--on", "2024-05-20", "--db", d), (0,)),  # already
        ((*sub, "--period", "2024-05", "--unit", "dai-tu", "--on", "2024-05-21", "--why", "sổ ghi 21/05", "--db", d), (0, 2)),
        ((*sub, "--period", "2024-05", "--unit", "dai-tu", "--on", "2024-05-21", "--why", "lại", "--db", d), (2,)),
        ((*sub, "--period", "2024-07", "--unit", "dai-tu", "--on", "2024-07-20", "--db", d), (0,)),
        ((*sub, "--period", "2024-08", "--unit", "dai-tu", "--undo", "--why", "ghi nhầm", "--db", d), (2,)),
        ((*sub, "--period", "2024-06", "--unit", "dai-tu", "--db", d), (2,)),  # merged into the 6-month report
        ((*sub, "--period", "2024-05", "--db", d), (2,)),  # no --unit
        ((*sub, "--period", "2024-05", "--unit", "ha-noi", "--db", d), (2,)),
        ((*sub, "--period", "2024-05", "--unit", "dai-tu", "--on", "2020-01-01", "--db", d), (2,)),
        ((*sub, "--period", "2024-05", "--unit", "dai-tu", "--on", "2024-05-21", "--db", d), (0,)),  # already (changed day, no --why)
        ((*sub, "--period", "2024-05", "--unit", "dai-tu", "--on", "2024-05-21", "--why", "", "--db", d), (2,)),
        (("submit", "--plan", "thai-nguyen", "--from", str(REGISTER), "--db", d, "--dry-run"), (1,)),
        # the ledger
        (("ledger", "verify", "--db", d), (0,)),
        (("ledger", "check", "--db", d), (0,)),
        (("ledger", "verify", "--db", str(tmp_path / "nope.sqlite3")), (2,)),
        (("submissions", "--db", d), (0,)),
        (("history", "--db", d), (0,)),
        (("overdue", "--plan", "thai-nguyen", "--unit", "dai-tu", "--as-of", "2024-12-20", "--db", d), (1,)),
        (("overdue", "--plan", "thai-nguyen", "--within", "x", "--db", d), (2,)),
        # check on broken plans: check's own findings
        (("check", *[str(broken / name) for name in SEMANTIC]), (0,)),
        (("check", *[str(broken / name) for name in SCHEMA]), (1,)),
        (("plans", "--plans-dir", str(broken / "unknown-key")), (2,)),  # a broken plan file, as every command says it
        (("check", str(tmp_path / "missing.yaml")), (2,)),
        # dvcq's errors of each kind
        (("deadlines", "--plan", "nope"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--report", "weekly"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--year", "24x"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--month", "13"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--from", "2025-01-01", "--to", "2024-01-01"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--format", "xml"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--excel"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--unit", "so"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "--next", "30", "--to", "2024-12-31"), (2,)),
        (("deadlines", "--plans-dir", str(tmp_path / "no-such-folder")), (2,)),
        (("deadlines",), (2,)),
        (("explain", "--plan", "thai-nguyen", "--report", "quarterly", "--period", "2024-Q2"), (2,)),
        (("explain", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-13"), (2,)),
        (("explain", "--plan", "thai-nguyen", "--report", "monthly", "--period", "Q1"), (2,)),
        (("submit", "--plan", "thai-nguyen", "--from", "/dev/null", "--db", d), (2,)),
        (("plan", "next", "thai-nguyen", "--year", "2024"), (2,)),
        # click's own usage errors
        (("deadlines", "--bogus"), (2,)),
        (("deadlines", "--plan"), (2,)),
        (("deadlines", "--ids=yes"), (2,)),
        (("deadlines", "--plan", "thai-nguyen", "extra"), (2,)),
        (("explain", "--plan", "thai-nguyen"), (2,)),
        (("plan", "next"), (2,)),
        (("nocommand",), (2,)),
        # plan next, the calendar, a letter with nothing recorded
        (("plan", "next", "thai-nguyen", "--year", "2025", "--output", str(tmp_path / "next.yaml")), (0,)),
        (("calendar", "--plan", "thai-nguyen", "--year", "2026", "--month", "1"), (0,)),
    ]


def test_a_vi_run_says_everything_in_vietnamese_and_an_en_run_in_english(ledger, tmp_path):
    for args, codes in runs(tmp_path, ledger):
        r = run_cli(*args, env={"COLUMNS": "120"})
        assert r.returncode in codes, (args, r.returncode, r.stderr)
        said = r.stdout + r.stderr
        assert said.strip() and "Traceback" not in said, (args, said)
        assert english(unkeyed(said) if args[0] in ("check", "plans") else said) == set(), (args, said)
    (tmp_path / "en").mkdir()
    for args, codes in runs(tmp_path / "en", ledger):
        r = run_cli(*args, "--lang", "en", env={"COLUMNS": "120"})
        assert r.returncode in codes, (args, r.returncode, r.stderr)
        assert english(r.stdout + r.stderr), (args, r.stdout + r.stderr)
        if r.returncode == 2:  # an error, "dvcq: error: ..." or a plan file's "dvcq: file:line:col: error: ..."
            assert re.match(r"dvcq: (?:\S+:\d+:\d+: )?error: ", r.stderr), (args, r.stderr)


@pytest.mark.parametrize("args,vi,en", [
    (("deadlines", "--bogus"), "dvcq: lỗi: không có tuỳ chọn --bogus", "dvcq: error: No such option: --bogus"),
    (("deadlines", "--plan"), "dvcq: lỗi: tuỳ chọn '--plan' cần một giá trị", "dvcq: error: Option '--plan' requires an argument."),
    (("explain", "--plan", "thai-nguyen"), "dvcq: lỗi: thiếu tuỳ chọn '--report'", "dvcq: error: Missing option '--report'."),
    (("nocommand",), "dvcq: lỗi: không có lệnh 'nocommand'", "dvcq: error: No such command 'nocommand'"),
    (("deadlines", "--plan", "thai-nguyen", "extra"), "dvcq: lỗi: thừa tham số: extra",
     "dvcq: error: Got unexpected extra argument(s) (extra)"),
    (("deadlines", "--plan", "nope"), "dvcq: lỗi: không có kế hoạch 'nope'", "dvcq: error: unknown plan 'nope'"),
    (("deadlines", "--plan", "thai-nguyen", "--year", "24x"), "dvcq: lỗi: --year: '24x' không phải là một năm",
     "dvcq: error: --year: '24x' is not a year like 2024"),
])
def test_usage_and_dvcq_errors_follow_the_language(args, vi, en):
    """click's "No such option" and the like were English whatever --lang said (issue 23)."""
    r = run_cli(*args)
    assert r.returncode == 2 and r.stderr.startswith(vi) and len(r.stderr.splitlines()) == 1, r.stderr
    r = run_cli(*args, env={"DVCQ_LANG": "en"})
    assert r.returncode == 2 and r.stderr.startswith(en) and len(r.stderr.splitlines()) == 1, r.stderr


def test_the_language_of_an_error_comes_from_the_flag_the_environment_or_the_profile(tmp_path):
    profile = tmp_path / "dvcq.toml"
    profile.write_text('lang = "en"\n', encoding="utf-8")
    r = run_cli("--config", str(profile), "deadlines", "--plan", "nope")
    assert r.stderr.startswith("dvcq: error: unknown plan 'nope'")
    r = run_cli("--config", str(profile), "deadlines", "--plan", "nope", "--lang", "vi")
    assert r.stderr.startswith("dvcq: lỗi: không có kế hoạch 'nope'")
    r = run_cli("deadlines", "--bogus", "--lang", "en")
    assert r.stderr.startswith("dvcq: error: No such option: --bogus")


def test_check_findings_and_their_level_in_the_runs_language(tmp_path):
    """A rule without its source quote: "cảnh báo" and the finding in Vietnamese; in English with --lang en.
    The JSON keeps the English message, for tools."""
    shutil.copy(CORPUS / "no-source.yaml", tmp_path / "no-source.yaml")
    r = run_cli("check", str(tmp_path / "no-source.yaml"))
    assert r.stdout.strip().endswith(": cảnh báo: annual: chưa có câu trích nguồn; hãy chép câu văn bản mà quy "
                                     "tắc này dựa vào [no-source]"), r.stdout
    r = run_cli("check", str(tmp_path / "no-source.yaml"), "--lang", "en")
    assert r.stdout.strip().endswith(": warning: annual: no source quote; copy the sentence this rule comes from "
                                     "[no-source]"), r.stdout


def test_import_reasons_in_the_runs_language(ledger):
    """Row 101 of the register: a report from Sở Tài chính tỉnh Bắc Kạn, another province."""
    args = ("submit", "--plan", "thai-nguyen", "--from", str(REGISTER), "--db", str(ledger), "--dry-run")
    vi = {line.split("\t")[0]: line for line in run_cli(*args).stdout.splitlines()}
    en = {line.split("\t")[0]: line for line in run_cli(*args, "--lang", "en").stdout.splitlines()}
    assert vi["101"].endswith("tỉnh khác (Bắc Kạn): không có đơn vị nào như 'Sở Tài chính tỉnh Bắc Kạn'")
    assert en["101"].endswith("other province (Bắc Kạn): no unit like 'Sở Tài chính tỉnh Bắc Kạn'")


def test_ledger_verify_says_its_problems_and_its_ok_in_the_runs_language(ledger):
    """Before: `ledger verify` said "ok" and its problems in English whatever --lang said."""
    r = run_cli("ledger", "verify", "--db", str(ledger))
    assert r.returncode == 0 and r.stdout == f"{ledger}: không có lỗi\n"
    with sqlite3.connect(ledger) as conn:  # a state its events do not give: changed behind dvcq's back
        conn.execute("UPDATE submissions SET submitted_on = '2024-05-27'")
    r = run_cli("ledger", "verify", "--db", str(ledger))
    assert r.returncode == 1
    assert r.stdout == (f"{ledger}: thai-nguyen monthly 2024-05 dai-tu: sổ ghi gửi ngày 2024-05-27 nhưng các sự kiện "
                        "cho ra gửi ngày 2024-05-20\n")
    r = run_cli("ledger", "verify", "--db", str(ledger), "--lang", "en")
    assert "the ledger holds sent 2024-05-27 but its events give sent 2024-05-20" in r.stdout


def test_plan_next_takes_lang():
    r = run_cli("plan", "next", "thai-nguyen", "--year", "2024", "--lang", "en")
    assert r.returncode == 2 and r.stderr.startswith("dvcq: error: plan thai-nguyen already has an edition for 2024")
    r = run_cli("plan", "next", "thai-nguyen", "--year", "2024", "--lang", "vi")
    assert r.returncode == 2 and r.stderr.startswith("dvcq: lỗi: kế hoạch thai-nguyen đã có kế hoạch năm 2024")


@pytest.mark.parametrize("page", HELP_PAGES, ids=lambda p: " ".join(p) or "dvcq")
def test_help_has_no_english_word(page):
    r = run_cli(*page, "--help", env={"COLUMNS": "100"})
    assert r.returncode == 0 and english(r.stdout) == set(), r.stdout
    usage = next(line for line in r.stdout.splitlines() if "Cách dùng:" in line)
    assert "[TUỲ CHỌN]" in usage and "OPTIONS" not in usage and "COMMAND" not in usage, usage


def test_every_message_id_raised_or_said_is_in_both_catalogs():
    """DvcqError(msg=...), Said(...), Problem.of(...) name their message by id: each is in the catalogs."""
    from dvcq.core.messages import en, vi

    used = set()
    for path in (REPO / "dvcq").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bmsg=["']([a-z0-9_.-]+)["']""", text))
        used |= set(re.findall(r"""\bSaid\(["']([a-z0-9_.-]+)["']""", text))
        used |= set(re.findall(r"""Problem\.of\([^)]*?["'](check\.[a-z0-9_.-]+)["']""", text))
    assert used and sorted(used - set(vi.MESSAGES)) == [] and sorted(used - set(en.MESSAGES)) == []


# -- the plan file's rarer schema problems (planfiles/loader.py): each a plan of its own, as check says it
HEAD = ("id: corpus-x\nissuer: UBND tỉnh Thử\ndocument: 1/KH-UBND\nissued: 2024-01-10\nyears: [2024]\n")
REPORT = ("reports:\n  - id: monthly\n    title: Báo cáo tháng\n    every: month\n"
          "    source: {{section: '1', quote: 'Báo cáo tháng'}}\n{rest}")
RARE = {  # name: (the plan's text, the English check says of it)
    "ignore": (REPORT.format(rest="    due: {before: {day: 15}}\n    ignore: [1]\n"), "ignore lists check codes as text"),
    "months-offset": (REPORT.format(rest="    due: {before: {day: 15, month: 2, months_offset: 1}}\n"),
                      "months_offset goes with period_month, not with a fixed month"),
    "period-month": (REPORT.format(rest="    due: {before: {day: 15, period_month: 0}}\n"),
                     "period_month counts months of the period: 1 the first, -1 the last"),
    "year-offset": (REPORT.format(rest="    due: {before: {day: 15, year_offset: 1}}\n"),
                    "year_offset goes with a fixed month, not with period_month"),
    "count-of-count": (REPORT.format(rest="    due: {by: {after: {after: period-end, days: 2}, days: 5}}\n"),
                       "a count of days starts from a day, not from another count"),
    "anchor": (REPORT.format(rest="    due: {by: {after: month-end, days: 5}}\n"), "after: 'month-end' is not one of"),
    "count-named": (REPORT.format(rest="    due: {by: {after: {day: 25}}}\n"),
                    "a count from a named day needs exactly one of 'days' or 'working_days'"),
    "count-after": (REPORT.format(rest="    due: {by: {after: period-end, days: 5, working_days: 3}}\n"),
                    "after period-end needs exactly one of 'days' or 'working_days'"),
    "before-by": (REPORT.format(rest="    due: {before: {day: 15}, by: {day: 14}}\n"),
                  "needs exactly one of 'before' (trước ngày: exclusive) or 'by' (chậm nhất: inclusive)"),
    "stray": (REPORT.format(rest="    due: {by: {after: period-end, days: 5, day: 2}}\n"), "'day' does not go with 'after'"),
    "zero-days": (REPORT.format(rest="    due: {by: {after: period-end, days: 0}}\n"), "days: 0 is not a number of days (1 or more)"),
    "range": (REPORT.format(rest="    due: {by: {day: 15, month: 2, year_offset: 99}}\n"),
              "year_offset: 99 is out of range (at most 10 either way)"),
    "window-from": (REPORT.format(rest="    due: {before: {day: 15}}\n    window: {to: {day: 10}}\n"), "needs 'from'"),
    "periods": (REPORT.format(rest="    due: {before: {day: 15}}\n    periods: [13]\n"), "periods: 13 is not a month of the year (1-12)"),
    "window-circular": (REPORT.format(rest="    due: {by: {after: window-end, days: 5}}\n    window: {from: {day: 1}, to: due}\n"),
                        "the window ends on the due date, which counts from the window's end"),
    "roll": (REPORT.format(rest="    due: {before: {day: 15}}\n    roll: later\n"), "roll: 'later' is not one of next, previous, keep"),
    "task-id": ("tasks:\n  - id: t1\n    title: Việc\n    lead: Sở Nội vụ\n    complete: [2024-03]\n"
                "    source: {section: '1', quote: 'Việc'}\n", "task id 't1': key tasks are 'task-N' after their table row"),
    "complete": ("tasks:\n  - id: task-1\n    title: Việc\n    lead: Sở Nội vụ\n    complete: [2024-13, tháng 3]\n"
                 "    source: {section: '1', quote: 'Việc'}\n", "complete: '2024-13': month 13 does not exist"),
    "units-list": ("units: 3\n" + REPORT.format(rest="    due: {before: {day: 15}}\n"), "units must be a list of units or a units file name"),
    "unit-id": ("units:\n  - {id: Dai_Tu, name: Đại Từ}\n  - {id: pho-yen, name: Phổ Yên}\n  - {id: pho-yen, name: Phổ Yên}\n"
                "  - {id: song-cong, name: Sông Công, from: 2024-05-01, until: 2024-01-01}\n"
                + REPORT.format(rest="    due: {before: {day: 15}}\n"), "unit id 'Dai_Tu': use lower-case letters, digits and '-'"),
    "ends": ("ends: {why: sáp nhập}\n" + REPORT.format(rest="    due: {before: {day: 15}}\n"),
             "ends needs 'date': the last day the plan applies"),
    "issued": (REPORT.format(rest="    due: {before: {day: 15}}\n"), "issued: '2024-13' is not a month of"),
}
RARE_ALSO = {"unit-id": ["unit id 'pho-yen' is listed twice", "unit 'song-cong': until 01/01/2024 is before from 01/05/2024"],
             "complete": ["'tháng 3' is not a period"]}


def rare_plans(folder):
    paths = []
    for name, (text, _) in RARE.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        head = HEAD.replace("2024-01-10", "2024-13") if name == "issued" else HEAD
        (folder / name / f"{name}.yaml").write_text(head + text, encoding="utf-8")
        paths.append(str(folder / name / f"{name}.yaml"))
    return paths


def test_the_plan_files_rarer_schema_problems_in_the_runs_language(tmp_path):
    """Before: ignore, offsets, counted days, ranges, periods, roll, task ids, complete, units and ends
    were English in a vi run."""
    paths = rare_plans(tmp_path)
    r = run_cli("check", *paths, "--lang", "en")
    assert r.returncode == 1, r.stderr
    for name, (_, said) in RARE.items():
        found = [line for line in r.stdout.splitlines() if f"/{name}.yaml:" in line]
        for each in [said, *RARE_ALSO.get(name, [])]:
            assert any(each in line for line in found), (name, each, found)
    r = run_cli("check", *paths)
    assert r.returncode == 1, r.stderr
    for name in RARE:
        found = [line for line in r.stdout.splitlines() if f"/{name}.yaml:" in line and ": lỗi: " in line]
        assert found, (name, r.stdout)
        for line in found:
            assert english(unkeyed(line.split(": lỗi: ", 1)[1])) == set(), line
    assert "không phải là số ngày (từ 1 trở lên)" in r.stdout and "mã đơn vị 'pho-yen' được liệt kê hai lần" in r.stdout


# -- why the grammar cannot read a phrase (core/phrases): the phrase's own words stay as written
PHRASES = {  # name: (every, key, the phrase, the English check says of it)
    "bare-month": ("quarter", "due", "chậm nhất ngày 20 tháng",
                   "cannot read 'tháng' at character 18: 'tháng' alone is the reporting month, but this rule recurs every quarter"),
    "no-since": ("month", "due", "chậm nhất 5 ngày làm việc",
                 "cannot read the end of the text at character 25: expected 'kể từ' after the number of days"),
    "day-32": ("month", "due", "trước ngày 32", "cannot read '32' at character 11: a day of a month is 1-31"),
    "fourth-month": ("quarter", "due", "chậm nhất ngày 15 tháng thứ 4 của quý",
                     "this rule recurs every quarter; its period has 3 month(s)"),
    "quarter-in-month": ("month", "due", "chậm nhất ngày cuối quý", "'quý' names a quarter, but this rule recurs every month"),
    "before-count": ("quarter", "due", "trước 30 ngày kể từ ngày kết thúc quý", "'trước' with a count of days is ambiguous"),
    "window-to": ("month", "window", "số liệu từ ngày 15 tháng trước",
                  "expected 'đến' or 'tới' after the first day of the window"),
}


def phrase_plans(folder):
    paths = []
    for name, (every, key, phrase, _) in PHRASES.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        rest = f"    {key}: \"{phrase}\"\n" + ("    due: {before: {day: 15}}\n" if key == "window" else "")
        text = HEAD + (REPORT.replace("every: month", f"every: {every}").format(rest=rest))
        (folder / name / f"{name}.yaml").write_text(text, encoding="utf-8")
        paths.append(str(folder / name / f"{name}.yaml"))
    return paths


def test_why_a_phrase_does_not_read_in_the_runs_language(tmp_path):
    """Before: "cannot read 'tháng' at character 20: ... alone is the reporting month, but ..." in a vi
    run, from check and from every command that loads the plan (deadlines)."""
    paths = phrase_plans(tmp_path)
    r = run_cli("check", *paths, "--lang", "en")
    assert r.returncode == 1, r.stderr
    for name, (*_, said) in PHRASES.items():
        assert any(said in line for line in r.stdout.splitlines() if f"/{name}.yaml:" in line), (name, r.stdout)
    r = run_cli("check", *paths)
    assert r.returncode == 1, r.stderr
    for name in PHRASES:
        found = [line for line in r.stdout.splitlines() if f"/{name}.yaml:" in line]
        assert len(found) == 1 and ": lỗi: " in found[0] and "[unparsed-phrase]" in found[0], (name, r.stdout)
        assert english(unkeyed(found[0].split(": lỗi: ", 1)[1])) == set(), found[0]
    assert ("không đọc được 'tháng' ở ký tự thứ 18: 'tháng' đứng một mình là tháng báo cáo, nhưng quy định này "
            "lặp lại hằng quý") in r.stdout
    r = run_cli("deadlines", "--plans-dir", str(tmp_path / "bare-month"), "--plan", "corpus-x", "--year", "2024")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and english(unkeyed(r.stderr)) == set(), r.stderr
    assert "không đọc được 'tháng' ở ký tự thứ 18" in r.stderr
    r = run_cli("deadlines", "--plans-dir", str(tmp_path / "bare-month"), "--plan", "corpus-x", "--year", "2024", "--lang", "en")
    assert r.returncode == 2 and "cannot read 'tháng' at character 18: 'tháng' alone is the reporting month" in r.stderr


# -- a notices file's problems (planfiles/daysoff.py) and a profile's (planfiles/profile.py)
NOTICES = {  # the file's text: the English dvcq says of it
    "- 2027-01-01\n": "a calendar file is a mapping with days_off, working_days, announced",
    "days_of: []\n": "unknown key 'days_of' (expected days_off, working_days, announced)",
    "days_off: 2027-01-01\n": "days_off must be a list",
    "announced: [true]\n": "announced lists years, True is not one",
    "working_days:\n  - date: 2027-02-31\n": "working_days[0].date must be a real date like 2026-01-02",
    "days_off:\n  - {date: 2027-02-12, nam: Tết}\n": "days_off[0]: unknown key 'nam' (expected date, name, name_en, source)",
    "days_off:\n  - {date: 2027-02-12, name: 12}\n": "days_off[0].name must be text",
}
PROFILES = {  # the profile's text: the English dvcq says of it (tomllib's own words inside the TOML one stay)
    b"plans = 'thai-nguyen'\n": """'plans' must be a list of plan ids, e.g. plans = ["thai-nguyen"]; got the string 'thai-nguyen'""",
    b"plans = [1]\n": "'plans' item 1 must be a string in quotes; got a whole number",
    b"plans_dirs = ['']\n": "'plans_dirs' item 1 is empty",
    b"plans = ['Thai Nguyen']\n": "'plans' item 1: 'Thai Nguyen' is not a plan id (lower-case letters, digits and '-', e.g. thai-nguyen)",
    b"db = ''\n": "'db' is empty; leave it out for the ledger in the user data folder",
    b"db = 'mysql://x'\n": "'db': mysql:// is not supported; give a file path or a postgresql:// URL",
    b"unit = ' '\n": "'unit' is empty; leave it out if you have no unit",
    b"lang = 2026-01-01\n": """'lang' must be "vi" or "en"; got a date""",
    b"plans = " + b"[" * 5000 + b"]" * 5000 + b"\n": "values nested too deep: a profile holds flat settings",
    b"unit = '\xff'\n": "not UTF-8 text (byte 0xff); save the profile as UTF-8",
}


def test_a_notices_files_and_a_profiles_problems_in_the_runs_language(tmp_path):
    for n, (text, said) in enumerate({**NOTICES, **PROFILES}.items()):
        if isinstance(text, str):
            path = tmp_path / f"notices-{n}.yaml"
            path.write_text(text, encoding="utf-8")
            args = ("calendar", "--plan", "thai-nguyen", "--year", "2026", "--month", "1", "--calendar", str(path))
        else:
            path = tmp_path / f"dvcq-{n}.toml"
            path.write_bytes(text)
            args = ("--config", str(path), "plans")
        r = run_cli(*args, env={"DVCQ_LANG": "en"})
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and said in r.stderr, (text, r.stderr)
        r = run_cli(*args)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and r.stderr.startswith(f"dvcq: {path}:"), r.stderr
        said = unkeyed(r.stderr.split(": lỗi: ", 1)[-1])
        said = re.sub(r"'(?:plans_dirs|plans|calendars|db|lang|unit)'", " ", said)  # the profile's keys: its format's words
        assert ": lỗi: " in r.stderr and english(said) == set(), (text, r.stderr)


def test_a_profile_that_cannot_be_read_or_does_not_parse_in_the_runs_language(tmp_path):
    """The dvcq sentence around it in Vietnamese; tomllib's own words inside the TOML one stay as they are."""
    big = tmp_path / "big.toml"
    big.write_text("# x\n" * 100_000)
    broken = tmp_path / "broken.toml"
    broken.write_text("plans = [\n")
    cases = [(tmp_path, "the profile is a folder, not a file", "tệp cấu hình là một thư mục, không phải tệp"),
             (big, "the profile is larger than", "tệp cấu hình lớn hơn"),
             (broken, "(TOML)", "lỗi cú pháp TOML: ")]
    if __import__("os").path.exists("/dev/zero"):
        cases.append((__import__("pathlib").Path("/dev/zero"), "the profile is a device, not a regular file",
                      "tệp cấu hình là một thiết bị, không phải tệp thường"))
    for path, en, vi in cases:
        r = run_cli("--config", str(path), "plans", env={"DVCQ_LANG": "en"})
        assert r.returncode == 2 and en in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
        r = run_cli("--config", str(path), "plans")
        assert r.returncode == 2 and vi in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
        if path != broken:
            assert english(r.stderr.replace(str(path), "")) == set(), r.stderr


# -- the ledger's errors (ledger/base.py, sqlite.py): SQLite's and the OS's own words inside may stay
def test_the_ledgers_errors_in_the_runs_language(tmp_path):
    sub = ("submit", "--plan", "thai-nguyen", "--report", "monthly", "--unit", "dai-tu")
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert run_cli(*sub, "--period", "2024-05", "--on", "2024-05-20", "--db", str(a)).returncode == 0
    assert run_cli(*sub, "--period", "2024-07", "--on", "2024-07-20", "--db", str(b)).returncode == 0
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    (tmp_path / "folder.sqlite3").mkdir()
    (tmp_path / "sheet.sqlite3").write_bytes(b"plan,report\n" * 20)
    with sqlite3.connect(tmp_path / "other.sqlite3") as conn:
        conn.execute("CREATE TABLE t (a)")
    shutil.copy(a, tmp_path / "newer.sqlite3")
    with sqlite3.connect(tmp_path / "newer.sqlite3") as conn:
        conn.execute("PRAGMA user_version = 99")
    (tmp_path / "damaged.sqlite3").write_bytes(a.read_bytes()[:100] + b"\x07" * 5000)
    cases = [  # (args, the English, the Vietnamese, SQLite's words inside)
        (("ledger", "copy", "--from", str(a), "--to", str(b)),
         "holds 1 event(s) that differ from", "có 1 sự kiện khác với", None),
        (("submissions", "--db", str(tmp_path / "empty.sqlite3")), "an empty file, not a ledger (left untouched)",
         "tệp trống, không phải sổ theo dõi (giữ nguyên)", None),
        (("submissions", "--db", str(tmp_path / "folder.sqlite3")), "is a folder, not a ledger file",
         "là một thư mục, không phải tệp sổ theo dõi", None),
        (("submissions", "--db", str(tmp_path / "sheet.sqlite3")), "not an SQLite ledger (left untouched)",
         "không phải sổ theo dõi SQLite (giữ nguyên)", None),
        (("submissions", "--db", str(tmp_path / "other.sqlite3")), "an SQLite file but not a dvcq ledger",
         "là tệp SQLite nhưng không phải sổ theo dõi của dvcq", None),
        (("submissions", "--db", str(tmp_path / "newer.sqlite3")), "ledger schema 99 is newer than this dvcq",
         "cấu trúc sổ phiên bản 99 mới hơn phiên bản dvcq này đọc được", None),
        (("submissions", "--db", str(tmp_path / "damaged.sqlite3")), "cannot read the ledger (damaged, or not a dvcq ledger",
         "không đọc được sổ theo dõi (hỏng, hoặc không phải sổ của dvcq; giữ nguyên): ", "malformed"),
    ]
    for args, en, vi, theirs in cases:
        r = run_cli(*args, env={"DVCQ_LANG": "en"})
        assert r.returncode == 2 and en in r.stderr and len(r.stderr.splitlines()) == 1, (args, r.stderr)
        r = run_cli(*args)
        assert r.returncode == 2 and r.stderr.startswith("dvcq: lỗi: ") and vi in r.stderr, (args, r.stderr)
        ours = r.stderr.split(vi)[0] + vi if theirs else r.stderr
        assert english(ours.replace(str(tmp_path), "")) == set(), (args, r.stderr)


def test_a_submission_the_ledger_refuses_names_it_in_the_runs_language(tmp_path):
    """The ledger's checks of what it records, as an API caller meets them: said in either language."""
    import datetime as dt

    from dvcq.core.errors import DvcqError
    from dvcq.ledger.base import Submission, rows_of

    bad = Submission("thai-nguyen", "monthly", "2024-05", "dai-tu", "2024-05-20")
    with pytest.raises(DvcqError) as caught:
        rows_of([bad])
    assert str(caught.value) == ("submission 1 (thai-nguyen monthly 2024-05 dai-tu): submitted_on: expected a date, "
                                 "got str; nothing recorded")
    assert caught.value.says("vi") == ("bản ghi thứ 1 (thai-nguyen monthly 2024-05 dai-tu): submitted_on: cần một ngày, "
                                       "nhận được str; chưa ghi gì")
    with pytest.raises(DvcqError) as caught:
        rows_of([Submission("thai-nguyen", "monthly", "2024-05", 7, dt.date(2024, 5, 20))])
    assert caught.value.says("vi").endswith("unit: cần văn bản, nhận được int; chưa ghi gì")


def test_a_shared_ledgers_errors_in_the_runs_language():
    """dvcq's sentence in the run's language; libpq's own words inside stay as libpq says them."""
    pytest.importorskip("psycopg")
    url = "postgresql://dvcq@127.0.0.1:1/nowhere?connect_timeout=5"
    r = run_cli("submissions", "--db", url, env={"DVCQ_LANG": "en"})
    assert r.returncode == 2 and r.stderr.startswith(f"dvcq: error: {url}: cannot connect to the ledger server: "), r.stderr
    r = run_cli("submissions", "--db", url)
    assert r.returncode == 2 and r.stderr.startswith(f"dvcq: lỗi: {url}: không kết nối được tới máy chủ sổ theo dõi: "), r.stderr
    server = __import__("os").environ.get("DVCQ_TEST_PG")
    if server:  # a login the server does not have (.ci/run starts a server)
        r = run_cli("ledger", "grant", "no-such-login", "--role", "reader", "--db", server)
        assert r.returncode == 2 and "máy chủ không có tài khoản đăng nhập 'no-such-login'; hãy tạo trước" in r.stderr, r.stderr
        assert english(r.stderr) == set(), r.stderr
        r = run_cli("ledger", "grant", "no-such-login", "--role", "reader", "--db", server, "--lang", "en")
        assert r.returncode == 2 and "no login 'no-such-login' on this server; create it first" in r.stderr, r.stderr


# -- board --output's refusals, ledger grant on SQLite, the plans folder walk, --remind
def test_board_grant_walk_and_remind_refusals_in_the_runs_language(tmp_path, ledger):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x")
    cases = [  # (args, the English, the Vietnamese)
        (("board", "--output", str(tmp_path / "a-file"), "--db", str(ledger)), "is a file: give a folder for the board",
         "là một tệp: hãy cho một thư mục để ghi bảng theo dõi"),
        (("board", "--output", str(tmp_path / "full"), "--db", str(ledger)), "is not empty and was not made by dvcq board",
         "không trống và không do dvcq board tạo ra"),
        (("ledger", "grant", "someone", "--role", "reader", "--db", str(ledger)),
         "roles are for a shared ledger on PostgreSQL", "vai trò chỉ dùng cho sổ theo dõi dùng chung trên PostgreSQL"),
        (("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "ics", "--remind", "week"),
         "--remind: 'week' is not days before, like 7,3,1 (or none)", "--remind: 'week' không phải danh sách số ngày nhắc trước"),
        (("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "ics", "--remind", "400"),
         "--remind: '400': days before must be 0 to 365", "--remind: '400': số ngày nhắc trước phải từ 0 đến 365"),
        (("check", "/"), "files and folders under it; name the folder that holds the plan files",
         "tệp và thư mục bên trong; hãy chỉ đúng thư mục chứa các tệp kế hoạch"),
    ]
    for args, en, vi in cases:
        r = run_cli(*args, env={"DVCQ_LANG": "en"})
        assert r.returncode == 2 and en in r.stderr and len(r.stderr.splitlines()) == 1, (args, r.stderr)
        r = run_cli(*args)
        assert r.returncode == 2 and vi in r.stderr and len(r.stderr.splitlines()) == 1, (args, r.stderr)
        assert english(r.stderr.replace(str(tmp_path), "")) == set(), (args, r.stderr)


# -- a register's reader (documents/xlsx.py, xlsxrows.py, csvsheet.py): zipfile's, expat's and csv's words stay
def test_a_registers_readers_refusals_in_the_runs_language(tmp_path, ledger):
    from test_hostile_xlsx import book

    files = {
        "quote.csv": ('Số ký hiệu,Trích yếu\n"abc,def\nx,y\n'.encode(), "a quoted cell opened on this line is never closed",
                      "một ô mở dấu nháy ở dòng này mà không bao giờ đóng"),
        "latin1.csv": (b"S\xe1,b\n", "not UTF-8 text (export the register as UTF-8 CSV or as .xlsx)",
                       "không phải văn bản UTF-8 (hãy xuất sổ đăng ký dạng CSV UTF-8 hoặc .xlsx)"),
        "number.xlsx": (book('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1,5</v></c></row>'),
                        "'1,5' in a number cell is not a number", "'1,5' trong ô số không phải là số"),
        "string.xlsx": (book('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>99</v></c></row>'),
                        "shared string '99' does not exist", "không có chuỗi dùng chung '99'"),
        "doctype.xlsx": (book('<row r="1"><c r="A1"><v>1</v></c></row>', head='<!DOCTYPE x [<!ENTITY a "b">]>'),
                         "a DOCTYPE (entities) in a workbook part: refused", "có DOCTYPE (thực thể) trong một phần của sổ tính: từ chối"),
    }
    for name, (data, en, vi) in files.items():
        (tmp_path / name).write_bytes(data)
        args = ("submit", "--plan", "thai-nguyen", "--from", str(tmp_path / name), "--db", str(ledger), "--dry-run")
        r = run_cli(*args, env={"DVCQ_LANG": "en"})
        assert r.returncode == 2 and en in r.stderr and len(r.stderr.splitlines()) == 1, (name, r.stderr)
        r = run_cli(*args)
        assert r.returncode == 2 and vi in r.stderr and len(r.stderr.splitlines()) == 1, (name, r.stderr)
        assert english(r.stderr.replace(str(tmp_path), "")) == set(), (name, r.stderr)
    (tmp_path / "zip.xlsx").write_bytes(b"not a zip")
    r = run_cli("submit", "--plan", "thai-nguyen", "--from", str(tmp_path / "zip.xlsx"), "--db", str(ledger))
    assert r.returncode == 2 and "không phải sổ tính .xlsx đọc được (không phải tệp zip: " in r.stderr, r.stderr


def test_a_key_not_shown_is_said_in_the_runs_language(tmp_path):
    """A notices file whose first line is no key of a dvcq file (a link to /etc/shadow, say): its length only."""
    notices = tmp_path / "notices.yaml"
    notices.write_text("root:$6$saltsalt$hashhash:19000:0:99999:7:::\n", encoding="utf-8")
    args = ("deadlines", "--calendar", str(notices), "--plan", "thai-nguyen", "--year", "2024")
    r = run_cli(*args)
    assert r.returncode == 2 and "khoá dài 43 ký tự (không hiển thị: không phải khoá của tệp dvcq)" in r.stderr, r.stderr
    assert "hashhash" not in r.stderr and english(r.stderr.replace(str(tmp_path), "")) == set(), r.stderr
    r = run_cli(*args, "--lang", "en")
    assert r.returncode == 2 and "unknown key of 43 characters (not shown: not a key of a dvcq file)" in r.stderr, r.stderr
