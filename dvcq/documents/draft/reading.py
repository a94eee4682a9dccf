"""Reading files: a plan document (.txt, .docx, .pdf) as text, bounded in size."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from dvcq.core.errors import DvcqError, PlanError
from dvcq.core.messages import Said
from dvcq.planfiles.files import read_capped


MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # refuse bigger files without reading them
# a .docx is a zip: refuse one whose parts together (styles.xml, numbering.xml, media: not only the text)
# would inflate past this, or any large part inflating over 100 times its size (a bomb); a 100-page
# plan's parts are a few MB
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 2_000  # a plan runs to tens of pages; a 99,000-page PDF is refused from its page count
MAX_TEXT_CHARS = 10_000_000  # a plan document's text is far shorter (a 100-page plan: ~300,000); refuse more unread
MIN_TEXT_LETTERS = 20  # a PDF whose text layer has fewer letters than this has none worth reading
SCHEMA_LINE = "# yaml-language-server: $schema=../dvcq/data/plan.schema.json"
PLAN_YEARS = (1990, 2100)  # the years a plan file may list (dvcq.planfiles.loader)

# ================================================================================================
# Reading files
# ================================================================================================

_OTHER_FORMATS = {".doc": "draft.format.doc", ".odt": "draft.format.odt", ".rtf": "draft.format.rtf", ".md": "draft.format.md"}


def read_document(path: Path) -> str:
    """The text of a plan document: .txt (UTF-8), .docx (paragraphs and table cells in document
    order, a row's cells joined by tabs), or .pdf with a text layer. Raises DvcqError with one line
    for an unknown extension, an unreadable, corrupt or too large file, or a PDF without text."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".txt", ".docx", ".pdf"):
        why = Said(_OTHER_FORMATS[ext]) if ext in _OTHER_FORMATS else Said("draft.format.unknown", name=ext or path.name)
        raise DvcqError(msg="draft.error.unreadable", path=str(path), why=why)
    # bounded by what is read, regular files only: `stat` says 0 for a FIFO or /dev/zero
    try:
        data = read_capped(path, MAX_DOCUMENT_BYTES)
    except PlanError as exc:
        if exc.problems[0].code == "too-large":
            raise DvcqError(msg="draft.error.too_big", path=str(path), most=MAX_DOCUMENT_BYTES) from None
        raise DvcqError(msg="draft.error.at", path=str(path), message=exc.problems[0].as_said()) from None
    text = {".txt": _read_txt, ".docx": _read_docx, ".pdf": _read_pdf}[ext](path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    return unicodedata.normalize("NFC", text)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _read_txt(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DvcqError(msg="draft.error.not_utf8", path=str(path), byte=data[exc.start], offset=exc.start) from None


def _read_docx(path: Path, data: bytes) -> str:
    import io
    import zipfile

    from dvcq.documents.xlsx import XlsxError, check_package

    try:
        check_package(data, MAX_INFLATED_BYTES, str(path), ".docx")
    except XlsxError as exc:
        said = exc.args[0] if exc.args else str(exc)  # a Said where the reader gave one
        if str(said).startswith(str(path)):
            raise DvcqError(said) from None
        raise DvcqError(msg="draft.error.at", path=str(path), message=said) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = archive.getinfo("word/document.xml").file_size
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DvcqError(msg="draft.error.bad_docx", path=str(path), why=_one_line(exc)) from None
    if inflated > MAX_INFLATED_BYTES:
        raise DvcqError(msg="draft.error.docx_inflates", path=str(path), size=inflated, most=MAX_INFLATED_BYTES)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _docx_lines(document, lines)
    except DvcqError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged package
        raise DvcqError(msg="draft.error.docx", path=str(path), why=_one_line(exc)) from None
    return "\n".join(lines)


def _docx_lines(container, out: list[str]) -> None:
    """Paragraphs and tables in document order; a table row is one line, its cells joined by tabs
    (a merged cell once), a cell's own paragraphs joined by spaces."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells, seen = [], []
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    inner: list[str] = []
                    _docx_lines(cell, inner)
                    cells.append(" ".join(" ".join(inner).replace("\t", " ").split()))
                out.append("\t".join(cells))
        else:
            out.append(item.text)


def _read_pdf(path: Path, data: bytes) -> str:
    import io

    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DvcqError(msg="draft.error.pdf_password", path=str(path))
        # the count the page tree declares first (instant); the pages themselves after (pypdf walks the
        # whole tree to list them: 5 s for 99,000 pages), for a file whose count lies
        declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        count = declared if isinstance(declared, int) and declared > MAX_PDF_PAGES else len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise DvcqError(msg="draft.error.pdf_pages", path=str(path), count=count, most=MAX_PDF_PAGES)
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if sum(map(len, pages)) > MAX_TEXT_CHARS:
                raise DvcqError(msg="draft.error.pdf_text", path=str(path), most=MAX_TEXT_CHARS)
    except DvcqError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise DvcqError(msg="draft.error.pdf", path=str(path), why=_one_line(exc)) from None
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < MIN_TEXT_LETTERS:
        text = _ocr(path, len(pages))
        if sum(ch.isalpha() for ch in text) < MIN_TEXT_LETTERS:
            raise DvcqError(msg="draft.error.ocr_empty", path=str(path))
    return text


OCR_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils"
OCR_DPI = 200  # enough for printed Vietnamese (its diacritics) at body sizes; 300 costs twice the time


def _ocr_tools() -> tuple[str, str] | None:
    """(pdftoppm, tesseract) when both are installed and Tesseract has Vietnamese, else None."""
    import shutil
    import subprocess

    pdftoppm, tesseract = shutil.which("pdftoppm"), shutil.which("tesseract")
    if not pdftoppm or not tesseract:
        return None
    try:
        langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return (pdftoppm, tesseract) if "vie" in langs else None


def _ocr(path: Path, pages: int) -> str:
    """The text of a scanned PDF, page by page through Tesseract (Vietnamese), with a progress line
    per page when stderr is a terminal. Without the tools: one line saying how to install them."""
    import subprocess
    import sys
    import tempfile

    tools = _ocr_tools()
    if tools is None:
        raise DvcqError(msg="draft.error.no_ocr", path=str(path), install=OCR_INSTALL)
    pdftoppm, tesseract = tools
    show = sys.stderr.isatty()
    out = []
    with tempfile.TemporaryDirectory(prefix="dvcq-ocr-") as folder:
        for n in range(1, pages + 1):
            if show:
                print(f"\rdvcq: OCR {n}/{pages} …", end="", file=sys.stderr, flush=True)
            image = Path(folder) / f"p{n}"
            try:
                subprocess.run([pdftoppm, "-r", str(OCR_DPI), "-gray", "-png", "-f", str(n), "-l", str(n), "-singlefile",
                                str(path), str(image)], check=True, capture_output=True, timeout=300)
                done = subprocess.run([tesseract, f"{image}.png", "stdout", "-l", "vie", "--psm", "4"],
                                      check=True, capture_output=True, timeout=600)
            except (OSError, subprocess.SubprocessError) as exc:
                raise DvcqError(msg="draft.error.ocr_failed", path=str(path), page=n, why=_one_line(exc)) from None
            out.append(done.stdout.decode("utf-8", errors="replace"))
    if show:
        print(file=sys.stderr)
    return "\n".join(out)
