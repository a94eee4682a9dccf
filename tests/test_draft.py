"""`dvcq draft`: the five seed documents drafted into plan files that schedule like the shipped ones.

Match rate: each seed is drafted, loaded and scheduled for its year; every REPORT row of the
shipped plan (report, period) is compared with the draft's row of the same report id (or, if the
ids differ, of the report with the same frequency and periods) on period, due, effective due,
window start and window end. The rows that differ are listed below by hand with the reason, and
must be exactly those; over the five plans at least 95% of the rows must be equal. Key tasks
(Thái Nguyên's appendix) are counted apart.

The same documents as .docx (python-docx, the appendix as a real Word table) and as PDF with a
text layer (written here byte by byte, with page numbers in the text) must give the same draft.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, SEEDS, run_cli
from dvcq.documents.draft import MAX_DOCUMENT_BYTES, Draft, draft_plan, read_document
from dvcq.core.engine import schedule
from dvcq.core.errors import DvcqError
from dvcq.planfiles.loader import load_plan
from dvcq.core.model import FREQUENCY

SEED_PLANS = {
    "000_d37a3e4e71108aec.txt": "ha-giang-sgtvt",
    "001_d97d27f4e2f8b023.txt": "ha-giang",
    "002_d88ed36d9991ae27.txt": "thai-nguyen",
    "003_7fcb65b9a5e3b849.txt": "hau-giang",
    "004_7c8434e2bc8555ab.txt": "tay-ninh",
}
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} is absent: the seed documents are not beside this checkout")

# The report rows where the draft and the shipped plan differ, each with why. Nothing else may differ.
ALLOWED_DIFFERENCES = {
    ("thai-nguyen", "semiannual", "2024-H1"): (
        "IV.9 gives the 6-month report no data window ('Báo cáo 6 tháng: Gửi trước ngày 14/6 hằng năm'), so the "
        "draft leaves Decree 09/2019 art. 12 (15/12/2023-14/06/2024) and `dvcq check` warns that it closes after "
        "the deadline; the shipped plan encodes an interpretation of its own (14/12/2023 to the report day, tiling "
        "with July's monthly report since June is merged into this one), which the text does not state."),
}
# What each draft leaves for review: (section, a phrase of the todo entry).
EXPECTED_TODO = {
    # the slip, read as 10/5/2024, to confirm; a duty naming periodic reports ("báo cáo định kỳ") with no deadline
    "000_d37a3e4e71108aec.txt": [("III.3", "10/5/2023"), ("III.1", "Tổng hợp báo cáo định kỳ hoặc đột xuất")],
    # a duty naming report kinds with no deadline: quoted, since recall is total (issue 19)
    "001_d97d27f4e2f8b023.txt": [("III.2", "tổng hợp báo cáo định kỳ (quý, 6 tháng, báo cáo năm) hoặc đột xuất")],
    "002_d88ed36d9991ae27.txt": [("IV.9", "số liệu chốt 03 tháng trong quý"),  # read through the monthly windows
                                 ("Phụ lục, dòng 2", "Theo Kế hoạch của UBND tỉnh")],  # not a period
    "003_7fcb65b9a5e3b849.txt": [],
    "004_7c8434e2bc8555ab.txt": [],
}


def norm(text: str) -> str:  # as tests/test_sources.py compares quotes with their seed
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


@pytest.fixture(scope="module")
def drafts():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    return {name: draft_plan(read_document(SEEDS / name), source_name=name) for name in SEED_PLANS}


def _saved(draft: Draft, folder: Path, name: str) -> Path:
    path = folder / f"{Path(name).stem}.yaml"
    path.write_text(draft.yaml, encoding="utf-8")
    return path


def _rows(plan, year, cal, tasks=False):
    return [d for d in schedule(plan, year, cal).deadlines if d.rule.is_task == tasks]


def _row(d):
    return (d.period, d.due, d.effective_due, d.window_start, d.window_end, str(d.merged_into) if d.merged_into else None)


def compare(draft_plan_obj, shipped, cal):
    """(rows compared, keys of the rows that differ, each with both sides)."""
    year = shipped.years[0]
    mine = _rows(draft_plan_obj, year, cal)
    by_id = {(d.report, d.period): d for d in mine}
    by_kind = {(d.rule.every, d.rule.periods, d.period): d for d in mine}
    differ = {}
    theirs = _rows(shipped, year, cal)
    for d in theirs:
        other = by_id.get((d.report, d.period)) or by_kind.get((d.rule.every, d.rule.periods, d.period))
        if other is None or _row(other) != _row(d):
            differ[(shipped.id, d.report, d.period)] = (_row(other) if other else None, _row(d))
    return len(theirs), differ


# ================================================================================================
# The seed documents
# ================================================================================================


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_PLANS))
def test_draft_loads_and_check_finds_no_error(drafts, name, tmp_path):
    path = _saved(drafts[name], tmp_path, name)
    plan = load_plan(path)
    assert plan.id == SEED_PLANS[name]
    assert drafts[name].yaml.startswith("# yaml-language-server: $schema=")
    r = run_cli("check", "--format", "json", str(path))
    problems = json.loads(r.stdout)
    assert [p for p in problems if p["level"] == "error"] == [], problems
    assert r.returncode == 0
    assert {p["code"] for p in problems} <= {"window-too-late", "merge-candidate", "before-issue", "too-soon"}


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_PLANS))
def test_draft_quotes_are_in_the_seed(drafts, name, tmp_path):
    plan = load_plan(_saved(drafts[name], tmp_path, name))
    text = norm((SEEDS / name).read_text(encoding="utf-8"))
    for rule in plan.rules:
        assert rule.source.quote, rule.id
        for fragment in rule.source.quote.split(" ... "):
            assert norm(fragment) in text, f"{rule.id}: {fragment!r}"


@needs_seeds
def test_draft_schedules_like_the_shipped_plans(drafts, tmp_path, cal, capsys):
    total = equal = 0
    report = []
    differ_all = {}
    for name, pid in SEED_PLANS.items():
        mine = load_plan(_saved(drafts[name], tmp_path, name))
        shipped = load_plan(REPO / "plans" / f"{pid}.yaml")
        n, differ = compare(mine, shipped, cal)
        total += n
        equal += n - len(differ)
        differ_all.update(differ)
        report.append(f"{pid}: {n - len(differ)}/{n} report rows equal"
                      + "".join(f"\n    {k[1]} {k[2]}: draft {a} shipped {b}" for k, (a, b) in differ.items()))
    with capsys.disabled():
        print("\n" + "\n".join(report) + f"\nall: {equal}/{total} = {equal / total:.1%}")
    assert set(differ_all) == set(ALLOWED_DIFFERENCES), {k: v for k, v in differ_all.items() if k not in ALLOWED_DIFFERENCES}
    assert equal / total >= 0.95


@needs_seeds
def test_draft_of_thai_nguyen_has_the_appendix_key_tasks(drafts, tmp_path, cal):
    mine = load_plan(_saved(drafts["002_d88ed36d9991ae27.txt"], tmp_path, "tn"))
    shipped = load_plan(REPO / "plans" / "thai-nguyen.yaml")
    theirs = {(d.report, d.period): _row(d) for d in _rows(shipped, 2024, cal, tasks=True)}
    ours = {(d.report, d.period): _row(d) for d in _rows(mine, 2024, cal, tasks=True)}
    assert sum(ours.get(k) == v for k, v in theirs.items()) == len(theirs) == 16
    tasks = {r.id: r for r in mine.rules if r.is_task}
    assert [str(p) for p in tasks["task-16"].task_periods] == ["2024-Q2", "2024-Q3"]
    assert tasks["task-5"].lead == "Sở Nội vụ" and tasks["task-2"].task_periods == ()


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_PLANS))
def test_draft_leaves_for_review_what_it_cannot_read(drafts, name):
    draft = drafts[name]
    expected = EXPECTED_TODO[name]
    assert len(draft.todo) == len(expected), draft.todo
    for (section, phrase), item in zip(expected, draft.todo):
        assert item.startswith(f"{section}: ") and phrase in item, item
    # each is a commented TODO block in the file
    assert draft.yaml.count("# TODO ") == len(expected)


@needs_seeds
def test_draft_reads_the_structure_of_the_reporting_sections(drafts, tmp_path):
    tn = load_plan(_saved(drafts["002_d88ed36d9991ae27.txt"], tmp_path, "tn"))
    monthly = tn.rule("monthly")
    assert monthly.merged == {3: "quarterly", 6: "semiannual", 9: "quarterly", 12: "annual"}
    assert tn.rule("quarterly").periods == (1, 3)
    assert monthly.sender == "Các sở, ban, ngành, UBND các huyện, thành phố" and monthly.source.section == "IV.9"
    assert (tn.issuer, tn.document, str(tn.issued)) == ("UBND tỉnh Thái Nguyên", "60/KH-UBND", "2024-04-02")
    assert any("03/04/2024" in e for e in tn.errata)  # the appendix dates the plan 03/4
    sgtvt = load_plan(_saved(drafts["000_d37a3e4e71108aec.txt"], tmp_path, "sgtvt"))
    assert (sgtvt.issuer, sgtvt.document, sgtvt.issued_text) == (
        "Sở Giao thông vận tải tỉnh Hà Giang", "/KH-SGTVT (số để trống)", "Hà Giang, ngày tháng 3 năm 2024 (ngày để trống)")
    assert "issued: 2024-03\n" in drafts["000_d37a3e4e71108aec.txt"].yaml
    assert {r.id: r.feeds for r in sgtvt.rules if r.feeds} == {
        "unit-quarterly": "quarterly", "unit-semiannual": "semiannual", "unit-annual": "annual"}
    slip = sgtvt.rule("unit-semiannual")
    assert str(slip.due.ref.date) == "2024-05-10" and "10/5/2023" in slip.source.erratum
    assert any("15-ĐA/TU" in e for e in sgtvt.errata)
    hg = load_plan(_saved(drafts["001_d97d27f4e2f8b023.txt"], tmp_path, "hg"))
    assert (hg.issuer, hg.document, hg.title) == (
        "UBND tỉnh Hà Giang", "73/KH-UBND", "Kế hoạch thực hiện công tác dân vận chính quyền năm 2024 trên địa bàn tỉnh Hà Giang")
    assert hg.rule("plan-submission").every == "once" and hg.rule("plan-submission").source.section == "III.1"
    hau = load_plan(_saved(drafts["003_7fcb65b9a5e3b849.txt"], tmp_path, "hau"))
    assert (hau.issuer, hau.rule("annual").every, hau.rule("annual").source.section) == ("UBND tỉnh Hậu Giang", "year", "III.2")
    assert "# TODO: không tìm thấy số ký hiệu" in drafts["003_7fcb65b9a5e3b849.txt"].yaml
    tay = load_plan(_saved(drafts["004_7c8434e2bc8555ab.txt"], tmp_path, "tay"))
    assert [r.id for r in tay.rules] == ["plan-submission", "self-assessment", "scoring-decision", "semiannual", "annual"]
    scoring = tay.rule("scoring-decision")
    assert (scoring.every, scoring.window, scoring.per_unit, scoring.sender, scoring.source.section) == (
        "year", None, False, "Sở Nội vụ", "IV.2.a")
    assert tay.rule("plan-submission").due.kind == "by"


@needs_seeds
def test_draft_writes_due_and_window_as_the_plans_own_phrases(drafts):
    text = drafts["002_d88ed36d9991ae27.txt"].yaml
    assert 'due: "trước ngày 19 của tháng cuối quý"' in text
    assert 'window: "số liệu từ ngày 14 tháng trước tới ngày báo cáo"' in text
    assert 'window: "mốc số liệu thống kê tính từ ngày 14/11 năm trước đến ngày báo cáo"' in text


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_PLANS))
def test_seed_drafts_count_every_dated_sentence_and_name_only_bodies(drafts, name, tmp_path):
    # issue 19's "Done when" on the five seeds: the sentences seen add up to the rules' and the # TODOs,
    # and every sender and recipient is a body's name (seed 000's II.11 lead-in ends "... của Ban Thường
    # vụ Tỉnh ủy, thời hạn báo cáo:": that is no sender)
    from test_draft_corpus import is_body

    draft = drafts[name]
    assert draft.seen - draft.ruled <= len(draft.todo)
    assert draft.summary()[0].startswith(f"Đã đọc {draft.seen} câu")
    for rule in load_plan(_saved(draft, tmp_path, "p")).rules:
        if rule.id.startswith("task-"):
            continue  # an appendix task: its lead is the table's own "Chủ trì" cell, as written
        for who in (rule.sender, rule.recipient):
            assert who is None or is_body(who), (rule.id, who)


@needs_seeds
def test_summary_lines(drafts):
    draft = drafts["002_d88ed36d9991ae27.txt"]
    # issue 19: the sentences seen are counted, and they add up (IV.9's two sentences give the four
    # rules; the appendix row and the window to confirm are todos of a task and of a rule)
    assert draft.summary()[0] == "Đã đọc 2 câu có thời hạn hoặc nêu báo cáo: 2 câu thành 4 quy tắc, 0 câu cần xem lại (# TODO)"
    assert draft.summary("en")[0] == "Read 2 sentences with a deadline or a report: 2 gave 4 rules, 0 left for review (# TODO)"
    assert "Nhiệm vụ trọng tâm (phụ lục): 16" in draft.summary()
    assert all("\n" not in line for line in draft.summary() + draft.summary("en"))


# ================================================================================================
# Noise, on small texts
# ================================================================================================

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\n-------\nSố: 12/KH-UBND\nHà Giang, ngày 05 tháng 3 năm 2024\nKẾ HOẠCH\nThực hiện công tác dân vận chính quyền năm 2024\n"


def test_footnote_markers_and_broken_lines():
    text = HEAD + (
        "II. NỘI DUNG\n11. Chế độ\nthông tin, báo cáo\n"
        "Các cơ quan, đơn vị chấp hành chế độ báo cáo<sup>1</sup> định kỳ (qua Sở Nội vụ), thời hạn báo cáo:\n"
        "- Báo cáo quý: trước ngày 15\n\ntháng cuối của quý.\n"
        "12\n"  # a page number between two lines of one sentence
        "Báo cáo năm[2] gửi Sở Nội vụ trước\n15/11/2024.\n"
        "[2] Theo Quyết định số 1/QĐ-UBND ngày 02/01/2024.\n")
    draft = draft_plan(text)
    assert draft.rules == 2 and draft.todo == ()
    assert 'due: "trước ngày 15 tháng cuối của quý"' in draft.yaml
    assert "section: II.11" in draft.yaml and "sender: Các cơ quan, đơn vị" in draft.yaml
    assert 'quote: "Báo cáo năm ... gửi Sở Nội vụ trước 15/11/2024."' in draft.yaml


def test_a_deadline_it_cannot_read_is_a_todo_never_a_guess(tmp_path):
    text = HEAD + (
        "III. TỔ CHỨC THỰC HIỆN\n2. Sở Nội vụ\n"
        "- Tổ chức hội nghị sơ kết công tác dân vận trước ngày 30/6/2024.\n"
        "- Báo cáo quý: trước ngày làm việc cuối cùng của tuần thứ hai.\n"
        "- Báo cáo năm: trước ngày 15/11/2024.\n")
    draft = draft_plan(text, plan_id="thu-nghiem")
    assert draft.rules == 1 and len(draft.todo) == 2
    assert draft.todo[0].startswith("III.2: Tổ chức hội nghị sơ kết") and "Báo cáo quý" in draft.todo[1]
    assert draft.yaml.count("# TODO III.2:") == 2 and "id: thu-nghiem\n" in draft.yaml
    path = tmp_path / "plan.yaml"
    path.write_text(draft.yaml, encoding="utf-8")
    assert [r.id for r in load_plan(path).rules] == ["annual"]


@needs_seeds
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_mix_of_plan_lines_gives_a_draft_that_loads(data, tmp_path_factory):
    """Lines of the seeds in any order and cut anywhere: a draft that loads, or one clean error."""
    lines = _seed_lines()
    picked = data.draw(st.lists(st.sampled_from(lines), min_size=1, max_size=120))
    cut = data.draw(st.lists(st.integers(0, 200), min_size=len(picked), max_size=len(picked)))
    text = "\n".join(line[:k] if k < 20 else line for line, k in zip(picked, cut))
    try:
        draft = draft_plan(text)
    except DvcqError as exc:
        assert "\n" not in str(exc)
        return
    if draft.rules or "\ntasks:" in draft.yaml:
        path = tmp_path_factory.mktemp("mix") / "plan.yaml"
        path.write_text(draft.yaml, encoding="utf-8")
        load_plan(path)
    assert draft.yaml.count("# TODO ") == len(draft.todo)  # header gaps are "# TODO:" notes, not sentences


_LINES: list[str] = []


def _seed_lines() -> list[str]:
    if not _LINES:
        _LINES.extend(line for f in sorted(SEEDS.glob("*.txt")) for line in f.read_text(encoding="utf-8").split("\n"))
    return _LINES


def test_a_later_year_is_kept_an_earlier_one_is_a_slip():
    text = HEAD + ("III. TỔ CHỨC THỰC HIỆN\n1. Các cơ quan, đơn vị\n"
                   "- Báo cáo năm 2024: trước ngày 15/01/2025.\n"
                   "- Báo cáo 6 tháng đầu năm: trước ngày 10/6/2023.\n")
    draft = draft_plan(text)
    assert 'due: "trước ngày 15/01/2025"' in draft.yaml and 'due: "trước ngày 10/6/2024"' in draft.yaml
    assert len(draft.todo) == 1 and "10/6/2023" in draft.todo[0]
    assert draft.yaml.count("erratum:") == 1


def test_a_reporting_table_is_read_like_sentences(tmp_path):
    text = HEAD + ("III. TỔ CHỨC THỰC HIỆN\n3. Chế độ báo cáo\n"
                   "STT\tLoại báo cáo\tThời hạn gửi\tThời gian lấy số liệu\n"
                   "1\tBáo cáo quý\tTrước ngày 15 tháng cuối quý\tTừ ngày 15 tháng cuối quý trước đến ngày 14 tháng cuối quý\n"
                   "2\tBáo cáo năm\tTrước ngày 15/11/2024\tTừ đầu năm đến hết tháng 10\n")
    path = tmp_path / "bang.docx"
    write_docx(text, path)
    draft = draft_plan(read_document(path))
    assert draft.rules == 2
    assert 'window: "từ ngày 15 tháng cuối quý trước đến ngày 14 tháng cuối quý"' in draft.yaml
    assert 'quote: "Báo cáo quý ... Trước ngày 15 tháng cuối quý ... Từ ngày 15' in draft.yaml  # one fragment a cell
    # "Từ đầu năm đến hết tháng 10" names a window the grammar does not read: left for review, not Decree 09 in silence
    assert len(draft.todo) == 1 and "Từ đầu năm đến hết tháng 10" in draft.todo[0]
    saved = tmp_path / "bang.yaml"
    saved.write_text(draft.yaml, encoding="utf-8")
    assert [r.id for r in load_plan(saved).rules] == ["quarterly", "annual"]


def test_plan_id_must_be_an_id():
    with pytest.raises(DvcqError, match="lower-case"):
        draft_plan(HEAD, plan_id="Hà Giang")


def test_a_text_with_no_year_or_no_deadline_is_refused():
    with pytest.raises(DvcqError, match="no year"):
        draft_plan("Một văn bản không có ngày tháng.")
    with pytest.raises(DvcqError, match="no dated report"):
        draft_plan(HEAD + "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao chất lượng công tác dân vận.\n")


# ================================================================================================
# .docx and .pdf
# ================================================================================================


def write_docx(text: str, path: Path, header_table: bool = False) -> None:
    """Each line a paragraph; each run of tab-separated lines a real Word table."""
    import docx

    document = docx.Document()
    lines = text.split("\n")
    i = 0
    if header_table:  # the two-column header official documents use: number left, place and date right
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = lines[0], lines[1]
        i = 2
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            continue
        document.add_paragraph(lines[i])
        i += 1
    document.save(str(path))


def _wrap(line: str, width: int = 90) -> list[str]:
    if "\t" in line or len(line) <= width:
        return [line]
    out, current = [], ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return out + [current]


def text_pdf(pages: list[list[str]], image_only: bool = False) -> bytes:
    """A PDF whose pages show `pages` (lines of text) through a Type0 font with a ToUnicode map, so
    the text layer is exactly those lines; or, with image_only, one page holding only an image."""
    chars = sorted({ord(c) for page in pages for line in page for c in line} | {32})
    objects: list[bytes | None] = [None, None]  # catalog, pages

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    kids = []
    if image_only:
        image = add(b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream")
        content = b"q 200 0 0 200 100 500 cm /Im1 Do Q"
        cs = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject "
                        b"<< /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (image, cs)))
    else:
        cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
                "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
                "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
        for i in range(0, len(chars), 100):
            block = chars[i:i + 100]
            cmap += [f"{len(block)} beginbfchar"] + [f"<{c:04X}> <{c:04X}>" for c in block] + ["endbfchar"]
        cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        data = "\n".join(cmap).encode()
        to_unicode = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
        cid = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TimesNewRoman /CIDSystemInfo << /Registry (Adobe) "
                  b"/Ordering (Identity) /Supplement 0 >> /DW 500 /CIDToGIDMap /Identity >>")
        font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /TimesNewRoman /Encoding /Identity-H "
                   b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, to_unicode))
        for page in pages:
            ops = ["BT /F1 10 Tf 14 TL 40 800 Td"] + ["<%s> Tj T*" % "".join(f"{ord(c):04X}" for c in line) for line in page]
            content = "\n".join(ops + ["ET"]).encode()
            cs = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
            kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                            b"/Contents %d 0 R >>" % (font, cs)))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_pdf(text: str, path: Path, lines_per_page: int = 50) -> int:
    """The text as printed pages: lines wrapped at 90 characters, a page number at each page's foot."""
    printed = [w for line in text.split("\n") for w in _wrap(line.strip())]
    pages = [printed[i:i + lines_per_page] + ["", f"- {n + 1} -"]
             for n, i in enumerate(range(0, len(printed), lines_per_page))]
    path.write_bytes(text_pdf(pages))
    return len(pages)


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_PLANS))
def test_docx_gives_the_same_draft_as_the_txt(drafts, name, tmp_path):
    path = tmp_path / f"{Path(name).stem}.docx"
    write_docx((SEEDS / name).read_text(encoding="utf-8"), path)
    assert draft_plan(read_document(path), source_name=name) == drafts[name]


