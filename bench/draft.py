"""Benchmark of `dvcq draft` on a 100-page Word document.

    python bench/draft.py            # median of 5 runs; writes bench/results/draft.json
    python bench/draft.py --runs 1   # one run

The document is generated: the Thái Nguyên plan (shared/seeds/002_...txt, its appendix as a real
Word table) padded with realistic sections that set no deadline - more tasks and solutions under
III, each a numbered heading with paragraphs and bullets built from the seed plans' own
non-reporting sentences, and a statistics table now and then - until it fills 100 pages (a page
break after every ~2,400 characters: A4, Times New Roman 14, the Decree 30/2020 margins). The
draft of the padded document must have the same rules as the draft of the seed itself.
Target: reading the .docx and drafting it under 2 s.

Then the reading must stay linear in the text (issue 19): the same padding as a 5 MB .txt, read and
drafted under 5 s with the same rules; a .txt just under the size limit (49 MB), read or refused
in one line under 30 s (it is refused: a plan's text is far shorter than MAX_TEXT_CHARS); and the
largest text that is read (just under MAX_TEXT_CHARS characters), drafted under 30 s with the same
rules.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SEEDS = HERE.parent.parent / "shared" / "seeds"
SEED = "002_d88ed36d9991ae27.txt"
PAGES = 100
CHARS_PER_PAGE = 2400  # A4, Times New Roman 14 pt, margins 20/20/30/15 mm: ~64 characters x ~38 lines
TARGET_SECONDS = 2.0
TEXT_MB, TEXT_TARGET_SECONDS = 5, 5.0
LIMIT_MB, LIMIT_TARGET_SECONDS = 49, 30.0
DEADLINE_WORDS = re.compile(r"trước\s+ngày|chậm\s+nhất|muộn\s+nhất|hạn\s+chót|trước\s+\d{1,2}/|lồng\s+ghép", re.I)
TOPICS = ("Nâng cao chất lượng công tác tiếp công dân ở cơ sở", "Đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính",
          "Thực hiện dân chủ ở cơ sở gắn với xây dựng nông thôn mới", "Phát huy vai trò của người có uy tín",
          "Công tác dân vận trong giải phóng mặt bằng", "Xây dựng mô hình Dân vận khéo", "Văn hóa công sở",
          "Công tác thông tin, tuyên truyền", "Phối hợp với Mặt trận Tổ quốc và các đoàn thể",
          "Kiểm tra, giám sát việc thực hiện quy chế dân chủ")


def _sentences(text: str) -> list[str]:
    """Whole sentences of the seed plans that state no deadline, as padding material: taken from
    lines that are whole paragraphs (150 characters or more; a printed line is shorter)."""
    out = []
    for line in text.splitlines():
        line = " ".join(line.replace("**", "").split()).lstrip("-#* ")
        if len(line) < 150 or "\t" in line or "<sup>" in line or not line[:1].isupper():
            continue
        for s in re.split(r"(?<=\.)\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ])", line):
            if len(s) >= 60 and s.endswith(".") and not DEADLINE_WORDS.search(s) and not s.startswith("Trên đây"):
                out.append(s)
    return out


def padded_lines(pages: int = PAGES, seed_dir: Path = SEEDS, chars: int | None = None) -> list[str]:
    """The lines of the padded document: the seed's, with generated sections inserted before IV,
    until the text has `chars` characters (by default a page's worth for each page)."""
    text = (seed_dir / SEED).read_text(encoding="utf-8")
    pool = sorted({s for f in sorted(seed_dir.glob("*.txt")) for s in _sentences(f.read_text(encoding="utf-8"))})
    rng = random.Random(2024)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "IV. TỔ CHỨC THỰC HIỆN" in line)
    padding: list[str] = []
    size, section = len(text), 9
    while size < (chars or pages * CHARS_PER_PAGE):
        topic = TOPICS[section % len(TOPICS)]
        block = [f"### **{section}. {topic}**", ""]
        for _ in range(rng.randint(2, 4)):
            block += [" ".join(rng.sample(pool, rng.randint(2, 4))), ""]
        for _ in range(rng.randint(2, 5)):
            block += ["- " + rng.choice(pool), ""]
        if section % 4 == 0:  # a statistics table: no lead agency, no completion period
            block += ["STT\tChỉ tiêu\tĐơn vị tính\tKết quả năm trước\tMục tiêu năm nay"]
            block += [f"{k}\t{rng.choice(pool)[:70]}\t%\t{rng.randint(60, 99)}\t{rng.randint(80, 100)}" for k in range(1, 8)]
            block += [""]
        padding += block
        size += sum(len(x) + 1 for x in block)
        section += 1
    return lines[:at] + padding + lines[at:]


