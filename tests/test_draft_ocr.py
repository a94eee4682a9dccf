"""`dvcq draft` on a scanned PDF (issue 19): a PDF without a text layer is read by OCR when
Tesseract with Vietnamese data is installed (Debian: tesseract-ocr, tesseract-ocr-vie, and
poppler-utils for pdftoppm); without it, one line says how to install it. The scan is made here:
a seed's text drawn on A4 pages at 150 dpi (Pillow, DejaVu Serif) and saved as an image-only PDF."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from conftest import SEEDS, run_cli
from dvcq.core.errors import DvcqError
from dvcq.documents.draft import draft_plan, read_document
from dvcq.documents.draft.reading import _ocr_tools

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SEED = SEEDS / "004_7c8434e2bc8555ab.txt"


def scan(text: str, path: Path, dpi: int = 150) -> int:
    """The text printed on A4 pages and scanned: an image-only PDF (no text layer). Returns the pages."""
    PIL = pytest.importorskip("PIL")  # noqa: N806
    from PIL import Image, ImageDraw, ImageFont

    assert PIL
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    font = ImageFont.truetype(str(FONT), size=int(11 / 72 * dpi))
    line_height = int(font.size * 1.5)
    margin = int(0.8 * dpi)
    lines = [w for para in text.split("\n") for w in (textwrap.wrap(para, 88) or [""])]
    per_page = (height - 2 * margin) // line_height
    pages = []
    for i in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for k, line in enumerate(lines[i:i + per_page]):
            draw.text((margin, margin + k * line_height), line, fill=0, font=font)
        pages.append(page)
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return len(pages)


def _part_of_seed() -> str:
    """The first page and the reporting section (IV) of Tây Ninh's plan: its five report rows."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("IV. TỔ CHỨC THỰC HIỆN"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận"))
    return "\n".join(lines[:14] + lines[start:end]).replace("**", "")  # bold marks are not printed


needs_ocr = pytest.mark.skipif(_ocr_tools() is None, reason="Tesseract with Vietnamese and pdftoppm are not installed")
needs_seed_and_font = pytest.mark.skipif(not SEED.is_file() or not FONT.is_file(), reason="seed or font absent")


@needs_ocr
@needs_seed_and_font
def test_a_scanned_plan_is_read_by_ocr_and_drafted(tmp_path):
    text = _part_of_seed()
    path = tmp_path / "scan.pdf"
    assert scan(text, path) >= 2
    import pypdf

    assert "".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages).strip() == ""  # no text layer
    from_scan = draft_plan(read_document(path))
    from_text = draft_plan(text)
    ids = lambda d: [line.split(": ")[1] for line in d.yaml.splitlines() if line.startswith("  - id: ")]  # noqa: E731
    assert ids(from_text) == ["plan-submission", "self-assessment", "scoring-decision", "semiannual", "annual"]
    # OCR may misread a letter in a quote, never a deadline: the same rules with the same due phrases
    assert ids(from_scan) == ids(from_text)
    dues = lambda d: [line.strip() for line in d.yaml.splitlines() if line.startswith("    due: ")]  # noqa: E731
    assert dues(from_scan) == dues(from_text)


@needs_seed_and_font
def test_without_tesseract_one_line_says_how_to_install_it(tmp_path, monkeypatch):
    path = tmp_path / "scan.pdf"
    scan("IV. CHẾ ĐỘ BÁO CÁO\nBáo cáo quý: gửi trước ngày 15 của tháng cuối quý.", path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract, no pdftoppm
    with pytest.raises(DvcqError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (f"{path} has no text layer (a scan?): install OCR to read it "
                       "(apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils) or use the .docx")
    r = run_cli("draft", str(path), env={"PATH": str(tmp_path) + os.pathsep + "/nonexistent"})
    assert r.returncode != 70 and "apt-get install tesseract-ocr" in r.stderr