@needs_seeds
def test_docx_appendix_is_a_real_word_table(tmp_path):
    import docx

    path = tmp_path / "tn.docx"
    write_docx((SEEDS / "002_d88ed36d9991ae27.txt").read_text(encoding="utf-8"), path)
    tables = docx.Document(str(path)).tables
    assert [len(t.rows) for t in tables] == [6, 7, 4] and len(tables[0].columns) == 5


@needs_seeds
def test_docx_with_the_header_in_a_table(tmp_path):
    text = (SEEDS / "004_7c8434e2bc8555ab.txt").read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line.strip()]
    path = tmp_path / "tay-ninh.docx"
    write_docx("\n".join(lines), path, header_table=True)  # "Số: 696 /KH-UBND" | "Tây Ninh, ngày 06 ..."
    draft = draft_plan(read_document(path), source_name="x")
    assert "document: \"696/KH-UBND\"\nissued: 2025-03-06\n" in draft.yaml and draft.rules == 5


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_PLANS))
def test_pdf_gives_the_same_draft_as_the_txt(drafts, name, tmp_path):
    path = tmp_path / f"{Path(name).stem}.pdf"
    pages = write_pdf((SEEDS / name).read_text(encoding="utf-8"), path)
    assert pages >= 3
    assert draft_plan(read_document(path), source_name=name) == drafts[name]


