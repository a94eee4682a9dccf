"""Hardening II (issue 22): outputs never destroy, imports never mix reports up, inputs bounded,
nothing leaks. Every input is made here, at run time."""
from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli

ENV = {"DVCQ_NO_CACHE": "1"}


def cli(*args, **kw):
    return run_cli(*args, env={**ENV, **kw.pop("env", {})}, **kw)


def one_line(r, code=2):
    assert r.returncode == code, r.stdout + r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    return lines[0]


# -- 1. --output never destroys ---------------------------------------------------------------------
@pytest.mark.usefixtures("english")
def test_output_onto_the_ledger_is_refused_and_the_ledger_kept(tmp_path):
    db = tmp_path / "L.sqlite3"
    r = cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-05", "--unit", "dai-tu",
            "--on", "2024-05-10", "--db", str(db))
    assert r.returncode == 0, r.stderr
    before = db.read_bytes()
    line = one_line(cli("letter", "--db", str(db), "--output", str(db), "--as-of", "2024-12-31", "--force"))
    assert "input of this run" in line
    assert db.read_bytes() == before


@pytest.mark.usefixtures("english")
def test_draft_onto_its_own_document_and_plan_next_onto_its_source_are_refused(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("Kế hoạch\nBáo cáo tháng: gửi trước ngày 15 hằng tháng.\n", encoding="utf-8")
    line = one_line(cli("draft", str(doc), "-o", str(doc), "--force"))
    assert "input of this run" in line and doc.read_text(encoding="utf-8").startswith("Kế hoạch")
    plans = tmp_path / "mine"
    plans.mkdir()
    source = plans / "tn.yaml"
    source.write_bytes((Path(__file__).resolve().parent.parent / "plans" / "thai-nguyen.yaml").read_bytes())
    kept = source.read_bytes()
    one_line(cli("plan", "next", "thai-nguyen", "--year", "2025", "--plans-dir", str(plans), "-o", str(source),
                 "--force"))
    assert source.read_bytes() == kept


def test_output_overwrites_only_with_force_and_then_whole(tmp_path):
    out = tmp_path / "a.csv"
    out.write_text("mine\n")
    line = one_line(cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "csv", "-o", str(out)))
    assert "--force" in line and out.read_text() == "mine\n"
    r = cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "csv", "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("plan,report,")
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"], "no temporary file left beside it"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.usefixtures("english")
def test_output_refuses_a_fifo_a_directory_and_a_symlink_out_of_its_folder(tmp_path):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    for target in (fifo, tmp_path):
        one_line(cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "-o", str(target), "--force"))
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("keep me")
    link = tmp_path / "out" / "link.csv"
    link.parent.mkdir()
    link.symlink_to(secret)
    line = one_line(cli("deadlines", "--plan", "thai-nguyen", "--year", "2024", "-o", str(link), "--force"))
    assert "symbolic link" in line and secret.read_text() == "keep me"