def write_docx(lines: list[str], path: Path, chars_per_page: int | None = CHARS_PER_PAGE) -> None:
    """Each line a paragraph, each run of tab-separated lines a Word table; a page break after every
    `chars_per_page` characters of text (None: none)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    on_page, i = 0, 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            on_page += sum(len(x) for r in rows for x in r)
            continue
        paragraph = document.add_paragraph(lines[i])
        on_page += len(lines[i])
        if chars_per_page and on_page >= chars_per_page:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
            on_page = 0
        i += 1
    document.save(str(path))


def write_document(path: Path, pages: int = PAGES, seed_dir: Path = SEEDS) -> list[str]:
    """The padded document as a .docx of at least `pages` pages (a page break ends each page's worth
    of text; a paragraph is not split, so pages run a little over and the text is grown to fit)."""
    chars = pages * CHARS_PER_PAGE
    while True:
        lines = padded_lines(pages, seed_dir, chars)
        write_docx(lines, path)
        if page_breaks(path) + 1 >= pages:
            return lines
        chars = int(chars * 1.05)


def page_breaks(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").count(b'w:type="page"')


def run(runs: int = 5) -> dict:
    from dvcq.documents.draft import draft_plan, read_document

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ke-hoach-100-trang.docx"
        lines = write_document(path)
        reads, drafts, totals = [], [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            text = read_document(path)
            t1 = time.perf_counter()
            result = draft_plan(text, source_name=path.name)
            t2 = time.perf_counter()
            reads.append(t1 - t0)
            drafts.append(t2 - t1)
            totals.append(t2 - t0)
        seed = draft_plan((SEEDS / SEED).read_text(encoding="utf-8"), source_name=path.name)
        same = _rules(result.yaml) == _rules(seed.yaml)
        return {
            "document": {"pages": page_breaks(path) + 1, "characters": len(text), "paragraphs_and_rows": len(lines),
                         "bytes": path.stat().st_size},
            "runs": runs,
            "read_seconds_median": round(statistics.median(reads), 3),
            "draft_seconds_median": round(statistics.median(drafts), 3),
            "total_seconds_median": round(statistics.median(totals), 3),
            "total_seconds_max": round(max(totals), 3),
            "target_seconds": TARGET_SECONDS,
            "ok": statistics.median(totals) < TARGET_SECONDS and same,
            "same_rules_as_the_seed": same,
            "rules": result.rules,
            "todo": len(result.todo),
            "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        }


def run_text(mb: float, target: float, max_chars: int | None = None) -> dict:
    """A padded .txt of `mb` megabytes (cut to fewer than `max_chars` characters) read and drafted
    (or refused, in one line) once."""
    from dvcq.core.errors import DvcqError
    from dvcq.documents.draft import draft_plan, read_document

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"ke-hoach-{mb:g}-mb.txt"
        if max_chars is not None:  # the whole padded plan, its reporting section included, under the limit
            data = "\n".join(padded_lines(chars=int(max_chars * 0.98))).encode("utf-8")
            assert len(data.decode("utf-8")) < max_chars, "the generated text is over the limit"
        else:
            lines = padded_lines(chars=int(mb * 1_000_000 / 1.28))  # Vietnamese: ~1.28 bytes a character in UTF-8
            data = "\n".join(lines).encode("utf-8")
            while len(data) < mb * 1_000_000:
                data += b"\n" + data[: int(mb * 1_000_000) - len(data)].rsplit(b"\n", 1)[0]
        path.write_bytes(data)
        t0 = time.perf_counter()
        refused = None
        try:
            result = draft_plan(read_document(path), source_name=path.name)
        except DvcqError as exc:
            result, refused = None, str(exc)
        seconds = time.perf_counter() - t0
        seed = draft_plan((SEEDS / SEED).read_text(encoding="utf-8"), source_name=path.name)
        same = result is not None and _rules(result.yaml) == _rules(seed.yaml)
        return {"bytes": len(data), "characters": len(data.decode("utf-8")), "seconds": round(seconds, 3), "target_seconds": target,
                "refused": refused, "same_rules_as_the_seed": same,
                "ok": seconds < target and (same or (refused is not None and "\n" not in refused))}


def _rules(yaml_text: str) -> str:
    """The reports part of a draft, whose rules must not change with padding."""
    return yaml_text[yaml_text.index("\nreports:"):yaml_text.index("\ntasks:") if "\ntasks:" in yaml_text else None]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (SEEDS / SEED).is_file():
        print(f"{SEEDS / SEED} not found: the benchmark needs shared/seeds beside the checkout")
        return 2
    result = run(args.runs)
    result["text_5mb"] = run_text(TEXT_MB, TEXT_TARGET_SECONDS)
    result["text_under_limit"] = run_text(LIMIT_MB, LIMIT_TARGET_SECONDS)
    from dvcq.documents.draft.reading import MAX_TEXT_CHARS

    result["text_largest_read"] = run_text(MAX_TEXT_CHARS * 1.3 / 1_000_000, LIMIT_TARGET_SECONDS, MAX_TEXT_CHARS)
    doc = result["document"]
    print(f"dvcq draft of a {doc['pages']}-page .docx ({doc['characters']:,} characters): "
          f"read {result['read_seconds_median']:.3f} s + draft {result['draft_seconds_median']:.3f} s = "
          f"{result['total_seconds_median']:.3f} s (median of {result['runs']}; target < {TARGET_SECONDS} s) "
          f"{'OK' if result['ok'] else 'FAIL'}")
    for key in ("text_5mb", "text_under_limit", "text_largest_read"):
        r = result[key]
        what = f"refused: {r['refused']}" if r["refused"] else f"drafted, same rules as the seed: {r['same_rules_as_the_seed']}"
        print(f"dvcq draft of a {r['bytes']:,}-byte .txt: {r['seconds']:.2f} s (target < {r['target_seconds']:g} s), "
              f"{what} {'OK' if r['ok'] else 'FAIL'}")
    result["ok"] = all(result[k]["ok"] for k in ("text_5mb", "text_under_limit", "text_largest_read")) and result["ok"]
    out = HERE / "results" / "draft.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