def _one_line_error(path: Path) -> str:
    with pytest.raises(DvcqError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_pdf_without_a_text_layer_is_refused(tmp_path):
    import pypdf

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(text_pdf([], image_only=True))
    # issue 19: a scan is read by OCR where Tesseract is installed (tests/test_draft_ocr.py); here the
    # page is a 2x2 image, so either OCR finds no text or one line says how to install it
    from dvcq.documents.draft.reading import _ocr_tools

    no_text = "has no text layer and OCR found no text in it: use the .docx" if _ocr_tools() else \
        "has no text layer (a scan?): install OCR to read it (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils) or use the .docx"
    assert _one_line_error(scan) == f"{scan} {no_text}"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    blank = tmp_path / "blank.pdf"
    with open(blank, "wb") as f:
        writer.write(f)
    assert _one_line_error(blank).endswith(no_text)


def test_corrupt_files_give_one_line(tmp_path):
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a readable .docx" in _one_line_error(garbage)
    no_body = tmp_path / "no-body.docx"
    with zipfile.ZipFile(no_body, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    assert "not a readable .docx" in _one_line_error(no_body)
    whole = tmp_path / "whole.docx"
    write_docx("Số: 1/KH-UBND\nHà Giang, ngày 05 tháng 3 năm 2024", whole)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "not a readable .docx" in _one_line_error(cut)
    bad_xml = tmp_path / "bad-xml.docx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(bad_xml, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<w:document><unclosed" if item.filename == "word/document.xml" else src.read(item))
    assert "not a readable .docx" in _one_line_error(bad_xml)
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.7\n garbage garbage\n")
    assert str(pdf) in _one_line_error(pdf)


def test_other_inputs_give_one_line(tmp_path, monkeypatch):
    odt = tmp_path / "plan.odt"
    odt.write_bytes(b"x")
    assert "save it as .docx" in _one_line_error(odt)
    assert "cannot read: No such file" in _one_line_error(tmp_path / "absent.txt")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Hà Giang".encode("latin-1"))
    assert "not UTF-8" in _one_line_error(latin1)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: nothing is written, and nothing must be read

    def never(*args, **kwargs):
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    monkeypatch.setattr(Path, "read_text", never)
    assert "at most" in _one_line_error(huge)


def test_txt_with_a_bom_and_windows_line_ends(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(("\ufeff" + HEAD + "- Báo cáo năm: trước ngày 15/11/2024.\n").replace("\n", "\r\n").encode("utf-8"))
    text = read_document(path)
    assert "\r" not in text and not text.startswith("\ufeff")
    assert draft_plan(text).rules == 1


# ================================================================================================
# Speed
# ================================================================================================


def _bench():
    spec = importlib.util.spec_from_file_location("bench_draft", REPO / "bench" / "draft.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_seeds
def test_a_100_page_docx_is_drafted_in_time(drafts, tmp_path):
    bench = _bench()
    path = tmp_path / "100-trang.docx"
    bench.write_document(path)
    assert bench.page_breaks(path) + 1 >= 100
    start = time.perf_counter()
    draft = draft_plan(read_document(path), source_name="002_d88ed36d9991ae27.txt")
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"{elapsed:.2f} s (bench/draft.py target: 2 s)"
    # the padding sets no deadline: the rules are those of the seed alone
    assert bench._rules(draft.yaml) == bench._rules(drafts["002_d88ed36d9991ae27.txt"].yaml)


def test_frequencies_of_drafted_ids_exist():
    # the draft names a report by its frequency's default id, one per frequency (issue 19: the
    # words of each frequency live in model.FREQUENCY, the draft keeps no table of its own)
    ids = [f.default_id for f in FREQUENCY.values()]
    assert all(ids) and len(set(ids)) == len(ids)


def test_module_is_cheap_to_import():
    # python-docx and pypdf are imported only when such a file is read
    code = "import sys, dvcq.documents.draft; print('docx' in sys.modules, 'pypdf' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