def test_a_write_that_fails_leaves_the_old_file_whole(tmp_path, monkeypatch):
    from dvcq.core.errors import DvcqError
    from dvcq.planfiles import files

    out = tmp_path / "plan.yaml"
    out.write_text("old\n")

    def broken(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", broken)
    with pytest.raises(DvcqError):
        files.write_output(out, b"new\n" * 1000, force=True)
    assert out.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_a_new_output_file_gets_the_users_umask_not_0600(tmp_path):
    from dvcq.planfiles import files

    old = os.umask(0o022)
    try:
        files.write_output(tmp_path / "n.csv", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.csv").stat().st_mode) == 0o644


# -- 2. imports match on every column they have ----------------------------------------------------
TAY_NINH_SHEET = ("Đơn vị,Báo cáo,Kỳ,Ngày gửi,Ghi chú\n"
                  "Sở Y tế,annual,2025,30/10/2025,BC năm\n"
                  "Sở Y tế,self-assessment,2025,10/11/2025,hồ sơ chấm điểm\n"
                  "Sở Nội vụ,scoring-decision,2025,10/12/2025,QĐ xếp loại\n")


def test_a_sheet_with_three_yearly_reports_records_each_as_its_own(tmp_path):
    sheet = tmp_path / "tn.csv"
    sheet.write_text(TAY_NINH_SHEET, encoding="utf-8")
    db = tmp_path / "tn.sqlite3"
    r = cli("submit", "--plan", "tay-ninh", "--from", str(sheet), "--db", str(db))
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("submissions", "--db", str(db), "--format", "csv")
    got = sorted(tuple(line.split(",")[1:5:3]) + (line.split(",")[7],) for line in r.stdout.splitlines()[1:])
    # (report, submitted_on, note): each row its own report, its own date and note
    assert got == [("annual", "2025-10-30", "BC năm"), ("scoring-decision", "2025-12-10", "QĐ xếp loại"),
                   ("self-assessment", "2025-11-10", "hồ sơ chấm điểm")]


@pytest.mark.usefixtures("english")
def test_a_row_that_could_be_two_reports_is_refused_and_listed(tmp_path):
    sheet = tmp_path / "amb.csv"
    sheet.write_text("Đơn vị,Báo cáo,Kỳ,Ngày gửi\nSở Y tế,báo cáo hằng năm,2025,30/10/2025\n", encoding="utf-8")
    r = cli("submit", "--plan", "tay-ninh", "--from", str(sheet), "--db", str(tmp_path / "l.sqlite3"), "--dry-run")
    assert r.returncode == 1
    assert "ambiguous" in r.stdout and "annual" in r.stdout and "self-assessment" in r.stdout


def test_a_register_names_the_report_in_its_trich_yeu(tmp_path):
    reg = tmp_path / "so-den.csv"
    reg.write_text(
        "Số đến,Ngày đến,Cơ quan ban hành,Số ký hiệu,Ngày văn bản,Trích yếu\n"
        "1,30/10/2025,Sở Y tế,12/BC-SYT,29/10/2025,Báo cáo kết quả công tác dân vận chính quyền năm 2025\n"
        "2,10/11/2025,Sở Y tế,13/BC-SYT,09/11/2025,BC tự đánh giá công tác dân vận chính quyền năm 2025\n"
        "3,12/12/2025,Sở Nội vụ,99/QĐ-UBND,11/12/2025,Quyết định xếp loại công tác dân vận chính quyền năm 2025\n",
        encoding="utf-8")
    db = tmp_path / "r.sqlite3"
    r = cli("submit", "--plan", "tay-ninh", "--from", str(reg), "--db", str(db))
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("submissions", "--db", str(db), "--format", "csv")
    got = sorted((line.split(",")[1], line.split(",")[4]) for line in r.stdout.splitlines()[1:])
    assert got == [("annual", "2025-10-30"), ("scoring-decision", "2025-12-12"), ("self-assessment", "2025-11-10")]


@pytest.mark.usefixtures("english")
def test_a_csv_quote_never_closed_is_refused_at_its_line(tmp_path):
    sheet = tmp_path / "q.csv"
    sheet.write_text("Đơn vị,Báo cáo,Kỳ,Ngày gửi,Ghi chú\n"
                     'Sở Y tế,annual,2025,30/10/2025,"BC năm\n'
                     "Sở Y tế,self-assessment,2025,10/11/2025,hồ sơ\n", encoding="utf-8")
    line = one_line(cli("submit", "--plan", "tay-ninh", "--from", str(sheet), "--db", str(tmp_path / "q.sqlite3")))
    assert "row 2" in line and "never closed" in line
    assert not (tmp_path / "q.sqlite3").exists()


def _xlsx(sheet_xml: str, shared=None, extra=None, dimension="A1:D2") -> bytes:
    """A minimal workbook: one sheet, written by hand (so that it can be as wrong as a test needs)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/>'
                   f"<sheetData>{sheet_xml}</sheetData></worksheet>")
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _row(n, *cells):
    return f'<row r="{n}">' + "".join(f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{c}</t></is></c>'
                                      for i, c in enumerate(cells)) + "</row>"


def test_an_xlsx_with_a_stale_dimension_has_every_row_read(tmp_path):
    rows = _row(1, "Đơn vị", "Báo cáo", "Kỳ", "Ngày gửi") + _row(2, "Sở Y tế", "annual", "2025", "30/10/2025") \
        + _row(3, "Sở Y tế", "self-assessment", "2025", "10/11/2025")
    book = tmp_path / "s.xlsx"
    book.write_bytes(_xlsx(rows, dimension="A1:D2"))  # says two rows; it has three
    r = cli("submit", "--plan", "tay-ninh", "--from", str(book), "--db", str(tmp_path / "x.sqlite3"), "--dry-run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 khớp" in r.stderr or "2 matched" in r.stderr, r.stderr


MALFORMED = {
    "bad XML": "<row r='1'><c r='A1'><v>1</c></row>",
    "bad cell reference": "<row r='1'><c r='1A' t='inlineStr'><is><t>x</t></is></c></row>",
    "bad shared string": "<row r='1'><c r='A1' t='s'><v>7</v></c></row>",
    "XXE": None,
    "entity expansion": None,
    "bad row number": "<row r='-3'><c r='A1'><v>1</v></c></row>",
    "text in a number cell": "<row r='1'><c r='A1'><v>abc</v></c></row>",
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_malformed_xlsx_is_one_line_exit_2(tmp_path, kind):
    if kind == "XXE":
        data = _xlsx("", extra={}).replace(b"", b"")
        buf = io.BytesIO(data)
        out = io.BytesIO()
        with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                body = src.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    body = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>')
                dst.writestr(item, body)
        data = out.getvalue()
    elif kind == "entity expansion":
        data = _xlsx("", shared=["a"])
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                body = src.read(item)
                if item.filename == "xl/sharedStrings.xml":
                    body = (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>')
                dst.writestr(item, body)
        data = out.getvalue()
    else:
        data = _xlsx(MALFORMED[kind], shared=[])
    book = tmp_path / "bad.xlsx"
    book.write_bytes(data)
    line = one_line(cli("submit", "--plan", "tay-ninh", "--from", str(book), "--db", str(tmp_path / "b.sqlite3")))
    assert "bad.xlsx" in line and "root:" not in line


@pytest.mark.parametrize("shape", ["one huge comment", "empty rows", "styles.xml"])
def test_an_xlsx_that_inflates_past_its_bound_is_refused_quickly(tmp_path, shape):
    import time

    from dvcq.documents import intake

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        part = "xl/styles.xml" if shape == "styles.xml" else "xl/worksheets/sheet1.xml"
        if shape == "styles.xml":
            z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
        with z.open(part, "w") as fh:
            fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(40):  # 240 MB inflated from a ~1 MB file: refused long before
                fh.write(b"<!--" + b" " * 6_000_000 + b"-->" if shape == "one huge comment" else b"<row/>" * 1_000_000)
    book = tmp_path / "bomb.xlsx"
    book.write_bytes(buf.getvalue())
    assert book.stat().st_size < 5_000_000
    start = time.perf_counter()
    with pytest.raises(intake.IntakeError, match="refused"):
        intake.read_sheet(book)
    assert time.perf_counter() - start < 5


# -- 3. exit codes --------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("overdue", "--as-of", "9999-12-31"),
    ("overdue", "--within", "99999999999999999999"),
    ("deadlines", "--plan", "thai-nguyen", "--next", "99999999999"),
    ("deadlines", "--plan", "thai-nguyen", "--from", "9999-01-01"),
])
def test_dates_and_spans_past_what_dvcq_counts_are_one_line(tmp_path, args):
    one_line(cli(*args, "--db", str(tmp_path / "none.sqlite3")) if args[0] == "overdue" else cli(*args))


def test_check_of_the_root_folder_is_one_line():
    assert "files and folders" in one_line(cli("check", "/", env={"DVCQ_LANG": "en"}))


def test_a_profile_nested_5000_deep_is_one_located_line(tmp_path):
    deep = tmp_path / "dvcq.toml"
    deep.write_text("plans = " + "[" * 5000 + "]" * 5000 + "\n")
    line = one_line(cli("--config", str(deep), "plans", env={"DVCQ_LANG": "en"}))
    assert "dvcq.toml:1:1" in line and "nested too deep" in line


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full")
@pytest.mark.usefixtures("english")
def test_a_full_standard_output_exits_74_with_one_line():
    for fmt in ("csv", "table"):
        with open("/dev/full", "w") as full:
            import subprocess

            r = subprocess.run([sys.executable, "-m", "dvcq", "deadlines", "--plan", "thai-nguyen", "--year", "2024",
                                "--format", fmt], stdout=full, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **ENV}, timeout=60)
        assert r.returncode == 74 and r.stderr.count("\n") == 1 and "standard output" in r.stderr, r.stderr


def test_a_closed_standard_output_exits_74():
    import subprocess

    r = subprocess.run([sys.executable, "-m", "dvcq", "plans"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, env={**os.environ, **ENV}, timeout=60, preexec_fn=lambda: os.close(1))
    assert r.returncode == 74 and "closed" in r.stderr, r.stderr


# -- 4. nothing leaks ---------------------------------------------------------------------------------
@pytest.mark.usefixtures("english")
def test_a_profile_key_that_is_a_secret_line_is_not_printed(tmp_path):
    bad = tmp_path / "dvcq.toml"
    bad.write_text('"root:$6$salt$hashhashhash:19000:0:99999:7:::" = 1\n')
    line = one_line(cli("--config", str(bad), "plans"))
    assert "hashhash" not in line and "unknown key" in line


def test_caches_are_json_0600_and_hold_no_password(tmp_path):
    cache = tmp_path / "cache"
    profile = tmp_path / "dvcq.toml"
    profile.write_text('db = "postgresql://clerk:s3cr3t-pw@db.example/dvcq"\nlang = "en"\n')
    env = {"XDG_CACHE_HOME": str(cache), "DVCQ_NO_CACHE": ""}
    r = run_cli("--config", str(profile), "deadlines", "--plan", "thai-nguyen", "--year", "2024", env=env)
    assert r.returncode == 0, r.stderr
    kept = [p for p in cache.rglob("*") if p.is_file()]
    assert kept, "the plan cache was written"
    for p in kept:
        assert b"s3cr3t" not in p.read_bytes()
        assert not p.name.endswith(".pickle")
        if "plans-" in str(p) or "profiles-" in str(p):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_a_planted_cache_entry_is_never_run(tmp_path):
    from dvcq.planfiles import files

    folder = tmp_path / "c"
    folder.mkdir()
    data = b"id: x\n"
    entry = files._entry(folder, "p.yaml", data)
    entry.write_text('{"name": "p.yaml", "sum": "%s", "value": {"dc": "os.system", "f": {}}}' % files._checksum(data))
    entry.chmod(0o600)
    assert files.cached(folder, "p.yaml", data) is None
    files.keep(folder, "p.yaml", data, (1, "a"))
    assert files.cached(folder, "p.yaml", data) == (1, "a")
    entry.chmod(0o666)  # a file others may write is not trusted
    assert files.cached(folder, "p.yaml", data) is None


# -- 5. outputs neutralised ---------------------------------------------------------------------------
def test_csv_and_xlsx_cells_never_start_a_formula():
    from dvcq.output.safe import csv_cell, no_formulas

    assert [csv_cell(v) for v in ("=1+2", "+x", "-y", "@SUM(A1)", "\tz", "Sở Y tế", -3)] == \
        ["'=1+2", "'+x", "'-y", "'@SUM(A1)", "'\tz", "Sở Y tế", -3]
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["=HYPERLINK(\"http://x\")", "ok"])
    no_formulas(wb.active)
    assert wb.active["A1"].data_type == "s"


def test_a_note_beginning_with_a_formula_is_text_in_the_submissions_csv(tmp_path):
    db = tmp_path / "f.sqlite3"
    r = cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-05", "--unit", "dai-tu",
            "--on", "2024-05-10", "--note", "=HYPERLINK(\"http://evil\")", "--db", str(db))
    assert r.returncode == 0, r.stderr
    r = cli("submissions", "--db", str(db), "--format", "csv")
    assert "'=HYPERLINK" in r.stdout and ",=HYPERLINK" not in r.stdout


def test_control_characters_are_escaped_for_a_terminal():
    from dvcq.output.safe import printable

    assert printable("Sở\x1b]0;pwned\x07 Y tế\r") == "Sở\\x1b]0;pwned\\x07 Y tế\\r"
    assert printable("line\nnext\tcol") == "line\nnext\tcol"


# -- random bytes never make a bug's exit -------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _exit_of(argv) -> int:
    """dvcq's exit status, in-process (main always ends with SystemExit)."""
    import contextlib

    from dvcq.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 0
    assert code != 70, err.getvalue()
    return code


def _zip_of(data: bytes, part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(part, data)
        z.writestr("xl/workbook.xml", data[: len(data) // 2])
    return buf.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), kind=st.sampled_from(["csv", "xlsx-raw", "xlsx-sheet", "xlsx-strings"]),
       head=st.booleans())
@pytest.mark.usefixtures("english")
def test_random_bytes_as_a_register_never_exit_70(tmp_path, monkeypatch, data, kind, head):
    monkeypatch.setenv("DVCQ_NO_CACHE", "1")
    if head and kind == "csv":  # a real header, then noise: the rows' readers get the bytes
        data = "Số đến,Ngày đến,Cơ quan ban hành,Số ký hiệu,Ngày văn bản,Trích yếu\n".encode() + data
    if kind == "xlsx-sheet":
        data = _zip_of(data, "xl/worksheets/sheet1.xml")
    elif kind == "xlsx-strings":
        data = _zip_of(data, "xl/sharedStrings.xml")
    path = tmp_path / ("r.csv" if kind == "csv" else "r.xlsx")
    path.write_bytes(data)
    assert _exit_of(["submit", "--plan", "thai-nguyen", "--from", str(path), "--db", str(tmp_path / "l.sqlite3"),
                     "--dry-run"]) in (0, 1, 2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), ext=st.sampled_from([".txt", ".docx", ".pdf"]))
@pytest.mark.usefixtures("english")
def test_random_bytes_as_a_document_never_exit_70(tmp_path, monkeypatch, data, ext):
    monkeypatch.setenv("DVCQ_NO_CACHE", "1")
    path = tmp_path / f"d{ext}"
    path.write_bytes(_zip_of(data, "word/document.xml") if ext == ".docx" and data[:1] == b"\0" else data)
    assert _exit_of(["draft", str(path)]) in (0, 1, 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), prefix=st.booleans())
@pytest.mark.usefixtures("english")
def test_random_bytes_as_a_plan_never_exit_70(tmp_path, monkeypatch, data, prefix):
    monkeypatch.setenv("DVCQ_NO_CACHE", "1")
    plan = tmp_path / "p.yaml"
    plan.write_bytes((b"id: x\nissuer: UBND\nyears: [2024]\nreports:\n" if prefix else b"") + data)
    assert _exit_of(["check", str(plan)]) in (0, 1, 2)
    assert _exit_of(["deadlines", "--plan", "x", "--year", "2024", "--plans-dir", str(tmp_path)]) in (0, 1, 2)


@pytest.mark.usefixtures("english")
def test_an_error_quotes_a_short_printable_excerpt_of_a_cell(tmp_path):
    sheet = tmp_path / "long.csv"
    sheet.write_text("Đơn vị,Báo cáo,Kỳ,Ngày gửi\nSở Y tế,annual,2025,\x1b]0;owned\x07" + "9" * 5000 + "\n",
                     encoding="utf-8")
    line = one_line(cli("submit", "--plan", "tay-ninh", "--from", str(sheet), "--db", str(tmp_path / "l.sqlite3")))
    assert "\x1b" not in line and "\x07" not in line and len(line) < 300 and "row 2" in line


def test_a_terminal_table_shows_control_characters_escaped_and_keeps_its_colours():
    from rich.console import Console

    from dvcq.output.safe import escaping_console

    buf = io.StringIO()
    console = escaping_console(Console(file=buf, force_terminal=True, color_system="standard", width=60,
                                       highlight=False))
    console.print("[bold]Sở Y tế[/bold] \x1b]0;owned\x07 note")
    shown = buf.getvalue()
    assert "\\x1b]0;owned" in shown and "\x1b]" not in shown and "\x07" not in shown
    assert "\x1b[1m" in shown, "Rich's own bold is still drawn"


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
